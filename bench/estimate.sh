#!/bin/sh
# The estimate of the unreviewed projections' precision (ferry stats,
# quality.h) against the truth, on the Europarl dev pairs with gold:
# for each target language, K = 50, 100 and 200 pairs reviewed in a
# random order (ferry's sample order) and, to see the calibration work
# against a biased choice, in least-margin order; each SEEDS times.
# Reviews are simulated (bench/estimate.py): the pairs whose projections
# equal the gold are accepted, the others fixed to the gold.  Prints the
# mean estimate, the mean true precision of what is left, the mean
# absolute error and how often the 95% interval held the truth.
set -eu
. "$(dirname "$0")/common.sh"
SEEDS=${SEEDS:-10}

est() { "$FERRY" stats "$1" --json | python3 -c '
import json, sys
e = json.load(sys.stdin)["estimate"]
print(e["precision_unreviewed"], *e["interval"])'; }

printf '%-4s %-7s %4s %9s %9s %9s %9s\n' lang order K estimate true "mean|err|" covered
for l in de es it; do
	d=$data/en-$l
	"$FERRY" import "$tmp/$l.ferry" --src "$d/src.conll" --tgt "$d/tgt.txt" --align "$d/forward.txt" \
		--align-rev "$d/reverse.txt" --tgt-gold "$d/tgt.conll" -q
	"$FERRY" match "$tmp/$l.ferry" -q
	for order in random margin; do
		for k in 50 100 200; do
			seeds=$(seq 1 "$SEEDS"); [ "$order" = margin ] && seeds=1
			for s in $seeds; do
				cp "$tmp/$l.ferry" "$tmp/r.ferry"
				t=$(python3 "$top/bench/estimate.py" "$tmp/r.ferry" "$k" "$s" "$order")
				echo "$t $(est "$tmp/r.ferry")"
			done | awk -v l="$l" -v o="$order" -v k="$k" '
				$1 == "nan" { next }
				{ n++; te += $1; ee += $2; d = $2 - $1; ae += d < 0 ? -d : d; c += ($3 <= $1 && $1 <= $4) }
				END { if (n) printf "%-4s %-7s %4d %9.3f %9.3f %9.3f %6d/%d\n", l, o, k, ee / n, te / n, ae / n, c, n }'
		done
	done
done
