/*
 * quality.h — how good are the projections nobody has reviewed yet?
 *
 * Evidence: every pair a reviewer decided (accepted or fixed; not those a
 * bulk :accept-above decided by rule, which count as unreviewed).  The matcher is run on it again
 * without its pins, with the project's settings, and each projection it
 * makes is correct when the reviewed pair has that span with that label,
 * wrong otherwise.  Model: the probability that a projection is correct,
 * p(score, margin) = 1 / (1 + exp(-(w0 + w1 score + w2 margin))), fitted
 * by maximum likelihood (Newton's method) with two pseudo-observations
 * at the evidence's mean, one correct and one wrong, of weight 1/2 each
 * (so an all-correct sample still gives a finite fit); its covariance is
 * the inverse of the information matrix.
 *
 * The estimate: the precision of the unreviewed pairs' projections (the
 * pending pairs and those :accept-above decided) is the mean of p over them, with a 95% interval from the fit's covariance
 * (delta method) and the binomial spread of that many projections; the
 * precision of the whole export counts the reviewed pairs' spans as
 * correct.  Over QUALITY_SAMPLE pending pairs (QUALITY_EVIDENCE reviewed
 * ones), an even sample of them is read.  With fewer than QUALITY_MIN_OBS projections of evidence there
 * is no estimate.
 */
#ifndef FERRY_QUALITY_H
#define FERRY_QUALITY_H

#include <stddef.h>
#include <stdint.h>

#include "ferry/buf.h"
#include "ferry/err.h"
#include "ferry/match-run.h"
#include "ferry/store.h"

#define QUALITY_SAMPLE   5000    /* pending pairs read at most (an even sample of them) */
#define QUALITY_EVIDENCE 2000    /* reviewed pairs matched again at most (likewise): about 0.25 s */
#define QUALITY_MIN_OBS 10
#define QUALITY_BINS    10

/* One projection: its pair, score and margin, and (evidence) whether it was right. */
struct quality_obs {
	int64_t pair;
	double  score, margin;
	int     correct;
	double  weight;           /* pending: the projections this one stands for (1 unless sampled) */
};

struct quality_fit {
	double w[3];
	double cov[3][3];
	int    ok;
};

/* A reliability diagram's row: projections scoring in [i/10, (i+1)/10) (the last up to 1). */
struct quality_bin {
	int64_t n, correct;       /* evidence */
	double  fitted;           /* the model's mean over the evidence in the bin */
	int64_t pending;          /* pending projections read */
	double  estimate;         /* the model's mean over them */
};

struct quality {
	struct quality_obs *obs, *pend;   /* evidence; the pending projections read (correct unused) */
	size_t  nobs, cap_obs, npend, cap_pend;
	double  pend_scale;               /* pending pairs per one read (1 unless sampled) */
	double  rev_scale;                /* decided pairs per one read as evidence (likewise) */
	struct quality_pair { int64_t pair, spans; } *rev;  /* the evidence's pairs and their reviewed spans */
	size_t  nrev, cap_rev;
	int64_t reviewed_pairs, reviewed_spans;  /* their count and the sum of their spans */
	int64_t pending_pairs, by_rule;          /* pending pairs; pairs decided by :accept-above */
	int64_t *rule_ids;                       /* those, sorted */
	size_t  nrule;
	int     pend_read;                       /* the pending pairs were read (only once there is evidence) */
	double *sm;                              /* scratch: scores and margins of one pair */
	size_t  cap_sm;
	struct pair p;                           /* scratch: the pair being read */
	store_iter *it;                          /* while reading: one iterator, moved from pair to pair */
	struct quality_fit fit;
	int     ok;                       /* an estimate was made */
	double  rest, rest_lo, rest_hi;   /* precision of the pending projections */
	double  all, all_lo, all_hi;      /* of the whole export */
	struct quality_bin bins[QUALITY_BINS];
};

/* Fit the model to n observations (f->ok 0 when there are none). */
void quality_fit(const struct quality_obs *o, size_t n, struct quality_fit *f);
/* The fitted probability that a projection of this score and margin is correct. */
double quality_predict(const struct quality_fit *f, double score, double margin);

/*
 * Read the evidence and the pending projections of the project that st
 * works on (its layer, if any), matching with plan (ws and mos scratch,
 * as match_plan_pair), and make the estimate.
 */
int quality_collect(ferry_store *st, const struct match_plan *plan, match_ws *ws, struct match_out *mos,
		    struct quality *q, struct ferry_err *err);
/* quality_collect with the project's own match settings (match_plan_project). */
int quality_of_project(ferry_store *st, struct quality *q, struct ferry_err *err);
/* Pair `pair` changed: read it again (as evidence, pending, or neither) and make the estimate again. */
int quality_update_pair(ferry_store *st, const struct match_plan *plan, match_ws *ws, struct match_out *mos,
			struct quality *q, int64_t pair, struct ferry_err *err);
/* The estimate, the bins and the interval from what q holds. */
void quality_compute(struct quality *q);
void quality_release(struct quality *q);

/* The report for ferry stats: text with the reliability diagram, or a JSON object. */
void quality_report(const struct quality *q, int json, struct buf *out);

#endif
