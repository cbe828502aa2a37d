/*
 * review-view.c — the review session as the views see it: accessors for
 * what is on screen (the pair, position, selection, cursor, counts,
 * filter, message) and for the project's tag set, and the moves that
 * change only which pair or token is shown (cursor and its jumps,
 * selection, order, filter, search); and going on
 * after a busy project refused an edit.  No edits here: those are
 * review.c's, each one transaction.  The UI reads the model only through
 * these, so it never reaches the store or the CLI.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/mem.h"
#include "ferry/review.h"
#include "review-int.h"

static const char *const order_names[ORDER_COUNT] = { "corpus", "least margin", "least score", "sample" };

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
const struct quality *
review_quality(const struct review *r)
{
	return &r->q;
}

const char *
review_order_name(const struct review *r)
{
	return order_names[r->order];
}

enum review_order
review_current_order(const struct review *r)
{
	return r->order;
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

/* How many labels the tag set has. */
size_t
review_nlabels(const struct review *r)
{
	return r->nlabels;
}

/* Label i of the tag set (sorted). */
const char *
review_label(const struct review *r, size_t i)
{
	return i < r->nlabels ? r->labels[i].label : "";
}

/* Where label is in the tag set, or -1 (a binary search: the set is sorted). */
long
review_label_find(const struct review *r, const char *label)
{
	size_t lo = 0, hi = r->nlabels;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(r->labels[mid].label, label);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* A new label joins the tag set in its sorted place. */
void
review_label_add(struct review *r, const char *label)
{
	size_t i = 0;

	if (!label[0] || review_label_find(r, label) >= 0)
		return;
	while (i < r->nlabels && strcmp(r->labels[i].label, label) < 0)
		i++;
	r->labels = xrealloc(r->labels, (r->nlabels + 1) * sizeof *r->labels);
	memmove(r->labels + i + 1, r->labels + i, (r->nlabels - i) * sizeof *r->labels);
	memset(&r->labels[i], 0, sizeof r->labels[i]);
	snprintf(r->labels[i].label, sizeof r->labels[i].label, "%s", label);
	r->nlabels++;
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

const char *
review_layer(const struct review *r)
{
	return store_layer(r->st);
}

size_t
review_nsources(const struct review *r)
{
	return r->nsources;
}

const char *
review_source_lang(const struct review *r, int id)
{
	for (size_t i = 0; i < r->nsources; i++)
		if (r->sources[i].id == id)
			return r->sources[i].lang;
	return "?";
}

void
review_sources_named(const struct review *r, uint32_t mask, struct buf *out)
{
	int first = 1;

	for (size_t i = 0; i < r->nsources; i++)
		if (mask >> r->sources[i].id & 1) {
			buf_addf(out, "%s%s", first ? "" : " ", r->sources[i].lang);
			first = 0;
		}
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

/* The links a reviewer sees: the symmetrised ones when there are reverse links, else the forward. */
static const struct links *
seen_links(const struct pair *p)
{
	return p->has_rev ? &p->sym : &p->fwd;
}

/* The first target token aligned to entity e, or -1 (the symmetrised links, else either direction). */
static long
first_aligned(const struct pair *p, int e)
{
	const struct links *sets[3] = { seen_links(p), &p->fwd, &p->rev };
	const struct span *s = &p->ents.v[e];

	for (int k = 0; k < 3; k++) {
		long best = -1;
		for (size_t i = 0; i < sets[k]->n; i++) {
			const struct link *l = &sets[k]->v[i];
			if (l->s >= s->start && l->s < s->end && l->t < p->tgt.n && (best < 0 || l->t < best))
				best = l->t;
		}
		if (best >= 0)
			return best;
	}
	return -1;
}

/* The cursor to the selected entity: its projection, else its first aligned token; else it stays. */
void
review_cursor_to_entity(struct review *r)
{
	const struct proj *pr = review_projection(r, r->entity);
	long t = pr ? (long)pr->span.start : r->entity >= 0 ? first_aligned(&r->p, r->entity) : -1;

	if (t >= 0)
		r->cursor = (uint32_t)t;
}

/* Select the next (dir > 0) or previous entity; the cursor goes to it. */
void
review_move_entity(struct review *r, int dir)
{
	if (dir > 0 && r->entity + 1 < (int)r->p.ents.n)
		r->entity++;
	else if (dir < 0 && r->entity > 0)
		r->entity--;
	review_cursor_to_entity(r);
}

/* Does token j of t hold a letter or digit (any non-ASCII byte counts), not only punctuation? */
static int
wordlike(const struct toks *t, uint32_t j)
{
	size_t len;
	const char *w = toks_get(t, j, &len);

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)w[i];
		if (c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
			return 1;
	}
	return 0;
}

/*
 * The stops of w and b (review.h), as flags per target token: each
 * span's first token, and outside every span the first of each run of
 * likely places for a missed entity: tokens aligned to a source entity,
 * and words no link of any direction reaches.  The caller frees.
 */
static unsigned char *
cursor_stops(const struct pair *p)
{
	uint32_t n = p->tgt.n;
	/* per token: 1 in a span; 2 aligned to an entity; 4 aligned at all */
	unsigned char *tok = xcalloc((size_t)n + 1, 1), *stop = xcalloc((size_t)n + 1, 1);
	const struct links *l = seen_links(p);

	for (size_t i = 0; i < p->proj.n; i++) {
		const struct span *sp = &p->proj.v[i].span;
		for (uint32_t j = sp->start; j < sp->end && j < n; j++)
			tok[j] |= 1;
		if (sp->start < n)
			stop[sp->start] = 1;
	}
	for (size_t i = 0; i < l->n; i++)
		for (size_t e = 0; e < p->ents.n && l->v[i].t < n; e++)
			if (l->v[i].s >= p->ents.v[e].start && l->v[i].s < p->ents.v[e].end)
				tok[l->v[i].t] |= 2;
	/* aligned to nothing: by no link of either direction either */
	const struct links *all[3] = { l, &p->fwd, &p->rev };
	for (int k = 0; k < 3; k++)
		for (size_t i = 0; i < all[k]->n; i++)
			if (all[k]->v[i].t < n)
				tok[all[k]->v[i].t] |= 4;
	for (uint32_t j = 0, in_run = 0; j < n; j++) {
		int likely = !(tok[j] & 1) && ((tok[j] & 2) || (!(tok[j] & 4) && wordlike(&p->tgt, j)));
		if (likely && !in_run)
			stop[j] = 1;
		in_run = (uint32_t)likely;
	}
	free(tok);
	return stop;
}

/* w b 0 $: the token cursor to the next or previous stop, or to an end. */
int
review_cursor_jump(struct review *r, int jump, struct ferry_err *err)
{
	uint32_t n = r->p.tgt.n, c = r->cursor;

	(void)err;
	if (n == 0)
		return 0;
	if (jump == JUMP_FIRST || jump == JUMP_LAST) {
		r->cursor = jump == JUMP_FIRST ? 0 : n - 1;
		return 0;
	}
	unsigned char *stop = cursor_stops(&r->p);
	if (jump == JUMP_NEXT) {
		for (c++; c < n && !stop[c]; c++)
			;
		r->cursor = c < n ? c : n - 1;
	} else {
		while (c > 0 && !stop[--c])
			;
		r->cursor = c;
	}
	free(stop);
	return 0;
}

/* The next order (corpus, least margin, least score, sample, corpus, ...). */
int
review_next_order(struct review *r, struct ferry_err *err)
{
	r->order = (enum review_order)((r->order + 1) % ORDER_COUNT);
	if (review_refresh(r, err) < 0)
		return -1;
	if (r->order == ORDER_CORPUS) {
		review_say(r, 0, "order: corpus");
		return 0;
	}
	/* a ranked order starts at its top: the pair most in need of a look */
	if (review_goto(r, 0, err) < 0)
		return -1;
	if (r->order == ORDER_SAMPLE)
		review_say(r, 0, "order: sample (pending pairs at random, so the estimate from them is unbiased)");
	else
		review_say(r, 0, "order: %s (pending pairs with entities first, the rest after)",
			   order_names[r->order]);
	return 0;
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
		if (!(x >= 0 && x <= 1)) {
			review_say(r, 1, "filter: scores are from 0 to 1 (expected e.g. score<0.5)");
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
