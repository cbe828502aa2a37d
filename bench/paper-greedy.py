# bench/paper-greedy.py SRC.conll TGT.txt LINKS [MAXLEN]: the candidate
# matching's greedy (Politov et al. 2025) as its reference code behaves,
# written for ferry's benchmarks from the paper and that code's documented
# semantics, in plain Python (no numpy), to tell ferry's greedy from it:
#   candidates: every target range of 1..MAXLEN words holding no "!" or "?";
#   cost(e, c) = 2 * (links from e's words into c) / (|e| + |c|), kept > 0;
#   greedy: take the largest cost (the first, entity-major, on ties), then
#   drop that entity's row and every candidate overlapping the one taken.
# Writes CoNLL (token TAB tag) to stdout, and one line per sentence to
# stderr: 1 when some step of it met a tie (two choices of equal cost).
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conll import read_conll, spans  # noqa: E402
src, tgt, aln, maxw = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 10
S = read_conll(src)
T = [l.split() for l in open(tgt, encoding='utf8')]
A = [[tuple(map(int, x.split('-'))) for x in l.split()] for l in open(aln)]
TIE=[0]
for s, t, a in zip(S, T, A):
    TIE[0]=0
    ents = spans([w[1] for w in s])
    n = len(t)
    cands = [(i, j) for i in range(n) for j in range(i + 1, min(i + maxw, n) + 1)
             if not ({'!', '?'} & set(t[i:j]))]
    by_src = {}
    for x, y in a: by_src.setdefault(x, []).append(y)
    C = []
    for (es, ee, lab) in ents:
        row = []
        for (cs, ce) in cands:
            k = sum(1 for w in range(es, ee) for y in by_src.get(w, []) if cs <= y < ce)
            row.append(2 * k / ((ee - es) + (ce - cs)) if k else 0.0)
        C.append(row)
    rows = [r for r in range(len(ents)) if any(C[r])]
    cols = [c for c in range(len(cands)) if any(C[r][c] for r in rows)]
    M = [[C[r][c] for c in cols] for r in rows]
    out = ['O'] * n
    while M and max(max(r) for r in M) > 0:
        best, bi, bj = -1, 0, 0
        for i, r in enumerate(M):
            for j, v in enumerate(r):
                if v > best: best, bi, bj = v, i, j
        if sum(1 for r in M for v in r if v == best) > 1: TIE[0] = 1
        cs, ce = cands[cols[bj]]
        lab = ents[rows[bi]][2]
        out[cs] = 'B-' + lab
        for q in range(cs + 1, ce): out[q] = 'I-' + lab
        M[bi] = [0.0] * len(M[bi])
        for j in range(len(cols)):
            x, y = cands[cols[j]]
            if x < ce and cs < y:
                for r in M: r[j] = 0.0
    sys.stderr.write(str(TIE[0])+'\n')
    for w, tag in zip(t, out): print(f'{w}\t{tag}')
    print()
