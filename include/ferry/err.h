/*
 * err.h — the one error convention.
 *
 * Functions that can fail return 0 on success or a negative value, and fill
 * the `struct ferry_err` the caller passed: a sysexits code and a message.
 * Messages are lowercase, start with FILE:LINE:COL where a position is
 * known, and say what was expected.  The CLI prints "ferry: MESSAGE" and
 * exits with the code.
 */
#ifndef FERRY_ERR_H
#define FERRY_ERR_H

#include <sysexits.h>

#define FERRY_ERR_MAX 1024

struct ferry_err {
	int  code;                 /* sysexits value, 0 when no error */
	char msg[FERRY_ERR_MAX];
};

/* Set the error and return -1, so `return err_set(...)` reads well. */
int err_set(struct ferry_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * As err_set, prefixed with "FILE:LINE:COL: " (col 0 leaves it out; file
 * NULL leaves the whole position out, for text that is no file's line and
 * whose caller says what it is).
 */
int err_at(struct ferry_err *err, int code, const char *file, long line,
	   long col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void err_clear(struct ferry_err *err);

#endif

#ifndef FERRY_ERR_QUOTE_H
#define FERRY_ERR_QUOTE_H
#include <stddef.h>
/*
 * Write a quotable, terminal-safe form of s[0..len) into dst: control
 * bytes and invalid UTF-8 become \xNN, and text beyond about 40 code points
 * is cut with "...".  Returns dst.
 */
const char *err_quote(char *dst, size_t cap, const char *s, size_t len);
#define ERR_QUOTE_MAX 200
#endif
