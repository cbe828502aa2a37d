/* check_scheme.c — tag schemes: parse, detect, check, decode, encode. */
#include <stdio.h>
#include <string.h>

#include "check_ferry.h"
#include "ferry/scheme.h"

#define MAXT 32

/* Parse "B-PER I-PER O" into tags (pointing into a static copy). */
static size_t
tags_of(const char *s, struct tag *out)
{
	static char copy[8][512];
	static int slot;
	char *c = copy[slot++ % 8], *tok, *save;
	size_t n = 0;

	snprintf(c, 512, "%s", s);
	for (tok = strtok_r(c, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		ck_assert_int_eq(tag_parse(tok, strlen(tok), &out[n++]), 0);
	return n;
}

/* Spans of a tag string as "PER:0-2 LOC:3-4". */
static const char *
decoded(const char *s)
{
	static char out[512];
	struct tag t[MAXT];
	struct spans sp = { 0 };
	size_t n = tags_of(s, t), o = 0;

	scheme_decode(t, n, &sp);
	out[0] = '\0';
	for (size_t i = 0; i < sp.n; i++)
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%s:%u-%u", i ? " " : "", sp.v[i].label,
				      sp.v[i].start, sp.v[i].end);
	spans_release(&sp);
	return out;
}

/* Re-encode the spans of `s` (any scheme) in scheme `to`. */
static const char *
encoded(const char *s, enum scheme to)
{
	static char out[512];
	struct tag t[MAXT];
	struct spans sp = { 0 };
	struct buf b = BUF_INIT;
	size_t offs[MAXT], n = tags_of(s, t), o = 0;

	scheme_decode(t, n, &sp);
	scheme_encode(to, sp.v, sp.n, n, &b, offs);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", i ? " " : "", b.s + offs[i]);
	spans_release(&sp);
	buf_release(&b);
	return out;
}

static int
detect(const char *s, int repair, enum scheme *sc, struct ferry_err *err)
{
	struct scheme_probe p = { 0 };
	struct tag t[MAXT];
	struct tag_pos pos[MAXT];
	size_t n = tags_of(s, t);

	for (size_t i = 0; i < n; i++)
		pos[i] = (struct tag_pos){ (long)i + 1, 1 };
	scheme_observe(&p, t, n, pos);
	return scheme_decide(&p, repair, "f.conll", sc, err);
}

static const char *
check_msg(enum scheme sc, const char *s)
{
	static struct ferry_err err;
	struct tag t[MAXT];
	struct tag_pos pos[MAXT];
	size_t n = tags_of(s, t);

	for (size_t i = 0; i < n; i++) {
		pos[i].line = (long)i + 1;
		pos[i].col = 5;
	}
	err.msg[0] = '\0';
	if (scheme_check(sc, t, n, pos, "f.conll", 0, &err) == 0)
		return "ok";
	return err.msg;
}

START_TEST(parse_tags)
{
	struct tag t;

	ck_assert_int_eq(tag_parse("O", 1, &t), 0);
	ck_assert_int_eq(t.prefix, 'O');
	ck_assert_int_eq(tag_parse("B-PER", 5, &t), 0);
	ck_assert_int_eq(t.prefix, 'B');
	ck_assert_int_eq((int)t.type_len, 3);
	ck_assert_int_eq(tag_parse("U-LOC", 5, &t), 0);      /* BILOU */
	ck_assert_int_eq(t.prefix, 'S');
	ck_assert_int_eq(tag_parse("L-LOC", 5, &t), 0);
	ck_assert_int_eq(t.prefix, 'E');
	ck_assert_int_eq(tag_parse("I_ORG", 5, &t), 0);
	ck_assert_int_eq(tag_parse("PER", 3, &t), -1);
	ck_assert_int_eq(tag_parse("B-", 2, &t), -1);
	ck_assert_int_eq(tag_parse("X-PER", 5, &t), -1);
	ck_assert_int_eq(tag_parse("o", 1, &t), -1);
	ck_assert_int_eq(tag_parse("B-ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTU", 49, &t), 0);   /* 47 bytes */
	ck_assert_int_eq(tag_parse("B-ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUV", 50, &t), -1);
	/* types are printable words (fuzz_conll put a control byte in one) */
	ck_assert_int_eq(tag_parse("B-LOC\x10", 6, &t), -1);
	ck_assert_int_eq(tag_parse("B-LO\x7f", 5, &t), -1);
	ck_assert_int_eq(tag_parse("B-\xc2\x9b", 4, &t), -1);               /* C1 CSI */
	ck_assert_int_eq(tag_parse("B-NEW YORK", 10, &t), -1);
	ck_assert_int_eq(tag_parse("B-A\xc2\xa0" "B", 6, &t), -1);             /* no-break space */
	ck_assert_int_eq(tag_parse("B-\xd8\xa7\xd8\xb3\xd9\x85", 8, &t), 0); /* Arabic is fine */
}
END_TEST

START_TEST(detect_schemes)
{
	struct ferry_err err = { 0 };
	enum scheme sc;

	ck_assert_int_eq(detect("B-PER I-PER O B-LOC", 0, &sc, &err), 0);
	ck_assert_int_eq(sc, SCHEME_IOB2);
	ck_assert_int_eq(detect("I-PER I-PER B-PER O I-LOC", 0, &sc, &err), 0);
	ck_assert_int_eq(sc, SCHEME_IOB1);
	ck_assert_int_eq(detect("I-PER I-PER O I-LOC", 0, &sc, &err), 0);
	ck_assert_int_eq(sc, SCHEME_IO);
	ck_assert_int_eq(detect("B-PER E-PER O S-LOC", 0, &sc, &err), 0);
	ck_assert_int_eq(sc, SCHEME_BIOES);
	ck_assert_int_eq(detect("O O", 0, &sc, &err), 0);
	ck_assert_int_eq(sc, SCHEME_IOB2);
	ck_assert_int_eq(detect("B-PER O I-LOC", 0, &sc, &err), -1);
	ck_assert_str_eq(err.msg, "f.conll:3: an I- tag opens an entity (IOB1 style) but line 1 opens one "
			 "with B- (IOB2 style) (expected one tag scheme: choose one with --scheme, or --repair)");
	ck_assert_int_eq(detect("B-PER O I-LOC", 1, &sc, &err), 0);
	ck_assert_int_eq(sc, SCHEME_IOB2);
}
END_TEST

START_TEST(check_messages)
{
	ck_assert_str_eq(check_msg(SCHEME_IOB2, "B-PER I-PER O B-LOC"), "ok");
	ck_assert_str_eq(check_msg(SCHEME_IOB2, "O I-PER"),
			 "f.conll:2:5: I-PER after O opens an entity (expected IOB2 opens entities with B-PER; or use --repair)");
	ck_assert_str_eq(check_msg(SCHEME_IOB2, "I-PER"),
			 "f.conll:1:5: I-PER after the sentence start opens an entity (expected IOB2 opens entities with B-PER; or use --repair)");
	ck_assert_str_eq(check_msg(SCHEME_IOB2, "B-LOC I-PER"),
			 "f.conll:2:5: I-PER after B-LOC opens an entity (expected IOB2 opens entities with B-PER; or use --repair)");
	ck_assert_str_eq(check_msg(SCHEME_IOB2, "S-PER"),
			 "f.conll:1:5: S-PER after the sentence start is not an IOB2 tag (expected B-PER or I-PER; or use --repair)");
	ck_assert_str_eq(check_msg(SCHEME_IOB1, "I-PER B-PER O I-LOC"), "ok");
	ck_assert_str_eq(check_msg(SCHEME_IOB1, "O B-PER"),
			 "f.conll:2:5: B-PER after O does not follow an entity of its type (expected IOB1 uses B- only between two adjacent PER entities; or use --repair)");
	ck_assert_str_eq(check_msg(SCHEME_BIOES, "B-PER I-PER E-PER S-LOC O"), "ok");
	ck_assert_str_eq(check_msg(SCHEME_BIOES, "B-PER O"),
			 "f.conll:1:5: B-PER after the sentence start is not closed (expected I-PER or E-PER next; or use --repair)");
	ck_assert_str_eq(check_msg(SCHEME_BIOES, "O E-PER"),
			 "f.conll:2:5: E-PER after O does not continue an entity (expected BIOES opens with B-PER, or S-PER for one token; or use --repair)");
	ck_assert_str_eq(check_msg(SCHEME_BIOES, "B-PER E-LOC"),
			 "f.conll:1:5: B-PER after the sentence start is not closed (expected I-PER or E-PER next; or use --repair)");
	ck_assert_str_eq(check_msg(SCHEME_IO, "I-PER O I-LOC"), "ok");
	ck_assert_str_eq(check_msg(SCHEME_IO, "B-PER"),
			 "f.conll:1:5: B-PER after the sentence start is not an IO tag (expected I-PER or O; or use --repair)");
}
END_TEST

START_TEST(decode_every_scheme)
{
	ck_assert_str_eq(decoded("B-PER I-PER O B-LOC"), "PER:0-2 LOC:3-4");
	ck_assert_str_eq(decoded("B-PER B-PER I-PER"), "PER:0-1 PER:1-3");          /* IOB2 adjacent */
	ck_assert_str_eq(decoded("I-PER I-PER B-PER O I-LOC"), "PER:0-2 PER:2-3 LOC:4-5"); /* IOB1 */
	ck_assert_str_eq(decoded("B-PER I-PER E-PER S-LOC S-LOC"), "PER:0-3 LOC:3-4 LOC:4-5");
	ck_assert_str_eq(decoded("U-PER B-ORG L-ORG"), "PER:0-1 ORG:1-3");          /* BILOU */
	ck_assert_str_eq(decoded("I-PER I-LOC"), "PER:0-1 LOC:1-2");                /* IO */
	/* repairs: broken sequences decode leniently */
	ck_assert_str_eq(decoded("O I-PER I-PER"), "PER:1-3");
	ck_assert_str_eq(decoded("B-PER I-LOC"), "PER:0-1 LOC:1-2");
	ck_assert_str_eq(decoded("B-PER O E-PER"), "PER:0-1 PER:2-3");
	ck_assert_str_eq(decoded("E-PER I-PER"), "PER:0-1 PER:1-2");
	ck_assert_str_eq(decoded("O O"), "");
}
END_TEST

START_TEST(encode_every_scheme)
{
	const char *s = "B-PER I-PER B-PER O B-LOC O B-ORG I-ORG I-ORG";

	ck_assert_str_eq(encoded(s, SCHEME_IOB2), "B-PER I-PER B-PER O B-LOC O B-ORG I-ORG I-ORG");
	ck_assert_str_eq(encoded(s, SCHEME_BIOES), "B-PER E-PER S-PER O S-LOC O B-ORG I-ORG E-ORG");
	ck_assert_str_eq(encoded(s, SCHEME_IOB1), "I-PER I-PER B-PER O I-LOC O I-ORG I-ORG I-ORG");
	ck_assert_str_eq(encoded(s, SCHEME_IO), "I-PER I-PER I-PER O I-LOC O I-ORG I-ORG I-ORG");
	/* every scheme round-trips through spans */
	ck_assert_str_eq(encoded("I-PER I-PER B-PER O I-LOC", SCHEME_IOB1), "I-PER I-PER B-PER O I-LOC");
	ck_assert_str_eq(encoded("B-PER E-PER S-PER O S-LOC", SCHEME_BIOES), "B-PER E-PER S-PER O S-LOC");
	ck_assert_str_eq(encoded("I-PER I-PER B-PER O I-LOC", SCHEME_BIOES), "B-PER E-PER S-PER O S-LOC");
	ck_assert_str_eq(encoded("B-PER E-PER S-PER O S-LOC", SCHEME_IOB2), "B-PER I-PER B-PER O B-LOC");
	ck_assert_str_eq(encoded("B-LOC I-PER", SCHEME_IOB1), "I-LOC I-PER");
}
END_TEST

START_TEST(scheme_names)
{
	ck_assert_int_eq(scheme_parse("bilou"), SCHEME_BIOES);
	ck_assert_int_eq(scheme_parse("iob1"), SCHEME_IOB1);
	ck_assert_int_eq(scheme_parse("IOB2"), -1);
	ck_assert_str_eq(scheme_name(SCHEME_BIOES), "bioes");
}
END_TEST

/* Projections as tags can carry them: in order, the first of a clash kept. */
START_TEST(proj_spans_without_overlaps)
{
	struct proj v[] = {
		{ .span = { 0, 2, "PER" } }, { .span = { 1, 3, "ORG" } },
		{ .span = { 2, 3, "LOC" } }, { .span = { 5, 6, "MISC" } },
	};
	struct projs proj = { v, 4, 4 };
	struct spans out = { 0 };

	spans_push(&out, 9, 10, "OLD", 3);
	scheme_proj_spans(&proj, &out);
	ck_assert_uint_eq(out.n, 3);
	ck_assert_str_eq(out.v[0].label, "PER");
	ck_assert_str_eq(out.v[1].label, "LOC");
	ck_assert_uint_eq(out.v[1].start, 2);
	ck_assert_str_eq(out.v[2].label, "MISC");
	spans_release(&out);
}
END_TEST

Suite *
scheme_suite(void)
{
	Suite *s = suite_create("scheme");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, parse_tags);
	tcase_add_test(tc, detect_schemes);
	tcase_add_test(tc, check_messages);
	tcase_add_test(tc, decode_every_scheme);
	tcase_add_test(tc, encode_every_scheme);
	tcase_add_test(tc, scheme_names);
	tcase_add_test(tc, proj_spans_without_overlaps);
	suite_add_tcase(s, tc);
	return s;
}
