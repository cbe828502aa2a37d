/*
 * review-int.h — what the review session's files (review.c, review-view.c,
 * review-bulk.c, review-undo.c) share and the views never see.
 */
#ifndef FERRY_REVIEW_INT_H
#define FERRY_REVIEW_INT_H

#include "ferry/review.h"

/* Load pair id with everything the matcher and the screen need into p (reused). */
int review_load_pair(struct review *r, int64_t id, struct pair *p, struct ferry_err *err);
/* Reload the pair on screen and its alternatives. */
int review_load_current(struct review *r, struct ferry_err *err);
/* Make pair id the one on screen (not loaded yet) if the list has it; 1 when it does. */
int review_place(struct review *r, int64_t id);

/*
 * Inside an edit's transaction (review.c, review-bulk.c): re-run the
 * matcher on pair id and store its projections, pinning whatever is
 * undecided first when freeze (a pair that becomes accepted or fixed);
 * teach the lexicon e -> [a, b) of p (recorded in after for undo); log
 * the action and commit.
 */
int review_rematch(struct review *r, int64_t id, int freeze, struct ferry_err *err);
int review_learn_pair(struct review *r, const struct pair *p, int e, uint32_t a, uint32_t b,
		      const char *label, struct undo_state *after, struct ferry_err *err);
int review_log_commit(struct review *r, int64_t pair, const char *action, const struct undo_state *before,
		      const struct undo_state *after, struct ferry_err *err);
/* Pair (0: any number of pairs) changed: the estimate is made again when the pair on screen is next loaded. */
void review_quality_dirty(struct review *r, int64_t pair);
/* Read the lexicon again into the session. */
int review_lexicon_reload(struct review *r, struct ferry_err *err);
/*
 * After a commit: count the action saved, reload the pair on screen
 * (and the lexicon when asked) and say `said`; 0, or -1 on an error
 * other than a busy project.
 */
int review_saved(struct review *r, const char *said, int lexicon, struct ferry_err *err);

/*
 * One edit of the pair on screen whose pins and status become those of
 * ps (the matcher re-run on them), logged as action; the message says it
 * is as `from` had it.  0 saved, 1 refused, -1.
 */
int review_edit_state(struct review *r, const char *action, const struct pair_state *ps, const char *from,
		      struct ferry_err *err);
/* Adjudication (review-adjudicate.c): the versions of the pair on screen, the disputed pairs first in the list. */
int review_versions_load(struct review *r, struct ferry_err *err);
void review_versions_release(struct review *r);
void review_disputed_first(struct review *r);

/* Put the cursor on the selected entity: its projection, else its first aligned target token. */
void review_cursor_to_entity(struct review *r);

#endif
