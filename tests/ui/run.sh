#!/bin/sh
# UI tests: the scripted mode (--keys, --dump-screen) against golden
# screens, and the real binary driven in tmux (detached session at a
# fixed size, send-keys, capture-pane), then the project file checked.
# UPDATE=1 rewrites the golden screens; UI_WAIT scales how long a screen
# is waited for (in 50 ms steps; make valgrind-ui raises it).
set -u
suite=ui
. "$(dirname "$0")/../lib.sh"
S=$top/sample-corpora
sock=ferry-test-$$
TMUX_CMD="tmux -L $sock -f /dev/null"
cleanup() { $TMUX_CMD kill-server 2>/dev/null; rm -rf "$work"; }
cd "$work" || exit 70
# The three parts of the suite run side by side, each in a work
# directory and tmux server of its own; UI_PART=1, 2 or 3 runs one.
UI_PARTS="1 2 3"
if [ -z "${UI_PART:-}" ]; then
	t0=$(date +%s) pids=
	for n in $UI_PARTS; do
		{ UI_PART=$n "$here/run.sh" >"part$n.out" 2>&1; date +%s >"part$n.end"; } &
		pids="$pids $!"
	done
	for pid in $pids; do wait "$pid"; done
	took= passed=0 failed=0
	for n in $UI_PARTS; do
		grep -v '^ui: [0-9]* passed, [0-9]* failed$' "part$n.out"
		set -- $(sed -n 's/^ui: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "part$n.out")
		[ $# = 2 ] || { echo "ui: part $n did not finish"; exit 1; }
		passed=$((passed + $1)) failed=$((failed + $2)) took="$took $(($(cat "part$n.end") - t0)) s"
	done
	echo "ui: the parts took$took"
	echo "ui: $passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit
fi

check() {    # check NAME COMMAND...: the command succeeds
	name=$1; shift
	if "$@" >/dev/null 2>&1; then ok; else bad "$name"; fi
}
project() {  # project NAME CORPUS: a fresh, matched project
	rm -f "$1" "$1-wal" "$1-shm"
	$FERRY import "$1" -q --src "$S/$2/src.conll" --tgt "$S/$2/tgt.txt" --align "$S/$2/fwd.align" \
		--align-rev "$S/$2/rev.align" --tgt-gold "$S/$2/tgt-gold.conll" && $FERRY match "$1" -q
}
keys() {     # keys PROJECT SIZE KEYS: run scripted, print the final screen
	printf '%s' "$3" >keys.txt
	FERRY_USER=${USER_AS:-alice} $FERRY review "$1" --keys keys.txt --dump-screen --size "$2"
}
status_of() { # status_of PROJECT PAIR
	$FERRY log "$1" --json >/dev/null
	set -- "$("$SQLEXEC" "$1" "SELECT status FROM pair WHERE id = $2")"
	echo "pending accepted fixed rejected flagged skipped" | cut -d' ' -f$(($1 + 1))
}

have_tmux=0
command -v tmux >/dev/null && have_tmux=1
# one session for the whole run keeps the server up: the replays start and
# end sessions side by side, and one must not start as the last one's end
# takes the server down
[ $have_tmux = 1 ] && $TMUX_CMD new-session -d -s keep "sleep 86400"
wait_for() {   # wait_for SESSION TEXT [TEXT...]: until the pane shows one of them
	ws=$1 pat=$2 i=0; shift 2
	for t; do pat="$pat
$t"; done     # grep -F: one pattern a line
	while [ $i -lt "${UI_WAIT:-100}" ]; do
		$TMUX_CMD capture-pane -p -t "$ws" 2>/dev/null | grep -qF -- "$pat" && return 0
		sleep 0.05; i=$((i + 1))
	done
	return 1
}
# send KEYS (our script syntax, which uses tmux's key names) to a session
tmux_keys() {
	rest=$2
	while [ -n "$rest" ]; do
		case $rest in
		"<lt>"*) $TMUX_CMD send-keys -t "$1" -l '<'; rest=${rest#<lt>} ;;
		"<"*">"*) kn=${rest#<}; kn=${kn%%>*}; $TMUX_CMD send-keys -t "$1" "$kn"; rest=${rest#<"$kn">} ;;
		*) c=$(printf '%s' "$rest" | cut -c1); $TMUX_CMD send-keys -t "$1" -l "$c"; rest=${rest#"$c"} ;;
		esac
		sleep 0.02
	done
}
start() {      # start SESSION PROJECT [USER] [TERM]: ferry review in a new session
	$TMUX_CMD new-session -d -s "$1" -x 100 -y 30 \
		"env TERM=${4:-xterm-256color} FERRY_USER=${3:-alice} $FERRY review $2; echo EXIT=\$?; sleep 30"
	wait_for "$1" "ferry  $2"
}
settled() {    # settled SESSION: the pane once two captures 0.1 s apart agree
	i=0 prev=
	while [ $i -lt "${UI_WAIT:-100}" ]; do
		now=$($TMUX_CMD capture-pane -p -t "$1")
		[ -n "$prev" ] && [ "$now" = "$prev" ] && break
		prev=$now; sleep 0.1; i=$((i + 1))
	done
	printf '%s\n' "$now"
}
# case NAME SIZE KEYS: the keys on de.ferry, scripted, then the same keys on
# a copy of the project as it was, in a real terminal under tmux; both must
# give the golden screen NAME.screen.  The tmux replays run in the
# background, UI_JOBS at a time (default 2: under valgrind each is seconds
# of work), each reporting to replay-N.out; replays_done counts them.
n_case=0 replay_pids=
case_() {
	name=$1 size=$2 k=$3
	n_case=$((n_case + 1))
	if [ $have_tmux = 1 ]; then
		rm -rf "tm$n_case" && mkdir "tm$n_case" && cp "$P" "tm$n_case/" &&
			{ cp "$P-wal" "tm$n_case/" 2>/dev/null || true; }
	fi
	keys "$P" "$size" "$k" >s.txt
	golden "$name.screen" s.txt
	[ $have_tmux = 1 ] || return 0
	replays_wait $((${UI_JOBS:-2} - 1))
	replay "c${n_case}x" "$name" "$size" "$k" "tm$n_case" >"replay-$n_case.out" 2>&1 &
	replay_pids="$replay_pids $!"
}
# replay SESSION NAME SIZE KEYS DIR: case_'s tmux half, in DIR; prints OK
# or BAD WHY (then what differs)
replay() {
	cols=${3%x*} rows=${3#*x}
	$TMUX_CMD new-session -d -s "$1" -x "$cols" -y "$rows" -c "$work/$5" \
		"env TERM=xterm-256color FERRY_USER=alice $FERRY review $P; sleep 30"
	wait_for "$1" "ferry  $P" "terminal too small" || { echo "BAD $2: tmux session did not start"; return; }
	tmux_keys "$1" "$4"
	i=0
	while [ $i -lt "${UI_WAIT:-100}" ]; do
		$TMUX_CMD capture-pane -p -t "$1" >"$5/tm.txt"
		# tmux keeps the pane's height; the golden screen has every row
		cmp -s "$5/tm.txt" "$exp/$2.screen" && break
		sleep 0.05; i=$((i + 1))
	done
	if cmp -s "$5/tm.txt" "$exp/$2.screen"; then echo OK
	else echo "BAD $2 in tmux differs from its golden screen"; diff "$exp/$2.screen" "$5/tm.txt" | head -10; fi
	$TMUX_CMD kill-session -t "$1"
}
replays_wait() {   # replays_wait N: until at most N replays run, the oldest waited for first
	rw=$1
	while [ "$(echo $replay_pids | wc -w)" -gt "$rw" ]; do
		set -- $replay_pids
		wait "$1"
		shift; replay_pids=$*
	done
}
replays_done() {   # every replay's report, counted
	replays_wait 0
	for f in replay-*.out; do
		[ -f "$f" ] || continue
		while IFS= read -r line; do
			case $line in
			OK) ok ;;
			"BAD "*) bad "${line#BAD }" ;;
			*) printf '%s\n' "$line" ;;
			esac
		done <"$f"
		rm -f "$f"
	done
}

# --- the first part --------------------------------------------------------------------
part1() {

# --- every action: scripted and in tmux, golden screens ----------------------------
project de.ferry en-de
P=de.ferry
case_ start 100x30 ""
case_ accept 100x30 "a"
[ "$(status_of de.ferry 1)" = accepted ] && ok || bad "accept did not set the status"
case_ undo-accept 100x30 "u"
[ "$(status_of de.ferry 1)" = pending ] && ok || bad "undo across a restart"
case_ redo-accept 100x30 "<C-r>"
[ "$(status_of de.ferry 1)" = accepted ] && ok || bad "redo across a restart"
case_ boundary-fix 100x30 "]jjeH<Enter>"
case_ label-change 100x30 "]jtm"
case_ add 100x30 "]]0ll+L<Enter>:EVT<Enter>y"
case_ delete-added 100x30 "]]0lld"
case_ re-add 100x30 "u"
case_ delete 100x30 "]]]d"
case_ no-counterpart 100x30 "]]]]j!"
case_ reject 100x30 "]]]]]jx"
case_ choose 100x30 "]]]]]]j2"
case_ search 100x30 "/Siemens<Enter>n"
case_ filter 100x30 "fpending<Enter>"
# at 80 columns a filter that is not "all" goes before the estimate (the title bar's fields go whole)
case_ filter-80x24 80x24 "fpending<Enter>"
case_ filter-label 100x30 "flabel=MISC<Enter>"
case_ order-margin 100x30 "o"
case_ order-score 100x30 "oo"
case_ goto-links 100x30 ":12<Enter>m"
case_ matrix 100x30 ":12<Enter>mm"
case_ help 100x40 "?"
case_ bulk-accept 100x30 ":accept-above 0.93<Enter>"
$FERRY stats de.ferry --json | grep -o '"accepted":[0-9]*' >bulk.txt; golden bulk-accepted-count.txt bulk.txt
case_ bulk-undo 100x30 "u"
$FERRY stats de.ferry --json | grep -o '"accepted":[0-9]*' >bulk.txt; golden bulk-undone-count.txt bulk.txt
case_ bad-command 100x30 ":frobnicate<Enter>"
case_ size-80x24 80x24 ""
case_ size-40x12 40x12 ""
case_ too-small 39x11 ""
$FERRY log de.ferry | cut -f3- | sed 's/^[^\t]*\t//; s#"src":"[^"]*"#"src":"SRC"#; s#"tgt":"[^"]*"#"tgt":"TGT"#' >log.txt
golden actions.log log.txt

# --- Unicode: Arabic (right to left), Chinese (wide), controls in tokens ------------
project ar.ferry en-ar
P=ar.ferry case_ arabic 100x20 "]"
project zh.ferry en-zh
P=zh.ferry case_ chinese 100x20 "]"
# Devanagari and Thai (combining marks) and emoji (wide, ZWJ)
printf 'Priya\tB-PER\nate\tO\nrice\tO\nin\tO\nDelhi\tB-LOC\n\n' >mix.conll
printf '\340\244\252\340\245\215\340\244\260\340\244\277\340\244\257\340\244\276 \340\270\201\340\270\264\340\270\231\340\270\202\340\271\211\340\270\262\340\270\247 \360\237\221\251\342\200\215\360\237\222\273 \340\244\246\340\244\277\340\244\262\340\245\215\340\244\262\340\245\200\n' >mix.txt
printf '0-0 1-1 2-1 4-3\n' >mix.align
$FERRY import mix.ferry -q --src mix.conll --tgt mix.txt --align mix.align && $FERRY match mix.ferry -q
P=mix.ferry case_ combining 60x14 "l"
printf 'Evil\tB-PER\nCorp\tI-PER\n' >esc.conll
printf 'Evil\033[31mCorp \342\200\256gnidaer\n' >esc.txt
printf '0-0 1-0\n' >esc.align
$FERRY import esc.ferry -q --src esc.conll --tgt esc.txt --align esc.align && $FERRY match esc.ferry -q
P=esc.ferry case_ escapes 60x12 ""

# --- several sources: stacked under the first, each with its language; support and alternatives ---
M=$S/multi-de
$FERRY import multi.ferry -q --src "$M/en.conll" --tgt "$M/de.txt" --align "$M/en-de.fwd" --align-rev "$M/en-de.rev" \
	--src-lang en --tgt-lang de &&
	$FERRY add-source multi.ferry -q --src "$M/es.conll" --src-lang es --align "$M/es-de.fwd" --align-rev "$M/es-de.rev" &&
	$FERRY add-source multi.ferry -q --src "$M/it.conll" --src-lang it --align "$M/it-de.fwd" --align-rev "$M/it-de.rev" &&
	$FERRY match multi.ferry -q
P=multi.ferry case_ multi-start 80x24 ""
P=multi.ferry case_ multi-wide 120x30 ":12<Enter>jj"
P=multi.ferry case_ multi-narrow 60x18 ":16<Enter>jj"
P=multi.ferry case_ multi-choose 80x24 ":5<Enter>j3"
P=multi.ferry case_ multi-accept 80x24 ":16<Enter>a"
[ "$(status_of multi.ferry 16)" = accepted ] && ok || bad "several sources: accept did not set the status"

# --- a reviewer's own layer: the bar says whose; the shared state does not change ---
project own.ferry en-de
printf 'a]]' >keys.txt
FERRY_USER=ann $FERRY review own.ferry --independent --keys keys.txt --dump-screen --size 100x30 >s.txt
golden independent.screen s.txt
[ "$(status_of own.ferry 1)" = pending ] && ok || bad "--independent changed the shared status"
printf '' >keys.txt
FERRY_USER=ann $FERRY review own.ferry --independent --keys keys.txt --dump-screen --size 80x24 >s.txt
grep -q "reviewed 1/40" s.txt && ok || bad "--independent: ann's layer lost her accept: $(head -1 s.txt)"
FERRY_USER=bob $FERRY review own.ferry --independent --keys keys.txt --dump-screen --size 80x24 >s.txt
grep -q "(bob's layer)  pair 1/40 (#1 pending)  reviewed 0/40" s.txt && ok || bad "--independent: bob saw ann's layer"
grep -q "$(printf '\033')" s.txt && bad "an escape sequence reached the screen" || ok

# --- adjudication: the disputed pair first, each reviewer's version under it, T takes one ---
printf 'aaaaa' >keys.txt
FERRY_USER=ann $FERRY review own.ferry --independent --keys keys.txt
printf 'aa!aaa' >keys.txt
FERRY_USER=bob $FERRY review own.ferry --independent --keys keys.txt
printf '' >keys.txt
$FERRY review own.ferry --adjudicate --keys keys.txt --dump-screen --size 80x24 >s.txt
golden adjudicate.screen s.txt
printf 'T2<Enter>' >keys.txt
FERRY_USER=cur $FERRY review own.ferry --adjudicate --keys keys.txt --dump-screen --size 80x24 >s.txt
golden adjudicate-take.screen s.txt
[ "$(status_of own.ferry 3)" = fixed ] && ok || bad "adjudicate: T2 did not make bob's version the shared one"
printf 'u' >keys.txt
FERRY_USER=cur $FERRY review own.ferry --adjudicate --keys keys.txt --dump-screen --size 80x24 | tail -2 >s.txt
grep -q "undone: take of pair 3 (now pending)" s.txt && ok || bad "adjudicate: take not undone: $(cat s.txt)"
printf 'T9<Enter>' >keys.txt
$FERRY review own.ferry --adjudicate --keys keys.txt --dump-screen --size 80x24 | tail -2 >s.txt
grep -q "no version 9: the pair has 2 (1-2)" s.txt && ok || bad "adjudicate: T9: $(cat s.txt)"
printf ':take zed<Enter>' >keys.txt
$FERRY review own.ferry --adjudicate --keys keys.txt --dump-screen --size 80x24 | tail -2 >s.txt
grep -q "zed has no version of pair 3" s.txt && ok || bad "adjudicate: :take zed: $(cat s.txt)"
printf 'T' >keys.txt
$FERRY review own.ferry --keys keys.txt --dump-screen --size 80x24 | tail -2 >s.txt
grep -q "T takes a reviewer's version when adjudicating" s.txt && ok || bad "T outside adjudication: $(cat s.txt)"
printf "" >keys.txt
$FERRY review own.ferry --adjudicate --keys keys.txt --dump-screen --size 60x18 >s.txt
golden adjudicate-small.screen s.txt

# --- config: remapped keys, generated help ------------------------------------------
mkdir -p cfg/ferry
printf '# mine\nbind <C-n> pair-next\nunbind ]\n' >cfg/ferry/config
XDG_CONFIG_HOME=$work/cfg keys de.ferry 100x30 "<C-n>]" >s.txt; golden remapped.screen s.txt
printf 'bind ]] pair-next\n' >cfg/ferry/config
XDG_CONFIG_HOME=$work/cfg $FERRY review de.ferry --keys keys.txt >/dev/null 2>err.txt
grep -q "config:1:6: unknown key ']]'" err.txt && ok || bad "bad config line: $(cat err.txt)"
printf 'x<Bogus>' >keys.txt
$FERRY review de.ferry --keys keys.txt 2>err.txt; [ $? = 65 ] && ok || bad "bad --keys script exit"
grep -q "keys.txt:1:2: unknown key '<Bogus>'" err.txt && ok || bad "bad --keys message: $(cat err.txt)"

# --- a conflict between two reviewers -------------------------------------------------
project two.ferry en-de
# alice loads pair 1, bob edits it, alice's edit is refused and her screen reloads
printf 'a' >bob.txt
FERRY_USER=bob $FERRY review two.ferry --keys bob.txt >/dev/null
keys two.ferry 100x30 "" >/dev/null
# a stale edit needs both sessions open at once: drive them in tmux below

# undo never wipes another reviewer's later work
project u.ferry en-de
USER_AS=alice keys u.ferry 100x30 "a" >/dev/null
USER_AS=bob keys u.ferry 100x30 "j!" >/dev/null
USER_AS=alice keys u.ferry 100x30 "u" >s.txt;        golden undo-refused.screen s.txt
grep -q "was changed since (by someone else): undo refused" s.txt && ok || bad "undo over another's edit"
USER_AS=bob keys u.ferry 100x30 "u" >s.txt
grep -q "undone" s.txt && ok || bad "bob's own undo"
USER_AS=alice keys u.ferry 100x30 "u" >s.txt
grep -q "undone" s.txt && ok || bad "alice's undo once bob's is undone"

# :match pending matches every pending pair as `ferry match` would, the
# accepted one left as it is, in batches on the shared pipeline
project mpm.ferry en-de
$FERRY export mpm.ferry >mpm.conll
rm -f mp.ferry mp.ferry-wal mp.ferry-shm
$FERRY import mp.ferry -q --src "$S/en-de/src.conll" --tgt "$S/en-de/tgt.txt" --align "$S/en-de/fwd.align" \
	--align-rev "$S/en-de/rev.align" --tgt-gold "$S/en-de/tgt-gold.conll"
keys mp.ferry 100x30 "a:match pending<Enter>" >s.txt
grep -q "matcher re-run on 39 pending pairs" s.txt && ok || bad ":match pending message: $(tail -2 s.txt)"
$FERRY export mp.ferry >mp.conll
if cmp -s mpm.conll mp.conll; then ok; else bad ":match pending differs from ferry match"; fi
$FERRY stats mp.ferry --json | grep -o '"accepted":[0-9]*' >mp.txt
[ "$(cat mp.txt)" = '"accepted":1' ] && ok || bad ":match pending changed a status: $(cat mp.txt)"

# --- the real terminal, in tmux ----------------------------------------------------------
if [ $have_tmux = 1 ]; then
	project t.ferry en-de
	start s1 t.ferry
	# the first frame can arrive in pieces (under valgrind): compare it once whole
	wait_for s1 "a accept"
	settled s1 >tm.txt
	keys t.ferry 100x30 "" >dump.txt
	if cmp -s tm.txt dump.txt; then ok; else bad "tmux screen differs from --dump-screen"; diff tm.txt dump.txt | head; fi
	$TMUX_CMD send-keys -t s1 a
	wait_for s1 "pair 1 accepted; next pending: pair 2" && ok || bad "accept in tmux"
	[ "$(status_of t.ferry 1)" = accepted ] && ok || bad "accept in tmux not stored"
	$TMUX_CMD send-keys -t s1 '['
	wait_for s1 "pair 1/40" || bad "back to pair 1 after accepting"
	$TMUX_CMD resize-window -t s1 -x 60 -y 20
	wait_for s1 "[PER Anna Becker]" && ok || bad "resize"
	$TMUX_CMD capture-pane -p -t s1 >tm.txt
	[ "$(wc -l <tm.txt)" -le 20 ] && ok || bad "resize: screen not redrawn to 20 rows"
	$TMUX_CMD resize-window -t s1 -x 30 -y 10
	wait_for s1 "terminal too small" && ok || bad "too small after resize"
	$TMUX_CMD resize-window -t s1 -x 100 -y 30
	wait_for s1 "reviewed 1/40" && ok || bad "resize back"
	# two reviewers: s2 (bob) opens pair 2 too; alice fixes it; bob's stale edit is refused
	start s2 t.ferry bob
	$TMUX_CMD send-keys -t s2 ']'
	wait_for s2 "pair 2/40" || bad "bob on pair 2"
	$TMUX_CMD send-keys -t s1 ']'
	wait_for s1 "pair 2/40" || bad "alice on pair 2"
	$TMUX_CMD send-keys -t s1 'j!'
	wait_for s1 "has no counterpart" && ok || { bad "alice's edit"; $TMUX_CMD capture-pane -p -t s1; }
	$TMUX_CMD send-keys -t s2 'a'
	wait_for s2 "was changed by someone else" && ok || bad "bob's stale edit was not refused"
	wait_for s2 "(no counterpart) *" && ok || bad "bob's screen did not reload alice's edit"
	$TMUX_CMD send-keys -t s2 'a'
	wait_for s2 "pair 2 fixed" && ok || bad "bob's second try"
	# quitting restores the terminal (no alternate screen, exit 0)
	$TMUX_CMD send-keys -t s2 q
	wait_for s2 "EXIT=0" && ok || bad "quit"
	[ "$($TMUX_CMD display -p -t s2 '#{alternate_on}')" = 0 ] && ok || bad "terminal not restored after q"
	$TMUX_CMD send-keys -t s1 C-c
	wait_for s1 "EXIT=0" && ok || bad "Ctrl-C"
	[ "$($TMUX_CMD display -p -t s1 '#{alternate_on}')" = 0 ] && ok || bad "terminal not restored after Ctrl-C"
	start s3 t.ferry alice vt100
	pid=$($TMUX_CMD display -p -t s3 '#{pane_pid}')
	pkill -TERM -P "$pid"     # the pane shell's child: ferry (or valgrind running it)
	wait_for s3 "EXIT=0" && ok || bad "SIGTERM"
	[ "$($TMUX_CMD display -p -t s3 '#{alternate_on}')" = 0 ] && ok || bad "terminal not restored after SIGTERM"
	for term in xterm screen vt100; do
		start "t$term" t.ferry alice "$term"
		# the title bar may be on screen before the rest of the frame (vt100 under valgrind)
		wait_for "t$term" "entities (" && ok || bad "TERM=$term"   # alice is back at pair 2, where she left off
		$TMUX_CMD send-keys -t "t$term" q
	done
	NO_COLOR=1 $TMUX_CMD new-session -d -s nc -x 100 -y 30 "env NO_COLOR=1 $FERRY review t.ferry --mono; sleep 30"
	wait_for nc "entities (3)" && ok || bad "NO_COLOR / --mono"
else
	echo "ui: tmux not found, terminal tests skipped"
fi

}

# --- the second part: its own projects of the samples ---------------------------------
part2() {
project de.ferry en-de
project ar.ferry en-ar

# --- issue 12: layout ---------------------------------------------------------------
# long sentences wrap into their panes and scroll to the cursor (defect 2), right-to-left
# spans and keys (4), alignment views with words, scrolled (5), alternatives with their
# positions, all nine on screen (6, 7), hints and help fitted (friction 5), messages (8),
# one-way links (9), locale and unmatched hints (10)
E=$top/tests/ui/europarl
rm -f ep.ferry ep.ferry-wal ep.ferry-shm
$FERRY import ep.ferry -q --src "$E/src.conll" --tgt "$E/tgt.txt" --align "$E/fwd.align" --align-rev "$E/rev.align" &&
	$FERRY match ep.ferry -q
ls63=$(printf 'l%.0s' $(seq 63))
ls32=$(printf 'l%.0s' $(seq 32))
for size in 80x24 60x20; do
	P=ep.ferry case_ "i12-long-$size" $size ""      # scripted and in tmux
	# every entity's brackets close on screen, and the hints keep ? help
	[ "$(grep -o '\[ORG Kommission\]' s.txt | wc -l)" -ge 1 ] && ok || bad "long pair $size: no closed span"
	tail -1 s.txt | grep -q '? help$' && ok || bad "long pair $size: hint line lost ? help: $(tail -1 s.txt)"
	# all nine alternatives that 1-9 pick are on screen
	grep -q '  9 der \.\.\. Ände.* @9-12 0.37' s.txt && ok || bad "long pair $size: alternative 9 not shown"
	# the cursor on the last target token: the pane scrolled to it, the source followed its links
	P=ep.ferry case_ "i12-long-end-$size" $size "$ls63"
	grep -q 'diskutieren \.$' s.txt && ok || bad "long pair $size: the end of the target is not shown"
	grep -q 'question \.' s.txt && ok || bad "long pair $size: the source did not follow the cursor"
done
# the same words twice: alternatives and projections say where; the one under the cursor is marked
keys ep.ferry 80x24 "]]0$ls32" >s.txt; golden i12-duplicates.screen s.txt
grep -q '  1 Sri Lanka @14-15 0.40 >2 Sri Lanka @33-34 0.40' s.txt && ok || bad "duplicate alternatives: $(grep alternatives s.txt)"
grep -q 'Sri Lanka -> Sri Lanka @33-34' s.txt && ok || bad "repeated projection without its position"
# the alignment views on a long pair: words, scrolled to the third entity (source token 24)
keys ep.ferry 80x30 "]jjm" >s.txt; golden i12-links-long.screen s.txt
grep -q ' 24 Commission *-> 27 Kommission' s.txt && ok || bad "links view: not scrolled to the entity, or no words"
keys ep.ferry 80x30 "]jjmm" >s.txt; golden i12-matrix-long.screen s.txt
grep -q '^Commission  *\.*#' s.txt && ! grep -q '^Given  *[.#+]' s.txt && ok || bad "matrix: not scrolled to the entity"
grep -q '^  *DdKddV,FdP' s.txt && ok || bad "matrix: no target words down the column heads"
grep -q 'alignment view: matrix' s.txt && ok || bad "m does not say which view is shown"
# one-way links told apart (links=both): + in both views, and the legend says so
keys de.ferry 100x30 ":12<Enter>m" >s.txt
grep -q '  6 Bayern  *-> +8 FC 9 Bayern' s.txt && ok || bad "links view: one-way link not marked"
grep -q '+ one direction only (weight 0.25)' s.txt && ok || bad "links view: no legend for one-way links"
keys de.ferry 100x30 ":12<Enter>mm" >s.txt
grep -q '^Bayern  *\.*+#' s.txt && ok || bad "matrix: one-way link not marked"
# right to left: brackets outward, the label at the span's start (its right), keys as on screen
P=ar.ferry case_ i12-arabic-80x24 80x24 "]"
grep -q '\[ةيبرعلا لودلا ةعماج ORG\]' s.txt && ok || bad "rtl span not drawn outward with its label first"
keys ar.ferry 80x24 "]0hh+" >s.txt
grep -q 'EDIT tokens 3-3' s.txt && ok || bad "rtl: h does not move left on screen: $(tail -1 s.txt)"
keys ar.ferry 80x24 "]0hhhl+" >s.txt
grep -q "EDIT tokens 3-3" s.txt && ok || bad "rtl: l does not move right on screen: $(tail -1 s.txt)"
keys ar.ferry 80x24 "]eh" >s.txt
grep -q 'EDIT tokens 3-4' s.txt && ok || bad "rtl: the span editor's h does not move the start left on screen: $(tail -1 s.txt)"
# hints fit the width with ? help last; the help wraps its own text
keys de.ferry 80x24 "" >s.txt
tail -1 s.txt | grep -q '? help$' && ok || bad "80 columns: hint line lost ? help"
keys de.ferry 60x20 "]je" >s.txt
tail -1 s.txt | grep -q '^EDIT [0-9]*-[0-9]*: .*Esc cancels$' && ok || bad "60 columns: the span editor's line is cut: $(tail -1 s.txt)"
keys de.ferry 80x24 "?" >s.txt; golden i12-help-80x24.screen s.txt
grep -q '^  *right-to-left text: on to the next word)$' s.txt && ok || bad "help text cut instead of wrapped"
# messages: what undo undid, what redo redid
project m12.ferry en-de
keys m12.ferry 80x24 "]au" >s.txt
grep -q 'undone: accept of pair 2 (now pending)' s.txt && ok || bad "undo message: $(tail -2 s.txt | head -1)"
keys m12.ferry 80x24 "<C-r>" >s.txt
grep -q 'redone: accept of pair 2 (now accepted)' s.txt && ok || bad "redo message: $(tail -2 s.txt | head -1)"
# LANG=C: said once; a project never matched says so
LC_ALL=C keys de.ferry 80x24 "" >s.txt
grep -q 'no UTF-8 locale' s.txt && ok || bad "LANG=C not said"
rm -f nm.ferry nm.ferry-wal nm.ferry-shm
$FERRY import nm.ferry -q --src "$S/en-de/src.conll" --tgt "$S/en-de/tgt.txt" --align "$S/en-de/fwd.align"
keys nm.ferry 80x24 "" >s.txt
grep -q 'not matched yet: press r or run ferry match' s.txt && ok || bad "unmatched project: $(sed -n 7p s.txt)"
grep -q '(none)' s.txt && bad "unmatched project still says (none)" || ok

}

# --- the third part: its own projects --------------------------------------------------
part3() {

# --- issue 12: edits ---------------------------------------------------------------
# Every edit on a stale screen is refused and says so (defect 1): bob's
# session shows pair 2 (tmux), alice re-runs the matcher on it (scripted,
# a new version with the same state), then bob's keys must end in the
# refusal message with nothing written: status, version, pins and log as
# they were.  A search for a word no pair has marks where each case starts.
if [ $have_tmux = 1 ]; then
	project stale.ferry en-de
	pair_row() {   # pair_row PAIR: what an edit of the pair would write
		"$SQLEXEC" stale.ferry "SELECT status, coalesce((SELECT version FROM pair_version WHERE pair = $1), 0), (SELECT count(*) FROM log), (SELECT group_concat(kind
			|| ' ' || coalesce(start, '') || '-' || coalesce(stop, '') || ' ' || coalesce(label, ''), ';')
			FROM pin WHERE pair = $1) FROM pair WHERE id = $1"
	}
	n_stale=0
	mark() {       # mark: bob has done every key sent so far
		n_stale=$((n_stale + 1))
		tmux_keys sb "/zqx$n_stale<Enter>"
		wait_for sb "/zqx$n_stale: not found" || bad "stale case $n_stale: bob's session did not answer"
	}
	stale() {      # stale NAME KEYS: bob's KEYS on pair 2 after alice changed it
		mark
		USER_AS=alice keys stale.ferry 100x30 ":2<Enter>r" >/dev/null
		before=$(pair_row 2)
		tmux_keys sb "$2"
		if wait_for sb "pair 2 was changed by someone else: reloaded, nothing lost"; then ok
		else bad "stale $1: the refusal was not reported"; $TMUX_CMD capture-pane -p -t sb | tail -3; fi
		[ "$(pair_row 2)" = "$before" ] && ok || bad "stale $1: written although refused: $before -> $(pair_row 2)"
		$TMUX_CMD capture-pane -p -t sb | grep -q "(#2 " && ok || bad "stale $1: bob left pair 2"
	}
	start sb stale.ferry bob
	tmux_keys sb "]"
	wait_for sb "pair 2/40" || bad "stale: bob on pair 2"
	stale a "a"
	stale x "x"
	stale 1-9 "2"
	stale t "tm"
	stale e "eH<Enter>"
	stale ! "!"
	stale r "r"
	stale d "d"
	stale + "+<Enter>:EVT<Enter>y"
	stale :flag ":flag<Enter>"
	stale :skip ":skip<Enter>"
	stale :reject ":reject<Enter>"
	stale :pending ":pending<Enter>"
	# d on a span bob added himself (saved: his screen was fresh)
	mark
	tmux_keys sb "0+<Enter>:EVT<Enter>y"
	wait_for sb "added EVT on tokens 1-1" && ok || bad "stale: bob's own add"
	stale "d on an added span" "d"
	$TMUX_CMD send-keys -t sb q
fi

# A reviewed pair keeps what it showed when the project is matched again
# with other settings (defect 3): pair 10 fixed on one entity of three,
# pair 9 accepted with an entity that has no projection, pair 22
# accepted; each re-match below changes one of them while pending
project fixed.ferry en-de
keys fixed.ferry 100x30 ":10<Enter>2" >/dev/null
keys fixed.ferry 100x30 ":9<Enter>a" >/dev/null
keys fixed.ferry 100x30 ":22<Enter>a" >/dev/null
$FERRY export fixed.ferry --format jsonl >fixed-before.jsonl
project fresh.ferry en-de
$FERRY export fresh.ferry --format jsonl >fresh-before.jsonl
for settings in "--method heuristic" "--min-score 0.2"; do
	# shellcheck disable=SC2086
	$FERRY match fixed.ferry -q $settings && $FERRY match fresh.ferry -q $settings
	$FERRY export fixed.ferry --format jsonl >fixed-after.jsonl
	$FERRY export fresh.ferry --format jsonl >fresh-after.jsonl
	for n in 9 10 22; do
		if [ "$(sed -n ${n}p fixed-before.jsonl)" = "$(sed -n ${n}p fixed-after.jsonl)" ]; then ok
		else bad "reviewed pair $n changed when matched again ($settings): $(sed -n ${n}p fixed-after.jsonl | cut -c1-200)"; fi
	done
	# the same settings do change pending pairs (else the test proves nothing)
	cmp -s fresh-before.jsonl fresh-after.jsonl && bad "$settings changes no pending pair" || ok
	cp fresh-after.jsonl fresh-before.jsonl
done
[ "$(status_of fixed.ferry 10)/$(status_of fixed.ferry 9)/$(status_of fixed.ferry 22)" = fixed/accepted/accepted ] &&
	ok || bad "reviewed pairs' statuses"

# a accepts and goes on to the next pending pair of the list, in the
# filter and order in force (friction 4); config accept-advances off keeps it
project adv.ferry en-de
keys adv.ferry 100x30 ":3<Enter>a" >s.txt
grep -q "pair 3 accepted; next pending: pair 4" s.txt && grep -q "(#4 pending)" s.txt && ok ||
	bad "a did not go on to pair 4: $(tail -2 s.txt | head -1)"
keys adv.ferry 100x30 ":2<Enter>a" >s.txt
grep -q "pair 2 accepted; next pending: pair 4" s.txt && ok || bad "a did not pass over reviewed pair 3"
second=$(keys adv.ferry 100x30 "fpending<Enter>o]" | sed -n 's/.*(#\([0-9]*\) pending).*/\1/p')
keys adv.ferry 100x30 "fpending<Enter>oa" >s.txt
grep -q "accepted; next pending: pair $second\$" s.txt && ok ||
	bad "a in the least-margin order did not go to pair $second: $(tail -2 s.txt | head -1)"
mkdir -p advcfg/ferry
printf 'accept-advances off\n' >advcfg/ferry/config
XDG_CONFIG_HOME=$work/advcfg keys adv.ferry 100x30 ":5<Enter>a" >s.txt
grep -q "^pair 5 accepted *\$" s.txt && grep -q "(#5 accepted)" s.txt && ok || bad "accept-advances off: $(tail -2 s.txt | head -1)"

# A span the reviewer made scores what the matcher gives that span, not
# a made-up 1.00 (defect 9): "Die" for the European Central Bank is no
# candidate (it scores 0), its margin is against the best candidate
project score.ferry en-de
keys score.ferry 100x30 "]ehHH<Enter>" >s.txt
golden hand-span.screen s.txt
grep -q "European Central Bank -> Die  0.00 -0.99 \*" s.txt && ok || bad "hand-made span: $(sed -n 7p s.txt)"

# :flag TEXT gives a flag its reason (friction 12): shown on the pair,
# kept by what leaves it flagged, replaced by a new one, gone with
# another status, back with undo; in ferry log (text and JSON) and in
# export --format jsonl as "comment"; the CoNLL export is as it was
project flag.ferry en-de
$FERRY export flag.ferry >flag-before.conll
keys flag.ferry 100x30 ":3<Enter>:flag the date is wrong, ask Anna<Enter>" >s.txt
golden flag.screen s.txt
reason="the date is wrong, ask Anna"
keys flag.ferry 100x30 ":3<Enter>r" >s.txt
grep -qF "(#3 flagged: $reason)" s.txt && ok || bad "r dropped the reason: $(head -1 s.txt)"
keys flag.ferry 100x30 ":3<Enter>:flag<Enter>" >s.txt
grep -qF "pair 3 flagged: $reason" s.txt && ok || bad ":flag alone dropped the reason: $(tail -2 s.txt | head -1)"
$FERRY log flag.ferry | grep -qF "\"comment\":\"$reason\"}" && ok || bad "ferry log has no reason"
$FERRY log flag.ferry --json | grep -qF "\"comment\":\"$reason\"}" && ok || bad "ferry log --json has no reason"
$FERRY export flag.ferry --format jsonl >flag.jsonl
sed -n 3p flag.jsonl | grep -qF "], \"comment\": \"$reason\"}" && ok || bad "export jsonl: $(sed -n 3p flag.jsonl | tail -c 80)"
[ "$(grep -c comment flag.jsonl)" = 1 ] && ok || bad "export jsonl: a reason on another pair"
$FERRY export flag.ferry >flag-after.conll
cmp -s flag-before.conll flag-after.conll && ok || bad "a flag changed the CoNLL export"
keys flag.ferry 100x30 ":3<Enter>:flag Anna says it is fine<Enter>" >s.txt
grep -qF "(#3 flagged: Anna says it is fine)" s.txt && ok || bad "a new reason: $(head -1 s.txt)"
keys flag.ferry 100x30 ":3<Enter>u" >s.txt
grep -qF "(#3 flagged: $reason)" s.txt && ok || bad "undo did not bring the older reason back: $(head -1 s.txt)"
keys flag.ferry 100x30 ":3<Enter>:skip<Enter>" >s.txt
grep -qF "(#3 skipped)" s.txt && ok || bad "a skipped pair shows a reason: $(head -1 s.txt)"
$FERRY export flag.ferry --format jsonl | grep -q comment && bad "a skipped pair exports a reason" || ok

# Every edit shows the pair as it was saved, before the next key (defect
# 12): the screen after each action's keys equals, but for the message
# and key-hint rows, what a new session shows on that pair
project saved.ferry en-de
mkdir -p stay/ferry
printf 'accept-advances off\n' >stay/ferry/config
for k in "a" "x" "2" "tm" "eH<Enter>" "!" "r" "d" \
	"0+<Enter>:EVT<Enter>y" "d" ":flag why not<Enter>" ":skip<Enter>" ":reject<Enter>" \
	":pending<Enter>" "u" "<C-r>" ":accept-above 0.93<Enter>" "u"; do
	# (0 puts the token cursor, session state, in one place on both)
	XDG_CONFIG_HOME=$work/stay keys saved.ferry 100x30 ":2<Enter>${k}0" | head -28 >after.txt
	XDG_CONFIG_HOME=$work/stay keys saved.ferry 100x30 ":2<Enter>0" | head -28 >fresh.txt
	if cmp -s after.txt fresh.txt; then ok
	else bad "after '$k' the screen is not the saved pair"; diff after.txt fresh.txt | head -6; fi
done

}

# --- the second part, continued: projects of its own --------------------------------
keys_part() {
mkdir -p cfg/ferry stay/ferry
printf 'accept-advances off\n' >stay/ferry/config

# --- issue 12: keys, labels, colours, orders, the reviewer's place, scores, make run ---
# make run keeps the sample project (and the review work in it); FRESH=1 starts over
run_project() { MAKEFLAGS= make -s -C "$top" run-project RUN_FERRY="$FERRY" RUN_PROJECT="$work/run.ferry" "$@"; }
run_project >mk.txt 2>&1 && [ -f run.ferry ] && ok || bad "make run-project: $(cat mk.txt)"
keys run.ferry 100x30 "a" >/dev/null
run_project >mk.txt 2>&1; grep -q "as you left it" mk.txt && ok || bad "make run-project again: $(cat mk.txt)"
[ "$(status_of run.ferry 1)" = accepted ] && ok || bad "make run lost the review work"
run_project FRESH=1 >mk.txt 2>&1; [ "$(status_of run.ferry 1)" = pending ] && ok || bad "make run FRESH=1: $(cat mk.txt)"

# :N names a pair that does not exist, or one the filter hides (defect 11)
project k.ferry en-de
keys k.ferry 100x30 ":999<Enter>" >s.txt; golden goto-missing.screen s.txt
grep -q "no pair 999 in this project (pairs #1 to #40)" s.txt && ok || bad ":999: $(tail -2 s.txt | head -1)"
tail -2 s.txt | head -1 | grep -q "change it with f" && bad ":999 blames the filter" || ok
keys k.ferry 100x30 "flabel=MISC<Enter>:1<Enter>" >s.txt
grep -q "pair 1 is not in the list (filter label=MISC: change it with f)" s.txt && ok || bad ":1 hidden: $(tail -2 s.txt | head -1)"
keys k.ferry 100x30 ":0<Enter>" >s.txt
grep -q "no pair 0 in this project" s.txt && ok || bad ":0: $(tail -2 s.txt | head -1)"

# the token cursor: it starts on the selected entity's projection (or its
# aligned tokens), w/b jump between stops, 0/$ go to the ends; the EDIT row of
# + shows where the cursor is (friction 1)
edit_row() { keys k.ferry 100x30 "$1" | tail -1 | cut -d: -f1; }
[ "$(edit_row ']]+')" = "EDIT tokens 10-10" ] && ok || bad "cursor does not start on the projection: $(edit_row ']]+')"
# pair 1: "von" (8) is aligned to nothing, Siemens (9) and Erlangen (11) are spans
[ "$(edit_row 'w+')" = "EDIT tokens 8-8" ] && ok || bad "w: $(edit_row 'w+')"
[ "$(edit_row 'ww+')" = "EDIT tokens 9-9" ] && ok || bad "ww: $(edit_row 'ww+')"
[ "$(edit_row 'www+')" = "EDIT tokens 11-11" ] && ok || bad "www: $(edit_row 'www+')"
[ "$(edit_row 'wwww+')" = "EDIT tokens 12-12" ] && ok || bad "wwww (no stop: the last token): $(edit_row 'wwww+')"
[ "$(edit_row '$b+')" = "EDIT tokens 11-11" ] && ok || bad "\$b: $(edit_row '$b+')"
[ "$(edit_row '$0+')" = "EDIT tokens 1-1" ] && ok || bad "\$0: $(edit_row '$0+')"
[ "$(edit_row '$+')" = "EDIT tokens 12-12" ] && ok || bad "\$: $(edit_row '$+')"
cp k.ferry k2.ferry
# Erlangen without counterpart: its aligned token is a stop, and where j puts the cursor
keys k2.ferry 100x30 "jj!" >/dev/null
[ "$(keys k2.ferry 100x30 '0www+' | tail -1 | cut -d: -f1)" = "EDIT tokens 11-11" ] && ok || bad "w to an aligned token"
[ "$(keys k2.ferry 100x30 '$jj+' | tail -1 | cut -d: -f1)" = "EDIT tokens 11-11" ] && ok || bad "j to an entity without projection"
# the keys are bindable: bind still works, and the help lists them
printf 'bind W cursor-next\nunbind w\n' >cfg/ferry/config
[ "$(XDG_CONFIG_HOME=$work/cfg keys k.ferry 100x30 'W+' | tail -1 | cut -d: -f1)" = "EDIT tokens 8-8" ] && ok || bad "bind W cursor-next"
[ "$(XDG_CONFIG_HOME=$work/cfg keys k.ferry 100x30 'w+' | tail -1 | cut -d: -f1)" = "EDIT tokens 1-1" ] && ok || bad "unbind w"
rm -f cfg/ferry/config
keys k.ferry 100x40 "?" | grep -q "^w  *cursor-next  *cursor to the next span, entity-aligned or unaligned word" && ok || bad "help lacks w"

# the orders rank the pending pairs with entities; the rest (no entities,
# already reviewed) follow in corpus order (friction 2)
cp k.ferry ord.ferry
keys ord.ferry 100x30 ":25<Enter>a" >/dev/null
keys ord.ferry 100x30 "o" >s.txt; golden order-margin-pending.screen s.txt
head -1 s.txt | grep -q "pair 1/40 (#22 pending)" && ok || bad "least margin first: $(head -1 s.txt)"
keys ord.ferry 100x30 "oo" | head -1 | grep -q "pair 1/40 (#27 pending)" && ok || bad "least score first"
keys ord.ferry 100x30 "oG" | head -1 | grep -q "pair 40/40 (#39 pending)" && ok || bad "least margin last"
keys ord.ferry 100x30 "oG[[" | head -1 | grep -q "(#25 accepted)" && ok || bad "accepted pair among the rest"

# labels come from the project's tag set: a picker with one key per label
# (t + key relabels), a new label only once confirmed (defect 8, friction 3)
cp k.ferry lab.ferry
keys lab.ferry 80x24 "t" >s.txt; golden label-picker.screen s.txt
keys lab.ferry 100x30 "to" >s.txt
grep -q "entity 1 -> tokens 1-2 ORG" s.txt && grep -q "\[ORG Anna Becker\]\*" s.txt && ok || bad "t o: $(tail -2 s.txt | head -1)"
keys lab.ferry 100x30 "t:misc<Enter>" | grep -q "entity 1 -> tokens 1-2 MISC" && ok || bad "t : misc (a tag in other case)"
keys lab.ferry 100x30 "tz" | grep -q "no label on z" && ok || bad "t z"
# the old way in: + then a made-up label is asked about, and not taken without y
keys lab.ferry 100x30 "]]0ll+L<Enter>:person<Enter>" >s.txt; golden label-new-asks.screen s.txt
grep -q "person is not a label of this project: y adds it" s.txt && ok || bad "person not asked about"
keys lab.ferry 100x30 "]]0ll+L<Enter>:person<Enter>n" | grep -q "new label person not added" && ok || bad "person: n"
[ "$("$SQLEXEC" lab.ferry "SELECT count(*) FROM pin WHERE label = 'person'")" = 0 ] && ok || bad "person was saved"
keys lab.ferry 100x30 "]]0ll+L<Enter>:person<Enter>y" | grep -q "added person on tokens 3-4" && ok || bad "person: y"
# a confirmed label is one of the project's from then on
keys lab.ferry 100x30 "t" | grep -q "^  .  person" && ok || bad "the new label is not in the picker"
# a span edit and a relabel are one edit, undone in one step
before=$("$SQLEXEC" lab.ferry "SELECT count(*) FROM log")
keys lab.ferry 100x30 ":4<Enter>eLtl" | grep -q "entity 1 -> tokens 1-3 LOC" && ok || bad "e L t l"
[ "$("$SQLEXEC" lab.ferry "SELECT count(*) FROM log")" = $((before + 1)) ] && ok || bad "e L t l took more than one log entry"
keys lab.ferry 100x30 "u" | grep -q "\[PER Jonas Weiß\] ," && ok || bad "one u does not undo the edit and relabel"
# Esc in the picker goes back to the span editor
keys lab.ferry 100x30 "eLt<Escape>" | tail -1 | grep -q "^EDIT tokens 1-3" && ok || bad "Esc from the picker"

# 8 colours (TERM=screen): each type its own colour, the selection in
# reverse video rather than on black (defect 10); the mapping itself is
# checked in check_ui.c (themes_on_8_colours)
if [ $have_tmux = 1 ]; then
	esc=$(printf '\033')
	project c8.ferry en-de
	$TMUX_CMD new-session -d -s c8 -x 100 -y 30 "env TERM=screen FERRY_USER=alice $FERRY review c8.ferry; sleep 30"
	wait_for c8 "entities (3)" || bad "TERM=screen session"
	$TMUX_CMD send-keys -t c8 j
	wait_for c8 "> 2 ORG" || bad "TERM=screen: j"
	settled c8 >/dev/null
	$TMUX_CMD capture-pane -e -p -t c8 >cap.txt
	# the SGR sequence right before "[LABEL " (the first: in the source pane)
	sgr() { grep -o "$esc\[[0-9;]*m\[$1 " cap.txt | head -1; }
	per=$(sgr PER) loc=$(sgr LOC) org=$(grep -o "$esc\[[0-9;]*m> 2 ORG" cap.txt | head -1)
	[ -n "$per" ] && [ -n "$loc" ] && [ "$per" != "$loc" ] && ok ||
		bad "TERM=screen: PER and LOC drawn alike ($(printf '%s %s' "$per" "$loc" | cat -v))"
	case $org in *7m">"*) ok ;; *) bad "TERM=screen: the selected entity is not in reverse video: $(printf '%s' "$org" | cat -v)" ;; esac
	grep -q "${esc}\[40m" cap.txt && bad "TERM=screen: a black background" || ok
	$TMUX_CMD kill-session -t c8
fi

# scores on a 0-1 scale that means the same whatever the weights: the
# weighted sum over the weights' total (friction 7)
cp k.ferry sc.ferry
keys sc.ferry 100x30 "" >s.txt; golden score-scale.screen s.txt
grep -q "Anna Becker -> Anna Becker  1.00 +0.24" s.txt && ok || bad "score scale: $(sed -n 7p s.txt)"
sed -n '/^entities/,/^alternatives/p' s.txt | grep -Eq " (1\.[0-9][1-9]|[2-9]\.[0-9][0-9]) " && bad "a score above 1" || ok
score_table() { "$SQLEXEC" "$1" "SELECT pair, start, stop, printf('%.6f %.6f', score, margin) FROM projection ORDER BY 1, 2"; }
score_table sc.ferry >w1.txt
$FERRY match sc.ferry -q --weights align=2,surface=1 --min-score 1
score_table sc.ferry >w2.txt
cmp -s w1.txt w2.txt && ok || bad "doubled weights changed the scores: $(diff w1.txt w2.txt | head -3)"
$FERRY match sc.ferry -q --weights align=1,surface=0.5,ner=0.5
[ "$("$SQLEXEC" sc.ferry "SELECT count(*) FROM projection WHERE score > 1 OR score < 0")" = 0 ] && ok || bad "ner scores off the scale"
$FERRY match sc.ferry -q
# :accept-above takes the same scale: 0.9 is 90% of the most a candidate can score
keys sc.ferry 100x30 ":accept-above 0.9<Enter>" | grep -q "accepted 21 pairs scoring 0.9 or more" && ok || bad ":accept-above 0.9"
[ "$(status_of sc.ferry 32)" = pending ] && ok || bad ":accept-above 0.9 took pair 32 (1.06 of 1.5)"
keys sc.ferry 100x30 ":accept-above 1.4<Enter>" | grep -q "accept-above: scores and precisions are from 0 to 1" && ok || bad ":accept-above 1.4 is off the scale"
keys sc.ferry 100x30 "fscore<lt>1.4<Enter>" | grep -q "filter: scores are from 0 to 1" && ok || bad "score<1.4 is off the scale"

# a reviewer reopens where they left off: pair, filter and order, per
# reviewer (FERRY_USER); scripts leave the place alone unless --resume (friction 6)
resume() { printf '%s' "$3" >keys.txt; FERRY_USER=$2 $FERRY review "$1" --keys keys.txt --dump-screen --resume; }
cp k.ferry pl.ferry
resume pl.ferry alice "fpending<Enter>o]]" | head -1 >s1.txt
resume pl.ferry alice "" >s.txt; golden place-back.screen s.txt
head -1 s.txt | cmp -s - s1.txt && ok || bad "not back at the same pair: $(head -1 s.txt)"
grep -q "back where alice left off: pair 11 (filter pending, order least margin)" s.txt && ok || bad "back-where message"
resume pl.ferry bob "" | head -1 | grep -q "pair 1/40 (#1 pending).*filter all  order corpus" && ok || bad "bob got alice's place"
keys pl.ferry 100x30 "]]]]" | head -1 | grep -q "pair 5/40" && ok || bad "a script without --resume"
resume pl.ferry alice "" | head -1 | cmp -s - s1.txt && ok || bad "a script without --resume moved alice's place"
[ "$("$SQLEXEC" pl.ferry "SELECT value FROM meta WHERE key = 'place:alice'")" = "pair=11 order=margin status=pending" ] && ok ||
	bad "place row: $("$SQLEXEC" pl.ferry "SELECT value FROM meta WHERE key = 'place:alice'")"
$FERRY stats pl.ferry | grep -q "place" && bad "ferry stats lists reviewers' places" || ok
"$SQLEXEC" pl.ferry "UPDATE meta SET value = 'pair=7 order=sideways' WHERE key = 'place:alice'"
resume pl.ferry alice "" >s.txt
grep -q "your place from the last session cannot be read: starting at the first pair" s.txt && head -1 s.txt | grep -q "pair 1/40" &&
	ok || bad "an unreadable place: $(tail -2 s.txt | head -1)"
# the place of a pair no longer listed (accepted under filter pending): the next one
XDG_CONFIG_HOME=$work/stay resume pl.ferry alice "fpending<Enter>]]a" >/dev/null
resume pl.ferry alice "" | grep -q "back where alice left off: pair 3 is no longer listed, here is the next" && ok || bad "place no longer listed"
# in a terminal: quit, reopen, same place
if [ $have_tmux = 1 ]; then
	cp k.ferry plt.ferry
	start pl1 plt.ferry carol
	$TMUX_CMD send-keys -t pl1 "]]]" q
	wait_for pl1 "EXIT=0" || bad "tmux place: quit"
	start pl2 plt.ferry carol
	wait_for pl2 "back where carol left off: pair 4" && ok || bad "tmux place: not back at pair 4"
	$TMUX_CMD send-keys -t pl2 q
fi

}

case $UI_PART in
1) part1 ;;
2) part2; keys_part ;;
3) part3 ;;
*) echo "ui: UI_PART is 1, 2 or 3, not $UI_PART"; exit 64 ;;
esac
replays_done
echo "ui: $pass passed, $fail failed"
[ "$fail" = 0 ]
