/*
 * theme.h — colours and attributes of the screen elements.
 *
 * A theme file has one line per element:
 *
 *     # comment
 *     ELEMENT FOREGROUND BACKGROUND [ATTRIBUTE ...]
 *
 * ELEMENT is one of screen.h's elements (normal, title, status, ...);
 * a colour is `default`, a name (black red green yellow blue magenta
 * cyan white, or bright-NAME), a number 0-255, or #rrggbb; attributes are
 * bold, dim, underline, reverse, italic, standout.  The tty maps colours
 * the terminal lacks to the nearest it has (true colour -> 256 -> 8).
 * Elements a file does not name keep the built-in default theme.
 */
#ifndef FERRY_THEME_H
#define FERRY_THEME_H

#include "ferry/err.h"
#include "ferry/screen.h"

/*
 * A colour is COLOR_DEFAULT (the terminal's own), a palette index 0..255,
 * or a true colour: 0xRRGGBB with COLOR_RGB_FLAG set, above every index.
 */
#define COLOR_DEFAULT   (-1)
#define COLOR_RGB_FLAG  0x1000000
#define COLOR_RGB_MASK  0xFFFFFF
#define COLOR_RGB(r, g, b) (COLOR_RGB_FLAG | ((r) << 16) | ((g) << 8) | (b))
#define COLOR_IS_RGB(c) ((c) >= 0 && ((c) & COLOR_RGB_FLAG) != 0)

enum { ATTR_BOLD = 1, ATTR_DIM = 2, ATTR_UNDERLINE = 4, ATTR_REVERSE = 8, ATTR_ITALIC = 16,
       ATTR_STANDOUT = 32 };

struct theme_style {
	int      fg, bg;       /* COLOR_DEFAULT, 0..255, or COLOR_RGB */
	unsigned attrs;
};

struct theme {
	struct theme_style e[ELEM_COUNT];
	char name[64];
};

/* The built-in dark theme. */
void theme_default(struct theme *t);
/* Attributes only, for --mono and NO_COLOR. */
void theme_mono(struct theme *t);
/* Parse a theme file's text over t.  Returns 0 or -1 (FILE:LINE:COL). */
int theme_parse(struct theme *t, const char *text, size_t len, const char *file, struct ferry_err *err);
/*
 * Load theme `name`: $XDG_CONFIG_HOME/ferry/themes/NAME.theme, then the
 * themes/ directory next to the binary's share dir, then ./themes.
 */
int theme_load(struct theme *t, const char *name, struct ferry_err *err);
/* Nearest xterm-256 index of a colour. */
int theme_to_256(int color);
/*
 * The 8-colour index of a colour by its hue (red, yellow, green, cyan,
 * blue, magenta), or black or white for a grey: the nearest by distance
 * would make every light pastel white.
 */
int theme_to_8(int color);
/*
 * The theme as an 8-colour terminal shows it (TERM=screen, linux):
 * every colour by theme_to_8; a background that would vanish (a grey on
 * the terminal's own background, which is black or white; or the same
 * as the normal text's) becomes reverse video; text never in its
 * background's colour; and the six label colours six different ones,
 * the nearest in hue to the theme's, so that types stay apart.
 */
void theme_to_8_colors(const struct theme *in, struct theme *out);

#endif
