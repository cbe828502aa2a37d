/*
 * text.c — UTF-8 validation, NFC through ICU's unorm2, whitespace splitting
 * and ICU word-boundary tokenisation.
 *
 * Most corpus text is ASCII, and ASCII is always NFC, so every entry point
 * has an ASCII fast path and only converts to UTF-16 for ICU when it must.
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uclean.h>
#include <unicode/unorm2.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "ferry/mem.h"
#include "ferry/text.h"

int32_t
text_utf8_next(const char *str, size_t len, size_t *i)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[*i];
	size_t n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
	UChar32 cp = n == 0 ? c : n == 1 ? (c & 0x1F) : n == 2 ? (c & 0x0F) : (c & 0x07);

	(*i)++;
	for (size_t k = 0; k < n && *i < len; k++, (*i)++)
		cp = (cp << 6) | (s[*i] & 0x3F);
	return cp;
}

void
text_ranges_release(struct text_ranges *r)
{
	free(r->v);
	r->v = NULL;
	r->n = r->cap = 0;
}

static void
ranges_push(struct text_ranges *r, size_t off, size_t len)
{
	VEC_GROW(r->v, r->cap, r->n + 1);
	r->v[r->n].off = off;
	r->v[r->n].len = len;
	r->n++;
}

int
text_utf8_valid(const char *str, size_t len, size_t *bad)
{
	size_t i = 0;

	while (i < len) {
		/* eight ASCII bytes at once, the common case */
		uint64_t w;
		while (i + 8 <= len && (memcpy(&w, str + i, 8), (w & 0x8080808080808080ull) == 0))
			i += 8;
		if (i >= len)
			break;
		unsigned char c = (unsigned char)str[i];
		size_t n = c < 0x80 ? 1
			 : (c >= 0xC2 && c <= 0xDF && i + 1 < len && ((unsigned char)str[i + 1] & 0xC0) == 0x80) ? 2
			 : utf8_seq_len(str + i, len - i);
		if (n == 0) {
			if (bad)
				*bad = i;
			return 0;
		}
		i += n;
	}
	return 1;
}

int
text_next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *n)
{
	size_t end = *pos;

	if (*pos >= len)
		return 0;
	while (end < len && text[end] != '\n')
		end++;
	*line = text + *pos;
	*n = end - *pos;
	*pos = end + 1;
	return 1;
}

int
text_next_fields(const char *text, size_t len, size_t *pos, long *lineno, const char **line,
		 size_t *n, struct text_ranges *f, const char *file, struct ferry_err *err)
{
	size_t bad;

	while (text_next_line(text, len, pos, line, n)) {
		++*lineno;
		if (!text_utf8_valid(*line, *n, &bad))
			return err_at(err, EX_DATAERR, file, *lineno, text_column(*line, bad),
				      "invalid UTF-8 (expected UTF-8 text)");
		text_split_ws(*line, *n, f);
		if (f->n > 0 && (*line)[f->v[0].off] != '#')
			return 1;
	}
	return 0;
}

size_t
text_count_chars(const char *s, size_t n)
{
	size_t cont = 0, i = 0;

	/*
	 * Eight bytes at a time: a continuation byte is 10xxxxxx, its top bit
	 * set and the next one (shifted up into the top bit's place) clear;
	 * those top bits, moved down to each byte's lowest, are summed into
	 * the highest byte by one multiplication (eight at most: no carry).
	 */
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, sizeof w);
		uint64_t c = (w & ~(w << 1) & 0x8080808080808080ull) >> 7;
		cont += (size_t)((c * 0x0101010101010101ull) >> 56);
	}
	for (; i < n; i++)
		cont += ((unsigned char)s[i] & 0xC0) == 0x80;
	return n - cont;
}

long
text_column(const char *s, size_t off)
{
	return 1 + (long)text_count_chars(s, off);
}

/* Eight bytes at a time: a word of s, and its bytes' top bits. */
#define WORD_TOPS 0x8080808080808080ull

static inline uint64_t
load_word(const char *s)
{
	uint64_t w;

	memcpy(&w, s, sizeof w);
	return w;
}

/* Is s[0..len) ASCII (no byte above 0x7F)?  Eight bytes at a time. */
static int
text_is_ascii(const char *s, size_t len)
{
	uint64_t any = 0;
	size_t i = 0;

	for (; i + 8 <= len; i += 8)
		any |= load_word(s + i);
	for (; i < len; i++)
		any |= (unsigned char)s[i];
	return (any & WORD_TOPS) == 0;
}

/*
 * Is valid UTF-8 s in NFC for want of anything that could change?  Its
 * code points all below TEXT_NFC_STABLE_END (0x250): every one of them is a
 * starter (combining class 0) that never combines with what precedes it
 * (NFC_Quick_Check Yes), so the string is its own NFC (check suite text
 * asks ICU about each).  Latin text, German, Swahili, most of Europe's,
 * is decided without ICU; 0: let ICU decide.
 */
int
text_nfc_stable(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;

	for (size_t i = 0; i < len; i++) {
		/* ASCII eight bytes at a time */
		while (i + 8 <= len && (load_word(str + i) & WORD_TOPS) == 0)
			i += 8;
		if (i >= len)
			break;
		if (s[i] < 0x80)
			continue;
		/* two bytes 110xxxxx 10yyyyyy: U+0080-U+07FF; stable below U+0250 */
		if (!text_nfc_stable_pair(s + i, len - i))
			return 0;
		i++;
	}
	return 1;
}

/* An ICU failure: out of memory said as such (EX_OSERR, as mem.c says it), anything else EX_SOFTWARE. */
static int
icu_fail(struct ferry_err *err, UErrorCode st, const char *what)
{
	if (st == U_MEMORY_ALLOCATION_ERROR)
		return err_set(err, EX_OSERR, "out of memory (in ICU: %s)", what);
	return err_set(err, EX_SOFTWARE, "icu: %s: %s", what, u_errorName(st));
}

/* Convert UTF-8 to a freshly allocated UTF-16 string; caller frees. */
static UChar *
to_utf16(const char *s, size_t len, int32_t *out_len, struct ferry_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t n = 0;

	if (len > INT32_MAX / 2) {
		err_set(err, EX_DATAERR, "text of %zu bytes is too long", len);
		return NULL;
	}
	UChar *u = xmalloc((len + 1) * sizeof(UChar));
	u_strFromUTF8(u, (int32_t)len + 1, &n, s, (int32_t)len, &st);
	if (U_FAILURE(st)) {
		free(u);
		icu_fail(err, st, "utf-8 conversion failed");
		return NULL;
	}
	*out_len = n;
	return u;
}

/* Append the UTF-8 form of u[0..n) to out. */
static int
add_utf8(struct buf *out, const UChar *u, int32_t n, struct ferry_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t need = 0;

	u_strToUTF8(NULL, 0, &need, u, n, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
		return icu_fail(err, st, "utf-8 conversion failed");
	buf_grow(out, (size_t)need);
	st = U_ZERO_ERROR;
	u_strToUTF8(out->s + out->len, need + 1, NULL, u, n, &st);
	if (U_FAILURE(st))
		return icu_fail(err, st, "utf-8 conversion failed");
	out->len += (size_t)need;
	out->s[out->len] = '\0';
	return 0;
}

int
text_nfc(const char *s, size_t len, struct buf *out, struct ferry_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfc;
	UChar *u = NULL, *v = NULL;
	int32_t n = 0;
	int rc = -1;

	if (text_nfc_stable(s, len)) {
		buf_add(out, s, len);
		return 0;
	}
	nfc = unorm2_getNFCInstance(&st);
	if (U_FAILURE(st))
		return icu_fail(err, st, "no NFC data");
	if ((u = to_utf16(s, len, &n, err)) == NULL)
		return -1;
	if (unorm2_isNormalized(nfc, u, n, &st) && U_SUCCESS(st)) {
		buf_add(out, s, len);
		rc = 0;
		goto out;
	}
	st = U_ZERO_ERROR;
	int32_t cap = n * 3 + 16;
	v = xmalloc((size_t)cap * sizeof(UChar));
	int32_t m = unorm2_normalize(nfc, u, n, v, cap, &st);
	if (U_FAILURE(st)) {
		icu_fail(err, st, "normalisation failed");
		goto out;
	}
	if (add_utf8(out, v, m, err) < 0)
		goto out;
	rc = 1;
out:
	free(u);
	free(v);
	return rc;
}

size_t
text_ws_len(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;

	if (len == 0)
		return 0;
	if (s[0] < 0x80)
		return (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')) ? 1 : 0;
	if (len >= 2 && s[0] == 0xC2 && (s[1] == 0x85 || s[1] == 0xA0))
		return 2;
	if (len < 3)
		return 0;
	if (s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80)          /* U+1680 */
		return 3;
	if (s[0] == 0xE2 && s[1] == 0x80 &&
	    (s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
		return 3;                                  /* U+2000..200A, 2028/9, 202F */
	if (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)          /* U+205F */
		return 3;
	if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)          /* U+3000 */
		return 3;
	return 0;
}

void
text_split_ascii(const char *s, size_t len, struct text_ranges *out)
{
	size_t i = 0, n = 0;

	VEC_GROW(out->v, out->cap, len / 2 + 1);
	for (;;) {
		while (i < len && ((unsigned char)s[i] == ' ' || (unsigned)((unsigned char)s[i] - '\t') < 5u))
			i++;
		if (i >= len)
			break;
		size_t start = i++;
		while (i < len && (unsigned char)s[i] != ' ' && (unsigned)((unsigned char)s[i] - '\t') >= 5u)
			i++;
		out->v[n].off = start;
		out->v[n].len = i - start;
		n++;
	}
	out->n = n;
}

void
text_split_ws(const char *str, size_t len, struct text_ranges *out)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n = 0;

	/* at most a token for every two bytes and one more: room once */
	VEC_GROW(out->v, out->cap, len / 2 + 1);
	for (;;) {
		/* printable ASCII ends a run of whitespace or continues a token
		   at once; only other bytes are asked what they are */
		while (i < len && !(s[i] > ' ' && s[i] < 0x80)) {
			size_t w = text_ws_at(str, len, i);
			if (w == 0)
				break;
			i += w;
		}
		if (i >= len)
			break;
		size_t start = i++;
		while (i < len && ((s[i] > ' ' && s[i] < 0x80) || text_ws_at(str, len, i) == 0))
			i++;
		out->v[n].off = start;
		out->v[n].len = i - start;
		n++;
	}
	out->n = n;
}

/* Byte offset in the UTF-8 original of UTF-16 index `ui`. */
static size_t
utf8_offset(const char *s, size_t len, const UChar *u, int32_t ui, size_t *pos8,
	    int32_t *pos16)
{
	/* Walk forward from the last position: segments come in order. */
	while (*pos16 < ui && *pos8 < len) {
		UChar32 c = text_utf8_next(s, len, pos8);
		*pos16 += U16_LENGTH(c);
	}
	(void)u;
	return *pos8;
}

int
text_tokenize(const char *s, size_t len, struct text_ranges *out,
	      struct ferry_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	UBreakIterator *bi;
	int32_t n = 0;
	size_t pos8 = 0;
	int32_t pos16 = 0;
	UChar *u;

	out->n = 0;
	if ((u = to_utf16(s, len, &n, err)) == NULL)
		return -1;
	bi = ubrk_open(UBRK_WORD, "", u, n, &st);
	if (U_FAILURE(st)) {
		free(u);
		return icu_fail(err, st, "cannot open a word break iterator");
	}
	int32_t a = ubrk_first(bi);
	for (int32_t b = ubrk_next(bi); b != UBRK_DONE; a = b, b = ubrk_next(bi)) {
		size_t from = utf8_offset(s, len, u, a, &pos8, &pos16);
		size_t to = utf8_offset(s, len, u, b, &pos8, &pos16);
		/* a segment can hold whitespace ("\u0020\u202E": format
		   characters join the character before them): tokens are
		   its whitespace-free runs */
		size_t k = from;
		while (k < to) {
			size_t w = text_ws_len(s + k, to - k);
			if (w) {
				k += w;
				continue;
			}
			size_t start = k;
			while (k < to && text_ws_len(s + k, to - k) == 0)
				(void)text_utf8_next(s, to, &k);
			ranges_push(out, start, k - start);
		}
	}
	ubrk_close(bi);
	free(u);
	return 0;
}

int
text_is_punct(const char *s, size_t len)
{
	size_t i = 0;

	if (len == 0)
		return 0;
	/* a word, as most tokens are: an ASCII letter or digit first is no punctuation */
	unsigned char c = (unsigned char)s[0];
	if ((unsigned)((c | 0x20) - 'a') < 26u || (unsigned)(c - '0') < 10u)
		return 0;
	while (i < len)
		if (!u_ispunct(text_utf8_next(s, len, &i)))
			return 0;
	return 1;
}

/* One transliterator per thread: utrans objects are not thread-safe. */
static _Thread_local UTransliterator *fold_trans;

/*
 * d[0..n) = ASCII s[0..n) with capitals in lower case, eight bytes at a
 * time: in a word of bytes below 0x80, adding 0x80 - 'A' sets a byte's
 * top bit when it is at least 'A', adding 0x80 - 'Z' - 1 when it is above
 * 'Z' (no carry crosses a byte); where the two differ is a capital, and
 * the top bit shifted down to 0x20 makes it small.
 */
static void
lower_ascii(char *restrict d, const char *restrict s, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w = load_word(s + i);
		uint64_t caps = ((w + 0x3f3f3f3f3f3f3f3full) ^ (w + 0x2525252525252525ull)) & WORD_TOPS;
		w |= caps >> 2;
		memcpy(d + i, &w, sizeof w);
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		d[i] = (char)((unsigned)(c - 'A') < 26u ? c + ('a' - 'A') : c);
	}
}

int
text_fold_ascii(const char *s, size_t len, struct buf *out)
{
	if (!text_is_ascii(s, len))
		return 0;
	buf_grow(out, len);
	lower_ascii(out->s + out->len, s, len);
	out->len += len;
	out->s[out->len] = '\0';
	return 1;
}

#include "text-fold-table.h"

/*
 * s[0..len) folded from the table when it is ASCII and Latin-1 supplement
 * and Latin Extended-A and B only (what ICU gives such a word, character by
 * character: bench/latin-fold-table.c); 0 when it holds anything else.
 */
static int
fold_from_table(const char *s, size_t len, struct buf *out)
{
	size_t at = out->len, i = 0;

	while (i < len) {
		unsigned char b = (unsigned char)s[i];
		if (b < 0x80) {
			buf_addc(out, (char)(b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b));
			i++;
			continue;
		}
		UChar32 c = text_utf8_next(s, len, &i);
		if (c < FOLD_TABLE_FIRST || c > FOLD_TABLE_LAST) {
			out->len = at;
			if (out->s)
				out->s[at] = '\0';
			return 0;
		}
		buf_adds(out, fold_table[c - FOLD_TABLE_FIRST]);
	}
	return 1;
}

int
text_fold_latin_icu(const char *s, size_t len, struct buf *out, struct ferry_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t n = 0;
	UChar *u;

	if (fold_trans == NULL) {
		static const UChar id[] = u"Any-Latin; Latin-ASCII; Lower";
		fold_trans = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
		if (U_FAILURE(st))
			return icu_fail(err, st, "no Any-Latin transliterator");
	}
	if ((u = to_utf16(s, len, &n, err)) == NULL)
		return -1;
	/* transliteration can grow the text (e.g. one Han character to "bei ") */
	int32_t cap = n * 8 + 16, limit = n, tlen = n;
	u = xrealloc(u, (size_t)cap * sizeof(UChar));
	utrans_transUChars(fold_trans, u, &tlen, cap, 0, &limit, &st);
	if (U_FAILURE(st)) {
		free(u);
		return icu_fail(err, st, "transliteration failed");
	}
	int rc = add_utf8(out, u, tlen, err);
	free(u);
	return rc;
}

int
text_fold_latin(const char *s, size_t len, struct buf *out, struct ferry_err *err)
{
	if (text_fold_ascii(s, len, out))
		return 0;
	/* Latin words (German, Swahili, French ...) without ICU's transliterator */
	if (fold_from_table(s, len, out))
		return 0;
	return text_fold_latin_icu(s, len, out, err);
}

/* u[0..*n) normalised by nrm in place (grown as needed); -1 with err filled. */
static int
normalize_in_place(const UNormalizer2 *nrm, UChar **u, int32_t *n, struct ferry_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t cap = *n * 4 + 16;
	UChar *v = xmalloc((size_t)cap * sizeof(UChar));
	int32_t m = unorm2_normalize(nrm, *u, *n, v, cap, &st);

	if (U_FAILURE(st)) {
		free(v);
		return icu_fail(err, st, "normalisation failed");
	}
	free(*u);
	*u = v;
	*n = m;
	return 0;
}

int
text_fold_word(const char *s, size_t len, int accents, struct buf *out, struct ferry_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *cf, *nfd;
	UChar *u;
	int32_t n = 0;
	int rc = -1;

	if (text_fold_ascii(s, len, out))
		return 0;
	cf = unorm2_getNFKCCasefoldInstance(&st);
	nfd = unorm2_getNFDInstance(&st);
	if (U_FAILURE(st))
		return icu_fail(err, st, "no NFKC_Casefold data");
	if ((u = to_utf16(s, len, &n, err)) == NULL)
		return -1;
	if (normalize_in_place(cf, &u, &n, err) < 0)
		goto out;
	if (accents) {
		if (normalize_in_place(nfd, &u, &n, err) < 0)
			goto out;
		int32_t w = 0;
		for (int32_t r = 0; r < n;) {
			UChar32 c;
			int32_t at = w;
			U16_NEXT(u, r, n, c);
			if (u_charType(c) == U_NON_SPACING_MARK)
				continue;
			U16_APPEND_UNSAFE(u, at, c);
			w = at;
		}
		n = w;
		/* back to composed form, so that a folded form is one spelling */
		if (normalize_in_place(cf, &u, &n, err) < 0)
			goto out;
	}
	rc = add_utf8(out, u, n, err);
out:
	free(u);
	return rc;
}

void
text_thread_cleanup(void)
{
	text_cells_thread_cleanup();
	if (fold_trans != NULL)
		utrans_close(fold_trans);
	fold_trans = NULL;
}

void
text_cleanup(void)
{
	text_thread_cleanup();
	u_cleanup();
}
