/*
 * view.h — the review UI above the terminal: UI state, drawing onto a
 * screen grid, and key handling.  No curses here (tty.c does that).
 *
 * Redraw model: after every key the whole screen is drawn anew from the
 * review state into the grid; the tty backend hands it to curses, which
 * sends only what changed.  Views are tables of callbacks.
 */
#ifndef FERRY_VIEW_H
#define FERRY_VIEW_H

#include "ferry/keymap.h"
#include "ferry/review.h"
#include "ferry/screen.h"

enum ui_mode { MODE_NORMAL, MODE_EDIT, MODE_PROMPT };
enum prompt_kind { PROMPT_SEARCH, PROMPT_COMMAND, PROMPT_FILTER, PROMPT_LABEL, PROMPT_ADD };

/* What a key handler asks of the main loop. */
enum { UI_REDRAW = 1, UI_QUIT = 2, UI_FULL_REDRAW = 4 };

struct ui;

struct view_ops {
	const char *name;
	void (*draw)(struct ui *u, struct screen *s);
	int (*key)(struct ui *u, int key, struct ferry_err *err);
};

struct ui {
	struct review *r;
	const struct keymap *km;
	const struct view_ops *view;       /* the pair view or the help view */
	enum ui_mode mode;
	enum prompt_kind prompt;
	char   input[256];
	size_t input_len;
	int    align_view;                 /* 0 off, 1 links, 2 matrix */
	int    edit_entity;                /* -1: adding a span */
	uint32_t edit_start, edit_end;
	char   edit_label[FERRY_LABEL_MAX];
	int    help_top;
	void (*progress)(struct ui *u, size_t done, size_t total);   /* for :match pending */
	void  *progress_arg;
};

extern const struct view_ops view_pair, view_help;

void ui_init(struct ui *u, struct review *r, const struct keymap *km);
/* Draw the current view; a too-small terminal gets a message instead. */
void ui_draw(struct ui *u, struct screen *s);
/* Handle one key: UI_* flags, or -1 on an error that ends the session. */
int ui_key(struct ui *u, int key, struct ferry_err *err);

#define UI_MIN_COLS 40
#define UI_MIN_ROWS 12

#endif
