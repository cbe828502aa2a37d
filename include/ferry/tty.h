/*
 * tty.h — the terminal, through ncursesw.  The only module that calls
 * curses.  It copies a screen grid to the terminal (curses sends only
 * what changed), reads keys as keymap.h codes, and restores the terminal
 * on every way out: quit, Ctrl-C, SIGTERM, SIGHUP and fatal errors.
 */
#ifndef FERRY_TTY_H
#define FERRY_TTY_H

#include "ferry/err.h"
#include "ferry/screen.h"
#include "ferry/theme.h"

/* Take the terminal, with theme t (attributes only when mono); mouse clicks when asked. */
int tty_open(const struct theme *t, int mono, int mouse, struct ferry_err *err);
/* Restore the terminal; safe to call twice and from exit paths. */
void tty_close(void);
void tty_size(int *cols, int *rows);
/* Draw the grid; `full` repaints everything (Ctrl-L, resize). */
void tty_draw(const struct screen *s, int full);
/*
 * Wait for a key.  Returns a key code, KEYC_MOUSE with *my, *mx set for
 * a click, or -1 when a signal asked us to stop.
 */
int tty_key(int *my, int *mx);

#endif
