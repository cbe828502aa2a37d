/*
 * review-bulk.c — the session's actions on many pairs: `:match pending`
 * and `:accept-above X`.
 *
 * `:match pending` re-runs the matcher, with the pins, on every pending
 * pair of the project, on the batch pipeline that import and `ferry
 * match` use.
 *
 * The session's pending ids are read once; each batch of PENDING_BATCH
 * pairs is loaded in the session's thread, matched in worker threads
 * (each with its own workspace; the results do not depend on how many)
 * and written in one transaction, so a reviewer in another session waits
 * at most one batch.  A pair edited since it was loaded is left alone,
 * as `ferry match` leaves it.  Not logged: like `ferry match`, it only
 * replaces projections, and the pins that decided them stay.
 *
 * `:accept-above X` accepts, in one transaction and one log entry (one
 * undo step), every pending pair whose matcher projections all score X
 * or more (`:accept-above p=X`: whose estimated probability of being
 * right, quality.h, is X or more), each as an edit would: pins, lexicon,
 * re-match with what is left undecided pinned.  The pairs it accepts are
 * not evidence for the estimate: a rule, not a reviewer, decided them.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ferry/batch.h"
#include "ferry/match-run.h"
#include "ferry/mem.h"
#include "review-int.h"

/* Pairs per transaction. */
#define PENDING_BATCH 256

/* The run: the session, the ids to do and how far it got. */
struct pending_run {
	struct review *r;
	const int64_t *ids;
	size_t n, next;
	void (*progress)(size_t, size_t, void *);
	void *arg;
};

/* Load the next batch of pending pairs. */
static int
pending_read(void *ctx, struct batch *b, struct ferry_err *err)
{
	struct pending_run *run = ctx;
	struct match_item *v = b->items;

	if (run->next >= run->n)
		return 0;
	while (b->n < b->cap && run->next < run->n) {
		if (review_load_pair(run->r, run->ids[run->next], &v[b->n].p, err) < 0)
			return -1;
		run->next++;
		b->n++;
	}
	b->mark = (int64_t)run->next;
	return 1;
}

/* Match one pair with its pins. */
static int
pending_work(void *ctx, void *worker, struct batch *b, size_t i, struct ferry_err *err)
{
	struct pending_run *run = ctx;
	struct match_worker *w = worker;
	struct match_item *it = batch_item(b, i, sizeof *it);

	if (!run->r->plan.single && w->mos == NULL)
		w->mos = xcalloc(FERRY_SOURCES_MAX, sizeof *w->mos);
	if (match_plan_pair(w->ws, w->mos, &run->r->plan, &it->p, &w->mo, &it->own, &it->present, err) < 0)
		return -1;
	match_to_projs(&it->p, &w->mo, run->r->plan.fuse.method, &it->pj);
	return 0;
}

/* Store a batch's projections in one transaction; pairs edited meanwhile stay as they are. */
static int
pending_write(void *ctx, struct batch *b, struct ferry_err *err)
{
	struct pending_run *run = ctx;
	ferry_store *st = run->r->st;
	struct match_item *v = b->items;

	if (store_begin(st, err) < 0)
		return -1;
	for (size_t i = 0; i < b->n; i++) {
		int w = store_projections_replace(st, v[i].p.id, v[i].p.version, 0, &v[i].pj, err);
		if (w < 0 || (w > 0 && !run->r->plan.single && store_own_replace(st, v[i].p.id, &v[i].own, err) < 0)) {
			store_rollback(st);
			return -1;
		}
	}
	if (store_commit(st, err) < 0)
		return -1;
	review_quality_dirty(run->r, -1);
	return 0;
}

/* After each batch: how many pairs are done. */
static int
pending_progress(void *ctx, const struct batch *b)
{
	struct pending_run *run = ctx;

	if (run->progress)
		run->progress((size_t)b->mark, run->n, run->arg);
	return 0;
}

static const struct batch_ops pending_ops = {
	.item_size = sizeof(struct match_item),
	.read = pending_read,
	.work = pending_work,
	.write = pending_write,
	.progress = pending_progress,
	.worker_new = match_worker_new,
	.worker_free = match_worker_free,
	.thread_end = match_thread_end,
	.item_release = match_item_release,
};

/* Re-run the matcher on every pending pair (see review.h). */
int
review_match_pending(struct review *r, void (*progress)(size_t, size_t, void *), void *arg,
		     struct ferry_err *err)
{
	int64_t *ids = NULL;
	size_t n = 0;

	if (store_review_ids(r->st, 1u << STATUS_PENDING, NULL, -1, ORDER_CORPUS, &ids, &n, err) < 0)
		return -1;
	struct pending_run run = { r, ids, n, 0, progress, arg };
	int rc = batch_run(&pending_ops, &run, PENDING_BATCH, match_run_threads(&r->mo, 0), 0, err);
	free(ids);
	if (rc < 0)
		return -1;
	r->matched = 1;
	review_say(r, 0, "matcher re-run on %zu pending pairs", n);
	return review_load_current(r, err);
}

/* ---- :accept-above X ------------------------------------------------------- */

/*
 * Accept pair id (loaded into p) if every projection the matcher made
 * scores at least x: 1 with its states added to before and after, 0 when
 * it does not qualify, -1 on error.  What a reviewer decided already
 * (pinned projections) does not count against it.
 */
static int
accept_if_above(struct review *r, int64_t id, double x, int estimated, struct pair *p, struct undo_state *before,
		struct undo_state *after, struct ferry_err *err)
{
	if (review_load_pair(r, id, p, err) < 0)
		return -1;
	int ok = p->proj.n > 0;
	for (size_t k = 0; k < p->proj.n && ok; k++) {
		const struct proj *pr = &p->proj.v[k];
		ok = pr->by_reviewer ||
		     (estimated ? quality_predict(&r->q.fit, pr->score, pr->margin) : pr->score) >= x;
	}
	if (!ok)
		return 0;
	if (store_pair_state(r->st, id, undo_state_add(before), err) < 0)
		return -1;
	for (size_t k = 0; k < p->proj.n; k++) {
		const struct proj *pr = &p->proj.v[k];
		if (pr->by_reviewer || pr->entity <= 0)
			continue;
		int e = -1;
		for (size_t m = 0; m < p->ents.n; m++)
			if (p->ent_ids[m] == pr->entity)
				e = (int)m;
		if (store_pin_add(r->st, id, PIN_ACCEPT, pr->entity, pr->span.start, pr->span.end,
				  pr->span.label, err) < 0 ||
		    (e >= 0 && review_learn_pair(r, p, e, pr->span.start, pr->span.end, pr->span.label, after,
						 err) < 0))
			return -1;
	}
	if (store_status_set(r->st, id, STATUS_ACCEPTED, err) < 0 || review_rematch(r, id, 1, err) < 0 ||
	    store_pair_state(r->st, id, undo_state_add(after), err) < 0)
		return -1;
	return 1;
}

/* Accept every pending pair above x in one transaction and one log entry (see review.h). */
int
review_accept_above(struct review *r, double x, int estimated, struct ferry_err *err)
{
	struct undo_state before = { .bulk = 1 }, after = { .bulk = 1 };
	int64_t *ids = NULL;
	size_t n = 0, done = 0;
	struct pair p = { 0 };
	char said[160];
	int rc = 0, got;

	if (estimated && !r->q.ok) {
		review_say(r, 1, ":accept-above p=%g: no estimate yet (%zu projections reviewed; it takes %d)", x,
			   r->q.nobs, QUALITY_MIN_OBS);
		return 1;
	}
	if (store_begin(r->st, err) < 0)
		return -1;
	if (store_review_ids(r->st, 1u << STATUS_PENDING, NULL, -1, ORDER_CORPUS, &ids, &n, err) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if ((got = accept_if_above(r, ids[i], x, estimated, &p, &before, &after, err)) < 0)
			goto fail;
		done += (size_t)got;
	}
	if (done == 0) {
		store_rollback(r->st);
		review_say(r, 0, estimated ? "no pending pair has every projection estimated right with p >= %g" :
			   "no pending pair has every projection scoring %g or more", x);
		rc = 1;
		goto out;
	}
	if (review_log_commit(r, 0, "accept-above", &before, &after, err) < 0)
		goto fail;
	rc = 2;
	goto out;
fail:
	store_rollback(r->st);
	rc = -1;
out:
	free(ids);
	pair_release(&p);
	undo_state_release(&before);
	undo_state_release(&after);
	if (rc != 2)
		return rc;
	/* one step, like its undo */
	snprintf(said, sizeof said, estimated ? "accepted %zu pairs estimated right with p >= %g (u undoes them all)" :
		 "accepted %zu pairs scoring %g or more (u undoes them all)", done, x);
	return review_saved(r, said, 1, err);
}
