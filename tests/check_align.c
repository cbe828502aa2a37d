/* check_align.c — Pharaoh parsing, symmetrisation, composition. */
#include <stdio.h>
#include <string.h>

#include "check_ferry.h"
#include "ferry/align.h"

static const char *
fmt(const struct links *l)
{
	static struct buf b;

	buf_reset(&b);
	align_format(l, &b);
	return buf_cstr(&b);
}

static const char *
parse_msg(const char *line, int reverse, int one_based, uint32_t ns, uint32_t nt)
{
	static struct ferry_err err;
	struct align_opts o = { reverse, one_based };
	struct links l = { 0 };
	int rc = align_parse(line, strlen(line), &o, ns, nt, "f.align", 7, &l, &err);
	static char ok[256];

	if (rc == 0) {
		snprintf(ok, sizeof ok, "ok %s", fmt(&l));
		links_release(&l);
		return ok;
	}
	links_release(&l);
	return err.msg;
}

START_TEST(parse_valid)
{
	ck_assert_str_eq(parse_msg("0-0 1-2 2-1", 0, 0, 3, 3), "ok 0-0 1-2 2-1");
	ck_assert_str_eq(parse_msg("2-1 0-0  1-2 ", 0, 0, 3, 3), "ok 0-0 1-2 2-1");    /* sorted */
	ck_assert_str_eq(parse_msg("0-0:0.5 1-1", 0, 0, 2, 2), "ok 0-0:0.5 1-1:1");
	ck_assert_str_eq(parse_msg("1-0 2-1", 1, 0, 2, 3), "ok 0-1 1-2");              /* target first */
	ck_assert_str_eq(parse_msg("1-1 2-3", 0, 1, 2, 3), "ok 0-0 1-2");              /* 1-based */
	ck_assert_str_eq(parse_msg("", 0, 0, 0, 0), "ok ");
}
END_TEST

START_TEST(parse_invalid)
{
	ck_assert_str_eq(parse_msg("0-0 1-x", 0, 0, 3, 3),
			 "f.align:7:5: bad link '1-x' (expected 'i-j': two non-negative integers joined by '-')");
	ck_assert_str_eq(parse_msg("0-0 9-1", 0, 0, 3, 3),
			 "f.align:7:5: link '9-1': source index 9 is out of range (the source has 3 tokens)");
	ck_assert_str_eq(parse_msg("0-5", 0, 0, 3, 3),
			 "f.align:7:1: link '0-5': target index 5 is out of range (the target has 3 tokens)");
	ck_assert_str_eq(parse_msg("-1-2", 0, 0, 3, 3),
			 "f.align:7:1: bad link '-1-2' (expected 'i-j': two non-negative integers joined by '-')");
	ck_assert_str_eq(parse_msg("0-0 0-0", 0, 0, 3, 3), "f.align:7: duplicate link '0-0' (expected each link once)");
	ck_assert_str_eq(parse_msg("0-0:1.5", 0, 0, 3, 3),
			 "f.align:7:1: link '0-0:1.5' has a bad weight (expected a number from 0 to 1 after ':')");
	ck_assert_str_eq(parse_msg("0-0:", 0, 0, 3, 3),
			 "f.align:7:1: link '0-0:' has a bad weight (expected a number from 0 to 1 after ':')");
	ck_assert_str_eq(parse_msg("0-1", 0, 1, 3, 3),
			 "f.align:7:1: link '0-1' has index 0 (expected 1-based indices, as --one-based says)");
	ck_assert_str_eq(parse_msg("2-0", 1, 0, 3, 1),
			 "f.align:7:1: link '2-0': target index 2 is out of range (the target has 1 token)");
	ck_assert_str_eq(parse_msg("0-99999999999999999999", 0, 0, 3, 3),
			 "f.align:7:1: link '0-99999999999999999999': target index 99999999999999999999 is out of range (the target has 3 tokens)");
	ck_assert_str_eq(parse_msg("0~1", 0, 0, 3, 3),
			 "f.align:7:1: bad link '0~1' (expected 'i-j': two non-negative integers joined by '-')");
}
END_TEST

/* The worked example of the man page: every method differs. */
START_TEST(symmetrize_worked_example)
{
	static const struct { enum symmetrize m; const char *want; } cases[] = {
		{ SYM_INTERSECT, "0-0 1-1 2-3" },
		{ SYM_UNION, "0-0 1-1 1-2 2-3 3-2 3-3 5-0 5-5" },
		{ SYM_GROW_DIAG, "0-0 1-1 1-2 2-3 3-3" },
		{ SYM_GROW_DIAG_FINAL, "0-0 1-1 1-2 2-3 3-3 5-0 5-5" },
		{ SYM_GROW_DIAG_FINAL_AND, "0-0 1-1 1-2 2-3 3-3 5-5" },
	};
	struct align_opts o = { 0, 0 };
	struct ferry_err err;
	struct links f = { 0 }, r = { 0 }, out = { 0 };
	const char *fwd = "0-0 1-1 2-3 3-2 5-0", *rev = "0-0 1-1 1-2 2-3 3-3 5-5";

	ck_assert_int_eq(align_parse(fwd, strlen(fwd), &o, 6, 6, "f", 1, &f, &err), 0);
	ck_assert_int_eq(align_parse(rev, strlen(rev), &o, 6, 6, "r", 1, &r, &err), 0);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		align_symmetrize(&f, &r, 6, 6, cases[i].m, &out);
		ck_assert_msg(strcmp(fmt(&out), cases[i].want) == 0, "%s: got %s want %s",
			      align_sym_name(cases[i].m), fmt(&out), cases[i].want);
	}
	links_release(&f);
	links_release(&r);
	links_release(&out);
}
END_TEST

/* Links added during a scan are grown from in the same scan (Koehn). */
START_TEST(grow_diag_chains)
{
	struct align_opts o = { 0, 0 };
	struct ferry_err err;
	struct links f = { 0 }, r = { 0 }, out = { 0 };
	const char *fwd = "0-0 1-1 2-2 3-3", *rev = "0-0";

	ck_assert_int_eq(align_parse(fwd, strlen(fwd), &o, 4, 4, "f", 1, &f, &err), 0);
	ck_assert_int_eq(align_parse(rev, strlen(rev), &o, 4, 4, "r", 1, &r, &err), 0);
	align_symmetrize(&f, &r, 4, 4, SYM_GROW_DIAG, &out);
	ck_assert_str_eq(fmt(&out), "0-0 1-1 2-2 3-3");
	align_symmetrize(&f, &r, 0, 0, SYM_GROW_DIAG, &out);
	ck_assert_str_eq(fmt(&out), "");
	links_release(&f);
	links_release(&r);
	links_release(&out);
}
END_TEST

START_TEST(weights_survive_symmetrisation)
{
	struct align_opts o = { 0, 0 };
	struct ferry_err err;
	struct links f = { 0 }, r = { 0 }, out = { 0 };
	const char *fwd = "0-0:0.25 1-1", *rev = "0-0 1-1:0.5 1-0:0.75";

	ck_assert_int_eq(align_parse(fwd, strlen(fwd), &o, 2, 2, "f", 1, &f, &err), 0);
	ck_assert_int_eq(align_parse(rev, strlen(rev), &o, 2, 2, "r", 1, &r, &err), 0);
	align_symmetrize(&f, &r, 2, 2, SYM_UNION, &out);
	ck_assert_str_eq(fmt(&out), "0-0:0.25 1-0:0.75 1-1:1");
	links_release(&f);
	links_release(&r);
	links_release(&out);
}
END_TEST

START_TEST(compose_through_back_translation)
{
	struct align_opts o = { 0, 0 };
	struct ferry_err err;
	struct links ab = { 0 }, bc = { 0 }, out = { 0 };

	ck_assert_int_eq(align_parse("0-1 1-0 2-2", 11, &o, 3, 3, "ab", 1, &ab, &err), 0);
	ck_assert_int_eq(align_parse("0-0 1-1 1-2", 11, &o, 3, 3, "bc", 1, &bc, &err), 0);
	align_compose(&ab, &bc, &out);
	ck_assert_str_eq(fmt(&out), "0-1 0-2 1-0");
	links_release(&ab);
	links_release(&bc);
	links_release(&out);
}
END_TEST

START_TEST(method_names)
{
	ck_assert_int_eq(align_sym_parse("grow-diag-final-and"), SYM_GROW_DIAG_FINAL_AND);
	ck_assert_int_eq(align_sym_parse("gdfa"), -1);
}
END_TEST

Suite *
align_suite(void)
{
	Suite *s = suite_create("align");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, parse_valid);
	tcase_add_test(tc, parse_invalid);
	tcase_add_test(tc, symmetrize_worked_example);
	tcase_add_test(tc, grow_diag_chains);
	tcase_add_test(tc, weights_survive_symmetrisation);
	tcase_add_test(tc, compose_through_back_translation);
	tcase_add_test(tc, method_names);
	suite_add_tcase(s, tc);
	return s;
}
