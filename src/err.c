/* err.c — filling error buffers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
	if (col > 0)
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
	size_t o = 0, chars = 0;

	for (size_t i = 0; i < len && o + 8 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (chars >= 40) {
			memcpy(dst + o, "...", 3);
			o += 3;
			break;
		}
		if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(dst + o, cap - o, "\\x%02x", c);
		} else if (c >= 0x80) {
			/* copy a whole well-formed sequence (no overlong form,
			   surrogate or code point above U+10FFFF), or escape the byte */
			size_t n = c > 0xF4 ? 0 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
			unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
			unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
			size_t k = 1;
			if (n && i + 1 < len && ((unsigned char)s[i + 1] < lo || (unsigned char)s[i + 1] > hi))
				n = 0;
			while (n && k < n && i + k < len && ((unsigned char)s[i + k] & 0xC0) == 0x80)
				k++;
			/* C1 controls (U+0080..U+009F) are escape sequences too */
			if (n == 0 || k != n || (c == 0xC2 && (unsigned char)s[i + 1] < 0xA0)) {
				o += (size_t)snprintf(dst + o, cap - o, "\\x%02x", c);
			} else {
				memcpy(dst + o, s + i, n);
				o += n;
				i += n - 1;
			}
		} else {
			dst[o++] = (char)c;
		}
		chars++;
	}
	dst[o] = '\0';
	return dst;
}
