/* check_input.c — line, CoNLL, JSONL and token-line readers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_ferry.h"
#include "ferry/input.h"

/* Read every sentence of a file as "tok/TAG tok/TAG|..." (or an error). */
static char *
read_all(const char *content, const struct sentreader_opts *o, const char *name)
{
	static char out[4096];
	struct sentreader r;
	struct sent s = { 0 };
	struct ferry_err err = { 0 };
	size_t n = 0;
	int rc;

	write_file(name, content);
	ck_assert_int_eq(sentreader_open(&r, name, o, &err), 0);
	out[0] = '\0';
	while ((rc = sentreader_next(&r, &s, &err)) > 0) {
		n += (size_t)snprintf(out + n, sizeof out - n, "%s", n ? "|" : "");
		for (uint32_t i = 0; i < s.tokens.n; i++) {
			size_t tl, gl;
			const char *t = toks_get(&s.tokens, i, &tl);
			n += (size_t)snprintf(out + n, sizeof out - n, "%s%.*s", i ? " " : "", (int)tl, t);
			if (s.tags.n) {
				const char *g = toks_get(&s.tags, i, &gl);
				n += (size_t)snprintf(out + n, sizeof out - n, "/%.*s", (int)gl, g);
			}
			if (s.probs.n) {
				const char *p = toks_get(&s.probs, i, &gl);
				n += (size_t)snprintf(out + n, sizeof out - n, "@%.*s", (int)gl, p);
			}
		}
	}
	if (rc < 0)
		snprintf(out, sizeof out, "error: %s", err.msg);
	sentreader_close(&r);
	sent_release(&s);
	return out;
}

START_TEST(conll_features)
{
	struct sentreader_opts o = { .fmt = FMT_CONLL };

	enter_tmpdir();
	/* DOCSTART, comments, several blank lines, spaces as separators */
	ck_assert_str_eq(read_all("-DOCSTART- -X- O O\n\n# sent_id = 1\nEU NNP B-ORG\nrejects VBZ O\n\n\n\n"
				  "#\tNN O\n", &o, "a.conll"),
			 "EU/B-ORG rejects/O|#/O");
	/* CRLF line ends and a BOM */
	ck_assert_str_eq(read_all("\xef\xbb\xbfK\xc3\xb6ln\tB-LOC\r\nist\tO\r\n\r\n", &o, "b.conll"),
			 "K\xc3\xb6ln/B-LOC ist/O");
	/* NFC: o + combining diaeresis becomes one code point */
	ck_assert_str_eq(read_all("Ko\xcc\x88ln\tB-LOC\n", &o, "c.conll"), "K\xc3\xb6ln/B-LOC");
	/* no final newline */
	ck_assert_str_eq(read_all("a\tO\n\nb\tB-PER", &o, "d.conll"), "a/O|b/B-PER");
	/* a NUL byte is refused with its position */
	FILE *fp = fopen("e.conll", "wb");
	fwrite("ab\0c\tO\n", 1, 7, fp);
	fclose(fp);
	struct sentreader r;
	struct sent s = { 0 };
	struct ferry_err err = { 0 };
	ck_assert_int_eq(sentreader_open(&r, "e.conll", &o, &err), 0);
	ck_assert_int_eq(sentreader_next(&r, &s, &err), -1);
	ck_assert_str_eq(err.msg, "e.conll:1:3: NUL byte in text (expected UTF-8 text)");
	sentreader_close(&r);
	sent_release(&s);
	leave_tmpdir();
}
END_TEST

/*
 * A line read eight bytes at a time: a CR, a NUL or a byte that is not
 * UTF-8 is found at every place of a word, with its column; a line that
 * is plain ASCII says so, one with a letter outside it does not.
 */
START_TEST(line_checks_at_every_offset)
{
	static const struct { char byte; const char *msg; } bad[] = {
		{ '\r', "carriage return inside a line (expected LF or CRLF line ends)" },
		{ '\0', "NUL byte in text (expected UTF-8 text)" },
		{ (char)0xFF, NULL },
	};
	char line[26], want[160], tail[120];

	enter_tmpdir();
	for (size_t b = 0; b < sizeof bad / sizeof *bad; b++)
		for (int at = 0; at < (bad[b].byte == '\r' ? 23 : 24); at++) {   /* CR LF at the end is a line end */
			struct lines l;
			struct ferry_err err = { 0 };
			memset(line, 'a', 24);
			line[at] = bad[b].byte;
			line[24] = '\n';
			FILE *fp = fopen("l.txt", "wb");
			fwrite(line, 1, 25, fp);
			fclose(fp);
			ck_assert_int_eq(lines_open(&l, "l.txt", 1, "a line", &err), 0);
			ck_assert_int_eq(lines_next(&l, &err), -1);
			if (bad[b].msg)
				snprintf(tail, sizeof tail, "%s", bad[b].msg);
			else
				snprintf(tail, sizeof tail, "invalid UTF-8 byte 0xff at byte offset %d of the file "
					 "(expected UTF-8 text)", at);
			snprintf(want, sizeof want, "l.txt:1:%d: %s", at + 1, tail);
			ck_assert_str_eq(err.msg, want);
			lines_close(&l);
		}
	/* ASCII; Latin; Latin with a no-break space; with a byte that is not UTF-8; Latin in another
	   script's company; a Latin letter followed by a combining mark (not NFC) */
	write_file("m.txt", "plain ascii words here\nK\xc3\xb6ln und Stra\xc3\x9f" "e\na\xc2\xa0" "b\n"
		   "K\xc3(ln\n\xc3\xa9t\xc3\xa9 \xd0\x9c\n" "Ko\xcc\x88ln\n");
	static const struct { int ascii, simple; const char *line; } want_lines[] = {
		{ 1, 1, "plain ascii words here" }, { 0, 1, "K\xc3\xb6ln und Stra\xc3\x9f" "e" },
		{ 0, 0, "a\xc2\xa0" "b" },
	};
	struct lines l;
	struct ferry_err err = { 0 };
	ck_assert_int_eq(lines_open(&l, "m.txt", 1, "a line", &err), 0);
	for (size_t i = 0; i < sizeof want_lines / sizeof *want_lines; i++) {
		ck_assert_int_eq(lines_next(&l, &err), 1);
		ck_assert_int_eq(l.ascii, want_lines[i].ascii);
		ck_assert_int_eq(l.simple, want_lines[i].simple);
		ck_assert_uint_eq(l.len, strlen(want_lines[i].line));
		ck_assert_mem_eq(l.line, want_lines[i].line, l.len);
	}
	ck_assert_int_eq(lines_next(&l, &err), -1);
	ck_assert_str_eq(err.msg, "m.txt:4:2: invalid UTF-8 byte 0xc3 at byte offset 47 of the file (expected UTF-8 text)");
	lines_close(&l);
	write_file("n.txt", "\xc3\xa9t\xc3\xa9 \xd0\x9c\nKo\xcc\x88ln\n");
	ck_assert_int_eq(lines_open(&l, "n.txt", 1, "a line", &err), 0);
	ck_assert_int_eq(lines_next(&l, &err), 1);
	ck_assert_int_eq(l.simple, 0);
	ck_assert_int_eq(lines_next(&l, &err), 1);
	ck_assert_int_eq(l.simple, 0);
	ck_assert_str_eq(l.line, "K\xc3\xb6ln");
	lines_close(&l);
	/* tokens and columns of a Latin line one space apart, and of one with a no-break space */
	struct sentreader_opts lo = { .fmt = FMT_LINES };
	ck_assert_str_eq(read_all("K\xc3\xb6ln \xc3\xbc" "ber R\xc3\xb6m\na\xc2\xa0" "b c\n", &lo, "o.txt"),
			 "K\xc3\xb6ln \xc3\xbc" "ber R\xc3\xb6m|a b c");
	struct sentreader r;
	struct sent s = { 0 };
	write_file("q.txt", "K\xc3\xb6ln \xc3\xbc" "ber R\xc3\xb6m\n");
	ck_assert_int_eq(sentreader_open(&r, "q.txt", &lo, &err), 0);
	ck_assert_int_eq(sentreader_next(&r, &s, &err), 1);
	ck_assert_int_eq(s.pos[1].col, 6);
	ck_assert_int_eq(s.pos[2].col, 11);
	sentreader_close(&r);
	sent_release(&s);
	leave_tmpdir();
}
END_TEST

START_TEST(ner_columns)
{
	struct sentreader_opts o = { .fmt = FMT_CONLL, .ner = 1 };

	enter_tmpdir();
	ck_assert_str_eq(read_all("Nairobi\tB-LOC\t0.91\nni\tO\nmji\tO\tO=0.8,B-LOC=0.2\n", &o, "n.conll"),
			 "Nairobi/B-LOC@0.91 ni/O@- mji/O@O=0.8,B-LOC=0.2");
	leave_tmpdir();
}
END_TEST

START_TEST(token_lines)
{
	struct sentreader_opts o = { .fmt = FMT_LINES };
	struct sentreader_opts icu = { .fmt = FMT_LINES, .tokenize = 1 };

	enter_tmpdir();
	ck_assert_str_eq(read_all("Amina  alisafiri\n\n\xd8\xb2\xd8\xa7\xd8\xb1 \xd8\xa8\xd8\xa7\xd8\xb1\xd9\x8a\xd8\xb3\n",
				  &o, "t.txt"),
			 "Amina alisafiri||\xd8\xb2\xd8\xa7\xd8\xb1 \xd8\xa8\xd8\xa7\xd8\xb1\xd9\x8a\xd8\xb3");
	/* one space apart (the line is the token text) or not: the same tokens; a token's column either way */
	ck_assert_str_eq(read_all("a bc d\n a\tbc  d \nx\n", &o, "s.txt"), "a bc d|a bc d|x");
	write_file("w.txt", "ab cd\n");
	struct sentreader r;
	struct sent s = { 0 };
	struct ferry_err err = { 0 };
	ck_assert_int_eq(sentreader_open(&r, "w.txt", &o, &err), 0);
	ck_assert_int_eq(sentreader_next(&r, &s, &err), 1);
	ck_assert_uint_eq(s.tokens.n, 2);
	ck_assert_int_eq(s.pos[1].line, 1);
	ck_assert_int_eq(s.pos[1].col, 4);
	sentreader_close(&r);
	sent_release(&s);
	ck_assert_str_eq(read_all("Merkel besuchte Paris.\n\xe6\x88\x91\xe4\xbb\xac\xe8\xae\xbf\xe9\x97\xae\xe4\xba\x86\xe5\x8c\x97\xe4\xba\xac\xe3\x80\x82\n", &icu, "u.txt"),
			 "Merkel besuchte Paris .|\xe6\x88\x91\xe4\xbb\xac \xe8\xae\xbf\xe9\x97\xae \xe4\xba\x86 \xe5\x8c\x97\xe4\xba\xac \xe3\x80\x82");
	leave_tmpdir();
}
END_TEST

START_TEST(jsonl_features)
{
	struct label_names ln;
	struct ferry_err err = { 0 };
	struct sentreader_opts o = { .fmt = FMT_JSONL, .labels = &ln };

	ck_assert_int_eq(label_names_parse(&ln, "PER,LOC", &err), 0);
	ck_assert_int_eq((int)ln.n, 5);
	ck_assert_str_eq(ln.v[3], "B-LOC");
	enter_tmpdir();
	ck_assert_str_eq(read_all("{\"id\": 7, \"meta\": {\"a\": [1, 2.5e3, true, null]}, "
				  "\"tokens\": [\"Caf\\u00e9\", \"\\ud83d\\ude00\", \"q\\\"\"], \"ner_tags\": [3, 4, 0]}\n"
				  "\n{\"tokens\": [], \"ner_tags\": []}\n", &o, "j.jsonl"),
			 "Caf\xc3\xa9/B-LOC \xf0\x9f\x98\x80/I-LOC q\"/O|");
	label_names_release(&ln);
	ck_assert_int_eq(label_names_parse(&ln, "O,B-PER,I-PER", &err), 0);
	ck_assert_int_eq((int)ln.n, 3);
	ck_assert_str_eq(ln.v[2], "I-PER");
	label_names_release(&ln);
	ck_assert_int_eq(label_names_parse(&ln, "PER,,LOC", &err), -1);
	ck_assert_str_eq(err.msg, "--label-names: bad name '' (expected tags such as O,B-PER,I-PER or types such as PER,ORG)");
	leave_tmpdir();
}
END_TEST

START_TEST(format_guess)
{
	ck_assert_int_eq(input_format_guess("a/train.conll"), FMT_CONLL);
	ck_assert_int_eq(input_format_guess("x.bioes"), FMT_CONLL);
	ck_assert_int_eq(input_format_guess("x.jsonl"), FMT_JSONL);
	ck_assert_int_eq(input_format_guess("x.txt"), FMT_LINES);
	ck_assert_int_eq(input_format_parse("text"), FMT_LINES);
	ck_assert_int_eq(input_format_parse("xml"), -1);
}
END_TEST

/* Columns of late elements of a long line with multibyte tokens (counted on, not from the start). */
START_TEST(jsonl_columns_late_in_a_long_line)
{
	struct buf line = BUF_INIT, scratch = BUF_INIT, want = BUF_INIT;
	struct sent s = { 0 };
	struct ferry_err err = { 0 };
	struct tag *tags = NULL;
	size_t cap = 0;

	buf_adds(&line, "{\"tokens\": [");
	for (int i = 0; i < 300; i++)
		buf_adds(&line, i ? ", \"\xc3\xa9\xe4\xb8\xad\"" : "\"\xc3\xa9\xe4\xb8\xad\"");
	buf_adds(&line, "], \"ner_tags\": [");
	long col = 0;
	for (int i = 0; i < 300; i++) {
		if (i)
			buf_adds(&line, ", ");
		if (i == 250) {
			/* 1 + the code points before it: 12, 300 tokens of 4 and 299
			   separators of 2, 16, then 250 tags of 3 with their 250 separators */
			col = 1 + 12 + 300 * 4 + 299 * 2 + 16 + 250 * 3 + 250 * 2;
			buf_adds(&line, "\"X\"");
		} else {
			buf_adds(&line, "\"O\"");
		}
	}
	buf_adds(&line, "]}");
	ck_assert_int_eq(jsonl_parse_line(buf_cstr(&line), line.len, "l.jsonl", 1, NULL, &s, &scratch, &err), 0);
	ck_assert_int_eq(sent_parse_tags(&s, "l.jsonl", 0, &tags, &cap, NULL, &err), -1);
	buf_addf(&want, "l.jsonl:1:%ld: unknown tag 'X' (expected O, or B-, I-, E-, S- followed by a type)", col);
	ck_assert_str_eq(err.msg, buf_cstr(&want));
	/* and an error after them, in the same line */
	buf_reset(&line);
	buf_adds(&line, "{\"tokens\": [\"\xc3\xa9\", \"\xc3\xa9\", 7]}");
	ck_assert_int_eq(jsonl_parse_line(buf_cstr(&line), line.len, "l.jsonl", 2, NULL, &s, &scratch, &err), -1);
	ck_assert_str_eq(err.msg, "l.jsonl:2:23: unexpected '7' (expected a token string)");
	free(tags);
	sent_release(&s);
	buf_release(&line);
	buf_release(&scratch);
	buf_release(&want);
}
END_TEST

/* The tag parser and token comparison import and eval share. */
START_TEST(sent_tags_and_tokens)
{
	const char *line = "{\"tokens\": [\"Anna\", \"sah\", \"Rom\"], \"ner_tags\": [\"B-PER\", \"X\", \"B-LOC\"]}";
	struct sent s = { 0 };
	struct buf scratch = BUF_INIT;
	struct ferry_err err = { 0 };
	struct tag *tags = NULL;
	size_t cap = 0;
	long repaired = 0;
	struct toks want = { 0 };
	uint32_t at = 99;

	ck_assert_int_eq(jsonl_parse_line(line, strlen(line), "g.jsonl", 3, NULL, &s, &scratch, &err), 0);
	ck_assert_int_eq(sent_parse_tags(&s, "g.jsonl", 0, &tags, &cap, NULL, &err), -1);
	ck_assert_str_eq(err.msg, "g.jsonl:3:58: unknown tag 'X' (expected O, or B-, I-, E-, S- followed by a type)");
	ck_assert_int_eq(sent_parse_tags(&s, "g.jsonl", 1, &tags, &cap, &repaired, &err), 0);
	ck_assert_int_eq(repaired, 1);
	ck_assert_int_eq(tags[0].prefix, 'B');
	ck_assert_int_eq(tags[1].prefix, 'O');
	ck_assert_int_eq((int)tags[2].type_len, 3);

	toks_set_joined(&want, "Anna sah Rom", 12);
	ck_assert_int_eq(sent_cmp_tokens(&s, &want, &at), SENT_SAME);
	toks_set_joined(&want, "Anna sah", 8);
	ck_assert_int_eq(sent_cmp_tokens(&s, &want, &at), SENT_OTHER_COUNT);
	toks_set_joined(&want, "Anna sah Paris", 14);
	ck_assert_int_eq(sent_cmp_tokens(&s, &want, &at), SENT_OTHER_TOKEN);
	ck_assert_int_eq(at, 2);

	toks_release(&want);
	free(tags);
	buf_release(&scratch);
	sent_release(&s);
}
END_TEST

/* Lines of every length from 0 to 3,000 bytes, across the reader's chunk boundaries,
   with CRLF ends and a last line without its end, come back as written. */
START_TEST(lines_across_chunks)
{
	struct buf content = BUF_INIT;
	char want[3000];
	struct lines l;
	struct ferry_err err = { 0 };
	size_t i;
	int rc;

	enter_tmpdir();
	for (i = 0; i <= 3000; i++) {
		for (size_t k = 0; k < i; k++)
			buf_addc(&content, (char)('a' + (i + k) % 26));
		if (i < 3000)
			buf_adds(&content, i % 7 == 0 ? "\r\n" : "\n");
	}
	write_file("l.txt", buf_cstr(&content));
	ck_assert_int_eq(lines_open(&l, "l.txt", 0, "text", &err), 0);
	for (i = 0; (rc = lines_next(&l, &err)) > 0; i++) {
		for (size_t k = 0; k < i; k++)
			want[k] = (char)('a' + (i + k) % 26);
		ck_assert(l.len == i && memcmp(l.line, want, i) == 0);
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(i, 3001);
	ck_assert_int_eq(l.lineno, 3001);
	ck_assert_int_eq((long)l.pos, (long)content.len);
	lines_close(&l);
	buf_release(&content);
}
END_TEST

/*
 * toks_set_joined is the pieces between single spaces through toks_add,
 * the last dropped when empty; texts up to 40 bytes, so that spaces fall
 * everywhere in the words it reads eight bytes at a time.
 */
START_TEST(joined_tokens_as_pieces)
{
	static const char alphabet[] = "a b";
	struct toks got = { 0 }, want = { 0 };
	char s[48];
	uint64_t x = 99;

	for (int round = 0; round < 40000; round++) {
		size_t len = (size_t)(round % 41);
		for (size_t i = 0; i < len; i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			s[i] = alphabet[(x >> 33) % 3];
		}
		toks_reset(&want);
		for (size_t i = 0; i < len;) {
			size_t j = i;
			while (j < len && s[j] != ' ')
				j++;
			toks_add(&want, s + i, j - i);
			i = j + 1;
		}
		toks_set_joined(&got, s, len);
		ck_assert_uint_eq(got.n, want.n);
		ck_assert_uint_eq(got.len, want.len);
		if (want.n) {
			ck_assert_mem_eq(got.text, want.text, want.len + 1);
			ck_assert_mem_eq(got.off, want.off, want.n * sizeof *want.off);
		}
	}
	toks_release(&got);
	toks_release(&want);
}
END_TEST

Suite *
input_suite(void)
{
	Suite *s = suite_create("input");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, joined_tokens_as_pieces);
	tcase_add_test(tc, conll_features);
	tcase_add_test(tc, line_checks_at_every_offset);
	tcase_add_test(tc, ner_columns);
	tcase_add_test(tc, token_lines);
	tcase_add_test(tc, jsonl_features);
	tcase_add_test(tc, format_guess);
	tcase_add_test(tc, sent_tags_and_tokens);
	tcase_add_test(tc, jsonl_columns_late_in_a_long_line);
	tcase_add_test(tc, lines_across_chunks);
	suite_add_tcase(s, tc);
	return s;
}
