/*
 * view-help.c — the help view: every action with its keys and help text,
 * generated from the keymap (so a rebound key shows here too), and the
 * `:` commands from their table.  j/k scroll; any other key closes it.
 */
#include "view-int.h"

/* One action: its keys, name and help. */
static int
help_row(const struct list *l, struct screen *s, int y, int x, int w, size_t i)
{
	const struct keymap *km = l->arg;
	enum action a = (enum action)i;
	struct buf keys = BUF_INIT, line = BUF_INIT;

	keymap_keys_of(km, a, &keys);
	buf_addf(&line, "%-20s %-14s %s", keys.len ? keys.s : "(unbound)", action_name(a), action_help(a));
	int used = screen_text(s, y, x, w, line.s, line.len, ELEM_HELP);
	buf_release(&keys);
	buf_release(&line);
	return used;
}

/* Open the help at its first row. */
void
help_open(struct ui *u)
{
	list_init(&u->help, ACT_COUNT, -1, help_row, u->km);
	u->view = &view_help;
}

/* Title, the actions from the scroll position, the commands at the bottom. */
static void
help_draw(struct ui *u, struct screen *s)
{
	struct buf cmds = BUF_INIT;

	screen_fill(s, 0, 0, s->cols, ELEM_TITLE);
	screen_str(s, 0, 0, s->cols, " ferry help: keys (j/k scroll, q or ? closes)", ELEM_TITLE);
	list_draw_rows(&u->help, s, 1, s->rows - 2);
	screen_fill(s, s->rows - 1, 0, s->cols, ELEM_STATUS);
	buf_adds(&cmds, "commands: ");
	commands_list(&cmds, "  ");
	screen_text(s, s->rows - 1, 0, s->cols, cmds.s, cmds.len, ELEM_STATUS);
	buf_release(&cmds);
}

/* Scroll, or close. */
static int
help_request(struct ui *u, const struct request *rq, struct ferry_err *err)
{
	(void)err;
	switch (rq->act) {
	case ACT_SCROLL_DOWN:
		list_scroll(&u->help, 1);
		break;
	case ACT_SCROLL_UP:
		list_scroll(&u->help, -1);
		break;
	case ACT_RESIZE:
		return UI_UNHANDLED;
	default:
		u->view = &view_pair;
		break;
	}
	return UI_REDRAW;
}

/* The help has keys of its own. */
static enum key_mode
help_mode(const struct ui *u)
{
	(void)u;
	return KEYMODE_HELP;
}

const struct view_ops view_help = {
	.name = "help",
	.mode = help_mode,
	.draw = help_draw,
	.request = help_request,
};
