/*
 * view.h — the review UI above the terminal: UI state, drawing onto a
 * screen grid, and requests.  No curses here (tty.c does that).
 *
 * Redraw model: after every key the whole screen is drawn anew from the
 * review state into the grid; the tty backend hands it to curses, which
 * sends only what changed.  Views are tables of callbacks (tig's
 * view_ops): the driver (ui.c) resolves each key once, through the
 * keymap and in the key mode the view is in, to a request; the view acts
 * on it and hands back what it does not handle (quit, redraw, help),
 * which the driver does.  Views read the model only through review.h's
 * functions.
 */
#ifndef FERRY_VIEW_H
#define FERRY_VIEW_H

#include "ferry/keymap.h"
#include "ferry/review.h"
#include "ferry/screen.h"
#include "ferry/theme.h"

enum ui_mode { MODE_NORMAL, MODE_EDIT, MODE_PROMPT, MODE_LABEL };
enum prompt_kind { PROMPT_SEARCH, PROMPT_COMMAND, PROMPT_FILTER, PROMPT_LABEL, PROMPT_ADD, PROMPT_KIND_COUNT };
/* What the alignment pane shows: nothing, each source token's links, a source x target matrix. */
enum align_view { ALIGN_OFF, ALIGN_LINKS, ALIGN_MATRIX, ALIGN_VIEW_COUNT };

/* What a request handler asks of the main loop; UI_UNHANDLED hands the request back. */
enum { UI_REDRAW = 1, UI_QUIT = 2, UI_FULL_REDRAW = 4, UI_UNHANDLED = 8 };

/*
 * The list widget (view-list.c, after tmux's mode-tree.c): items drawn by
 * a callback, one a row (the entity list, the help) or side by side on
 * one row (the alternatives), from `top`, with one item selected.
 */
struct list {
	size_t n;              /* items */
	size_t top;            /* the first item shown */
	long   sel;            /* the selected item, -1 for none */
	/* Draw item i at (y, x) in at most w columns; returns the columns used. */
	int  (*draw_item)(const struct list *l, struct screen *s, int y, int x, int w, size_t i);
	/* Columns item i takes (for list_flow_rows); NULL for lists drawn one item a row. */
	int  (*item_width)(const struct list *l, size_t i);
	const void *arg;       /* for draw_item */
};

void list_init(struct list *l, size_t n, long sel,
	       int (*draw_item)(const struct list *, struct screen *, int, int, int, size_t), const void *arg);
/* Scroll (only as far as needed) so the selected item is among `rows` rows. */
void list_show_selected(struct list *l, int rows);
/* Move the first item shown by delta, staying on an item. */
void list_scroll(struct list *l, long delta);
/* One item a row, in rows y .. y+rows-1 across the screen. */
void list_draw_rows(const struct list *l, struct screen *s, int y, int rows);
/* Items side by side on row y from column x while there is room; returns the column reached. */
int list_draw_flow(const struct list *l, struct screen *s, int y, int x);
/*
 * Items side by side from column x of a row cols wide, an item that does
 * not fit going onto the next row from column indent: the rows they take
 * (list_flow_rows, by item_width), and drawing them in at most rows rows
 * from row y (list_draw_wrapped).
 */
int list_flow_rows(const struct list *l, int cols, int x, int indent);
void list_draw_wrapped(const struct list *l, struct screen *s, int y, int x, int rows, int indent);

/*
 * The label picker (view-labels.c): what the picked label is for, and a
 * new label waiting for the reviewer's confirmation.
 */
enum pick_for {
	PICK_RELABEL,          /* the selected projection (t) */
	PICK_EDIT,             /* the span in the editor, saved with it (e ... t): one edit */
	PICK_ADD,              /* a span added by hand (+ ... Enter) */
};

struct label_pick {
	enum pick_for what;
	struct list list;      /* the tag set, then "a new label" */
	char confirm[FERRY_LABEL_MAX];   /* a new label typed, waiting for y; "" for none */
};

struct ui;

struct view_ops {
	const char *name;
	/* Which keys apply now. */
	enum key_mode (*mode)(const struct ui *u);
	void (*draw)(struct ui *u, struct screen *s);
	/* Act on a request: UI_* flags, or -1 on an error that ends the session. */
	int (*request)(struct ui *u, const struct request *rq, struct ferry_err *err);
};

struct ui {
	struct review *r;
	const struct keymap *km;
	const struct view_ops *view;       /* the pair view or the help view */
	enum ui_mode mode;
	enum prompt_kind prompt;
	char   input[256];
	size_t input_len;
	enum align_view align;
	int    edit_entity;                /* -1: adding a span */
	uint32_t edit_start, edit_end;
	struct label_pick pick;            /* MODE_LABEL */
	struct list help;                  /* the help view's rows */
	/* where the pair view is scrolled to, kept from one draw to the next:
	   the top rows of the panes and of the alignment view, its first
	   column; reset when another pair is shown */
	int64_t shown_pair;
	int    src_top, tgt_top, align_top, align_left;
	int    follow_cursor;              /* the source pane and the alignment view follow the
					      cursor's links rather than the selected entity */
	void (*progress)(struct ui *u, size_t done, size_t total);   /* for :match pending */
	void  *progress_arg;
};

extern const struct view_ops view_pair, view_help;

void ui_init(struct ui *u, struct review *r, const struct keymap *km);
/* Draw the current view; a too-small terminal gets a message instead. */
void ui_draw(struct ui *u, struct screen *s);
/* Handle one key: UI_* flags, or -1 on an error that ends the session. */
int ui_key(struct ui *u, int key, struct ferry_err *err);
/* A click on target token `token`: the cursor goes there. */
void ui_click(struct ui *u, uint32_t token);
/*
 * The session on the terminal, with theme th (attributes only when mono)
 * and mouse clicks when asked: draw, read a key, act, until quit or a
 * signal.  Returns 0, or -1 with err filled.
 */
int ui_run_tty(struct ui *u, const struct theme *th, int mono, int mouse, struct ferry_err *err);

#define UI_MIN_COLS 40
#define UI_MIN_ROWS 12

#endif
