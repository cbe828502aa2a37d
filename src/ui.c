/*
 * ui.c — the UI driver.  ui_draw has the current view draw the whole
 * screen; ui_key resolves a key once, through the keymap in the key mode
 * the view is in, hands the request to the view, and does what the view
 * hands back: redraw (Ctrl-L, a resize), help, quit.  A project held busy
 * past the lock timeout is a message rather than the end of the session.
 */
#include <string.h>

#include "view-int.h"

/* A UI on review r with keymap km, in the pair view. */
void
ui_init(struct ui *u, struct review *r, const struct keymap *km)
{
	memset(u, 0, sizeof *u);
	u->r = r;
	u->km = km;
	u->view = &view_pair;
	u->align = ALIGN_OFF;
	u->edit_entity = -1;
}

/* The whole screen, anew. */
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

/* What no view handles itself. */
static int
ui_request(struct ui *u, const struct request *rq)
{
	switch (rq->act) {
	case ACT_RESIZE:
	case ACT_REDRAW:
		return UI_FULL_REDRAW;
	case ACT_QUIT:
		return UI_QUIT;
	case ACT_HELP:
		help_open(u);
		return UI_REDRAW;
	default:
		return UI_REDRAW;
	}
}

/* One key: resolved, handed to the view, then to the driver if the view hands it back. */
int
ui_key(struct ui *u, int key, struct ferry_err *err)
{
	struct request rq = keymap_resolve(u->km, u->view->mode(u), key);
	int f = u->view->request(u, &rq, err);

	if (f >= 0 && (f & UI_UNHANDLED))
		f = ui_request(u, &rq);
	if (f < 0 && review_recover_busy(u->r, err))
		return UI_REDRAW;
	return f;
}

/* A mouse click on a token. */
void
ui_click(struct ui *u, uint32_t token)
{
	review_set_cursor(u->r, token);
}
