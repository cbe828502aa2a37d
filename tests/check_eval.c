/* check_eval.c — span F1 and the error breakdown on hand-computed cases. */
#include <stdio.h>
#include <string.h>

#include "check_ferry.h"
#include "ferry/eval.h"

static void
spans_of(const char *tags, int strict, struct spans *out)
{
	char copy[512], *save, *tok;
	struct tag t[64];
	size_t n = 0;

	snprintf(copy, sizeof copy, "%s", tags);
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		ck_assert_int_eq(tag_parse(tok, strlen(tok), &t[n++]), 0);
	spans_reset(out);
	if (strict)
		eval_decode_strict(t, n, out);
	else
		scheme_decode(t, n, out);
	/* the tags point into copy: keep the labels, which spans_push copied */
}

static void
add(struct eval *ev, const char *gold, const char *pred, int strict)
{
	struct spans g = { 0 }, p = { 0 };

	spans_of(gold, strict, &g);
	spans_of(pred, strict, &p);
	eval_add(ev, &g, &p);
	spans_release(&g);
	spans_release(&p);
}

START_TEST(default_chunking)
{
	struct eval ev = { 0 };
	int64_t tp, fp, fn;

	add(&ev, "B-PER I-PER O B-LOC I-LOC O I-ORG", "B-PER O O B-LOC I-LOC I-LOC B-ORG", 0);
	eval_micro(&ev, &tp, &fp, &fn);
	ck_assert_int_eq(tp, 1);
	ck_assert_int_eq(fp, 2);
	ck_assert_int_eq(fn, 2);
	ck_assert_int_eq(ev.err.boundary, 2);
	ck_assert_int_eq(ev.err.spurious, 0);
	ck_assert_int_eq(ev.err.missed, 0);
	struct buf b = BUF_INIT;
	eval_report(&ev, 0, &b);
	ck_assert_str_eq(buf_cstr(&b),
		"             precision    recall  f1-score   support\n\n"
		"LOC             0.0000    0.0000    0.0000         1\n"
		"ORG             1.0000    1.0000    1.0000         1\n"
		"PER             0.0000    0.0000    0.0000         1\n"
		"\nmicro avg       0.3333    0.3333    0.3333         3\n"
		"\nerrors: 2 wrong boundary, 0 wrong type, 0 wrong boundary and type, 0 missed, 0 spurious (1 sentences)\n");
	buf_release(&b);
	eval_release(&ev);
}
END_TEST

START_TEST(strict_iob2)
{
	struct eval ev = { 0 };
	int64_t tp, fp, fn;
	struct spans s = { 0 };

	/* an I- that opens nothing is no entity in strict mode */
	spans_of("I-PER I-PER O B-LOC I-PER", 1, &s);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.v[0].label, "LOC");
	ck_assert_uint_eq(s.v[0].end, 4);
	spans_of("I-PER I-PER O B-LOC I-PER", 0, &s);
	ck_assert_uint_eq(s.n, 3);
	spans_release(&s);
	add(&ev, "B-PER I-PER O B-LOC I-LOC O I-ORG", "B-PER O O B-LOC I-LOC I-LOC B-ORG", 1);
	eval_micro(&ev, &tp, &fp, &fn);
	ck_assert_int_eq(tp, 0);
	ck_assert_int_eq(fp, 3);
	ck_assert_int_eq(fn, 2);
	ck_assert_int_eq(ev.err.spurious, 1);
	eval_release(&ev);
}
END_TEST

START_TEST(error_kinds)
{
	struct eval ev = { 0 };
	struct buf b = BUF_INIT;

	add(&ev, "B-PER I-PER", "B-ORG I-ORG", 0);            /* type */
	add(&ev, "B-PER I-PER O", "O B-ORG I-ORG", 0);        /* boundary and type */
	add(&ev, "B-LOC O", "O O", 0);                        /* missed */
	add(&ev, "O O", "B-MISC O", 0);                       /* spurious */
	add(&ev, "B-LOC B-LOC", "B-LOC I-LOC", 0);            /* adjacent entities vs one */
	ck_assert_int_eq(ev.err.type, 1);
	ck_assert_int_eq(ev.err.both, 1);
	ck_assert_int_eq(ev.err.missed, 1);
	ck_assert_int_eq(ev.err.spurious, 1);
	ck_assert_int_eq(ev.err.boundary, 1);
	eval_report(&ev, 1, &b);
	ck_assert_str_eq(buf_cstr(&b),
		"{\"sentences\":5,\"micro\":{\"precision\":0.0000,\"recall\":0.0000,\"f1\":0.0000,\"tp\":0,\"fp\":4,\"fn\":5},"
		"\"labels\":{\"LOC\":{\"precision\":0.0000,\"recall\":0.0000,\"f1\":0.0000,\"support\":3},"
		"\"MISC\":{\"precision\":0.0000,\"recall\":0.0000,\"f1\":0.0000,\"support\":0},"
		"\"ORG\":{\"precision\":0.0000,\"recall\":0.0000,\"f1\":0.0000,\"support\":0},"
		"\"PER\":{\"precision\":0.0000,\"recall\":0.0000,\"f1\":0.0000,\"support\":2}},"
		"\"errors\":{\"wrong_boundary\":1,\"wrong_type\":1,\"wrong_boundary_and_type\":1,\"missed\":1,\"spurious\":1}}\n");
	buf_release(&b);
	eval_release(&ev);
}
END_TEST

Suite *
eval_suite(void)
{
	Suite *s = suite_create("eval");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, default_chunking);
	tcase_add_test(tc, strict_iob2);
	tcase_add_test(tc, error_kinds);
	suite_add_tcase(s, tc);
	return s;
}
