/*
 * screen.h — an in-memory grid of terminal cells that the views draw on.
 *
 * Views never call curses: they draw here (tmux's grid/screen split), the
 * tty backend copies the grid to the terminal, and the scripted mode
 * (--keys --dump-screen) prints it.  Each cell holds one grapheme cluster
 * (or a visible escape) already measured by the text module; a wide
 * cluster is followed by a continuation cell of width 0.
 */
#ifndef FERRY_SCREEN_H
#define FERRY_SCREEN_H

#include <stdint.h>
#include <stdio.h>

#include "ferry/buf.h"
#include "ferry/text.h"

/* Theme elements: what a cell is, not how it looks. */
#define FERRY_ELEMENTS(X) \
	X(NORMAL, "normal") X(TITLE, "title") X(STATUS, "status") X(MESSAGE, "message") \
	X(ERROR, "error") X(CURSOR, "cursor") X(SELECTED, "selected") X(DIM, "dim") \
	X(LINK, "link") X(PINNED, "pinned") X(HELP, "help") X(EDIT, "edit") \
	X(HIT, "hit") X(CANDIDATE, "candidate") \
	X(LABEL1, "label1") X(LABEL2, "label2") X(LABEL3, "label3") X(LABEL4, "label4") \
	X(LABEL5, "label5") X(LABEL6, "label6")

enum elem {
#define X(id, name) ELEM_##id,
	FERRY_ELEMENTS(X)
#undef X
	ELEM_COUNT
};

const char *elem_name(enum elem e);
/* Returns the element or -1. */
int elem_parse(const char *name, size_t len);

struct scell {
	char    text[24];      /* UTF-8 of the cluster, or its escape; "" for a continuation */
	uint8_t width;         /* 0 for a continuation cell */
	uint8_t elem;
	int32_t token;         /* target token drawn here (for the mouse), or -1 */
};

struct screen {
	int cols, rows;
	struct scell *cells;
	int cur_x, cur_y;      /* where the hardware cursor goes */
};

void screen_init(struct screen *s, int cols, int rows);
void screen_release(struct screen *s);
void screen_clear(struct screen *s);
/* Fill [x, x+w) of row y with blanks of element e. */
void screen_fill(struct screen *s, int y, int x, int w, enum elem e);
/*
 * Draw UTF-8 text at (y, x), at most maxw columns, clusters whole (a wide
 * one that does not fit is not split), escapes visible, right-to-left runs
 * in visual order.  Returns the columns used.
 */
int screen_text(struct screen *s, int y, int x, int maxw, const char *t, size_t len, enum elem e);
/* The same for a NUL-terminated string. */
int screen_str(struct screen *s, int y, int x, int maxw, const char *t, enum elem e);
/* printf-style variant. */
int screen_printf(struct screen *s, int y, int x, int maxw, enum elem e, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Mark [x, x+w) of row y as showing target token `token` (mouse hits). */
void screen_tag(struct screen *s, int y, int x, int w, int32_t token);
int32_t screen_token_at(const struct screen *s, int y, int x);
/* Width in columns of UTF-8 text as screen_text draws it. */
int screen_width(const char *t, size_t len);
/*
 * Cut text into lines of at most w columns at its spaces (a word wider
 * than w gets a line of its own, to be cut when drawn); the lines' byte
 * ranges, without the spaces they were cut at, are appended to out.
 */
void screen_wrap(const char *t, size_t len, int w, struct text_ranges *out);
/* Print the grid as plain text, one line per row, trailing blanks removed. */
void screen_dump(const struct screen *s, FILE *fp);

#endif
