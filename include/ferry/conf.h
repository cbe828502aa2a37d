/*
 * conf.h — the line format every ferry config file shares (the keys
 * config, theme files): UTF-8 text, one setting a line, fields separated
 * by whitespace, blank lines and lines starting with # skipped, errors
 * as FILE:LINE:COL: WHAT 'FIELD' (expected ...).
 */
#ifndef FERRY_CONF_H
#define FERRY_CONF_H

#include <stddef.h>

#include "ferry/err.h"
#include "ferry/text.h"

/* One line with at least one field. */
struct conf_line {
	const char *file;
	long lineno;
	const char *text;              /* the line, not NUL-terminated */
	size_t len;
	const struct text_ranges *f;   /* its fields */
};

/*
 * Call fn(arg, line, err) on every line of text (named `file` in
 * messages) until one returns < 0.  Returns 0, or -1 with err filled
 * (by fn, or for a line that is not UTF-8).
 */
int conf_parse(const char *text, size_t len, const char *file,
	       int (*fn)(void *arg, const struct conf_line *l, struct ferry_err *err), void *arg,
	       struct ferry_err *err);

/* Field k and its length. */
const char *conf_field(const struct conf_line *l, size_t k, size_t *len);
/* Is field k exactly word? */
int conf_is(const struct conf_line *l, size_t k, const char *word);

/* For conf_error: quote the whole line (at its first field) instead of one field. */
#define CONF_WHOLE_LINE ((size_t)-1)

/* "WHAT 'FIELD' (expected EXPECTED)" at field k's column, EX_DATAERR; returns -1. */
int conf_error(const struct conf_line *l, size_t k, struct ferry_err *err, const char *what,
	       const char *expected);

#endif
