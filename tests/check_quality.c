/*
 * check_quality.c — the estimate of the unreviewed projections'
 * precision: the fit worked out by hand where it has a closed form, and
 * on synthetic projections whose true precision at each score is known.
 */
#include <math.h>
#include <stdlib.h>

#include "check_ferry.h"
#include "ferry/quality.h"

START_TEST(fit_by_hand)
{
	/* every observation at one point: the fit is the rate with the two half pseudo-observations,
	   (7 + 0.5) / (10 + 1) */
	struct quality_obs o[10];
	for (int i = 0; i < 10; i++)
		o[i] = (struct quality_obs){ 1, 0.8, 0.2, i < 7, 1 };
	struct quality_fit f;
	quality_fit(o, 10, &f);
	ck_assert(f.ok);
	ck_assert_double_eq_tol(quality_predict(&f, 0.8, 0.2), 7.5 / 11, 1e-6);
	/* all right: finite, and below 1 by the pseudo-observation: 10.5 / 11 */
	for (int i = 0; i < 10; i++)
		o[i].correct = 1;
	quality_fit(o, 10, &f);
	ck_assert_double_eq_tol(quality_predict(&f, 0.8, 0.2), 10.5 / 11, 1e-6);
	quality_fit(o, 0, &f);
	ck_assert(!f.ok);
	ck_assert(isnan(quality_predict(&f, 0.5, 0.5)));
}
END_TEST

/* A deterministic generator (xorshift64*) for the synthetic corpus. */
static double
uniform(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (double)((*s * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* The truth: p = 1 / (1 + exp(-(-3 + 6 score + 2 margin))). */
static double
truth(double score, double margin)
{
	return 1 / (1 + exp(-(-3 + 6 * score + 2 * margin)));
}

START_TEST(synthetic_known_precision)
{
	uint64_t rng = 42;
	struct quality q = { 0 };

	/* 400 reviewed projections, 5,000 unreviewed, scores uniform, margins below them */
	for (int i = 0; i < 5400; i++) {
		double s = uniform(&rng), m = s * uniform(&rng);
		struct quality_obs o = { i + 1, s, m, uniform(&rng) < truth(s, m), 1 };
		if (i < 400) {
			q.obs = realloc(q.obs, (q.nobs + 1) * sizeof *q.obs);
			q.obs[q.nobs++] = o;
		} else {
			q.pend = realloc(q.pend, (q.npend + 1) * sizeof *q.pend);
			q.pend[q.npend++] = o;
		}
	}
	q.pend_scale = 1;
	quality_compute(&q);
	ck_assert(q.ok);
	/* the true precision of the unreviewed: the mean of truth() over them */
	double want = 0, real = 0;
	for (size_t i = 0; i < q.npend; i++) {
		want += truth(q.pend[i].score, q.pend[i].margin);
		real += q.pend[i].correct;
	}
	want /= (double)q.npend;
	real /= (double)q.npend;
	ck_assert_double_eq_tol(q.rest, want, 0.03);
	ck_assert(q.rest_lo <= real && real <= q.rest_hi);
	ck_assert(q.rest_hi - q.rest_lo < 0.12);
	/* per score: the fitted curve within 0.08 of the truth at margin = score / 2 */
	for (double s = 0.05; s < 1; s += 0.1)
		ck_assert_double_eq_tol(quality_predict(&q.fit, s, s / 2), truth(s, s / 2), 0.08);
	/* the bins: each has evidence and the diagram's estimates rise with the score */
	for (int k = 1; k < QUALITY_BINS; k++) {
		ck_assert_int_gt(q.bins[k].n, 0);
		ck_assert(q.bins[k].estimate > q.bins[k - 1].estimate);
	}
	/* fewer than QUALITY_MIN_OBS: no estimate */
	q.nobs = QUALITY_MIN_OBS - 1;
	quality_compute(&q);
	ck_assert(!q.ok);
	ck_assert(isnan(q.rest));
	quality_release(&q);
}
END_TEST

START_TEST(report_text)
{
	struct quality q = { 0 };
	struct buf out = BUF_INIT;

	quality_report(&q, 0, &out);
	ck_assert_str_eq(buf_cstr(&out), "estimate: none yet (0 projections in 0 reviewed pairs; it takes 10)\n");
	buf_reset(&out);
	quality_report(&q, 1, &out);
	ck_assert_str_eq(buf_cstr(&out), "{\"ok\":false,\"reviewed_pairs\":0,\"evidence\":0,\"correct\":0,"
			 "\"by_rule\":0,\"pending_pairs\":0,\"sampled\":false,\"precision_unreviewed\":null,"
			 "\"interval\":[null,null],\"precision_export\":null,\"export_interval\":[null,null],"
			 "\"model\":null,\"bins\":[]}");
	buf_release(&out);
}
END_TEST

Suite *
quality_suite(void)
{
	Suite *s = suite_create("quality");
	TCase *tc = tcase_create("estimate");

	tcase_add_test(tc, fit_by_hand);
	tcase_add_test(tc, synthetic_known_precision);
	tcase_add_test(tc, report_text);
	suite_add_tcase(s, tc);
	return s;
}
