/* theme.c — reading theme files; colour fallbacks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ferry/conf.h"
#include "ferry/mem.h"
#include "ferry/theme.h"

enum { THEME_FILE_MAX = 1 << 20 };   /* bytes of one theme file */

static const char *const color_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

/* The built-in dark theme, for 256-colour terminals. */
void
theme_default(struct theme *t)
{
	static const struct { enum elem e; int fg, bg; unsigned attrs; } defaults[] = {
		{ ELEM_NORMAL, COLOR_DEFAULT, COLOR_DEFAULT, 0 },
		{ ELEM_TITLE, 15, 24, ATTR_BOLD },
		{ ELEM_STATUS, 250, 236, 0 },
		{ ELEM_MESSAGE, 114, COLOR_DEFAULT, 0 },
		{ ELEM_ERROR, 203, COLOR_DEFAULT, ATTR_BOLD },
		{ ELEM_CURSOR, COLOR_DEFAULT, COLOR_DEFAULT, ATTR_REVERSE | ATTR_UNDERLINE },
		{ ELEM_SELECTED, 15, 238, ATTR_BOLD },
		{ ELEM_DIM, 244, COLOR_DEFAULT, 0 },
		{ ELEM_LINK, 109, COLOR_DEFAULT, 0 },
		{ ELEM_PINNED, 220, COLOR_DEFAULT, ATTR_BOLD },
		{ ELEM_HELP, COLOR_DEFAULT, COLOR_DEFAULT, 0 },
		{ ELEM_EDIT, 16, 220, ATTR_BOLD },
		{ ELEM_HIT, 16, 151, 0 },
		{ ELEM_CANDIDATE, COLOR_DEFAULT, 60, ATTR_UNDERLINE },
		{ ELEM_LABEL1, 81, COLOR_DEFAULT, ATTR_BOLD },
		{ ELEM_LABEL2, 114, COLOR_DEFAULT, ATTR_BOLD },
		{ ELEM_LABEL3, 215, COLOR_DEFAULT, ATTR_BOLD },
		{ ELEM_LABEL4, 176, COLOR_DEFAULT, ATTR_BOLD },
		{ ELEM_LABEL5, 228, COLOR_DEFAULT, ATTR_BOLD },
		{ ELEM_LABEL6, 210, COLOR_DEFAULT, ATTR_BOLD },
	};

	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++) {
		t->e[defaults[i].e].fg = defaults[i].fg;
		t->e[defaults[i].e].bg = defaults[i].bg;
		t->e[defaults[i].e].attrs = defaults[i].attrs;
	}
	snprintf(t->name, sizeof t->name, "default");
}

/* Attributes only: every colour the terminal's own. */
void
theme_mono(struct theme *t)
{
	static const unsigned attrs[ELEM_COUNT] = {
		[ELEM_TITLE] = ATTR_REVERSE, [ELEM_STATUS] = ATTR_REVERSE, [ELEM_ERROR] = ATTR_BOLD,
		[ELEM_CURSOR] = ATTR_REVERSE | ATTR_UNDERLINE, [ELEM_SELECTED] = ATTR_BOLD | ATTR_UNDERLINE,
		[ELEM_DIM] = ATTR_DIM, [ELEM_PINNED] = ATTR_BOLD, [ELEM_EDIT] = ATTR_REVERSE,
		[ELEM_HIT] = ATTR_STANDOUT, [ELEM_CANDIDATE] = ATTR_UNDERLINE,
		[ELEM_LABEL1] = ATTR_BOLD, [ELEM_LABEL2] = ATTR_BOLD, [ELEM_LABEL3] = ATTR_BOLD,
		[ELEM_LABEL4] = ATTR_BOLD, [ELEM_LABEL5] = ATTR_BOLD, [ELEM_LABEL6] = ATTR_BOLD,
	};

	for (int i = 0; i < ELEM_COUNT; i++) {
		t->e[i].fg = t->e[i].bg = COLOR_DEFAULT;
		t->e[i].attrs = attrs[i];
	}
	snprintf(t->name, sizeof t->name, "mono");
}

/* The value of a hex digit, or -1. */
static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Parse a colour word; -2 when it is not one. */
static int
parse_color(const char *w, size_t n)
{
	char buf[32];

	if (n == 0 || n >= sizeof buf)
		return -2;
	memcpy(buf, w, n);
	buf[n] = '\0';
	if (strcmp(buf, "default") == 0)
		return COLOR_DEFAULT;
	for (int i = 0; i < 8; i++) {
		if (strcmp(buf, color_names[i]) == 0)
			return i;
		if (strncmp(buf, "bright-", 7) == 0 && strcmp(buf + 7, color_names[i]) == 0)
			return i + 8;
	}
	if (buf[0] == '#' && n == 7) {
		int v = 0;
		for (int i = 1; i < 7; i++) {
			int h = hexval(buf[i]);
			if (h < 0)
				return -2;
			v = v * 16 + h;
		}
		return COLOR_RGB_FLAG | v;
	}
	char *end;
	long v = strtol(buf, &end, 10);
	if (*end == '\0' && v >= 0 && v <= 255 && buf[0] >= '0' && buf[0] <= '9')
		return (int)v;
	return -2;
}

/* The attributes named from field 3 on; an unknown one is an error (those before it count). */
static int
parse_attrs(const struct conf_line *l, unsigned *attrs, struct ferry_err *err)
{
	static const char *const attr_names[] = { "bold", "dim", "underline", "reverse", "italic", "standout" };

	*attrs = 0;
	for (size_t k = 3; k < l->f->n; k++) {
		int found = -1;
		for (int a = 0; a < 6; a++)
			if (conf_is(l, k, attr_names[a]))
				found = a;
		if (found < 0)
			return conf_error(l, k, err, "unknown attribute",
					  "bold, dim, underline, reverse, italic or standout");
		*attrs |= 1u << found;
	}
	return 0;
}

/* One line of a theme file: ELEMENT FOREGROUND BACKGROUND [ATTRIBUTE ...]. */
static int
theme_line(void *arg, const struct conf_line *l, struct ferry_err *err)
{
	struct theme *t = arg;
	size_t n;
	const char *w = conf_field(l, 0, &n);
	int e = elem_parse(w, n);

	if (e < 0)
		return conf_error(l, 0, err, "unknown element", "normal, title, status, message, error, cursor, "
				  "selected, dim, link, pinned, help, edit, hit, candidate or label1..label6");
	if (l->f->n < 3)
		return err_at(err, EX_DATAERR, l->file, l->lineno, text_column(l->text, l->f->v[0].off + n),
			      "missing colours (expected ELEMENT FOREGROUND BACKGROUND [ATTRIBUTES])");
	size_t nfg, nbg;
	const char *wfg = conf_field(l, 1, &nfg), *wbg = conf_field(l, 2, &nbg);
	int fg = parse_color(wfg, nfg), bg = parse_color(wbg, nbg);
	if (fg == -2 || bg == -2)
		return conf_error(l, fg == -2 ? 1 : 2, err, "unknown colour", "default, a colour name, 0-255 or #rrggbb");
	unsigned attrs;
	int rc = parse_attrs(l, &attrs, err);
	/* an unknown attribute still leaves the colours set, and the ones before it */
	t->e[e].fg = fg;
	t->e[e].bg = bg;
	t->e[e].attrs = attrs;
	return rc;
}

/* Apply a theme file over t, line by line. */
int
theme_parse(struct theme *t, const char *text, size_t len, const char *file, struct ferry_err *err)
{
	return conf_parse(text, len, file, theme_line, t, err);
}

/* Read theme file path into *text; 0 if it is not there, -1 if it is
 * there but cannot be read (a directory, no permission, too long). */
static int
theme_read(const char *path, char **text, size_t *len, struct ferry_err *err)
{
	if ((*text = buf_read_file(path, THEME_FILE_MAX, len)) != NULL)
		return 1;
	if (errno == ENOENT)
		return 0;
	return err_set(err, EX_NOINPUT, "%s: cannot read the theme: %s (expected a readable file of at most %d bytes)",
		       path, errno == EFBIG ? "too long" : strerror(errno), THEME_FILE_MAX);
}

/* Look for theme `name` where theme.h says, and apply it over the default. */
int
theme_load(struct theme *t, const char *name, struct ferry_err *err)
{
	char path[8192], exe[4000], dirs[4][4096];
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *text = NULL;
	size_t len = 0;
	int ndirs = 0, got = 0;

	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '.')
			return err_set(err, EX_USAGE, "bad theme name '%s' (expected a name such as light)", name);
	theme_default(t);
	if (strcmp(name, "mono") == 0)
		theme_mono(t);
	/* the search path: the user's, the installed, beside the binary, ./themes */
	if (xdg && *xdg)
		snprintf(dirs[ndirs++], sizeof dirs[0], "%s/ferry/themes", xdg);
	else
		snprintf(dirs[ndirs++], sizeof dirs[0], "%s/.config/ferry/themes", home ? home : ".");
	snprintf(dirs[ndirs++], sizeof dirs[0], "%s/themes", FERRY_DATADIR);
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		snprintf(dirs[ndirs++], sizeof dirs[0], "%s/themes", exe);
	}
	snprintf(dirs[ndirs++], sizeof dirs[0], "themes");
	for (int i = 0; i < ndirs && got == 0; i++) {
		if (snprintf(path, sizeof path, "%s/%s.theme", dirs[i], name) >= (int)sizeof path)
			return err_set(err, EX_USAGE, "bad theme name '%.40s...' (too long)", name);
		if ((got = theme_read(path, &text, &len, err)) < 0 && strcmp(name, "default") != 0)
			return -1;
		if (got < 0) {          /* the default, looked for unasked: the next place */
			err->code = 0;
			got = 0;
		}
	}
	if (got == 0 && (strcmp(name, "default") == 0 || strcmp(name, "mono") == 0))
		return 0;       /* built in */
	if (got == 0)
		return err_set(err, EX_NOINPUT, "no theme '%s' (looked in $XDG_CONFIG_HOME/ferry/themes, %s/themes "
			       "and ./themes)", name, FERRY_DATADIR);
	int rc = theme_parse(t, text, len, path, err);
	free(text);
	snprintf(t->name, sizeof t->name, "%s", name);
	return rc;
}

/* Components of an xterm-256 colour. */
static void
rgb_of(int c, int *r, int *g, int *b)
{
	static const int cube[6] = { 0, 95, 135, 175, 215, 255 };
	static const int base[16][3] = {
		{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 }, { 0, 0, 238 }, { 205, 0, 205 },
		{ 0, 205, 205 }, { 229, 229, 229 }, { 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 },
		{ 255, 255, 0 }, { 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
	};

	if (COLOR_IS_RGB(c)) {
		*r = (c >> 16) & 255;
		*g = (c >> 8) & 255;
		*b = c & 255;
	} else if (c < 16) {
		*r = base[c][0];
		*g = base[c][1];
		*b = base[c][2];
	} else if (c < 232) {
		c -= 16;
		*r = cube[c / 36];
		*g = cube[(c / 6) % 6];
		*b = cube[c % 6];
	} else {
		*r = *g = *b = 8 + 10 * (c - 232);
	}
}

/* The palette index below n nearest to a colour (itself when it is one). */
static int
nearest(int color, int n)
{
	int r, g, b, best = 0;
	long best_d = -1;

	if (color < 0)
		return color;
	if (!COLOR_IS_RGB(color) && color < n)
		return color;
	rgb_of(color, &r, &g, &b);
	/* the first 16 colours are the user's palette: only aim at fixed ones */
	for (int i = n > 16 ? 16 : 0; i < n; i++) {
		int cr, cg, cb;
		rgb_of(i, &cr, &cg, &cb);
		long d = (long)(r - cr) * (r - cr) + (long)(g - cg) * (g - cg) + (long)(b - cb) * (b - cb);
		if (best_d < 0 || d < best_d) {
			best_d = d;
			best = i;
		}
	}
	return best;
}

/* A colour for a 256-colour terminal. */
int
theme_to_256(int color)
{
	return nearest(color, 256);
}

/* A colour for an 8-colour terminal. */
int
theme_to_8(int color)
{
	return nearest(color, 8);
}
