"""Simulated reviews for bench/estimate.sh: review K pairs of a matched
project with gold (accept the pairs whose projections equal the gold,
fix the others to the gold), then print the true precision of the
projections of the pairs left pending (span and label equal to a gold
span).

usage: estimate.py PROJECT K SEED ORDER   (ORDER: random or margin)
"""
import random
import sqlite3
import sys

path, k, seed, order = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
db = sqlite3.connect(path)
gold = {}
for pair, a, b, label in db.execute("SELECT pair, start, stop, label FROM gold"):
    gold.setdefault(pair, set()).add((a, b, label))
proj = {}
for pair, a, b, label, margin in db.execute("SELECT pair, start, stop, label, margin FROM projection WHERE origin = 0"):
    proj.setdefault(pair, []).append((a, b, label, margin))
ids = [r[0] for r in db.execute("SELECT id FROM pair ORDER BY id")]
if order == "random":
    random.Random(seed).shuffle(ids)
else:  # the least margin first, as a reviewer in ferry's margin order would
    ids.sort(key=lambda i: min((m for *_, m in proj.get(i, [])), default=9))
chosen = set(ids[:k])
for i in chosen:
    mine = {(a, b, l) for a, b, l, _ in proj.get(i, [])}
    g = gold.get(i, set())
    if mine == g:
        db.execute("UPDATE pair SET status = 1 WHERE id = ?", (i,))
    else:
        db.execute("UPDATE pair SET status = 2 WHERE id = ?", (i,))
        db.execute("DELETE FROM projection WHERE pair = ?", (i,))
        for a, b, l in sorted(g):
            db.execute("INSERT INTO projection(pair, start, stop, label, method, origin) VALUES (?, ?, ?, ?, 'hand', 1)",
                       (i, a, b, l))
db.commit()
right = total = 0
for i in ids[k:]:
    for a, b, l, _ in proj.get(i, []):
        total += 1
        right += (a, b, l) in gold.get(i, set())
print("%.4f" % (right / total if total else float("nan")))
