/* check_ui.c — keys, keymap config, themes and the screen grid (no terminal). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_ferry.h"
#include "ferry/import.h"
#include "ferry/keymap.h"
#include "ferry/review.h"
#include "ferry/screen.h"
#include "ferry/theme.h"
#include "ferry/view.h"

static const char *
label_of(int key)
{
	static struct buf b;

	buf_reset(&b);
	key_label(key, &b);
	return buf_cstr(&b);
}

START_TEST(key_names)
{
	int k;

	ck_assert_uint_eq(key_parse("<C-r>", 5, &k), 5);
	ck_assert_int_eq(k, 0x12);
	ck_assert_uint_eq(key_parse("<Enter>x", 8, &k), 7);
	ck_assert_int_eq(k, KEYC_ENTER);
	ck_assert_uint_eq(key_parse("<lt>", 4, &k), 4);
	ck_assert_int_eq(k, '<');
	ck_assert_uint_eq(key_parse("\xc3\xa4", 2, &k), 2);
	ck_assert_int_eq(k, 0xe4);
	ck_assert_uint_eq(key_parse("<Nope>", 6, &k), 0);
	ck_assert_str_eq(label_of(KEYC_CTRL('l')), "<C-l>");
	ck_assert_str_eq(label_of(KEYC_PGDN), "<PageDown>");
	ck_assert_str_eq(label_of('<'), "<lt>");
	ck_assert_str_eq(label_of('q'), "q");
}
END_TEST

START_TEST(key_scripts)
{
	struct ferry_err err;
	int *keys;
	size_t n;

	ck_assert_int_eq(keys_parse_script("ab<Enter>\n<C-r><lt>", 19, "k", &keys, &n, &err), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(keys[2], KEYC_ENTER);
	ck_assert_int_eq(keys[3], 0x12);
	ck_assert_int_eq(keys[4], '<');
	free(keys);
	ck_assert_int_eq(keys_parse_script("a\nb<Bogus>", 10, "k", &keys, &n, &err), -1);
	ck_assert_str_eq(err.msg, "k:2:2: unknown key '<Bogus>' (expected a character, <lt> for '<', or a tmux "
			 "key name such as <Enter> or <C-r>)");
	free(keys);
	/* control characters and broken UTF-8 are named, not typed (found by
	   fuzz_keys: a NUL byte became a key no name could give back) */
	ck_assert_int_eq(keys_parse_script("a\0b>", 4, "k", &keys, &n, &err), -1);
	ck_assert_str_eq(err.msg, "k:1:2: unknown key '\\x00' (expected a character, <lt> for '<', or a tmux "
			 "key name such as <Enter> or <C-r>)");
	free(keys);
	ck_assert_int_eq(keys_parse_script("\xc3(", 2, "k", &keys, &n, &err), -1);
	ck_assert_str_eq(err.msg, "k:1:1: unknown key '\\xc3' (expected a character, <lt> for '<', or a tmux "
			 "key name such as <Enter> or <C-r>)");
	free(keys);
	/* CRLF line ends are line ends */
	ck_assert_int_eq(keys_parse_script("a\r\n\xc3\xa9", 5, "k", &keys, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(keys[1], 0xe9);
	free(keys);
}
END_TEST

START_TEST(keymap_config)
{
	struct keymap km;
	struct ferry_err err;
	struct buf b = BUF_INIT;
	const char *cfg = "# comment\nbind <C-n> pair-next\nunbind ]\nmouse on\ntheme light\naccept-advances off\n";

	keymap_init(&km);
	ck_assert_int_eq(km.accept_advances, 1);
	ck_assert_int_eq(keymap_lookup(&km, 'a'), ACT_ACCEPT);
	ck_assert_int_eq(keymap_lookup(&km, KEYC_CTRL('r')), ACT_REDO);
	ck_assert_int_eq(keymap_load(&km, cfg, strlen(cfg), "config", &err), 0);
	ck_assert_int_eq(keymap_lookup(&km, KEYC_CTRL('n')), ACT_PAIR_NEXT);
	ck_assert_int_eq(keymap_lookup(&km, ']'), ACT_NONE);
	ck_assert_int_eq(km.mouse, 1);
	ck_assert_str_eq(km.theme, "light");
	ck_assert_int_eq(km.accept_advances, 0);
	ck_assert_int_eq(keymap_load(&km, "accept-advances on\n", 19, "config", &err), 0);
	ck_assert_int_eq(km.accept_advances, 1);
	ck_assert_int_eq(keymap_load(&km, "accept-advances\n", 16, "config", &err), -1);
	keymap_keys_of(&km, ACT_PAIR_NEXT, &b);
	ck_assert_str_eq(buf_cstr(&b), "<C-n> <PageDown>");
	buf_reset(&b);
	keymap_keys_of(&km, ACT_CHOOSE, &b);
	ck_assert_str_eq(buf_cstr(&b), "1-9");
	ck_assert_int_eq(keymap_load(&km, "bind x fly\n", 11, "config", &err), -1);
	ck_assert_str_eq(err.msg, "config:1:8: unknown action 'fly' (expected one listed by ? in ferry review)");
	ck_assert_int_eq(keymap_load(&km, "\nbind <Hyper> quit\n", 19, "config", &err), -1);
	ck_assert_str_eq(err.msg, "config:2:6: unknown key '<Hyper>' (expected a character or a name such as <Enter> or <C-r>)");
	ck_assert_int_eq(keymap_load(&km, "mouse maybe\n", 12, "config", &err), -1);
	ck_assert_str_eq(err.msg, "config:1:1: cannot read 'mouse maybe' (expected bind KEY ACTION, unbind KEY, "
			 "mouse on|off, accept-advances on|off or theme NAME)");
	ck_assert_int_eq(action_parse("accept"), ACT_ACCEPT);
	ck_assert_str_eq(action_name(ACT_ALIGN_VIEW), "align-view");
	buf_release(&b);
	keymap_release(&km);
}
END_TEST

START_TEST(themes)
{
	struct theme t;
	struct ferry_err err;
	const char *good = "title #ff0000 default bold underline\nlabel1 bright-cyan 17\n";

	theme_default(&t);
	ck_assert_int_eq(theme_parse(&t, good, strlen(good), "x.theme", &err), 0);
	ck_assert_int_eq(t.e[ELEM_TITLE].fg, COLOR_RGB(255, 0, 0));
	ck_assert_int_eq(t.e[ELEM_TITLE].attrs, ATTR_BOLD | ATTR_UNDERLINE);
	ck_assert_int_eq(t.e[ELEM_LABEL1].fg, 14);
	ck_assert_int_eq(t.e[ELEM_LABEL1].bg, 17);
	ck_assert_int_eq(theme_to_256(COLOR_RGB(255, 0, 0)), 196);
	ck_assert_int_eq(theme_to_8(COLOR_RGB(255, 0, 0)), 1);
	ck_assert_int_eq(theme_to_8(196), 1);
	ck_assert_int_eq(theme_to_256(100), 100);
	ck_assert_int_eq(theme_parse(&t, "titel red blue\n", 15, "x.theme", &err), -1);
	ck_assert_str_eq(err.msg, "x.theme:1:1: unknown element 'titel' (expected normal, title, status, message, "
			 "error, cursor, selected, dim, link, pinned, help, edit, hit, candidate or label1..label6)");
	ck_assert_int_eq(theme_parse(&t, "title #ff00 blue\n", 17, "x.theme", &err), -1);
	ck_assert_str_eq(err.msg, "x.theme:1:7: unknown colour '#ff00' (expected default, a colour name, 0-255 or #rrggbb)");
	ck_assert_int_eq(theme_parse(&t, "title red 256\n", 14, "x.theme", &err), -1);
	ck_assert_int_eq(theme_parse(&t, "title red blue blink\n", 21, "x.theme", &err), -1);
	ck_assert_str_eq(err.msg, "x.theme:1:16: unknown attribute 'blink' (expected bold, dim, underline, reverse, "
			 "italic or standout)");
	ck_assert_int_eq(theme_parse(&t, "title red\n", 10, "x.theme", &err), -1);
	ck_assert_str_eq(err.msg, "x.theme:1:6: missing colours (expected ELEMENT FOREGROUND BACKGROUND [ATTRIBUTES])");
	ck_assert_int_eq(theme_load(&t, "../etc", &err), -1);
	ck_assert_str_eq(err.msg, "bad theme name '../etc' (expected a name such as light)");
}
END_TEST

/* Check a theme as an 8-colour terminal shows it: see theme_to_8_colors(). */
static void
check_on_8(const struct theme *t, const char *name)
{
	struct theme t8;
	int normal_bg;

	theme_to_8_colors(t, &t8);
	normal_bg = t8.e[ELEM_NORMAL].bg;
	for (int e = 0; e < ELEM_COUNT; e++) {
		ck_assert_msg(t8.e[e].fg >= -1 && t8.e[e].fg <= 7 && t8.e[e].bg >= -1 && t8.e[e].bg <= 7,
			      "%s: %s outside the 8 colours", name, elem_name((enum elem)e));
		ck_assert_msg(t8.e[e].fg < 0 || t8.e[e].fg != t8.e[e].bg, "%s: %s: text in its background's colour",
			      name, elem_name((enum elem)e));
	}
	/* the six label colours: six different ones, none black, none the background */
	for (int i = 0; i < 6; i++) {
		int c = t8.e[ELEM_LABEL1 + i].fg;
		ck_assert_msg(c >= 1 && c <= 7 && c != normal_bg, "%s: label%d is %d", name, i + 1, c);
		for (int k = 0; k < i; k++)
			ck_assert_msg(c != t8.e[ELEM_LABEL1 + k].fg, "%s: label%d and label%d are both %d", name, k + 1,
				      i + 1, c);
	}
	/* the selection and the status row stand out from the text around them */
	for (int k = 0; k < 2; k++) {
		const struct theme_style *st = &t8.e[k ? ELEM_STATUS : ELEM_SELECTED];
		ck_assert_msg((st->attrs & ATTR_REVERSE) || (st->bg >= 0 && st->bg != normal_bg &&
			      !(normal_bg < 0 && (st->bg == 0 || st->bg == 7))),
			      "%s: %s does not stand out", name, k ? "status" : "selected");
	}
}

START_TEST(themes_on_8_colours)
{
	static const char *const files[] = { "default", "light", "high-contrast", "solarized" };
	struct theme t;
	struct ferry_err err;
	char path[64];
	size_t len;

	/* by hue, not by distance: the default theme's pastels are not all white */
	ck_assert_int_eq(theme_to_8(81), 6);      /* light blue: cyan */
	ck_assert_int_eq(theme_to_8(114), 2);     /* light green */
	ck_assert_int_eq(theme_to_8(176), 5);     /* pink: magenta */
	ck_assert_int_eq(theme_to_8(228), 3);     /* light yellow */
	ck_assert_int_eq(theme_to_8(210), 1);     /* salmon: red */
	ck_assert_int_eq(theme_to_8(250), 7);     /* light grey: white */
	ck_assert_int_eq(theme_to_8(236), 0);     /* dark grey: black */
	ck_assert_int_eq(theme_to_8(COLOR_RGB(0, 0, 255)), 4);
	ck_assert_int_eq(theme_to_8(3), 3);
	ck_assert_int_eq(theme_to_8(COLOR_DEFAULT), COLOR_DEFAULT);
	theme_default(&t);
	check_on_8(&t, "built-in");
	/* on the dark default, the selection is not black on black: reverse video */
	struct theme t8;
	theme_to_8_colors(&t, &t8);
	ck_assert_int_eq(t8.e[ELEM_SELECTED].bg, COLOR_DEFAULT);
	ck_assert(t8.e[ELEM_SELECTED].attrs & ATTR_REVERSE);
	ck_assert(t8.e[ELEM_SELECTED].attrs & ATTR_BOLD);
	ck_assert_int_eq(t8.e[ELEM_EDIT].bg, 3);  /* a coloured background stays */
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		snprintf(path, sizeof path, "../themes/%s.theme", files[i]);
		char *text = buf_read_file(path, 1 << 20, &len);
		ck_assert_msg(text != NULL, "%s: cannot read", path);
		theme_default(&t);
		ck_assert_int_eq(theme_parse(&t, text, len, path, &err), 0);
		free(text);
		check_on_8(&t, path);
	}
}
END_TEST

START_TEST(screen_grid)
{
	struct screen s;
	char *out;
	size_t len;

	screen_init(&s, 12, 3);
	/* a wide character that would straddle the edge is not split */
	ck_assert_int_eq(screen_text(&s, 0, 0, 12, "abcdefghijk\xe5\x8c\x97", 14, ELEM_NORMAL), 11);
	ck_assert_int_eq(screen_text(&s, 1, 0, 12, "\xe5\x8c\x97\xe4\xba\xac x", 8, ELEM_NORMAL), 6);
	ck_assert_int_eq(screen_text(&s, 2, 0, 12, "a\x1b[1mb", 6, ELEM_NORMAL), 7);
	enter_tmpdir();
	FILE *fp = fopen("dump", "w");
	screen_dump(&s, fp);
	fclose(fp);
	out = read_file("dump", &len);
	ck_assert_str_eq(out, "abcdefghijk\n\xe5\x8c\x97\xe4\xba\xac x\na^[[1mb\n");
	free(out);
	leave_tmpdir();
	ck_assert_int_eq(screen_width("\xe5\x8c\x97\xe4\xba\xac", 6), 4);
	screen_release(&s);
}
END_TEST

/* A project of one pair, imported (not matched) in the current directory. */
static void
one_pair_project(const char *src, const char *tgt, const char *fwd, const char *rev)
{
	struct import_opts o;
	struct ferry_err err;

	write_file("src.conll", src);
	write_file("tgt.txt", tgt);
	write_file("fwd.align", fwd);
	write_file("rev.align", rev);
	import_opts_init(&o);
	o.project = "p.ferry";
	o.src = "src.conll";
	o.tgt = "tgt.txt";
	o.align = "fwd.align";
	o.align_rev = "rev.align";
	o.quiet = 1;
	ck_assert_int_eq(import_run(&o, NULL, &err), 0);
}

/* The element of the first cell on row y from column x on where text t (ASCII) is shown, or -1. */
static int
elem_of(const struct screen *s, int y, int x, const char *t)
{
	size_t n = strlen(t);

	for (; x + (int)n <= s->cols; x++) {
		size_t k = 0;
		while (k < n && s->cells[y * s->cols + x + (int)k].text[0] == t[k])
			k++;
		if (k == n)
			return s->cells[y * s->cols + x].elem;
	}
	return -1;
}

/* The first row from y0 on whose text starts with t (ASCII), or -1. */
static int
row_starting(const struct screen *s, int y0, const char *t)
{
	for (int y = y0; y < s->rows; y++) {
		int k = 0;
		while (t[k] && k < s->cols && s->cells[y * s->cols + k].text[0] == t[k])
			k++;
		if (!t[k])
			return y;
	}
	return -1;
}

/* What the pair view highlights beyond the text: the candidate under the cursor, search hits, one-way links. */
START_TEST(pair_view_elements)
{
	struct review r;
	struct keymap km;
	struct ui u;
	struct screen s;
	struct ferry_err err = { 0 };

	enter_tmpdir();
	one_pair_project("Anna\tB-PER\nsaw\tO\nNew\tB-LOC\nYork\tI-LOC\n\n", "Anna sah New York und New York\n",
			 "0-0 1-1 1-4 2-2 3-3 2-5 3-6\n", "0-0 1-1 2-2 3-3 2-5 3-6\n");
	ck_assert_int_eq(review_open(&r, "p.ferry", NULL, &err), 0);
	keymap_init(&km);
	ui_init(&u, &r, &km);
	screen_init(&s, 80, 24);
	/* the second entity, the cursor on the first token of the second "New York" */
	ck_assert_int_eq(ui_key(&u, 'j', &err), UI_REDRAW);
	ck_assert_int_eq(ui_key(&u, '0', &err), UI_REDRAW);   /* j put it on the projection */
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(ui_key(&u, 'l', &err), UI_REDRAW);
	ui_draw(&u, &s);
	/* the target pane from column 40: "Anna sah New York und New York" */
	ck_assert_int_eq(elem_of(&s, 2, 40, "New York und"), ELEM_NORMAL);
	ck_assert_int_eq(elem_of(&s, 2, 62, "New"), ELEM_CURSOR);
	ck_assert_int_eq(elem_of(&s, 2, 66, "York"), ELEM_CANDIDATE);
	int alts = row_starting(&s, 1, "alternatives:");
	ck_assert_int_ge(alts, 0);
	ck_assert_int_eq(elem_of(&s, alts, 0, ">2 New York @6-7"), ELEM_CANDIDATE);
	/* a search: its hits highlighted, across tokens */
	ck_assert_int_eq(review_find(&r, "sah New", &err), 1);
	ui_draw(&u, &s);
	ck_assert_int_eq(elem_of(&s, 2, 40, "sah"), ELEM_HIT);
	ck_assert_int_eq(elem_of(&s, 2, 40, "New York und"), ELEM_HIT);
	ck_assert_int_eq(elem_of(&s, 2, 53, "York"), ELEM_NORMAL);
	ck_assert_int_eq(elem_of(&s, 2, 0, "saw"), ELEM_NORMAL);
	/* the links view: a link found in one direction only is drawn apart, with its + */
	ck_assert_int_eq(ui_key(&u, 'm', &err), UI_REDRAW);
	ui_draw(&u, &s);
	int row = row_starting(&s, 1, "  2 saw");
	ck_assert_int_ge(row, 0);
	ck_assert_int_eq(elem_of(&s, row, 20, "sah"), ELEM_LINK);
	ck_assert_int_eq(elem_of(&s, row, 20, "+5"), ELEM_DIM);
	ck_assert_int_eq(elem_of(&s, row, 20, "und"), ELEM_DIM);
	/* the matrix: # for both directions, + for one */
	ck_assert_int_eq(ui_key(&u, 'm', &err), UI_REDRAW);
	ui_draw(&u, &s);
	row = row_starting(&s, 1, "saw ");
	ck_assert_int_ge(row, 0);
	ck_assert_int_eq(elem_of(&s, row, 14, ".#..+.."), ELEM_DIM);
	ck_assert_int_eq(elem_of(&s, row, 15, "#"), ELEM_LINK);
	ck_assert_int_eq(elem_of(&s, row, 18, "+"), ELEM_DIM);
	screen_release(&s);
	keymap_release(&km);
	review_close(&r);
	leave_tmpdir();
}
END_TEST

Suite *
ui_suite(void)
{
	Suite *s = suite_create("ui");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, key_names);
	tcase_add_test(tc, key_scripts);
	tcase_add_test(tc, keymap_config);
	tcase_add_test(tc, themes);
	tcase_add_test(tc, themes_on_8_colours);
	tcase_add_test(tc, screen_grid);
	tcase_add_test(tc, pair_view_elements);
	suite_add_tcase(s, tc);
	return s;
}
