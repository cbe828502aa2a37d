/*
 * ui.c — the UI driver: the current view draws the whole screen, keys go
 * to the current view, and a project held busy past the lock timeout is
 * a message rather than the end of the session.
 */
#include <string.h>

#include "ferry/view.h"

void
ui_init(struct ui *u, struct review *r, const struct keymap *km)
{
	memset(u, 0, sizeof *u);
	u->r = r;
	u->km = km;
	u->view = &view_pair;
	u->edit_entity = -1;
}

void
ui_draw(struct ui *u, struct screen *s)
{
	screen_clear(s);
	if (s->cols < UI_MIN_COLS || s->rows < UI_MIN_ROWS) {
		screen_printf(s, 0, 0, s->cols, ELEM_ERROR, "terminal too small");
		screen_printf(s, 1, 0, s->cols, ELEM_NORMAL, "%dx%d, need %dx%d", s->cols, s->rows,
			      UI_MIN_COLS, UI_MIN_ROWS);
		return;
	}
	u->view->draw(u, s);
}

int
ui_key(struct ui *u, int key, struct ferry_err *err)
{
	int f = u->view->key(u, key, err);

	if (f < 0 && review_recover_busy(u->r, err))
		return UI_REDRAW;
	return f;
}
