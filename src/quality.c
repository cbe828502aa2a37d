/*
 * quality.c — the estimate of the unreviewed projections' precision
 * (see quality.h for what it is): the evidence from reviewed pairs, a
 * logistic calibration on score and margin, and the report with its
 * reliability diagram.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/mem.h"
#include "ferry/quality.h"

#ifndef QUALITY_RIDGE
#define QUALITY_RIDGE 1
#endif

/* ---- the model ------------------------------------------------------------------ */

static double
logistic(double z)
{
	return z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z));
}

static double
linear(const double w[3], double score, double margin)
{
	return w[0] + w[1] * score + w[2] * margin;
}

double
quality_predict(const struct quality_fit *f, double score, double margin)
{
	return f->ok ? logistic(linear(f->w, score, margin)) : NAN;
}

/* The inverse of the symmetric 3x3 matrix a into out; 0 when it is singular. */
static int
invert3(const double a[3][3], double out[3][3])
{
	double c00 = a[1][1] * a[2][2] - a[1][2] * a[2][1], c01 = a[1][2] * a[2][0] - a[1][0] * a[2][2],
	       c02 = a[1][0] * a[2][1] - a[1][1] * a[2][0];
	double det = a[0][0] * c00 + a[0][1] * c01 + a[0][2] * c02;

	if (!(fabs(det) > 1e-300))
		return 0;
	out[0][0] = c00 / det;
	out[1][0] = c01 / det;
	out[2][0] = c02 / det;
	out[0][1] = (a[0][2] * a[2][1] - a[0][1] * a[2][2]) / det;
	out[1][1] = (a[0][0] * a[2][2] - a[0][2] * a[2][0]) / det;
	out[2][1] = (a[0][1] * a[2][0] - a[0][0] * a[2][1]) / det;
	out[0][2] = (a[0][1] * a[1][2] - a[0][2] * a[1][1]) / det;
	out[1][2] = (a[0][2] * a[1][0] - a[0][0] * a[1][2]) / det;
	out[2][2] = (a[0][0] * a[1][1] - a[0][1] * a[1][0]) / det;
	return 1;
}

/* Add weight w of an observation at (1, s, m) with outcome y to the gradient and information of model at w. */
static void
accumulate(const double wt[3], double s, double m, double y, double w, double g[3], double h[3][3])
{
	double x[3] = { 1, s, m }, p = logistic(linear(wt, s, m)), v = p * (1 - p);

	for (int i = 0; i < 3; i++) {
		g[i] += w * (y - p) * x[i];
		for (int j = 0; j < 3; j++)
			h[i][j] += w * v * x[i] * x[j];
	}
}

void
quality_fit(const struct quality_obs *o, size_t n, struct quality_fit *f)
{
	double ms = 0, mm = 0;

	memset(f, 0, sizeof *f);
	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		ms += o[i].score;
		mm += o[i].margin;
	}
	ms /= (double)n;
	mm /= (double)n;
	for (int it = 0; it < 100; it++) {
		double g[3] = { 0 }, h[3][3] = { { 0 } }, inv[3][3], step[3] = { 0 }, big = 0;
		for (size_t i = 0; i < n; i++)
			accumulate(f->w, o[i].score, o[i].margin, o[i].correct, 1, g, h);
		/* the pseudo-observations keep an all-correct (or all-wrong) sample finite */
		accumulate(f->w, ms, mm, 1, 0.5, g, h);
		accumulate(f->w, ms, mm, 0, 0.5, g, h);
		/* a weak prior on the slopes (normal, sd 1 / sqrt(QUALITY_RIDGE)): a few dozen
		   projections cannot make a cliff of the curve; it also keeps score and margin apart
		   where they are one column (no alternatives: margin = score) */
		for (int i = 1; i < 3; i++) {
			g[i] -= QUALITY_RIDGE * f->w[i];
			h[i][i] += QUALITY_RIDGE;
		}
		h[0][0] += 1e-9;
		if (!invert3(h, inv))
			return;
		for (int i = 0; i < 3; i++) {
			for (int j = 0; j < 3; j++)
				step[i] += inv[i][j] * g[j];
			if (fabs(step[i]) > big)
				big = fabs(step[i]);
		}
		double shrink = big > 5 ? 5 / big : 1;
		for (int i = 0; i < 3; i++)
			f->w[i] += shrink * step[i];
		memcpy(f->cov, inv, sizeof inv);
		if (big < 1e-9)
			break;
	}
	f->ok = 1;
}

/* ---- the estimate ---------------------------------------------------------------- */

static size_t
bin_of(double score)
{
	long b = (long)floor(score * QUALITY_BINS);
	return b < 0 ? 0 : b >= QUALITY_BINS ? QUALITY_BINS - 1 : (size_t)b;
}

static double
clamp01(double x)
{
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

void
quality_compute(struct quality *q)
{
	double sum = 0, wsum = 0, grad[3] = { 0 }, binom = 0, sq = 0;

	memset(q->bins, 0, sizeof q->bins);
	q->ok = 0;
	q->reviewed_pairs = (int64_t)q->nrev;
	q->reviewed_spans = 0;
	for (size_t i = 0; i < q->nrev; i++)
		q->reviewed_spans += q->rev[i].spans;
	q->rest = q->rest_lo = q->rest_hi = q->all = q->all_lo = q->all_hi = NAN;
	if (q->nobs < QUALITY_MIN_OBS) {
		q->fit.ok = 0;
		return;
	}
	quality_fit(q->obs, q->nobs, &q->fit);
	if (!q->fit.ok)
		return;
	for (size_t i = 0; i < q->nobs; i++) {
		struct quality_bin *b = &q->bins[bin_of(q->obs[i].score)];
		b->n++;
		b->correct += q->obs[i].correct;
		b->fitted += quality_predict(&q->fit, q->obs[i].score, q->obs[i].margin);
	}
	for (size_t i = 0; i < q->npend; i++) {
		const struct quality_obs *o = &q->pend[i];
		double p = quality_predict(&q->fit, o->score, o->margin), w = o->weight, v = p * (1 - p);
		struct quality_bin *b = &q->bins[bin_of(o->score)];
		b->pending++;
		b->estimate += p;
		sum += w * p;
		sq += w * p * p;
		wsum += w;
		binom += w * v;
		grad[0] += w * v;
		grad[1] += w * v * o->score;
		grad[2] += w * v * o->margin;
	}
	for (size_t k = 0; k < QUALITY_BINS; k++) {
		if (q->bins[k].n)
			q->bins[k].fitted /= (double)q->bins[k].n;
		if (q->bins[k].pending)
			q->bins[k].estimate /= (double)q->bins[k].pending;
	}
	q->ok = 1;
	double spans = (double)q->reviewed_spans * (q->rev_scale > 1 ? q->rev_scale : 1);
	if (wsum <= 0) {
		q->all = q->all_lo = q->all_hi = 1;
		return;
	}
	q->rest = sum / wsum;
	/* the fit's uncertainty (delta method), the outcomes' own spread and, sampled, the sample's */
	double var = 0;
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			var += grad[i] / wsum * q->fit.cov[i][j] * grad[j] / wsum;
	var += binom / (wsum * wsum);
	if (q->pend_scale > 1 && q->npend > 1)
		var += (sq / wsum - q->rest * q->rest) / (double)q->npend * (1 - 1 / q->pend_scale);
	double half = 1.96 * sqrt(var > 0 ? var : 0);
	q->rest_lo = clamp01(q->rest - half);
	q->rest_hi = clamp01(q->rest + half);
	q->all = (spans + sum) / (spans + wsum);
	q->all_lo = (spans + q->rest_lo * wsum) / (spans + wsum);
	q->all_hi = (spans + q->rest_hi * wsum) / (spans + wsum);
}

/* ---- reading the evidence -------------------------------------------------------- */

static struct quality_obs *
push(struct quality_obs **v, size_t *n, size_t *cap, int64_t pair, double score, double margin)
{
	VEC_GROW(*v, *cap, *n + 1);
	struct quality_obs *o = &(*v)[(*n)++];
	*o = (struct quality_obs){ pair, score, margin, 0, 1 };
	return o;
}

/* A reviewed pair: what the matcher makes of it without its pins, against what the reviewer left. */
static int
observe(const struct match_plan *plan, match_ws *ws, struct match_out *mos, struct quality *q, const struct pair *p,
	struct ferry_err *err)
{
	struct pair bare = *p;          /* shallow: only the pins are left out */
	struct match_out out = { 0 };
	uint32_t present;

	bare.pins.n = 0;
	if (match_plan_pair(ws, mos, plan, &bare, &out, NULL, &present, err) < 0) {
		match_out_release(&out);
		return -1;
	}
	for (size_t i = 0; i < out.n; i++) {
		const struct match_proj *m = &out.v[i];
		int right = 0;
		for (size_t k = 0; k < p->proj.n && !right; k++)
			right = p->proj.v[k].span.start == m->start && p->proj.v[k].span.end == m->end &&
				strcmp(p->proj.v[k].span.label, m->label) == 0;
		push(&q->obs, &q->nobs, &q->cap_obs, p->id, m->score, m->margin)->correct = right;
	}
	VEC_GROW(q->rev, q->cap_rev, q->nrev + 1);
	q->rev[q->nrev++] = (struct quality_pair){ p->id, (int64_t)p->proj.n };
	match_out_release(&out);
	return 0;
}

/* An unreviewed pair: the scores of its matcher projections, each standing for weight of them. */
static int
unreviewed(ferry_store *st, struct quality *q, int64_t pair, double weight, struct ferry_err *err)
{
	size_t n;

	if (weight <= 0)
		return 0;
	if (store_pair_scores(st, pair, &q->sm, &q->cap_sm, &n, err) < 0)
		return -1;
	for (size_t k = 0; k < n; k++)
		push(&q->pend, &q->npend, &q->cap_pend, pair, q->sm[2 * k], q->sm[2 * k + 1])->weight = weight;
	return 0;
}

/* Pair id, whatever its status: evidence, unreviewed (pending with weight, or decided by rule), or neither. */
static int
read_pair(ferry_store *st, const struct match_plan *plan, match_ws *ws, struct match_out *mos, struct quality *q,
	  int64_t id, double weight, struct ferry_err *err)
{
	int got;

	/* one iterator, opened once and moved to each pair: its statements are prepared once */
	if (q->it == NULL && store_iter_open(st, NULL, LOAD_ALL | LOAD_SOURCES, &q->it, err) < 0)
		return -1;
	if (store_iter_seek(q->it, id, id, err) < 0)
		return -1;
	got = store_iter_next(q->it, &q->p, err);
	/* left on its row, the walk would hold its snapshot into the session's next edit */
	store_iter_pause(q->it);
	if (got <= 0)
		return got;
	if (q->p.status == STATUS_PENDING)
		return unreviewed(st, q, id, weight, err);
	if (q->p.status != STATUS_ACCEPTED && q->p.status != STATUS_FIXED)
		return 0;
	if (pair_ids_contain(q->rule_ids, q->nrule, id)) {
		q->by_rule++;
		return unreviewed(st, q, id, 1, err);
	}
	return observe(plan, ws, mos, q, &q->p, err);
}

static void
quality_reset(struct quality *q)
{
	q->nobs = q->npend = q->nrev = 0;
	q->reviewed_pairs = q->reviewed_spans = q->pending_pairs = q->by_rule = 0;
	q->pend_scale = 1;
	q->pend_read = 0;
	q->nrule = 0;
}

/*
 * Every step-th of n ids (all when n <= most): pending ones (only their
 * scores are read), else each with read_pair; the number read into *read.
 */
static int
read_even(ferry_store *st, const struct match_plan *plan, match_ws *ws, struct match_out *mos, struct quality *q,
	  const int64_t *ids, size_t n, size_t most, int pending, size_t *read, struct ferry_err *err)
{
	size_t step = n > most ? (n + most - 1) / most : 1;

	*read = 0;
	for (size_t i = 0; i < n; i += step, (*read)++)
		if ((pending ? unreviewed(st, q, ids[i], 1, err) : read_pair(st, plan, ws, mos, q, ids[i], 1, err)) < 0)
			return -1;
	return 0;
}

/* The accepted and fixed pairs, sorted: two ranges of the status index (a two-status mask would scan it all). */
static int
decided_ids(ferry_store *st, int64_t **ids, size_t *n, struct ferry_err *err)
{
	int64_t *fixed = NULL;
	size_t nf = 0;

	if (store_review_ids(st, 1u << STATUS_ACCEPTED, NULL, -1, ORDER_CORPUS, ids, n, err) < 0 ||
	    store_review_ids(st, 1u << STATUS_FIXED, NULL, -1, ORDER_CORPUS, &fixed, &nf, err) < 0) {
		free(fixed);
		return -1;
	}
	*ids = xrealloc(*ids, (*n + nf + 1) * sizeof **ids);
	if (nf)
		memcpy(*ids + *n, fixed, nf * sizeof *fixed);
	*n += nf;
	free(fixed);
	qsort(*ids, *n, sizeof **ids, pair_id_cmp);
	return 0;
}

int
quality_collect(ferry_store *st, const struct match_plan *plan, match_ws *ws, struct match_out *mos,
		struct quality *q, struct ferry_err *err)
{
	int64_t *ids = NULL;
	size_t n = 0, read;
	int64_t reviewed, total;
	int rc = -1;

	quality_reset(q);
	if (store_progress(st, &reviewed, &total, err) < 0)
		return -1;
	q->pending_pairs = total - reviewed;
	/* nothing decided, no evidence: the log and the pairs need no reading */
	if (reviewed == 0 || decided_ids(st, &ids, &n, err) < 0 || n == 0)
		goto done;
	if (store_bulk_accepted(st, &q->rule_ids, &q->nrule, err) < 0 ||
	    read_even(st, plan, ws, mos, q, ids, n, QUALITY_EVIDENCE, 0, &read, err) < 0)
		goto out;
	q->rev_scale = read ? (double)n / (double)read : 1;
	/* too little evidence: the pending pairs are read once there is enough */
	if (q->nobs >= QUALITY_MIN_OBS) {
		if (store_review_ids(st, 1u << STATUS_PENDING, NULL, -1, ORDER_CORPUS, &ids, &n, err) < 0 ||
		    read_even(st, plan, ws, mos, q, ids, n, QUALITY_SAMPLE, 1, &read, err) < 0)
			goto out;
		q->pending_pairs = (int64_t)n;
		q->pend_read = 1;
		q->pend_scale = read ? (double)n / (double)read : 1;
		for (size_t i = 0; i < q->npend; i++)
			if (!pair_ids_contain(q->rule_ids, q->nrule, q->pend[i].pair))
				q->pend[i].weight = q->pend_scale;
	}
done:
	if (err->code == 0) {
		quality_compute(q);
		rc = 0;
	}
out:
	store_iter_free(q->it);
	q->it = NULL;
	free(ids);
	return rc;
}

/* Drop every entry of pair from v; 1 when there was one. */
static int
drop_pair(struct quality_obs *v, size_t *n, int64_t pair)
{
	size_t k = 0;

	for (size_t i = 0; i < *n; i++)
		if (v[i].pair != pair)
			v[k++] = v[i];
	int had = k != *n;
	*n = k;
	return had;
}

int
quality_update_pair(ferry_store *st, const struct match_plan *plan, match_ws *ws, struct match_out *mos,
		    struct quality *q, int64_t pair, struct ferry_err *err)
{
	int was_pending = drop_pair(q->pend, &q->npend, pair);
	size_t k = 0;

	drop_pair(q->obs, &q->nobs, pair);
	for (size_t i = 0; i < q->nrev; i++)
		if (q->rev[i].pair != pair)
			q->rev[k++] = q->rev[i];
	q->nrev = k;
	/* a reviewer edited it: whatever a rule decided before, it is reviewed now */
	k = 0;
	for (size_t i = 0; i < q->nrule; i++)
		if (q->rule_ids[i] != pair)
			q->rule_ids[k++] = q->rule_ids[i];
	q->nrule = k;
	/* a sampled project's pending pair comes back only if it was in the sample */
	double weight = q->pend_scale > 1 ? (was_pending ? q->pend_scale : 0) : 1;
	int64_t reviewed, total;
	int rc = read_pair(st, plan, ws, mos, q, pair, weight, err);
	store_iter_free(q->it);
	q->it = NULL;
	if (rc < 0 || store_progress(st, &reviewed, &total, err) < 0)
		return -1;
	q->by_rule = (int64_t)q->nrule;
	/* enough evidence now, and the pending pairs were never read: read everything */
	if (!q->pend_read && q->nobs >= QUALITY_MIN_OBS)
		return quality_collect(st, plan, ws, mos, q, err);
	q->pending_pairs = total - reviewed;
	quality_compute(q);
	return 0;
}

void
quality_release(struct quality *q)
{
	free(q->obs);
	free(q->pend);
	free(q->rule_ids);
	free(q->rev);
	free(q->sm);
	pair_release(&q->p);
	store_iter_free(q->it);
	memset(q, 0, sizeof *q);
}

/* ---- the report ------------------------------------------------------------------ */

static void
fig(struct buf *out, double v, int json)
{
	buf_add_figure(out, v, json, 5, 3);
}

/* "[lo,hi]" in JSON. */
static void
interval(struct buf *out, double lo, double hi)
{
	buf_addc(out, '[');
	fig(out, lo, 1);
	buf_addc(out, ',');
	fig(out, hi, 1);
	buf_addc(out, ']');
}

/* A row's track: '*' at the estimate, 'o' at the observed rate, '@' where both fall. */
static void
track(struct buf *out, double observed, double estimate)
{
	enum { CELLS = 21 };
	char t[CELLS + 1];

	memset(t, '.', CELLS);
	t[CELLS] = '\0';
	int o = isnan(observed) ? -1 : (int)lround(observed * (CELLS - 1));
	int e = isnan(estimate) ? -1 : (int)lround(estimate * (CELLS - 1));
	if (e >= 0)
		t[e] = '*';
	if (o >= 0)
		t[o] = o == e ? '@' : 'o';
	buf_addf(out, "|%s|", t);
}

static void
report_json(const struct quality *q, struct buf *out)
{
	int64_t correct = 0;

	for (size_t i = 0; i < q->nobs; i++)
		correct += q->obs[i].correct;
	buf_addf(out, "{\"ok\":%s,\"reviewed_pairs\":%lld,\"evidence\":%zu,\"correct\":%lld,\"by_rule\":%lld,"
		 "\"pending_pairs\":%lld,\"sampled\":%s,\"precision_unreviewed\":", q->ok ? "true" : "false",
		 (long long)q->reviewed_pairs, q->nobs, (long long)correct, (long long)q->by_rule,
		 (long long)q->pending_pairs, q->pend_scale > 1 ? "true" : "false");
	fig(out, q->ok ? q->rest : NAN, 1);
	buf_adds(out, ",\"interval\":");
	interval(out, q->ok ? q->rest_lo : NAN, q->ok ? q->rest_hi : NAN);
	buf_adds(out, ",\"precision_export\":");
	fig(out, q->ok ? q->all : NAN, 1);
	buf_adds(out, ",\"export_interval\":");
	interval(out, q->ok ? q->all_lo : NAN, q->ok ? q->all_hi : NAN);
	buf_adds(out, ",\"model\":");
	if (q->ok)
		buf_addf(out, "[%.4f,%.4f,%.4f]", q->fit.w[0], q->fit.w[1], q->fit.w[2]);
	else
		buf_adds(out, "null");
	buf_adds(out, ",\"bins\":[");
	for (size_t k = 0; q->ok && k < QUALITY_BINS; k++) {
		const struct quality_bin *b = &q->bins[k];
		buf_addf(out, "%s{\"from\":%.1f,\"to\":%.1f,\"reviewed\":%lld,\"observed\":", k ? "," : "",
			 (double)k / QUALITY_BINS, (double)(k + 1) / QUALITY_BINS, (long long)b->n);
		fig(out, b->n ? (double)b->correct / (double)b->n : NAN, 1);
		buf_addf(out, ",\"pending\":%lld,\"estimate\":", (long long)b->pending);
		fig(out, b->pending ? b->estimate : NAN, 1);
		buf_addc(out, '}');
	}
	buf_adds(out, "]}");
}

void
quality_report(const struct quality *q, int json, struct buf *out)
{
	int64_t correct = 0;

	if (json) {
		report_json(q, out);
		return;
	}
	for (size_t i = 0; i < q->nobs; i++)
		correct += q->obs[i].correct;
	if (!q->ok) {
		buf_addf(out, "estimate: none yet (%zu projections in %lld reviewed pairs; it takes %d)\n", q->nobs,
			 (long long)q->reviewed_pairs, QUALITY_MIN_OBS);
		return;
	}
	buf_addf(out, "estimate from %lld reviewed pairs: %lld of %zu projections as the matcher made them were "
		 "right\n", (long long)q->reviewed_pairs, (long long)correct, q->nobs);
	buf_addf(out, "  precision of the unreviewed projections  %.3f  (95%% %.3f-%.3f; %lld pending pairs%s",
		 q->rest, q->rest_lo, q->rest_hi, (long long)q->pending_pairs, q->pend_scale > 1 ? ", sampled" : "");
	if (q->by_rule)
		buf_addf(out, ", %lld accepted by :accept-above", (long long)q->by_rule);
	buf_addf(out, ")\n  precision of the whole export            %.3f  (95%% %.3f-%.3f)\n", q->all, q->all_lo,
		 q->all_hi);
	buf_addf(out, "  p(correct) = 1 / (1 + exp(-(%.3f %+.3f score %+.3f margin)))\n", q->fit.w[0], q->fit.w[1],
		 q->fit.w[2]);
	buf_adds(out, "reliability: o the reviewed rate, * the estimate for the unreviewed (@ both), from 0 to 1\n");
	buf_addf(out, "  %-9s %8s %8s %8s %8s  %s\n", "score", "reviewed", "right", "pending", "estimate",
		 "0         .5        1");
	for (size_t k = 0; k < QUALITY_BINS; k++) {
		const struct quality_bin *b = &q->bins[k];
		double observed = b->n ? (double)b->correct / (double)b->n : NAN;
		buf_addf(out, "  %.1f-%.1f   %8lld ", (double)k / QUALITY_BINS, (double)(k + 1) / QUALITY_BINS,
			 (long long)b->n);
		fig(out, observed, 0);
		buf_addf(out, "    %8lld    ", (long long)b->pending);
		fig(out, b->pending ? b->estimate : NAN, 0);
		buf_adds(out, "  ");
		track(out, observed, b->pending ? b->estimate : NAN);
		buf_addc(out, '\n');
	}
}

int
quality_of_project(ferry_store *st, struct quality *q, struct ferry_err *err)
{
	struct match_opts mo;
	struct lexicon lex = { 0 };
	struct match_plan plan;
	int matched, rc = -1;
	match_ws *ws = NULL;
	struct match_out *mos = xcalloc(FERRY_SOURCES_MAX, sizeof *mos);

	int64_t reviewed, total;

	memset(&plan, 0, sizeof plan);
	/* nothing reviewed: no matcher is needed to say there is no estimate */
	if (store_progress(st, &reviewed, &total, err) < 0) {
		free(mos);
		return -1;
	}
	if (reviewed == 0) {
		free(mos);
		quality_reset(q);
		q->pending_pairs = total;
		quality_compute(q);
		return 0;
	}
	if (match_plan_project(st, &mo, &lex, &plan, &matched, err) == 0) {
		ws = match_ws_new();
		rc = quality_collect(st, &plan, ws, mos, q, err);
	}
	for (size_t k = 0; k < FERRY_SOURCES_MAX; k++)
		match_out_release(&mos[k]);
	free(mos);
	match_ws_free(ws);
	store_lexicon_release(&lex);
	return rc;
}
