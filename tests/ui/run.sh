#!/bin/sh
# UI tests: the scripted mode (--keys, --dump-screen) against golden
# screens, and the real binary driven in tmux (detached session at a
# fixed size, send-keys, capture-pane), then the project file checked.
# UPDATE=1 rewrites the golden screens.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
FERRY=${FERRY:-$top/ferry}
exp=$here/expected
S=$top/sample-corpora
work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-ui-XXXXXX")
sock=ferry-test-$$
TMUX_CMD="tmux -L $sock -f /dev/null"
trap '$TMUX_CMD kill-server 2>/dev/null; rm -rf "$work"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
cd "$work" || exit 70

golden() {   # golden NAME FILE
	[ "${UPDATE:-0}" = 1 ] && cp "$2" "$exp/$1"
	if cmp -s "$2" "$exp/$1"; then ok; else bad "$1 differs from its golden screen"; diff "$exp/$1" "$2" | head -20; fi
}
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
	python3 -c "import sqlite3,sys; print(['pending','accepted','fixed','rejected','flagged','skipped'][sqlite3.connect(sys.argv[1]).execute('select status from pair where id=?',(int(sys.argv[2]),)).fetchone()[0]])" "$1" "$2" 2>/dev/null ||
	sqlite3 "$1" "select status from pair where id=$2"
}

# --- scripted mode: every action, golden screens -----------------------------------
project de.ferry en-de
keys de.ferry 100x30 "" >s.txt;                       golden start.screen s.txt
keys de.ferry 100x30 "a" >s.txt;                      golden accept.screen s.txt
[ "$(status_of de.ferry 1)" = accepted ] && ok || bad "accept did not set the status"
keys de.ferry 100x30 "u" >s.txt;                      golden undo-accept.screen s.txt
[ "$(status_of de.ferry 1)" = pending ] && ok || bad "undo across a restart"
keys de.ferry 100x30 "<C-r>" >s.txt;                  golden redo-accept.screen s.txt
[ "$(status_of de.ferry 1)" = accepted ] && ok || bad "redo across a restart"
keys de.ferry 100x30 "]jjeH<Enter>" >s.txt;           golden boundary-fix.screen s.txt
keys de.ferry 100x30 "]jt<BSpace><BSpace><BSpace>MISC<Enter>" >s.txt; golden label-change.screen s.txt
keys de.ferry 100x30 "]]ll+L<Enter><BSpace><BSpace><BSpace>EVT<Enter>" >s.txt; golden add.screen s.txt
keys de.ferry 100x30 "]]]d" >s.txt;                   golden delete.screen s.txt
keys de.ferry 100x30 "]]]]j!" >s.txt;                 golden no-counterpart.screen s.txt
keys de.ferry 100x30 "]]]]]jx" >s.txt;                golden reject.screen s.txt
keys de.ferry 100x30 "]]]]]]j2" >s.txt;               golden choose.screen s.txt
keys de.ferry 100x30 "/Siemens<Enter>n" >s.txt;       golden search.screen s.txt
keys de.ferry 100x30 "fpending<Enter>" >s.txt;        golden filter.screen s.txt
keys de.ferry 100x30 "flabel=MISC<Enter>" >s.txt;     golden filter-label.screen s.txt
keys de.ferry 100x30 "o" >s.txt;                      golden order-margin.screen s.txt
keys de.ferry 100x30 "oo" >s.txt;                     golden order-score.screen s.txt
keys de.ferry 100x30 ":12<Enter>m" >s.txt;            golden goto-links.screen s.txt
keys de.ferry 100x30 ":12<Enter>mm" >s.txt;           golden matrix.screen s.txt
keys de.ferry 100x40 "?" >s.txt;                      golden help.screen s.txt
keys de.ferry 100x30 ":accept-above 1.4<Enter>" >s.txt; golden bulk-accept.screen s.txt
$FERRY stats de.ferry --json | grep -o '"accepted":[0-9]*' >bulk.txt; golden bulk-accepted-count.txt bulk.txt
keys de.ferry 100x30 "u" >s.txt;                      golden bulk-undo.screen s.txt
$FERRY stats de.ferry --json | grep -o '"accepted":[0-9]*' >bulk.txt; golden bulk-undone-count.txt bulk.txt
keys de.ferry 100x30 ":frobnicate<Enter>" >s.txt;     golden bad-command.screen s.txt
keys de.ferry 80x24 "" >s.txt;                        golden size-80x24.screen s.txt
keys de.ferry 40x12 "" >s.txt;                        golden size-40x12.screen s.txt
keys de.ferry 39x11 "" >s.txt;                        golden too-small.screen s.txt
$FERRY log de.ferry | cut -f3- | sed 's/^[^\t]*\t//' >log.txt; golden actions.log log.txt

# --- Unicode: Arabic (right to left), Chinese (wide), controls in tokens ------------
project ar.ferry en-ar
keys ar.ferry 100x20 "]" >s.txt;                      golden arabic.screen s.txt
project zh.ferry en-zh
keys zh.ferry 100x20 "]" >s.txt;                      golden chinese.screen s.txt
printf 'Evil\tB-PER\nCorp\tI-PER\n' >esc.conll
printf 'Evil\033[31mCorp \342\200\256gnidaer\n' >esc.txt
printf '0-0 1-0\n' >esc.align
$FERRY import esc.ferry -q --src esc.conll --tgt esc.txt --align esc.align && $FERRY match esc.ferry -q
keys esc.ferry 60x12 "" >s.txt;                       golden escapes.screen s.txt
grep -q "$(printf '\033')" s.txt && bad "an escape sequence reached the screen" || ok

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

# --- the real terminal, in tmux ----------------------------------------------------------
if command -v tmux >/dev/null; then
	wait_for() {   # wait_for SESSION TEXT
		i=0
		while [ $i -lt 100 ]; do
			$TMUX_CMD capture-pane -p -t "$1" 2>/dev/null | grep -qF -- "$2" && return 0
			sleep 0.05; i=$((i + 1))
		done
		return 1
	}
	start() {      # start SESSION PROJECT [USER] [TERM]
		$TMUX_CMD new-session -d -s "$1" -x 100 -y 30 \
			"env TERM=${4:-xterm-256color} FERRY_USER=${3:-alice} $FERRY review $2; echo EXIT=\$?; sleep 30"
		wait_for "$1" "ferry  $2"
	}
	project t.ferry en-de
	start s1 t.ferry
	$TMUX_CMD capture-pane -p -t s1 >tm.txt
	keys t.ferry 100x30 "" >dump.txt
	if cmp -s tm.txt dump.txt; then ok; else bad "tmux screen differs from --dump-screen"; diff tm.txt dump.txt | head; fi
	$TMUX_CMD send-keys -t s1 a
	wait_for s1 "pair 1 accepted" && ok || bad "accept in tmux"
	[ "$(status_of t.ferry 1)" = accepted ] && ok || bad "accept in tmux not stored"
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
	wait_for s1 "has no counterpart" && ok || bad "alice's edit"
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
	pkill -TERM -P "$pid" -x ferry 2>/dev/null || pkill -TERM -f "ferry review t.ferry"
	wait_for s3 "EXIT=0" && ok || bad "SIGTERM"
	[ "$($TMUX_CMD display -p -t s3 '#{alternate_on}')" = 0 ] && ok || bad "terminal not restored after SIGTERM"
	for term in xterm screen vt100; do
		start "t$term" t.ferry alice "$term"
		$TMUX_CMD capture-pane -p -t "t$term" | grep -q "entities (3)" && ok || bad "TERM=$term"
		$TMUX_CMD send-keys -t "t$term" q
	done
	NO_COLOR=1 $TMUX_CMD new-session -d -s nc -x 100 -y 30 "env NO_COLOR=1 $FERRY review t.ferry --mono; sleep 30"
	wait_for nc "entities (3)" && ok || bad "NO_COLOR / --mono"
	# CJK in the real terminal equals the dump
	$TMUX_CMD new-session -d -s zh -x 100 -y 20 "env TERM=xterm-256color $FERRY review zh.ferry; sleep 30"
	wait_for zh "ferry  zh.ferry"
	$TMUX_CMD send-keys -t zh ']'
	wait_for zh "pair 2/25"
	$TMUX_CMD capture-pane -p -t zh >tm.txt
	if cmp -s tm.txt "$exp/chinese.screen"; then ok; else bad "tmux CJK screen differs"; diff "$exp/chinese.screen" tm.txt | head; fi
else
	echo "ui: tmux not found, terminal tests skipped"
fi

echo "ui: $pass passed, $fail failed"
[ "$fail" = 0 ]
