/* err.c — filling error buffers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ferry/buf.h"
#include "ferry/err.h"

int
err_set(struct ferry_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_at(struct ferry_err *err, int code, const char *file, long line, long col,
       const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err == NULL)
		return -1;
	err->code = code;
	if (file == NULL)
		n = 0;
	else if (col > 0)
		n = snprintf(err->msg, sizeof err->msg, "%s:%ld:%ld: ", file, line, col);
	else
		n = snprintf(err->msg, sizeof err->msg, "%s:%ld: ", file, line);
	if (n < 0 || (size_t)n >= sizeof err->msg)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(err->msg + n, sizeof err->msg - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

void
err_clear(struct ferry_err *err)
{
	err->code = 0;
	err->msg[0] = '\0';
}

const char *
err_quote(char *dst, size_t cap, const char *s, size_t len)
{
	struct buf b = BUF_INIT;

	if (buf_add_safe(&b, s, len, 40) < len)
		buf_adds(&b, "...");
	snprintf(dst, cap, "%s", buf_cstr(&b));
	buf_release(&b);
	return dst;
}
