/*
 * text.h — UTF-8 and Unicode services: validation, NFC, whitespace
 * splitting and word-boundary tokenisation.
 *
 * Only this module calls ICU's normalisation and break iterators.  Inputs
 * are (pointer, length) pairs; nothing here needs NUL termination.
 */
#ifndef FERRY_TEXT_H
#define FERRY_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "ferry/buf.h"
#include "ferry/err.h"

/* A byte range of a string. */
struct text_range {
	size_t off;
	size_t len;
};

struct text_ranges {
	struct text_range *v;
	size_t n, cap;
};

void text_ranges_release(struct text_ranges *r);

/*
 * Return 1 when s[0..len) is well-formed UTF-8 (no overlong forms,
 * surrogates or code points above U+10FFFF), else 0 with *bad set to the
 * offset of the first offending byte.
 */
int text_utf8_valid(const char *s, size_t len, size_t *bad);

/* Decode the code point at s[*i] of valid UTF-8 and advance *i past it. */
int32_t text_utf8_next(const char *s, size_t len, size_t *i);

/*
 * Walk the lines of a text: sets *line and *n to the next line (without
 * its newline) and returns 1, or returns 0 at the end.  *pos starts at 0.
 */
int text_next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *n);
/*
 * The next line of a config-style file (theme, config) that says
 * something: split at whitespace into f, blank lines and lines whose
 * first word starts with '#' skipped, *lineno counting every line.
 * Returns 1, 0 at the end, or -1 for a line that is not UTF-8 (err names
 * FILE:LINE:COL).
 */
int text_next_fields(const char *text, size_t len, size_t *pos, long *lineno, const char **line,
		     size_t *n, struct text_ranges *f, const char *file, struct ferry_err *err);

/* 1-based column, counted in code points, of byte offset `off` of s. */
long text_column(const char *s, size_t off);
/* The code points of s[0..n): its bytes that are not UTF-8 continuation bytes. */
size_t text_count_chars(const char *s, size_t n);

/*
 * Append the NFC form of the valid UTF-8 string s to out.  Returns 1 if
 * the text changed, 0 if it was already NFC, -1 on an ICU failure (err
 * filled).
 */
int text_nfc(const char *s, size_t len, struct buf *out, struct ferry_err *err);
/* Text of code points below this alone is NFC as it is: text_nfc asks ICU nothing. */
#define TEXT_NFC_STABLE_END 0x250
/* 1 when valid UTF-8 s is NFC for that reason (no ICU, no copy); 0: ask text_nfc. */
int text_nfc_stable(const char *s, size_t len);
/*
 * Do the n (> 0) bytes at s, a non-ASCII lead first, start with the
 * two-byte UTF-8 of a code point below TEXT_NFC_STABLE_END (leads C2 to
 * C9, 0xC9 only before 0x90)?  The rule text_nfc_stable applies to each.
 */
static inline int
text_nfc_stable_pair(const unsigned char *s, size_t n)
{
	return s[0] >= 0xC2 && s[0] <= 0xC9 && n >= 2 && (s[1] & 0xC0) == 0x80 && !(s[0] == 0xC9 && s[1] >= 0x90);
}

/*
 * Split s at Unicode whitespace (White_Space: ASCII blanks, NBSP, U+2000..,
 * U+3000, ...) into out (reset first).  Empty fields are not produced.
 */
void text_split_ws(const char *s, size_t len, struct text_ranges *out);
/* The same for ASCII s, whose whitespace is a space or \t to \r: a tighter loop. */
void text_split_ascii(const char *s, size_t len, struct text_ranges *out);

/* Length in bytes of the whitespace character at s, or 0 if none. */
size_t text_ws_len(const char *s, size_t len);
/*
 * text_ws_len at byte i of s, for a scan: ASCII decided in line, and only
 * the lead bytes that can start a non-ASCII space (U+0085, U+00A0, U+1680,
 * U+2000-U+3000) passed on; a continuation byte never starts one.
 */
static inline size_t
text_ws_at(const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];

	if (c < 0x80)
		return c == ' ' || (c >= '\t' && c <= '\r');
	return c == 0xC2 || (c >= 0xE1 && c <= 0xE3) ? text_ws_len(s + i, len - i) : 0;
}

/*
 * Split raw text into tokens at ICU word boundaries (the rules of UAX #29
 * plus ICU's dictionaries for Chinese, Japanese, Thai, ...); segments that
 * are only whitespace are dropped.  Returns 0, or -1 with err filled.
 */
int text_tokenize(const char *s, size_t len, struct text_ranges *out,
		  struct ferry_err *err);

/* 1 when every code point of the token is punctuation (Unicode P*). */
int text_is_punct(const char *s, size_t len);

#endif

#ifndef FERRY_TEXT_FOLD
#define FERRY_TEXT_FOLD
/*
 * Append to out a Latin, ASCII, lower-case form of s for comparing names
 * across scripts: ICU's "Any-Latin; Latin-ASCII; Lower" (so "Müller",
 * "Мюллер" and "MULLER" come close).  ASCII input takes a fast path.
 * Returns 0 or -1 with err filled.
 */
int text_fold_latin(const char *s, size_t len, struct buf *out, struct ferry_err *err);
/* When s is ASCII: append it with capitals in lower case (what text_fold_latin makes of it) and return 1; else 0, out untouched. */
int text_fold_ascii(const char *s, size_t len, struct buf *out);
/* The same through ICU always (text_fold_latin takes a table for Latin words; the tests compare the two). */
int text_fold_latin_icu(const char *s, size_t len, struct buf *out, struct ferry_err *err);
/*
 * Append to out the form of a word that the aligner compares: NFKC with
 * Unicode case folding ("Straße" and "STRASSE" become "strasse"), and
 * with `accents` also without combining marks ("café", "cafe").  ASCII
 * input takes a fast path.  Returns 0 or -1 with err filled.
 */
int text_fold_word(const char *s, size_t len, int accents, struct buf *out, struct ferry_err *err);
/* Free this thread's transliterator and ICU's caches (at exit). */
void text_cleanup(void);
/* Free this thread's transliterator (at the end of a worker thread). */
void text_thread_cleanup(void);
#endif

#ifndef FERRY_TEXT_CELLS
#define FERRY_TEXT_CELLS
/*
 * Display text for the terminal.  A string becomes a list of cells, one
 * per grapheme cluster (ICU character boundaries: a base letter and its
 * combining marks, a ZWJ emoji sequence, a Hangul syllable stay one cell),
 * each with its width in terminal columns from wcwidth(3) — what the
 * terminal itself uses — under a UTF-8 LC_CTYPE.  Control characters and
 * other unprintable code points are never passed through: they become
 * visible escapes (^[ for ESC, \x9b for a C1 control, \u{200e} for an
 * invisible format character), so a token cannot move the cursor or
 * change colours.
 */
struct text_cell {
	uint32_t off, len;       /* the cluster's bytes in the source string */
	uint8_t  width;          /* columns it takes when drawn */
	uint8_t  escaped;        /* draw `shown` instead of the bytes */
	uint8_t  rtl;            /* strong right-to-left (Arabic, Hebrew, ...) */
	char     shown[14];
};

struct text_cells {
	struct text_cell *v;
	size_t n, cap;
	size_t width;            /* sum of the widths */
};

void text_cells_release(struct text_cells *c);
/* Free this thread's cached break iterator (text_thread_cleanup and text_cleanup call it). */
void text_cells_thread_cleanup(void);
/* Split valid UTF-8 s into cells (out is reset first).  0 or -1 (err). */
int text_cells(const char *s, size_t len, struct text_cells *out, struct ferry_err *err);

/*
 * Visual order of cells [from, to) of s laid out on one line: visual[k]
 * is the index of the cell drawn at position k (left to right), by the
 * Unicode bidirectional algorithm (ICU ubidi) with a paragraph direction
 * taken from the first strong character.  Spans keep logical offsets;
 * only drawing uses this order.  Returns 0 or -1 (err).
 */
int text_visual_order(const char *s, const struct text_cells *c, size_t from, size_t to,
		      size_t *visual, struct ferry_err *err);

/*
 * Bidi over words rather than characters, for laying out tokens: each
 * word is represented by one code point that carries its bidi class
 * (text_bidi_rep: its first strong character, else its first digit, else
 * its first character).  text_bidi_levels resolves the embedding level of
 * each of n words of one paragraph, laid out with single spaces between
 * them, in paragraph direction rtl (0 left to right, 1 right to left);
 * an odd level is a word read right to left.  Text with nothing right to
 * left in it takes no ICU call.  Returns 0 or -1 (err).
 * text_bidi_reorder puts the words of one line into visual order from
 * their levels (rule L2): visual[k] is the word drawn k-th from the left.
 */
int32_t text_bidi_rep(const char *s, size_t len);
int text_bidi_levels(const int32_t *rep, size_t n, int rtl, uint8_t *level, struct ferry_err *err);
void text_bidi_reorder(const uint8_t *level, size_t n, size_t *visual);
/* 1 when the first strong character of s is right to left (Arabic, Hebrew, ...). */
int text_first_strong_rtl(const char *s, size_t len);
/* 1 when the locale's character set (LC_CTYPE) is UTF-8, as the widths need. */
int text_locale_utf8(void);
#endif
