/*
 * view-int.h — what the UI's files (ui.c, view-*.c) share among
 * themselves and nobody else: the prompt line and its `:` commands
 * (view-prompt.c), the label picker and the colours of labels
 * (view-labels.c) and opening the help (view-help.c).
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

/* The theme's slot for a label (its place in the tag set). */
enum elem label_elem(const struct review *r, const char *label);
/* Open the label picker for the selected projection, the edited span or a new span. */
void labels_open(struct ui *u, enum pick_for what);
/* Draw the open picker over the lower rows and its keys on the bottom row. */
void labels_draw(struct ui *u, struct screen *s);
/* A request while the picker is open. */
int labels_request(struct ui *u, const struct request *rq, struct ferry_err *err);
/* A label typed on the prompt line: saved if the project has it, else asked about. */
int labels_typed(struct ui *u, const char *in, struct ferry_err *err);

/* Show the help view from its first row. */
void help_open(struct ui *u);

#endif
