/*
 * review-view.c — the review session as the views see it: accessors for
 * what is on screen (the pair, position, selection, cursor, counts,
 * filter, message), and the moves that change only which pair or token
 * is shown (cursor, selection, order, filter, search); and going on
 * after a busy project refused an edit.  No edits here: those are
 * review.c's, each one transaction.  The UI reads the model only through
 * these, so it never reaches the store or the CLI.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/review.h"

static const char *const order_names[ORDER_COUNT] = { "corpus", "least margin", "least score" };

/* The project file's path. */
const char *
review_project(const struct review *r)
{
	return r->project;
}

/* How many pairs the filter lists. */
size_t
review_npairs(const struct review *r)
{
	return r->nids;
}

/* The list position of the pair on screen. */
size_t
review_pos(const struct review *r)
{
	return r->pos;
}

/* The pair on screen (empty when none is listed). */
const struct pair *
review_pair(const struct review *r)
{
	return &r->p;
}

/* The selected entity, -1 for none. */
int
review_entity(const struct review *r)
{
	return r->entity;
}

/* The target token under the cursor. */
uint32_t
review_cursor(const struct review *r)
{
	return r->cursor;
}

/* Reviewed and total pairs of the project. */
void
review_progress(const struct review *r, int64_t *reviewed, int64_t *total)
{
	*reviewed = r->reviewed;
	*total = r->total;
}

/* The name of the order in force. */
const char *
review_order_name(const struct review *r)
{
	return order_names[r->order];
}

/* What the filter lets through, as the title bar shows it. */
void
review_describe_filter(const struct review *r, struct buf *out)
{
	if (!r->status_mask && !r->label[0] && r->score_below < 0)
		buf_adds(out, "all");
	for (int i = 0; i < STATUS_COUNT; i++)
		if (r->status_mask >> i & 1)
			buf_addf(out, "%s ", status_name((enum pair_status)i));
	if (r->label[0])
		buf_addf(out, "label=%s ", r->label);
	if (r->score_below >= 0)
		buf_addf(out, "score<%g", r->score_below);
}

/* The message for the reviewer ("" for none); *is_error says how to show it. */
const char *
review_message(const struct review *r, int *is_error)
{
	*is_error = r->message_is_error;
	return r->message;
}

/* Forget the message, as every key does. */
void
review_clear_message(struct review *r)
{
	r->message[0] = '\0';
}

/* Is entity e pinned as having no counterpart? */
int
review_no_counterpart_pinned(const struct review *r, int e)
{
	for (size_t k = 0; k < r->p.pins.n; k++)
		if (r->p.pins.v[k].entity == e && r->p.pins.v[k].kind == PIN_NONE)
			return 1;
	return 0;
}

/* A flagged pair's reason, "" for none. */
const char *
review_comment(const struct review *r)
{
	return r->comment;
}

/* What this session's edits came to. */
void
review_edit_counts(const struct review *r, int64_t *saved, int64_t *refused, int64_t *busy)
{
	*saved = r->edits_saved;
	*refused = r->edits_refused;
	*busy = r->edits_busy;
}

/* A pair the matcher never ran on: version 0 (no projections ever written) in a project never matched. */
int
review_never_matched(const struct review *r)
{
	return !r->matched && r->p.version == 0;
}

/* The last search text. */
const char *
review_search_text(const struct review *r)
{
	return r->search;
}

/* The matcher's settings in force. */
const struct match_opts *
review_match_opts(const struct review *r)
{
	return &r->mo;
}

/* Move the token cursor one token left (dir < 0) or right, within the target. */
void
review_move_cursor(struct review *r, int dir)
{
	if (dir < 0 && r->cursor > 0)
		r->cursor--;
	else if (dir > 0 && r->cursor + 1 < r->p.tgt.n)
		r->cursor++;
}

/* Put the token cursor on target token `token` (a mouse click). */
void
review_set_cursor(struct review *r, uint32_t token)
{
	r->cursor = token;
}

/* Select the next (dir > 0) or previous entity; the cursor goes to its projection. */
void
review_move_entity(struct review *r, int dir)
{
	if (dir > 0 && r->entity + 1 < (int)r->p.ents.n)
		r->entity++;
	else if (dir < 0 && r->entity > 0)
		r->entity--;
	const struct proj *pr = review_projection(r, r->entity);
	if (pr)
		r->cursor = pr->span.start;
}

/* The next order (corpus, least margin, least score, corpus, ...). */
int
review_next_order(struct review *r, struct ferry_err *err)
{
	r->order = (enum review_order)((r->order + 1) % ORDER_COUNT);
	int rc = review_refresh(r, err);
	review_say(r, 0, "order: %s", order_names[r->order]);
	return rc;
}

/* Set the filter from its text: all, a status list, label=L or score<X. */
int
review_set_filter(struct review *r, const char *spec, struct ferry_err *err)
{
	unsigned mask;

	if (strcmp(spec, "all") == 0 || spec[0] == '\0') {
		r->status_mask = 0;
		r->label[0] = '\0';
		r->score_below = -1;
	} else if (strncmp(spec, "label=", 6) == 0) {
		snprintf(r->label, sizeof r->label, "%s", spec + 6);
	} else if (strncmp(spec, "score<", 6) == 0) {
		char *end;
		double x = strtod(spec + 6, &end);
		if (*end || end == spec + 6) {
			review_say(r, 1, "filter: bad number '%s'", spec + 6);
			return 0;
		}
		r->score_below = x;
	} else if (status_parse_list(spec, &mask) == 0) {
		r->status_mask = mask;
	} else {
		review_say(r, 1, "filter: '%s'? (expected all, a status such as pending, label=PER or score<0.5)", spec);
		return 0;
	}
	if (review_refresh(r, err) < 0)
		return -1;
	review_say(r, 0, "%zu pairs", r->nids);
	return 0;
}

/* Search forward for text; an empty text searches for the last one again. */
int
review_find(struct review *r, const char *text, struct ferry_err *err)
{
	if (text[0])
		snprintf(r->search, sizeof r->search, "%s", text);
	return review_search(r, 1, err);
}

/* The session goes on after an edit the busy project refused. */
int
review_recover_busy(struct review *r, struct ferry_err *err)
{
	if (err->code != EX_TEMPFAIL)
		return 0;
	r->edits_busy++;
	review_say(r, 1, "%s (nothing was changed)", err->msg);
	store_rollback(r->st);
	err_clear(err);
	return 1;
}
