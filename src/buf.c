/* buf.c — growable strings. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ferry/buf.h"
#include "ferry/mem.h"

size_t
utf8_seq_len(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[0];
	size_t n = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c <= 0xF4 ? 4 : 0;
	unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
	unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;

	if (n <= 1)
		return n;
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t k = 2; k < n; k++)
		if ((s[k] & 0xC0) != 0x80)
			return 0;
	return n;
}

/* Append code point cp as UTF-8 (see buf.h). */
void
buf_add_utf8(struct buf *b, unsigned long cp)
{
	char u[4];
	size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;

	if (n == 1) {
		u[0] = (char)cp;
	} else {
		static const unsigned char lead[5] = { 0, 0, 0xC0, 0xE0, 0xF0 };
		for (size_t k = n - 1; k > 0; k--, cp >>= 6)
			u[k] = (char)(0x80 | (cp & 0x3F));
		u[0] = (char)(lead[n] | cp);
	}
	buf_add(b, u, n);
}

/* Make room for `extra` more bytes plus the terminating NUL. */
void
buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;

	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n <= 0)
		return;
	buf_grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

/* JSON escapes only what RFC 8259 requires, so UTF-8 stays readable. */
void
buf_add_json(struct buf *b, const char *s, size_t len)
{
	buf_addc(b, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"':  buf_add(b, "\\\"", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		default: {
			size_t n = utf8_seq_len(s + i, len - i);
			if (c < 0x20 || c == 0x7f) {
				buf_addf(b, "\\u%04x", c);
			} else if (n == 0) {
				buf_adds(b, "\\ufffd");       /* not UTF-8: JSON cannot carry it */
			} else if (c == 0xC2 && (unsigned char)s[i + 1] < 0xA0) {
				buf_addf(b, "\\u%04x", (unsigned char)s[i + 1]);   /* C1 control */
				i++;
			} else {
				buf_add(b, s + i, n);
				i += n - 1;
			}
		}
		}
	}
	buf_addc(b, '"');
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void
buf_release(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

char *
buf_detach(struct buf *b)
{
	char *s = b->s ? b->s : xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

const char *
buf_cstr(const struct buf *b)
{
	return b->s ? b->s : "";
}

char *
buf_read_file(const char *path, size_t max, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[8192];
	struct stat sb;
	size_t n;
	int bad = 0;

	if (fp == NULL)
		return NULL;
	if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode))
		bad = EISDIR;
	while (!bad && (n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		if (n > max - b.len)
			bad = EFBIG;
		else
			buf_add(&b, chunk, n);
	}
	if (!bad && ferror(fp))
		bad = errno ? errno : EIO;
	fclose(fp);
	if (bad) {
		buf_release(&b);
		errno = bad;
		return NULL;
	}
	*len = b.len;
	return buf_detach(&b);
}

size_t
buf_add_safe(struct buf *b, const char *str, size_t len, size_t max_chars)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	for (size_t chars = 0; i < len && chars < max_chars; chars++) {
		size_t n = utf8_seq_len(str + i, len - i);
		/* C0, DEL and C1 controls (U+0080..U+009F) start escape sequences */
		if (n == 0 || s[i] < 0x20 || s[i] == 0x7f || (s[i] == 0xC2 && s[i + 1] < 0xA0)) {
			buf_addf(b, "\\x%02x", s[i]);
			i++;
		} else {
			buf_add(b, s + i, n);
			i += n;
		}
	}
	return i;
}

void
buf_add_figure(struct buf *b, double v, int json, int width, int digits)
{
	if (json)
		buf_addf(b, v != v ? "null" : "%.4f", v);
	else if (v != v)
		buf_addf(b, "%*s", width, "-");
	else
		buf_addf(b, "%*.*f", width, digits, v);
}
