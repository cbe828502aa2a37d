#!/bin/sh
# Accuracy on ../shared/data/europarl-dev: strict span F1 (seqeval's
# default chunking) of each method on en-de, en-es, en-it, from the
# forward and reverse GIZA++ alignments only (no model at projection time).
# The reference figures are in ../shared/data/README.md.
set -eu
. "$(dirname "$0")/common.sh"

for l in de es it; do
	"$FERRY" import "$tmp/$l.ferry" -q --src "$data/en-$l/src.conll" --tgt "$data/en-$l/tgt.txt" \
		--align "$data/en-$l/forward.txt" --align-rev "$data/en-$l/reverse.txt" \
		--tgt-gold "$data/en-$l/tgt.conll"
done

row() {
	name=$1; shift
	line=$(printf '%-44s' "$name")
	sum=0
	for l in de es it; do
		"$FERRY" match "$tmp/$l.ferry" -q "$@"
		f=$("$FERRY" eval "$tmp/$l.ferry" --json | sed 's/.*"micro":{[^}]*"f1":\([0-9.]*\).*/\1/')
		line="$line $f"
		sum=$(awk -v a="$sum" -v b="$f" 'BEGIN { print a + b }')
	done
	printf '%s  %.4f   ferry match %s\n' "$line" "$(awk -v s="$sum" 'BEGIN { print s / 3 }')" "$*"
}

printf '%-44s %-6s %-6s %-6s  %-6s\n' "method" "de" "es" "it" "mean"
row "heuristic elp (symmetrised gdfa)" --method heuristic --mode elp --links sym
row "heuristic elp (intersection)" --method heuristic --mode elp --links both --one-way 0
row "heuristic general d=2, only_i" --method heuristic --mode general --d 2 --only-i
row "greedy, align, gdfa (paper's greedy)" --method greedy --links sym --weights align=1 --min-score 0
row "ilp, align, gdfa (paper's ILP)" --method ilp --links sym --weights align=1 --min-score 0
row "greedy, align, intersection" --method greedy --links both --one-way 0 --weights align=1 --min-score 0
row "ilp, align+surface, gdfa" --method ilp --links sym --weights align=1,surface=0.5 --min-score 0
row "ilp, align (both directions)" --method ilp --weights align=1 --min-score 0
row "greedy, best fused = defaults" --method greedy
row "ilp, best fused settings" --method ilp
