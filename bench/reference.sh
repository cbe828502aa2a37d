#!/bin/sh
# Files in, CoNLL out (import + match + export) on 15,000 synthetic pairs of
# about 14 tokens, against the reference implementations' whole-process
# rates measured on this kind of machine (../shared/data/README.md):
# Easy Label Projection 15k-23k sentences/s, the paper's greedy 2.4k-3.4k,
# the paper's exact ILP (PuLP + GLPK) 350-550.  Ratios use the best
# reference figure.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
FERRY=${FERRY:-$top/ferry}
out=${BENCH_DIR:-$top/bench/out}
d=$out/gen-15k
mkdir -p "$d"
[ -f "$d/.done" ] || { "$top/build/gen" 15000 7 "$d" 23 && touch "$d/.done"; }
n=15000

whole() {   # whole NAME REFERENCE-BEST MATCH-OPTIONS...
	name=$1 ref=$2; shift 2
	p=$out/ref.ferry
	rm -f "$p" "$p-wal" "$p-shm"
	t0=$(date +%s.%N)
	"$FERRY" import "$p" -q --src "$d/src.conll" --tgt "$d/tgt.txt" --align "$d/fwd.align"
	"$FERRY" match "$p" -q "$@"
	"$FERRY" export "$p" -o "$out/ref.conll"
	t1=$(date +%s.%N)
	awk -v name="$name" -v n="$n" -v a="$t0" -v b="$t1" -v ref="$ref" 'BEGIN {
		rate = n / (b - a)
		printf "%-34s %8.0f pairs/s   %6.1fx the reference (%s/s)\n", name, rate, rate / ref, ref }'
	rm -f "$p" "$p-wal" "$p-shm" "$out/ref.conll"
}

whole "heuristic elp" 23000 --method heuristic --mode elp --links sym
whole "greedy, alignment score" 3400 --method greedy --links sym --weights align=1 --min-score 0
whole "ilp, alignment score" 550 --method ilp --links sym --weights align=1 --min-score 0
