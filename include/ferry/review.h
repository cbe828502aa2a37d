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
 */
#ifndef FERRY_REVIEW_H
#define FERRY_REVIEW_H

#include <stdint.h>

#include "ferry/corpus.h"
#include "ferry/err.h"
#include "ferry/match.h"
#include "ferry/store.h"

struct review {
	ferry_store *st;
	char        *project;
	struct match_opts mo;
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

	/* the pair on screen */
	struct pair  p;
	struct match_out alts;           /* candidates per entity, best first */
	int          entity;             /* selected entity, -1 for none */
	uint32_t     cursor;             /* target token under the cursor */
	char         search[256];

	char         message[512];
	int          message_is_error;
	/* what this session's edits came to: saved, refused because another
	   reviewer or a match changed the pair first, or not done because the
	   project stayed busy past the lock timeout */
	int64_t      edits_saved, edits_refused, edits_busy;
};

int review_open(struct review *r, const char *project, struct ferry_err *err);
void review_close(struct review *r);

/* Rebuild the list of pairs (filter, order), staying on the same pair if it is listed. */
int review_refresh(struct review *r, struct ferry_err *err);
/* Show the pair at list position pos (clamped). */
int review_goto(struct review *r, size_t pos, struct ferry_err *err);
/* Go to pair id (its position in the list); -1 if it is not listed. */
int review_goto_id(struct review *r, int64_t id, struct ferry_err *err);
/* Next (dir 1) or previous (-1) pending pair; 0 when there is none. */
int review_next_pending(struct review *r, int dir, struct ferry_err *err);
/* Next/previous pair whose tokens contain the search text; 0 when none. */
int review_search(struct review *r, int dir, struct ferry_err *err);

/* The projection of entity e on screen, or NULL. */
const struct proj *review_projection(const struct review *r, int e);
/* Alternatives of entity e: pointer into r->alts, count in *n. */
const struct match_cand *review_alternatives(const struct review *r, int e, size_t *n);

/*
 * An edit that failed because the project stayed busy past the lock
 * timeout (err->code EX_TEMPFAIL) is not the end of the session: count
 * it, say so, roll the transaction back and clear err; returns 1.  Any
 * other error is left as it is; returns 0.
 */
int review_recover_busy(struct review *r, struct ferry_err *err);

/* Edits.  Each returns 0 (done, or refused with r->message set) or -1. */
int review_accept(struct review *r, struct ferry_err *err);
int review_reject(struct review *r, struct ferry_err *err);
int review_choose(struct review *r, int n, struct ferry_err *err);
int review_set_span(struct review *r, int e, uint32_t start, uint32_t end, const char *label,
		    struct ferry_err *err);
int review_delete(struct review *r, struct ferry_err *err);
int review_add(struct review *r, uint32_t start, uint32_t end, const char *label, struct ferry_err *err);
int review_no_counterpart(struct review *r, struct ferry_err *err);
int review_rerun(struct review *r, struct ferry_err *err);
int review_set_status(struct review *r, enum pair_status s, struct ferry_err *err);
int review_undo(struct review *r, int redo, struct ferry_err *err);
/* Accept every pending pair whose projections all score at least x: one undoable step. */
int review_accept_above(struct review *r, double x, struct ferry_err *err);
/* Re-run the matcher on every pending pair; progress(done, total, arg) after each batch. */
int review_match_pending(struct review *r, void (*progress)(size_t, size_t, void *), void *arg,
			 struct ferry_err *err);

void review_say(struct review *r, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
