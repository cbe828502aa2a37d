/* conf.c — the line loop and the error form of the config files (conf.h). */
#include <string.h>

#include "ferry/conf.h"

/* Each line with fields, in order, to fn. */
int
conf_parse(const char *text, size_t len, const char *file,
	   int (*fn)(void *arg, const struct conf_line *l, struct ferry_err *err), void *arg,
	   struct ferry_err *err)
{
	struct text_ranges f = { 0 };
	struct conf_line l = { file, 0, NULL, 0, &f };
	size_t pos = 0;
	int rc;

	while ((rc = text_next_fields(text, len, &pos, &l.lineno, &l.text, &l.len, &f, file, err)) > 0)
		if ((rc = fn(arg, &l, err)) < 0)
			break;
	text_ranges_release(&f);
	return rc < 0 ? -1 : 0;
}

/* Where field k is. */
const char *
conf_field(const struct conf_line *l, size_t k, size_t *len)
{
	*len = l->f->v[k].len;
	return l->text + l->f->v[k].off;
}

/* Field k compared with a word. */
int
conf_is(const struct conf_line *l, size_t k, const char *word)
{
	size_t n;
	const char *w = conf_field(l, k, &n);

	return n == strlen(word) && memcmp(w, word, n) == 0;
}

/* An error naming what field k (or the line) holds. */
int
conf_error(const struct conf_line *l, size_t k, struct ferry_err *err, const char *what, const char *expected)
{
	char quoted[ERR_QUOTE_MAX];
	size_t n = l->len, at = l->f->v[k == CONF_WHOLE_LINE ? 0 : k].off;
	const char *w = l->text;

	if (k != CONF_WHOLE_LINE)
		w = conf_field(l, k, &n);
	return err_at(err, EX_DATAERR, l->file, l->lineno, text_column(l->text, at), "%s '%s' (expected %s)", what,
		      err_quote(quoted, sizeof quoted, w, n), expected);
}
