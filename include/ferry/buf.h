/*
 * buf.h — a growable, always NUL-terminated byte string (git's strbuf).
 *
 * A zeroed `struct buf` (BUF_INIT) is a valid empty buffer; `s` is then
 * NULL until something is added, so use buf_cstr() to read it as a string.
 * buf_release() frees the contents; buf_detach() hands them to the caller,
 * who then owns them.
 */
#ifndef FERRY_BUF_H
#define FERRY_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char  *s;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

/*
 * s[0..len) up to a NUL within it, cut to fit dst's size bytes and
 * NUL-terminated: snprintf's "%.*s" without the formatting (labels and
 * method names read by the million).
 */
static inline void
str_copy_cut(char *dst, size_t size, const char *s, size_t len)
{
	const char *nul = len ? memchr(s, '\0', len) : NULL;

	if (nul)
		len = (size_t)(nul - s);
	if (len >= size)
		len = size - 1;
	if (len)
		memcpy(dst, s, len);
	dst[len] = '\0';
}

void buf_grow(struct buf *b, size_t extra);
void buf_adds(struct buf *b, const char *s);

/* Append len bytes (inline: the exporter adds a few bytes at a time, millions of times). */
static inline void
buf_add(struct buf *b, const void *data, size_t len)
{
	if (b->len + len + 1 > b->cap)
		buf_grow(b, len);
	if (len)
		memcpy(b->s + b->len, data, len);
	b->len += len;
	b->s[b->len] = '\0';
}

static inline void
buf_addc(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_grow(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}
void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Append s as a JSON string literal, quotes included. */
/* Length of the well-formed UTF-8 sequence at s[0..len) (len > 0), or 0:
   overlong forms, surrogates and code points above U+10FFFF are not. */
size_t utf8_seq_len(const char *s, size_t len);
/* Append code point cp (at most U+10FFFF, not checked further) to b as UTF-8. */
void buf_add_utf8(struct buf *b, unsigned long cp);
/* A JSON string: controls escaped, bytes that are not UTF-8 as U+FFFD. */
void buf_add_json(struct buf *b, const char *s, size_t len);
/* A measured figure: in JSON with 4 decimals, null when NaN; as text with `digits` decimals in `width`
   columns, "-" (right-aligned) when NaN. */
void buf_add_figure(struct buf *b, double v, int json, int width, int digits);
/*
 * Append at most max_chars characters of s in a form safe for a terminal:
 * control characters (C0, DEL, C1) and bytes that are not well-formed
 * UTF-8 become \xNN.  Returns the bytes of s consumed.
 */
size_t buf_add_safe(struct buf *b, const char *s, size_t len, size_t max_chars);
void buf_reset(struct buf *b);
void buf_release(struct buf *b);
/* The caller owns the returned string; the buffer is left empty. */
char *buf_detach(struct buf *b);
/*
 * Read a whole file of at most `max` bytes.  The caller owns the returned
 * string; NULL with errno set when it cannot be opened or read: EISDIR for
 * a directory, EFBIG for a file longer than max, a read's own errno.
 */
char *buf_read_file(const char *path, size_t max, size_t *len);
/* Never NULL: "" for an empty buffer. */
const char *buf_cstr(const struct buf *b);

#endif
