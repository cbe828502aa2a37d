/*
 * view-help.c — the help view: every action with its keys and help text,
 * generated from the keymap (so a rebound key shows here too), the `:`
 * commands from their table, and how to read the pair view.  Its text is
 * wrapped into the screen's width on every draw (help text under its own
 * column, or under the keys when the screen is narrow), so nothing is
 * cut; j/k scroll; any other key closes it.
 */
#include <stdlib.h>
#include <string.h>

#include "ferry/mem.h"
#include "view-int.h"

/* How to read what the pair view shows, after the keys. */
static const char *const reading[] = {
	"[PER Anna Becker]  a span and its label; * after it: pinned by a reviewer",
	"@12, @12-14  where a span is, as token numbers counted from 1 (alternatives, and a projection "
	"whose words occur twice)",
	">3  the alternative the cursor is on, also highlighted in the target pane",
	"alignment view (m): # a link in both directions; + a link in one direction only, which the "
	"matcher weighs less (its one_way weight)",
	"right-to-left text: spans read from their label on, the opening bracket at the right; h/l and "
	"the span editor's keys move as on screen",
	"source (rows 3-8 of 12)  a pane scrolled: it follows the cursor and the selected entity",
};

/* The help's lines for one width: all the text, and where each line is in it. */
struct help_text {
	struct buf text;
	struct text_ranges lines;
	struct buf indent;       /* per line: columns to indent it by */
};

/* Add one line, indented by ind. */
static void
add_line(struct help_text *h, const char *s, size_t len, int ind)
{
	VEC_GROW(h->lines.v, h->lines.cap, h->lines.n + 1);
	h->lines.v[h->lines.n++] = (struct text_range){ h->text.len, len };
	buf_add(&h->text, s, len);
	buf_addc(&h->indent, (char)ind);
}

/* Add s wrapped into w columns from column ind; first, when not NULL, goes before its first line. */
static void
add_wrapped(struct help_text *h, const char *first, const char *s, size_t len, int w, int ind)
{
	struct text_ranges r = { 0 };
	struct buf line = BUF_INIT;

	screen_wrap(s, len, w - ind > 10 ? w - ind : 10, &r);
	for (size_t i = 0; i < r.n; i++) {
		buf_reset(&line);
		if (i == 0 && first)
			buf_adds(&line, first);
		buf_add(&line, s + r.v[i].off, r.v[i].len);
		add_line(h, line.s, line.len, i == 0 && first ? 0 : ind);
	}
	buf_release(&line);
	text_ranges_release(&r);
}

/* Every action, the commands and the notes, wrapped into w columns. */
static void
help_build(const struct keymap *km, int w, struct help_text *h)
{
	struct buf keys = BUF_INIT, head = BUF_INIT;
	int wide = w >= 60, col = wide ? 36 : 4;

	for (int a = 0; a < ACT_COUNT; a++) {
		const char *help = action_help((enum action)a);
		buf_reset(&keys);
		buf_reset(&head);
		keymap_keys_of(km, (enum action)a, &keys);
		buf_addf(&head, wide ? "%-20s %-14s " : "%s  %s", keys.len ? keys.s : "(unbound)",
			 action_name((enum action)a));
		if (!wide || head.len > (size_t)col) {
			add_line(h, head.s, head.len, 0);
			add_wrapped(h, NULL, help, strlen(help), w, col);
		} else {
			while (head.len < (size_t)col)
				buf_addc(&head, ' ');
			add_wrapped(h, buf_cstr(&head), help, strlen(help), w, col);
		}
	}
	buf_reset(&keys);
	commands_list(&keys, "  ");
	add_line(h, "", 0, 0);
	add_wrapped(h, "commands: ", keys.s, keys.len, w, 2);
	add_line(h, "", 0, 0);
	add_line(h, "reading the pair view:", 22, 0);
	for (size_t i = 0; i < sizeof reading / sizeof *reading; i++)
		add_wrapped(h, "  ", reading[i], strlen(reading[i]), w, 4);
	buf_release(&keys);
	buf_release(&head);
}

/* One line of the help. */
static int
help_row(const struct list *l, struct screen *s, int y, int x, int w, size_t i)
{
	const struct help_text *h = l->arg;
	int ind = h->indent.s[i];

	return ind + screen_text(s, y, x + ind, w - ind, h->text.s + h->lines.v[i].off, h->lines.v[i].len, ELEM_HELP);
}

/* Open the help at its first row. */
void
help_open(struct ui *u)
{
	list_init(&u->help, 0, -1, help_row, NULL);
	u->view = &view_help;
}

/* Title, the lines from the scroll position, where they are at the bottom. */
static void
help_draw(struct ui *u, struct screen *s)
{
	struct help_text h = { BUF_INIT, { 0 }, BUF_INIT };
	int rows = s->rows - 2;

	help_build(u->km, s->cols, &h);
	u->help.n = h.lines.n;
	u->help.arg = &h;
	if (u->help.top + (size_t)rows > u->help.n)
		u->help.top = u->help.n > (size_t)rows ? u->help.n - (size_t)rows : 0;
	screen_fill(s, 0, 0, s->cols, ELEM_TITLE);
	screen_str(s, 0, 0, s->cols, " ferry help: keys (j/k scroll, q or ? closes)", ELEM_TITLE);
	list_draw_rows(&u->help, s, 1, rows);
	screen_fill(s, s->rows - 1, 0, s->cols, ELEM_STATUS);
	screen_printf(s, s->rows - 1, 0, s->cols, ELEM_STATUS, "lines %zu-%zu of %zu%s", u->help.top + 1,
		      u->help.top + (size_t)rows < u->help.n ? u->help.top + (size_t)rows : u->help.n, u->help.n,
		      u->help.top + (size_t)rows < u->help.n ? " (j scrolls on)" : "");
	u->help.arg = NULL;
	buf_release(&h.text);
	buf_release(&h.indent);
	text_ranges_release(&h.lines);
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
