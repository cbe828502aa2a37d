#!/bin/sh
# Greedy fidelity: ferry's greedy with the paper's settings (--method greedy
# --weights align=1 --links sym --min-score 0 --max-len 10) against the
# reference code's behaviour (bench/paper-greedy.py), on the Europarl dev
# pairs with intersection links and on 3,000 synthetic pairs full of
# sentence-internal '.', '...', '!' and '?' tokens and noisy links.  Prints
# the sentences with the same entities, and of the others how many met no
# tie in the reference's greedy; exits 1 when one differs without a tie.
set -eu
. "$(dirname "$0")/common.sh"
status=0
paper="--method greedy --weights align=1 --links sym --min-score 0 --max-len 10"

# compare NAME SRC TGT LINKS
compare() {
	python3 "$top/bench/paper-greedy.py" "$2" "$3" "$4" >"$tmp/ref.conll" 2>"$tmp/ties"
	rm -f "$tmp/p.ferry"
	"$FERRY" import "$tmp/p.ferry" -q --src "$2" --tgt "$3" --align "$4"
	# shellcheck disable=SC2086
	"$FERRY" match "$tmp/p.ferry" -q $paper
	"$FERRY" export "$tmp/p.ferry" >"$tmp/ferry.conll"
	line() { awk -v RS= '{ gsub(/\n/, " "); print }' "$1"; }
	line "$tmp/ref.conll" >"$tmp/a"
	line "$tmp/ferry.conll" >"$tmp/b"
	r=$(paste -d'|' "$tmp/a" "$tmp/b" "$tmp/ties" | awk -F'|' '
		$1 == $2 { s++; next } { d++; if ($3 == 0) u++ }
		END { printf "%d/%d sentences with the reference'"'"'s entities; %d differ, %d of them without a tie\n",
		      s, NR, d, u }')
	echo "$1: $r"
	case $r in *", 0 of them without a tie") ;; *) status=1 ;; esac
}

for l in de es it; do
	d=$data/en-$l
	compare "en-$l intersect.txt" "$d/src.conll" "$d/tgt.txt" "$d/intersect.txt"
done
python3 - "$tmp" <<'PY'
import random, sys
random.seed(1)
d = sys.argv[1]
words = ['alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta', 'eta', 'theta', 'iota', 'kappa',
         '.', ',', '!', '?', '...', 'Dr', 'St']
with open(d + '/s.conll', 'w') as src, open(d + '/s.txt', 'w') as tgt, open(d + '/s.align', 'w') as aln:
    for _ in range(3000):
        ns, nt = random.randint(5, 18), random.randint(5, 20)
        s = [random.choice(words) for _ in range(ns)]
        t = [random.choice(words) for _ in range(nt)]
        tags, i = ['O'] * ns, 0
        while i < ns:
            if random.random() < 0.2:
                n, lab = random.randint(1, 3), random.choice(['PER', 'LOC', 'ORG', 'MISC'])
                for k in range(i, min(ns, i + n)):
                    tags[k] = ('B-' if k == i else 'I-') + lab
                i += n + 1
            else:
                i += 1
        src.write(''.join(f'{w}\t{g}\n' for w, g in zip(s, tags)) + '\n')
        tgt.write(' '.join(t) + '\n')
        links = set()
        for x in range(ns):
            for _ in range(random.choice([0, 1, 1, 1, 2])):
                links.add((x, min(nt - 1, max(0, x * nt // ns + random.randint(-2, 2)))))
        aln.write(' '.join(f'{x}-{y}' for x, y in sorted(links)) + '\n')
PY
compare "synthetic, 3000 pairs" "$tmp/s.conll" "$tmp/s.txt" "$tmp/s.align"
exit $status
