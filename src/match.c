/*
 * match.c — projecting source entities onto target spans.
 *
 * The problem (Politov et al. 2025).  A source entity s = (i, j, label);
 * a target candidate t = (k, l), a contiguous token range; x[s,t] = 1
 * when s is projected onto t.  Maximise  sum c[s,t] x[s,t]  subject to
 *
 *   per entity      sum_t x[s,t]  (<= | = | >=)  n_proj
 *   per token q     sum over (s, t containing q) x[s,t]  <= 1
 *
 * The second family replaces the paper's pairwise constraint
 * x[a] + x[b] <= 1 for every overlapping pair (a, b): candidates are
 * intervals, so any set of pairwise-overlapping intervals shares a point
 * (Helly's theorem in one dimension) and the per-token cliques describe
 * exactly the same integer solutions with O(tokens) rows instead of
 * O(candidates^2), and a tighter LP relaxation.
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
 * Candidates are all n-grams of at most max_len tokens without
 * sentence-final punctuation; when the alignment score is the only one in
 * use, only n-grams inside the range spanned by the entity's aligned
 * target tokens (outside it a candidate only loses score and blocks
 * others, so no optimum is lost under <=).
 *
 * Solvers: greedy takes candidates by score (ties: shorter, then leftmost,
 * then the earlier entity) while the entity has quota and the tokens are
 * free; ilp hands the program to GLPK (presolve, per-pair time limit, then
 * greedy); heuristic elp is a faithful re-implementation of the Easy
 * Label Projection reference, quirks included (see heuristic_elp).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glpk.h>

#include "ferry/match.h"
#include "ferry/mem.h"
#include "ferry/scheme.h"
#include "ferry/text.h"

void
match_out_release(struct match_out *o)
{
	free(o->v);
	free(o->alts);
	memset(o, 0, sizeof *o);
}

/*
 * The source entity's bigram multiset as a direct table over the 65,536
 * byte pairs, cleared in O(1) by generation stamps: a count is valid
 * when its stamp is the current entity's, a use when its stamp is the
 * current candidate start's.
 */
struct bigrams {
	uint32_t *stamp, *used_stamp;
	int      *count, *used;
	uint32_t  gen, use_gen;
	size_t    total;
};

struct match_ws {
	struct links l, tmp, comp;
	uint8_t  *final;               /* target token is sentence-final punctuation */
	uint8_t  *punct;               /* target token is punctuation only */
	size_t    tok_cap;
	double   *pre;                 /* prefix sums of aligned weight per target token */
	size_t    pre_cap;
	struct buf fold_tgt;           /* folded target tokens, NUL-separated */
	size_t   *fold_off, *fold_len;
	size_t    fold_cap;
	struct buf fold_src, scratch;
	struct bigrams sb;
	struct match_cand *c;
	size_t    nc, c_cap;
	int      *chosen, *order, *quota;
	size_t    chosen_cap, order_cap, quota_cap;
	uint8_t  *busy;
	size_t    busy_cap;
	struct spans ner;
	struct tag *ner_tags;
	size_t    ner_cap;
	int      *ia, *ja;
	double   *ar;
	size_t    glp_cap;
	/* heuristic */
	uint32_t *ids;
	size_t    ids_cap;
	int64_t   ilp_skipped;         /* pairs where greedy was provably optimal */
	struct match_ilp_stats ilp;
};

const struct match_ilp_stats *
match_ws_ilp_stats(const match_ws *ws)
{
	return &ws->ilp;
}

match_ws *
match_ws_new(void)
{
	return xcalloc(1, sizeof(struct match_ws));
}

void
match_ws_free(match_ws *ws)
{
	if (ws == NULL)
		return;
	links_release(&ws->l);
	links_release(&ws->tmp);
	links_release(&ws->comp);
	free(ws->final);
	free(ws->punct);
	free(ws->pre);
	buf_release(&ws->fold_tgt);
	buf_release(&ws->fold_src);
	buf_release(&ws->scratch);
	free(ws->fold_off);
	free(ws->fold_len);
	free(ws->sb.stamp);
	free(ws->sb.used_stamp);
	free(ws->sb.count);
	free(ws->sb.used);
	free(ws->c);
	free(ws->chosen);
	free(ws->order);
	free(ws->quota);
	free(ws->busy);
	spans_release(&ws->ner);
	free(ws->ner_tags);
	free(ws->ia);
	free(ws->ja);
	free(ws->ar);
	free(ws->ids);
	free(ws);
}

/* ---- links --------------------------------------------------------------- */

static int
has_link(const struct links *l, uint32_t s, uint32_t t)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct link *k = &l->v[mid];
		if (k->s < s || (k->s == s && k->t < t))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->n && l->v[lo].s == s && l->v[lo].t == t;
}

/* The links the scores use, per the options; result in ws->l. */
static void
select_links(match_ws *ws, const struct pair *p, const struct match_opts *o, int only_both)
{
	struct links *l = &ws->l;

	links_reset(l);
	if (p->has_rev && (only_both || o->links == LINKS_BOTH)) {
		/* merge the two sorted lists */
		size_t i = 0, j = 0;
		while (i < p->fwd.n || j < p->rev.n) {
			const struct link *a = i < p->fwd.n ? &p->fwd.v[i] : NULL;
			const struct link *b = j < p->rev.n ? &p->rev.v[j] : NULL;
			int cmp = !a ? 1 : !b ? -1 : a->s != b->s ? (a->s < b->s ? -1 : 1) : a->t != b->t ? (a->t < b->t ? -1 : 1) : 0;
			if (cmp == 0) {
				links_push(l, a->s, a->t, a->w);
				i++;
				j++;
			} else if (!only_both && o->one_way > 0) {
				const struct link *k = cmp < 0 ? a : b;
				links_push(l, k->s, k->t, (float)(k->w * o->one_way));
				cmp < 0 ? i++ : j++;
			} else {
				cmp < 0 ? i++ : j++;
			}
		}
	} else {
		links_copy(l, o->links == LINKS_FWD ? &p->fwd : &p->sym);
	}
	if (o->bt == BT_NONE || !p->has_bt)
		return;
	align_compose(&p->src_bt, &p->bt_tgt, &ws->comp);
	links_reset(&ws->tmp);
	if (o->bt == BT_INTERSECT) {
		for (size_t i = 0; i < l->n; i++)
			if (has_link(&ws->comp, l->v[i].s, l->v[i].t))
				links_push(&ws->tmp, l->v[i].s, l->v[i].t, l->v[i].w);
	} else {
		links_copy(&ws->tmp, l);
		for (size_t i = 0; i < ws->comp.n; i++) {
			const struct link *k = &ws->comp.v[i];
			if (has_link(l, k->s, k->t))
				continue;
			if (o->bt == BT_GROW) {
				/* grow: only where the source or target word is unaligned */
				int s_al = 0, t_al = 0;
				for (size_t m = 0; m < l->n; m++) {
					s_al |= l->v[m].s == k->s;
					t_al |= l->v[m].t == k->t;
				}
				if (s_al && t_al)
					continue;
			}
			links_push(&ws->tmp, k->s, k->t, 1.0f);
		}
		align_sort(&ws->tmp);
	}
	links_copy(l, &ws->tmp);
}

/* ---- per-pair preparation -------------------------------------------------- */

/* ASCII punctuation, as Python's string.punctuation (the ELP reference). */
static int
ascii_punct_only(const char *s, size_t len)
{
	static const char punct[] = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

	for (size_t i = 0; i < len; i++)
		if (s[i] == '\0' || strchr(punct, s[i]) == NULL)
			return 0;
	return len > 0;
}

/* Sentence-final punctuation: . ! ? and their CJK, Arabic, Indic forms. */
static int
final_punct(const char *s, size_t len)
{
	static const char *const marks[] = {
		".", "!", "?", "...", "\xe2\x80\xa6", "\xe3\x80\x82", "\xef\xbc\x81", "\xef\xbc\x9f",
		"\xd8\x9f", "\xe0\xa5\xa4", "\xe0\xa5\xa5", "\xe1\x8d\xa2", "\xef\xbc\x8e",
	};
	size_t i = 0;

	while (i < len) {
		size_t k = 0;
		for (size_t m = 0; m < sizeof marks / sizeof *marks && !k; m++) {
			size_t ml = strlen(marks[m]);
			if (ml <= len - i && memcmp(s + i, marks[m], ml) == 0)
				k = ml;
		}
		if (!k)
			return 0;
		i += k;
	}
	return len > 0;
}

static void
prepare_tokens(match_ws *ws, const struct pair *p)
{
	uint32_t n = p->tgt.n;

	VEC_GROW(ws->final, ws->tok_cap, (size_t)n + 1);
	ws->punct = xrealloc(ws->punct, ws->tok_cap);
	VEC_GROW(ws->busy, ws->busy_cap, (size_t)n + 1);
	for (uint32_t j = 0; j < n; j++) {
		size_t len;
		const char *t = toks_get(&p->tgt, j, &len);
		ws->final[j] = (uint8_t)final_punct(t, len);
		ws->punct[j] = (uint8_t)text_is_punct(t, len);
	}
}

/* Fold every target token once; offsets into ws->fold_tgt. */
static int
prepare_fold(match_ws *ws, const struct pair *p, struct ferry_err *err)
{
	buf_reset(&ws->fold_tgt);
	VEC_GROW(ws->fold_off, ws->fold_cap, (size_t)p->tgt.n + 1);
	ws->fold_len = xrealloc(ws->fold_len, ws->fold_cap * sizeof *ws->fold_len);
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

/* ---- surface score: bigram Dice, incremental over the candidate's end ----- */

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Bigrams of the folded source entity (tokens joined by a space). */
static void
bigrams_build(match_ws *ws, const char *s, size_t len)
{
	struct bigrams *b = &ws->sb;

	if (b->stamp == NULL) {
		b->stamp = xcalloc(65536, sizeof *b->stamp);
		b->used_stamp = xcalloc(65536, sizeof *b->used_stamp);
		b->count = xcalloc(65536, sizeof *b->count);
		b->used = xcalloc(65536, sizeof *b->used);
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

/* A new candidate start: nothing of the source multiset is used yet. */
static void
bigrams_restart(struct bigrams *b)
{
	b->use_gen++;
}

/* Count a bigram of the candidate against the source multiset. */
static int
bigram_hit(struct bigrams *b, uint32_t key)
{
	if (b->stamp[key] != b->gen)
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

/* ---- NER score -------------------------------------------------------------- */

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

/* ---- candidates -------------------------------------------------------------- */

static void
push_cand(match_ws *ws, int e, uint32_t k, uint32_t l, double score)
{
	VEC_GROW(ws->c, ws->c_cap, ws->nc + 1);
	ws->c[ws->nc].entity = e;
	ws->c[ws->nc].start = k;
	ws->c[ws->nc].end = l;
	ws->c[ws->nc].score = score;
	ws->nc++;
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

static int
lexicon_has(const struct lexicon *lex, const char *src)
{
	size_t lo = lexicon_lower(lex, src);

	return lo < lex->n && strcmp(lex->v[lo].src, src) == 0;
}

/* Score every candidate of every entity into ws->c. */
static int
make_candidates(match_ws *ws, const struct pair *p, const struct match_opts *o, struct ferry_err *err)
{
	const double *w = o->weights;
	int align_only = w[SCORE_SURFACE] == 0 && w[SCORE_LEXICON] == 0 && w[SCORE_NER] == 0;
	uint32_t nt = p->tgt.n;
	int use_ner = w[SCORE_NER] > 0 && p->has_ner, ner_probs = 0;
	int use_lex = w[SCORE_LEXICON] > 0 && o->lexicon && o->lexicon->n;

	/*
	 * When the other scores together cannot reach min_score, a candidate
	 * needs a link to the entity: only starts near its aligned range are
	 * worth scoring (the NER score is at most max_len^(1 - alpha)).
	 */
	double others = w[SCORE_SURFACE] + (use_lex ? w[SCORE_LEXICON] : 0) +
			(use_ner ? w[SCORE_NER] * (o->ner_alpha < 1 ? pow(o->max_len, 1 - o->ner_alpha) : 1) : 0);
	int need_align = !align_only && w[SCORE_ALIGN] > 0 && others <= o->min_score;

	ws->nc = 0;
	VEC_GROW(ws->pre, ws->pre_cap, (size_t)nt + 1);
	if (w[SCORE_SURFACE] > 0 && prepare_fold(ws, p, err) < 0)
		return -1;
	if (use_ner) {
		VEC_GROW(ws->ner_tags, ws->ner_cap, (size_t)nt + 1);
		for (uint32_t j = 0; j < nt; j++) {
			size_t len;
			const char *t = toks_get(&p->ner_tags, j, &len);
			if (tag_parse(t, len, &ws->ner_tags[j]) < 0)
				ws->ner_tags[j].prefix = 'O';
		}
		spans_reset(&ws->ner);
		scheme_decode(ws->ner_tags, nt, &ws->ner);
		ner_probs = ner_has_probs(p);
	}
	for (size_t e = 0; e < p->ents.n; e++) {
		const struct span *s = &p->ents.v[e];
		uint32_t slen = s->end - s->start, lo = nt, hi = 0;
		char *src_key = NULL;

		/* aligned weight per target token, as prefix sums */
		memset(ws->pre, 0, ((size_t)nt + 1) * sizeof *ws->pre);
		for (size_t i = 0; i < ws->l.n; i++) {
			const struct link *k = &ws->l.v[i];
			if (k->s >= s->start && k->s < s->end && k->t < nt) {
				ws->pre[k->t + 1] += k->w;
				if (k->t < lo)
					lo = k->t;
				if (k->t + 1 > hi)
					hi = k->t + 1;
			}
		}
		for (uint32_t j = 0; j < nt; j++)
			ws->pre[j + 1] += ws->pre[j];
		if ((align_only || need_align) && lo >= hi)
			continue;
		/* starts from which a candidate can still reach the aligned range */
		uint32_t from = align_only ? lo : need_align ? (lo + 1 > (uint32_t)o->max_len ? lo + 1 - (uint32_t)o->max_len : 0) : 0;
		uint32_t kend = align_only || need_align ? hi : nt, to = align_only ? hi : nt;
		if (w[SCORE_SURFACE] > 0) {
			buf_reset(&ws->fold_src);
			for (uint32_t i = s->start; i < s->end; i++) {
				size_t len;
				const char *t = toks_get(&p->src, i, &len);
				if (i > s->start)
					buf_addc(&ws->fold_src, ' ');
				if (text_fold_latin(t, len, &ws->fold_src, err) < 0)
					return -1;
			}
			bigrams_build(ws, buf_cstr(&ws->fold_src), ws->fold_src.len);
		}
		if (use_lex) {
			size_t off = p->src.off[s->start];
			size_t end = s->end < p->src.n ? p->src.off[s->end] - 1 : p->src.len;
			src_key = xstrndup(p->src.text + off, end - off);
			if (!lexicon_has(o->lexicon, src_key)) {
				free(src_key);
				src_key = NULL;
			}
		}
		for (uint32_t k = from; k < kend; k++) {
			if (ws->final[k])
				continue;
			size_t tlen = 0, inter = 0;
			double nersum = 0;
			if (w[SCORE_SURFACE] > 0)
				bigrams_restart(&ws->sb);
			for (uint32_t l = k + 1; l <= to && l - k <= (uint32_t)o->max_len; l++) {
				uint32_t q = l - 1;            /* the token just added */
				if (ws->final[q])
					break;
				double c = 0;
				double a = ws->pre[l] - ws->pre[k];
				if (w[SCORE_ALIGN] > 0 && a > 0)
					c += w[SCORE_ALIGN] * 2.0 * a / (double)(slen + (l - k));
				if (w[SCORE_SURFACE] > 0) {
					const char *f = ws->fold_tgt.s + ws->fold_off[q];
					size_t fl = ws->fold_len[q];
					/* the joining space, then the token's own bigrams */
					if (q > k && fl) {
						const char *prev = ws->fold_tgt.s + ws->fold_off[q - 1];
						size_t pl = ws->fold_len[q - 1];
						if (pl) {
							inter += (size_t)bigram_hit(&ws->sb, (uint32_t)(unsigned char)prev[pl - 1] << 8 | ' ');
							tlen++;
						}
						inter += (size_t)bigram_hit(&ws->sb, (uint32_t)' ' << 8 | (unsigned char)f[0]);
						tlen++;
					}
					for (size_t m = 0; m + 1 < fl; m++) {
						inter += (size_t)bigram_hit(&ws->sb, (uint32_t)(unsigned char)f[m] << 8 | (unsigned char)f[m + 1]);
						tlen++;
					}
					double dice = (ws->sb.total + tlen) ? 2.0 * (double)inter / (double)(ws->sb.total + tlen) : 0;
					if (ws->sb.total == 0 && tlen == 0 && l - k == 1 && fl == ws->fold_src.len &&
					    memcmp(f, ws->fold_src.s, fl) == 0)
						dice = 1.0;   /* one-character names */
					c += w[SCORE_SURFACE] * dice;
				}
				if (use_ner) {
					if (ner_probs) {
						nersum += ner_prob(p, ws->ner_tags, q, q == k ? 'B' : 'I', s->label);
						c += w[SCORE_NER] * nersum / pow((double)(l - k), o->ner_alpha);
					} else {
						for (size_t m = 0; m < ws->ner.n; m++)
							if (ws->ner.v[m].start == k && ws->ner.v[m].end == l &&
							    strcmp(ws->ner.v[m].label, s->label) == 0)
								c += w[SCORE_NER];
					}
				}
				if (src_key) {
					size_t off = p->tgt.off[k];
					size_t end = l < nt ? p->tgt.off[l] - 1 : p->tgt.len;
					buf_reset(&ws->scratch);
					buf_add(&ws->scratch, p->tgt.text + off, end - off);
					c += w[SCORE_LEXICON] * lexicon_score(o->lexicon, src_key, buf_cstr(&ws->scratch), s->label);
				}
				if (c > o->min_score && c > 0)
					push_cand(ws, (int)e, k, l, c);
			}
		}
		free(src_key);
	}
	return 0;
}

/* ---- solvers ---------------------------------------------------------------- */

static _Thread_local const struct match_cand *sort_base;   /* for qsort, per thread */

/* Greedy order: higher score, shorter span, leftmost, earlier entity. */
static int
greedy_cmp(const void *a, const void *b)
{
	const struct match_cand *x = &sort_base[*(const int *)a], *y = &sort_base[*(const int *)b];

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->end - x->start != y->end - y->start)
		return x->end - x->start < y->end - y->start ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->entity != y->entity)
		return x->entity < y->entity ? -1 : 1;
	return 0;
}

static int
entity_limit(const struct match_opts *o)
{
	return o->constraint == CON_GE ? 1 << 30 : o->n_proj;
}

/* ws->busy marks tokens taken already (pins); quota[e] projections left. */
static double
solve_greedy(match_ws *ws, const struct match_cand *c, size_t nc, const int *quota, int *chosen)
{
	double total = 0;
	int *left;

	VEC_GROW(ws->order, ws->order_cap, nc + 1);
	for (size_t i = 0; i < nc; i++) {
		ws->order[i] = (int)i;
		chosen[i] = 0;
	}
	sort_base = c;
	if (nc > 1)
		qsort(ws->order, nc, sizeof *ws->order, greedy_cmp);
	int maxe = 0;
	for (size_t i = 0; i < nc; i++)
		if (c[i].entity + 1 > maxe)
			maxe = c[i].entity + 1;
	left = xmalloc(((size_t)maxe + 1) * sizeof *left);
	for (int e = 0; e < maxe; e++)
		left[e] = quota[e];
	for (size_t r = 0; r < nc; r++) {
		const struct match_cand *k = &c[ws->order[r]];
		if (left[k->entity] <= 0)
			continue;
		int free_ = 1;
		for (uint32_t q = k->start; q < k->end && free_; q++)
			free_ = !ws->busy[q];
		if (!free_)
			continue;
		memset(ws->busy + k->start, 1, k->end - k->start);
		left[k->entity]--;
		chosen[ws->order[r]] = 1;
		total += k->score;
	}
	free(left);
	return total;
}

/* Do candidates of two different entities share a target token? */
static int
entities_compete(const struct match_cand *c, size_t nc, uint32_t ntgt)
{
	int *owner = xmalloc(((size_t)ntgt + 1) * sizeof *owner), clash = 0;

	for (uint32_t q = 0; q <= ntgt; q++)
		owner[q] = -1;
	for (size_t i = 0; i < nc && !clash; i++)
		for (uint32_t q = c[i].start; q < c[i].end && !clash; q++) {
			if (owner[q] < 0)
				owner[q] = c[i].entity;
			else if (owner[q] != c[i].entity)
				clash = 1;
		}
	free(owner);
	return clash;
}

/*
 * The ILP with GLPK: one binary column per candidate, one row per entity,
 * one clique row per target token covered by two or more candidates.
 * Returns the objective; *fallback when the time limit or infeasibility
 * sent us to greedy.
 */
static struct match_proj *add_proj(struct match_out *out, int e, uint32_t start, uint32_t end,
				   const char *label);

static double
solve_ilp(match_ws *ws, const struct match_cand *c, size_t nc, int nent, uint32_t ntgt,
	  const struct match_opts *o, const int *quota, int *chosen, int *fallback)
{
	glp_prob *lp;
	glp_iocp parm;
	int *cover, row = 0, rc;
	size_t nz = 0;
	double obj = 0;

	if (nc == 0)
		return 0;
	/*
	 * Under <= 1, when no target token is wanted by two entities the
	 * problem splits per entity and each takes its best candidate: that
	 * is exactly what greedy does, so greedy's answer is optimal.
	 */
	if (!o->ilp_always && o->constraint == CON_LE && o->n_proj == 1 && !entities_compete(c, nc, ntgt)) {
		ws->ilp_skipped++;
		return solve_greedy(ws, c, nc, quota, chosen);
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	glp_term_out(GLP_OFF);
	lp = glp_create_prob();
	glp_set_obj_dir(lp, GLP_MAX);
	glp_add_cols(lp, (int)nc);
	for (size_t i = 0; i < nc; i++) {
		glp_set_col_kind(lp, (int)i + 1, GLP_BV);
		glp_set_obj_coef(lp, (int)i + 1, c[i].score);
		/* tokens already taken by pins rule a candidate out */
		for (uint32_t q = c[i].start; q < c[i].end; q++)
			if (ws->busy[q]) {
				glp_set_col_bnds(lp, (int)i + 1, GLP_FX, 0, 0);
				break;
			}
	}
	/* non-zeros: one per candidate in its entity row, one per covered token */
	size_t need = nc + 1;
	for (size_t i = 0; i < nc; i++)
		need += c[i].end - c[i].start;
	VEC_GROW(ws->ia, ws->glp_cap, need + 1);
	ws->ja = xrealloc(ws->ja, ws->glp_cap * sizeof *ws->ja);
	ws->ar = xrealloc(ws->ar, ws->glp_cap * sizeof *ws->ar);
	for (int e = 0; e < nent; e++) {
		int any = 0;
		for (size_t i = 0; i < nc; i++)
			any |= c[i].entity == e;
		if (!any)
			continue;
		row = glp_add_rows(lp, 1);
		if (o->constraint == CON_LE)
			glp_set_row_bnds(lp, row, GLP_UP, 0, quota[e]);
		else if (o->constraint == CON_EQ)
			glp_set_row_bnds(lp, row, GLP_FX, quota[e], quota[e]);
		else
			glp_set_row_bnds(lp, row, GLP_LO, quota[e], 0);
		for (size_t i = 0; i < nc; i++)
			if (c[i].entity == e) {
				nz++;
				ws->ia[nz] = row;
				ws->ja[nz] = (int)i + 1;
				ws->ar[nz] = 1;
			}
	}
	if (o->ilp_pairwise) {
		/* the paper's formulation: one row per overlapping pair */
		for (size_t i = 0; i < nc; i++)
			for (size_t k = i + 1; k < nc; k++) {
				if (!(c[i].start < c[k].end && c[k].start < c[i].end))
					continue;
				VEC_GROW(ws->ia, ws->glp_cap, nz + 3);
				ws->ja = xrealloc(ws->ja, ws->glp_cap * sizeof *ws->ja);
				ws->ar = xrealloc(ws->ar, ws->glp_cap * sizeof *ws->ar);
				row = glp_add_rows(lp, 1);
				glp_set_row_bnds(lp, row, GLP_UP, 0, 1);
				ws->ia[++nz] = row;
				ws->ja[nz] = (int)i + 1;
				ws->ar[nz] = 1;
				ws->ia[++nz] = row;
				ws->ja[nz] = (int)k + 1;
				ws->ar[nz] = 1;
			}
	} else {
		cover = xcalloc((size_t)ntgt + 1, sizeof *cover);
		for (size_t i = 0; i < nc; i++)
			for (uint32_t q = c[i].start; q < c[i].end; q++)
				cover[q]++;
		for (uint32_t q = 0; q < ntgt; q++) {
			if (cover[q] < 2)
				continue;
			row = glp_add_rows(lp, 1);
			glp_set_row_bnds(lp, row, GLP_UP, 0, 1);
			for (size_t i = 0; i < nc; i++)
				if (c[i].start <= q && q < c[i].end) {
					nz++;
					ws->ia[nz] = row;
					ws->ja[nz] = (int)i + 1;
					ws->ar[nz] = 1;
				}
		}
		free(cover);
	}
	glp_load_matrix(lp, (int)nz, ws->ia, ws->ja, ws->ar);
	ws->ilp.problems++;
	ws->ilp.rows += glp_get_num_rows(lp);
	ws->ilp.nonzeros += (int64_t)nz;
	if (o->ilp_lp_bound) {
		glp_smcp sp;
		glp_init_smcp(&sp);
		sp.msg_lev = GLP_MSG_OFF;
		if (glp_simplex(lp, &sp) == 0 && glp_get_status(lp) == GLP_OPT)
			ws->ilp.lp_bound += glp_get_obj_val(lp);
	}
	glp_init_iocp(&parm);
	parm.presolve = GLP_ON;
	parm.msg_lev = GLP_MSG_OFF;
	parm.tm_lim = (int)(o->ilp_time_limit * 1000);
	rc = glp_intopt(lp, &parm);
	int st = glp_mip_status(lp);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ws->ilp.seconds += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (rc == 0 && (st == GLP_OPT || st == GLP_FEAS))
		ws->ilp.objective += glp_mip_obj_val(lp);
	if (rc == 0 && (st == GLP_OPT || st == GLP_FEAS)) {
		for (size_t i = 0; i < nc; i++) {
			chosen[i] = glp_mip_col_val(lp, (int)i + 1) > 0.5;
			if (chosen[i])
				obj += c[i].score;
		}
		glp_delete_prob(lp);
		return obj;
	}
	glp_delete_prob(lp);
	*fallback = rc == GLP_ETMLIM ? MATCH_TIMEOUT : MATCH_INFEASIBLE;
	return solve_greedy(ws, c, nc, quota, chosen);
}

double
match_solve(match_ws *ws, const struct match_cand *c, size_t nc, int nent, uint32_t ntgt,
	    const struct match_opts *o, int *chosen, int *fallback)
{
	double r;

	VEC_GROW(ws->quota, ws->quota_cap, (size_t)nent + 1);
	for (int e = 0; e < nent; e++)
		ws->quota[e] = entity_limit(o);
	VEC_GROW(ws->busy, ws->busy_cap, (size_t)ntgt + 1);
	memset(ws->busy, 0, (size_t)ntgt + 1);
	if (o->method == METHOD_ILP) {
		for (int e = 0; e < nent; e++)
			ws->quota[e] = o->n_proj;
		r = solve_ilp(ws, c, nc, nent, ntgt, o, ws->quota, chosen, fallback);
	} else {
		r = solve_greedy(ws, c, nc, ws->quota, chosen);
	}
	return r;
}

/* Append a projection of entity e (-1: added by hand) onto [start, end). */
static struct match_proj *
add_proj(struct match_out *out, int e, uint32_t start, uint32_t end, const char *label)
{
	struct match_proj *pr;

	VEC_GROW(out->v, out->cap, out->n + 1);
	pr = &out->v[out->n++];
	memset(pr, 0, sizeof *pr);
	pr->entity = e;
	pr->start = start;
	pr->end = end;
	snprintf(pr->label, sizeof pr->label, "%s", label);
	return pr;
}

/* ---- heuristics ------------------------------------------------------------- */

/* An entity's projected token list while the heuristic works on it. */
struct hproj {
	uint32_t *ids;
	size_t    n;
	int       entity;
};

static void
hproj_free(struct hproj *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(h[i].ids);
	free(h);
}

/* Sorted unique target tokens linked to source tokens [a, b). */
static size_t
aligned_targets(const struct links *l, uint32_t a, uint32_t b, uint32_t **out)
{
	uint32_t *v = NULL;
	size_t n = 0, cap = 0, u = 0;

	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].s >= a && l->v[i].s < b) {
			VEC_GROW(v, cap, n + 1);
			v[n++] = l->v[i].t;
		}
	if (n)
		qsort(v, n, sizeof *v, u32_cmp);
	for (size_t i = 0; i < n; i++)
		if (u == 0 || v[u - 1] != v[i])
			v[u++] = v[i];
	*out = v;
	return u;
}

/*
 * Easy Label Projection, step by step as its reference does it:
 *  1. each entity (in source order) takes the target tokens aligned to it;
 *  2. tokens made only of ASCII punctuation are dropped; nothing left, no
 *     projection;
 *  3. runs of consecutive tokens form groups; group i absorbs group i+1
 *     (gap filled) while last(i+1) - first(i) <= 2, and the longest group
 *     (the first of equals) is kept;
 *  4. walking the list in source order, entry i "collides" with entry i+1
 *     when last(i) >= first(i+1) (so an entity projected left of its
 *     predecessor collides too); same-type collisions merge into the
 *     sorted union of their tokens (which may have holes);
 *  5. a second walk keeps the longer of any two colliding entries (the
 *     later one on equal length);
 *  6. tags are written entry by entry, B- on the first token, I- on the
 *     rest, later entries overwriting earlier ones; the tag sequence is
 *     read back with conlleval chunking, so a merged run with a hole
 *     (B-LOC O I-LOC) becomes two spans.
 */
static void
heuristic_elp(match_ws *ws, const struct pair *p, struct match_out *out)
{
	size_t n = 0, nt = p->tgt.n;
	struct hproj *h = xcalloc(p->ents.n + 1, sizeof *h);
	int *owner;
	struct tag *tags;

	for (size_t e = 0; e < p->ents.n; e++) {
		uint32_t *ids;
		size_t k = aligned_targets(&ws->l, p->ents.v[e].start, p->ents.v[e].end, &ids), u = 0;
		for (size_t i = 0; i < k; i++) {
			size_t len;
			const char *t = toks_get(&p->tgt, ids[i], &len);
			if (!ascii_punct_only(t, len))
				ids[u++] = ids[i];
		}
		if (u == 0) {
			free(ids);
			continue;
		}
		/* groups of consecutive tokens: [gs[g], ge[g]] inclusive */
		uint32_t *gs = xmalloc(u * sizeof *gs), *ge = xmalloc(u * sizeof *ge);
		size_t ng = 0;
		for (size_t i = 0; i < u; i++) {
			if (ng && ids[i] == ge[ng - 1] + 1) {
				ge[ng - 1] = ids[i];
			} else {
				gs[ng] = ge[ng] = ids[i];
				ng++;
			}
		}
		for (size_t i = 0; i + 1 < ng; ) {
			if (ge[i + 1] - gs[i] <= 2) {
				ge[i] = ge[i + 1];
				memmove(gs + i + 1, gs + i + 2, (ng - i - 2) * sizeof *gs);
				memmove(ge + i + 1, ge + i + 2, (ng - i - 2) * sizeof *ge);
				ng--;
			} else {
				i++;
			}
		}
		size_t best = 0;
		for (size_t g = 1; g < ng; g++)
			if (ge[g] - gs[g] > ge[best] - gs[best])
				best = g;
		h[n].n = ge[best] - gs[best] + 1;
		h[n].ids = xmalloc(h[n].n * sizeof *h[n].ids);
		for (size_t i = 0; i < h[n].n; i++)
			h[n].ids[i] = gs[best] + (uint32_t)i;
		h[n].entity = (int)e;
		n++;
		free(ids);
		free(gs);
		free(ge);
	}
	/* same-type collisions merge */
	for (size_t i = 0; i + 1 < n; ) {
		struct hproj *a = &h[i], *b = &h[i + 1];
		if (a->ids[a->n - 1] >= b->ids[0] &&
		    strcmp(p->ents.v[a->entity].label, p->ents.v[b->entity].label) == 0) {
			uint32_t *m = xmalloc((a->n + b->n) * sizeof *m);
			memcpy(m, a->ids, a->n * sizeof *m);
			memcpy(m + a->n, b->ids, b->n * sizeof *m);
			size_t mn = a->n + b->n, u = 0;
			qsort(m, mn, sizeof *m, u32_cmp);
			for (size_t k = 0; k < mn; k++)
				if (u == 0 || m[u - 1] != m[k])
					m[u++] = m[k];
			free(a->ids);
			a->ids = m;
			a->n = u;
			free(b->ids);
			memmove(h + i + 1, h + i + 2, (n - i - 2) * sizeof *h);
			n--;
		} else {
			i++;
		}
	}
	/* remaining collisions: keep the longer */
	for (size_t i = 0; i + 1 < n; ) {
		struct hproj *a = &h[i], *b = &h[i + 1];
		if (a->ids[a->n - 1] >= b->ids[0]) {
			size_t drop = a->n > b->n ? i + 1 : i;
			free(h[drop].ids);
			memmove(h + drop, h + drop + 1, (n - drop - 1) * sizeof *h);
			n--;
		} else {
			i++;
		}
	}
	/* write tags, later entries winning; read back with conlleval chunking */
	owner = xmalloc((nt + 1) * sizeof *owner);
	tags = xcalloc(nt + 1, sizeof *tags);
	for (size_t j = 0; j < nt; j++) {
		tags[j].prefix = 'O';
		owner[j] = -1;
	}
	for (size_t i = 0; i < n; i++) {
		const char *label = p->ents.v[h[i].entity].label;
		for (size_t k = 0; k < h[i].n; k++) {
			struct tag *t = &tags[h[i].ids[k]];
			t->prefix = k == 0 ? 'B' : 'I';
			t->type = label;
			t->type_len = strlen(label);
			owner[h[i].ids[k]] = h[i].entity;
		}
	}
	struct spans sp = { 0 };
	scheme_decode(tags, nt, &sp);
	for (size_t i = 0; i < sp.n; i++)
		add_proj(out, owner[sp.v[i].start], sp.v[i].start, sp.v[i].end, sp.v[i].label);
	spans_release(&sp);
	free(owner);
	free(tags);
	hproj_free(h, n);
}

/*
 * The general heuristic: aligned target tokens (punctuation dropped) form
 * groups; groups closer than d + 1 merge; each entity keeps its k longest
 * groups whose length ratio |t| / |s| reaches thr; overlaps between
 * entities go to the longer range (then the leftmost, then the earlier
 * entity).
 */
static void
heuristic_general(match_ws *ws, const struct pair *p, const struct match_opts *o, struct match_out *out)
{
	struct match_cand *r = NULL;
	size_t nr = 0, rcap = 0;

	for (size_t e = 0; e < p->ents.n; e++) {
		uint32_t *ids, slen = p->ents.v[e].end - p->ents.v[e].start;
		size_t k = aligned_targets(&ws->l, p->ents.v[e].start, p->ents.v[e].end, &ids), u = 0;
		for (size_t i = 0; i < k; i++)
			if (!ws->punct[ids[i]])
				ids[u++] = ids[i];
		size_t first = nr;
		for (size_t i = 0; i < u; ) {
			size_t j = i;
			while (j + 1 < u && ids[j + 1] - ids[j] <= (uint32_t)o->merge_gap + 1)
				j++;
			uint32_t len = ids[j] - ids[i] + 1;
			if ((double)len / (double)slen >= o->len_ratio) {
				VEC_GROW(r, rcap, nr + 1);
				r[nr].entity = (int)e;
				r[nr].start = ids[i];
				r[nr].end = ids[j] + 1;
				r[nr].score = len;
				nr++;
			}
			i = j + 1;
		}
		/* keep the k longest of this entity */
		sort_base = r;
		for (size_t a = first; a < nr; a++)
			for (size_t b = a + 1; b < nr; b++)
				if (r[b].score > r[a].score || (r[b].score == r[a].score && r[b].start < r[a].start)) {
					struct match_cand t = r[a];
					r[a] = r[b];
					r[b] = t;
				}
		if (nr - first > (size_t)o->top_k)
			nr = first + (size_t)o->top_k;
		free(ids);
	}
	int *chosen = xcalloc(nr + 1, sizeof *chosen);
	int *quota = xmalloc((p->ents.n + 1) * sizeof *quota);
	for (size_t e = 0; e < p->ents.n; e++)
		quota[e] = o->top_k;
	memset(ws->busy, 0, p->tgt.n + 1);
	solve_greedy(ws, r, nr, quota, chosen);
	for (size_t i = 0; i < nr; i++)
		if (chosen[i])
			add_proj(out, r[i].entity, r[i].start, r[i].end, p->ents.v[r[i].entity].label);
	free(chosen);
	free(quota);
	free(r);
}

/*
 * The heuristics do not optimise, so pins are applied to their answer:
 * "none" and "forbid" remove projections, an accepted or hand-added span
 * replaces whatever overlaps it (and the entity's other projection).
 */
static void
heuristic_pins(const struct pair *p, const struct pin *pins, size_t npins, struct match_out *out)
{
	for (size_t i = 0; i < npins; i++) {
		const struct pin *pin = &pins[i];
		int fixes = pin->kind == PIN_ACCEPT || pin->kind == PIN_ADD;
		size_t k = 0;

		if (pin->end > p->tgt.n || (pin->kind != PIN_NONE && pin->start >= pin->end))
			continue;
		for (size_t j = 0; j < out->n; j++) {
			const struct match_proj *pr = &out->v[j];
			int same_entity = pin->entity >= 0 && pr->entity == pin->entity;
			int same_span = pr->start == pin->start && pr->end == pin->end;
			int drop = pr->pinned ? 0 :
				   pin->kind == PIN_NONE ? same_entity :
				   pin->kind == PIN_FORBID ? same_entity && same_span :
				   same_entity || (pr->start < pin->end && pin->start < pr->end);
			if (!drop)
				out->v[k++] = out->v[j];
		}
		out->n = k;
		if (fixes)
			add_proj(out, pin->kind == PIN_ADD ? -1 : pin->entity, pin->start, pin->end,
				 pin->label)->pinned = 1;
	}
}

/* Convert the matcher's answer into stored projections. */
void
match_to_projs(const struct pair *p, const struct match_out *mo, enum match_method m, struct projs *pj)
{
	pj->n = 0;
	for (size_t i = 0; i < mo->n; i++) {
		const struct match_proj *mp = &mo->v[i];
		VEC_GROW(pj->v, pj->cap, pj->n + 1);
		struct proj *q = &pj->v[pj->n++];
		memset(q, 0, sizeof *q);
		q->span.start = mp->start;
		q->span.end = mp->end;
		memcpy(q->span.label, mp->label, sizeof q->span.label);
		q->entity = mp->entity >= 0 ? p->ent_ids[mp->entity] : 0;
		q->score = mp->score;
		q->margin = mp->margin;
		snprintf(q->method, sizeof q->method, "%s", match_method_name(m));
		q->by_reviewer = mp->pinned;
	}
}

/* ---- assembling the answer ---------------------------------------------------- */

static int
proj_cmp(const void *a, const void *b)
{
	const struct match_proj *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->entity - y->entity;
}

static int
cand_by_entity(const void *a, const void *b)
{
	const struct match_cand *x = a, *y = b;

	if (x->entity != y->entity)
		return x->entity - y->entity;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->end - x->start != y->end - y->start)
		return x->end - x->start < y->end - y->start ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Scores and margins of the chosen spans; the alternatives list. */
static void
finish(match_ws *ws, struct match_out *out)
{
	if (ws->nc > 1)
		qsort(ws->c, ws->nc, sizeof *ws->c, cand_by_entity);
	for (size_t i = 0; i < out->n; i++) {
		struct match_proj *pr = &out->v[i];
		double best_other = 0;
		int seen = 0;
		if (pr->entity < 0)
			continue;
		for (size_t k = 0; k < ws->nc; k++) {
			const struct match_cand *c = &ws->c[k];
			if (c->entity != pr->entity)
				continue;
			if (c->start == pr->start && c->end == pr->end) {
				if (!pr->pinned)
					pr->score = c->score;
			} else if (!seen) {
				best_other = c->score;
				seen = 1;
			}
		}
		pr->margin = pr->score - best_other;
	}
	out->nalts = 0;
	int prev = -1, kept = 0;
	for (size_t k = 0; k < ws->nc; k++) {
		if (ws->c[k].entity != prev) {
			prev = ws->c[k].entity;
			kept = 0;
		}
		if (kept++ >= MATCH_MAX_ALTS)
			continue;
		VEC_GROW(out->alts, out->alts_cap, out->nalts + 1);
		out->alts[out->nalts++] = ws->c[k];
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, proj_cmp);
}

int
match_pair(match_ws *ws, const struct pair *p, const struct match_opts *o,
	   const struct pin *pins, size_t npins, struct match_out *out,
	   struct ferry_err *err)
{
	int nent = (int)p->ents.n;
	uint8_t *dropped;

	out->n = 0;
	out->nalts = 0;
	out->fallback = 0;
	out->ilp_skipped = 0;
	int64_t skipped_before = ws->ilp_skipped;
	select_links(ws, p, o, o->method == METHOD_HEURISTIC && o->mode == HEUR_GENERAL && o->only_i);
	prepare_tokens(ws, p);
	if (make_candidates(ws, p, o, err) < 0)
		return -1;
	if (o->method == METHOD_HEURISTIC) {
		if (o->mode == HEUR_ELP)
			heuristic_elp(ws, p, out);
		else
			heuristic_general(ws, p, o, out);
		heuristic_pins(p, pins, npins, out);
		finish(ws, out);
		return 0;
	}
	/* pins: fixed projections occupy their tokens; the rest is solved */
	VEC_GROW(ws->quota, ws->quota_cap, (size_t)nent + 1);
	for (int e = 0; e < nent; e++)
		ws->quota[e] = o->method == METHOD_ILP ? o->n_proj : entity_limit(o);
	memset(ws->busy, 0, (size_t)p->tgt.n + 1);
	dropped = xcalloc(ws->nc + 1, 1);
	for (size_t i = 0; i < npins; i++) {
		const struct pin *pin = &pins[i];
		if (pin->kind == PIN_NONE && pin->entity >= 0 && pin->entity < nent) {
			ws->quota[pin->entity] = 0;
			for (size_t k = 0; k < ws->nc; k++)
				if (ws->c[k].entity == pin->entity)
					dropped[k] = 1;
			continue;
		}
		if (pin->end > p->tgt.n || pin->start >= pin->end)
			continue;
		if (pin->kind == PIN_FORBID) {
			for (size_t k = 0; k < ws->nc; k++)
				if (ws->c[k].entity == pin->entity && ws->c[k].start == pin->start &&
				    ws->c[k].end == pin->end)
					dropped[k] = 2;     /* forbidden: gone for good */
			continue;
		}
		/* accepted or added by hand */
		memset(ws->busy + pin->start, 1, pin->end - pin->start);
		if (pin->entity >= 0 && pin->entity < nent && ws->quota[pin->entity] > 0)
			ws->quota[pin->entity]--;
		struct match_proj *pr = add_proj(out, pin->kind == PIN_ADD ? -1 : pin->entity, pin->start,
						 pin->end, pin->label);
		pr->score = 1.0;
		pr->pinned = 1;
		for (size_t k = 0; k < ws->nc; k++)
			if (ws->c[k].entity == pin->entity && ws->c[k].start == pin->start && ws->c[k].end == pin->end)
				pr->score = ws->c[k].score;
	}
	/* forbidden candidates are gone for good, not even alternatives; those
	   of a "no counterpart" entity stay as alternatives but are not solved */
	size_t kept = 0;
	for (size_t k = 0; k < ws->nc; k++)
		if (dropped[k] != 2) {
			dropped[kept] = dropped[k];
			ws->c[kept++] = ws->c[k];
		}
	ws->nc = kept;
	/* the solvable candidates: not dropped, not on pinned tokens */
	struct match_cand *live = xmalloc((ws->nc + 1) * sizeof *live);
	size_t nl = 0;
	for (size_t k = 0; k < ws->nc; k++) {
		int blocked = dropped[k];
		for (uint32_t q = ws->c[k].start; q < ws->c[k].end && !blocked; q++)
			blocked = ws->busy[q];
		if (!blocked)
			live[nl++] = ws->c[k];
	}
	free(dropped);
	VEC_GROW(ws->chosen, ws->chosen_cap, nl + 1);
	if (o->method == METHOD_ILP)
		solve_ilp(ws, live, nl, nent, p->tgt.n, o, ws->quota, ws->chosen, &out->fallback);
	else
		solve_greedy(ws, live, nl, ws->quota, ws->chosen);
	out->ilp_skipped = ws->ilp_skipped > skipped_before;
	for (size_t k = 0; k < nl; k++)
		if (ws->chosen[k])
			add_proj(out, live[k].entity, live[k].start, live[k].end,
				 p->ents.v[live[k].entity].label)->score = live[k].score;
	free(live);
	finish(ws, out);
	return 0;
}
