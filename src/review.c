/*
 * review.c — the review session model: navigation and reviewer edits.
 *
 * An edit runs edit(): take the write lock, check the pair's version,
 * record the state before, apply the decision (pins, status, lexicon),
 * re-run the matcher on the pair with every pin in force, replace its
 * projections (bumping the version), record the state after in the log,
 * commit.  States are struct undo_state, read, logged and put back by
 * the store (store_pair_state, store_log_action, store_state_restore);
 * undo and redo are review-undo.c's.
 *
 * edit() is also the one place that tells the reviewer how an edit
 * went: what the action said it would do once saved, or that the pair
 * changed since it was shown and nothing was written.  A pair an edit
 * leaves accepted or fixed keeps what it shows: the matcher's answer
 * for every entity the reviewer did not decide is pinned with it
 * (pin_undecided), so a later match with other settings changes nothing
 * the reviewer has seen as reviewed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/match-run.h"
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

	if (store_iter_open(r->st, &f, LOAD_ALL | LOAD_SOURCES, &it, err) < 0)
		return -1;
	got = store_iter_next(it, p, err);
	store_iter_free(it);
	if (got == 0)
		return err_set(err, EX_DATAERR, "%s: pair %lld is missing", r->project, (long long)id);
	return got < 0 ? -1 : 0;
}

/* The reason of the pair on screen, if it is flagged (only then: it is looked up in the log). */
static int
load_comment(struct review *r, struct ferry_err *err)
{
	struct buf c = BUF_INIT;
	int got = r->p.status == STATUS_FLAGGED ? store_pair_comment(r->st, r->p.id, &c, err) : 0;

	snprintf(r->comment, sizeof r->comment, "%s", got > 0 ? buf_cstr(&c) : "");
	buf_release(&c);
	return got < 0 ? -1 : 0;
}

/* Reload the pair on screen and its alternatives. */
int
review_load_current(struct review *r, struct ferry_err *err)
{
	if (r->nids == 0) {
		pair_reset(&r->p);
		r->alts.n = r->alts.nalts = 0;
		r->comment[0] = '\0';
		return 0;
	}
	if (review_load_pair(r, r->ids[r->pos], &r->p, err) < 0)
		return -1;
	uint32_t present;
	if (match_plan_pair(r->ws, r->mos, &r->plan, &r->p, &r->alts, NULL, &present, err) < 0)
		return -1;
	if (load_comment(r, err) < 0 || (r->adjudicate && review_versions_load(r, err) < 0))
		return -1;
	if (r->entity >= (int)r->p.ents.n)
		r->entity = (int)r->p.ents.n - 1;
	if (r->entity < 0 && r->p.ents.n) {
		r->entity = 0;          /* a new pair: the cursor starts on its first entity */
		review_cursor_to_entity(r);
	}
	if (r->cursor >= r->p.tgt.n)
		r->cursor = r->p.tgt.n ? r->p.tgt.n - 1 : 0;
	if (r->quality_dirty && r->quality_dirty != QUALITY_AT_START) {
		int64_t id = r->quality_dirty;
		r->quality_dirty = 0;
		if ((id > 0 ? quality_update_pair(r->st, &r->plan, r->ws, r->mos, &r->q, id, err) :
			      quality_collect(r->st, &r->plan, r->ws, r->mos, &r->q, err)) < 0)
			return -1;
	}
	/* counting is a scan: only after something may have changed */
	if (r->counts_stale) {
		r->counts_stale = 0;
		return store_progress(r->st, &r->reviewed, &r->total, err);
	}
	return 0;
}

int
review_open(struct review *r, const char *project, const char *layer, struct ferry_err *err)
{
	memset(r, 0, sizeof *r);
	r->score_below = -1;
	r->entity = -1;
	r->project = xstrdup(project);
	if (store_open(&r->st, project, 0, err) < 0 || (layer && store_use_layer(r->st, layer, err) < 0) ||
	    store_durable(r->st, err) < 0)
		return -1;
	if (match_plan_project(r->st, &r->mo, &r->lex, &r->plan, &r->matched, err) < 0)
		return -1;
	r->mos = xcalloc(FERRY_SOURCES_MAX, sizeof *r->mos);
	if (store_sources(r->st, &r->sources, &r->nsources, err) < 0)
		return -1;
	if (store_labels(r->st, &r->labels, &r->nlabels, err) < 0)
		return -1;
	r->ws = match_ws_new();
	r->quality_dirty = QUALITY_AT_START;     /* review_settle, once the first screen is up */
	return review_refresh(r, err);
}

void
review_close(struct review *r)
{
	store_close(r->st, NULL);
	store_lexicon_release(&r->lex);
	match_ws_free(r->ws);
	match_out_release(&r->alts);
	for (size_t k = 0; r->mos && k < FERRY_SOURCES_MAX; k++)
		match_out_release(&r->mos[k]);
	free(r->mos);
	free(r->sources);
	pair_release(&r->p);
	review_versions_release(r);
	quality_release(&r->q);
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
	if (r->adjudicate)
		review_disputed_first(r);
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

/* Put pair id on screen (not loaded yet) if the list has it; 1 when it does. */
int
review_place(struct review *r, int64_t id)
{
	for (size_t i = 0; i < r->nids; i++)
		if (r->ids[i] == id) {
			if (i != r->pos) {
				r->entity = -1;
				r->cursor = 0;
			}
			r->pos = i;
			return 1;
		}
	return 0;
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

	if (review_place(r, id))
		return review_load_current(r, err) < 0 ? -1 : 0;
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

/* Status of a listed pair without loading it (-1 on error; a pair gone reads as not pending). */
static int
pair_status_of(struct review *r, int64_t id, struct ferry_err *err)
{
	enum pair_status st = STATUS_PENDING;
	int got = store_pair_status(r->st, id, &st, err);

	return got < 0 ? -1 : got == 0 ? STATUS_COUNT : (int)st;
}


/* List positions looked at one by one before the pending ids are read at once. */
#define PENDING_PROBES 32

/*
 * The list position of the first pending pair from the one on screen in
 * direction dir (wrapping round the list when wrap): 1 with it in *at, 0
 * when there is none, -1.  The nearest pairs are asked one by one (the
 * next one is usually it); past PENDING_PROBES the pending ids are read
 * once through the status index, so passing a million reviewed pairs
 * stays a walk in memory.
 */
static int
find_pending(struct review *r, int dir, int wrap, size_t *at, struct ferry_err *err)
{
	int64_t *pending = NULL;
	size_t n = r->nids, np = 0;
	int rc = 0, loaded = 0;

	for (size_t k = 1; k < n && rc == 0; k++) {
		size_t i = dir > 0 ? r->pos + k : r->pos + n - k;
		if (!wrap && (dir > 0 ? i >= n : k > r->pos))
			break;
		i %= n;
		if (k <= PENDING_PROBES) {
			int st = pair_status_of(r, r->ids[i], err);
			rc = st < 0 ? -1 : st == STATUS_PENDING;
		} else {
			if (!loaded && store_review_ids(r->st, 1u << STATUS_PENDING, NULL, -1, ORDER_CORPUS, &pending,
							&np, err) < 0)
				rc = -1;
			loaded = 1;
			if (rc == 0 && np)
				rc = bsearch(&r->ids[i], pending, np, sizeof *pending, pair_id_cmp) != NULL;
		}
		if (rc == 1)
			*at = i;
	}
	free(pending);
	return rc;
}

/* The next (dir > 0) or previous pending pair of the list, or a message. */
int
review_next_pending(struct review *r, int dir, struct ferry_err *err)
{
	size_t at;
	int rc = find_pending(r, dir, 0, &at, err);

	if (rc > 0)
		return review_goto(r, at, err) < 0 ? -1 : 1;
	if (rc == 0)
		review_say(r, 0, "no pending pair %s", dir > 0 ? "after this one" : "before this one");
	return rc;
}

/* On to the next pending pair after an accept, wrapping to the top; the message says where. */
int
review_advance(struct review *r, struct ferry_err *err)
{
	char done[sizeof r->message];
	size_t at, from = r->pos;
	int rc = find_pending(r, 1, 1, &at, err);

	snprintf(done, sizeof done, "%s", r->message);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		review_say(r, 0, "%s; no pending pair left in the list", done);
		return 0;
	}
	if (review_goto(r, at, err) < 0)
		return -1;
	review_say(r, 0, "%s; next pending: pair %lld%s", done, (long long)r->p.id,
		   at < from ? " (from the top of the list)" : "");
	return 0;
}

/* Show what a busy project kept off the screen after a save. */
int
review_sync(struct review *r, struct ferry_err *err)
{
	if (!r->reload)
		return 0;
	r->reload = 0;
	if (review_lexicon_reload(r, err) == 0 && review_load_current(r, err) == 0)
		return 0;
	if (err->code != EX_TEMPFAIL)
		return -1;
	err_clear(err);
	r->reload = 1;
	review_say(r, 1, "the project is still busy: the screen may not show your last edit yet");
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

/* Has entity e of p a decision: an accepted span or "no counterpart"? */
static int
decided(const struct pair *p, int e)
{
	for (size_t i = 0; i < p->pins.n; i++)
		if (p->pins.v[i].entity == e && (p->pins.v[i].kind == PIN_ACCEPT || p->pins.v[i].kind == PIN_NONE))
			return 1;
	return 0;
}

/*
 * Keep what a reviewed pair shows: each entity of p without a decision
 * gets its projection in mo (first one, then marked pinned) or "none"
 * pinned, so no later match changes it.  Pins only: the lexicon learns
 * from what the reviewer decided, not from what was left alone.
 */
static int
pin_undecided(struct review *r, const struct pair *p, struct match_out *mo, struct ferry_err *err)
{
	for (size_t e = 0; e < p->ents.n; e++) {
		struct match_proj *mp = NULL;
		int rc;
		if (decided(p, (int)e))
			continue;
		for (size_t k = 0; k < mo->n && mp == NULL; k++)
			if (mo->v[k].entity == (int)e)
				mp = &mo->v[k];
		if (mp)
			rc = store_pin_add(r->st, p->id, PIN_ACCEPT, p->ent_ids[e], mp->start, mp->end, mp->label, err);
		else
			rc = store_pin_add(r->st, p->id, PIN_NONE, p->ent_ids[e], 0, 0, NULL, err);
		if (rc < 0)
			return -1;
		if (mp)
			mp->pinned = 1;
	}
	/* several sources: a fused span no entity of the first source proposed is kept as added */
	for (size_t k = 0; k < mo->n; k++) {
		struct match_proj *mp = &mo->v[k];
		if (mp->entity >= 0 || mp->pinned)
			continue;
		if (store_pin_add(r->st, p->id, PIN_ADD, 0, mp->start, mp->end, mp->label, err) < 0)
			return -1;
		mp->pinned = 1;
	}
	return 0;
}

/* Re-run the matcher on pair id inside the current transaction; pin what is undecided when freeze. */
int
review_rematch(struct review *r, int64_t id, int freeze, struct ferry_err *err)
{
	struct pair p = { 0 };
	struct match_out mo = { 0 };
	struct projs pj = { 0 };
	struct sprojs own = { 0 };
	uint32_t present;
	int rc = -1;

	if (review_load_pair(r, id, &p, err) == 0 &&
	    match_plan_pair(r->ws, r->mos, &r->plan, &p, &mo, &own, &present, err) == 0 &&
	    (!freeze || pin_undecided(r, &p, &mo, err) == 0)) {
		match_to_projs(&p, &mo, r->plan.fuse.method, &pj);
		rc = store_projections_replace(r->st, id, p.version, 0, &pj, err);
		if (rc > 0 && !r->plan.single && store_own_replace(r->st, id, &own, err) < 0)
			rc = -1;
		rc = rc < 0 ? -1 : 0;
	}
	pair_release(&p);
	match_out_release(&mo);
	free(pj.v);
	free(own.v);
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
int
review_learn_pair(struct review *r, const struct pair *p, int e, uint32_t a, uint32_t b, const char *label,
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

/* review_learn_pair() on the pair on screen. */
static int
learn(struct review *r, int e, uint32_t a, uint32_t b, const char *label, struct undo_state *after,
      struct ferry_err *err)
{
	return review_learn_pair(r, &r->p, e, a, b, label, after, err);
}

/* What an edit does between the version check and the re-match, and what it tells the reviewer. */
struct change {
	const char *action;
	enum pair_status status;
	/* the decision; lexicon changes are recorded in after */
	int (*apply)(struct review *r, const struct change *c, struct undo_state *after, struct ferry_err *err);
	int entity;
	uint32_t start, end;
	char label[FERRY_LABEL_MAX];
	char said[320];              /* the message once it is saved */
	const char *comment;         /* a flag's reason, or NULL */
	const struct pair_state *state;  /* the pins to put in place (review_edit_state), or NULL */
};

/* The lexicon changed: reload it, and re-score pending pairs when it counts. */
static int
lexicon_changed(struct review *r, const char *src_text, struct ferry_err *err)
{
	int64_t *ids = NULL;
	size_t n = 0;

	if (review_lexicon_reload(r, err) < 0)
		return -1;
	if (r->mo.weights[SCORE_LEXICON] <= 0 || src_text == NULL)
		return 0;
	if (store_pairs_containing(r->st, src_text, &ids, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (ids[i] != r->p.id && review_rematch(r, ids[i], 0, err) < 0) {
			free(ids);
			return -1;
		}
	free(ids);
	return 0;
}

/* The session's copy of the lexicon, read again. */
int
review_lexicon_reload(struct review *r, struct ferry_err *err)
{
	store_lexicon_release(&r->lex);
	return store_lexicon_load(r->st, &r->lex, err);
}

int
review_settle(struct review *r, struct ferry_err *err)
{
	if (r->quality_dirty != QUALITY_AT_START)
		return 0;
	r->quality_dirty = 0;
	return quality_collect(r->st, &r->plan, r->ws, r->mos, &r->q, err) < 0 ? -1 : 1;
}

void
review_quality_dirty(struct review *r, int64_t pair)
{
	if (r->quality_dirty != QUALITY_AT_START)
		r->quality_dirty = pair > 0 && (r->quality_dirty == 0 || r->quality_dirty == pair) ? pair : -1;
}

/* Log an action with its states (a new action: nothing is left to redo) and commit it. */
int
review_log_commit(struct review *r, int64_t pair, const char *action, const struct undo_state *before,
		  const struct undo_state *after, struct ferry_err *err)
{
	if (store_log_forget_redo(r->st, store_user(), err) < 0 ||
	    store_log_action(r->st, pair, action, before, after, err) < 0 || store_commit(r->st, err) < 0)
		return -1;
	review_quality_dirty(r, pair);
	return 0;
}

/*
 * An action was committed: count it, show the pair as it is now (with
 * the lexicon read again when asked) and say `said`.  A project too busy to read the pair back does not undo the
 * save: the message says so and the next key reloads (review_sync).
 */
int
review_saved(struct review *r, const char *said, int lexicon, struct ferry_err *err)
{
	r->edits_saved++;
	r->counts_stale = 1;
	if ((lexicon && review_lexicon_reload(r, err) < 0) || review_load_current(r, err) < 0) {
		if (err->code != EX_TEMPFAIL)
			return -1;
		err_clear(err);
		r->reload = 1;
		review_say(r, 1, "%s; saved, but the project is busy and the screen still shows the pair as before "
			   "(any key shows it again)", said);
		return 0;
	}
	review_say(r, 0, "%s", said);
	return 0;
}

/* The pair on screen was changed by someone else: nothing was written; reload it and say so. */
static int
refused(struct review *r, int64_t id, struct ferry_err *err)
{
	r->edits_refused++;
	r->counts_stale = 1;
	if (review_load_current(r, err) < 0)
		return -1;
	review_say(r, 1, "pair %lld was changed by someone else: reloaded, nothing lost; look and try again",
		   (long long)id);
	return 1;
}

/*
 * The one edit transaction (see the top of this file), and the one place
 * that tells the reviewer how it went: c->said when it was saved, the
 * refusal when the pair changed since it was shown.  Returns 0 (saved),
 * 1 (refused) or -1.
 */
static int
edit(struct review *r, const struct change *c, struct ferry_err *err)
{
	struct undo_state before = { 0 }, after = { 0 };
	int64_t id = r->p.id;
	char *src_text = NULL;
	int rc;

	if (r->nids == 0) {
		review_say(r, 1, "no pair to edit");
		return 1;
	}
	rc = store_edit_begin(r->st, id, r->p.version, err);
	if (rc != 0)
		return rc < 0 ? -1 : refused(r, id, err);
	/* a pair that stays flagged keeps its reason unless it is given a new one */
	if (c->status == STATUS_FLAGGED && ((c->comment && *c->comment) || r->comment[0]))
		after.comment = xstrdup(c->comment && *c->comment ? c->comment : r->comment);
	if (store_pair_state(r->st, id, undo_state_add(&before), err) < 0 || c->apply(r, c, &after, err) < 0 ||
	    store_status_set(r->st, id, c->status, err) < 0 ||
	    review_rematch(r, id, status_decides(c->status), err) < 0 ||
	    store_pair_state(r->st, id, undo_state_add(&after), err) < 0)
		goto fail;
	if (after.n_lex) {
		if (c->entity >= 0 && (size_t)c->entity < r->p.ents.n)
			src_text = span_text(&r->p.src, r->p.ents.v[c->entity].start, r->p.ents.v[c->entity].end);
		if (lexicon_changed(r, src_text, err) < 0)
			goto fail;
	}
	if (review_log_commit(r, id, c->action, &before, &after, err) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	store_rollback(r->st);
	rc = -1;
	/* the session's lexicon may hold what was rolled back */
	if (after.n_lex && err->code == EX_TEMPFAIL)
		r->reload = 1;
out:
	free(src_text);
	undo_state_release(&before);
	undo_state_release(&after);
	return rc < 0 ? -1 : review_saved(r, c->said, 0, err);
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

/* a: accept what the pair shows (fixed if the reviewer corrected it), then go on when asked. */
int
review_accept(struct review *r, struct ferry_err *err)
{
	/* an accepted pair stays accepted: its "none" pins are what it kept, not corrections */
	int fixed = r->p.status == STATUS_FIXED || (r->p.status != STATUS_ACCEPTED && corrected(r));
	struct change c = { .action = "accept", .status = fixed ? STATUS_FIXED : STATUS_ACCEPTED,
			    .apply = apply_accept, .entity = -1 };
	int rc;

	snprintf(c.said, sizeof c.said, "pair %lld %s", (long long)r->p.id, status_name(c.status));
	if ((rc = edit(r, &c, err)) != 0 || !r->accept_advances)
		return rc;
	return review_advance(r, err);
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

/* x: forbid the selected projection; the matcher chooses again. */
int
review_reject(struct review *r, struct ferry_err *err)
{
	const struct proj *pr = selected(r);
	struct change c = { .action = "reject", .status = STATUS_FIXED, .apply = apply_forbid, .entity = r->entity,
			    .said = "projection rejected; the matcher chose again" };

	if (pr == NULL)
		return 1;
	c.start = pr->span.start;
	c.end = pr->span.end;
	snprintf(c.label, sizeof c.label, "%s", pr->span.label);
	return edit(r, &c, err);
}

/* Remove the hand-added spans over the change's range. */
static int
apply_remove_added(struct review *r, const struct change *c, struct undo_state *after, struct ferry_err *err)
{
	(void)after;
	return store_pins_remove(r->st, r->p.id, 0, c->start, c->end, err);
}

/* d: remove the span added by hand under the cursor, or say the entity has no counterpart. */
int
review_delete(struct review *r, struct ferry_err *err)
{
	/* a span added by hand under the cursor is removed */
	for (size_t i = 0; i < r->p.proj.n; i++) {
		const struct proj *pr = &r->p.proj.v[i];
		if (pr->entity == 0 && pr->span.start <= r->cursor && r->cursor < pr->span.end) {
			struct change c = { .action = "delete", .status = STATUS_FIXED, .apply = apply_remove_added,
					    .entity = -1, .start = pr->span.start, .end = pr->span.end,
					    .said = "span removed" };
			return edit(r, &c, err);
		}
	}
	if (selected(r) == NULL)
		return 1;
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

/* Entity e goes to [start, end) with label (the entity's when none). */
int
review_set_span(struct review *r, int e, uint32_t start, uint32_t end, const char *label,
		struct ferry_err *err)
{
	struct change c = { .action = "fix", .status = STATUS_FIXED, .apply = apply_accept_span, .entity = e,
			    .start = start, .end = end };

	if (e < 0 || (size_t)e >= r->p.ents.n || start >= end || end > r->p.tgt.n) {
		review_say(r, 1, "no such span");
		return 1;
	}
	snprintf(c.label, sizeof c.label, "%s", label && *label ? label : r->p.ents.v[e].label);
	snprintf(c.said, sizeof c.said, "entity %d -> tokens %u-%u %s", e + 1, start + 1, end, c.label);
	return edit(r, &c, err);
}

/* The selected entity's span and label in one step (the span editor with the label picker). */
int
review_edit_span(struct review *r, uint32_t start, uint32_t end, const char *label, struct ferry_err *err)
{
	const struct proj *pr = review_projection(r, r->entity);

	if (r->entity < 0) {
		review_say(r, 1, "no entity selected (j/k select one)");
		return 1;
	}
	return review_set_span(r, r->entity, start, end, label && *label ? label : pr ? pr->span.label : NULL,
			       err);
}

/* 1-9: alternative n for the selected entity. */
int
review_choose(struct review *r, int n, struct ferry_err *err)
{
	size_t na;
	const struct match_cand *alts = review_alternatives(r, r->entity, &na);

	if (r->entity < 0) {
		review_say(r, 1, "no entity selected (j/k select one)");
		return 1;
	}
	if (n < 1 || (size_t)n > na) {
		review_say(r, 1, "entity %d has %zu alternatives", r->entity + 1, na);
		return 1;
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

/* +: a span added by hand. */
int
review_add(struct review *r, uint32_t start, uint32_t end, const char *label, struct ferry_err *err)
{
	struct change c = { .action = "add", .status = STATUS_FIXED, .apply = apply_add, .entity = -1,
			    .start = start, .end = end };

	if (start >= end || end > r->p.tgt.n || !label || !*label) {
		review_say(r, 1, "a span needs tokens and a label");
		return 1;
	}
	snprintf(c.label, sizeof c.label, "%s", label);
	snprintf(c.said, sizeof c.said, "added %s on tokens %u-%u", c.label, start + 1, end);
	return edit(r, &c, err);
}

/* The entity has no counterpart in the target. */
static int
apply_none(struct review *r, const struct change *c, struct undo_state *after, struct ferry_err *err)
{
	(void)after;
	return store_pin_add(r->st, r->p.id, PIN_NONE, r->p.ent_ids[c->entity], 0, 0, NULL, err);
}

/* !: the selected entity has no counterpart. */
int
review_no_counterpart(struct review *r, struct ferry_err *err)
{
	struct change c = { .action = "no-counterpart", .status = STATUS_FIXED, .apply = apply_none,
			    .entity = r->entity };

	if (r->entity < 0 || (size_t)r->entity >= r->p.ents.n) {
		review_say(r, 1, "no entity selected (j/k select one)");
		return 1;
	}
	snprintf(c.said, sizeof c.said, "entity %d has no counterpart", c.entity + 1);
	return edit(r, &c, err);
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

/* Put the pins of c->state in place of the pair's. */
static int
apply_state(struct review *r, const struct change *c, struct undo_state *after, struct ferry_err *err)
{
	struct pair_state ps = *c->state;

	(void)after;
	ps.pair = r->p.id;
	return store_state_restore(r->st, &ps, err);
}

int
review_edit_state(struct review *r, const char *action, const struct pair_state *ps, const char *from,
		  struct ferry_err *err)
{
	struct change c = { .action = action, .status = ps->status, .apply = apply_state, .entity = -1, .state = ps };

	snprintf(c.said, sizeof c.said, "pair %lld %s as %s had it", (long long)r->p.id, status_name(ps->status),
		 from);
	return edit(r, &c, err);
}

/* r: the matcher again on this pair, its pins kept. */
int
review_rerun(struct review *r, struct ferry_err *err)
{
	struct change c = { .action = "rerun", .status = r->p.status, .apply = apply_nothing, .entity = -1 };

	snprintf(c.said, sizeof c.said, "matcher re-run on pair %lld", (long long)r->p.id);
	return edit(r, &c, err);
}

/* :skip, :reject, :pending (and :flag without a reason). */
int
review_set_status(struct review *r, enum pair_status s, struct ferry_err *err)
{
	struct change c = { .action = status_name(s), .status = s, .apply = apply_nothing, .entity = -1 };

	if (s == STATUS_FLAGGED)
		return review_flag(r, NULL, err);
	snprintf(c.said, sizeof c.said, "pair %lld %s", (long long)r->p.id, status_name(s));
	return edit(r, &c, err);
}

/* :flag [TEXT]: flagged, with TEXT as the reason. */
int
review_flag(struct review *r, const char *comment, struct ferry_err *err)
{
	struct change c = { .action = status_name(STATUS_FLAGGED), .status = STATUS_FLAGGED, .apply = apply_nothing,
			    .entity = -1, .comment = comment };
	const char *reason = comment && *comment ? comment : r->p.status == STATUS_FLAGGED ? r->comment : "";

	if (*reason)
		snprintf(c.said, sizeof c.said, "pair %lld flagged: %s", (long long)r->p.id, reason);
	else
		snprintf(c.said, sizeof c.said, "pair %lld flagged (:flag TEXT gives a reason)", (long long)r->p.id);
	return edit(r, &c, err);
}
