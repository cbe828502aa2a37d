/*
 * review-int.h — what the review session's files (review.c, review-view.c,
 * review-bulk.c) share and the views never see.
 */
#ifndef FERRY_REVIEW_INT_H
#define FERRY_REVIEW_INT_H

#include "ferry/review.h"

/* Load pair id with everything the matcher and the screen need into p (reused). */
int review_load_pair(struct review *r, int64_t id, struct pair *p, struct ferry_err *err);
/* Reload the pair on screen and its alternatives. */
int review_load_current(struct review *r, struct ferry_err *err);

/* Put the cursor on the selected entity: its projection, else its first aligned target token. */
void review_cursor_to_entity(struct review *r);

#endif
