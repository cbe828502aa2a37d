/*
 * review.h — the state of a review session and every reviewer action,
 * without a terminal: which pair, which entity, cursor, filter, order,
 * search, and the edits that go to the project file.
 *
 * Every edit is one transaction on the project (see store.h): the pins
 * and status change, the matcher re-runs on the pair with the decision
 * pinned, the projections are replaced, the log gets the state before and
 * after, and the lexicon learns from corrections.  A pair changed by
 * someone else since it was shown is refused with a message and reloaded.
 *
 * A pair that an edit leaves accepted or fixed is decided as a whole:
 * every entity the reviewer did not decide keeps the projection it shows
 * (or its having none) as a pin, so matching again, with any settings,
 * never changes a reviewed pair.  Flagged, skipped and rejected pairs
 * decide only what was pinned.
 */
#ifndef FERRY_REVIEW_H
#define FERRY_REVIEW_H

#include <stdint.h>

#include "ferry/buf.h"
#include "ferry/corpus.h"
#include "ferry/err.h"
#include "ferry/match.h"
#include "ferry/match-run.h"
#include "ferry/quality.h"
#include "ferry/store.h"

/* The model's own fields: the views read them through the functions below. */
struct review {
	ferry_store *st;
	char        *project;
	struct match_opts mo;
	struct match_plan plan;          /* the sources and their options, as the last match used */
	struct match_out *mos;           /* several sources: each one's answer (FERRY_SOURCES_MAX) */
	struct source_info *sources;     /* the project's sources (one for a single-source project) */
	size_t       nsources;
	match_ws    *ws;
	struct lexicon lex;

	/* which pairs, in which order */
	unsigned     status_mask;
	char         label[FERRY_LABEL_MAX];
	double       score_below;        /* < 0: no bound */
	enum review_order order;
	int64_t     *ids;
	size_t       nids, pos;
	int64_t      reviewed, total;
	int          counts_stale;       /* recount reviewed/total on the next load */
	int          matched;            /* the project has been matched (or :match pending ran) */

	/* the pair on screen */
	struct pair  p;
	char         comment[256];       /* a flagged pair's reason, "" for none */
	struct match_out alts;           /* candidates per entity, best first */
	int          entity;             /* selected entity, -1 for none */
	uint32_t     cursor;             /* target token under the cursor */
	char         search[256];

	/* the project's tag set, sorted (store_labels), and labels confirmed
	   as new in this session */
	struct label_count *labels;
	size_t       nlabels;

	char         message[512];
	int          message_is_error;
	int          reload;             /* saved, but not read back (project busy): review_sync() */
	int          accept_advances;    /* review_accept() goes on to the next pending pair */
	/* what this session's edits came to: saved, refused because another
	   reviewer or a match changed the pair first, or not done because the
	   project stayed busy past the lock timeout */
	int64_t      edits_saved, edits_refused, edits_busy;

	/* the estimate of the unreviewed projections' precision (quality.h), made again after each
	   edit: for its pair (quality_dirty > 0) or, after a bulk action or an undo, all (-1) */
	struct quality q;
	int64_t      quality_dirty;          /* QUALITY_AT_START: not read yet (review_settle) */

	/* adjudication: the reviewers' versions of the pair on screen and the disputed pairs (sorted) */
	int          adjudicate;
	struct layer_pair *versions;     /* FERRY_VERSIONS_MAX */
	size_t       nversions;
	int64_t     *disputed;
	size_t       ndisputed;
};

#define QUALITY_AT_START (-2)

/* The most reviewers' versions an adjudication shows of one pair. */
#define FERRY_VERSIONS_MAX 9

/* Open a session on project: in the shared state, or in reviewer layer `layer` (NULL: shared; store_use_layer). */
int review_open(struct review *r, const char *project, const char *layer, struct ferry_err *err);
/* The session's layer, NULL for the shared state. */
const char *review_layer(const struct review *r);
void review_close(struct review *r);

/*
 * Adjudication (`ferry review --adjudicate`, review-adjudicate.c): the
 * session, on the shared state, also shows each reviewer's version of
 * the pair on screen (the status and spans of their layer, when not
 * pending; the first FERRY_VERSIONS_MAX by name), and the pairs where two
 * or more reviewers decided differently (spans or labels) come first in
 * every order.  review_take() makes version k the shared pair's: its
 * status and pins, matched again, as one edit (action "take", undoable).
 * review_take_named() takes the version of reviewer name.  Both return
 * 0 (taken), 1 (nothing to take, or refused: said) or -1.
 */
int review_adjudicate(struct review *r, struct ferry_err *err);
int review_adjudicating(const struct review *r);
size_t review_ndisputed(const struct review *r);
int review_disputed(const struct review *r, int64_t id);
size_t review_nversions(const struct review *r);
const struct layer_pair *review_version(const struct review *r, size_t k);
int review_take(struct review *r, size_t k, struct ferry_err *err);
int review_take_named(struct review *r, const char *name, struct ferry_err *err);

/*
 * The reviewer's place: the pair, filter and order where this reviewer
 * ($FERRY_USER, else the login name) left off, kept in the project's
 * settings.  review_place_restore() goes back there: 1 when it did (and
 * says so), 0 when there is no place (or one that cannot be read: said),
 * -1 on error.  review_place_save() keeps where the session is now;
 * -1 on error (a busy project: EX_TEMPFAIL).
 */
int review_place_restore(struct review *r, struct ferry_err *err);
int review_place_save(struct review *r, struct ferry_err *err);

/* Rebuild the list of pairs (filter, order), staying on the same pair if it is listed. */
int review_refresh(struct review *r, struct ferry_err *err);
/* Show the pair at list position pos (clamped). */
int review_goto(struct review *r, size_t pos, struct ferry_err *err);
/* Go to pair id (its position in the list); -1 if it is not listed. */
int review_goto_id(struct review *r, int64_t id, struct ferry_err *err);
/* Next (dir 1) or previous (-1) pending pair; 0 when there is none. */
int review_next_pending(struct review *r, int dir, struct ferry_err *err);
/*
 * On to the next pending pair in the list after this one, from the top
 * of the list when there is none after it; the message (what was just
 * done) says where it went.  0, or -1 on error.
 */
int review_advance(struct review *r, struct ferry_err *err);
/* Read the pair on screen again if an edit was saved but could not be shown (before each key). */
int review_sync(struct review *r, struct ferry_err *err);
/* Next/previous pair whose tokens contain the search text; 0 when none. */
int review_search(struct review *r, int dir, struct ferry_err *err);

/* The projection of entity e on screen, or NULL. */
const struct proj *review_projection(const struct review *r, int e);
/* Alternatives of entity e: pointer into r->alts, count in *n. */
const struct match_cand *review_alternatives(const struct review *r, int e, size_t *n);

/*
 * The model as the views read it (review-view.c).  review_pair() is the pair on screen
 * (empty when the filter lists none); the caller must not keep it past
 * the next call that moves or edits.
 */
const char *review_project(const struct review *r);
size_t review_npairs(const struct review *r);
size_t review_pos(const struct review *r);
const struct pair *review_pair(const struct review *r);
int review_entity(const struct review *r);                 /* -1: none selected */
uint32_t review_cursor(const struct review *r);
void review_progress(const struct review *r, int64_t *reviewed, int64_t *total);
const char *review_order_name(const struct review *r);
/* The order in force. */
enum review_order review_current_order(const struct review *r);
/* Appends "all", or the statuses, label=L and score<X in force, to out. */
void review_describe_filter(const struct review *r, struct buf *out);
/* The message for the reviewer, "" for none. */
const char *review_message(const struct review *r, int *is_error);
void review_clear_message(struct review *r);
/*
 * The project's tag set, sorted: the labels of its source entities, its
 * target gold and its reviewers' spans (store_labels), and any label
 * confirmed as new since the session began (review_label_add).
 */
size_t review_nlabels(const struct review *r);
const char *review_label(const struct review *r, size_t i);
/* The index of label in the tag set, or -1. */
long review_label_find(const struct review *r, const char *label);
/* A label the reviewer confirmed as new joins the tag set (kept sorted). */
void review_label_add(struct review *r, const char *label);
/* Is entity e pinned as having no counterpart? */
int review_no_counterpart_pinned(const struct review *r, int e);
/* The reason the pair on screen is flagged for (:flag TEXT), "" for none. */
const char *review_comment(const struct review *r);
void review_edit_counts(const struct review *r, int64_t *saved, int64_t *refused, int64_t *busy);
/* Has the matcher never run on the pair on screen (nor on the project)? */
int review_never_matched(const struct review *r);
/* Several sources: the number of the project's sources (1: single-source) and the language of source id ("?" if none). */
size_t review_nsources(const struct review *r);
const char *review_source_lang(const struct review *r, int id);
/* The languages of the sources in mask (bit id each), space-separated, onto out. */
void review_sources_named(const struct review *r, uint32_t mask, struct buf *out);
/* The last search text ("" for none), for highlighting its hits. */
const char *review_search_text(const struct review *r);
/* The estimate of the unreviewed projections' precision (q->ok 0: none yet). */
const struct quality *review_quality(const struct review *r);
/*
 * Work left from opening the session, done once the first screen is up:
 * reading the evidence for the estimate.  1 when it did something (draw
 * again), 0 when there was nothing to do, -1 on error.
 */
int review_settle(struct review *r, struct ferry_err *err);
/* The matcher's settings in force (which links it reads, their weights). */
const struct match_opts *review_match_opts(const struct review *r);

/* Moving about: the cursor stays within the target, the selection within the entities. */
void review_move_cursor(struct review *r, int dir);
void review_set_cursor(struct review *r, uint32_t token);
/*
 * Select the next (dir > 0) or previous entity and put the cursor on its
 * projection, or on its first aligned target token when it has none.
 */
void review_move_entity(struct review *r, int dir);
/*
 * Jumps of the token cursor (w b 0 $): to the next or previous stop, or
 * to the first or last token.  The stops are where a reviewer has
 * something to look at: the first token of each projected span, and,
 * outside every span, the first token of each run of likely places for
 * a missed entity: target tokens aligned to a source entity, and words
 * aligned to nothing at all.  With no stop ahead, the cursor goes to the
 * last (first) token.  Always 0.
 */
enum cursor_jump { JUMP_FIRST, JUMP_PREV, JUMP_NEXT, JUMP_LAST };
int review_cursor_jump(struct review *r, int jump, struct ferry_err *err);
/* The next order (corpus, least margin, least score), said in the message. */
int review_next_order(struct review *r, struct ferry_err *err);
/*
 * Set the filter from what the reviewer typed: all (or nothing), a status
 * list such as pending,flagged, label=L or score<X.  A bad one is a
 * message (0), not an error.
 */
int review_set_filter(struct review *r, const char *spec, struct ferry_err *err);
/* Search forward for text (empty: the last search again); 0 when not found. */
int review_find(struct review *r, const char *text, struct ferry_err *err);

/*
 * An edit that failed because the project stayed busy past the lock
 * timeout (err->code EX_TEMPFAIL) is not the end of the session: count
 * it, say so, roll the transaction back and clear err; returns 1.  Any
 * other error is left as it is; returns 0.
 */
int review_recover_busy(struct review *r, struct ferry_err *err);

/*
 * Edits.  Each is one transaction and one undo step, and each returns 0
 * when it was saved, 1 when nothing was written (refused because someone
 * else changed the pair since it was shown, or nothing to do; the
 * message says which) or -1 on error.  The message after it is decided
 * in one place (review.c's edit()): what was saved, or the refusal.
 * review_accept() goes on to the next pending pair when accept_advances
 * is set (config `accept-advances`), but not after a refusal.
 */
int review_accept(struct review *r, struct ferry_err *err);
int review_reject(struct review *r, struct ferry_err *err);
int review_choose(struct review *r, int n, struct ferry_err *err);
/* Entity e's span is [start, end) with label (NULL or "": the entity's): one step. */
int review_set_span(struct review *r, int e, uint32_t start, uint32_t end, const char *label,
		    struct ferry_err *err);
/*
 * The selected entity's span becomes [start, end) and, in the same step
 * (one transaction, one undo), its label becomes label (NULL or "": the
 * label it shows now): the span editor's save with the label picker's
 * choice.
 */
int review_edit_span(struct review *r, uint32_t start, uint32_t end, const char *label, struct ferry_err *err);
int review_delete(struct review *r, struct ferry_err *err);
int review_add(struct review *r, uint32_t start, uint32_t end, const char *label, struct ferry_err *err);
int review_no_counterpart(struct review *r, struct ferry_err *err);
int review_rerun(struct review *r, struct ferry_err *err);
int review_set_status(struct review *r, enum pair_status s, struct ferry_err *err);
/*
 * Flag the pair with comment as its reason (NULL or "": none, or the one
 * it has when it is flagged already).  The reason is kept in the log
 * entry (store.h), shown on the pair while it stays flagged, in `ferry
 * log` and in `ferry export --format jsonl`; undoing the flag takes it
 * away.
 */
int review_flag(struct review *r, const char *comment, struct ferry_err *err);
int review_undo(struct review *r, int redo, struct ferry_err *err);
/*
 * Accept every pending pair whose projections all score at least x (estimated: whose estimated
 * probability of being right, review_quality, is at least x): one undoable step.
 */
int review_accept_above(struct review *r, double x, int estimated, struct ferry_err *err);
/* Re-run the matcher on every pending pair; progress(done, total, arg) after each batch. */
int review_match_pending(struct review *r, void (*progress)(size_t, size_t, void *), void *arg,
			 struct ferry_err *err);

void review_say(struct review *r, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
