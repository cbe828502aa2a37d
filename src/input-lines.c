/*
 * input-lines.c — the line reader under every corpus reader: one pass over
 * a file, a FIFO or a pipe, in memory bounded by FERRY_LINE_MAX.
 *
 * It reads the descriptor in chunks into one buffer and hands out each
 * line in place; a line still without its LF once it is longer than
 * FERRY_LINE_MAX is refused there and then, so a 2 GB line costs 64 MiB,
 * not 2 GB, and never reaches a later stage.  The buffer grows through
 * xrealloc, so running out of memory is reported as such (EX_OSERR), not
 * taken for the end of the file as getline's -1 was.
 *
 * The first bytes of a file are looked at once: UTF-16 and UTF-32 (with
 * a byte order mark, or by the NUL bytes ASCII text has in them) are named
 * instead of being reported as a NUL byte in UTF-8 text.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ferry/input.h"
#include "ferry/mem.h"

/* The byte order mark some editors put at the start of a UTF-8 file. */
#define UTF8_BOM "\xEF\xBB\xBF"
#define UTF8_BOM_LEN (sizeof UTF8_BOM - 1)
/* The first read asks for this much; the buffer doubles from there. */
#define LINES_CHUNK ((size_t)64 * 1024)
/* A line being read may take this much: the longest line, its CR and LF, and a read's room. */
#define LINES_CAP_MAX ((size_t)FERRY_LINE_MAX + LINES_CHUNK)
/* Bytes looked at to tell UTF-16 and UTF-32 from UTF-8. */
#define SNIFF_BYTES 64

/* Open path for reading by lines; a directory is an error. */
int
lines_open(struct lines *l, const char *path, int nfc, const char *holds, struct ferry_err *err)
{
	struct stat st;

	memset(l, 0, sizeof *l);
	/* "-" is standard input, named so in messages */
	int std = strcmp(path, "-") == 0;
	l->path = std ? "(standard input)" : path;
	l->nfc = nfc;
	l->holds = holds;
	l->fp = std ? fdopen(dup(STDIN_FILENO), "rb") : fopen(path, "rb");
	if (l->fp == NULL)
		return err_set(err, errno == ENOMEM ? EX_OSERR : EX_NOINPUT, "%s: cannot open: %s", l->path,
			       strerror(errno));
	if (fstat(fileno(l->fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(l->fp);
		l->fp = NULL;
		return err_set(err, EX_NOINPUT, "%s: is a directory (expected a file)", l->path);
	}
	if (fstat(fileno(l->fp), &st) == 0 && S_ISREG(st.st_mode))
		l->size = st.st_size;
	return 0;
}

/* Read more of the file into the buffer, making room first; sets eof at the end. */
static int
fill(struct lines *l, struct ferry_err *err)
{
	ssize_t n;

	if (l->end == l->cap && l->start > 0) {
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->end -= l->start;
		l->start = 0;
	}
	if (l->end == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : LINES_CHUNK;
		l->cap = cap < LINES_CAP_MAX ? cap : LINES_CAP_MAX;
		l->buf = xrealloc(l->buf, l->cap);
	}
	do
		n = read(fileno(l->fp), l->buf + l->end, l->cap - l->end);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return err_set(err, errno == ENOMEM ? EX_OSERR : EX_IOERR, "%s: read error: %s", l->path,
			       strerror(errno));
	if (n == 0)
		l->eof = 1;
	l->end += (size_t)n;
	return 0;
}

/*
 * The wide encoding the first n bytes of a file suggest, or NULL: a byte
 * order mark, or the NUL bytes of ASCII text in UTF-32 (three of every
 * four) or UTF-16 (every other byte, at least half of them).  UTF-8 text
 * has no NUL byte and no 0xFE or 0xFF, so no valid input is refused.
 */
static const char *
sniff_wide(const unsigned char *b, size_t n, const char **iconv_name)
{
	static const char *const names[4][2] = {
		{ "UTF-16 (little-endian)", "UTF-16LE" }, { "UTF-16 (big-endian)", "UTF-16BE" },
		{ "UTF-32 (little-endian)", "UTF-32LE" }, { "UTF-32 (big-endian)", "UTF-32BE" },
	};
	size_t zero[4] = { 0 }, m = n < SNIFF_BYTES ? n & ~(size_t)1 : SNIFF_BYTES;
	int k = -1;

	for (size_t i = 0; i < m; i++)
		zero[i % 4] += b[i] == 0;
	size_t quads = m / 4, pairs = m / 2, even = zero[0] + zero[2], odd = zero[1] + zero[3];
	if (n >= 4 && b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0)
		k = 2;
	else if (n >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF)
		k = 3;
	else if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE)
		k = 0;
	else if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF)
		k = 1;
	else if (quads > 0 && zero[0] == 0 && zero[1] == quads && zero[2] == quads && zero[3] == quads)
		k = 2;
	else if (quads > 0 && zero[3] == 0 && zero[0] == quads && zero[1] == quads && zero[2] == quads)
		k = 3;
	else if (pairs > 0 && even == 0 && 2 * odd >= pairs)
		k = 0;
	else if (pairs > 0 && odd == 0 && 2 * even >= pairs)
		k = 1;
	if (k < 0)
		return NULL;
	*iconv_name = names[k][1];
	return names[k][0];
}

/* Look at the start of the file once: refuse UTF-16 and UTF-32 by name. */
static int
sniff(struct lines *l, struct ferry_err *err)
{
	const char *name, *iconv_name;

	l->sniffed = 1;
	while (!l->eof && l->end - l->start < SNIFF_BYTES)
		if (fill(l, err) < 0)
			return -1;
	name = sniff_wide((const unsigned char *)l->buf + l->start, l->end - l->start, &iconv_name);
	if (name)
		return err_set(err, EX_DATAERR, "%s: looks like %s text (expected UTF-8: convert it with "
			       "iconv -f %s -t UTF-8)", l->path, name, iconv_name);
	return 0;
}

/* Find the end of the next line in the buffer, reading on as needed; its length with the LF. */
static int
next_raw(struct lines *l, size_t *n, struct ferry_err *err)
{
	for (;;) {
		size_t have = l->end - l->start;
		char *nl = memchr(l->buf + l->start + l->scanned, '\n', have - l->scanned);
		if (nl) {
			*n = (size_t)(nl - (l->buf + l->start)) + 1;
			return 1;
		}
		l->scanned = have;
		/* room for a CR before the LF still to come */
		if (have > (size_t)FERRY_LINE_MAX + 1)
			break;
		if (l->eof) {
			*n = have;
			return have > 0;
		}
		if (fill(l, err) < 0)
			return -1;
	}
	return err_at(err, EX_DATAERR, l->path, l->lineno + 1, 0, "line longer than %d bytes (expected %s a line)",
		      FERRY_LINE_MAX, l->holds);
}

/* What plain_line finds a line to be. */
enum { LINE_OTHER, LINE_LATIN, LINE_ASCII };

/*
 * What a line is, in one pass, as nearly every line of a corpus in a
 * Latin script is: LINE_ASCII, ASCII without CR or NUL; LINE_LATIN,
 * besides that only two-byte UTF-8 of code points U+0080-U+024F that are
 * NFC starters combining with nothing (text_nfc_stable_pair) and neither
 * of the two spaces among them (U+0085, U+00A0).
 * Either passes every check below, is its own NFC, and has no whitespace
 * but ASCII's.  LINE_OTHER: let the checks decide.  An ASCII start eight
 * bytes at a time: a byte of x is zero exactly when the boolean "some byte is
 * zero" test (x - 0x01..) & ~x & 0x80.. says so for some byte, applied to
 * the word XOR CR for CR.
 */
static int
plain_line(const char *str, size_t len)
{
	const uint64_t ones = 0x0101010101010101ull, tops = 0x8080808080808080ull, crs = 0x0d0d0d0d0d0d0d0dull;
	const unsigned char *s = (const unsigned char *)str;
	int kind = LINE_ASCII;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w, c;
		memcpy(&w, s + i, sizeof w);
		c = w ^ crs;
		if ((w & tops) || ((w - ones) & ~w & tops) || ((c - ones) & ~c & tops))
			break;
	}
	/* the rest byte by byte: in a Latin line letters outside ASCII come every few bytes */
	while (i < len) {
		if (s[i] < 0x80) {
			if (s[i] == '\r' || s[i] == '\0')
				return LINE_OTHER;
			i++;
			continue;
		}
		if (!text_nfc_stable_pair(s + i, len - i) || (s[i] == 0xC2 && (s[i + 1] == 0x85 || s[i + 1] == 0xA0)))
			return LINE_OTHER;
		kind = LINE_LATIN;
		i += 2;
	}
	return kind;
}

/* The next line, checked (no CR inside, no NUL, UTF-8) and NFC if asked. */
int
lines_next(struct lines *l, struct ferry_err *err)
{
	size_t n = 0, bad;
	int rc;

	if (l->again) {
		l->again = 0;
		return 1;
	}
	if (!l->sniffed && sniff(l, err) < 0)
		return -1;
	if ((rc = next_raw(l, &n, err)) <= 0)
		return rc;
	char *s = l->buf + l->start;
	off_t at = l->pos;         /* of the line in the file */
	l->start += n;
	l->scanned = 0;
	l->pos += (off_t)n;
	l->lineno++;
	size_t len = n;
	if (len && s[len - 1] == '\n')
		len--;
	if (len && s[len - 1] == '\r')
		len--;
	if (len > FERRY_LINE_MAX)
		return err_at(err, EX_DATAERR, l->path, l->lineno, 0, "line longer than %d bytes (expected %s a line)",
			      FERRY_LINE_MAX, l->holds);
	if (l->lineno == 1 && len >= UTF8_BOM_LEN && memcmp(s, UTF8_BOM, UTF8_BOM_LEN) == 0) {
		s += UTF8_BOM_LEN;
		len -= UTF8_BOM_LEN;
		at += UTF8_BOM_LEN;
	}
	int kind = plain_line(s, len);
	l->ascii = kind == LINE_ASCII;
	l->simple = kind != LINE_OTHER;
	if (l->simple) {
		l->line = s;
		l->len = len;
		return 1;
	}
	/* a CR left inside the line: old Mac line ends, or a stray byte that
	   would silently split a token as whitespace */
	char *cr = memchr(s, '\r', len);
	if (cr)
		return err_at(err, EX_DATAERR, l->path, l->lineno, text_column(s, (size_t)(cr - s)),
			      "carriage return inside a line (expected LF or CRLF line ends)");
	char *nul = memchr(s, '\0', len);
	if (nul)
		return err_at(err, EX_DATAERR, l->path, l->lineno, text_column(s, (size_t)(nul - s)),
			      "NUL byte in text (expected UTF-8 text)");
	if (!text_utf8_valid(s, len, &bad))
		return err_at(err, EX_DATAERR, l->path, l->lineno, text_column(s, bad),
			      "invalid UTF-8 byte 0x%02x at byte offset %lld of the file (expected UTF-8 text)",
			      (unsigned char)s[bad], (long long)(at + (off_t)bad));
	if (l->nfc && !text_nfc_stable(s, len)) {
		buf_reset(&l->norm);
		if (text_nfc(s, len, &l->norm, err) < 0)
			return -1;
		l->line = buf_cstr(&l->norm);
		l->len = l->norm.len;
	} else {
		l->line = s;
		l->len = len;
	}
	return 1;
}

/* Close the file and free the line buffers. */
void
lines_close(struct lines *l)
{
	if (l->fp)
		fclose(l->fp);
	free(l->buf);
	buf_release(&l->norm);
	memset(l, 0, sizeof *l);
}

void
lines_again(struct lines *l)
{
	l->again = 1;
}
