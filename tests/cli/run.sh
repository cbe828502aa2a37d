#!/bin/sh
# CLI tests: drive the real binary on the sample corpora and compare with
# golden files in tests/cli/expected.  FERRY names the binary (a wrapper
# such as valgrind may precede it).  UPDATE=1 rewrites the golden files.
set -u
suite=cli
. "$(dirname "$0")/../lib.sh"

# t_code NAME WANT CMD...: the command exits with WANT
t_code() {
	name=$1 want=$2; shift 2
	"$@" >"$work/out" 2>"$work/err"; got=$?
	if [ "$got" = "$want" ]; then ok; else bad "$name: exit $got, want $want"; cat "$work/err"; fi
}


# t_err NAME MSG: the last command's stderr is MSG
t_err() {
	if [ "$(cat "$work/err")" = "$2" ]; then ok; else bad "$1: got '$(cat "$work/err")'"; fi
}

# t_same NAME A B: two files are byte for byte equal
t_same() {
	if cmp -s "$2" "$3"; then ok; else bad "$1: $2 and $3 differ"; diff "$2" "$3" | head -10; fi
}

S=$top/sample-corpora
import_sample() {   # import_sample PROJECT CORPUS [extra options]
	p=$1 c=$2; shift 2
	$FERRY import "$p" --src "$S/$c/src.conll" --tgt "$S/$c/tgt.txt" \
		--align "$S/$c/fwd.align" --align-rev "$S/$c/rev.align" \
		--bt "$S/$c/bt.txt" --align-src-bt "$S/$c/src-bt.align" --align-bt-tgt "$S/$c/bt-tgt.align" \
		--tgt-gold "$S/$c/tgt-gold.conll" --tgt-ner "$S/$c/tgt-ner.conll" -q "$@"
}

cd "$work" || exit 70

# --- every sample corpus imports and round-trips byte for byte --------------
for c in en-de en-sw en-ar en-zh; do
	t_code "import $c" 0 import_sample "$c.ferry" "$c" --src-lang en --tgt-lang "${c#en-}"
	$FERRY export "$c.ferry" --side source >"$c.src.conll"
	t_same "$c source round trip" "$S/$c/src.conll" "$c.src.conll"
	$FERRY export "$c.ferry" --what gold >"$c.gold.conll"
	t_same "$c gold round trip" "$S/$c/tgt-gold.conll" "$c.gold.conll"
done

# --- a corpus of many export batches round-trips in order ---------------------
mkdir gen && "$GEN" 1300 5 gen >/dev/null || exit 1
$FERRY import gen.ferry -q --src gen/src.conll --tgt gen/tgt.txt --align gen/fwd.align --tgt-gold gen/gold.conll
$FERRY export gen.ferry --side source -o gen.src.conll
t_same "1300 pairs: source round trip" gen/src.conll gen.src.conll
$FERRY export gen.ferry --what gold -o gen.gold.conll
t_same "1300 pairs: gold round trip" gen/gold.conll gen.gold.conll
# gold that was never imported: a data error, and no output file
$FERRY import nogold.ferry -q --src gen/src.conll --tgt gen/tgt.txt --align gen/fwd.align
t_code "export --what gold without gold" 65 $FERRY export nogold.ferry --what gold -o nogold.conll
t_err "export --what gold without gold: message" \
	"ferry: pair 1 has no gold target labels (import them with --tgt-gold, or export --what projections)"
[ -z "$(ls -A | grep 'nogold\.conll')" ] && ok || bad "a refused export left $(ls -A | grep 'nogold\.conll')"

# --- match and eval on the sample corpora (golden) ---------------------------
for c in en-de en-zh; do
	import_sample "m-$c.ferry" "$c"
	for m in greedy ilp heuristic; do
		t_code "match $m $c" 0 $FERRY match "m-$c.ferry" -q --method "$m"
		$FERRY export "m-$c.ferry" >"m-$c.$m.conll"
		golden "match-$c.$m.conll" "m-$c.$m.conll"
	done
	$FERRY match "m-$c.ferry" -q
	$FERRY eval "m-$c.ferry" >"eval-$c.txt"
	golden "eval-$c.txt" "eval-$c.txt"
	$FERRY eval "m-$c.ferry" --gold "$S/$c/tgt-gold.conll" --strict >"eval-$c.strict.txt"
	t_same "eval --gold FILE --strict equals the imported gold ($c)" "eval-$c.txt" "eval-$c.strict.txt"
done
t_code "eval of a missing project" 66 $FERRY eval m-de.ferry
$FERRY eval m-en-de.ferry --json >eval.json
golden eval-en-de.json eval.json
# deterministic: the same settings give byte-identical exports
$FERRY match m-en-de.ferry -q --weights align=1,surface=1,ner=0.5 --method ilp
$FERRY export m-en-de.ferry >run1.conll
$FERRY match m-en-de.ferry -q --weights align=1,surface=1,ner=0.5 --method ilp
$FERRY export m-en-de.ferry >run2.conll
t_same "match is deterministic" run1.conll run2.conll
for m in greedy ilp heuristic; do
	$FERRY match m-en-de.ferry -q --method $m --threads 1 && $FERRY export m-en-de.ferry >th1.conll
	$FERRY match m-en-de.ferry -q --method $m --threads 3 && $FERRY export m-en-de.ferry >th3.conll
	t_same "$m gives the same projections in 1 and 3 threads" th1.conll th3.conll
done
# a selection of pairs, and the settings and log it leaves
$FERRY match m-en-de.ferry -q --pairs 2-4 --method heuristic --mode general --d 2 --k 2 --only-i --thr 0.5
$FERRY log m-en-de.ferry --json | grep -c '"action":"match"' >matches.txt
golden match-count.txt matches.txt
$FERRY log m-en-de.ferry --json | tail -2 | head -1 | sed 's/"time":"[^"]*"/"time":"TIME"/; s/"user":"[^"]*"/"user":"USER"/' >lastlog.txt
golden match-log.txt lastlog.txt
$FERRY stats m-en-de.ferry --json | sed 's/.*"settings":\({[^}]*}\).*/\1/' >settings.txt
golden match-settings.txt settings.txt
t_code "match --status pending" 0 $FERRY match m-en-de.ferry -q --status pending --bt-refine grow --links fwd
# links refined by the back-translation: it is read where it is used (and only there)
import_sample btr.ferry en-de
t_code "match --bt-refine intersect" 0 $FERRY match btr.ferry -q --bt-refine intersect --links fwd
$FERRY export btr.ferry -o btr-intersect.conll
golden match-bt-intersect.conll btr-intersect.conll
t_code "match --bt-refine none" 0 $FERRY match btr.ferry -q --bt-refine none --links fwd
$FERRY export btr.ferry -o btr-none.conll
t_code "the back-translation changes the projections" 1 cmp -s btr-intersect.conll btr-none.conll
t_code "eval --strict without --gold" 64 $FERRY eval m-en-de.ferry --strict
t_code "eval --gold of another corpus" 65 $FERRY eval m-en-de.ferry --gold "$S/en-sw/tgt-gold.conll"
t_code "empty --weights" 64 $FERRY match m-en-de.ferry --weights ""
t_code "bad --method" 64 $FERRY match m-en-de.ferry --method magic
t_code "bad --weights" 64 $FERRY match m-en-de.ferry --weights align=x
t_code "bad --pairs" 64 $FERRY match m-en-de.ferry --pairs 5-2
# NaN, infinities and huge weights are refused up front, the project untouched
$FERRY export m-en-de.ferry >nan-before.conll
$FERRY stats m-en-de.ferry --json >nan-before.json
for o in "--min-score nan" "--thr nan" "--one-way nan" "--ner-alpha NaN" "--time-limit inf" "--max-len nan" \
	"--weights align=nan" "--weights align=inf" "--weights align=1e308"; do
	# shellcheck disable=SC2086
	t_code "match $o" 64 $FERRY match m-en-de.ferry -q $o
	grep -q "is not a number from\|bad number" "$work/err" && ok || bad "match $o: $(cat "$work/err")"
done
t_code "match --min-score nan message" 64 $FERRY match m-en-de.ferry --min-score nan
[ "$(head -1 "$work/err")" = "ferry: match: --min-score 'nan' is not a number from 0 to 1e+09" ] && ok ||
	bad "--min-score nan: $(cat "$work/err")"
t_code "match --weights 1e308 message" 64 $FERRY match m-en-de.ferry --weights align=1e308
[ "$(head -1 "$work/err")" = "ferry: match: --weights: bad number '1e308' for align (expected a number from 0 to 1e+06)" ] &&
	ok || bad "--weights 1e308: $(cat "$work/err")"
$FERRY export m-en-de.ferry >nan-after.conll
$FERRY stats m-en-de.ferry --json >nan-after.json
t_same "refused options leave the projections" nan-before.conll nan-after.conll
t_same "refused options leave the settings" nan-before.json nan-after.json
# a failed write of standard output is an I/O error (74), never a silent 0
if [ -w /dev/full ]; then
	for c in "log m-en-de.ferry --json" "log m-en-de.ferry" "stats m-en-de.ferry" "stats m-en-de.ferry --json" \
		"eval m-en-de.ferry --gold $S/en-de/tgt-gold.conll" "export m-en-de.ferry" "--version" "--help"; do
		# shellcheck disable=SC2086
		$FERRY $c >/dev/full 2>"$work/err"; got=$?
		[ $got = 74 ] && grep -q "^ferry: \(cannot write standard output\|.*write error\)" "$work/err" && ok ||
			bad "ferry $c >/dev/full: exit $got, $(cat "$work/err")"
	done
fi
# a closed standard output that is never written to is no error
t_code "stats with stdout closed" 74 sh -c "exec $FERRY stats m-en-de.ferry >&-"
t_code "match -q with stdout closed" 0 sh -c "exec $FERRY match m-en-de.ferry -q >&-"
# export -o never replaces the project (by its name, a symlink or a hard
# link), follows a symlink, keeps a file's mode, and writes a device directly
cp m-en-de.ferry o.ferry
$FERRY export o.ferry >o.conll
ln -sf o.ferry o-link.ferry
ln -f o.ferry o-hard.ferry
for t in o.ferry o-link.ferry o-hard.ferry; do
	t_code "export -o $t (the project)" 73 $FERRY export o.ferry -o $t
	grep -q "^ferry: $t: is the project file (expected another output path)" "$work/err" && ok ||
		bad "export -o $t: $(cat "$work/err")"
done
$FERRY stats o.ferry >/dev/null && ok || bad "the project survives export -o onto itself"
echo old >o-target.conll
chmod 640 o-target.conll
ln -sf o-target.conll o-out.conll
t_code "export -o through a symlink" 0 $FERRY export o.ferry -o o-out.conll
[ -L o-out.conll ] && ok || bad "export -o replaced the symlink"
t_same "export -o through a symlink writes its target" o.conll o-target.conll
[ "$(stat -c %a o-target.conll)" = 640 ] && ok || bad "export -o lost the mode: $(stat -c %a o-target.conll)"
# (a FIFO stands for /dev/null and /dev/stdout: a regression must not replace those)
mkfifo o.fifo
cat o.fifo >o-fifo.conll &
catpid=$!
t_code "export -o FIFO" 0 $FERRY export o.ferry -o o.fifo
if [ -p o.fifo ]; then ok; wait $catpid; else bad "export -o replaced the FIFO with a file"; kill $catpid; fi
t_same "export -o FIFO writes into it" o.conll o-fifo.conll
t_code "bad --one-way" 64 $FERRY match m-en-de.ferry --one-way 2

# --- shards: match --shard/--output on part files, then merge ----------------
import_sample sh.ferry en-de
cp sh.ferry sh-direct.ferry
$FERRY match sh-direct.ferry -q && $FERRY export sh-direct.ferry >sh-direct.conll
for i in 1 2 3; do t_code "shard $i/3" 0 $FERRY match sh.ferry -q --shard "$i/3" --output "part$i.ferry"; done
$FERRY export sh.ferry >sh-before.conll
grep -q 'B-' sh-before.conll && bad "a shard wrote to the project" || ok
t_code "merge" 0 $FERRY merge sh.ferry part1.ferry part2.ferry part3.ferry -q
$FERRY export sh.ferry >sh-merged.conll
t_same "three merged shards equal one run" sh-direct.conll sh-merged.conll
t_code "a part merged twice is stale" 0 $FERRY merge sh.ferry part2.ferry
grep -q "merged 0 pairs from 1 part; 13 changed since and left alone" "$work/err" && ok || bad "stale merge message"
t_code "merge a project as a part" 65 $FERRY merge sh.ferry sh-direct.ferry
t_code "a part into another project" 65 $FERRY merge en-zh.ferry part1.ferry
t_code "bad --shard" 64 $FERRY match sh.ferry --shard 0/3 --output x.ferry
t_code "--shard with --pairs" 64 $FERRY match sh.ferry --shard 1/3 --pairs 1-3
t_code "part exists" 73 $FERRY match sh.ferry --output part1.ferry
$FERRY match sh.ferry -q --shard 2/3 --output pm.ferry --method ilp
cp sh.ferry sh-before-merge.ferry
t_code "parts of other settings" 65 $FERRY merge sh.ferry part1.ferry pm.ferry
t_same "a refused merge changes nothing" sh-before-merge.ferry sh.ferry
printf 'not a database at all\n' >junk.part
t_code "a part that is not a database" 65 $FERRY merge sh.ferry junk.part
mkdir -p adir
t_code "a directory as part" 66 $FERRY merge sh.ferry adir

# --- export formats and schemes (golden) ------------------------------------
$FERRY export en-de.ferry --what gold --scheme bioes >de.bioes
golden en-de.gold.bioes de.bioes
$FERRY export en-de.ferry --what gold --scheme iob1 >de.iob1
golden en-de.gold.iob1 de.iob1
$FERRY export en-zh.ferry --what gold --format jsonl -o zh.jsonl
golden en-zh.gold.jsonl zh.jsonl
$FERRY export en-ar.ferry --side source --format jsonl >ar.src.jsonl
golden en-ar.src.jsonl ar.src.jsonl
# no matcher run yet: projections are all O
$FERRY export en-sw.ferry >sw.proj.conll
golden en-sw.projections-none.conll sw.proj.conll
$FERRY export en-sw.ferry --status accepted >sw.accepted.conll
t_code "empty status filter" 0 test ! -s sw.accepted.conll

# --- every scheme imports back to the same entities ---------------------------
for sc in bioes iob1; do
	$FERRY export en-de.ferry --side source --scheme "$sc" >"src.$sc"
	t_code "import $sc" 0 $FERRY import "re-$sc.ferry" --src "src.$sc" --tgt "$S/en-de/tgt.txt" \
		--align "$S/en-de/fwd.align" -q
	$FERRY export "re-$sc.ferry" --side source >"re-$sc.conll"
	t_same "$sc detected and normalised" "$S/en-de/src.conll" "re-$sc.conll"
done
t_code "eval without gold" 65 $FERRY eval re-bioes.ferry
# JSONL in, CoNLL out
t_code "import jsonl" 0 $FERRY import re-jsonl.ferry --src ar.src.jsonl --tgt "$S/en-ar/tgt.txt" \
	--align "$S/en-ar/fwd.align" -q
$FERRY export re-jsonl.ferry --side source >re-jsonl.conll
t_same "jsonl source round trip" "$S/en-ar/src.conll" re-jsonl.conll
# a JSONL token that NFC changes (e + combining acute) is stored composed
printf '{"tokens": ["Cafe\314\201", "in", "Paris"], "ner_tags": ["B-ORG", "O", "B-LOC"]}\n' >nfc.jsonl
printf 'Caf\303\251 in Paris\n' >nfc.txt
printf '0-0 1-1 2-2\n' >nfc.align
t_code "import jsonl, token changed by NFC" 0 $FERRY import nfc.ferry --src nfc.jsonl --tgt nfc.txt --align nfc.align -q
$FERRY export nfc.ferry --side source --format jsonl >nfc.out
printf '{"id": 1, "tokens": ["Caf\303\251", "in", "Paris"], "ner_tags": ["B-ORG", "O", "B-LOC"]}\n' >nfc.want
t_same "jsonl NFC token composed" nfc.want nfc.out

# --- stats and log --------------------------------------------------------------
$FERRY stats en-de.ferry >stats.txt
golden en-de.stats stats.txt
$FERRY stats en-de.ferry --json >stats.json
golden en-de.stats.json stats.json
$FERRY log en-de.ferry | sed 's/[0-9-]*T[0-9:]*Z/TIME/; s/\tTIME\t[^\t]*\t/\tTIME\tUSER\t/; s#"src":"[^"]*"#"src":"SRC"#; s#"tgt":"[^"]*"#"tgt":"TGT"#' >log.txt
golden en-de.log log.txt
$FERRY log en-de.ferry --json | sed 's/"time":"[^"]*"/"time":"TIME"/; s/"user":"[^"]*"/"user":"USER"/; s#"src":"[^"]*"#"src":"SRC"#; s#"tgt":"[^"]*"#"tgt":"TGT"#' >log.json
golden en-de.log.json log.json

# --- appending, atomicity, exit codes -------------------------------------------
t_code "append" 0 import_sample en-de.ferry en-de --src-lang en --tgt-lang de
$FERRY stats en-de.ferry --json | grep -q '"pairs":80,' && ok || bad "append did not double the pairs"
cp en-de.ferry before.ferry
printf '0-0\n' >short.align
t_code "short alignment file" 65 $FERRY import en-de.ferry --src "$S/en-de/src.conll" --tgt "$S/en-de/tgt.txt" --align short.align
t_same "failed append leaves the project unchanged" before.ferry en-de.ferry
grep -q "short.align:2: file ends after 1 sentence" "$work/err" && ok || bad "short alignment message: $(cat "$work/err")"
t_code "conflicting language" 65 import_sample en-de.ferry en-de --tgt-lang sw
t_same "conflict leaves the project unchanged" before.ferry en-de.ferry
t_code "no project argument" 64 $FERRY import --src x
t_code "unknown option" 64 $FERRY export en-de.ferry --frobnicate
t_code "unknown command" 64 $FERRY frobnicate
t_code "bad --status" 64 $FERRY export en-de.ferry --status done
t_code "source has no projections" 64 $FERRY export en-de.ferry --side source --what projections
t_code "missing project" 66 $FERRY stats nope.ferry
t_code "missing input" 66 $FERRY import new.ferry --src nope.conll --tgt "$S/en-de/tgt.txt" --align "$S/en-de/fwd.align"
t_code "no project left after a failure" 1 test -e new.ferry
printf 'not a database, just text that is long enough to look like one\n' >text.ferry
t_code "not a project" 65 $FERRY stats text.ferry
t_code "cannot create output" 73 $FERRY export en-de.ferry -o /nonexistent/dir/out.conll
t_code "cannot create project" 73 import_sample /nonexistent/dir/p.ferry en-de
t_code "help" 0 $FERRY import --help
t_code "version" 0 $FERRY --version

# --- ICU tokenisation of raw target text ----------------------------------------
printf 'Amina\tB-PER\nvisited\tO\nBeijing\tB-LOC\n.\tO\n' >zh.conll
printf '阿米娜访问了北京。\n' >zh.txt
printf '0-0 1-1 2-3 3-4\n' >zh.align
t_code "tokenize" 0 $FERRY import tok.ferry --src zh.conll --tgt zh.txt --align zh.align --tokenize -q
$FERRY export tok.ferry --format jsonl >tok.jsonl
golden tokenize.jsonl tok.jsonl

# --- ferry align, and import without --align -------------------------------------
# golden links of every sample corpus (German, Swahili, Arabic, Chinese), the same for any thread count
for c in en-de en-sw en-ar en-zh; do
	t_code "align $c" 0 $FERRY align "$S/$c/src.conll" "$S/$c/tgt.txt" --fwd "al-$c.fwd" --rev "al-$c.rev" -q \
		--threads 1
	golden "align-$c.fwd" "al-$c.fwd"
	golden "align-$c.rev" "al-$c.rev"
done
$FERRY align "$S/en-de/src.conll" "$S/en-de/tgt.txt" --fwd al2.fwd --rev al2.rev -q --threads 2
t_same "align: 2 threads give the links of 1" al-en-de.fwd al2.fwd
t_same "align: 2 threads give the links of 1 (rev)" al-en-de.rev al2.rev
# --bitext-src/-tgt train on more text but write only the SRC/TGT lines
$FERRY align "$S/en-de/src.conll" "$S/en-de/tgt.txt" --fwd al3.fwd --rev al3.rev -q \
	--bitext-src "$S/en-de/bt.txt" --bitext-tgt "$S/en-de/tgt.txt"
t_code "align --bitext: one line per pair" 0 test "$(wc -l <al3.fwd)" -eq 40
# import without --align equals import of ferry align's links
t_code "import without --align" 0 $FERRY import noal.ferry --src "$S/en-de/src.conll" --tgt "$S/en-de/tgt.txt" \
	--tgt-gold "$S/en-de/tgt-gold.conll" -q --threads 1
$FERRY import twostep.ferry --src "$S/en-de/src.conll" --tgt "$S/en-de/tgt.txt" --align al-en-de.fwd \
	--align-rev al-en-de.rev --tgt-gold "$S/en-de/tgt-gold.conll" -q --aligner ferry
$FERRY match noal.ferry -q && $FERRY match twostep.ferry -q
$FERRY export noal.ferry >noal.conll && $FERRY export twostep.ferry >twostep.conll
t_same "import without --align = ferry align + import" twostep.conll noal.conll
$FERRY stats noal.ferry | grep -A1 aligner >noal.stats
golden align-stats.txt noal.stats
# links made by ferry's aligner are matched with the settings tuned to them, unless a method is chosen
$FERRY stats twostep.ferry --json | grep -o '"aligner":"[^"]*","match":"method=[a-z]* mode=[a-z]* d=[0-9]*' >tuned.txt
golden align-tuned.txt tuned.txt
$FERRY match noal.ferry -q --method greedy
$FERRY stats noal.ferry --json | grep -o '"match":"method=[a-z]*' >chosen.txt
t_code "match --method greedy on ferry's links" 0 grep -qx '"match":"method=greedy' chosen.txt
# the review UI's :match on a project never matched uses the same tuned defaults
$FERRY import uimatch.ferry --src "$S/en-de/src.conll" --tgt "$S/en-de/tgt.txt" -q --threads 1
printf ':match pending<Enter>q' >uimatch.keys
t_code "review :match on ferry's links" 0 $FERRY review uimatch.ferry --keys uimatch.keys
$FERRY export uimatch.ferry >uimatch.conll
$FERRY import climatch.ferry --src "$S/en-de/src.conll" --tgt "$S/en-de/tgt.txt" -q --threads 1
$FERRY match climatch.ferry -q && $FERRY export climatch.ferry >climatch.conll
t_same "review :match = ferry match on ferry's links" climatch.conll uimatch.conll
# training text that repeats the pairs to align is not counted twice
awk -F '\t' 'NF { printf "%s%s", n++ ? " " : "", $1; next } { print ""; n = 0 }' "$S/en-de/src.conll" >src.txt
$FERRY align "$S/en-de/src.conll" "$S/en-de/tgt.txt" --fwd al4.fwd --rev al4.rev --threads 1 \
	--bitext-src src.txt --bitext-tgt "$S/en-de/tgt.txt" 2>al4.err
t_same "align: a bitext of the same pairs changes nothing" al-en-de.fwd al4.fwd
t_code "align: the repeated pairs are not trained on" 0 grep -q "(trained on 40)" al4.err
t_code "import: --aligner needs --align" 64 $FERRY import y.ferry --src "$S/en-de/src.conll" \
	--tgt "$S/en-de/tgt.txt" --aligner eflomal
t_code "import without --align, --bt aligned too" 0 $FERRY import noalbt.ferry --src "$S/en-de/src.conll" \
	--tgt "$S/en-de/tgt.txt" --bt "$S/en-de/bt.txt" -q
t_code "import: no temporaries left" 0 test -z "$(ls | grep '\.tmp$')"
# bad input: file:line, exit 65, nothing written
head -3 "$S/en-de/tgt.txt" >short.txt
t_code "align: line counts differ" 65 $FERRY align "$S/en-de/src.conll" short.txt --fwd x.fwd --rev x.rev -q
grep -q "src.conll:[0-9]*: short.txt ends after 3 sentences but this file has more" "$work/err" && ok ||
	bad "align count message: $(cat "$work/err")"
t_code "align: nothing written" 1 test -e x.fwd -o -e x.rev
printf 'a b\n\nc\n' >e.src; printf 'x y\nz\nw\n' >e.tgt
t_code "align: empty line" 65 $FERRY align e.src e.tgt --fwd x.fwd --rev x.rev -q
t_err "align: empty line message" "ferry: e.src:2: empty sentence (expected at least one token to align)"
printf 'a \377b\n' >u.src; printf 'x\n' >u.tgt
t_code "align: invalid UTF-8" 65 $FERRY align u.src u.tgt --fwd x.fwd --rev x.rev -q
grep -q "u.src:1:3: invalid UTF-8" "$work/err" && ok || bad "align utf-8 message: $(cat "$work/err")"
awk 'BEGIN { for (i = 0; i < 10001; i++) printf "w "; print "" }' >long.src; printf 'x\n' >long.tgt
t_code "align: sentence over the token limit" 65 $FERRY align long.src long.tgt --fwd x.fwd --rev x.rev -q
t_code "align: nothing written after bad input" 1 test -e x.fwd -o -e x.rev
t_code "align: --fwd and --rev required" 64 $FERRY align e.src e.tgt --fwd x.fwd
t_code "align: bitext in pairs" 64 $FERRY align e.tgt e.tgt --fwd x.fwd --rev x.rev --bitext-src e.tgt
t_code "align: bad --fold" 64 $FERRY align e.tgt e.tgt --fwd x.fwd --rev x.rev --fold upper
t_code "import: --align-rev needs --align" 64 $FERRY import y.ferry --src "$S/en-de/src.conll" \
	--tgt "$S/en-de/tgt.txt" --align-rev "$S/en-de/rev.align"
t_code "import: aligner options need no --align" 64 $FERRY import y.ferry --src "$S/en-de/src.conll" \
	--tgt "$S/en-de/tgt.txt" --align "$S/en-de/fwd.align" --hmm 3
cp twostep.ferry before-al.ferry
t_code "import without --align: bad target" 65 $FERRY import twostep.ferry --src "$S/en-de/src.conll" --tgt short.txt -q
t_same "failed aligned append leaves the project unchanged" before-al.ferry twostep.ferry
mkfifo src.fifo
t_code "import without --align: a pipe is refused" 64 $FERRY import y.ferry --src src.fifo --tgt "$S/en-de/tgt.txt"
t_code "import without --align: no project made" 1 test -e y.ferry

# --- several sources (multi-de: English, Spanish and Italian for one German target) ---
M=$S/multi-de
multi() {   # multi PROJECT: the first source, then Spanish and Italian with their links
	$FERRY import "$1" -q --src "$M/en.conll" --tgt "$M/de.txt" --align "$M/en-de.fwd" --align-rev "$M/en-de.rev" \
		--tgt-gold "$M/de-gold.conll" --src-lang en --tgt-lang de &&
	$FERRY add-source "$1" -q --src "$M/es.conll" --src-lang es --align "$M/es-de.fwd" --align-rev "$M/es-de.rev" &&
	$FERRY add-source "$1" -q --src "$M/it.conll" --src-lang it --align "$M/it-de.fwd" --align-rev "$M/it-de.rev"
}
t_code "add-source: two sources" 0 multi ms.ferry
$FERRY stats ms.ferry | grep -A2 '^sources' >ms.stats
golden multi-stats.txt ms.stats
t_code "match several sources" 0 $FERRY match ms.ferry -q --threads 1
$FERRY export ms.ferry >ms.fused.conll
golden multi-fused.conll ms.fused.conll
$FERRY eval ms.ferry --per-source >ms.eval.txt
golden multi-eval.txt ms.eval.txt
$FERRY eval ms.ferry --per-source --json >ms.eval.json
golden multi-eval.json ms.eval.json
$FERRY stats ms.ferry --json | grep -o '"sources":\[.*\]' >ms.sources.json
golden multi-stats.json ms.sources.json
for l in en es it; do $FERRY export ms.ferry --source $l >"ms.$l.conll"; done
golden multi-source-es.conll ms.es.conll
cp ms.ferry ms2.ferry
$FERRY match ms2.ferry -q --threads 2
$FERRY export ms2.ferry >ms2.fused.conll
t_same "several sources: 2 threads fuse as 1" ms.fused.conll ms2.fused.conll
# --sources: one source alone is its own projection; the first alone is single-source matching
$FERRY match ms2.ferry -q --sources es && $FERRY export ms2.ferry >ms2.es.conll
t_same "match --sources es = export --source es" ms.es.conll ms2.es.conll
$FERRY import one.ferry -q --src "$M/en.conll" --tgt "$M/de.txt" --align "$M/en-de.fwd" --align-rev "$M/en-de.rev"
$FERRY match one.ferry -q && $FERRY export one.ferry >one.conll
$FERRY match ms2.ferry -q --sources en && $FERRY export ms2.ferry >ms2.en.conll
t_same "match --sources en = the single-source project" one.conll ms2.en.conll
t_same "export --source en = the single-source project" one.conll ms.en.conll
t_code "match --sources: unknown" 64 $FERRY match ms2.ferry --sources en,fr
t_err "match --sources message" "ferry: --sources: the project has no source 'fr' (its sources: en, es, it)"
t_code "export --source: unknown" 64 $FERRY export ms.ferry --source fr
t_code "match --output of several sources" 64 $FERRY match ms.ferry --output part.ferry
$FERRY match one.ferry -q --output one-part.ferry
cp one.ferry onex.ferry && $FERRY add-source onex.ferry -q --src "$M/es.conll" --src-lang es --align "$M/es-de.fwd"
t_code "merge into a project given another source since" 65 $FERRY merge onex.ferry one-part.ferry
# refusals leave the project as it was
cp ms.ferry before-ms.ferry
head -4 "$M/es-de.fwd" >short.fwd
t_code "add-source: links file too short" 65 $FERRY add-source ms.ferry --src "$M/es.conll" --src-lang pt \
	--align short.fwd
t_err "add-source: short links message" \
	"ferry: short.fwd:5: file ends after 4 lines but the project has 20 pairs (expected one line per pair)"
awk -v RS= -v ORS='\n\n' 'NR <= 19' "$M/es.conll" >short.conll
t_code "add-source: too few sentences" 65 $FERRY add-source ms.ferry --src short.conll --src-lang pt
grep -q "short.conll:[0-9]*: file ends after 19 sentences but the project has 20 pairs" "$work/err" && ok ||
	bad "add-source count message: $(cat "$work/err")"
cat "$M/es.conll" "$M/es.conll" >long.conll
t_code "add-source: too many sentences" 65 $FERRY add-source ms.ferry --src long.conll --src-lang pt
sed '1s/^0-0/99-0/' "$M/es-de.fwd" >bad.fwd
t_code "add-source: a link out of range" 65 $FERRY add-source ms.ferry --src "$M/es.conll" --src-lang pt --align bad.fwd
grep -q "^ferry: bad.fwd:1:" "$work/err" && ok || bad "add-source link message: $(cat "$work/err")"
t_code "add-source: a language it has" 65 $FERRY add-source ms.ferry --src "$M/es.conll" --src-lang es \
	--align "$M/es-de.fwd"
t_err "add-source: language clash message" "ferry: ms.ferry: the project has a source in 'es' already (source 1; expected a new language, or name this one apart, e.g. 'es-2')"
t_code "add-source: the target's language" 65 $FERRY add-source ms.ferry --src "$M/es.conll" --src-lang de \
	--align "$M/es-de.fwd"
t_code "add-source: --src-lang required" 64 $FERRY add-source ms.ferry --src "$M/es.conll"
t_code "add-source: --align-rev needs --align" 64 $FERRY add-source ms.ferry --src "$M/es.conll" --src-lang pt \
	--align-rev "$M/es-de.rev"
t_code "add-source: the project as a source" 64 $FERRY add-source ms.ferry --src ms.ferry --src-lang pt
t_code "add-source: no such project" 66 $FERRY add-source none.ferry --src "$M/es.conll" --src-lang pt
t_same "add-source refusals leave the project unchanged" before-ms.ferry ms.ferry
# without --align: ferry's aligner, the same links for any thread count
cp one.ferry noal1.ferry && cp one.ferry noal2.ferry
t_code "add-source without --align" 0 $FERRY add-source noal1.ferry -q --src "$M/it.conll" --src-lang it --threads 1
$FERRY add-source noal2.ferry -q --src "$M/it.conll" --src-lang it --threads 2
$FERRY match noal1.ferry -q && $FERRY match noal2.ferry -q
$FERRY export noal1.ferry --source it >noal1.it.conll && $FERRY export noal2.ferry --source it >noal2.it.conll
golden multi-noalign-it.conll noal1.it.conll
t_same "add-source without --align: 2 threads align as 1" noal1.it.conll noal2.it.conll
$FERRY stats noal1.ferry | grep '^ *1 it' >noal.stats
grep -q "links ferry ibm1=5 hmm=5" noal.stats && ok || bad "add-source without --align: stats $(cat noal.stats)"
# the review UI fuses as ferry match does
cp ms.ferry msui.ferry
$FERRY match msui.ferry -q --method greedy
printf ':match pending<Enter>q' >msui.keys
$FERRY match ms2.ferry -q --method greedy && $FERRY export ms2.ferry >ms2.greedy.conll
t_code "review :match with several sources" 0 $FERRY review msui.ferry --keys msui.keys
$FERRY export msui.ferry >msui.conll
t_same "review :match = ferry match with several sources" ms2.greedy.conll msui.conll

# --- team review: independent layers, assignments, agreement ---------------------------
import_sample team.ferry en-de && $FERRY match team.ferry -q
$FERRY export team.ferry >team-shared.conll
printf 'aaaaa' >ann.keys
printf 'aa!aaa' >bob.keys
t_code "review --independent (ann)" 0 env FERRY_USER=ann $FERRY review team.ferry --independent --keys ann.keys
t_code "review --independent (bob)" 0 env FERRY_USER=bob $FERRY review team.ferry --independent --keys bob.keys
$FERRY export team.ferry >team-shared2.conll
t_same "independent layers leave the shared state alone" team-shared.conll team-shared2.conll
$FERRY stats team.ferry --json | grep -o '"reviewed":[0-9]*' >team-reviewed.txt
t_code "independent reviews are not the shared layer's" 0 grep -qx '"reviewed":0' team-reviewed.txt
$FERRY agreement team.ferry >team-agreement.txt
golden team-agreement.txt team-agreement.txt
$FERRY agreement team.ferry --json >team-agreement.json
golden team-agreement.json team-agreement.json
$FERRY export team.ferry --user bob --status accepted,fixed >team-bob.conll
golden team-bob.conll team-bob.conll
$FERRY export team.ferry --user ann --status accepted >team-ann.conll
head -c 2000 team-shared.conll >/dev/null
t_code "export --user: a name without a layer" 64 $FERRY export team.ferry --user zed
t_err "export --user message" "ferry: --user: 'zed' has no layer in the project (its layers: ann, bob)"
# adjudication: the curator takes bob's version of the disputed pair; export writes the curated result
printf 'T2<Enter>T1<Enter>' >take.keys
cp team.ferry cur.ferry
t_code "review --adjudicate" 0 env FERRY_USER=cur $FERRY review cur.ferry --adjudicate --keys take.keys
$FERRY export cur.ferry --status accepted,fixed >team-curated.conll
golden team-curated.conll team-curated.conll
t_code "--independent with --adjudicate" 64 $FERRY review cur.ferry --adjudicate --independent --keys take.keys
# a curator and a reviewer at once: the curator's takes (shared) and ann's edits (her layer) never collide
cp team.ferry cur2.ferry
printf 'a]a]a]a]a]a]a]a]a]a]' >race.keys
printf 'T1<Enter>T1<Enter>T1<Enter>T1<Enter>T1<Enter>' >take5.keys
FERRY_USER=cur $FERRY review cur2.ferry --adjudicate --keys take5.keys --timing 2>cur.err &
FERRY_USER=ann $FERRY review cur2.ferry --independent --keys race.keys --timing 2>ann.err
wait
t_code "curator beside a reviewer: none refused (curator)" 0 grep -q "edits: 5 saved, 0 refused" cur.err
t_code "curator beside a reviewer: none refused (ann)" 0 grep -q "saved, 0 refused" ann.err
# each reviewer's undo is their own, in their own layer
printf 'u' >undo.keys
FERRY_USER=bob $FERRY review team.ferry --independent --keys undo.keys --dump-screen --size 80x24 | tail -2 | head -1 >team-undo.txt
golden team-undo.txt team-undo.txt
FERRY_USER=ann $FERRY export team.ferry --user ann --status accepted >team-ann2.conll
t_same "bob's undo leaves ann's layer alone" team-ann.conll team-ann2.conll
# two reviewers at once on the same pairs, each in their own layer: nobody is refused
cp team.ferry race.ferry
printf 'a]a]a]a]a]a]a]a]a]a]' >race.keys
FERRY_USER=cy $FERRY review race.ferry --independent --keys race.keys --timing 2>cy.err &
FERRY_USER=di $FERRY review race.ferry --independent --keys race.keys --timing 2>di.err
wait
t_code "concurrent independent reviewers: none refused (cy)" 0 grep -q "edits: 10 saved, 0 refused" cy.err
t_code "concurrent independent reviewers: none refused (di)" 0 grep -q "edits: 10 saved, 0 refused" di.err
# assign: shares, overlap, the same for the same seed; --independent then offers only the share
t_code "assign" 0 $FERRY assign team.ferry --reviewers ann,bob,cy --overlap 0.25 --seed 7
t_err "assign summary" "ferry: assigned the pairs of team.ferry: ann 17, bob 17, cy 16; 10 to two"
"$SQLEXEC" team.ferry "SELECT reviewer, group_concat(pair) FROM (SELECT * FROM assignment ORDER BY reviewer, pair) GROUP BY reviewer" >team-assign.txt
golden team-assign.txt team-assign.txt
cp team.ferry team2.ferry
$FERRY assign team2.ferry -q --reviewers ann,bob,cy --overlap 0.25 --seed 7
"$SQLEXEC" team2.ferry "SELECT reviewer, group_concat(pair) FROM (SELECT * FROM assignment ORDER BY reviewer, pair) GROUP BY reviewer" >team-assign2.txt
t_same "assign: the same seed, the same shares" team-assign.txt team-assign2.txt
printf '' >none.keys
FERRY_USER=cy $FERRY review team.ferry --independent --keys none.keys --dump-screen --size 100x30 | head -1 >team-share.txt
golden team-share.txt team-share.txt
t_code "assign: --reviewers required" 64 $FERRY assign team.ferry
t_code "assign: a name twice" 64 $FERRY assign team.ferry --reviewers ann,ann
t_code "assign: bad overlap" 64 $FERRY assign team.ferry --reviewers ann,bob --overlap 1.5

# --- the estimate of what nobody reviewed: from 14 reviewed pairs, 2 of them fixed ----------
import_sample est.ferry en-de && $FERRY match est.ferry -q
printf 'aaaaaa!aaaaa]]:8<Enter>jx<Enter>a:11<Enter>!a' >est.keys
$FERRY review est.ferry --keys est.keys >/dev/null
$FERRY stats est.ferry | sed -n '/^estimate/,$p' >est-stats.txt
golden est-stats.txt est-stats.txt
$FERRY stats est.ferry --json | sed 's/.*,"estimate":{"ok"/{"ok"/; s/}$//' >est-stats.json
golden est-stats.json est-stats.json
printf '' >none.keys
$FERRY review est.ferry --keys none.keys --dump-screen --size 120x30 | head -1 >est-bar.txt
golden est-bar.txt est-bar.txt
# :accept-above p=: the pending pairs the estimate trusts, one undo step; they are not evidence
printf ':accept-above p=0.9<Enter>' >acc.keys
$FERRY review est.ferry --keys acc.keys --dump-screen --size 120x30 | tail -2 | head -1 >est-accept.txt
golden est-accept.txt est-accept.txt
$FERRY stats est.ferry --json | grep -o '"reviewed_pairs":[0-9]*,"evidence":[0-9]*,"correct":[0-9]*,"by_rule":[0-9]*' >est-rule.txt
golden est-rule.txt est-rule.txt
printf 'u' >u.keys
$FERRY review est.ferry --keys u.keys >/dev/null
$FERRY stats est.ferry | sed -n '/^estimate/,$p' >est-stats2.txt
t_same "undoing :accept-above p= gives the estimate back" est-stats.txt est-stats2.txt
printf ':accept-above p=2<Enter>' >acc.keys
$FERRY review est.ferry --keys acc.keys --dump-screen --size 120x30 | tail -2 | head -1 >est-bad.txt
t_code ":accept-above p=2 is refused" 0 grep -q "scores and precisions are from 0 to 1" est-bad.txt
import_sample est0.ferry en-de && $FERRY match est0.ferry -q
printf ':accept-above p=0.9<Enter>' >acc.keys
$FERRY review est0.ferry --keys acc.keys --dump-screen --size 120x30 | tail -2 | head -1 >est-none.txt
t_code ":accept-above p= without an estimate" 0 grep -q "no estimate yet (0 projections reviewed; it takes 10)" est-none.txt
# the sample order: the pending pairs shuffled, the same in every session and copy of the project
printf 'ooo' >o.keys
$FERRY review est.ferry --keys o.keys --dump-screen --size 120x30 | tail -2 | head -1 >est-order.txt
t_code "order sample says why" 0 grep -q "order: sample (pending pairs at random, so the estimate from them is unbiased)" est-order.txt
printf 'ooo]]]' >o.keys
$FERRY review est.ferry --keys o.keys --dump-screen --size 120x30 | head -1 | sed 's/.*(#\([0-9]*\) .*/\1/' >ord1.txt
cp est.ferry est-copy.ferry
$FERRY review est-copy.ferry --keys o.keys --dump-screen --size 120x30 | head -1 | sed 's/.*(#\([0-9]*\) .*/\1/' >ord2.txt
t_same "sample order: the same in a copy" ord1.txt ord2.txt
t_code "sample order: not corpus order" 1 grep -qx 4 ord1.txt

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
