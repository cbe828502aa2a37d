#!/bin/sh
# bench/versus.sh: commands timed side by side, A B A B, RUNS pairs
# (default 5); each line gives both medians and the median of the
# pair-by-pair ratios, so a drift of the machine's speed during the run
# moves both alike.
#
#  1. ferry's whole process, files in -> CoNLL out (import, match,
#     export: three processes and a project file), against the Python
#     references on the same 15,000 bench/gen pairs of 5-23 tokens (14 on
#     average): the projection step of Easy Label Projection (ELP_DIR, a
#     checkout of ikergarcia1996/Easy-Label-Projection, run by python3
#     with torch and tqdm; skipped without it), and bench/paper-greedy.py,
#     the paper's greedy written in plain Python (the paper's own numpy
#     code is not public; ../shared/data/README.md gives its rate here,
#     2.4k-3.4k pairs/s whole process, and paper-greedy.py is faster).
#  2. German against ASCII: match and export of the same pairs with ä, ö,
#     ü and ß in place of a, o, u and s (every word non-ASCII), as a ratio.
#  3. With FERRY_BEFORE=an older ferry binary: every stage on BENCH_PAIRS
#     (default 200,000) bench/gen pairs, this ferry against that one.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
FERRY=${FERRY:-$top/ferry}
out=${BENCH_DIR:-$top/bench/out}
RUNS=${RUNS:-5}
mkdir -p "$out" "$top/build"
[ -x "$top/build/gen" ] || cc -O2 -Wall -Wextra -o "$top/build/gen" "$top/bench/gen.c"

corpus() {   # corpus DIR N SEED [MAXLEN]
	[ -f "$1/.done" ] || { mkdir -p "$1" && "$top/build/gen" "$2" "$3" "$1" ${4:-} && touch "$1/.done"; }
}

# side LABEL N 'A' 'B' ['SETUP_A' 'SETUP_B']: RUNS pairs of A then B (sh -c),
# each after its setup (not timed); medians and the median ratio A/B
side() {
	label=$1 n=$2 a=$3 b=$4 sa=${5:-:} sb=${6:-:}
	: >"$out/side.txt"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		sh -c "$sa" && t0=$(date +%s.%N) && sh -c "$a" >/dev/null 2>&1 || { echo "$label: A failed: $a" >&2; return 1; }
		t1=$(date +%s.%N)
		sh -c "$sb" && t2=$(date +%s.%N) && sh -c "$b" >/dev/null 2>&1 || { echo "$label: B failed: $b" >&2; return 1; }
		t3=$(date +%s.%N)
		echo "$t0 $t1 $t2 $t3" >>"$out/side.txt"
		i=$((i + 1))
	done
	awk -v label="$label" -v n="$n" '
		function median(v, k,   i, j, t) {
			for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2 }
		{ k++; a[k] = $2 - $1; b[k] = $4 - $3; r[k] = a[k] / b[k] }
		END { ma = median(a, k); mb = median(b, k); mr = median(r, k)
			printf "%-44s %8.3f s %8.3f s   A/B %6.3f  (B/A %6.1fx)", label, ma, mb, mr, 1 / mr
			if (n > 0) printf "   %9.0f vs %9.0f pairs/s", n / ma, n / mb
			printf "\n" }' "$out/side.txt"
}

# the whole process on corpus DIR with match options, into project P
whole() {   # whole FERRY DIR P MATCH-OPTIONS...
	f=$1 d=$2 p=$3; shift 3
	echo "rm -f $p $p-wal $p-shm && $f import $p -q --src $d/src.conll --tgt $d/tgt.txt --align $d/fwd.align &&" \
		"$f match $p -q $* && $f export $p -o $p.conll"
}

echo "side by side, A B A B, $RUNS pairs: median A, median B, median of the ratios A/B"
ref=$out/gen-15k
corpus "$ref" 15000 7 23
n=15000

# 1. against the references: ELP needs a python3 with torch and tqdm (Debian's python3-torch, python3-tqdm)
ELP_PYTHON=
for py in ${PYTHON:-python3} /usr/bin/python3; do
	if command -v "$py" >/dev/null && "$py" -c 'import torch, tqdm' 2>/dev/null; then ELP_PYTHON=$py; break; fi
done
if [ -n "${ELP_DIR:-}" ] && [ -f "$ELP_DIR/projection/annotation_proyection.py" ] && [ -n "$ELP_PYTHON" ]; then
	cat >"$out/elp.py" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
from projection.annotation_proyection import dataset_projection
dataset_projection(source_dataset=sys.argv[2], target_sentences=sys.argv[3], alignments_path=sys.argv[4],
                   batch_size=10000, output_path=sys.argv[5])
EOF
	side "whole: ferry heuristic elp vs ELP (Python)" $n \
		"$(whole "$FERRY" "$ref" "$out/v.ferry" --method heuristic --mode elp --links fwd)" \
		"$ELP_PYTHON $out/elp.py $ELP_DIR $ref/src.conll $ref/tgt.txt $ref/fwd.align $out/elp.out"
else
	echo "whole: ferry heuristic elp vs ELP: skipped (set ELP_DIR to a checkout of Easy-Label-Projection; python3 needs torch and tqdm)"
fi
side "whole: ferry greedy vs paper-greedy.py" $n \
	"$(whole "$FERRY" "$ref" "$out/v.ferry" --method greedy --weights align=1 --min-score 0 --links fwd)" \
	"python3 $top/bench/paper-greedy.py $ref/src.conll $ref/tgt.txt $ref/fwd.align"

# 2. German against ASCII: the same pairs, every word with a non-ASCII letter
big=$out/gen-${BENCH_PAIRS:-200000}
corpus "$big" "${BENCH_PAIRS:-200000}" 1
de=$big-de
if [ ! -f "$de/.done" ]; then
	mkdir -p "$de"
	# tags are upper case: only the words change
	for f in src.conll tgt.txt; do sed 's/a/ä/g; s/o/ö/g; s/u/ü/g; s/s/ß/g' "$big/$f" >"$de/$f"; done
	cp "$big/fwd.align" "$big/rev.align" "$de/"
	touch "$de/.done"
fi
np=${BENCH_PAIRS:-200000}
for d in "$big" "$de"; do
	rm -f "$d.ferry" "$d.ferry-wal" "$d.ferry-shm"
	"$FERRY" import "$d.ferry" -q --src "$d/src.conll" --tgt "$d/tgt.txt" --align "$d/fwd.align" --align-rev "$d/rev.align"
done
side "German/ASCII: import" "$np" \
	"$FERRY import $de.i.ferry -q --src $de/src.conll --tgt $de/tgt.txt --align $de/fwd.align --align-rev $de/rev.align" \
	"$FERRY import $big.i.ferry -q --src $big/src.conll --tgt $big/tgt.txt --align $big/fwd.align --align-rev $big/rev.align" \
	"rm -f $de.i.ferry*" "rm -f $big.i.ferry*"
# a first match each time (a match of a matched project writes nothing): from a pristine copy, not timed
side "German/ASCII: match greedy" "$np" "$FERRY match $de.m.ferry -q --method greedy" \
	"$FERRY match $big.m.ferry -q --method greedy" "rm -f $de.m.ferry* && cp $de.ferry $de.m.ferry" \
	"rm -f $big.m.ferry* && cp $big.ferry $big.m.ferry"
"$FERRY" match "$big.ferry" -q --method greedy   # export reads a matched project
"$FERRY" match "$de.ferry" -q --method greedy
side "German/ASCII: export" "$np" "$FERRY export $de.ferry -o $de.conll" "$FERRY export $big.ferry -o $big.conll"
rm -f "$de".i.ferry* "$big".i.ferry* "$de".m.ferry* "$big".m.ferry* "$de.conll" "$big.conll"

# 3. every stage, this ferry against an older one
if [ -n "${FERRY_BEFORE:-}" ]; then
	d=$big
	imp="import @P -q --src $d/src.conll --tgt $d/tgt.txt --align $d/fwd.align --align-rev $d/rev.align"
	rm -f "$out"/a0.ferry* "$out"/b0.ferry*
	side "stage: import (after/before)" "$np" "$FERRY $(echo "$imp" | sed "s|@P|$out/a.ferry|")" \
		"$FERRY_BEFORE $(echo "$imp" | sed "s|@P|$out/b.ferry|")" "rm -f $out/a.ferry*" "rm -f $out/b.ferry*"
	# the first match of a fresh import (every pair written), as a user runs
	# it: each run first copies a pristine import (not timed)
	"$FERRY" $(echo "$imp" | sed "s|@P|$out/a0.ferry|")
	"$FERRY_BEFORE" $(echo "$imp" | sed "s|@P|$out/b0.ferry|")
	for m in "heuristic --mode elp" "greedy" "ilp"; do
		side "stage: match $m (after/before)" "$np" "$FERRY match $out/a.ferry -q --method $m" \
			"$FERRY_BEFORE match $out/b.ferry -q --method $m" \
			"rm -f $out/a.ferry-wal $out/a.ferry-shm && cp $out/a0.ferry $out/a.ferry" \
			"rm -f $out/b.ferry-wal $out/b.ferry-shm && cp $out/b0.ferry $out/b.ferry"
	done
	side "stage: export (after/before)" "$np" "$FERRY export $out/a.ferry -o $out/a.conll" \
		"$FERRY_BEFORE export $out/b.ferry -o $out/b.conll"
	cmp -s "$out/a.conll" "$out/b.conll" && echo "stage: the exports of both are identical" ||
		echo "stage: THE EXPORTS DIFFER ($out/a.conll, $out/b.conll)"
	printf '%-44s %8.0f %8.0f bytes a pair\n' "stage: project file after ilp (after, before)" \
		"$(($(stat -c %s "$out/a.ferry") / np))" "$(($(stat -c %s "$out/b.ferry") / np))"
	rm -f "$out"/a.ferry* "$out"/b.ferry* "$out"/a0.ferry* "$out"/b0.ferry* "$out/a.conll" "$out/b.conll"
fi
rm -f "$out"/v.ferry* "$out/elp.out" "$out/side.txt"
