/* theme.c — reading theme files; colour fallbacks (256 colours by distance, 8 by hue). */
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
		{ ELEM_LABEL3, 209, COLOR_DEFAULT, ATTR_BOLD },
		{ ELEM_LABEL4, 176, COLOR_DEFAULT, ATTR_BOLD },
		{ ELEM_LABEL5, 228, COLOR_DEFAULT, ATTR_BOLD },
		{ ELEM_LABEL6, 111, COLOR_DEFAULT, ATTR_BOLD },
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
			err_clear(err);
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

/* ---- 8 colours -------------------------------------------------------------- */

enum { C8_BLACK, C8_RED, C8_GREEN, C8_YELLOW, C8_BLUE, C8_MAGENTA, C8_CYAN, C8_WHITE };

/* The hue of each of the 8 colours (-1: a grey), and the colour of each 60-degree sector from red. */
static const double c8_hue[8] = { -1, 0, 120, 60, 240, 300, 180, -1 };
static const int sector_color[6] = { C8_RED, C8_YELLOW, C8_GREEN, C8_CYAN, C8_BLUE, C8_MAGENTA };

/*
 * A colour's hue in degrees (1), or 0 for a grey: saturation under 0.2,
 * or so dark (brightest component under 80) that it reads as black, as
 * solarized's background #002b36 does; its lightness 0-255.
 */
static int
hue_of(int color, double *hue, int *light)
{
	int r, g, b;

	rgb_of(color, &r, &g, &b);
	int mx = r > g ? (r > b ? r : b) : (g > b ? g : b), mn = r < g ? (r < b ? r : b) : (g < b ? g : b);
	int c = mx - mn;
	*light = (mx + mn) / 2;
	if (mx < 80 || c * 5 < mx)
		return 0;
	if (mx == r)
		*hue = 60.0 * (double)(g - b) / c;
	else if (mx == g)
		*hue = 60.0 * ((double)(b - r) / c + 2);
	else
		*hue = 60.0 * ((double)(r - g) / c + 4);
	if (*hue < 0)
		*hue += 360;
	return 1;
}

/* A colour for an 8-colour terminal: by hue, a grey black or white by its lightness. */
int
theme_to_8(int color)
{
	double h = 0;
	int light;

	if (color < 0 || (!COLOR_IS_RGB(color) && color < 8))
		return color;
	if (!hue_of(color, &h, &light))
		return light >= 80 ? C8_WHITE : C8_BLACK;
	return sector_color[(int)((h + 30) / 60) % 6];
}

/* How far apart two hues are, in degrees. */
static double
hue_dist(double a, double b)
{
	double d = a > b ? a - b : b - a;

	return d > 180 ? 360 - d : d;
}

/* The label colours to fit: which slots, what drawing each in colour c costs, the best so far. */
struct label_fit {
	int    n, slot[6];
	double cost[6][8];
	unsigned allowed;          /* bit c: colour c may be given */
	int    cur[6], best[6];
	double best_cost;
};

/* Give labels k.. the colours not in `used` that cost least together (6 labels, 7 colours: a few thousand tries). */
static void
fit_labels(struct label_fit *f, int k, unsigned used, double sofar)
{
	if (sofar >= f->best_cost)
		return;
	if (k == f->n) {
		f->best_cost = sofar;
		memcpy(f->best, f->cur, sizeof f->best);
		return;
	}
	for (int c = 1; c < 8; c++)
		if ((f->allowed >> c & 1) && !(used >> c & 1)) {
			f->cur[k] = c;
			fit_labels(f, k + 1, used | 1u << c, sofar + f->cost[k][c]);
		}
}

/* Six different colours for the labels, each as near in hue to the theme's as the others allow. */
static void
labels_to_8(const struct theme *in, struct theme *out)
{
	struct label_fit f = { .best_cost = 1e9 };
	int nbg = out->e[ELEM_NORMAL].bg;

	for (int c = 1; c < 8; c++)
		if (c != nbg)
			f.allowed |= 1u << c;
	for (int i = 0; i < 6; i++) {
		int fg = in->e[ELEM_LABEL1 + i].fg, light;
		double h = 0;
		if (fg < 0)
			continue;               /* the terminal's own: left so */
		int chromatic = hue_of(fg, &h, &light);
		f.slot[f.n] = ELEM_LABEL1 + i;
		for (int c = 1; c < 8; c++)
			f.cost[f.n][c] = c == C8_WHITE ? (chromatic ? 150 : 0) : chromatic ? hue_dist(h, c8_hue[c]) : 180;
		f.n++;
	}
	fit_labels(&f, 0, 0, 0);
	if (f.best_cost >= 1e9)
		return;                         /* fewer colours than labels: each keeps its own */
	for (int k = 0; k < f.n; k++)
		out->e[f.slot[k]].fg = f.best[k];
}

/*
 * Is the theme made for a light background?  Its normal background says
 * when it names one; else its label colours do: a theme for light
 * terminals writes dark text (light.theme), one for dark terminals light.
 */
static int
for_light_background(const struct theme *t)
{
	int light, sum = 0, n = 0;
	double h;

	if (t->e[ELEM_NORMAL].bg >= 0) {
		hue_of(t->e[ELEM_NORMAL].bg, &h, &light);
		return light >= 128;
	}
	for (int i = 0; i < 6; i++)
		if (t->e[ELEM_LABEL1 + i].fg >= 0) {
			hue_of(t->e[ELEM_LABEL1 + i].fg, &h, &light);
			sum += light;
			n++;
		}
	return n > 0 && sum / n < 110;
}

/* Would background b vanish against the normal one (nbg; the terminal's own when < 0)? */
static int
vanishes(int b, int nbg, int light_bg)
{
	return nbg < 0 ? b == (light_bg ? C8_WHITE : C8_BLACK) : b == nbg;
}

/* The theme for an 8-colour terminal (see theme.h). */
void
theme_to_8_colors(const struct theme *in, struct theme *out)
{
	int light_bg = for_light_background(in);

	*out = *in;
	for (int e = 0; e < ELEM_COUNT; e++) {
		int fg = in->e[e].fg, light;
		double h;
		out->e[e].fg = theme_to_8(fg);
		out->e[e].bg = theme_to_8(in->e[e].bg);
		/* on a light background a mid grey reads best as black */
		if (light_bg && fg >= 8 && !hue_of(fg, &h, &light))
			out->e[e].fg = light >= 200 ? C8_WHITE : C8_BLACK;
	}
	int nbg = out->e[ELEM_NORMAL].bg;
	for (int e = 0; e < ELEM_COUNT; e++) {
		struct theme_style *st = &out->e[e];
		if (e != ELEM_NORMAL && in->e[e].bg >= 0 && in->e[e].bg != in->e[ELEM_NORMAL].bg &&
		    vanishes(st->bg, nbg, light_bg)) {
			st->fg = st->bg = COLOR_DEFAULT;
			st->attrs |= ATTR_REVERSE;
		}
	}
	labels_to_8(in, out);
	for (int e = 0; e < ELEM_COUNT; e++) {
		struct theme_style *st = &out->e[e];
		if (st->fg >= 0 && st->fg == st->bg)
			st->fg = st->bg == C8_WHITE || st->bg == C8_YELLOW || st->bg == C8_CYAN || st->bg == C8_GREEN ?
				 C8_BLACK : C8_WHITE;
	}
}
