/*
 * review-adjudicate.c — the curator's session (`ferry review
 * --adjudicate`): the shared state, edited as in any session, with each
 * reviewer's version of the pair on screen beside it and the pairs the
 * reviewers disagree on first in the list.
 *
 * A reviewer's version is what their layer holds for the pair (status and
 * spans, store_layer_each); versions that are still pending (a layer row
 * left by an undo) are not shown.  The reviewers disagree on a pair when
 * two or more of them decided it (accepted or fixed) and their spans or
 * labels differ, as `ferry agreement` counts a pair not identical.
 *
 * Taking a version (review_take) is one edit of the shared pair: its
 * status and pins become the reviewer's (their layer's pins decide their
 * spans, so the matcher re-run on them gives the reviewer's spans), logged
 * as "take" and undone like any edit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/mem.h"
#include "review-int.h"

/* The disputes being found: the decided versions of the pair read so far. */
struct dispute_run {
	int64_t pair;
	struct spans first;
	size_t decided;
	int differ;
	int64_t *ids;
	size_t n, cap;
};

static void
dispute_flush(struct dispute_run *d)
{
	if (d->decided >= 2 && d->differ) {
		VEC_GROW(d->ids, d->cap, d->n + 1);
		d->ids[d->n++] = d->pair;
	}
	d->decided = 0;
	d->differ = 0;
}

static int
on_version(const struct layer_pair *lp, void *arg)
{
	struct dispute_run *d = arg;

	if (lp->pair != d->pair) {
		dispute_flush(d);
		d->pair = lp->pair;
	}
	if (!status_decides(lp->status))
		return 0;
	if (d->decided++ == 0)
		spans_copy(&d->first, &lp->spans);
	else if (!spans_equal(&d->first, &lp->spans))
		d->differ = 1;
	return 0;
}

/* The pairs the reviewers disagree on, sorted (store_layer_each reads by pair). */
static int
find_disputes(struct review *r, struct ferry_err *err)
{
	struct dispute_run d = { 0 };
	int rc = store_layer_each(r->st, 0, on_version, &d, err);

	dispute_flush(&d);
	spans_release(&d.first);
	free(r->disputed);
	r->disputed = d.ids;
	r->ndisputed = d.n;
	return rc;
}

int
review_disputed(const struct review *r, int64_t id)
{
	return pair_ids_contain(r->disputed, r->ndisputed, id);
}

void
review_disputed_first(struct review *r)
{
	int64_t *v = xcalloc(r->nids + 1, sizeof *v);
	size_t k = 0;

	for (size_t i = 0; i < r->nids; i++)
		if (review_disputed(r, r->ids[i]))
			v[k++] = r->ids[i];
	for (size_t i = 0; i < r->nids; i++)
		if (!review_disputed(r, r->ids[i]))
			v[k++] = r->ids[i];
	memcpy(r->ids, v, r->nids * sizeof *v);
	free(v);
}

int
review_adjudicate(struct review *r, struct ferry_err *err)
{
	if (review_layer(r))
		return err_set(err, EX_USAGE, "adjudication works on the shared state, not in a reviewer's layer");
	r->adjudicate = 1;
	if (find_disputes(r, err) < 0)
		return -1;
	r->nids = r->pos = 0;            /* from the first of the list, the disputed first */
	if (review_refresh(r, err) < 0)
		return -1;
	review_say(r, 0, "adjudicating: %zu disputed pair%s first; T takes a reviewer's version", r->ndisputed,
		   r->ndisputed == 1 ? "" : "s");
	return 0;
}

int
review_adjudicating(const struct review *r)
{
	return r->adjudicate;
}

size_t
review_ndisputed(const struct review *r)
{
	return r->ndisputed;
}

/* store_layer_each's callback for the pair on screen: keep each version that is not pending. */
static int
keep_version(const struct layer_pair *lp, void *arg)
{
	struct review *r = arg;

	if (lp->status == STATUS_PENDING || r->nversions == FERRY_VERSIONS_MAX)
		return 0;
	struct layer_pair *v = &r->versions[r->nversions++];
	snprintf(v->layer, sizeof v->layer, "%s", lp->layer);
	v->pair = lp->pair;
	v->status = lp->status;
	v->ntgt = lp->ntgt;
	spans_copy(&v->spans, &lp->spans);
	return 0;
}

int
review_versions_load(struct review *r, struct ferry_err *err)
{
	if (r->versions == NULL)
		r->versions = xcalloc(FERRY_VERSIONS_MAX, sizeof *r->versions);
	r->nversions = 0;
	if (r->nids == 0)
		return 0;
	return store_layer_each(r->st, r->ids[r->pos], keep_version, r, err);
}

void
review_versions_release(struct review *r)
{
	for (size_t k = 0; r->versions && k < FERRY_VERSIONS_MAX; k++)
		spans_release(&r->versions[k].spans);
	free(r->versions);
	free(r->disputed);
	r->versions = NULL;
	r->disputed = NULL;
	r->nversions = r->ndisputed = 0;
}

size_t
review_nversions(const struct review *r)
{
	return r->nversions;
}

const struct layer_pair *
review_version(const struct review *r, size_t k)
{
	return k < r->nversions ? &r->versions[k] : NULL;
}

int
review_take(struct review *r, size_t k, struct ferry_err *err)
{
	struct pair_state ps = { 0 };
	int rc;

	if (!r->adjudicate) {
		review_say(r, 1, "taking a reviewer's version is for adjudication (ferry review --adjudicate)");
		return 1;
	}
	if (k >= r->nversions) {
		if (r->nversions == 0)
			review_say(r, 1, "no reviewer has reviewed pair %lld", (long long)r->p.id);
		else
			review_say(r, 1, "no version %zu: the pair has %zu (1-%zu)", k + 1, r->nversions, r->nversions);
		return 1;
	}
	if (store_layer_state(r->st, r->versions[k].layer, r->p.id, &ps, err) < 0)
		return -1;
	rc = review_edit_state(r, "take", &ps, r->versions[k].layer, err);
	pair_state_release(&ps);
	/* as an accept does, on to the next pending pair (the disputed come first) */
	if (rc == 0 && r->accept_advances && status_decides(r->p.status))
		return review_advance(r, err);
	return rc;
}

int
review_take_named(struct review *r, const char *name, struct ferry_err *err)
{
	for (size_t k = 0; k < r->nversions; k++)
		if (strcmp(r->versions[k].layer, name) == 0)
			return review_take(r, k, err);
	review_say(r, 1, "%s has no version of pair %lld", name, (long long)r->p.id);
	return 1;
}
