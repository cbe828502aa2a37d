/*
 * text-cells.c — grapheme clusters, display widths, visible escapes and
 * bidi reordering for the terminal (part of the text module).
 *
 * ncurses draws what it is given, in the order given: it measures nothing
 * and reorders nothing.  So every string the UI shows is first cut into
 * grapheme clusters with ICU (never split across cells or lines), measured
 * as the sum of wcwidth(3) of its code points (how a terminal advances;
 * a ZWJ emoji sequence therefore counts 4), cleaned of control characters,
 * and — per drawn line —
 * put into visual order with ICU's bidi algorithm.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <langinfo.h>
#include <wchar.h>

#include <unicode/ubidi.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "ferry/mem.h"
#include "ferry/text.h"

void
text_cells_release(struct text_cells *c)
{
	free(c->v);
	memset(c, 0, sizeof *c);
}

/* Fill one cell from the cluster s[off, off+len). */
static void
measure(const char *s, size_t off, size_t len, struct text_cell *cell)
{
	size_t i = off;
	UChar32 first = text_utf8_next(s, off + len, &i);
	int w = wcwidth((wchar_t)first), vs16 = 0;

	memset(cell, 0, sizeof *cell);
	cell->off = (uint32_t)off;
	cell->len = (uint32_t)len;
	/* the terminal advances by each code point's wcwidth: sum them */
	while (i < off + len) {
		UChar32 c = text_utf8_next(s, off + len, &i);
		int cw = wcwidth((wchar_t)c);
		vs16 |= c == 0xFE0F;
		if (cw > 0 && w >= 0)
			w += cw;
	}
	if (first < 0x20 || first == 0x7F) {
		snprintf(cell->shown, sizeof cell->shown, "^%c", first == 0x7F ? '?' : (char)(first + '@'));
	} else if (first >= 0x80 && first < 0xA0) {
		snprintf(cell->shown, sizeof cell->shown, "\\x%02x", (unsigned)first);
	} else if (w < 0 || (w == 0 && u_charType(first) == U_FORMAT_CHAR)) {
		/* unprintable, or an invisible format character (LRM, RLO, ...) */
		snprintf(cell->shown, sizeof cell->shown, "\\u{%x}", (unsigned)first);
	} else {
		cell->width = (uint8_t)(vs16 && w == 1 ? 2 : w);
		int dir = u_charDirection(first);
		cell->rtl = dir == U_RIGHT_TO_LEFT || dir == U_RIGHT_TO_LEFT_ARABIC;
		return;
	}
	cell->escaped = 1;
	cell->width = (uint8_t)strlen(cell->shown);
}

/* This thread's character break iterator, kept between calls: opening one costs more than the rest. */
static _Thread_local UBreakIterator *cluster_iter;

/* Cut printable ASCII into cells without ICU: every byte a cluster of width 1. */
static int
ascii_cells(const char *s, size_t len, struct text_cells *out)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7E)
			return 0;
	VEC_GROW(out->v, out->cap, len);
	for (size_t i = 0; i < len; i++) {
		memset(&out->v[i], 0, sizeof out->v[i]);
		out->v[i].off = (uint32_t)i;
		out->v[i].len = 1;
		out->v[i].width = 1;
	}
	out->n = len;
	out->width = len;
	return 1;
}

int
text_cells(const char *s, size_t len, struct text_cells *out, struct ferry_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	UChar *u;
	int32_t n = 0;
	size_t pos8 = 0;
	int32_t pos16 = 0;

	out->n = 0;
	out->width = 0;
	if (len == 0 || ascii_cells(s, len, out))
		return 0;
	u = xmalloc((len + 1) * sizeof *u);
	u_strFromUTF8(u, (int32_t)len + 1, &n, s, (int32_t)len, &st);
	if (U_FAILURE(st)) {
		free(u);
		return err_set(err, EX_SOFTWARE, "icu: utf-8 conversion failed: %s", u_errorName(st));
	}
	if (cluster_iter == NULL)
		cluster_iter = ubrk_open(UBRK_CHARACTER, "", u, n, &st);
	else
		ubrk_setText(cluster_iter, u, n, &st);
	if (U_FAILURE(st)) {
		free(u);
		return err_set(err, EX_SOFTWARE, "icu: no character break iterator: %s", u_errorName(st));
	}
	UBreakIterator *bi = cluster_iter;
	ubrk_first(bi);
	for (int32_t b = ubrk_next(bi); b != UBRK_DONE; b = ubrk_next(bi)) {
		size_t from = pos8;
		while (pos16 < b && pos8 < len) {
			UChar32 c = text_utf8_next(s, len, &pos8);
			pos16 += U16_LENGTH(c);
		}
		VEC_GROW(out->v, out->cap, out->n + 1);
		measure(s, from, pos8 - from, &out->v[out->n]);
		out->width += out->v[out->n].width;
		out->n++;
	}
	/* the iterator must not point at u once it is freed */
	ubrk_setText(bi, NULL, 0, &st);
	free(u);
	return 0;
}

/* Close this thread's break iterator (text_thread_cleanup, text_cleanup). */
void
text_cells_thread_cleanup(void)
{
	if (cluster_iter != NULL)
		ubrk_close(cluster_iter);
	cluster_iter = NULL;
}

int
text_visual_order(const char *s, const struct text_cells *c, size_t from, size_t to,
		  size_t *visual, struct ferry_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	int any_rtl = 0;

	for (size_t i = from; i < to; i++) {
		visual[i - from] = i;
		any_rtl |= c->v[i].rtl;
	}
	if (!any_rtl || to <= from)
		return 0;       /* the common case needs no ICU at all */
	/* one UTF-16 unit per cell: a stand-in character of the cell's class */
	size_t n = to - from;
	UChar *u = xmalloc((n + 1) * sizeof *u);
	for (size_t i = 0; i < n; i++) {
		const struct text_cell *cell = &c->v[from + i];
		size_t k = cell->off;
		UChar32 first = cell->escaped ? 'x' : text_utf8_next(s, cell->off + cell->len, &k);
		int dir = u_charDirection(first);
		/* keep the character's bidi class with a BMP stand-in */
		u[i] = first <= 0xFFFF ? (UChar)first : (UChar)(dir == U_RIGHT_TO_LEFT ? 0x05D0 : 'x');
		if (cell->escaped)
			u[i] = 'x';
	}
	UBiDi *bidi = ubidi_openSized((int32_t)n, 0, &st);
	ubidi_setPara(bidi, u, (int32_t)n, UBIDI_DEFAULT_LTR, NULL, &st);
	int32_t *map = xmalloc((n + 1) * sizeof *map);
	if (U_SUCCESS(st))
		ubidi_getVisualMap(bidi, map, &st);
	if (U_FAILURE(st)) {
		ubidi_close(bidi);
		free(u);
		free(map);
		return err_set(err, EX_SOFTWARE, "icu: bidi failed: %s", u_errorName(st));
	}
	for (size_t k = 0; k < n; k++)
		visual[k] = from + (size_t)map[k];
	ubidi_close(bidi);
	free(u);
	free(map);
	return 0;
}

/* Is a bidi class one that makes text right to left? */
static int
dir_is_rtl(int dir)
{
	return dir == U_RIGHT_TO_LEFT || dir == U_RIGHT_TO_LEFT_ARABIC;
}

/* The code point that stands for a word's bidi class. */
int32_t
text_bidi_rep(const char *s, size_t len)
{
	int32_t first = ' ', digit = 0;
	size_t i = 0;

	while (i < len) {
		int32_t c = text_utf8_next(s, len, &i);
		int dir = u_charDirection(c);
		if (dir == U_LEFT_TO_RIGHT || dir_is_rtl(dir))
			return c;
		if (!digit && (dir == U_EUROPEAN_NUMBER || dir == U_ARABIC_NUMBER))
			digit = c;
		if (first == ' ')
			first = c;
	}
	return digit ? digit : first;
}

/* Is the first strong character right to left? */
int
text_first_strong_rtl(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		int dir = u_charDirection(text_utf8_next(s, len, &i));
		if (dir == U_LEFT_TO_RIGHT)
			return 0;
		if (dir_is_rtl(dir))
			return 1;
	}
	return 0;
}

/* The embedding levels of the words of one paragraph. */
int
text_bidi_levels(const int32_t *rep, size_t n, int rtl, uint8_t *level, struct ferry_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	int any_rtl = rtl;

	for (size_t i = 0; i < n; i++) {
		level[i] = 0;
		any_rtl |= dir_is_rtl(u_charDirection(rep[i]));
	}
	if (!any_rtl || n == 0)
		return 0;       /* left to right throughout: no ICU */
	/* each word one UTF-16 unit of its class, a space between words */
	int32_t len = (int32_t)(2 * n - 1);
	UChar *u = xmalloc((size_t)len * sizeof *u);
	for (size_t i = 0; i < n; i++) {
		int32_t c = rep[i];
		if (c > 0xFFFF)
			c = dir_is_rtl(u_charDirection(c)) ? 0x05D0 : u_charDirection(c) == U_LEFT_TO_RIGHT ? 'a' : '.';
		u[2 * i] = (UChar)c;
		if (i + 1 < n)
			u[2 * i + 1] = ' ';
	}
	UBiDi *bidi = ubidi_openSized(len, 0, &st);
	ubidi_setPara(bidi, u, len, rtl ? 1 : 0, NULL, &st);
	for (size_t i = 0; i < n && U_SUCCESS(st); i++)
		level[i] = ubidi_getLevelAt(bidi, (int32_t)(2 * i));
	ubidi_close(bidi);
	free(u);
	if (U_FAILURE(st))
		return err_set(err, EX_SOFTWARE, "icu: bidi failed: %s", u_errorName(st));
	return 0;
}

/* The words of one line in visual order, from their levels. */
void
text_bidi_reorder(const uint8_t *level, size_t n, size_t *visual)
{
	int mixed = 0;

	for (size_t i = 0; i < n; i++) {
		visual[i] = i;
		mixed |= level[i] != level[0];
	}
	if (n == 0 || (!mixed && level[0] % 2 == 0))
		return;
	if (!mixed) {           /* one right-to-left run: reversed */
		for (size_t i = 0; i < n; i++)
			visual[i] = n - 1 - i;
		return;
	}
	int32_t *map = xmalloc(n * sizeof *map);
	ubidi_reorderVisual(level, (int32_t)n, map);
	for (size_t k = 0; k < n; k++)
		visual[k] = (size_t)map[k];
	free(map);
}

/* Is LC_CTYPE's character set UTF-8? */
int
text_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}
