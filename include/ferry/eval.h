/*
 * eval.h — strict span precision, recall and F1, micro-averaged and per
 * type, as seqeval computes them, plus an error breakdown.
 *
 * Entities are compared as (start, end, label) spans; how tags become
 * spans is the caller's choice: scheme_decode() is seqeval's default
 * (conlleval) chunking, eval_decode_strict() its strict IOB2 mode.
 */
#ifndef FERRY_EVAL_H
#define FERRY_EVAL_H

#include <stdint.h>

#include "ferry/buf.h"
#include "ferry/corpus.h"
#include "ferry/scheme.h"

struct eval_label {
	char    label[FERRY_LABEL_MAX];
	int64_t tp, fp, fn;
};

/* Why a prediction or a gold entity was not a hit. */
struct eval_errors {
	int64_t boundary;       /* overlaps a gold entity of its type, other span */
	int64_t type;           /* same span as a gold entity, other type */
	int64_t both;           /* overlaps a gold entity, other span and type */
	int64_t spurious;       /* overlaps no gold entity */
	int64_t missed;         /* a gold entity no prediction overlaps */
};

struct eval {
	struct eval_label *v;   /* sorted by label */
	size_t n, cap;
	struct eval_errors err;
	int64_t sentences;
};

/* Add one sentence: gold and predicted spans (each sorted, no overlaps). */
void eval_add(struct eval *ev, const struct spans *gold, const struct spans *pred);
void eval_release(struct eval *ev);
/* Totals over all labels. */
void eval_micro(const struct eval *ev, int64_t *tp, int64_t *fp, int64_t *fn);
/* Micro-averaged precision, recall and F1 (0 where undefined, as seqeval). */
void eval_micro_prf(const struct eval *ev, double *p, double *r, double *f);
/*
 * Several sources: one row per source (names[k], its reliability rel[k],
 * < 0 for none, and the micro precision, recall and F1 of ev[k]), then
 * the same of fused; or JSON: {"sources":[{"id":k,"lang":...,
 * "reliability":...,"precision":...,"recall":...,"f1":...},...],
 * "fused":{"precision":...,"recall":...,"f1":...}}.
 */
void eval_report_sources(const struct eval *ev, const char *const *names, const double *rel, size_t n,
			 const struct eval *fused, int json, struct buf *out);
/* The seqeval-style table, or JSON. */
void eval_report(const struct eval *ev, int json, struct buf *out);

/*
 * seqeval's strict IOB2 mode: an entity is B-X followed by I-X*; an I-X
 * that does not continue one is not part of any entity.
 */
void eval_decode_strict(const struct tag *tags, size_t n, struct spans *out);

#endif
