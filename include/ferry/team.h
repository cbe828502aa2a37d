/*
 * team.h — team review over the reviewers' independent layers
 * (store.h, store_use_layer): sharing the pairs out (`ferry assign`) and
 * how far the reviewers agree (`ferry agreement`).
 */
#ifndef FERRY_TEAM_H
#define FERRY_TEAM_H

#include <stddef.h>
#include <stdint.h>

#include "ferry/buf.h"
#include "ferry/corpus.h"
#include "ferry/err.h"
#include "ferry/store.h"

/*
 * Share the pairs of project out among n reviewers: the pairs in an
 * order shuffled by seed, the first round(overlap * pairs) of them to two
 * reviewers each (every two reviewers overlapping about as often as any
 * other two), the rest to one each, always to whoever has fewest so far
 * (the first of equals).  Replaces those reviewers' earlier assignments,
 * in one transaction with a log entry; counts[r] receives reviewer r's
 * share and *both the pairs given to two.  The same project, reviewers,
 * overlap and seed always give the same shares.
 */
int team_assign(const char *project, const char *const *reviewers, size_t n, double overlap, uint64_t seed,
		int64_t *counts, int64_t *both, struct ferry_err *err);

/* One label's agreement: span F1 over the pairs both reviewed, and alpha on its tokens (in it or not). */
struct agreement_label {
	char    label[FERRY_LABEL_MAX];
	int64_t both;              /* spans of the label both gave */
	int64_t spans;             /* spans of the label either gave, counted once per reviewer */
	double  alpha;
};

/* Two reviewers: what they both decided (accepted or fixed) and how alike it came out. */
struct agreement_pair {
	char    a[FERRY_LAYER_MAX], b[FERRY_LAYER_MAX];
	int64_t pairs;             /* decided by both */
	int64_t identical;         /* of those, the same spans with the same labels */
	int64_t same_spans, spans_a, spans_b;
	int64_t tokens, same_tags; /* the target tokens of those pairs, and those with one IOB2 tag */
	double  span_f1;           /* 2 same_spans / (spans_a + spans_b); 1 when neither has any */
	double  kappa;             /* Cohen's kappa of the tokens' IOB2 tags */
	struct agreement_label *labels;
	size_t  nlabels;
};

struct agreement {
	char  **reviewers;         /* the layers that decided anything, sorted */
	size_t  n;
	struct agreement_pair *pw; /* every two reviewers, a before b */
	size_t  npw;
	int64_t units;             /* target tokens of the pairs decided by two or more */
	double  alpha;             /* Krippendorff's alpha, nominal, on those tokens' IOB2 tags */
	struct agreement_label *labels;   /* alpha per label (both and spans summed over every two) */
	size_t  nlabels;
};

/* Read every layer of project and measure the agreement (see doc/ferry.1 for the definitions). */
int team_agreement(const char *project, struct agreement *out, struct ferry_err *err);
void agreement_release(struct agreement *a);
/* The report as text, or as one JSON object: {"reviewers", "pairwise", "alpha", "units", "labels"}. */
void agreement_report(const struct agreement *a, int json, struct buf *out);

/*
 * The figures from their counts, for the engine and its tests: Cohen's
 * kappa of two coders' labels of the same items (a[i], b[i] in 0 .. k-1),
 * and Krippendorff's alpha (nominal) of units coded by several coders
 * (values[u][c], -1 where coder c did not code unit u; m coders).  Each
 * returns 1 when every item has one value throughout (no disagreement is
 * possible), and NaN when there is nothing to measure.
 */
double team_kappa(const int *a, const int *b, size_t n, int k);
double team_alpha(const int *values, size_t units, size_t m, int k);

#endif
