"""bench/conll.py: what the Python helpers of ferry's benchmarks share:
reading CoNLL sentences and their entities as seqeval's default
(conlleval) chunking reads them, and strict span F1."""


def read_conll(path):
    """The sentences of a CoNLL file, each a list of its lines' columns."""
    sents, cur = [], []
    for line in open(path, encoding='utf8'):
        line = line.rstrip('\n')
        if not line:
            if cur:
                sents.append(cur)
                cur = []
            continue
        cur.append(line.split('\t'))
    if cur:
        sents.append(cur)
    return sents


def spans(tags):
    """The entities of a tag sequence as (start, end, label), end exclusive."""
    out, st, lab = [], None, None
    for i, t in enumerate(tags + ['O']):
        if t == 'O' or t.startswith('B-') or (t.startswith('I-') and t[2:] != lab):
            if st is not None:
                out.append((st, i, lab))
            st = lab = None
            if t != 'O':
                st, lab = i, t[2:]
    return out


def f1(pred, gold):
    """Micro span F1 of per-sentence sets of spans against gold."""
    tp = sum(len(p & g) for p, g in zip(pred, gold))
    np_, ng = sum(map(len, pred)), sum(map(len, gold))
    p, r = (tp / np_ if np_ else 0), (tp / ng if ng else 0)
    return 2 * p * r / (p + r) if p + r else 0
