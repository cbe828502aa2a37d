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

/* ---- panes of tokens (view-pane.c) ---- */

/* A labelled range of a token sequence to draw: an entity or a projection. */
struct mark {
	uint32_t start, end;
	const char *label;
	int selected, pinned;
	enum elem color;            /* its label's (label_elem) */
};

/* A pane of tokens: what it shows and how. */
struct pane {
	const struct toks *t;
	const struct mark *m;
	size_t nm;
	long cursor;                /* token with the cursor, -1: none */
	long edit_a, edit_b;        /* the span being edited [a, b), -1: none */
	long cand_a, cand_b;        /* the alternative under the cursor [a, b), -1: none */
	const char *hit;            /* search text, its tokens highlighted; NULL: none */
	int rtl;                    /* the sentence reads right to left */
	int tag;                    /* tag cells with their tokens (for the mouse) */
};

/* Where a token goes in a pane: column and row in the pane, width with its marks. */
struct placed {
	int x, y, w;
	uint8_t odd;                /* read right to left: brackets mirrored */
	uint8_t hit;                /* the search text is on it */
};

/* A pane's tokens laid out in w columns, rows rows (view-pane.c's opening comment). */
struct pane_layout {
	struct placed *pl;
	int rows, w;
};

/* Lay the pane out in w columns (lay is the caller's, freed with pane_layout_release). */
void pane_layout(const struct pane *p, int w, struct pane_layout *lay);
void pane_layout_release(struct pane_layout *lay);
/* The row token i is on. */
int pane_row(const struct pane_layout *lay, const struct pane *p, long i);
/* The top row that shows rows a..b of total in rows rows (a when they do not all fit), moved from top no more than needed. */
int pane_scroll(int top, int rows, int total, int a, int b);
/* Draw rows top .. top+rows-1 of the layout at (y, x). */
void pane_draw(struct screen *s, const struct pane *p, const struct pane_layout *lay, int y, int x, int top,
	       int rows);
/* The token next to token cur on screen, to the left (dir < 0) or right, in the sentence's bidi order. */
uint32_t pane_visual_step(const struct toks *t, uint32_t cur, int dir);

/* ---- the pair view (view-pair.c), its lists (view-entities.c) and alignment view (view-align.c) ---- */

/* The alternatives keys 1-9 pick. */
#define ALTS_ON_KEYS 9

/* The alternative the cursor is on, off the selected projection (the shortest such), or -1. */
long alternative_under_cursor(const struct review *r);
/* The entity list in rows y .. y+rows-1, after its header row when asked (or when the pair was never matched). */
void entities_draw(const struct review *r, struct screen *s, int y, int rows, int header);
/* The alternatives from row y, wrapped, in at most rows rows. */
void alternatives_draw(const struct review *r, struct screen *s, int y, int rows);
/* The rows the alternatives want on a screen cols wide. */
int alternatives_rows(const struct review *r, int cols);

/*
 * The token cursor has moved (to review_cursor()): the target pane
 * scrolls to show it, and the source pane and the alignment view follow
 * the source tokens it is linked to, on the next draw.  For whatever
 * moves the cursor (h/l and the word and line jumps).
 */
void pair_show_cursor(struct ui *u);
/* The alignment view in rows y .. y+rows-1, scrolled to the selected entity (or the cursor's links). */
void align_draw(struct ui *u, struct screen *s, int y, int rows);
/* What the alignment view shows now, for the message of m. */
const char *align_describe(const struct ui *u);

#endif
