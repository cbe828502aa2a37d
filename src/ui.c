/*
 * ui.c — the UI driver.  ui_draw has the current view draw the whole
 * screen; ui_key resolves a key once, through the keymap in the key mode
 * the view is in, hands the request to the view, and does what the view
 * hands back: redraw (Ctrl-L, a resize), help, quit.  A project held busy
 * past the lock timeout is a message rather than the end of the session.
 * ui_run_tty is that loop on the terminal (cmd-review.c runs the
 * scripted one).
 */
#include <string.h>

#include "ferry/tty.h"
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
	/* without it every letter beyond ASCII shows as an escape: say why, once */
	if (!text_locale_utf8())
		review_say(r, 1, "no UTF-8 locale: text shows as \\u{...} (try LANG=C.UTF-8)");
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
	/* a saved edit the busy project kept off the screen is shown first */
	int f = review_sync(u->r, err) < 0 ? -1 : u->view->request(u, &rq, err);

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

/* Progress of :match pending on the bottom row of the screen in u->progress_arg. */
static void
live_progress(struct ui *u, size_t done, size_t total)
{
	struct screen *s = u->progress_arg;
	int w = s->cols - 30;
	int fill = total ? (int)((double)w * (double)done / (double)total) : w;
	int y = s->rows - 1;

	screen_fill(s, y, 0, s->cols, ELEM_STATUS);
	screen_printf(s, y, 0, 28, ELEM_STATUS, "matching %zu/%zu", done, total);
	screen_fill(s, y, 28, fill, ELEM_SELECTED);
	tty_draw(s, 0);
}

/* Draw, read a key, act, until quit or a signal. */
int
ui_run_tty(struct ui *u, const struct theme *th, int mono, int mouse, struct ferry_err *err)
{
	struct screen s = { 0 };
	int cols = 0, rows = 0, full = 1, rc = 0;

	if (tty_open(th, mono, mouse, err) < 0)
		return -1;
	u->progress = live_progress;
	u->progress_arg = &s;
	for (;;) {
		int c, r, my = 0, mx = 0;
		tty_size(&c, &r);
		if (c != cols || r != rows) {
			screen_release(&s);
			screen_init(&s, c, r);
			cols = c;
			rows = r;
			full = 1;
		}
		ui_draw(u, &s);
		tty_draw(&s, full);
		full = 0;
		/* what opening left (the estimate's evidence), with the first screen already up */
		int settled = review_settle(u->r, err);
		if (settled < 0) {
			rc = -1;
			break;
		}
		if (settled)
			continue;
		int key = tty_key(&my, &mx);
		if (key < 0)
			break;
		if (key == KEYC_MOUSE) {
			int32_t tok = screen_token_at(&s, my, mx);
			if (tok >= 0)
				ui_click(u, (uint32_t)tok);
			continue;
		}
		int f = ui_key(u, key, err);
		if (f < 0) {
			rc = -1;
			break;
		}
		if (f & UI_QUIT)
			break;
		if (f & UI_FULL_REDRAW)
			full = 1;
	}
	u->progress = NULL;
	u->progress_arg = NULL;
	tty_close();
	screen_release(&s);
	return rc;
}
