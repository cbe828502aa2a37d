/*
 * view-help.c — the help view: every action with its keys and help text,
 * generated from the keymap, so a rebound key shows here too.
 */
#include "ferry/view.h"

static void
help_draw(struct ui *u, struct screen *s)
{
	struct buf keys = BUF_INIT, line = BUF_INIT;
	int y = 1;

	screen_fill(s, 0, 0, s->cols, ELEM_TITLE);
	screen_str(s, 0, 0, s->cols, " ferry help: keys (j/k scroll, q or ? closes)", ELEM_TITLE);
	for (int a = u->help_top; a < ACT_COUNT && y < s->rows - 1; a++, y++) {
		buf_reset(&keys);
		keymap_keys_of(u->km, (enum action)a, &keys);
		buf_reset(&line);
		buf_addf(&line, "%-20s %-14s %s", keys.len ? keys.s : "(unbound)", action_name((enum action)a),
			 action_help((enum action)a));
		screen_text(s, y, 0, s->cols, line.s, line.len, ELEM_HELP);
	}
	screen_fill(s, s->rows - 1, 0, s->cols, ELEM_STATUS);
	screen_str(s, s->rows - 1, 0, s->cols, "commands: :N  :match pending  :accept-above X  :flag  :skip  "
		    ":reject  :pending  :filter F  :q", ELEM_STATUS);
	buf_release(&keys);
	buf_release(&line);
}

static int
help_key(struct ui *u, int key, struct ferry_err *err)
{
	(void)err;
	if (key == 'j' || key == KEY_DOWN_) {
		if (u->help_top + 1 < ACT_COUNT)
			u->help_top++;
	} else if (key == 'k' || key == KEY_UP_) {
		if (u->help_top > 0)
			u->help_top--;
	} else if (key == KEY_RESIZE_) {
		return UI_FULL_REDRAW;
	} else {
		u->view = &view_pair;
	}
	return UI_REDRAW;
}

const struct view_ops view_help = {
	.name = "help",
	.draw = help_draw,
	.key = help_key,
};

