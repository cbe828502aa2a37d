/*
 * view-int.h — what the UI's files (ui.c, view-*.c) share among
 * themselves and nobody else: the prompt line and its `:` commands
 * (view-prompt.c) and opening the help (view-help.c).
 */
#ifndef FERRY_VIEW_INT_H
#define FERRY_VIEW_INT_H

#include "ferry/view.h"

/* A review call's result (0 or more: done, -1: error) as UI flags. */
static inline int
redraw_unless_error(int rc)
{
	return rc < 0 ? -1 : UI_REDRAW;
}

/* Open the prompt line of kind k with init already typed. */
void prompt_open(struct ui *u, enum prompt_kind k, const char *init);
/* Draw the open prompt and its input on row y, the cursor after them. */
void prompt_draw(const struct ui *u, struct screen *s, int y);
/* A request while the prompt is open: typing, erasing, submitting, cancelling. */
int prompt_request(struct ui *u, const struct request *rq, struct ferry_err *err);
/* The `:` commands as they are typed (":N", ":accept-above X", ...), joined by sep, onto out. */
void commands_list(struct buf *out, const char *sep);

/* Show the help view from its first row. */
void help_open(struct ui *u);

#endif
