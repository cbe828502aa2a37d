/*
 * match-score.c — the candidates of a pair and their scores.
 *
 * Candidates are all n-grams of at most max_len tokens without
 * sentence-final punctuation; when the alignment score is the only one in
 * use, only n-grams inside the range spanned by the entity's aligned
 * target tokens (outside it a candidate only loses score and blocks
 * others, so no optimum is lost under <=).  When the other scores
 * together cannot reach min_score, a candidate needs a link to the
 * entity, so only starts that can still reach the aligned range are
 * tried.
 *
 * Scores, fused as c = sum_k lambda_k c_k and dropped below min_score:
 *   align    2 a / (|s| + |t|), a = summed weight of links between s and t
 *            (the reference code's count of aligned pairs; weights are 1
 *            unless the file or LINKS_BOTH gives others);
 *   surface  Dice coefficient of the character bigrams of s and t after
 *            ICU Any-Latin; Latin-ASCII; Lower (names are often copied or
 *            transliterated);
 *   lexicon  count(s -> t, label) / count(s -> anything), from reviewers;
 *   ner      with probabilities: (P(B-L at k) + sum P(I-L inside)) / |t|^alpha;
 *            without: 1 when t is exactly a predicted entity of the label.
 *
 * Each score is a handful of functions named after it (see SCORES below):
 * a per-pair and a per-entity preparation, reached through score_table,
 * and a per-start reset and a per-span term, which the span loop calls
 * directly so that they are inlined: that loop runs for every n-gram of
 * every entity and is the matcher's hot path.  A span's terms are
 * extended one token at a time (l = k+1, k+2, ...): the surface score
 * keeps its bigram counts and the NER score its probability sum from
 * one end to the next.
 *
 * Where only the alignment and surface scores count, match_score_lazy
 * (at the end) finds each entity's first candidates without scoring the
 * rest: spans come off a heap by an upper bound of their score, and only
 * one on top is scored, with the same loop and so to the same bit.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/scheme.h"
#include "ferry/text.h"
#include "match-int.h"

/* What the scores share while one pair's candidates are scored. */
struct score_ctx {
	match_ws *ws;
	const struct pair *p;
	const struct match_opts *o;
	const double *w;               /* o->weights */
	int      on[SCORE_COUNT];      /* the score counts for this pair */
	int      align_only;           /* candidates stay inside the aligned range */
	int      need_link;            /* a candidate must reach the aligned range */
	/* the entity being scored */
	const struct span *s;
	uint32_t slen;
	uint32_t lo, hi;               /* align: target tokens its links reach, [lo, hi) */
	int      lex_known;            /* lexicon: its source text has entries */
	int      ner_probs;            /* ner: the predictions carry probabilities */
	/* the candidate start being extended */
	size_t   tlen, inter;          /* surface: bigrams of the candidate, those in the source */
	double   nersum;               /* ner: summed tag probability */
};

/*
 * The scores, in the order their terms are added to a candidate's score
 * (a floating-point sum depends on it).  Each score NAME provides
 *   NAME_pair(x, err)    once per pair when its weight is > 0: prepare,
 *                        or switch itself off (x->on[K] = 0); 0 or -1;
 *   NAME_entity(x, err)  once per entity while on: 0, -1 on error, or 1
 *                        when the entity can have no candidate;
 *   NAME_start(x, k)     a new candidate start k;
 *   NAME_span(x, k, l)   its weighted term for [k, l), after the term
 *                        for [k, l - 1).
 * Preparations run in enum order, so align's range is known to the rest.
 */
#define SCORES(X) \
	X(SCORE_ALIGN, align) \
	X(SCORE_SURFACE, surface) \
	X(SCORE_NER, ner) \
	X(SCORE_LEXICON, lexicon)

/* ---- align ------------------------------------------------------------------ */

/* Room for the prefix sums. */
static int
align_pair(struct score_ctx *x, struct ferry_err *err)
{
	(void)err;
	VEC_GROW(x->ws->pre, x->ws->pre_cap, (size_t)x->p->tgt.n + 1);
	return 0;
}

/* Aligned weight per target token as prefix sums, and the range the links reach. */
static int
align_entity(struct score_ctx *x, struct ferry_err *err)
{
	match_ws *ws = x->ws;
	uint32_t nt = x->p->tgt.n, lo = nt, hi = 0;

	(void)err;
	memset(ws->pre, 0, ((size_t)nt + 1) * sizeof *ws->pre);
	for (size_t i = 0; i < ws->l.n; i++) {
		const struct link *k = &ws->l.v[i];
		if (k->s >= x->s->start && k->s < x->s->end && k->t < nt) {
			ws->pre[k->t + 1] += k->w;
			if (k->t < lo)
				lo = k->t;
			if (k->t + 1 > hi)
				hi = k->t + 1;
		}
	}
	for (uint32_t j = 0; j < nt; j++)
		ws->pre[j + 1] += ws->pre[j];
	x->lo = lo;
	x->hi = hi;
	return x->need_link && lo >= hi;
}

/* No state per start. */
static inline void
align_start(struct score_ctx *x, uint32_t k)
{
	(void)x;
	(void)k;
}

/* 2 a / (|s| + |t|). */
static inline double
align_span(struct score_ctx *x, uint32_t k, uint32_t l)
{
	double a = x->ws->pre[l] - x->ws->pre[k];

	if (a > 0)
		return x->w[SCORE_ALIGN] * 2.0 * a / (double)(x->slen + (l - k));
	return 0;
}

/* ---- surface: bigram Dice, incremental over the candidate's end -------------- */

/* Fold every target token once; offsets into ws->fold_tgt. */
static int
surface_pair(struct score_ctx *x, struct ferry_err *err)
{
	match_ws *ws = x->ws;
	const struct pair *p = x->p;
	size_t cap = ws->fold_cap;

	buf_reset(&ws->fold_tgt);
	VEC_GROW(ws->fold_off, ws->fold_cap, (size_t)p->tgt.n + 1);
	if (ws->fold_cap != cap || ws->fold_len == NULL)
		ws->fold_len = xrealloc(ws->fold_len, ws->fold_cap * sizeof *ws->fold_len);
	if (p->tgt.n > 0 && text_fold_ascii(p->tgt.text, p->tgt.len, &ws->fold_tgt)) {
		/* ASCII folds byte for byte: the whole sentence at once, each token where it was */
		for (uint32_t j = 0; j < p->tgt.n; j++) {
			ws->fold_off[j] = p->tgt.off[j];
			toks_get(&p->tgt, j, &ws->fold_len[j]);
		}
		return 0;
	}
	for (uint32_t j = 0; j < p->tgt.n; j++) {
		size_t len;
		const char *t = toks_get(&p->tgt, j, &len);
		ws->fold_off[j] = ws->fold_tgt.len;
		if (text_fold_latin(t, len, &ws->fold_tgt, err) < 0)
			return -1;
		ws->fold_len[j] = ws->fold_tgt.len - ws->fold_off[j];
	}
	return 0;
}

/* Bigrams of the folded source entity (tokens joined by a space). */
static void
bigrams_build(struct bigrams *b, const char *s, size_t len)
{
	if (b->stamp == NULL) {
		b->stamp = xcalloc(BIGRAM_KEYS, sizeof *b->stamp);
		b->used_stamp = xcalloc(BIGRAM_KEYS, sizeof *b->used_stamp);
		b->count = xcalloc(BIGRAM_KEYS, sizeof *b->count);
		b->used = xcalloc(BIGRAM_KEYS, sizeof *b->used);
	}
	b->gen++;
	b->total = len > 1 ? len - 1 : 0;
	for (size_t i = 0; i + 1 < len; i++) {
		uint32_t k = (uint32_t)(unsigned char)s[i] << 8 | (unsigned char)s[i + 1];
		if (b->stamp[k] != b->gen) {
			b->stamp[k] = b->gen;
			b->count[k] = 0;
		}
		b->count[k]++;
	}
}

/* Fold the source entity and count its bigrams. */
static int
surface_entity(struct score_ctx *x, struct ferry_err *err)
{
	match_ws *ws = x->ws;

	buf_reset(&ws->fold_src);
	for (uint32_t i = x->s->start; i < x->s->end; i++) {
		size_t len;
		const char *t = toks_get(&x->p->src, i, &len);
		if (i > x->s->start)
			buf_addc(&ws->fold_src, ' ');
		if (text_fold_latin(t, len, &ws->fold_src, err) < 0)
			return -1;
	}
	bigrams_build(&ws->sb, buf_cstr(&ws->fold_src), ws->fold_src.len);
	return 0;
}

/* A new candidate start: nothing of the source multiset is used yet. */
static inline void
surface_start(struct score_ctx *x, uint32_t k)
{
	(void)k;
	x->ws->sb.use_gen++;
	x->tlen = 0;
	x->inter = 0;
}

/* Does the source have the bigram at all? */
static inline int
bigram_in(const struct bigrams *b, uint32_t key)
{
	return b->stamp[key] == b->gen;
}

/* Count a bigram of the candidate against the source multiset. */
static inline int
bigram_hit(struct bigrams *b, uint32_t key)
{
	if (!bigram_in(b, key))
		return 0;
	if (b->used_stamp[key] != b->use_gen) {
		b->used_stamp[key] = b->use_gen;
		b->used[key] = 0;
	}
	if (b->used[key] < b->count[key]) {
		b->used[key]++;
		return 1;
	}
	return 0;
}

/* The key of the byte pair (a, b). */
static inline uint32_t
bigram_key(char a, char b)
{
	return (uint32_t)(unsigned char)a << 8 | (unsigned char)b;
}

/* Dice of the bigrams, extended by token l - 1: the joining space, then its own. */
static inline double
surface_span(struct score_ctx *x, uint32_t k, uint32_t l)
{
	match_ws *ws = x->ws;
	struct bigrams *sb = &ws->sb;
	uint32_t q = l - 1;
	const char *f = ws->fold_tgt.s + ws->fold_off[q];
	size_t fl = ws->fold_len[q], tlen = x->tlen, inter = x->inter;

	if (q > k && fl) {
		const char *prev = ws->fold_tgt.s + ws->fold_off[q - 1];
		size_t pl = ws->fold_len[q - 1];
		if (pl) {
			inter += (size_t)bigram_hit(sb, bigram_key(prev[pl - 1], ' '));
			tlen++;
		}
		inter += (size_t)bigram_hit(sb, bigram_key(' ', f[0]));
		tlen++;
	}
	for (size_t m = 0; m + 1 < fl; m++) {
		inter += (size_t)bigram_hit(sb, bigram_key(f[m], f[m + 1]));
		tlen++;
	}
	x->tlen = tlen;
	x->inter = inter;
	double dice = (sb->total + tlen) ? 2.0 * (double)inter / (double)(sb->total + tlen) : 0;
	if (sb->total == 0 && tlen == 0 && l - k == 1 && fl == ws->fold_src.len &&
	    memcmp(f, ws->fold_src.s, fl) == 0)
		dice = 1.0;   /* one-character names */
	return x->w[SCORE_SURFACE] * dice;
}

/* ---- ner ---------------------------------------------------------------------- */

/* Does any target token carry probabilities (not "-")? */
static int
ner_has_probs(const struct pair *p)
{
	for (uint32_t j = 0; j < p->ner_probs.n; j++) {
		size_t len;
		const char *pr = toks_get(&p->ner_probs, j, &len);
		if (!(len == 1 && pr[0] == '-'))
			return 1;
	}
	return 0;
}

/* The predicted tags and spans of the target; off without predictions. */
static int
ner_pair(struct score_ctx *x, struct ferry_err *err)
{
	match_ws *ws = x->ws;
	const struct pair *p = x->p;
	uint32_t nt = p->tgt.n;

	(void)err;
	if (!p->has_ner) {
		x->on[SCORE_NER] = 0;
		return 0;
	}
	VEC_GROW(ws->ner_tags, ws->ner_cap, (size_t)nt + 1);
	for (uint32_t j = 0; j < nt; j++) {
		size_t len;
		const char *t = toks_get(&p->ner_tags, j, &len);
		if (tag_parse(t, len, &ws->ner_tags[j]) < 0)
			ws->ner_tags[j].prefix = 'O';
	}
	spans_reset(&ws->ner);
	scheme_decode(ws->ner_tags, nt, &ws->ner);
	x->ner_probs = ner_has_probs(p);
	return 0;
}

/* Nothing per entity. */
static int
ner_entity(struct score_ctx *x, struct ferry_err *err)
{
	(void)x;
	(void)err;
	return 0;
}

/* A new start: no probability summed yet. */
static inline void
ner_start(struct score_ctx *x, uint32_t k)
{
	(void)k;
	x->nersum = 0;
}

/* Probability that target token j carries tag prefix-label per the predictions. */
static double
ner_prob(const struct pair *p, const struct tag *tags, uint32_t j, char prefix, const char *label)
{
	size_t plen, llen = strlen(label);
	const char *pr = toks_get(&p->ner_probs, j, &plen);
	const struct tag *t = &tags[j];
	int match = t->prefix == prefix && t->type_len == llen && memcmp(t->type, label, llen) == 0;

	if (plen == 1 && pr[0] == '-')
		return match;
	if (!memchr(pr, '=', plen))
		return match ? strtod(pr, NULL) : 0.0;
	/* "B-PER=0.9,I-PER=0.05" */
	for (size_t i = 0; i < plen; ) {
		size_t k = i;
		while (k < plen && pr[k] != ',')
			k++;
		if (k - i > llen + 3 && pr[i] == prefix && pr[i + 1] == '-' &&
		    memcmp(pr + i + 2, label, llen) == 0 && pr[i + 2 + llen] == '=')
			return strtod(pr + i + 3 + llen, NULL);
		i = k + 1;
	}
	return 0.0;
}

/* Summed tag probability over |t|^alpha, or the weight for an exact predicted span. */
static inline double
ner_span(struct score_ctx *x, uint32_t k, uint32_t l)
{
	const struct spans *ner = &x->ws->ner;
	uint32_t q = l - 1;

	if (x->ner_probs) {
		x->nersum += ner_prob(x->p, x->ws->ner_tags, q, q == k ? 'B' : 'I', x->s->label);
		return x->w[SCORE_NER] * x->nersum / pow((double)(l - k), x->o->ner_alpha);
	}
	/* decoded spans do not overlap: one matches at most */
	for (size_t m = 0; m < ner->n; m++)
		if (ner->v[m].start == k && ner->v[m].end == l && strcmp(ner->v[m].label, x->s->label) == 0)
			return x->w[SCORE_NER];
	return 0;
}

/* ---- lexicon -------------------------------------------------------------------- */

/* Off when there is no lexicon. */
static int
lexicon_pair(struct score_ctx *x, struct ferry_err *err)
{
	(void)err;
	if (!x->o->lexicon || !x->o->lexicon->n)
		x->on[SCORE_LEXICON] = 0;
	return 0;
}

/* First lexicon entry whose source is not below src. */
static size_t
lexicon_lower(const struct lexicon *lex, const char *src)
{
	size_t lo = 0, hi = lex->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(lex->v[mid].src, src) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Does the lexicon have entries for src? */
static int
lexicon_has(const struct lexicon *lex, const char *src)
{
	size_t lo = lexicon_lower(lex, src);

	return lo < lex->n && strcmp(lex->v[lo].src, src) == 0;
}

/* Tokens [a, b) of t as one string (the lexicon's key), kept in out. */
static const char *
range_text(const struct toks *t, uint32_t a, uint32_t b, struct buf *out)
{
	buf_reset(out);
	toks_span(t, a, b, out);
	return buf_cstr(out);
}

/* The entity's source text, and whether the lexicon knows it. */
static int
lexicon_entity(struct score_ctx *x, struct ferry_err *err)
{
	(void)err;
	range_text(&x->p->src, x->s->start, x->s->end, &x->ws->lex_src);
	x->lex_known = lexicon_has(x->o->lexicon, buf_cstr(&x->ws->lex_src));
	return 0;
}

/* No state per start. */
static inline void
lexicon_start(struct score_ctx *x, uint32_t k)
{
	(void)x;
	(void)k;
}

/* Lexicon probability of src -> tgt with this label. */
static double
lexicon_score(const struct lexicon *lex, const char *src, const char *tgt, const char *label)
{
	double total = 0, hit = 0;

	for (size_t i = lexicon_lower(lex, src); i < lex->n && strcmp(lex->v[i].src, src) == 0; i++) {
		total += lex->v[i].count;
		if (strcmp(lex->v[i].tgt, tgt) == 0 && strcmp(lex->v[i].label, label) == 0)
			hit += lex->v[i].count;
	}
	return total > 0 ? hit / total : 0.0;
}

/* count(s -> t, label) / count(s -> anything). */
static inline double
lexicon_span(struct score_ctx *x, uint32_t k, uint32_t l)
{
	match_ws *ws = x->ws;

	if (!x->lex_known)
		return 0;
	return x->w[SCORE_LEXICON] * lexicon_score(x->o->lexicon, buf_cstr(&ws->lex_src),
						   range_text(&x->p->tgt, k, l, &ws->scratch), x->s->label);
}

/* ---- the table and the loops ---------------------------------------------------- */

/* The preparations of each score, by enum score_kind. */
static const struct score_def {
	int (*pair)(struct score_ctx *x, struct ferry_err *err);
	int (*entity)(struct score_ctx *x, struct ferry_err *err);
} score_table[SCORE_COUNT] = {
#define SCORE_DEF(K, name) [K] = { name##_pair, name##_entity },
	SCORES(SCORE_DEF)
#undef SCORE_DEF
};

/* Prepare the scores in use for pair p, and which n-grams are worth scoring. */
static int
scores_prepare(struct score_ctx *x, struct ferry_err *err)
{
	const double *w = x->w;
	const struct match_opts *o = x->o;

	for (int i = 0; i < SCORE_COUNT; i++)
		x->on[i] = w[i] > 0;
	for (int i = 0; i < SCORE_COUNT; i++)
		if (x->on[i] && score_table[i].pair(x, err) < 0)
			return -1;
	/*
	 * When the other scores together cannot reach min_score, a candidate
	 * needs a link to the entity: only starts near its aligned range are
	 * worth scoring (the NER score is at most max_len^(1 - alpha)).
	 */
	double others = w[SCORE_SURFACE] + (x->on[SCORE_LEXICON] ? w[SCORE_LEXICON] : 0) +
			(x->on[SCORE_NER] ? w[SCORE_NER] * (o->ner_alpha < 1 ? pow(o->max_len, 1 - o->ner_alpha) : 1) : 0);
	x->align_only = w[SCORE_SURFACE] == 0 && w[SCORE_LEXICON] == 0 && w[SCORE_NER] == 0;
	x->need_link = x->align_only || (w[SCORE_ALIGN] > 0 && others <= o->min_score);
	return 0;
}

/* Prepare the scores for entity e: 0, 1 when it has no candidate, -1 on error. */
static int
scores_enter(struct score_ctx *x, size_t e, struct ferry_err *err)
{
	x->s = &x->p->ents.v[e];
	x->slen = x->s->end - x->s->start;
	for (int i = 0; i < SCORE_COUNT; i++) {
		int r = x->on[i] ? score_table[i].entity(x, err) : 0;
		if (r != 0)
			return r;
	}
	return 0;
}

/* A new candidate start k for every score in use. */
static inline void
span_start(struct score_ctx *x, uint32_t k)
{
#define SCORE_START(K, name) if (x->on[K]) name##_start(x, k);
	SCORES(SCORE_START)
#undef SCORE_START
}

/* The fused score of [k, l), one token longer than the last call's. */
static inline double
span_score(struct score_ctx *x, uint32_t k, uint32_t l)
{
	double c = 0;

#define SCORE_TERM(K, name) if (x->on[K]) c += name##_span(x, k, l);
	SCORES(SCORE_TERM)
#undef SCORE_TERM
	return c;
}

/* Is a span of score c a candidate: above min_score, and above 0. */
static inline int
cand_kept(double c, double min_score)
{
	return c > min_score && c > 0;
}

/*
 * Score the n-grams of entity e starting in [from, kend) and ending by
 * to.  The scores work on a copy of the context whose address does not
 * leave this function, so that the compiler keeps its fields in
 * registers across the calls the loop makes.
 */
static void
score_entity(const struct score_ctx *entity, int e, uint32_t from, uint32_t kend, uint32_t to)
{
	struct score_ctx x = *entity;
	match_ws *ws = x.ws;
	const uint8_t *final = ws->final;
	uint32_t max_len = (uint32_t)x.o->max_len;
	double min_score = x.o->min_score;

	for (uint32_t k = from; k < kend; k++) {
		if (final[k])
			continue;
		span_start(&x, k);
		for (uint32_t l = k + 1; l <= to && l - k <= max_len; l++) {
			if (final[l - 1])
				break;
			double c = span_score(&x, k, l);
			if (cand_kept(c, min_score))
				match_cand_push(ws, e, k, l, c);
		}
	}
}

/*
 * The spans worth scoring for the current entity: starts [*from, *kend)
 * from which a candidate can still reach the aligned range, ends by *to.
 */
static void
entity_range(const struct score_ctx *x, uint32_t *from, uint32_t *kend, uint32_t *to)
{
	uint32_t nt = x->p->tgt.n, ml = (uint32_t)x->o->max_len;

	if (x->align_only) {
		*from = x->lo;
		*kend = *to = x->hi;
	} else if (x->need_link) {
		*from = x->lo + 1 > ml ? x->lo + 1 - ml : 0;
		*kend = x->hi;
		*to = nt;
	} else {
		*from = 0;
		*kend = *to = nt;
	}
}

/* Score every candidate of every entity into ws->c. */
int
match_score_candidates(match_ws *ws, const struct pair *p, const struct match_opts *o,
		       struct ferry_err *err)
{
	struct score_ctx x = { .ws = ws, .p = p, .o = o, .w = o->weights };

	ws->nc = 0;
	if (scores_prepare(&x, err) < 0)
		return -1;
	for (size_t e = 0; e < p->ents.n; e++) {
		int r = scores_enter(&x, e, err);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		uint32_t from, kend, to;
		entity_range(&x, &from, &kend, &to);
		score_entity(&x, (int)e, from, kend, to);
	}
	return 0;
}

/*
 * The fused score of entity e on [start, end) whether or not it is a
 * candidate (longer than max_len, across sentence-final punctuation, at
 * or below min_score, away from the entity's links): the same terms in
 * the same order as the span loop, so a span that is a candidate gets
 * its candidate's score exactly.  For a reviewer's pin.
 */
int
match_score_span(match_ws *ws, const struct pair *p, const struct match_opts *o, int e, uint32_t start,
		 uint32_t end, double *score, struct ferry_err *err)
{
	struct score_ctx x = { .ws = ws, .p = p, .o = o, .w = o->weights };
	double c = 0;

	if (scores_prepare(&x, err) < 0)
		return -1;
	x.s = &p->ents.v[e];
	x.slen = x.s->end - x.s->start;
	/* every preparation, even when align finds that no candidate could be made */
	for (int i = 0; i < SCORE_COUNT; i++)
		if (x.on[i] && score_table[i].entity(&x, err) < 0)
			return -1;
	span_start(&x, start);
	for (uint32_t l = start + 1; l <= end; l++)
		c = span_score(&x, start, l);
	*score = c;
	return 0;
}

/* ---- lazily: each entity's first candidates in order ----------------------------- */

/*
 * Where only the alignment and surface scores count, a span's score has
 * a cheap upper bound: the alignment term itself (prefix sums), plus the
 * surface term with the bigrams in common bounded by min(the source's,
 * the hits each target token has alone + one for each joining bigram
 * the source has at all).
 * Each bound is computed by the same operations as the score, so in
 * floating point too it is never below it.
 *
 * The spans of one start are scored together, as the span loop does
 * (each from the one before, so each to the last bit): a start goes on a
 * heap with the best bound of its spans, placed before any of its spans
 * would be when keys tie (length 1 at its start).  A start on top is
 * scored and its spans that are kept go back with their scores; a span
 * on top comes before everything left, so it is the next candidate in
 * order.  Most starts never reach the top, so a start first goes on
 * with a rough bound, the same terms at once for all its spans (the
 * most links and bigram hits its longest span has over the fewest
 * tokens its shortest one has: O(1), where the best bound takes one
 * bound per span); on top, it goes back with its best bound.  Any bound
 * that is never below the scores gives the same candidates in the same
 * order, since the order is total and a start is placed first on ties.
 */
enum lazy_kind {
	LZ_ROUGH,                      /* a start with its rough bound */
	LZ_START,                      /* a start with the best bound of its spans */
	LZ_SPAN                        /* a span with its score */
};

struct lazy_item {
	uint32_t start, end;
	double   key;                  /* the bound or the score (kind) */
	enum lazy_kind kind;
};

/* Does item a come before item b: the greedy order of one entity's candidates, bounds as scores. */
static inline int
lazy_before(const struct lazy_item *a, const struct lazy_item *b)
{
	if (a->key != b->key)
		return a->key > b->key;
	if (a->end - a->start != b->end - b->start)
		return a->end - a->start < b->end - b->start;
	return a->start < b->start;
}

static void
lazy_up(struct lazy_item *h, size_t i)
{
	struct lazy_item v = h[i];

	while (i > 0 && lazy_before(&v, &h[(i - 1) / 2])) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = v;
}

static void
lazy_down(struct lazy_item *h, size_t n, size_t i)
{
	struct lazy_item v = h[i];

	for (;;) {
		size_t k = 2 * i + 1;
		if (k >= n)
			break;
		if (k + 1 < n && lazy_before(&h[k + 1], &h[k]))
			k++;
		if (!lazy_before(&h[k], &v))
			break;
		h[i] = h[k];
		i = k;
	}
	h[i] = v;
}

/* The score of [k, l) for the entity x is in, exactly as the span loop has it. */
static double
span_exact(struct score_ctx *x, uint32_t k, uint32_t l)
{
	double c = 0;

	span_start(x, k);
	for (uint32_t q = k + 1; q <= l; q++)
		c = span_score(x, k, q);
	return c;
}

/*
 * Per target token q in [from, end) of the current entity: bigrams within
 * it (lz_int) and those the source has (lz_hit), as prefix sums with the
 * joins (lz_join) and those of the joins the source has (lz_jhit), from 0
 * at from.  Only differences of them are read,
 * between from and end: the tokens the entity's spans can reach.
 */
static void
lazy_entity_sums(struct score_ctx *x, uint32_t from, uint32_t end)
{
	match_ws *ws = x->ws;
	struct bigrams *sb = &ws->sb;

	if (!x->on[SCORE_SURFACE])
		return;          /* the folded tokens are surface_pair's */
	ws->lz_int[from] = ws->lz_hit[from] = ws->lz_join[from] = ws->lz_jhit[from] = 0;
	for (uint32_t q = from; q < end; q++) {
		const char *f = ws->fold_tgt.s + ws->fold_off[q];
		size_t fl = ws->fold_len[q], hits = 0;
		sb->use_gen++;
		for (size_t m = 0; m + 1 < fl; m++)
			hits += (size_t)bigram_hit(sb, bigram_key(f[m], f[m + 1]));
		ws->lz_int[q + 1] = ws->lz_int[q] + (fl > 1 ? fl - 1 : 0);
		ws->lz_hit[q + 1] = ws->lz_hit[q] + hits;
		/* the joining bigrams before token q, as surface_span counts them,
		   and those of them the source has (one each at most) */
		size_t joins = 0, jhits = 0;
		if (q > 0 && fl) {
			size_t pl = ws->fold_len[q - 1];
			joins = 1 + (pl > 0);
			jhits = (size_t)bigram_in(sb, bigram_key(' ', f[0])) +
				(size_t)(pl && bigram_in(sb, bigram_key(ws->fold_tgt.s[ws->fold_off[q - 1] + pl - 1], ' ')));
		}
		ws->lz_join[q + 1] = ws->lz_join[q] + joins;
		ws->lz_jhit[q + 1] = ws->lz_jhit[q] + jhits;
	}
}

/*
 * The bound of [k, l): the same sum of the same terms, the surface one
 * with its most bigrams in common.  Or, when the alignment term shows
 * that the bound is at most floor (the surface term is at most its
 * weight), that term alone, which is then at most floor too.
 */
static double
span_bound(struct score_ctx *x, uint32_t k, uint32_t l, double floor)
{
	match_ws *ws = x->ws;
	double c = 0;

	if (x->on[SCORE_ALIGN])
		c += align_span(x, k, l);
	if (x->on[SCORE_SURFACE]) {
		if (c + x->w[SCORE_SURFACE] <= floor)
			return c;
		size_t total = ws->sb.total, joins = ws->lz_join[l] - ws->lz_join[k + 1];
		size_t tlen = ws->lz_int[l] - ws->lz_int[k] + joins;
		size_t inter = ws->lz_hit[l] - ws->lz_hit[k] + ws->lz_jhit[l] - ws->lz_jhit[k + 1];
		if (inter > total)
			inter = total;
		if (inter > tlen)
			inter = tlen;
		double dice = (total + tlen) ? 2.0 * (double)inter / (double)(total + tlen) : 0;
		if (total == 0 && tlen == 0 && l - k == 1)
			dice = 1.0;   /* perhaps a one-character name */
		c += x->w[SCORE_SURFACE] * dice;
	}
	return c;
}

/*
 * The best bound of the spans of start k that could be kept (ending by
 * to, at most max_len long, before sentence-final punctuation, past
 * linkless), into *best: 0 when there is none.
 */
static int
start_best(struct score_ctx *x, uint32_t k, uint32_t to, uint32_t linkless, double *best)
{
	const uint8_t *final = x->ws->final;
	uint32_t max_len = (uint32_t)x->o->max_len;
	double min_score = x->o->min_score;
	int any = 0;

	*best = 0;
	for (uint32_t l = k + 1; l <= to && l - k <= max_len; l++) {
		if (final[l - 1])
			break;
		if (l <= linkless)
			continue;
		double b = span_bound(x, k, l, any ? *best : min_score);
		if (cand_kept(b, min_score) && (!any || b > *best)) {
			*best = b;
			any = 1;
		}
	}
	return any;
}

/*
 * The rough bound of start k's spans (as start_best's, which it is never
 * below) into *rough: 0 when it shows that none of them could be kept.
 * The spans end in (max(k, linkless), min(to, k + max_len)]; their
 * alignment term is at most the links of the longest over the length of
 * the shortest, their Dice at most 1 and at most the hits of the longest
 * (capped by the source's bigrams) over the bigrams of the shortest.
 */
static int
start_rough(struct score_ctx *x, uint32_t k, uint32_t to, uint32_t linkless, double *rough)
{
	match_ws *ws = x->ws;
	uint32_t max_len = (uint32_t)x->o->max_len;
	uint32_t lmin = linkless > k ? linkless + 1 : k + 1, lmax = to - k > max_len ? k + max_len : to;
	double c = 0;

	if (lmin > lmax)
		return 0;
	if (x->on[SCORE_ALIGN]) {
		double a = ws->pre[lmax] - ws->pre[k];
		if (a > 0)
			c += x->w[SCORE_ALIGN] * 2.0 * a / (double)(x->slen + (lmin - k));
	}
	if (x->on[SCORE_SURFACE]) {
		size_t total = ws->sb.total;
		size_t tlen = ws->lz_int[lmin] - ws->lz_int[k] + ws->lz_join[lmin] - ws->lz_join[k + 1];
		size_t inter = ws->lz_hit[lmax] - ws->lz_hit[k] + ws->lz_jhit[lmax] - ws->lz_jhit[k + 1];
		if (inter > total)
			inter = total;
		double dice = total + tlen ? 2.0 * (double)inter / (double)(total + tlen) : 1.0;
		c += x->w[SCORE_SURFACE] * (dice < 1.0 ? dice : 1.0);
	}
	*rough = c;
	return cand_kept(c, x->o->min_score);
}

/* Put item v on the heap of n items. */
static void
lazy_push(match_ws *ws, size_t *n, struct lazy_item v)
{
	VEC_GROW(ws->lz, ws->lz_items_cap, *n + 1);
	ws->lz[*n] = v;
	lazy_up(ws->lz, (*n)++);
}

/* Is [k, l) among the spans the span loop scores for the current entity (from, kend, to as there)? */
static int
in_universe(const struct score_ctx *x, uint32_t from, uint32_t kend, uint32_t to, uint32_t k, uint32_t l)
{
	const uint8_t *final = x->ws->final;

	if (k < from || k >= kend || l > to || l <= k || l - k > (uint32_t)x->o->max_len)
		return 0;
	for (uint32_t q = k; q < l; q++)
		if (final[q])
			return 0;
	return 1;
}

/* May this pair be scored lazily: the alignment and surface scores alone? */
static int
lazy_eligible(const struct score_ctx *x)
{
	return !x->on[SCORE_NER] && !x->on[SCORE_LEXICON];
}

/* Room for the per-token sums. */
static void
lazy_room(match_ws *ws, uint32_t nt)
{
	size_t cap = ws->lz_cap;

	VEC_GROW(ws->lz_int, ws->lz_cap, (size_t)nt + 1);
	if (ws->lz_cap == cap)
		return;   /* the rest are as long already */
	ws->lz_hit = xrealloc(ws->lz_hit, ws->lz_cap * sizeof *ws->lz_hit);
	ws->lz_join = xrealloc(ws->lz_join, ws->lz_cap * sizeof *ws->lz_join);
	ws->lz_jhit = xrealloc(ws->lz_jhit, ws->lz_cap * sizeof *ws->lz_jhit);
}

/*
 * A span chosen for entity e (a heuristic's, chosen without the
 * candidates) that is a candidate but not among the first ones scored
 * (ws->c from first): it joins them, last, since it comes after them in
 * order; set_margins looks for a chosen span's score there.
 */
static void
add_chosen(struct score_ctx *x, size_t e, const struct match_out *chosen, size_t first)
{
	match_ws *ws = x->ws;
	uint32_t from, kend, to;

	entity_range(x, &from, &kend, &to);
	for (size_t i = 0; i < chosen->n; i++) {
		const struct match_proj *pr = &chosen->v[i];
		int have = 0;
		if (pr->entity != (int)e || !in_universe(x, from, kend, to, pr->start, pr->end))
			continue;
		for (size_t k = first; k < ws->nc && !have; k++)
			have = ws->c[k].start == pr->start && ws->c[k].end == pr->end;
		double c = have ? 0 : span_exact(x, pr->start, pr->end);
		if (!have && cand_kept(c, x->o->min_score))
			match_cand_push(ws, (int)e, pr->start, pr->end, c);
	}
}

/* How many of chosen's spans are entity e's. */
static int
chosen_of(const struct match_out *chosen, int e)
{
	int k = 0;

	for (size_t i = 0; i < chosen->n; i++)
		k += chosen->v[i].entity == e;
	return k;
}

/* Is candidate c one of entity e's chosen spans? */
static int
is_chosen(const struct match_out *chosen, int e, const struct match_cand *c)
{
	for (size_t i = 0; i < chosen->n; i++)
		if (chosen->v[i].entity == e && chosen->v[i].start == c->start && chosen->v[i].end == c->end)
			return 1;
	return 0;
}

/*
 * Without alternatives (ws->no_alts) and with a heuristic's answer
 * (chosen), an entity's candidates are read only for the margins of its
 * projections (set_margins): each one's score (add_chosen) and the first
 * candidate that is not it.  So an entity without a projection needs
 * none, and one whose first candidate is none of its projections needs
 * no second.
 */
int
match_score_lazy(match_ws *ws, const struct pair *p, const struct match_opts *o, const struct match_out *chosen,
		 struct ferry_err *err)
{
	struct score_ctx x = { .ws = ws, .p = p, .o = o, .w = o->weights };
	uint32_t nt = p->tgt.n;
	double min_score = o->min_score;

	ws->nc = 0;
	if (scores_prepare(&x, err) < 0)
		return -1;
	if (!lazy_eligible(&x))
		return 0;
	lazy_room(ws, nt);
	VEC_GROW(ws->complete, ws->complete_cap, p->ents.n + 1);
	for (size_t e = 0; e < p->ents.n; e++) {
		ws->complete[e] = 1;
		/* a heuristic's answer without alternatives reads an entity's candidates only for its projections */
		int wanted = chosen && ws->no_alts ? chosen_of(chosen, (int)e) : -1;
		if (wanted == 0)
			continue;
		int r = scores_enter(&x, e, err);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		uint32_t from, kend, to, max_len = (uint32_t)o->max_len;
		entity_range(&x, &from, &kend, &to);
		if (kend <= from)
			continue;
		lazy_entity_sums(&x, from, kend - 1 + max_len < to ? kend - 1 + max_len : to);
		/* where a candidate needs a link, one ending by lo has none: its bound is not worth making */
		uint32_t linkless = x.need_link ? x.lo : 0;
		size_t n = 0;
		for (uint32_t k = from; k < kend; k++) {
			if (ws->final[k])
				continue;
			double rough;
			if (!start_rough(&x, k, to, linkless, &rough))
				continue;   /* no score of its spans, none higher than its bound, would be kept */
			VEC_GROW(ws->lz, ws->lz_items_cap, n + 1);
			ws->lz[n++] = (struct lazy_item){ k, k + 1, rough, LZ_ROUGH };
		}
		for (size_t i = n / 2; i-- > 0;)
			lazy_down(ws->lz, n, i);
		size_t out = 0;
		int kept = 0;
		while (n > 0 && !match_prefix_enough(ws, out, kept) &&
		       !(wanted > 0 && out == 1 && !is_chosen(chosen, (int)e, &ws->c[ws->nc - 1]))) {
			struct lazy_item top = ws->lz[0];
			ws->lz[0] = ws->lz[--n];
			if (n > 1)
				lazy_down(ws->lz, n, 0);
			if (top.kind == LZ_SPAN) {
				match_cand_push(ws, (int)e, top.start, top.end, top.key);
				out++;
				kept += match_cand_offered(ws, &ws->c[ws->nc - 1], nt);
				continue;
			}
			uint32_t k = top.start;
			if (top.kind == LZ_ROUGH) {
				double best;
				if (start_best(&x, k, to, linkless, &best))
					lazy_push(ws, &n, (struct lazy_item){ k, k + 1, best, LZ_START });
				continue;
			}
			span_start(&x, k);
			for (uint32_t l = k + 1; l <= to && l - k <= max_len; l++) {
				if (ws->final[l - 1])
					break;
				double c = span_score(&x, k, l);
				if (cand_kept(c, min_score))
					lazy_push(ws, &n, (struct lazy_item){ k, l, c, LZ_SPAN });
			}
		}
		ws->complete[e] = n == 0;
		if (chosen && n > 0)
			add_chosen(&x, e, chosen, ws->nc - out);
	}
	return 1;
}
