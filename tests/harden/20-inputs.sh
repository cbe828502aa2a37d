# tests/harden/20-inputs.sh — issue 11, items 6, 7, 8 and 12 (part): every
# input read once (FIFOs and pipes for every input of import and eval, one
# pipe named twice, the project named as an input), the per-sentence token
# limit, bounded lines and out of memory, foreign encodings and integer
# tags.  Sourced by run.sh.  Every ferry that reads a FIFO or a pipe runs
# under `timeout 20`, so a hang fails (exit 124) instead of blocking.

in=$work/in
mkdir "$in"
cp "$S"/en-de/* "$in"/
# each input option of import, with the sample file it reads
roles="src:src.conll tgt:tgt.txt align:fwd.align align-rev:rev.align bt:bt.txt
align-src-bt:src-bt.align align-bt-tgt:bt-tgt.align tgt-gold:tgt-gold.conll tgt-ner:tgt-ner.conll"

# imp_all PROJECT ROLE PATH [OPTIONS]: import every sample input, ROLE's from PATH
imp_all() {
	p=$1 role=$2 path=$3 args=
	shift 3
	for each in $roles; do
		opt=${each%%:*} file=${each#*:}
		if [ "$opt" = "$role" ]; then args="$args --$opt $path"; else args="$args --$opt $in/$file"; fi
	done
	# shellcheck disable=SC2086
	timeout 20 $FERRY import "$p" -q $args "$@"
}
# dump PROJECT OUT: everything imported (and what match makes of it), as text
dump() {
	{
		$FERRY match "$1" -q
		$FERRY export "$1"
		$FERRY export "$1" --side source
		$FERRY export "$1" --what gold
		$SQLEXEC "$1" "SELECT id, src, tgt, nsrc, ntgt, bt, align_fwd, align_rev, align_sym,
			align_src_bt, align_bt_tgt, ner_tags, ner_probs, has_gold FROM pair ORDER BY id"
		$SQLEXEC "$1" "SELECT * FROM entity ORDER BY id"
		$SQLEXEC "$1" "SELECT * FROM gold ORDER BY pair, start"
	} >"$2" 2>&1
}
# from_pipe FILE CMD...: CMD with FILE on its standard input through a pipe
from_pipe() {
	f=$1
	shift
	cat "$f" | "$@"
}
# feed_fifo FILE: a writer of FILE into the FIFO $work/fifo, in the background
feed_fifo() {
	rm -f "$work/fifo"
	mkfifo "$work/fifo"
	timeout 20 sh -c 'cat "$1" >"$2"' _ "$1" "$work/fifo" 2>/dev/null &
}
# fifo_done: release a writer still waiting for a reader, and reap it
fifo_done() {
	: <>"$work/fifo"
	wait
}

# --- item 6: every input through a FIFO and through a pipe --------------------------
[ -x "$SQLEXEC" ] && ok || bad "no $SQLEXEC to read the projects back with (make build/sqlexec)"
fmt="--src-format conll --gold-format conll"
# shellcheck disable=SC2086
imp_all "$work/ref.ferry" none none $fmt || bad "the sample does not import"
dump "$work/ref.ferry" "$work/ref.dump"
for rf in $roles; do
	r=${rf%%:*} f=${rf#*:}
	rm -f "$work/p.ferry"
	feed_fifo "$in/$f"
	# shellcheck disable=SC2086
	t_code "fifo --$r" 0 imp_all "$work/p.ferry" "$r" "$work/fifo" $fmt
	fifo_done
	dump "$work/p.ferry" "$work/p.dump"
	t_same "fifo --$r: what was imported" "$work/ref.dump" "$work/p.dump"
	rm -f "$work/p.ferry"
	# shellcheck disable=SC2086
	t_code "pipe --$r" 0 from_pipe "$in/$f" imp_all "$work/p.ferry" "$r" /dev/stdin $fmt
	dump "$work/p.ferry" "$work/p.dump"
	t_same "pipe --$r: what was imported" "$work/ref.dump" "$work/p.dump"
done
# a gold file from a pipe is CoNLL unless told otherwise (its name says nothing)
rm -f "$work/p.ferry"
t_code "pipe --tgt-gold, no --gold-format" 0 from_pipe "$in/tgt-gold.conll" \
	imp_all "$work/p.ferry" tgt-gold /dev/stdin --src-format conll
dump "$work/p.ferry" "$work/p.dump"
t_same "pipe --tgt-gold, no --gold-format: what was imported" "$work/ref.dump" "$work/p.dump"
# with --scheme too (once the only case that still read the gold file twice)
rm -f "$work/p.ferry"
t_code "pipe --tgt-gold --scheme iob2" 0 from_pipe "$in/tgt-gold.conll" \
	imp_all "$work/p.ferry" tgt-gold /dev/stdin --scheme iob2
# a shell's process substitution (bash): /dev/fd/63 and the like are pipes too
if command -v bash >/dev/null; then
	rm -f "$work/p.ferry"
	t_code "process substitution" 0 timeout 20 bash -c '"$1" import "$2" -q --src <(cat "$3/src.conll") --src-format conll \
		--tgt <(cat "$3/tgt.txt") --align <(cat "$3/fwd.align") --align-rev "$3/rev.align" --bt "$3/bt.txt" \
		--align-src-bt "$3/src-bt.align" --align-bt-tgt "$3/bt-tgt.align" --tgt-gold <(cat "$3/tgt-gold.conll") \
		--tgt-ner <(cat "$3/tgt-ner.conll")' _ "$FERRY" "$work/p.ferry" "$in"
	dump "$work/p.ferry" "$work/p.dump"
	t_same "process substitution: what was imported" "$work/ref.dump" "$work/p.dump"
fi
# eval --gold through a FIFO and a pipe
$FERRY eval "$work/ref.ferry" --gold "$in/tgt-gold.conll" >"$work/eval.ref"
feed_fifo "$in/tgt-gold.conll"
t_code "eval --gold fifo" 0 timeout 20 $FERRY eval "$work/ref.ferry" --gold "$work/fifo"
fifo_done
t_same "eval --gold fifo: the report" "$work/eval.ref" "$work/out"
t_code "eval --gold pipe" 0 from_pipe "$in/tgt-gold.conll" timeout 20 $FERRY eval "$work/ref.ferry" --gold /dev/stdin
t_same "eval --gold pipe: the report" "$work/eval.ref" "$work/out"

# one FIFO or pipe named for two inputs cannot give each its own copy: refused
rm -f "$work/fifo" "$work/p.ferry"
mkfifo "$work/fifo"
t_code "one fifo twice" 64 imp_all "$work/p.ferry" align-rev "$work/fifo" --align "$work/fifo"
t_err "one fifo twice" "ferry: $work/fifo: named by --align and --align-rev, but it is a pipe, which can be read only once (expected a regular file, or a pipe for each)"
[ -e "$work/p.ferry" ] && bad "one fifo twice: the project was created" || ok
t_code "one pipe twice" 64 from_pipe "$in/tgt-gold.conll" imp_all "$work/p.ferry" tgt-gold /dev/stdin --tgt /dev/stdin
t_err "one pipe twice" "ferry: /dev/stdin: named by --tgt and --tgt-gold, but it is a pipe, which can be read only once"
# a source whose name does not say its format: its first line that is not blank does, through a FIFO
# and through standard input (-), CoNLL and JSONL alike
rm -f "$work/p.ferry"
feed_fifo "$in/src.conll"
t_code "fifo --src, no --src-format: by content" 0 imp_all "$work/p.ferry" src "$work/fifo"
fifo_done
dump "$work/p.ferry" "$work/p.dump"
t_same "fifo --src by content: what was imported" "$work/ref.dump" "$work/p.dump"
rm -f "$work/p.ferry"
$FERRY export "$work/ref.ferry" --side source --format jsonl >"$work/src.jsonl-data"
t_code "--src - (JSONL by content)" 0 from_pipe "$work/src.jsonl-data" imp_all "$work/p.ferry" src -
dump "$work/p.ferry" "$work/p.dump"
t_same "--src - by content: what was imported" "$work/ref.dump" "$work/p.dump"
rm -f "$work/p.ferry"
t_code "- twice" 64 from_pipe "$in/src.conll" imp_all "$work/p.ferry" src - --tgt -
t_err "- twice" "ferry: standard input (-) is named by --src and --tgt, but it can be read only once (expected - for one of them)"
printf 'a\tB-PER\nb\n' >"$work/bad.data"
t_code "- : a message names standard input" 65 from_pipe "$work/bad.data" imp_all "$work/p.ferry" src -
t_err "- : a message names standard input" "ferry: (standard input):2:2: only one column (expected a token and a tag separated by a tab or space)"
[ -e "$work/p.ferry" ] && bad "a bad source on standard input: the project was created" || ok
# a regular file can be read twice
t_code "one regular file twice" 0 imp_all "$work/p.ferry" align-rev "$in/fwd.align"
# the project itself as an input, by its name, a symlink or a hard link
cp "$work/ref.ferry" "$work/before.ferry"
ln -s ref.ferry "$work/sym.ferry"
ln "$work/ref.ferry" "$work/hard.ferry"
for x in ref sym hard; do
	t_code "project as --tgt ($x)" 64 imp_all "$work/ref.ferry" tgt "$work/$x.ferry"
	t_err "project as --tgt ($x)" "ferry: $work/$x.ferry: --tgt names the project $work/ref.ferry itself (expected a corpus file)"
done
t_same "project as an input: unchanged" "$work/before.ferry" "$work/ref.ferry"
t_code "eval --gold the project" 64 $FERRY eval "$work/ref.ferry" --gold "$work/hard.ferry"
t_err "eval --gold the project" "ferry: $work/hard.ferry: --gold names the project $work/ref.ferry itself (expected a corpus file)"
rm -f "$work/sym.ferry" "$work/hard.ferry" "$work/before.ferry" "$work/p.ferry"

# --- item 7: at most 10,000 tokens a sentence, refused early and clearly ----------
# tgt line 1 of 10,001 one-letter tokens: token 10,001 stands at column 20,001
awk 'BEGIN { for (i = 0; i <= 10000; i++) printf "%sw", (i ? " " : ""); print "" }' >"$work/long.txt"
cat "$in/tgt.txt" >>"$work/long.txt"
t_code "10,001 target tokens" 65 imp_all "$work/p.ferry" tgt "$work/long.txt"
t_err "10,001 target tokens" "ferry: $work/long.txt:1:20001: sentence of more than 10000 tokens (expected at most 10000 tokens a sentence; one sentence per line?)"
# a CoNLL sentence of 10,001 tokens, from line 1
awk 'BEGIN { for (i = 0; i <= 10000; i++) print "w\tO" }' >"$work/long.conll"
t_code "10,001 CoNLL tokens" 65 imp_all "$work/p.ferry" src "$work/long.conll"
t_err "10,001 CoNLL tokens" "ferry: $work/long.conll:10001:1: sentence of more than 10000 tokens (expected at most 10000 tokens a sentence; a blank line between sentences missing?)"
# JSONL: the 10,001st token of '{"tokens": ["w", "w", ...' at column 13 + 5 * 10000
awk 'BEGIN { printf "{\"tokens\": ["; for (i = 0; i <= 10000; i++) printf "%s\"w\"", (i ? ", " : ""); print "]}" }' \
	>"$work/long.jsonl"
t_code "10,001 JSONL tokens" 65 imp_all "$work/p.ferry" src "$work/long.jsonl"
t_err "10,001 JSONL tokens" "ferry: $work/long.jsonl:1:50013: sentence of more than 10000 tokens (expected at most 10000 tokens a sentence)"
# and its tags: '{"tokens": ["w"], "ner_tags": ["O", ...': the 10,001st tag at 32 + 5 * 10000
awk 'BEGIN { printf "{\"tokens\": [\"w\"], \"ner_tags\": ["; for (i = 0; i <= 10000; i++) printf "%s\"O\"", (i ? ", " : ""); print "]}" }' \
	>"$work/long.jsonl"
t_code "10,001 JSONL tags" 65 imp_all "$work/p.ferry" src "$work/long.jsonl"
t_err "10,001 JSONL tags" "ferry: $work/long.jsonl:1:50032: \"ner_tags\" has more than 10000 items (expected at most 10000 tags a sentence, one per token)"
# a line of 200,000 tokens is refused as fast (the guard only catches a hang)
awk 'BEGIN { printf "{\"tokens\": ["; for (i = 0; i < 200000; i++) printf "%s\"w\"", (i ? ", " : ""); print "]}" }' \
	>"$work/long.jsonl"
t_code "200,000 JSONL tokens" 65 imp_all "$work/p.ferry" src "$work/long.jsonl"
t_err "200,000 JSONL tokens" ":1:50013: sentence of more than 10000 tokens"
rm -f "$work/long.txt" "$work/long.conll" "$work/long.jsonl"
[ -e "$work/p.ferry" ] && bad "a refused import left $work/p.ferry" || ok

# --- item 8: lines of at most 64 MiB, read in bounded memory; out of memory said so ---
# long_line N C CMD...: CMD with a line of N bytes C on its standard input, through a pipe
long_line() {
	n=$1 c=$2
	shift 2
	head -c "$n" /dev/zero | tr '\0' "$c" | "$@"
}
# limited KB CMD...: CMD within KB kilobytes of address space
limited() (
	ulimit -v "$1"
	shift
	"$@"
)
t_code "line of 64 MiB + 1" 65 long_line 67108865 a imp_all "$work/p.ferry" tgt /dev/stdin
t_err "line of 64 MiB + 1" "ferry: /dev/stdin:1: line longer than 67108864 bytes (expected a sentence of at most 10000 tokens a line)"
# exactly 64 MiB is a line (and a token too long)
t_code "line of 64 MiB" 65 long_line 67108864 a imp_all "$work/p.ferry" tgt /dev/stdin
t_err "line of 64 MiB" "ferry: /dev/stdin:1:1: token of 67108864 bytes (expected at most 4096"
# the CoNLL and alignment readers have the same bound
t_code "CoNLL line of 64 MiB + 1" 65 long_line 67108865 a imp_all "$work/p.ferry" src /dev/stdin --src-format conll
t_err "CoNLL line of 64 MiB + 1" "ferry: /dev/stdin:1: line longer than 67108864 bytes (expected a token and its tags a line)"
t_code "Pharaoh line of 64 MiB + 1" 65 long_line 67108865 0 imp_all "$work/p.ferry" align /dev/stdin
t_err "Pharaoh line of 64 MiB + 1" "ferry: /dev/stdin:1: line longer than 67108864 bytes (expected a sentence's links a line)"
# memory limits: address space, which ASan builds cannot run under (they are skipped)
if limited 200000 $FERRY import --help >/dev/null 2>&1; then
	# a 300 MB line within 200 MB: refused once it passes 64 MiB, not read whole
	t_code "300 MB line in 200 MB" 65 limited 200000 long_line 300000000 a imp_all "$work/p.ferry" tgt /dev/stdin
	t_err "300 MB line in 200 MB" "ferry: /dev/stdin:1: line longer than 67108864 bytes"
	# within 100 MB there is no room for a 64 MiB line: out of memory, not the end of the file
	t_code "long line in 100 MB" 71 limited 100000 long_line 300000000 a imp_all "$work/p.ferry" tgt /dev/stdin
	t_err "long line in 100 MB" "ferry: out of memory (allocating "
else
	echo "harden: address-space limits skipped (this ferry cannot start under ulimit -v)"
fi
[ -e "$work/p.ferry" ] && bad "a refused import left $work/p.ferry" || ok

# --- item 12 (part): UTF-16 and UTF-32 named, not "NUL byte"; integer tags in full ---
# enc NAME ICONV BOM: the target in ICONV's encoding, after the byte order mark BOM (octal)
enc() {
	{ printf "$3"; iconv -f UTF-8 -t "$2" "$in/tgt.txt"; } >"$work/$1.txt"
	t_code "target in $1" 65 imp_all "$work/p.ferry" tgt "$work/$1.txt"
	t_err "target in $1" "ferry: $work/$1.txt: looks like $4 text (expected UTF-8: convert it with iconv -f $2 -t UTF-8)"
	rm -f "$work/$1.txt"
}
enc utf16le-bom UTF-16LE '\377\376' "UTF-16 (little-endian)"
enc utf16be-bom UTF-16BE '\376\377' "UTF-16 (big-endian)"
enc utf16le UTF-16LE '' "UTF-16 (little-endian)"
enc utf16be UTF-16BE '' "UTF-16 (big-endian)"
enc utf32le-bom UTF-32LE '\377\376\000\000' "UTF-32 (little-endian)"
enc utf32be-bom UTF-32BE '\000\000\376\377' "UTF-32 (big-endian)"
enc utf32le UTF-32LE '' "UTF-32 (little-endian)"
enc utf32be UTF-32BE '' "UTF-32 (big-endian)"
# a UTF-8 byte order mark is skipped, in every format
{ printf '\357\273\277'; cat "$in/tgt.txt"; } >"$work/bom.txt"
t_code "UTF-8 BOM, target" 0 imp_all "$work/p.ferry" tgt "$work/bom.txt"
rm -f "$work/p.ferry"
printf '\357\273\277{"tokens": ["Anna"], "ner_tags": ["B-PER"]}\n' >"$work/bom.jsonl"
printf 'Anna\n' >"$work/t.txt"
printf '0-0\n' >"$work/a.align"
t_code "UTF-8 BOM, JSONL" 0 $FERRY import "$work/p.ferry" -q --src "$work/bom.jsonl" --tgt "$work/t.txt" --align "$work/a.align"
rm -f "$work/p.ferry"
# an integer tag too big for any label list is quoted whole, with what was expected
printf '{"tokens": ["Anna"], "ner_tags": [18446744073709551616]}\n' >"$work/int.jsonl"
t_code "integer tag overflow" 65 $FERRY import "$work/p.ferry" -q --src "$work/int.jsonl" --tgt "$work/t.txt" \
	--align "$work/a.align" --label-names PER
t_err "integer tag overflow" "ferry: $work/int.jsonl:1:35: integer tag 18446744073709551616 is out of range (expected 0 to 2: --label-names names 3 tags)"
t_code "integer tag overflow, no names" 65 $FERRY import "$work/p.ferry" -q --src "$work/int.jsonl" --tgt "$work/t.txt" \
	--align "$work/a.align"
t_err "integer tag overflow, no names" "ferry: $work/int.jsonl:1:35: integer tag 18446744073709551616 (expected string tags, or --label-names to name the integers)"
awk 'BEGIN { printf "{\"tokens\": [\"Anna\"], \"ner_tags\": ["; for (i = 0; i < 100; i++) printf "9"; print "]}" }' >"$work/int.jsonl"
t_code "integer tag of 100 digits" 65 $FERRY import "$work/p.ferry" -q --src "$work/int.jsonl" --tgt "$work/t.txt" \
	--align "$work/a.align" --label-names PER
t_err "integer tag of 100 digits" "ferry: $work/int.jsonl:1:35: integer tag 9999999999999999999999999999999999999999... is out of range (expected 0 to 2: --label-names names 3 tags)"
rm -f "$work/int.jsonl" "$work/bom.txt" "$work/bom.jsonl" "$work/t.txt" "$work/a.align" "$work/ref.ferry"
