/*
 * team.c — team review: sharing pairs out among reviewers (ferry assign)
 * and measuring how far their independent layers agree (ferry
 * agreement).
 *
 * What agreement counts.  A reviewer decided a pair when their layer has
 * it accepted or fixed; their version of it is their layer's projections
 * as export writes them (of overlapping spans the first).  For every two
 * reviewers, over the pairs both decided:
 *   identical   pairs with the same spans and labels;
 *   span F1     2 * (spans both gave, with one label) / (spans of a + spans of b),
 *               which is the F1 of either against the other (1 when
 *               neither gave a span);
 *   kappa       Cohen's kappa of the target tokens' IOB2 tags (O, B-X, I-X):
 *               (po - pe) / (1 - pe), po the share of tokens with one tag,
 *               pe = sum over tags t of pa(t) pb(t) (1 when pe is 1 and the
 *               two agree everywhere).
 * Over all reviewers, Krippendorff's alpha (nominal) of the IOB2 tags of
 * the target tokens of every pair decided by two or more: each such token
 * is a unit coded by the m reviewers who decided its pair, the coincidence
 * matrix o[c][k] sums 1 / (m - 1) over every ordered two of its codes, n_c
 * its margins, n their sum, and alpha = 1 - (n - 1) sum_{c != k} o[c][k] /
 * sum_{c != k} n_c n_k.  Per label: the span F1 of every two reviewers on
 * that label's spans, and alpha of its tokens coded in it (1) or not (0).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/mem.h"
#include "ferry/team.h"

/* ---- sharing out -------------------------------------------------------------------- */

static uint64_t
next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The reviewer with the fewest pairs so far, other than `not` (the first of equals). */
static size_t
least_loaded(const size_t *n, size_t reviewers, size_t not)
{
	size_t best = reviewers;

	for (size_t r = 0; r < reviewers; r++)
		if (r != not && (best == reviewers || n[r] < n[best]))
			best = r;
	return best;
}

/* The shares: pairs[r][0 .. n[r]) for each reviewer r (the caller frees). */
static void
share_out(int64_t total, size_t reviewers, double overlap, uint64_t seed, int64_t **pairs, size_t *n,
	  int64_t *both)
{
	int64_t *order = xmalloc(((size_t)total + 1) * sizeof *order);
	uint64_t s = seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;

	for (int64_t i = 0; i < total; i++)
		order[i] = i + 1;
	for (int64_t i = total - 1; i > 0; i--) {
		int64_t j = (int64_t)(next_random(&s) % (uint64_t)(i + 1)), t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	int64_t two = reviewers > 1 ? (int64_t)llround(overlap * (double)total) : 0;
	for (size_t r = 0; r < reviewers; r++)
		pairs[r] = xmalloc(((size_t)total + 1) * sizeof **pairs);
	for (int64_t i = 0; i < total; i++) {
		size_t a = least_loaded(n, reviewers, reviewers);
		pairs[a][n[a]++] = order[i];
		if (i < two) {
			size_t b = least_loaded(n, reviewers, a);
			pairs[b][n[b]++] = order[i];
		}
	}
	*both = two;
	free(order);
}

int
team_assign(const char *project, const char *const *reviewers, size_t n, double overlap, uint64_t seed,
	    int64_t *counts, int64_t *both, struct ferry_err *err)
{
	ferry_store *st;
	int rc = -1;

	if (store_open(&st, project, 0, err) < 0)
		return -1;
	int64_t total = store_pair_count(st, err);
	int64_t **pairs = xcalloc(n, sizeof *pairs);
	size_t *np = xcalloc(n, sizeof *np);
	struct buf j = BUF_INIT;
	if (total < 0)
		goto out;
	share_out(total, n, overlap, seed, pairs, np, both);
	buf_adds(&j, "{\"reviewers\":[");
	for (size_t r = 0; r < n; r++) {
		counts[r] = (int64_t)np[r];
		buf_addf(&j, "%s", r ? "," : "");
		buf_add_json(&j, reviewers[r], strlen(reviewers[r]));
	}
	buf_addf(&j, "],\"overlap\":%g,\"seed\":%llu,\"pairs\":%lld,\"both\":%lld}", overlap, (unsigned long long)seed,
		 (long long)total, (long long)*both);
	if (store_begin(st, err) < 0)
		goto out;
	if (store_assign(st, reviewers, (const int64_t *const *)pairs, np, n, err) < 0 ||
	    store_log_add(st, 0, "assign", NULL, buf_cstr(&j), err) < 0 || store_commit(st, err) < 0) {
		store_rollback(st);
		goto out;
	}
	rc = 0;
out:
	if (store_close(st, rc == 0 ? err : NULL) < 0)
		rc = -1;
	for (size_t r = 0; r < n; r++)
		free(pairs[r]);
	free(pairs);
	free(np);
	buf_release(&j);
	return rc;
}

/* ---- the figures --------------------------------------------------------------------- */

/* Krippendorff's coincidences, k values. */
struct coincide {
	double *o;
	int     k;
};

static void
coincide_init(struct coincide *c, int k)
{
	c->k = k;
	c->o = xcalloc((size_t)k * (size_t)k, sizeof *c->o);
}

/* A unit's m codes (v[i] in 0 .. k-1). */
static void
coincide_add(struct coincide *c, const int *v, size_t m)
{
	if (m < 2)
		return;
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < m; j++)
			if (i != j)
				c->o[v[i] * c->k + v[j]] += 1.0 / (double)(m - 1);
}

static double
coincide_alpha(const struct coincide *c)
{
	double n = 0, dis = 0, exp = 0;
	double *nc = xcalloc((size_t)c->k + 1, sizeof *nc);

	for (int a = 0; a < c->k; a++)
		for (int b = 0; b < c->k; b++) {
			nc[a] += c->o[a * c->k + b];
			if (a != b)
				dis += c->o[a * c->k + b];
		}
	for (int a = 0; a < c->k; a++)
		n += nc[a];
	for (int a = 0; a < c->k; a++)
		for (int b = 0; b < c->k; b++)
			if (a != b)
				exp += nc[a] * nc[b];
	free(nc);
	if (!(n > 0))
		return NAN;
	return exp > 0 ? 1 - (n - 1) * dis / exp : 1;
}

double
team_alpha(const int *values, size_t units, size_t m, int k)
{
	struct coincide c;
	int *v = xmalloc((m + 1) * sizeof *v);

	coincide_init(&c, k);
	for (size_t u = 0; u < units; u++) {
		size_t got = 0;
		for (size_t i = 0; i < m; i++)
			if (values[u * m + i] >= 0)
				v[got++] = values[u * m + i];
		coincide_add(&c, v, got);
	}
	double a = coincide_alpha(&c);
	free(c.o);
	free(v);
	return a;
}

/* Kappa from the two coders' counts per value and the items they agree on. */
static double
kappa_of(const int64_t *na, const int64_t *nb, int k, int64_t agree, int64_t n)
{
	double pe = 0;

	if (n == 0)
		return NAN;
	for (int t = 0; t < k; t++)
		pe += ((double)na[t] / (double)n) * ((double)nb[t] / (double)n);
	double po = (double)agree / (double)n;
	return pe < 1 ? (po - pe) / (1 - pe) : (po == 1 ? 1 : 0);
}

double
team_kappa(const int *a, const int *b, size_t n, int k)
{
	int64_t *na = xcalloc((size_t)k, sizeof *na), *nb = xcalloc((size_t)k, sizeof *nb), agree = 0;

	for (size_t i = 0; i < n; i++) {
		na[a[i]]++;
		nb[b[i]]++;
		agree += a[i] == b[i];
	}
	double r = kappa_of(na, nb, k, agree, (int64_t)n);
	free(na);
	free(nb);
	return r;
}

/* ---- agreement over the layers -------------------------------------------------------- */

/* One reviewer's decided version of the pair being read. */
struct version {
	size_t       r;              /* reviewer index */
	struct spans spans;
	int         *tags;           /* per target token: 0 O, 1 + 2l B-label l, 2 + 2l I-label l */
};

/* Counts for every two reviewers while reading. */
struct pair_counts {
	int64_t *na, *nb, agree;
	int64_t *both_l, *spans_l;   /* per label */
};

struct run {
	struct agreement *a;
	char  **labels;
	size_t  nlabels, cap_labels;
	int     k;
	struct pair_counts *pc;
	struct coincide all, *per;   /* per label: in it or not */
	int64_t pair;                /* the pair being read */
	uint32_t ntgt;
	struct version *v;
	size_t  nv, cap_v;
	int     pass;                /* 1: reviewers and labels; 2: counts */
};

static int
name_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static size_t
find_name(char **v, size_t n, const char *name)
{
	char *key = (char *)name;
	char **hit = bsearch(&key, v, n, sizeof *v, name_cmp);

	return hit ? (size_t)(hit - v) : n;
}

/* Add name to a list if missing (pass 1; sorted afterwards). */
static void
note_name(char ***v, size_t *n, size_t *cap, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], name) == 0)
			return;
	VEC_GROW(*v, *cap, *n + 1);
	(*v)[(*n)++] = xstrdup(name);
}

static int
has_span(const struct spans *s, const struct span *x)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].start == x->start && s->v[i].end == x->end && strcmp(s->v[i].label, x->label) == 0)
			return 1;
	return 0;
}

/* Two versions of one pair into the counts of reviewers x < y. */
static void
count_two(struct run *run, const struct version *x, const struct version *y)
{
	size_t n = run->a->n, i = x->r, j = y->r;
	size_t at = i * n - i * (i + 1) / 2 + (j - i - 1);       /* (i, j) among every two, i < j */
	struct agreement_pair *p = &run->a->pw[at];
	struct pair_counts *c = &run->pc[at];

	p->pairs++;
	p->identical += spans_equal(&x->spans, &y->spans);
	p->spans_a += (int64_t)x->spans.n;
	p->spans_b += (int64_t)y->spans.n;
	for (size_t s = 0; s < x->spans.n; s++) {
		size_t l = find_name(run->labels, run->nlabels, x->spans.v[s].label);
		int both = has_span(&y->spans, &x->spans.v[s]);
		p->same_spans += both;
		c->both_l[l] += both;
		c->spans_l[l]++;
	}
	for (size_t s = 0; s < y->spans.n; s++)
		c->spans_l[find_name(run->labels, run->nlabels, y->spans.v[s].label)]++;
	for (uint32_t t = 0; t < run->ntgt; t++) {
		c->na[x->tags[t]]++;
		c->nb[y->tags[t]]++;
		c->agree += x->tags[t] == y->tags[t];
	}
	p->tokens += run->ntgt;
	p->same_tags = c->agree;
}

/* The pair read so far is complete: count it. */
static void
flush_pair(struct run *run)
{
	int codes[64], in[64];

	for (size_t i = 0; i < run->nv; i++) {
		struct version *v = &run->v[i];
		v->tags = xrealloc(v->tags, ((size_t)run->ntgt + 1) * sizeof *v->tags);
		memset(v->tags, 0, ((size_t)run->ntgt + 1) * sizeof *v->tags);
		for (size_t s = 0; s < v->spans.n; s++) {
			int l = (int)find_name(run->labels, run->nlabels, v->spans.v[s].label);
			for (uint32_t t = v->spans.v[s].start; t < v->spans.v[s].end && t < run->ntgt; t++)
				v->tags[t] = (t == v->spans.v[s].start ? 1 : 2) + 2 * l;
		}
	}
	for (size_t i = 0; i < run->nv; i++)
		for (size_t j = i + 1; j < run->nv; j++)
			count_two(run, &run->v[i], &run->v[j]);
	if (run->nv >= 2) {
		size_t m = run->nv < 64 ? run->nv : 64;
		run->a->units += run->ntgt;
		for (uint32_t t = 0; t < run->ntgt; t++) {
			for (size_t i = 0; i < m; i++)
				codes[i] = run->v[i].tags[t];
			coincide_add(&run->all, codes, m);
			for (size_t l = 0; l < run->nlabels; l++) {
				for (size_t i = 0; i < m; i++)
					in[i] = codes[i] != 0 && (size_t)(codes[i] - 1) / 2 == l;
				coincide_add(&run->per[l], in, m);
			}
		}
	}
	run->nv = 0;
}

/* store_layer_each's callback: pass 1 notes reviewers and labels, pass 2 counts. */
static int
on_layer_pair(const struct layer_pair *lp, void *arg)
{
	struct run *run = arg;

	if (!status_decides(lp->status))
		return 0;
	if (run->pass == 1) {
		size_t cap = run->a->n;
		note_name(&run->a->reviewers, &run->a->n, &cap, lp->layer);
		for (size_t i = 0; i < lp->spans.n; i++)
			note_name(&run->labels, &run->nlabels, &run->cap_labels, lp->spans.v[i].label);
		return 0;
	}
	if (lp->pair != run->pair) {
		flush_pair(run);
		run->pair = lp->pair;
		run->ntgt = lp->ntgt;
	}
	if (run->nv == run->cap_v) {
		size_t cap = run->cap_v ? 2 * run->cap_v : 8;
		run->v = xrealloc(run->v, cap * sizeof *run->v);
		memset(run->v + run->cap_v, 0, (cap - run->cap_v) * sizeof *run->v);
		run->cap_v = cap;
	}
	struct version *v = &run->v[run->nv++];
	v->r = find_name(run->a->reviewers, run->a->n, lp->layer);
	spans_copy(&v->spans, &lp->spans);
	return 0;
}

/* The counts into the figures. */
static void
finish(struct run *run)
{
	struct agreement *a = run->a;

	a->alpha = coincide_alpha(&run->all);
	a->nlabels = run->nlabels;
	a->labels = xcalloc(run->nlabels + 1, sizeof *a->labels);
	for (size_t l = 0; l < run->nlabels; l++) {
		snprintf(a->labels[l].label, sizeof a->labels[l].label, "%s", run->labels[l]);
		a->labels[l].alpha = coincide_alpha(&run->per[l]);
	}
	for (size_t i = 0; i < a->npw; i++) {
		struct agreement_pair *p = &a->pw[i];
		struct pair_counts *c = &run->pc[i];
		int64_t both = p->spans_a + p->spans_b;
		p->span_f1 = both ? 2.0 * (double)p->same_spans / (double)both : (p->pairs ? 1 : NAN);
		p->kappa = kappa_of(c->na, c->nb, run->k, c->agree, p->tokens);
		p->nlabels = run->nlabels;
		p->labels = xcalloc(run->nlabels + 1, sizeof *p->labels);
		for (size_t l = 0; l < run->nlabels; l++) {
			snprintf(p->labels[l].label, sizeof p->labels[l].label, "%s", run->labels[l]);
			p->labels[l].both = c->both_l[l];
			p->labels[l].spans = c->spans_l[l];
			a->labels[l].both += c->both_l[l];
			a->labels[l].spans += c->spans_l[l];
		}
	}
}

/* Every two reviewers, and the counters pass 2 fills. */
static void
prepare(struct run *run)
{
	struct agreement *a = run->a;

	qsort(a->reviewers, a->n, sizeof *a->reviewers, name_cmp);
	qsort(run->labels, run->nlabels, sizeof *run->labels, name_cmp);
	run->k = 1 + 2 * (int)run->nlabels;
	a->npw = a->n * (a->n ? a->n - 1 : 0) / 2;
	a->pw = xcalloc(a->npw + 1, sizeof *a->pw);
	run->pc = xcalloc(a->npw + 1, sizeof *run->pc);
	for (size_t i = 0, at = 0; i < a->n; i++)
		for (size_t j = i + 1; j < a->n; j++, at++) {
			snprintf(a->pw[at].a, sizeof a->pw[at].a, "%s", a->reviewers[i]);
			snprintf(a->pw[at].b, sizeof a->pw[at].b, "%s", a->reviewers[j]);
			run->pc[at].na = xcalloc((size_t)run->k, sizeof (int64_t));
			run->pc[at].nb = xcalloc((size_t)run->k, sizeof (int64_t));
			run->pc[at].both_l = xcalloc(run->nlabels + 1, sizeof (int64_t));
			run->pc[at].spans_l = xcalloc(run->nlabels + 1, sizeof (int64_t));
		}
	coincide_init(&run->all, run->k);
	run->per = xcalloc(run->nlabels + 1, sizeof *run->per);
	for (size_t l = 0; l < run->nlabels; l++)
		coincide_init(&run->per[l], 2);
}

static void
run_release(struct run *run)
{
	for (size_t i = 0; i < run->a->npw && run->pc; i++) {
		free(run->pc[i].na);
		free(run->pc[i].nb);
		free(run->pc[i].both_l);
		free(run->pc[i].spans_l);
	}
	free(run->pc);
	for (size_t l = 0; l < run->nlabels; l++) {
		free(run->labels[l]);
		if (run->per)
			free(run->per[l].o);
	}
	free(run->labels);
	free(run->per);
	free(run->all.o);
	for (size_t i = 0; i < run->cap_v; i++) {
		spans_release(&run->v[i].spans);
		free(run->v[i].tags);
	}
	free(run->v);
}

int
team_agreement(const char *project, struct agreement *out, struct ferry_err *err)
{
	struct run run = { .a = out, .pass = 1 };
	ferry_store *st;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (store_open(&st, project, STORE_READONLY, err) < 0)
		return -1;
	if (store_layer_each(st, 0, on_layer_pair, &run, err) < 0)
		goto out;
	prepare(&run);
	run.pass = 2;
	if (store_layer_each(st, 0, on_layer_pair, &run, err) < 0)
		goto out;
	flush_pair(&run);
	finish(&run);
	rc = 0;
out:
	store_close(st, NULL);
	run_release(&run);
	return rc;
}

void
agreement_release(struct agreement *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->reviewers[i]);
	free(a->reviewers);
	for (size_t i = 0; i < a->npw; i++)
		free(a->pw[i].labels);
	free(a->pw);
	free(a->labels);
	memset(a, 0, sizeof *a);
}

/* A figure as JSON (null when there is nothing to measure) or text ("-"). */
static void
figure(struct buf *out, double v, int json)
{
	buf_add_figure(out, v, json, 6, 4);
}

static double
label_f1(const struct agreement_label *l)
{
	return l->spans ? 2.0 * (double)l->both / (double)l->spans : NAN;
}

void
agreement_report(const struct agreement *a, int json, struct buf *out)
{
	if (json) {
		buf_adds(out, "{\"reviewers\":[");
		for (size_t i = 0; i < a->n; i++) {
			buf_adds(out, i ? "," : "");
			buf_add_json(out, a->reviewers[i], strlen(a->reviewers[i]));
		}
		buf_adds(out, "],\"pairwise\":[");
		for (size_t i = 0; i < a->npw; i++) {
			const struct agreement_pair *p = &a->pw[i];
			buf_adds(out, i ? ",{\"a\":" : "{\"a\":");
			buf_add_json(out, p->a, strlen(p->a));
			buf_adds(out, ",\"b\":");
			buf_add_json(out, p->b, strlen(p->b));
			buf_addf(out, ",\"pairs\":%lld,\"identical\":%lld,\"span_f1\":", (long long)p->pairs,
				 (long long)p->identical);
			figure(out, p->span_f1, 1);
			buf_adds(out, ",\"kappa\":");
			figure(out, p->kappa, 1);
			buf_adds(out, ",\"labels\":{");
			for (size_t l = 0; l < p->nlabels; l++) {
				buf_adds(out, l ? "," : "");
				buf_add_json(out, p->labels[l].label, strlen(p->labels[l].label));
				buf_adds(out, ":{\"span_f1\":");
				figure(out, label_f1(&p->labels[l]), 1);
				buf_addc(out, '}');
			}
			buf_adds(out, "}}");
		}
		buf_adds(out, "],\"alpha\":");
		figure(out, a->alpha, 1);
		buf_addf(out, ",\"units\":%lld,\"labels\":{", (long long)a->units);
		for (size_t l = 0; l < a->nlabels; l++) {
			buf_adds(out, l ? "," : "");
			buf_add_json(out, a->labels[l].label, strlen(a->labels[l].label));
			buf_adds(out, ":{\"span_f1\":");
			figure(out, label_f1(&a->labels[l]), 1);
			buf_adds(out, ",\"alpha\":");
			figure(out, a->labels[l].alpha, 1);
			buf_addc(out, '}');
		}
		buf_adds(out, "}}\n");
		return;
	}
	buf_addf(out, "reviewers: %zu\n\n%-12s %-12s %6s %9s %7s %6s\n", a->n, "reviewer", "reviewer", "pairs",
		 "identical", "span F1", "kappa");
	for (size_t i = 0; i < a->npw; i++) {
		const struct agreement_pair *p = &a->pw[i];
		buf_addf(out, "%-12s %-12s %6lld %9lld  ", p->a, p->b, (long long)p->pairs, (long long)p->identical);
		figure(out, p->span_f1, 0);
		buf_adds(out, " ");
		figure(out, p->kappa, 0);
		buf_addc(out, '\n');
	}
	buf_addf(out, "\nKrippendorff's alpha over all reviewers (%lld tokens of pairs decided by two or more): ",
		 (long long)a->units);
	figure(out, a->alpha, 0);
	buf_addf(out, "\n\n%-12s %7s %6s\n", "label", "span F1", "alpha");
	for (size_t l = 0; l < a->nlabels; l++) {
		buf_addf(out, "%-12s  ", a->labels[l].label);
		figure(out, label_f1(&a->labels[l]), 0);
		buf_adds(out, " ");
		figure(out, a->labels[l].alpha, 0);
		buf_addc(out, '\n');
	}
}
