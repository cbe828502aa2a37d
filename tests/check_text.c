/* check_text.c — UTF-8, NFC, whitespace and word-boundary tokenisation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_ferry.h"
#include "ferry/text.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>

/* Tokens of s joined by '|', for exact comparisons. */
static void
joined(const char *s, const struct text_ranges *r, char *out, size_t cap)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < r->n; i++) {
		o += (size_t)snprintf(out + o, cap - o, "%s%.*s", i ? "|" : "", (int)r->v[i].len, s + r->v[i].off);
	}
}

START_TEST(utf8_valid_and_invalid)
{
	size_t bad = 99;

	ck_assert_int_eq(text_utf8_valid("Gr\xc3\xbc\xc3\x9f" "e", 6, &bad), 1);
	ck_assert_int_eq(text_utf8_valid("\xf0\x9f\x98\x80", 4, &bad), 1);              /* emoji */
	ck_assert_int_eq(text_utf8_valid("ab\xc3", 3, &bad), 0);                         /* truncated */
	ck_assert_uint_eq(bad, 2);
	ck_assert_int_eq(text_utf8_valid("a\xc0\xaf", 3, &bad), 0);                      /* overlong */
	ck_assert_uint_eq(bad, 1);
	ck_assert_int_eq(text_utf8_valid("\xed\xa0\x80", 3, &bad), 0);                   /* surrogate */
	ck_assert_uint_eq(bad, 0);
	ck_assert_int_eq(text_utf8_valid("xy\xf4\x90\x80\x80", 6, &bad), 0);             /* > U+10FFFF */
	ck_assert_uint_eq(bad, 2);
	ck_assert_int_eq(text_utf8_valid("\xff", 1, &bad), 0);
}
END_TEST

START_TEST(utf8_encode_boundaries)
{
	static const struct { unsigned long cp; const char *utf8; } cases[] = {
		{ 0x41, "A" }, { 0x7F, "\x7f" }, { 0x80, "\xc2\x80" }, { 0xE9, "\xc3\xa9" },
		{ 0x7FF, "\xdf\xbf" }, { 0x800, "\xe0\xa0\x80" }, { 0x4E2D, "\xe4\xb8\xad" },
		{ 0xFFFF, "\xef\xbf\xbf" }, { 0x10000, "\xf0\x90\x80\x80" },
		{ 0x1F600, "\xf0\x9f\x98\x80" }, { 0x10FFFF, "\xf4\x8f\xbf\xbf" },
	};
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		buf_reset(&b);
		buf_add_utf8(&b, cases[i].cp);
		ck_assert_str_eq(buf_cstr(&b), cases[i].utf8);
		ck_assert_uint_eq(utf8_seq_len(buf_cstr(&b), b.len), b.len);
	}
	buf_release(&b);
}
END_TEST

START_TEST(columns_count_code_points)
{
	ck_assert_int_eq(text_column("abc", 2), 3);
	ck_assert_int_eq(text_column("\xd8\xa7\xd9\x84x", 4), 3);   /* Arabic alef lam, then x */
	ck_assert_int_eq(text_column("\xe4\xb8\xad\xe6\x96\x87!", 6), 3);
}
END_TEST

START_TEST(nfc_composes)
{
	struct buf b = BUF_INIT;
	struct ferry_err err = { 0 };

	ck_assert_int_eq(text_nfc("Mu\xcc\x88ller", 8, &b, &err), 1);       /* u + U+0308 */
	ck_assert_str_eq(buf_cstr(&b), "M\xc3\xbcller");
	buf_reset(&b);
	ck_assert_int_eq(text_nfc("M\xc3\xbcller", 7, &b, &err), 0);        /* already NFC */
	ck_assert_str_eq(buf_cstr(&b), "M\xc3\xbcller");
	buf_reset(&b);
	/* Devanagari QA written as KA + NUKTA stays decomposed (a composition exclusion) */
	ck_assert_int_eq(text_nfc("\xe0\xa4\x95\xe0\xa4\xbc", 6, &b, &err), 0);
	buf_reset(&b);
	/* Hangul jamo compose to one syllable */
	ck_assert_int_eq(text_nfc("\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab", 9, &b, &err), 1);
	ck_assert_str_eq(buf_cstr(&b), "\xed\x95\x9c");
	buf_release(&b);
}
END_TEST

START_TEST(split_at_unicode_whitespace)
{
	struct text_ranges r = { 0 };
	char out[256];
	const char *s = "  Dar\xc2\xa0" "es\tSalaam \xe3\x80\x80" "\xe5\x8c\x97\xe4\xba\xac  ";

	text_split_ws(s, strlen(s), &r);
	joined(s, &r, out, sizeof out);
	ck_assert_str_eq(out, "Dar|es|Salaam|\xe5\x8c\x97\xe4\xba\xac");
	text_split_ws("", 0, &r);
	ck_assert_uint_eq(r.n, 0);
	text_ranges_release(&r);
}
END_TEST

START_TEST(tokenize_with_icu)
{
	struct text_ranges r = { 0 };
	struct ferry_err err = { 0 };
	char out[512];
	const char *en = "Dr. M\xc3\xbcller's car, in Berlin!";
	const char *thai = "\xe0\xb8\x89\xe0\xb8\xb1\xe0\xb8\x99\xe0\xb8\x81\xe0\xb8\xb4\xe0\xb8\x99\xe0\xb8\x82\xe0\xb9\x89\xe0\xb8\xb2\xe0\xb8\xa7"; /* ฉันกินข้าว */
	const char *emoji = "hi \xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb ok"; /* woman technologist (ZWJ) */

	ck_assert_int_eq(text_tokenize(en, strlen(en), &r, &err), 0);
	joined(en, &r, out, sizeof out);
	ck_assert_str_eq(out, "Dr|.|M\xc3\xbcller's|car|,|in|Berlin|!");
	ck_assert_int_eq(text_tokenize(thai, strlen(thai), &r, &err), 0);
	joined(thai, &r, out, sizeof out);
	ck_assert_str_eq(out, "\xe0\xb8\x89\xe0\xb8\xb1\xe0\xb8\x99|\xe0\xb8\x81\xe0\xb8\xb4\xe0\xb8\x99|"
			      "\xe0\xb8\x82\xe0\xb9\x89\xe0\xb8\xb2\xe0\xb8\xa7");
	ck_assert_int_eq(text_tokenize(emoji, strlen(emoji), &r, &err), 0);
	joined(emoji, &r, out, sizeof out);
	ck_assert_str_eq(out, "hi|\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb|ok");
	/* ICU joins a format character to the space before it: the token is
	   the character alone, never the space (found by fuzz_lines) */
	const char *rlo = "Corp \xe2\x80\xae gnidaer";
	ck_assert_int_eq(text_tokenize(rlo, strlen(rlo), &r, &err), 0);
	joined(rlo, &r, out, sizeof out);
	ck_assert_str_eq(out, "Corp|\xe2\x80\xae|gnidaer");
	text_ranges_release(&r);
}
END_TEST

START_TEST(punctuation)
{
	ck_assert_int_eq(text_is_punct(".", 1), 1);
	ck_assert_int_eq(text_is_punct("\xe3\x80\x82", 3), 1);        /* ideographic full stop */
	ck_assert_int_eq(text_is_punct("\xd8\x8c", 2), 1);            /* Arabic comma */
	ck_assert_int_eq(text_is_punct("...", 3), 1);
	ck_assert_int_eq(text_is_punct("a.", 2), 0);
	ck_assert_int_eq(text_is_punct("", 0), 0);
}
END_TEST

START_TEST(quote_is_terminal_safe)
{
	char q[ERR_QUOTE_MAX];

	ck_assert_str_eq(err_quote(q, sizeof q, "a\x1b[31mb", 7), "a\\x1b[31mb");
	ck_assert_str_eq(err_quote(q, sizeof q, "\xc2\x9b" "x", 3), "\\xc2\\x9bx");   /* C1 CSI */
	ck_assert_str_eq(err_quote(q, sizeof q, "\xd8\xb9\xd9\x85\xd8\xa7\xd9\x86", 8),
			 "\xd8\xb9\xd9\x85\xd8\xa7\xd9\x86");
	/* only well-formed UTF-8 is copied (fuzz_align: \xfb and \xf5 leads got through) */
	ck_assert_str_eq(err_quote(q, sizeof q, "\xfb\xbb\xbb\xbb", 4), "\\xfb\\xbb\\xbb\\xbb");
	ck_assert_str_eq(err_quote(q, sizeof q, "\xf5\x92\x90\x8a", 4), "\\xf5\\x92\\x90\\x8a");
	ck_assert_str_eq(err_quote(q, sizeof q, "\xe0\x80\xaf", 3), "\\xe0\\x80\\xaf");      /* overlong */
	ck_assert_str_eq(err_quote(q, sizeof q, "\xed\xa0\x80", 3), "\\xed\\xa0\\x80");      /* surrogate */
	ck_assert_str_eq(err_quote(q, sizeof q, "\xf4\x90\x80\x80", 4), "\\xf4\\x90\\x80\\x80");
	ck_assert_str_eq(err_quote(q, sizeof q, "\xf0\x9f\x98\x80", 4), "\xf0\x9f\x98\x80");
	ck_assert_str_eq(err_quote(q, sizeof q, "0123456789012345678901234567890123456789XYZ", 43),
			 "0123456789012345678901234567890123456789...");
}
END_TEST

/* Cells as "text/width" joined by '|', escapes shown as drawn. */
static const char *
cells_of(const char *s)
{
	static char out[1024];
	struct text_cells c = { 0 };
	struct ferry_err err;
	size_t o = 0;

	ck_assert_int_eq(text_cells(s, strlen(s), &c, &err), 0);
	out[0] = '\0';
	for (size_t i = 0; i < c.n; i++) {
		const struct text_cell *k = &c.v[i];
		if (k->escaped)
			o += (size_t)snprintf(out + o, sizeof out - o, "%s%s/%d", i ? "|" : "", k->shown, k->width);
		else
			o += (size_t)snprintf(out + o, sizeof out - o, "%s%.*s/%d%s", i ? "|" : "", (int)k->len,
					      s + k->off, k->width, k->rtl ? "r" : "");
	}
	text_cells_release(&c);
	return out;
}

START_TEST(cells_and_widths)
{
	ck_assert_str_eq(cells_of("Mu\xcc\x88ller"), "M/1|u\xcc\x88/1|l/1|l/1|e/1|r/1");        /* combining mark */
	ck_assert_str_eq(cells_of("\xe5\x8c\x97\xe4\xba\xac"), "\xe5\x8c\x97/2|\xe4\xba\xac/2");   /* CJK wide */
	ck_assert_str_eq(cells_of("\xe0\xb8\x82\xe0\xb9\x89\xe0\xb8\xb2\xe0\xb8\xa7"),            /* Thai */
			 "\xe0\xb8\x82\xe0\xb9\x89/1|\xe0\xb8\xb2/1|\xe0\xb8\xa7/1");
	ck_assert_str_eq(cells_of("\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87"), /* Devanagari */
			 "\xe0\xa4\xa8/1|\xe0\xa4\xae/1|\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87/2");
	ck_assert_str_eq(cells_of("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb!"),                  /* ZWJ emoji */
			 "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb/4|!/1");
	ck_assert_str_eq(cells_of("\xd8\xb9\xd9\x85\xd8\xb1"), "\xd8\xb9/1r|\xd9\x85/1r|\xd8\xb1/1r"); /* Arabic */
	/* nothing reaches the terminal raw */
	ck_assert_str_eq(cells_of("a\x1b[1m\x7f"), "a/1|^[/2|[/1|1/1|m/1|^?/2");
	ck_assert_str_eq(cells_of("\xc2\x9b" "2J"), "\\x9b/4|2/1|J/1");
	ck_assert_str_eq(cells_of("x\xe2\x80\x8ey"), "x/1|\\u{200e}/8|y/1");
	ck_assert_str_eq(cells_of("\xe2\x80\xae" "evil"), "\\u{202e}/8|e/1|v/1|i/1|l/1");
}
END_TEST

static const char *
visual_of(const char *s)
{
	static char out[256];
	struct text_cells c = { 0 };
	struct ferry_err err;
	size_t vis[64], o = 0;

	ck_assert_int_eq(text_cells(s, strlen(s), &c, &err), 0);
	ck_assert_int_eq(text_visual_order(s, &c, 0, c.n, vis, &err), 0);
	for (size_t i = 0; i < c.n; i++)
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%zu", i ? " " : "", vis[i]);
	text_cells_release(&c);
	return out;
}

START_TEST(bidi_visual_order)
{
	ck_assert_str_eq(visual_of("ab cd"), "0 1 2 3 4");
	/* an Arabic word inside a left-to-right line is reversed in place */
	ck_assert_str_eq(visual_of("ab \xd9\x85\xd8\xb1 cd"), "0 1 2 4 3 5 6 7");
	/* a right-to-left paragraph: words and letters right to left, digits stay LTR */
	ck_assert_str_eq(visual_of("\xd8\xb9\xd9\x85 12"), "3 4 2 1 0");
}
END_TEST

/* Words of a sentence laid out as units: their levels and, line by line, their visual order. */
START_TEST(bidi_words)
{
	/* "عقدت جامعة Arab League 3 ." in a right-to-left paragraph */
	const char *w[] = { "\xd8\xb9\xd9\x82\xd8\xaf\xd8\xaa", "\xd8\xac\xd8\xa7\xd9\x85\xd8\xb9\xd8\xa9", "Arab",
			    "League", "3", "." };
	int32_t rep[6];
	uint8_t level[6];
	size_t visual[6];
	struct ferry_err err;

	for (int i = 0; i < 6; i++)
		rep[i] = text_bidi_rep(w[i], strlen(w[i]));
	ck_assert_int_eq(rep[0], 0x0639);
	ck_assert_int_eq(rep[2], 'A');
	ck_assert_int_eq(text_bidi_rep("(17.", 4), '1');
	ck_assert_int_eq(text_bidi_rep(",", 1), ',');
	ck_assert_int_eq(text_bidi_levels(rep, 6, 1, level, &err), 0);
	ck_assert_int_eq(level[0], 1);
	ck_assert_int_eq(level[1], 1);
	ck_assert_int_eq(level[2], 2);
	ck_assert_int_eq(level[3], 2);
	ck_assert_int_eq(level[4], 2);      /* a digit after Latin goes with it */
	ck_assert_int_eq(level[5], 1);      /* the full stop takes the paragraph's direction */
	text_bidi_reorder(level, 6, visual);
	/* from the left: . Arab League 3 جامعة عقدت */
	ck_assert_uint_eq(visual[0], 5);
	ck_assert_uint_eq(visual[1], 2);
	ck_assert_uint_eq(visual[2], 3);
	ck_assert_uint_eq(visual[3], 4);
	ck_assert_uint_eq(visual[4], 1);
	ck_assert_uint_eq(visual[5], 0);
	/* one line of the wrapped sentence, reordered on its own */
	text_bidi_reorder(level, 2, visual);
	ck_assert_uint_eq(visual[0], 1);
	ck_assert_uint_eq(visual[1], 0);
	/* left to right throughout: levels 0, the order kept */
	ck_assert_int_eq(text_bidi_levels(rep + 2, 3, 0, level, &err), 0);
	ck_assert_int_eq(level[0] | level[1] | level[2], 0);
	ck_assert_int_eq(text_first_strong_rtl("12 \xd8\xb9 a", 6), 1);
	ck_assert_int_eq(text_first_strong_rtl("12 a \xd8\xb9", 6), 0);
}
END_TEST

/* For ASCII, text_split_ascii cuts where text_split_ws does: random words, spaces and the other ASCII whitespace. */
START_TEST(split_ascii_is_split_ws)
{
	static const char alphabet[] = "ab \t\n\v\f\r.";
	struct text_ranges a = { 0 }, b = { 0 };
	char s[40];
	unsigned seed = 11;

	for (int t = 0; t < 20000; t++) {
		size_t len = (size_t)(t % 33);
		for (size_t i = 0; i < len; i++)
			s[i] = alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
		text_split_ascii(s, len, &a);
		text_split_ws(s, len, &b);
		ck_assert_uint_eq(a.n, b.n);
		for (size_t i = 0; i < a.n; i++) {
			ck_assert_uint_eq(a.v[i].off, b.v[i].off);
			ck_assert_uint_eq(a.v[i].len, b.v[i].len);
		}
	}
	text_ranges_release(&a);
	text_ranges_release(&b);
}
END_TEST

/* ASCII folds to lower case byte for byte (eight at a time inside), appended; anything else is left to the caller. */
START_TEST(fold_ascii_lowers_capitals_only)
{
	struct buf out = BUF_INIT;
	char s[48], want[48];
	unsigned seed = 5;

	for (int t = 0; t < 20000; t++) {
		size_t len = (size_t)(t % 41);
		for (size_t i = 0; i < len; i++) {
			s[i] = (char)(1 + rand_r(&seed) % 127);
			want[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
		}
		buf_reset(&out);
		buf_adds(&out, "x");
		ck_assert_int_eq(text_fold_ascii(s, len, &out), 1);
		ck_assert_uint_eq(out.len, len + 1);
		ck_assert_mem_eq(out.s + 1, want, len);
		ck_assert_int_eq(out.s[out.len], '\0');
		if (len) {
			/* one byte of UTF-8 anywhere: not ASCII, nothing appended */
			s[rand_r(&seed) % len] = (char)0xC3;
			ck_assert_int_eq(text_fold_ascii(s, len, &out), 0);
			ck_assert_uint_eq(out.len, len + 1);
		}
	}
	buf_release(&out);
}
END_TEST

/* The table's fold of Latin words is ICU's: every code point it holds alone, and random words of them and ASCII. */
START_TEST(fold_latin_table_is_icu)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct ferry_err err = { 0 };
	char w[64];
	unsigned seed = 7;

	for (unsigned c = 0xA0; c <= 0x24F; c++) {
		struct buf one = BUF_INIT;
		buf_add_utf8(&one, c);
		buf_reset(&a);
		buf_reset(&b);
		ck_assert_int_eq(text_fold_latin(one.s, one.len, &a, &err), 0);
		ck_assert_int_eq(text_fold_latin_icu(one.s, one.len, &b, &err), 0);
		ck_assert_msg(strcmp(buf_cstr(&a), buf_cstr(&b)) == 0, "U+%04X: table '%s', ICU '%s'", c, buf_cstr(&a),
			      buf_cstr(&b));
		buf_release(&one);
	}
	for (int t = 0; t < 20000; t++) {
		struct buf word = BUF_INIT;
		int n = 1 + rand_r(&seed) % 8;
		for (int i = 0; i < n; i++)
			buf_add_utf8(&word, rand_r(&seed) % 3 ? 0xA0 + (unsigned)rand_r(&seed) % (0x250 - 0xA0)
							  : 0x21 + (unsigned)rand_r(&seed) % 94);
		buf_reset(&a);
		buf_reset(&b);
		ck_assert_int_eq(text_fold_latin(word.s, word.len, &a, &err), 0);
		ck_assert_int_eq(text_fold_latin_icu(word.s, word.len, &b, &err), 0);
		ck_assert_msg(strcmp(buf_cstr(&a), buf_cstr(&b)) == 0, "'%s': table '%s', ICU '%s'", buf_cstr(&word),
			      buf_cstr(&a), buf_cstr(&b));
		buf_release(&word);
	}
	/* outside the table into an empty buffer (Chinese): ICU, and no write before the buffer exists */
	struct buf fresh = BUF_INIT;
	ck_assert_int_eq(text_fold_latin("\xe5\x8c\x97\xe4\xba\xac", 6, &fresh, &err), 0);   /* 北京 */
	ck_assert_str_eq(buf_cstr(&fresh), "bei jing");
	buf_release(&fresh);
	/* outside the table (Cyrillic, a combining mark), ICU as before */
	snprintf(w, sizeof w, "%s", "\xd0\x9c\xd1\x8e\xd0\xbb\xd0\xbb\xd0\xb5\xd1\x80");   /* Мюллер */
	buf_reset(&a);
	ck_assert_int_eq(text_fold_latin(w, strlen(w), &a, &err), 0);
	ck_assert_str_eq(buf_cstr(&a), "muller");
	buf_reset(&a);
	ck_assert_int_eq(text_fold_latin("Mu\xcc\x88ller", 8, &a, &err), 0);   /* u + U+0308 */
	ck_assert_str_eq(buf_cstr(&a), "muller");
	buf_reset(&a);
	ck_assert_int_eq(text_fold_latin("Stra\xc3\x9f" "e", 7, &a, &err), 0);
	ck_assert_str_eq(buf_cstr(&a), "strasse");
	buf_release(&a);
	buf_release(&b);
}
END_TEST

/* Below TEXT_NFC_STABLE_END every code point is a starter that never combines backwards, as text_nfc assumes. */
START_TEST(nfc_stable_range)
{
	struct buf out = BUF_INIT;
	struct ferry_err err;

	for (UChar32 c = 0x80; c < TEXT_NFC_STABLE_END; c++) {
		ck_assert_msg(u_getCombiningClass(c) == 0, "U+%04X has combining class %d", (unsigned)c,
			      u_getCombiningClass(c));
		ck_assert_msg(u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK) == UNORM_YES,
			      "U+%04X is not NFC_Quick_Check=Yes", (unsigned)c);
	}
	/* and the first one beyond is a combining grave accent: it goes to ICU, which composes */
	ck_assert_int_eq(TEXT_NFC_STABLE_END, 0x250);
	ck_assert_int_eq(text_nfc("e\xcc\x80", 3, &out, &err), 1);
	ck_assert_str_eq(buf_cstr(&out), "\xc3\xa8");
	buf_reset(&out);
	ck_assert_int_eq(text_nfc("Stra\xc3\x9f" "e \xc9\x8f", 10, &out, &err), 0);   /* ß and U+024F */
	ck_assert_str_eq(buf_cstr(&out), "Stra\xc3\x9f" "e \xc9\x8f");
	buf_release(&out);
}
END_TEST

/* text_ws_at decides ASCII itself and passes on only the lead bytes text_ws_len can start a space with. */
START_TEST(ws_at_agrees)
{
	static const unsigned char thirds[] = { 0x80, 0x85, 0x8A, 0x8B, 0x9F, 0xA8, 0xAF, 0xBF, 'a' };
	char s[3];
	long wrong = 0;
	char first[64] = "";

	/* 1.8 million comparisons: Check is asked only about the outcome (one
	   assertion each took seconds under the sanitizers) */
	for (int a = 0; a < 256; a++)
		for (int b = 0; b < 256; b++)
			for (size_t c = 0; c < sizeof thirds; c++) {
				s[0] = (char)a;
				s[1] = (char)b;
				s[2] = (char)thirds[c];
				for (size_t len = 1; len <= 3; len++)
					if (text_ws_at(s, len, 0) != text_ws_len(s, len) && wrong++ == 0)
						snprintf(first, sizeof first, "%02x %02x %02x (%zu)", a, b, thirds[c], len);
			}
	ck_assert_msg(wrong == 0, "%ld disagree, the first %s", wrong, first);
}
END_TEST

Suite *
text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, utf8_valid_and_invalid);
	tcase_add_test(tc, columns_count_code_points);
	tcase_add_test(tc, nfc_composes);
	tcase_add_test(tc, nfc_stable_range);
	tcase_add_test(tc, ws_at_agrees);
	tcase_add_test(tc, split_at_unicode_whitespace);
	tcase_add_test(tc, tokenize_with_icu);
	tcase_add_test(tc, punctuation);
	tcase_add_test(tc, quote_is_terminal_safe);
	tcase_add_test(tc, utf8_encode_boundaries);
	tcase_add_test(tc, cells_and_widths);
	tcase_add_test(tc, bidi_visual_order);
	tcase_add_test(tc, bidi_words);
	tcase_add_test(tc, fold_latin_table_is_icu);
	tcase_add_test(tc, fold_ascii_lowers_capitals_only);
	tcase_add_test(tc, split_ascii_is_split_ws);
	suite_add_tcase(s, tc);
	return s;
}
