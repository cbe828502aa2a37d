/* tty.c — ncursesw: drawing the grid, reading keys, restoring the terminal. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "ferry/keymap.h"
#include "ferry/mem.h"
#include "ferry/tty.h"

/* COLORS of a direct-colour terminal: every 24-bit colour. */
enum { DIRECT_COLORS = 1 << 24 };

static int tty_is_open;
static volatile sig_atomic_t stop_requested;   /* SIGINT, SIGTERM or SIGHUP came */
static attr_t elem_attr[ELEM_COUNT];
static short elem_pair[ELEM_COUNT];

/* A signal asks the key loop to stop; the terminal is restored on the way out. */
static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Give the terminal back as it was. */
void
tty_close(void)
{
	if (!tty_is_open)
		return;
	tty_is_open = 0;
	curs_set(1);
	endwin();
}

/* Curses attributes of theme attributes. */
static attr_t
attrs_of(unsigned a)
{
	attr_t r = 0;

	if (a & ATTR_BOLD) r |= A_BOLD;
	if (a & ATTR_DIM) r |= A_DIM;
	if (a & ATTR_UNDERLINE) r |= A_UNDERLINE;
	if (a & ATTR_REVERSE) r |= A_REVERSE;
	if (a & ATTR_STANDOUT) r |= A_STANDOUT;
#ifdef A_ITALIC
	if (a & ATTR_ITALIC) r |= A_ITALIC;
#endif
	return r;
}

/* A theme colour as this terminal can show it. */
static int
color_for(int c)
{
	if (c < 0)
		return -1;
	if (COLORS >= DIRECT_COLORS && COLOR_IS_RGB(c))
		return c & COLOR_RGB_MASK;
	if (COLORS >= 256)
		return theme_to_256(c);
	if (COLORS >= 16 && !COLOR_IS_RGB(c) && c < 16)
		return c;
	return theme_to_8(c);
}

/*
 * The theme's colours and attributes as this terminal has them.  With
 * fewer than 256 colours the theme is first made an 8-colour one as a
 * whole (theme_to_8_colors: by hue, six different label colours, and
 * reverse video for a background that would vanish), not colour by
 * colour.
 */
static void
tty_colors(const struct theme *t, int mono)
{
	struct theme t8;
	int color = !mono && has_colors();

	if (color) {
		start_color();
		use_default_colors();
		if (COLORS < 256) {
			theme_to_8_colors(t, &t8);
			t = &t8;
		}
	}
	for (int e = 0; e < ELEM_COUNT; e++) {
		elem_attr[e] = attrs_of(t->e[e].attrs);
		elem_pair[e] = 0;
	}
	for (int e = 0; color && e < ELEM_COUNT && e + 1 < COLOR_PAIRS; e++) {
		init_extended_pair(e + 1, color_for(t->e[e].fg), color_for(t->e[e].bg));
		elem_pair[e] = (short)(e + 1);
	}
}

/* Start curses: keys raw, colours of the theme as the terminal has them. */
int
tty_open(const struct theme *t, int mono, int mouse, struct ferry_err *err)
{
	struct sigaction sa;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return err_set(err, EX_USAGE, "review needs a terminal (or --keys FILE for a scripted run)");
	const char *term = getenv("TERM") ? getenv("TERM") : "";
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (scr == NULL && *term == '\0')
		return err_set(err, EX_USAGE, "cannot use this terminal (TERM is not set; expected a terminal type "
			       "such as xterm-256color)");
	if (scr == NULL)
		return err_set(err, EX_USAGE, "cannot use this terminal (TERM=%s is not in the terminfo database; "
			       "expected a terminal type such as xterm-256color)", term);
	/* a terminal that cannot place the cursor (dumb, a printing
	   terminal) would show one garbled line: refuse it */
	char *cup = tigetstr("cup");
	if (cup == NULL || cup == (char *)-1) {
		endwin();
		delscreen(scr);
		return err_set(err, EX_USAGE, "cannot use this terminal (TERM=%s cannot move the cursor; review needs "
			       "a full-screen terminal such as xterm-256color, or --keys FILE for a scripted run)", term);
	}
	tty_is_open = 1;
	atexit(tty_close);
	mem_set_die_hook(tty_close);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);          /* no SA_RESTART: the read returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	if (mouse)
		mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
	tty_colors(t, mono);
	return 0;
}

/* The terminal's size now. */
void
tty_size(int *cols, int *rows)
{
	*cols = COLS;
	*rows = LINES;
}

/* Copy the grid to the terminal; curses sends what changed. */
void
tty_draw(const struct screen *s, int full)
{
	if (full)
		clearok(stdscr, TRUE);
	for (int y = 0; y < s->rows && y < LINES; y++) {
		move(y, 0);
		for (int x = 0; x < s->cols && x < COLS; x++) {
			const struct scell *c = &s->cells[y * s->cols + x];
			if (c->width == 0)
				continue;
			attr_set(elem_attr[c->elem], elem_pair[c->elem], NULL);
			mvaddstr(y, x, c->text);
		}
	}
	attr_set(A_NORMAL, 0, NULL);
	move(s->cur_y, s->cur_x);
	refresh();
}

/* The next key as a keymap.h code. */
int
tty_key(int *my, int *mx)
{
	wint_t ch;

	for (;;) {
		if (stop_requested)
			return -1;
		int rc = get_wch(&ch);
		if (rc == ERR) {
			if (stop_requested)
				return -1;
			continue;
		}
		if (rc == OK) {
			switch (ch) {
			case '\r': case '\n': return KEYC_ENTER;
			case 27: return KEYC_ESCAPE;
			case '\t': return KEYC_TAB;
			case 127: case 8: return KEYC_BSPACE;
			default: return (int)ch;
			}
		}
		switch (ch) {
		case KEY_UP: return KEYC_UP;
		case KEY_DOWN: return KEYC_DOWN;
		case KEY_LEFT: return KEYC_LEFT;
		case KEY_RIGHT: return KEYC_RIGHT;
		case KEY_NPAGE: return KEYC_PGDN;
		case KEY_PPAGE: return KEYC_PGUP;
		case KEY_HOME: return KEYC_HOME;
		case KEY_END: return KEYC_END;
		case KEY_BACKSPACE: return KEYC_BSPACE;
		case KEY_DC: return KEYC_DELETE;
		case KEY_ENTER: return KEYC_ENTER;
		case KEY_BTAB: return KEYC_BTAB;
		case KEY_F(1): return KEYC_F1;
		case KEY_RESIZE: return KEYC_RESIZE;
		case KEY_MOUSE: {
			MEVENT ev;
			if (getmouse(&ev) == OK) {
				*my = ev.y;
				*mx = ev.x;
				return KEYC_MOUSE;
			}
			continue;
		}
		default:
			continue;
		}
	}
}
