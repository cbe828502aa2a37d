#!/bin/sh
# Bad-input corpus: every file in tests/bad/cases replaces one input of a
# small valid corpus (tests/bad/base) and must give exactly the exit code
# and message in tests/bad/expected, the same whether it is imported into
# a new project (which must then not exist) or appended to an existing one
# (which must then be byte for byte unchanged).  A case named *-ok is
# legitimately valid: its golden file holds what was imported.  Theme,
# config and --keys cases run `ferry review` instead.  A 1 MB token, a
# 10,000-token sentence and a 1 MB alignment line are generated here.
# Case files are named CASE.ROLE, ROLE being the base file they replace.
# UPDATE=1 rewrites the golden files (review the diff).
set -u
suite=bad
. "$(dirname "$0")/../lib.sh"
cases=0

# import_all DIR PROJECT: import DIR's files (src.conll or src.jsonl) into PROJECT
import_all() {
	src=src.conll
	[ -f "$1/src.jsonl" ] && src=src.jsonl
	(cd "$1" && $FERRY import "$2" -q --src $src --tgt tgt.txt --align fwd.align --align-rev rev.align \
		--bt bt.txt --align-src-bt src-bt.align --align-bt-tgt bt-tgt.align \
		--tgt-gold tgt-gold.conll --tgt-ner tgt-ner.conll)
}

mkdir "$work/base"
cp "$here"/base/* "$work/base/"
import_all "$work/base" "$work/base.ferry" || { echo "FAIL: the base corpus does not import"; exit 1; }

# run_case NAME ROLE FILE: FILE replaces the base file ROLE
run_case() {
	name=$1 role=$2 file=$3 d=$work/case
	cases=$((cases + 1))
	rm -rf "$d"; mkdir "$d"; cp "$here"/base/* "$d/"
	case $role in
	src.jsonl) rm "$d/src.conll"; cp "$file" "$d/src.jsonl" ;;
	theme|config|keys) ;;
	*) cp "$file" "$d/$role" ;;
	esac
	cp "$work/base.ferry" "$d/exist.ferry"
	cp "$work/base.ferry" "$d/before.ferry"
	case $role in
	theme|config|keys)
		mkdir -p "$d/cfg/ferry/themes"
		printf ']' >"$d/k.keys"; keys=k.keys theme=
		[ "$role" = theme ] && cp "$file" "$d/cfg/ferry/themes/bad.theme" && theme="--theme bad"
		[ "$role" = config ] && cp "$file" "$d/cfg/ferry/config"
		[ "$role" = keys ] && cp "$file" "$d/bad.keys" && keys=bad.keys
		# shellcheck disable=SC2086
		(cd "$d" && XDG_CONFIG_HOME=cfg $FERRY review exist.ferry --keys $keys $theme \
			>/dev/null 2>err.txt); code=$?
		{ echo "exit $code"; cat "$d/err.txt"; } >"$d/got"
		golden "$name" "$d/got"
		cmp -s "$d/exist.ferry" "$d/before.ferry" && ok || bad "$name: review changed the project"
		return ;;
	esac
	import_all "$d" "$d/new.ferry" 2>"$d/err.txt"; code=$?
	{ echo "exit $code"; cat "$d/err.txt"; } >"$d/got"
	if [ "$code" = 0 ]; then
		# what was imported, source and gold, as ferry writes it back
		$FERRY export "$d/new.ferry" --side source >>"$d/got" 2>&1
		$FERRY export "$d/new.ferry" --what gold >>"$d/got" 2>&1
	else
		ls "$d" | grep -q '^new\.ferry' && bad "$name: a failed import left $(ls "$d" | grep '^new\.ferry')" || ok
	fi
	golden "$name" "$d/got"
	# the same input appended to an existing project
	import_all "$d" "$d/exist.ferry" 2>"$d/err2.txt"; code2=$?
	if [ "$code2" != "$code" ] || ! cmp -s "$d/err.txt" "$d/err2.txt"; then
		bad "$name: appending gives exit $code2 '$(head -c 200 "$d/err2.txt")', a new project exit $code"
	elif [ "$code" != 0 ]; then
		cmp -s "$d/exist.ferry" "$d/before.ferry" && ok || bad "$name: a failed import changed the project"
	else
		ok
	fi
}

for f in "$here"/cases/*; do
	base=${f##*/}
	run_case "${base%%.*}.${base#*.}" "${base#*.}" "$f"
done

# --- generated: too big to keep in the repository --------------------------------
gen=$work/gen; mkdir "$gen"
# a token of 1 MB in the second sentence
awk 'BEGIN { s = "x"; while (length(s) < 1048576) s = s s; printf "%s\tO\n", substr(s, 1, 1048576) }' >"$gen/tok"
awk -v tokfile="$gen/tok" 'NR == 6 { while ((getline l < tokfile) > 0) print l } { print }' \
	"$here/base/src.conll" >"$gen/big-token-1mb.src.conll"
# a sentence of 10,000 tokens (source, target, alignments and gold agree)
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "w%d\t%s\n", i, (i == 9000 ? "B-LOC" : "O"); print "" }' >"$gen/long.conll"
cat "$here/base/src.conll" "$gen/long.conll" >"$gen/long-sentence-10000.src.conll"
# a 1 MB alignment line that is not Pharaoh
awk 'BEGIN { s = "0-"; while (length(s) < 1048576) s = s s; print substr(s, 1, 1048576) }' >"$gen/garbage"
cat "$gen/garbage" "$here/base/fwd.align" >"$gen/line-1mb.fwd.align"
for f in "$gen"/big-token-1mb.src.conll "$gen"/line-1mb.fwd.align; do
	base=${f##*/}
	run_case "${base%%.*}.${base#*.}" "${base#*.}" "$f"
done
# the long sentence needs a matching target, alignments and gold
d=$work/long; rm -rf "$d"; mkdir "$d"; cp "$here"/base/* "$d/"
cp "$gen/long-sentence-10000.src.conll" "$d/src.conll"
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "%sv%d", (i ? " " : ""), i; print "" }' >>"$d/tgt.txt"
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "%s%d-%d", (i ? " " : ""), i, i; print "" }' >"$d/line"
for a in fwd rev src-bt bt-tgt; do cat "$d/line" >>"$d/$a.align"; done
sed 's/w\([0-9]*\)\t/v\1\t/' "$gen/long.conll" >>"$d/tgt-gold.conll"
sed 's/w\([0-9]*\)\t\(.*\)$/v\1\t\2\t0.9/' "$gen/long.conll" >>"$d/tgt-ner.conll"
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "%sw%d", (i ? " " : ""), i; print "" }' >>"$d/bt.txt"
cases=$((cases + 1))
if import_all "$d" "$d/long.ferry" 2>"$d/err.txt" && $FERRY match "$d/long.ferry" -q 2>>"$d/err.txt"; then
	$FERRY export "$d/long.ferry" | awk 'NF && $2 != "O"' >"$d/got"
	golden long-sentence-10000 "$d/got"
else
	bad "long-sentence-10000: $(cat "$d/err.txt")"
fi

echo "bad inputs: $cases cases, $pass passed, $fail failed"
[ "$fail" = 0 ]
