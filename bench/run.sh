#!/bin/sh
# make bench: throughput and peak memory of import and export on synthetic
# corpora made by bench/gen (deterministic: seed 1).  Sizes default to
# 10k and 100k pairs; BENCH_SIZES="10000 100000 1000000" for the full run.
# Figures depend on the machine and its load: compare runs side by side.
# Last, bench/longline.sh bounds the time per token on long lines.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
FERRY=${FERRY:-$top/ferry}
out=${BENCH_DIR:-$top/bench/out}
sizes=${BENCH_SIZES:-"10000 100000"}
mkdir -p "$out" "$top/build"
cc -O2 -Wall -Wextra -o "$top/build/gen" "$top/bench/gen.c"

# measure LABEL N CMD...: wall seconds, pairs/s and peak RSS of one command
measure() {
	label=$1 n=$2; shift 2
	/usr/bin/time -f "%e %M" -o "$out/time" "$@" >/dev/null
	read -r secs kb <"$out/time"
	awk -v l="$label" -v n="$n" -v s="$secs" -v kb="$kb" 'BEGIN {
		printf "%-28s %9d pairs %8.2f s %10.0f pairs/s %7.1f MB peak\n", l, n, s, (s > 0 ? n / s : 0), kb / 1024 }'
}

for n in $sizes; do
	d=$out/gen-$n
	if [ ! -f "$d/.done" ]; then
		mkdir -p "$d"
		"$top/build/gen" "$n" 1 "$d"
		touch "$d/.done"
	fi
	p=$out/bench-$n.ferry
	rm -f "$p" "$p-wal" "$p-shm"
	measure "import conll+fwd+rev" "$n" "$FERRY" import "$p" -q --src "$d/src.conll" --tgt "$d/tgt.txt" \
		--align "$d/fwd.align" --align-rev "$d/rev.align"
	rm -f "$p" "$p-wal" "$p-shm"
	measure "import jsonl+fwd+rev" "$n" "$FERRY" import "$p" -q --src "$d/src.jsonl" --tgt "$d/tgt.txt" \
		--align "$d/fwd.align" --align-rev "$d/rev.align"
	for m in "heuristic --mode elp" "greedy" "ilp" "greedy --weights align=1 --min-score 0" "ilp --weights align=1 --min-score 0"; do
		# shellcheck disable=SC2086
		measure "match $m" "$n" "$FERRY" match "$p" -q --method $m
	done
	# the review UI, scripted: open, next pair, accept with re-match, filter
	for k in "]]]]]]]]]]" "a]a]a]a]a]" "fpending<Enter>"; do
		printf '%s' "$k" >"$out/keys.txt"
		/usr/bin/time -f "%e %M" -o "$out/time" "$FERRY" review "$p" --keys "$out/keys.txt" --timing \
			2>"$out/timing" >/dev/null
		read -r secs kb <"$out/time"
		printf '%-28s %9d pairs %8.2f s (open + keys) %7.1f MB peak; %s\n' "review keys $k" "$n" "$secs" \
			"$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" "$(sed 's/^ferry: //' "$out/timing")"
	done
	measure "export target conll" "$n" "$FERRY" export "$p" -o "$out/export.conll"
	measure "eval (against itself)" "$n" "$FERRY" eval "$p" --gold "$out/export.conll"
	measure "export source conll" "$n" "$FERRY" export "$p" --side source -o "$out/export.conll"
	measure "export source jsonl" "$n" "$FERRY" export "$p" --side source --format jsonl -o "$out/export.jsonl"
	measure "stats" "$n" "$FERRY" stats "$p"
	rm -f "$p" "$p-wal" "$p-shm" "$out/export.conll" "$out/export.jsonl"
done

# against the reference implementations' whole-process rates, and side by
# side: the Python references (ELP_DIR), German against ASCII, and every
# stage against FERRY_BEFORE when given
"$top/bench/reference.sh"
FERRY=$FERRY "$top/bench/versus.sh"

# fidelity to the reference tools and accuracy, when the shared data is there
if [ -d "${DATA:-$top/../shared/data/europarl-dev}" ]; then
	"$top/bench/fidelity-sym.sh"
	"$top/bench/fidelity.sh"
	"$top/bench/fidelity-greedy.sh"
	"$top/bench/accuracy.sh"
	"$top/bench/aligner.sh"
	"$top/bench/multi.sh"
	"$top/bench/estimate.sh"
	# clique rows against the paper's pairwise rows, in GLPK
	d=${DATA:-$top/../shared/data/europarl-dev}/en-de
	rm -f "$out/ilp.ferry"
	"$FERRY" import "$out/ilp.ferry" -q --src "$d/src.conll" --tgt "$d/tgt.txt" --align "$d/forward.txt" \
		--align-rev "$d/reverse.txt"
	echo "ILP formulations, europarl-dev en-de, default scores:"
	"$top/build/ilpform" "$out/ilp.ferry"
	echo "ILP formulations, europarl-dev en-de, align+surface with no min-score (big problems):"
	"$top/build/ilpform" "$out/ilp.ferry" "method=ilp weights=align=1,surface=0.5 min_score=0"
	rm -f "$out/ilp.ferry"
fi

# time per token on long lines must stay flat (exits 1 when it does not)
FERRY=$FERRY "$top/bench/longline.sh"
