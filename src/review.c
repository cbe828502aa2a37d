/*
 * review.c — the review session model: navigation and reviewer edits.
 *
 * An edit runs edit(): take the write lock, check the pair's version,
 * record the state before, apply the decision (pins, status, lexicon),
 * re-run the matcher on the pair with every pin in force, replace its
 * projections (bumping the version), record the state after in the log,
 * commit.  Undo puts the "before" state back (and takes the lexicon
 * counts back out); redo puts the "after" state back.  States are
 * struct undo_state, read, logged and put back by the store
 * (store_pair_state, store_log_action, store_state_restore).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/mem.h"
#include "ferry/review.h"
#include "review-int.h"

void
review_say(struct review *r, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->message, sizeof r->message, fmt, ap);
	va_end(ap);
	r->message_is_error = error;
}

/* Load one pair by id with everything. */
int
review_load_pair(struct review *r, int64_t id, struct pair *p, struct ferry_err *err)
{
	struct store_filter f = { 0, id, id };
	store_iter *it;
	int got;

	if (store_iter_open(r->st, &f, LOAD_ALL, &it, err) < 0)
		return -1;
	got = store_iter_next(it, p, err);
	store_iter_free(it);
	if (got == 0)
		return err_set(err, EX_DATAERR, "%s: pair %lld is missing", r->project, (long long)id);
	return got < 0 ? -1 : 0;
}

/* Reload the pair on screen and its alternatives. */
int
review_load_current(struct review *r, struct ferry_err *err)
{
	if (r->nids == 0) {
		pair_reset(&r->p);
		r->alts.n = r->alts.nalts = 0;
		return 0;
	}
	if (review_load_pair(r, r->ids[r->pos], &r->p, err) < 0)
		return -1;
	if (match_pair(r->ws, &r->p, &r->mo, r->p.pins.v, r->p.pins.n, &r->alts, err) < 0)
		return -1;
	if (r->entity >= (int)r->p.ents.n)
		r->entity = (int)r->p.ents.n - 1;
	if (r->entity < 0 && r->p.ents.n) {
		r->entity = 0;          /* a new pair: the cursor starts on its first entity */
		review_cursor_to_entity(r);
	}
	if (r->cursor >= r->p.tgt.n)
		r->cursor = r->p.tgt.n ? r->p.tgt.n - 1 : 0;
	/* counting is a scan: only after something may have changed */
	if (r->counts_stale) {
		r->counts_stale = 0;
		return store_progress(r->st, &r->reviewed, &r->total, err);
	}
	return 0;
}

int
review_open(struct review *r, const char *project, struct ferry_err *err)
{
	struct buf desc = BUF_INIT;

	memset(r, 0, sizeof *r);
	r->score_below = -1;
	r->entity = -1;
	r->project = xstrdup(project);
	if (store_open(&r->st, project, 0, err) < 0 || store_durable(r->st, err) < 0)
		return -1;
	match_opts_init(&r->mo);
	int have = store_setting_get(r->st, "match", &desc, err);
	if (have < 0 || (have > 0 && match_parse_describe(&r->mo, buf_cstr(&desc), err) < 0)) {
		buf_release(&desc);
		return -1;
	}
	buf_release(&desc);
	if (store_lexicon_load(r->st, &r->lex, err) < 0)
		return -1;
	r->mo.lexicon = &r->lex;
	if (store_labels(r->st, &r->labels, &r->nlabels, err) < 0)
		return -1;
	r->ws = match_ws_new();
	return review_refresh(r, err);
}

void
review_close(struct review *r)
{
	store_close(r->st, NULL);
	store_lexicon_release(&r->lex);
	match_ws_free(r->ws);
	match_out_release(&r->alts);
	pair_release(&r->p);
	free(r->ids);
	free(r->labels);
	free(r->project);
	memset(r, 0, sizeof *r);
}

int
review_refresh(struct review *r, struct ferry_err *err)
{
	int64_t keep = r->nids ? r->ids[r->pos] : 0;

	r->counts_stale = 1;
	if (store_review_ids(r->st, r->status_mask, r->label, r->score_below, r->order, &r->ids, &r->nids, err) < 0)
		return -1;
	r->pos = 0;
	for (size_t i = 0; i < r->nids && keep; i++)
		if (r->ids[i] == keep)
			r->pos = i;
	return review_load_current(r, err);
}

int
review_goto(struct review *r, size_t pos, struct ferry_err *err)
{
	if (r->nids == 0)
		return 0;
	if (pos >= r->nids)
		pos = r->nids - 1;
	if (pos != r->pos) {
		r->entity = -1;
		r->cursor = 0;
	}
	r->pos = pos;
	return review_load_current(r, err);
}

/* Is there a pair id in the project?  1, 0, or -1 on error. */
static int
pair_exists(struct review *r, int64_t id, struct ferry_err *err)
{
	struct store_filter f = { 0, id, id };
	struct pair p = { 0 };
	store_iter *it;
	int got;

	if (id <= 0)
		return 0;
	if (store_iter_open(r->st, &f, 0, &it, err) < 0)
		return -1;
	got = store_iter_next(it, &p, err);
	store_iter_free(it);
	pair_release(&p);
	return got;
}

int
review_goto_id(struct review *r, int64_t id, struct ferry_err *err)
{
	struct buf filter = BUF_INIT;

	for (size_t i = 0; i < r->nids; i++)
		if (r->ids[i] == id)
			return review_goto(r, i, err) < 0 ? -1 : 0;
	int there = pair_exists(r, id, err);
	if (there < 0)
		return -1;
	if (!there) {
		int64_t n = store_pair_count(r->st, err);
		if (n < 0)
			return -1;
		if (n == 0)
			review_say(r, 1, "no pair %lld: the project has no pairs", (long long)id);
		else
			review_say(r, 1, "no pair %lld in this project (pairs #1 to #%lld)", (long long)id, (long long)n);
		return 0;
	}
	review_describe_filter(r, &filter);
	while (filter.len && filter.s[filter.len - 1] == ' ')
		filter.s[--filter.len] = '\0';
	review_say(r, 1, "pair %lld is not in the list (filter %s: change it with f)", (long long)id,
		   buf_cstr(&filter));
	buf_release(&filter);
	return 0;
}

/* Status of a listed pair without loading it all. */
static int
pair_status_of(struct review *r, int64_t id, struct ferry_err *err)
{
	struct store_filter f = { 0, id, id };
	struct pair p = { 0 };
	store_iter *it;
	int got, st = -1;

	if (store_iter_open(r->st, &f, 0, &it, err) < 0)
		return -1;
	got = store_iter_next(it, &p, err);
	store_iter_free(it);
	if (got > 0)
		st = (int)p.status;
	pair_release(&p);
	return got < 0 ? -1 : st;
}

int
review_next_pending(struct review *r, int dir, struct ferry_err *err)
{
	for (size_t k = 1; k < r->nids; k++) {
		size_t i = dir > 0 ? r->pos + k : r->pos - k;
		if ((dir > 0 && i >= r->nids) || (dir < 0 && k > r->pos))
			break;
		int st = pair_status_of(r, r->ids[i], err);
		if (st < 0)
			return -1;
		if (st == STATUS_PENDING)
			return review_goto(r, i, err) < 0 ? -1 : 1;
	}
	review_say(r, 0, "no pending pair %s", dir > 0 ? "after this one" : "before this one");
	return 0;
}

static int
contains(const struct toks *t, const char *needle)
{
	return t->text && strstr(t->text, needle) != NULL;
}

int
review_search(struct review *r, int dir, struct ferry_err *err)
{
	struct pair p = { 0 };

	if (!r->search[0]) {
		review_say(r, 1, "no search yet (start one with /)");
		return 0;
	}
	for (size_t k = 1; k <= r->nids; k++) {
		size_t i = (r->pos + (dir > 0 ? k : r->nids - k)) % r->nids;
		struct store_filter f = { 0, r->ids[i], r->ids[i] };
		store_iter *it;
		if (store_iter_open(r->st, &f, LOAD_TEXT, &it, err) < 0)
			return -1;
		int got = store_iter_next(it, &p, err);
		store_iter_free(it);
		if (got < 0) {
			pair_release(&p);
			return -1;
		}
		if (got && (contains(&p.src, r->search) || contains(&p.tgt, r->search))) {
			pair_release(&p);
			if (review_goto(r, i, err) < 0)
				return -1;
			review_say(r, 0, "/%s: pair %lld", r->search, (long long)r->p.id);
			return 1;
		}
	}
	pair_release(&p);
	review_say(r, 1, "/%s: not found", r->search);
	return 0;
}

const struct proj *
review_projection(const struct review *r, int e)
{
	if (e < 0 || (size_t)e >= r->p.ents.n)
		return NULL;
	for (size_t i = 0; i < r->p.proj.n; i++)
		if (r->p.proj.v[i].entity == r->p.ent_ids[e])
			return &r->p.proj.v[i];
	return NULL;
}

const struct match_cand *
review_alternatives(const struct review *r, int e, size_t *n)
{
	size_t first = r->alts.nalts;

	*n = 0;
	for (size_t i = 0; i < r->alts.nalts; i++)
		if (r->alts.alts[i].entity == e) {
			if (first == r->alts.nalts)
				first = i;
			(*n)++;
		}
	return *n ? &r->alts.alts[first] : NULL;
}

/* Re-run the matcher on pair id inside the current transaction. */
static int
rematch(struct review *r, int64_t id, struct ferry_err *err)
{
	struct pair p = { 0 };
	struct match_out mo = { 0 };
	struct projs pj = { 0 };
	int rc = -1;

	if (review_load_pair(r, id, &p, err) == 0 &&
	    match_pair(r->ws, &p, &r->mo, p.pins.v, p.pins.n, &mo, err) == 0) {
		match_to_projs(&p, &mo, r->mo.method, &pj);
		rc = store_projections_replace(r->st, id, p.version, &pj, err) < 0 ? -1 : 0;
	}
	pair_release(&p);
	match_out_release(&mo);
	free(pj.v);
	return rc;
}

/* Tokens [a, b) of t as one string; the caller frees. */
static char *
span_text(const struct toks *t, uint32_t a, uint32_t b)
{
	struct buf out = BUF_INIT;

	toks_span(t, a, b, &out);
	return buf_detach(&out);
}

/* The lexicon learns entity e -> [a, b) with label; the change is recorded in after (for undo). */
static int
learn_pair(struct review *r, const struct pair *p, int e, uint32_t a, uint32_t b, const char *label,
	   struct undo_state *after, struct ferry_err *err)
{
	const struct span *s = &p->ents.v[e];
	char *src = span_text(&p->src, s->start, s->end), *tgt = span_text(&p->tgt, a, b);
	int rc = store_lexicon_bump(r->st, src, tgt, label, 1, err);

	if (rc == 0)
		undo_state_learn(after, src, tgt, label, 1);
	free(src);
	free(tgt);
	return rc;
}

/* learn_pair() on the pair on screen. */
static int
learn(struct review *r, int e, uint32_t a, uint32_t b, const char *label, struct undo_state *after,
      struct ferry_err *err)
{
	return learn_pair(r, &r->p, e, a, b, label, after, err);
}

/* What an edit does between the version check and the re-match. */
struct change {
	const char *action;
	enum pair_status status;
	/* the decision; lexicon changes are recorded in after */
	int (*apply)(struct review *r, const struct change *c, struct undo_state *after, struct ferry_err *err);
	int entity;
	uint32_t start, end;
	char label[FERRY_LABEL_MAX];
};

/* The lexicon changed: reload it, and re-score pending pairs when it counts. */
static int
lexicon_changed(struct review *r, const char *src_text, struct ferry_err *err)
{
	int64_t *ids = NULL;
	size_t n = 0;

	store_lexicon_release(&r->lex);
	if (store_lexicon_load(r->st, &r->lex, err) < 0)
		return -1;
	if (r->mo.weights[SCORE_LEXICON] <= 0 || src_text == NULL)
		return 0;
	if (store_pairs_containing(r->st, src_text, &ids, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (ids[i] != r->p.id && rematch(r, ids[i], err) < 0) {
			free(ids);
			return -1;
		}
	free(ids);
	return 0;
}

/* Log an action with its states (a new action: nothing is left to redo) and commit it. */
static int
log_commit(struct review *r, int64_t pair, const char *action, const struct undo_state *before,
	   const struct undo_state *after, struct ferry_err *err)
{
	if (store_log_forget_redo(r->st, store_user(), err) < 0 ||
	    store_log_action(r->st, pair, action, before, after, err) < 0)
		return -1;
	return store_commit(r->st, err);
}

/* The one edit transaction (see the top of this file); refusals are messages. */
static int
edit(struct review *r, const struct change *c, struct ferry_err *err)
{
	struct undo_state before = { 0 }, after = { 0 };
	int64_t id = r->p.id;
	char *src_text = NULL;
	int rc;

	if (r->nids == 0) {
		review_say(r, 1, "no pair to edit");
		return 0;
	}
	rc = store_edit_begin(r->st, id, r->p.version, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		r->edits_refused++;
		review_say(r, 1, "pair %lld was changed by someone else: reloaded, nothing lost; look and try again",
			   (long long)id);
		r->counts_stale = 1;
		return review_load_current(r, err);
	}
	if (store_pair_state(r->st, id, undo_state_add(&before), err) < 0 || c->apply(r, c, &after, err) < 0 ||
	    store_status_set(r->st, id, c->status, err) < 0 || rematch(r, id, err) < 0 ||
	    store_pair_state(r->st, id, undo_state_add(&after), err) < 0)
		goto fail;
	if (after.n_lex) {
		if (c->entity >= 0 && (size_t)c->entity < r->p.ents.n)
			src_text = span_text(&r->p.src, r->p.ents.v[c->entity].start, r->p.ents.v[c->entity].end);
		if (lexicon_changed(r, src_text, err) < 0)
			goto fail;
	}
	if (log_commit(r, id, c->action, &before, &after, err) < 0)
		goto fail;
	r->edits_saved++;
	r->counts_stale = 1;
	rc = 0;
	goto out;
fail:
	store_rollback(r->st);
	rc = -1;
out:
	free(src_text);
	undo_state_release(&before);
	undo_state_release(&after);
	return rc < 0 ? -1 : review_load_current(r, err);
}

/* Accept every projection the matcher made (and learn them). */
static int
apply_accept(struct review *r, const struct change *c, struct undo_state *after, struct ferry_err *err)
{
	(void)c;
	for (size_t e = 0; e < r->p.ents.n; e++) {
		const struct proj *pr = review_projection(r, (int)e);
		if (pr == NULL || pr->by_reviewer)
			continue;
		if (store_pin_add(r->st, r->p.id, PIN_ACCEPT, r->p.ent_ids[e], pr->span.start, pr->span.end,
				  pr->span.label, err) < 0 ||
		    learn(r, (int)e, pr->span.start, pr->span.end, pr->span.label, after, err) < 0)
			return -1;
	}
	return 0;
}

/* Has the pair any reviewer correction (a pin other than accept)? */
static int
corrected(const struct review *r)
{
	for (size_t i = 0; i < r->p.pins.n; i++)
		if (r->p.pins.v[i].kind != PIN_ACCEPT)
			return 1;
	return 0;
}

int
review_accept(struct review *r, struct ferry_err *err)
{
	int fixed = corrected(r) || r->p.status == STATUS_FIXED;
	struct change c = { "accept", fixed ? STATUS_FIXED : STATUS_ACCEPTED, apply_accept, -1, 0, 0, "" };

	if (edit(r, &c, err) < 0)
		return -1;
	if (!r->message_is_error || !r->message[0])
		review_say(r, 0, "pair %lld %s", (long long)r->p.id, status_name(c.status));
	return 0;
}

/* Forbid the rejected span for its entity. */
static int
apply_forbid(struct review *r, const struct change *c, struct undo_state *after, struct ferry_err *err)
{
	(void)after;
	return store_pin_add(r->st, r->p.id, PIN_FORBID, r->p.ent_ids[c->entity], c->start, c->end, c->label, err);
}

/* The selected entity and its projection, or a message. */
static const struct proj *
selected(struct review *r)
{
	if (r->entity < 0 || (size_t)r->entity >= r->p.ents.n) {
		review_say(r, 1, "no entity selected (j/k select one)");
		return NULL;
	}
	const struct proj *pr = review_projection(r, r->entity);
	if (pr == NULL)
		review_say(r, 1, "entity %d has no projection (1-9 choose one, + adds one)", r->entity + 1);
	return pr;
}

int
review_reject(struct review *r, struct ferry_err *err)
{
	const struct proj *pr = selected(r);
	struct change c = { "reject", STATUS_FIXED, apply_forbid, r->entity, 0, 0, "" };

	if (pr == NULL)
		return 0;
	c.start = pr->span.start;
	c.end = pr->span.end;
	snprintf(c.label, sizeof c.label, "%s", pr->span.label);
	if (edit(r, &c, err) < 0)
		return -1;
	review_say(r, 0, "projection rejected; the matcher chose again");
	return 0;
}

/* Remove the hand-added spans over the change's range. */
static int
apply_remove_added(struct review *r, const struct change *c, struct undo_state *after, struct ferry_err *err)
{
	(void)after;
	return store_pins_remove(r->st, r->p.id, 0, c->start, c->end, err);
}

int
review_delete(struct review *r, struct ferry_err *err)
{
	/* a span added by hand under the cursor is removed */
	for (size_t i = 0; i < r->p.proj.n; i++) {
		const struct proj *pr = &r->p.proj.v[i];
		if (pr->entity == 0 && pr->span.start <= r->cursor && r->cursor < pr->span.end) {
			struct change c = { "delete", STATUS_FIXED, apply_remove_added, -1, pr->span.start,
					    pr->span.end, "" };
			if (edit(r, &c, err) < 0)
				return -1;
			review_say(r, 0, "span removed");
			return 0;
		}
	}
	if (selected(r) == NULL)
		return 0;
	/* deleting an entity's projection is "it has no counterpart here" */
	return review_no_counterpart(r, err);
}

/* Accept a span of the reviewer's choosing for the entity (and learn it). */
static int
apply_accept_span(struct review *r, const struct change *c, struct undo_state *after, struct ferry_err *err)
{
	if (store_pin_add(r->st, r->p.id, PIN_ACCEPT, r->p.ent_ids[c->entity], c->start, c->end, c->label,
			  err) < 0)
		return -1;
	return learn(r, c->entity, c->start, c->end, c->label, after, err);
}

int
review_set_span(struct review *r, int e, uint32_t start, uint32_t end, const char *label,
		struct ferry_err *err)
{
	struct change c = { "fix", STATUS_FIXED, apply_accept_span, e, start, end, "" };

	if (e < 0 || (size_t)e >= r->p.ents.n || start >= end || end > r->p.tgt.n) {
		review_say(r, 1, "no such span");
		return 0;
	}
	snprintf(c.label, sizeof c.label, "%s", label && *label ? label : r->p.ents.v[e].label);
	if (edit(r, &c, err) < 0)
		return -1;
	review_say(r, 0, "entity %d -> tokens %u-%u %s", e + 1, start + 1, end, c.label);
	return 0;
}

int
review_choose(struct review *r, int n, struct ferry_err *err)
{
	size_t na;
	const struct match_cand *alts = review_alternatives(r, r->entity, &na);

	if (r->entity < 0) {
		review_say(r, 1, "no entity selected (j/k select one)");
		return 0;
	}
	if (n < 1 || (size_t)n > na) {
		review_say(r, 1, "entity %d has %zu alternatives", r->entity + 1, na);
		return 0;
	}
	return review_set_span(r, r->entity, alts[n - 1].start, alts[n - 1].end, NULL, err);
}

/* Add a span by hand, replacing any hand-added one it overlaps. */
static int
apply_add(struct review *r, const struct change *c, struct undo_state *after, struct ferry_err *err)
{
	(void)after;
	if (store_pins_remove(r->st, r->p.id, 0, c->start, c->end, err) < 0)
		return -1;
	return store_pin_add(r->st, r->p.id, PIN_ADD, 0, c->start, c->end, c->label, err);
}

int
review_add(struct review *r, uint32_t start, uint32_t end, const char *label, struct ferry_err *err)
{
	struct change c = { "add", STATUS_FIXED, apply_add, -1, start, end, "" };

	if (start >= end || end > r->p.tgt.n || !label || !*label) {
		review_say(r, 1, "a span needs tokens and a label");
		return 0;
	}
	snprintf(c.label, sizeof c.label, "%s", label);
	if (edit(r, &c, err) < 0)
		return -1;
	review_say(r, 0, "added %s on tokens %u-%u", c.label, start + 1, end);
	return 0;
}

/* The entity has no counterpart in the target. */
static int
apply_none(struct review *r, const struct change *c, struct undo_state *after, struct ferry_err *err)
{
	(void)after;
	return store_pin_add(r->st, r->p.id, PIN_NONE, r->p.ent_ids[c->entity], 0, 0, NULL, err);
}

int
review_no_counterpart(struct review *r, struct ferry_err *err)
{
	struct change c = { "no-counterpart", STATUS_FIXED, apply_none, r->entity, 0, 0, "" };

	if (r->entity < 0 || (size_t)r->entity >= r->p.ents.n) {
		review_say(r, 1, "no entity selected (j/k select one)");
		return 0;
	}
	if (edit(r, &c, err) < 0)
		return -1;
	review_say(r, 0, "entity %d has no counterpart", c.entity + 1);
	return 0;
}

/* Status changes and re-runs decide nothing. */
static int
apply_nothing(struct review *r, const struct change *c, struct undo_state *after, struct ferry_err *err)
{
	(void)r;
	(void)c;
	(void)after;
	(void)err;
	return 0;
}

int
review_rerun(struct review *r, struct ferry_err *err)
{
	struct change c = { "rerun", r->p.status, apply_nothing, -1, 0, 0, "" };

	if (edit(r, &c, err) < 0)
		return -1;
	review_say(r, 0, "matcher re-run on pair %lld", (long long)r->p.id);
	return 0;
}

int
review_set_status(struct review *r, enum pair_status s, struct ferry_err *err)
{
	struct change c = { status_name(s), s, apply_nothing, -1, 0, 0, "" };

	if (edit(r, &c, err) < 0)
		return -1;
	review_say(r, 0, "pair %lld %s", (long long)r->p.id, status_name(s));
	return 0;
}

/* Put each pair of a state back and re-match it. */
static int
restore(struct review *r, const struct undo_state *state, struct ferry_err *err)
{
	for (size_t i = 0; i < state->n_items; i++)
		if (store_state_restore(r->st, &state->items[i], err) < 0 ||
		    rematch(r, state->items[i].pair, err) < 0)
			return -1;
	return 0;
}

/*
 * Undo is only safe while the pair is as the entry left it (its "after");
 * otherwise it would wipe someone's later work.  Redo would have to
 * compare with the entry's "before" and trusts the log's order instead.
 * 0 when changed, or on error (err->code set).
 */
static int
unchanged_since(struct review *r, const struct pair_state *after, struct ferry_err *err)
{
	struct pair_state now = { 0 };
	int same = store_pair_state(r->st, after->pair, &now, err) == 0 && pair_state_equal(&now, after);

	pair_state_release(&now);
	return same;
}

int
review_undo(struct review *r, int redo, struct ferry_err *err)
{
	struct undo_state state = { 0 }, after = { 0 };
	int64_t log_id, pair;
	int rc;

	if (store_begin(r->st, err) < 0)
		return -1;
	rc = store_undo_find(r->st, store_user(), redo, &log_id, &pair, &state, &after, err);
	if (rc <= 0) {
		store_rollback(r->st);
		if (rc == 0)
			review_say(r, 1, "nothing to %s", redo ? "redo" : "undo");
		return rc;
	}
	if (pair > 0 && !redo && !unchanged_since(r, &after.items[0], err)) {
		store_rollback(r->st);
		undo_state_release(&state);
		undo_state_release(&after);
		if (err->code)
			return -1;
		r->edits_refused++;
		review_say(r, 1, "pair %lld was changed since (by someone else): %s refused, nothing lost",
			   (long long)pair, redo ? "redo" : "undo");
		return review_load_current(r, err);
	}
	rc = restore(r, &state, err) < 0 || store_state_lexicon(r->st, &after, redo ? 1 : -1, err) < 0 ||
	     store_log_mark(r->st, log_id, redo ? 0 : 1, err) < 0 || store_commit(r->st, err) < 0 ? -1 : 0;
	undo_state_release(&state);
	undo_state_release(&after);
	if (rc < 0) {
		store_rollback(r->st);
		return -1;
	}
	r->edits_saved++;
	r->counts_stale = 1;
	store_lexicon_release(&r->lex);
	if (store_lexicon_load(r->st, &r->lex, err) < 0)
		return -1;
	if (pair > 0 && pair != r->p.id && review_goto_id(r, pair, err) < 0)
		return -1;
	if (review_load_current(r, err) < 0)
		return -1;
	review_say(r, 0, "%s%s", redo ? "redone" : "undone", pair > 0 ? "" : " (bulk accept)");
	return 0;
}

/*
 * Accept pair id (loaded into p) if every projection scores at least x:
 * 1 with its states added to before and after, 0 when it does not
 * qualify, -1 on error.
 */
static int
accept_if_above(struct review *r, int64_t id, double x, struct pair *p, struct undo_state *before,
		struct undo_state *after, struct ferry_err *err)
{
	if (review_load_pair(r, id, p, err) < 0)
		return -1;
	int ok = p->proj.n > 0;
	for (size_t k = 0; k < p->proj.n && ok; k++)
		ok = p->proj.v[k].score >= x;
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
		    (e >= 0 && learn_pair(r, p, e, pr->span.start, pr->span.end, pr->span.label, after, err) < 0))
			return -1;
	}
	if (store_status_set(r->st, id, STATUS_ACCEPTED, err) < 0 || rematch(r, id, err) < 0 ||
	    store_pair_state(r->st, id, undo_state_add(after), err) < 0)
		return -1;
	return 1;
}

int
review_accept_above(struct review *r, double x, struct ferry_err *err)
{
	struct undo_state before = { .bulk = 1 }, after = { .bulk = 1 };
	int64_t *ids = NULL;
	size_t n = 0, done = 0;
	struct pair p = { 0 };
	int rc = 0, got;

	if (store_begin(r->st, err) < 0)
		return -1;
	if (store_review_ids(r->st, 1u << STATUS_PENDING, NULL, -1, ORDER_CORPUS, &ids, &n, err) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if ((got = accept_if_above(r, ids[i], x, &p, &before, &after, err)) < 0)
			goto fail;
		done += (size_t)got;
	}
	if (done == 0) {
		store_rollback(r->st);
		review_say(r, 0, "no pending pair has every projection scoring %g or more", x);
		goto out;
	}
	if (log_commit(r, 0, "accept-above", &before, &after, err) < 0)
		goto fail;
	review_say(r, 0, "accepted %zu pairs scoring %g or more (u undoes them all)", done, x);
	r->edits_saved++;       /* one step, like its undo */
	r->counts_stale = 1;
	goto out;
fail:
	store_rollback(r->st);
	rc = -1;
out:
	free(ids);
	pair_release(&p);
	undo_state_release(&before);
	undo_state_release(&after);
	if (rc == 0) {
		store_lexicon_release(&r->lex);
		if (store_lexicon_load(r->st, &r->lex, err) < 0)
			return -1;
	}
	return rc < 0 ? -1 : review_load_current(r, err);
}
