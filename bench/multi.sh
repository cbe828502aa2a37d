#!/bin/sh
# Multi-source projection on ../shared/data/europarl-dev/multi: each of
# de, es and it as the target, with its three other languages as sources.
# Links: `ferry align` on the 21,044-line four-way bitext (its first 300
# lines are the dev pairs), one run per source and target.  Prints strict
# span F1 of each source alone (ferry's default matcher), of the simplest
# fusions of their projections (token and span majority, at least 2 of
# 3), of the default fused match, and of the fusion of six sources (each
# language aligned by ferry and by eflomal, ../shared/data's links), with
# the reliabilities the match estimated; then the time of matching three
# sources against one, side by side (30,000 pairs: the dev pairs 100 times).
set -eu
. "$(dirname "$0")/common.sh"
m=$data/multi
B=$m/bitext

f1() { "$FERRY" eval "$1" --json | sed 's/.*"micro":{[^}]*"f1":\([0-9.]*\).*/\1/'; }

# links S T: ferry's aligner on the bitext, the first 300 lines, into $tmp/S-T.{fwd,rev}
links() {
	"$FERRY" align "$B/$1.txt" "$B/$2.txt" --fwd "$tmp/all.fwd" --rev "$tmp/all.rev" -q
	head -300 "$tmp/all.fwd" >"$tmp/$1-$2.fwd"
	head -300 "$tmp/all.rev" >"$tmp/$1-$2.rev"
}
# eflomal S T: ../shared/data's links in S-T order, into $tmp/S-T.efl.{fwd,rev}
eflomal() {
	if [ -f "$m/align/$1-$2.fwd" ]; then
		cp "$m/align/$1-$2.fwd" "$tmp/$1-$2.efl.fwd"
		cp "$m/align/$1-$2.rev" "$tmp/$1-$2.efl.rev"
	else
		swap() { awk '{ o = ""; for (i = 1; i <= NF; i++) { split($i, a, "-"); o = o (i > 1 ? " " : "") a[2] "-" a[1] } print o }' "$1"; }
		swap "$m/align/$2-$1.rev" >"$tmp/$1-$2.efl.fwd"
		swap "$m/align/$2-$1.fwd" >"$tmp/$1-$2.efl.rev"
	fi
}

printf '%-6s %-24s %s\n' target "what" "F1"
for t in de es it; do
	srcs=$(for s in en de es it; do [ "$s" = "$t" ] || printf '%s ' "$s"; done)
	first=${srcs%% *}
	p=$tmp/$t.ferry p6=$tmp/$t.6.ferry
	rm -f "$p" "$p6"
	for s in $srcs; do links "$s" "$t"; eflomal "$s" "$t"; done
	"$FERRY" import "$p" -q --src "$m/$first.conll" --tgt "$m/$t.txt" --tgt-gold "$m/$t.conll" \
		--align "$tmp/$first-$t.fwd" --align-rev "$tmp/$first-$t.rev" --aligner ferry --src-lang "$first" --tgt-lang "$t"
	for s in $srcs; do
		[ "$s" = "$first" ] && continue
		"$FERRY" add-source "$p" -q --src "$m/$s.conll" --src-lang "$s" --align "$tmp/$s-$t.fwd" \
			--align-rev "$tmp/$s-$t.rev" --aligner ferry
	done
	cp "$p" "$p6"
	for s in $srcs; do
		"$FERRY" add-source "$p6" -q --src "$m/$s.conll" --src-lang "$s-efl" --align "$tmp/$s-$t.efl.fwd" \
			--align-rev "$tmp/$s-$t.efl.rev"
	done
	"$FERRY" match "$p" -q
	"$FERRY" match "$p6" -q
	for s in $srcs; do
		"$FERRY" export "$p" --source "$s" >"$tmp/$t.$s.conll"
	done
	"$FERRY" eval "$p" --per-source --json >"$tmp/$t.per.json"
	python3 - "$top/bench" "$t" "$m/$t.conll" "$tmp" $srcs <<'PY'
import collections, json, sys
sys.path.insert(0, sys.argv[1])
from conll import read_conll, spans, f1
t, gold_path, tmp, srcs = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
def tags(path):
    return [[w[-1] for w in s] for s in read_conll(path)]
gold = [set(spans(x)) for x in tags(gold_path)]
proj = {s: tags(f'{tmp}/{t}.{s}.conll') for s in srcs}
tok, spn = [], []
for i in range(len(gold)):
    n = len(proj[srcs[0]][i])
    lab = []
    for k in range(n):
        c = collections.Counter(proj[s][i][k][2:] for s in srcs if proj[s][i][k] != 'O')
        best = c.most_common(1)
        lab.append(best[0][0] if best and best[0][1] >= 2 else None)
    begins = [sum(1 for s in srcs if proj[s][i][k].startswith('B-')) for k in range(n)]
    out, k = set(), 0
    while k < n:
        if lab[k] is None: k += 1; continue
        a = k; k += 1
        while k < n and lab[k] == lab[a] and begins[k] < 2: k += 1
        out.add((a, k, lab[a]))
    tok.append(out)
    votes = collections.Counter(sp for s in srcs for sp in spans(proj[s][i]))
    chosen = []
    for sp, v in sorted(votes.items(), key=lambda x: (-x[1], x[0])):
        if v >= 2 and all(sp[1] <= c[0] or sp[0] >= c[1] for c in chosen): chosen.append(sp)
    spn.append(set(chosen))
per = json.load(open(f'{tmp}/{t}.per.json'))
for s in per['sources']:
    print(f"{t:6} {'from ' + s['lang']:24} {s['f1']:.4f}   reliability {s['reliability']:.4f}")
print(f"{t:6} {'token majority (2 of 3)':24} {f1(tok, gold):.4f}")
print(f"{t:6} {'span majority (2 of 3)':24} {f1(spn, gold):.4f}")
print(f"{t:6} {'fused (ferry match)':24} {per['fused']['f1']:.4f}")
PY
	printf '%-6s %-24s %s\n' "$t" "fused, six sources" "$(f1 "$p6")"
	# what each source contributes: the fusion of the two others
	for s in $srcs; do
		others=$(for o in $srcs; do [ "$o" = "$s" ] || printf '%s,' "$o"; done)
		"$FERRY" match "$p" -q --sources "${others%,}"
		printf '%-6s %-24s %s\n' "$t" "fused without $s" "$(f1 "$p")"
	done
done

# time: three sources against the first alone, 30,000 pairs, matched again (nothing rewritten)
t=de
for i in $(seq 100); do cat "$m/en.conll"; done >"$tmp/big.en.conll"
for l in de es it; do for i in $(seq 100); do cat "$m/$l.conll"; done >"$tmp/big.$l.conll"; done
for i in $(seq 100); do cat "$m/$t.txt"; done >"$tmp/big.$t.txt"
for s in en es it; do for e in fwd rev; do for i in $(seq 100); do cat "$tmp/$s-$t.$e"; done >"$tmp/big.$s.$e"; done; done
rm -f "$tmp/one.ferry" "$tmp/three.ferry"
"$FERRY" import "$tmp/one.ferry" -q --src "$tmp/big.en.conll" --tgt "$tmp/big.$t.txt" --align "$tmp/big.en.fwd" \
	--align-rev "$tmp/big.en.rev" --aligner ferry --src-lang en --tgt-lang "$t"
cp "$tmp/one.ferry" "$tmp/three.ferry"
for s in es it; do
	"$FERRY" add-source "$tmp/three.ferry" -q --src "$tmp/big.$s.conll" --src-lang "$s" --align "$tmp/big.$s.fwd" \
		--align-rev "$tmp/big.$s.rev" --aligner ferry
done
"$FERRY" match "$tmp/one.ferry" -q && "$FERRY" match "$tmp/three.ferry" -q
secs() { s0=$(date +%s.%N); "$@"; s1=$(date +%s.%N); echo "$s0 $s1" | awk '{ printf "%.3f", $2 - $1 }'; }
for r in 1 2 3; do
	a=$(secs "$FERRY" match "$tmp/three.ferry" -q) b=$(secs "$FERRY" match "$tmp/one.ferry" -q)
	echo "$a $b" | awk -v r="$r" '{ printf "match, 30,000 pairs: three sources %.2f s, one %.2f s: %.2fx (run %d)\n", $1, $2, $1 / $2, r }'
done
