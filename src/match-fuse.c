/*
 * match-fuse.c — multi-source projection: several labelled sources of one
 * target sentence, each matched on its own, fused into one set of
 * non-overlapping target spans with one label each.
 *
 * The fused problem.  Every source k proposes its own projection (the
 * spans match_pair chose for its entities) and its candidates (each
 * entity's best MATCH_MAX_ALTS spans with their 0-1 scores).  A target
 * span t with label l gets the support
 *
 *     F(t, l) = sum_k w_k (alpha [k projects t as l] + (1 - alpha) s_k(t, l)) / sum_k w_k
 *
 * where s_k(t, l) is source k's best candidate score for t among its
 * entities labelled l (0 when it has none) and w_k the source's
 * reliability.  So sources that project the same span with the same
 * label add up; a source whose own choice went elsewhere still lends the
 * right span what its scores say of it; and a label the sources dispute
 * goes to the larger weighted vote, because the same span with two labels
 * is two candidates that overlap.  The spans whose support is above
 * fuse_min compete for the target tokens: the ILP (GLPK, method ilp)
 * chooses the non-overlapping set of largest total support above
 * fuse_min, exactly; greedy (methods greedy and heuristic) takes them by
 * support as the paper's algorithm 2 does.  With --fuse vote, alpha is
 * 1: the sources' own projections alone, a weighted majority vote over
 * spans with their labels (fuse_min 0.5: more than half the weight).
 *
 * Why these settings: on the Europarl dev pairs (../shared/data, each of
 * de, es and it as target with the three other languages as sources),
 * output voting of the sources' projections (span or token majority)
 * reached a mean F1 of 0.914; adding the candidates' scores with alpha
 * 0.5 and fuse_min 0.4 reached 0.917 (bench/multi.sh).
 *
 * Reliability without gold: how well each source agrees with the others
 * across the corpus (fuse_agreement_*): the span F1 of its projections
 * against each other source's, on the pairs both have, averaged.  A
 * source that is not a translation of the target (a misaligned line), or
 * whose language is far from it, agrees less and weighs less.
 *
 * Reviewer pins refer to the first source's entities, as they always
 * did: an accepted or added span is fixed, a forbidden span (with its
 * entity's label) is not proposed, and "no counterpart" removes the spans
 * whose first-source entity is that one.
 */
#include <stdlib.h>
#include <string.h>

#include "match-int.h"

/* One source's word on one span and label: a row before merging. */
struct vote {
	uint32_t start, end;
	const char *label;
	int      k;               /* index into the sources given */
	int      entity;          /* the entity of source 0 (the first) proposing it, else -1 */
	double   score;           /* its candidate score */
	int      chosen;          /* the source's own projection */
};

/* A fused candidate. */
struct fused {
	uint32_t start, end;
	const char *label;
	double   support;
	uint32_t sources;         /* bit id: sources whose own projection it is */
	int      entity;          /* the first source's entity behind it, or -1 */
	int      dropped;
};

static int
vote_cmp(const void *a, const void *b)
{
	const struct vote *x = a, *y = b;
	int c;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	if ((c = strcmp(x->label, y->label)) != 0)
		return c;
	return x->k - y->k;
}

static void
add_vote(struct vote **v, size_t *n, size_t *cap, const struct vote *x)
{
	VEC_GROW(*v, *cap, *n + 1);
	(*v)[(*n)++] = *x;
}

/* Every source's projection and candidates as votes. */
static size_t
collect_votes(const struct fuse_source *src, size_t n, struct vote **out, size_t *cap)
{
	size_t nv = 0;

	for (size_t k = 0; k < n; k++) {
		const struct match_out *mo = src[k].out;
		const struct pair *v = src[k].view;
		for (size_t i = 0; i < mo->n; i++) {
			const struct match_proj *pr = &mo->v[i];
			struct vote x = { pr->start, pr->end, pr->label, (int)k,
					  src[k].id == 0 ? pr->entity : -1, pr->score > 0 ? pr->score : 0, 1 };
			add_vote(out, &nv, cap, &x);
		}
		for (size_t i = 0; i < mo->nalts; i++) {
			const struct match_cand *c = &mo->alts[i];
			if (c->entity < 0 || (size_t)c->entity >= v->ents.n)
				continue;
			struct vote x = { c->start, c->end, v->ents.v[c->entity].label, (int)k,
					  src[k].id == 0 ? c->entity : -1, c->score > 0 ? c->score : 0, 0 };
			add_vote(out, &nv, cap, &x);
		}
	}
	return nv;
}

/* Merge the votes of one span and label into fused candidates. */
static size_t
merge_votes(const struct fuse_source *src, size_t n, const struct vote *v, size_t nv, double alpha,
	    struct fused **out, size_t *cap)
{
	double total = 0, best[FERRY_SOURCES_MAX];
	int chosen[FERRY_SOURCES_MAX];
	size_t nf = 0;

	for (size_t k = 0; k < n; k++)
		total += src[k].weight;
	if (!(total > 0))
		total = 1;
	for (size_t i = 0; i < nv;) {
		size_t j = i;
		double ebest = -1;
		struct fused f = { v[i].start, v[i].end, v[i].label, 0, 0, -1, 0 };
		memset(chosen, 0, sizeof chosen);
		for (size_t k = 0; k < n; k++)
			best[k] = 0;
		for (; j < nv && v[j].start == v[i].start && v[j].end == v[i].end && strcmp(v[j].label, v[i].label) == 0;
		     j++) {
			int k = v[j].k;
			if (v[j].score > best[k])
				best[k] = v[j].score;
			chosen[k] |= v[j].chosen;
			if (v[j].entity >= 0 && v[j].score > ebest) {
				ebest = v[j].score;
				f.entity = v[j].entity;
			}
		}
		for (size_t k = 0; k < n; k++) {
			f.support += src[k].weight * (alpha * chosen[k] + (1 - alpha) * best[k]);
			if (chosen[k])
				f.sources |= 1u << src[k].id;
		}
		f.support /= total;
		VEC_GROW(*out, *cap, nf + 1);
		(*out)[nf++] = f;
		i = j;
	}
	return nf;
}

/* The reviewer's pins on the fused candidates (see the top); accepted and added spans into out. */
static void
fuse_pins(match_ws *ws, const struct pair *p, const struct pin *pins, size_t npins, struct fused *f,
	  size_t nf, struct match_out *out)
{
	for (size_t i = 0; i < npins; i++) {
		const struct pin *pin = &pins[i];
		int e = pin->entity;
		if (pin->kind == PIN_NONE) {
			for (size_t c = 0; c < nf; c++)
				f[c].dropped |= f[c].entity == e;
			continue;
		}
		if (pin->end > p->tgt.n || pin->start >= pin->end)
			continue;
		if (pin->kind == PIN_FORBID) {
			const char *label = e >= 0 && (size_t)e < p->ents.n ? p->ents.v[e].label : pin->label;
			for (size_t c = 0; c < nf; c++)
				f[c].dropped |= f[c].start == pin->start && f[c].end == pin->end &&
						strcmp(f[c].label, label) == 0;
			continue;
		}
		memset(ws->busy + pin->start, 1, pin->end - pin->start);
		struct match_proj *pr = match_out_add(out, pin->kind == PIN_ADD ? -1 : e, pin->start, pin->end,
						      pin->label);
		pr->pinned = 1;
		for (size_t c = 0; c < nf; c++)
			if (f[c].start == pin->start && f[c].end == pin->end && strcmp(f[c].label, pin->label) == 0) {
				pr->score = f[c].support;
				pr->support = f[c].sources;
			}
	}
}

/* The best support among the candidates overlapping [a, b) other than c itself. */
static double
best_rival(const struct fused *f, size_t nf, size_t c)
{
	double r = 0;

	for (size_t i = 0; i < nf; i++)
		if (i != c && f[i].start < f[c].end && f[c].start < f[i].end && f[i].support > r)
			r = f[i].support;
	return r;
}

/* Candidate c among entity e's alternatives in out (from index first), or -1. */
static long
find_alt(const struct match_out *out, size_t first, int e, uint32_t a, uint32_t b)
{
	for (size_t i = first; i < out->nalts; i++)
		if (out->alts[i].entity == e && out->alts[i].start == a && out->alts[i].end == b)
			return (long)i;
	return -1;
}

/* Does source 0's answer project entity e onto a span overlapping [a, b), or list [a, b) among its candidates? */
static int
related(const struct match_out *first, int e, uint32_t a, uint32_t b)
{
	for (size_t i = 0; i < first->n; i++)
		if (first->v[i].entity == e && first->v[i].start < b && a < first->v[i].end)
			return 1;
	for (size_t i = 0; i < first->nalts; i++)
		if (first->alts[i].entity == e && first->alts[i].start == a && first->alts[i].end == b)
			return 1;
	return 0;
}

/*
 * The alternatives the review lists for each entity of the first source:
 * its candidates, and the span each other source projects with that
 * entity's label where it overlaps the first source's projection of the
 * entity or is one of its candidates (so that another entity of the same
 * label is not offered), marked with the sources (from) that project it,
 * in order of score.
 */
static void
fuse_alternatives(const struct pair *p, const struct fuse_source *src, size_t n, struct match_out *out)
{
	const struct match_out *first = NULL;

	for (size_t k = 0; k < n; k++)
		if (src[k].id == 0)
			first = src[k].out;
	if (first == NULL)
		return;
	for (size_t e = 0; e < p->ents.n; e++) {
		size_t start = out->nalts;
		for (size_t i = 0; i < first->nalts; i++)
			if (first->alts[i].entity == (int)e) {
				VEC_GROW(out->alts, out->alts_cap, out->nalts + 1);
				out->alts[out->nalts++] = first->alts[i];
			}
		for (size_t k = 0; k < n; k++)
			for (size_t i = 0; i < src[k].out->n; i++) {
				const struct match_proj *pr = &src[k].out->v[i];
				if (src[k].id == 0 ? pr->entity != (int)e
				    : strcmp(pr->label, p->ents.v[e].label) != 0 || !related(first, (int)e, pr->start, pr->end))
					continue;
				long at = find_alt(out, start, (int)e, pr->start, pr->end);
				if (at < 0) {
					VEC_GROW(out->alts, out->alts_cap, out->nalts + 1);
					out->alts[out->nalts] = (struct match_cand){ (int)e, pr->start, pr->end,
										    pr->score > 0 ? pr->score : 0, 0 };
					at = (long)out->nalts++;
				}
				out->alts[at].from |= 1u << src[k].id;
			}
		/* by score, best first (insertion: a handful each) */
		for (size_t i = start + 1; i < out->nalts; i++)
			for (size_t j = i; j > start && out->alts[j].score > out->alts[j - 1].score; j--) {
				struct match_cand t = out->alts[j];
				out->alts[j] = out->alts[j - 1];
				out->alts[j - 1] = t;
			}
	}
}

int
match_fuse(match_ws *ws, const struct pair *p, const struct fuse_source *src, size_t n,
	   const struct match_opts *o, const struct pin *pins, size_t npins, struct match_out *out,
	   struct ferry_err *err)
{
	struct vote *v = NULL;
	struct fused *f = NULL;
	size_t vcap = 0, fcap = 0, nl = 0;
	double alpha = o->fuse == FUSE_VOTE ? 1 : o->fuse_alpha;
	struct match_opts one = *o;

	(void)err;
	out->n = 0;
	out->nalts = 0;
	out->fallback = 0;
	out->ilp_skipped = 0;
	size_t nv = collect_votes(src, n, &v, &vcap);
	if (nv > 1)
		qsort(v, nv, sizeof *v, vote_cmp);
	size_t nf = merge_votes(src, n, v, nv, alpha, &f, &fcap);
	VEC_GROW(ws->busy, ws->busy_cap, (size_t)p->tgt.n + 1);
	memset(ws->busy, 0, (size_t)p->tgt.n + 1);
	fuse_pins(ws, p, pins, npins, f, nf, out);
	/* the live candidates, each its own "entity" of quota 1, scored above fuse_min */
	struct match_cand *live = xmalloc((nf + 1) * sizeof *live);
	size_t *which = xmalloc((nf + 1) * sizeof *which);
	for (size_t c = 0; c < nf; c++) {
		int blocked = f[c].dropped || !(f[c].support > o->fuse_min);
		for (uint32_t q = f[c].start; q < f[c].end && !blocked; q++)
			blocked = ws->busy[q];
		if (blocked)
			continue;
		live[nl] = (struct match_cand){ (int)nl, f[c].start, f[c].end, f[c].support - o->fuse_min, 0 };
		which[nl++] = c;
	}
	VEC_GROW(ws->chosen, ws->chosen_cap, nl + 1);
	VEC_GROW(ws->quota, ws->quota_cap, nl + 1);
	for (size_t c = 0; c < nl; c++)
		ws->quota[c] = 1;
	one.constraint = CON_LE;
	one.n_proj = 1;
	if (o->method == METHOD_ILP)
		match_solve_ilp(ws, live, nl, (int)nl, p->tgt.n, &one, ws->quota, ws->chosen, &out->fallback);
	else
		match_solve_greedy(ws, live, nl, ws->quota, ws->chosen);
	for (size_t c = 0; c < nl; c++) {
		if (!ws->chosen[c])
			continue;
		const struct fused *x = &f[which[c]];
		struct match_proj *pr = match_out_add(out, x->entity, x->start, x->end, x->label);
		pr->score = x->support;
		pr->margin = x->support - best_rival(f, nf, which[c]);
		pr->support = x->sources;
	}
	fuse_alternatives(p, src, n, out);
	match_sort_projections(out);
	free(live);
	free(which);
	free(v);
	free(f);
	return 0;
}

/* ---- reliability without gold ---------------------------------------------------- */

void
fuse_agreement_add(struct fuse_agreement *a, const struct sproj *own, size_t n, uint32_t present)
{
	for (int i = 0; i < FERRY_SOURCES_MAX; i++) {
		if (!(present >> i & 1))
			continue;
		for (int j = 0; j < FERRY_SOURCES_MAX; j++) {
			if (j == i || !(present >> j & 1))
				continue;
			for (size_t x = 0; x < n; x++) {
				if (own[x].source != i)
					continue;
				a->spans[i][j] += 1;
				for (size_t y = 0; y < n; y++)
					if (own[y].source == j && own[y].span.start == own[x].span.start &&
					    own[y].span.end == own[x].span.end &&
					    strcmp(own[y].span.label, own[x].span.label) == 0)
						a->same[i][j] += 1;
			}
		}
	}
}

void
fuse_agreement_weights(const struct fuse_agreement *a, uint32_t present, double *w)
{
	for (int i = 0; i < FERRY_SOURCES_MAX; i++) {
		double sum = 0;
		int others = 0;
		w[i] = 1;
		if (!(present >> i & 1))
			continue;
		for (int j = 0; j < FERRY_SOURCES_MAX; j++) {
			double both = a->spans[i][j] + a->spans[j][i];
			if (j == i || !(present >> j & 1) || !(both > 0))
				continue;
			sum += 2 * a->same[i][j] / both;
			others++;
		}
		if (others)
			w[i] = sum / others;
	}
}
