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

/* A small deterministic generator (xorshift64*). */
static uint64_t
ck_rand(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 2685821657736338717ull;
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

/*
 * Lines of 20 bytes and more take the plain path (parse_plain) until a
 * field it does not know: the links and the errors are the short
 * path's, at the right column.
 */
START_TEST(parse_long_lines)
{
	ck_assert_str_eq(parse_msg("0-0 1-1 2-2 3-3 4-4 5-5 6-6 7-7", 0, 0, 8, 8), "ok 0-0 1-1 2-2 3-3 4-4 5-5 6-6 7-7");
	ck_assert_str_eq(parse_msg("7-7 6-6 5-5 4-4 3-3 2-2 1-1 0-0", 0, 0, 8, 8), "ok 0-0 1-1 2-2 3-3 4-4 5-5 6-6 7-7");
	/* out of order only at the end, past the plain part */
	ck_assert_str_eq(parse_msg("0-0 1-1 2-2 3-3 4-4 5-5 6-6 7-7 2-3", 0, 0, 8, 8),
			 "ok 0-0 1-1 2-2 2-3 3-3 4-4 5-5 6-6 7-7");
	ck_assert_str_eq(parse_msg("0-0 1-1 2-2 1-1 3-3 4-4 5-5 6-6 7-7", 0, 0, 8, 8),
			 "f.align:7: duplicate link '1-1' (expected each link once)");
	ck_assert_str_eq(parse_msg("0-0 1-1 2-2 3-3 4-4 5-5 6-6 7-7 7-7", 0, 0, 8, 8),
			 "f.align:7: duplicate link '7-7' (expected each link once)");
	ck_assert_str_eq(parse_msg("0-0 1-1 9-1 2-2 3-3 4-4 5-5 6-6", 0, 0, 8, 8),
			 "f.align:7:9: link '9-1': source index 9 is out of range (the source has 8 tokens)");
	ck_assert_str_eq(parse_msg("0-0 1-1 2-9 2-2 3-3 4-4 5-5 6-6", 0, 0, 8, 8),
			 "f.align:7:9: link '2-9': target index 9 is out of range (the target has 8 tokens)");
	ck_assert_str_eq(parse_msg("0-0 1-1 1-x 2-2 3-3 4-4 5-5 6-6", 0, 0, 8, 8),
			 "f.align:7:9: bad link '1-x' (expected 'i-j': two non-negative integers joined by '-')");
	ck_assert_str_eq(parse_msg("0-0 1-1 -1-2 2-2 3-3 4-4 5-5 6-6", 0, 0, 8, 8),
			 "f.align:7:9: bad link '-1-2' (expected 'i-j': two non-negative integers joined by '-')");
	ck_assert_str_eq(parse_msg("0-0 1-1 0-1234567890 2-2 3-3 4-4 5-5", 0, 0, 8, 8),
			 "f.align:7:9: link '0-1234567890': target index 1234567890 is out of range (the target has 8 tokens)");
	ck_assert_str_eq(parse_msg("0-0 1-1 1234567890-0 2-2 3-3 4-4 5-5", 0, 0, 8, 8),
			 "f.align:7:9: link '1234567890-0': source index 1234567890 is out of range (the source has 8 tokens)");
	/* ten digits are not read as a number wrapped round to 32 bits */
	ck_assert_str_eq(parse_msg("0-0 1-1 4294967297-0 2-2 3-3 4-4 5-5", 0, 0, 8, 8),
			 "f.align:7:9: link '4294967297-0': source index 4294967297 is out of range (the source has 8 tokens)");
	ck_assert_str_eq(parse_msg("0-0 1-1 0-4294967297 2-2 3-3 4-4 5-5", 0, 0, 8, 8),
			 "f.align:7:9: link '0-4294967297': target index 4294967297 is out of range (the target has 8 tokens)");
	/* nine digits are a plain field; a weight, a tab, leading zeros and wide gaps are read as before */
	ck_assert_str_eq(parse_msg("0-0 1-1 2-2 3-3 4-4 5-5 6-6 7-7 123456789-0", 0, 0, 123456790, 8),
			 "ok 0-0 1-1 2-2 3-3 4-4 5-5 6-6 7-7 123456789-0");
	ck_assert_str_eq(parse_msg("0-0 1-1:0.5 2-2 3-3 4-4 5-5 6-6 7-7", 0, 0, 8, 8),
			 "ok 0-0:1 1-1:0.5 2-2:1 3-3:1 4-4:1 5-5:1 6-6:1 7-7:1");
	ck_assert_str_eq(parse_msg("0-0\t1-1 2-2 3-3 4-4 5-5 6-6 7-7", 0, 0, 8, 8), "ok 0-0 1-1 2-2 3-3 4-4 5-5 6-6 7-7");
	ck_assert_str_eq(parse_msg("00-00   01-001 2-2 3-3 4-4 5-5 6-6", 0, 0, 8, 8), "ok 0-0 1-1 2-2 3-3 4-4 5-5 6-6");
	ck_assert_str_eq(parse_msg("   0-0 1-1 2-2 3-3 4-4 5-5 6-6 7-7   ", 0, 0, 8, 8), "ok 0-0 1-1 2-2 3-3 4-4 5-5 6-6 7-7");
	/* the other layouts read the long line the same way */
	ck_assert_str_eq(parse_msg("1-1 2-2 3-3 4-4 5-5 6-6 7-7 8-8", 0, 1, 8, 8), "ok 0-0 1-1 2-2 3-3 4-4 5-5 6-6 7-7");
	ck_assert_str_eq(parse_msg("0-1 1-2 2-3 3-4 4-5 5-6 6-7 7-0", 1, 0, 8, 8), "ok 0-7 1-0 2-1 3-2 4-3 5-4 6-5 7-6");
}
END_TEST

/* Random long lines: each link is read as the 1-based reading of the same line, one up, reads it. */
START_TEST(parse_long_random)
{
	uint64_t seed = 11;
	struct align_opts zero = { 0, 0 }, one = { 0, 1 };
	struct links a = { 0 }, b = { 0 };
	struct ferry_err err;
	char line[1024], line1[1024];

	for (int round = 0; round < 2000; round++) {
		size_t n = 0, n1 = 0;
		int fields = 1 + (int)(ck_rand(&seed) % 40);
		for (int f = 0; f < fields; f++) {
			uint32_t s = (uint32_t)(ck_rand(&seed) % 60), t = (uint32_t)(ck_rand(&seed) % 60);
			const char *gap = ck_rand(&seed) % 9 == 0 ? "  " : ck_rand(&seed) % 17 == 0 ? "\t" : " ";
			const char *w = ck_rand(&seed) % 23 == 0 ? ":0.25" : "";
			n += (size_t)snprintf(line + n, sizeof line - n, "%s%u-%u%s", f ? gap : "", s, t, w);
			n1 += (size_t)snprintf(line1 + n1, sizeof line1 - n1, "%s%u-%u%s", f ? gap : "", s + 1, t + 1, w);
		}
		uint32_t ns = 30 + (uint32_t)(ck_rand(&seed) % 40);   /* now and then a link is out of range */
		int ra = align_parse(line, n, &zero, ns, 60, "f", 1, &a, &err);
		int rb = align_parse(line1, n1, &one, ns, 60, "f", 1, &b, &err);
		ck_assert_msg(ra == rb, "%s: %d against %d", line, ra, rb);
		if (ra < 0)
			continue;
		ck_assert_uint_eq(a.n, b.n);
		ck_assert_int_eq(a.weighted, b.weighted);
		for (size_t k = 0; k < a.n; k++)
			ck_assert_msg(a.v[k].s == b.v[k].s && a.v[k].t == b.v[k].t && a.v[k].w == b.v[k].w, "%s: link %zu", line, k);
	}
	links_release(&a);
	links_release(&b);
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

/*
 * The definition, on a matrix: Koehn's heuristics as the Moses scripts
 * run them, scanning the grid row by row and seeing links added ahead in
 * the same scan.  The oracle for the link-set implementation.
 */
#define GRID 12

static void
grid_symmetrize(const int fwd[GRID][GRID], const int rev[GRID][GRID], int ns, int nt,
		enum symmetrize m, struct buf *out)
{
	static const int nb[8][2] = {
		{ -1, 0 }, { 0, -1 }, { 1, 0 }, { 0, 1 }, { -1, -1 }, { -1, 1 }, { 1, -1 }, { 1, 1 },
	};
	int a[GRID][GRID] = { { 0 } }, sa[GRID] = { 0 }, ta[GRID] = { 0 }, added = 1;

	for (int s = 0; s < ns; s++)
		for (int t = 0; t < nt; t++)
			if (m == SYM_UNION ? (fwd[s][t] || rev[s][t]) : (fwd[s][t] && rev[s][t]))
				a[s][t] = sa[s] = ta[t] = 1;
	while (m >= SYM_GROW_DIAG && added) {
		added = 0;
		for (int s = 0; s < ns; s++)
			for (int t = 0; t < nt; t++) {
				if (!a[s][t])
					continue;
				for (int k = 0; k < 8; k++) {
					int qs = s + nb[k][0], qt = t + nb[k][1];
					if (qs < 0 || qt < 0 || qs >= ns || qt >= nt || a[qs][qt] ||
					    !(fwd[qs][qt] || rev[qs][qt]) || (sa[qs] && ta[qt]))
						continue;
					a[qs][qt] = sa[qs] = ta[qt] = 1;
					added = 1;
				}
			}
	}
	for (int d = 0; d < 2 && (m == SYM_GROW_DIAG_FINAL || m == SYM_GROW_DIAG_FINAL_AND); d++)
		for (int s = 0; s < ns; s++)
			for (int t = 0; t < nt; t++) {
				int in = d == 0 ? fwd[s][t] : rev[s][t];
				int ok = m == SYM_GROW_DIAG_FINAL_AND ? (!sa[s] && !ta[t]) : (!sa[s] || !ta[t]);
				if (in && ok)
					a[s][t] = sa[s] = ta[t] = 1;
			}
	buf_reset(out);
	for (int s = 0; s < ns; s++)
		for (int t = 0; t < nt; t++)
			if (a[s][t])
				buf_addf(out, "%s%d-%d", out->len ? " " : "", s, t);
}

/* Random pairs of up to 12 x 12 tokens: every method gives the matrix definition's links. */
START_TEST(symmetrize_matches_the_grid_definition)
{
	struct links f = { 0 }, r = { 0 }, out = { 0 };
	struct buf want = BUF_INIT;
	unsigned seed = 12345;

	for (int round = 0; round < 3000; round++) {
		int fwd[GRID][GRID] = { { 0 } }, rev[GRID][GRID] = { { 0 } };
		seed = seed * 1103515245u + 12345u;
		int ns = 1 + (int)(seed >> 16) % GRID;
		seed = seed * 1103515245u + 12345u;
		int nt = 1 + (int)(seed >> 16) % GRID;
		seed = seed * 1103515245u + 12345u;
		int density = 5 + (int)(seed >> 16) % 40;    /* percent */
		links_reset(&f);
		links_reset(&r);
		for (int s = 0; s < ns; s++)
			for (int t = 0; t < nt; t++) {
				seed = seed * 1103515245u + 12345u;
				if ((int)(seed >> 16) % 100 < density)
					fwd[s][t] = 1, links_push(&f, (uint32_t)s, (uint32_t)t, 1.0f);
				seed = seed * 1103515245u + 12345u;
				if ((int)(seed >> 16) % 100 < density)
					rev[s][t] = 1, links_push(&r, (uint32_t)s, (uint32_t)t, 1.0f);
			}
		for (int m = 0; m < SYM_COUNT; m++) {
			grid_symmetrize(fwd, rev, ns, nt, (enum symmetrize)m, &want);
			align_symmetrize(&f, &r, (uint32_t)ns, (uint32_t)nt, (enum symmetrize)m, &out);
			if (strcmp(fmt(&out), buf_cstr(&want)) != 0)
				ck_abort_msg("round %d, %s, %dx%d: got '%s', want '%s'", round,
					     align_sym_name((enum symmetrize)m), ns, nt, fmt(&out), buf_cstr(&want));
		}
	}
	links_release(&f);
	links_release(&r);
	links_release(&out);
	buf_release(&want);
}
END_TEST

/* A chain that grows backwards, one link a scan (a scan each, on a grid), is grown whole. */
START_TEST(grow_diag_long_backward_chain)
{
	struct links f = { 0 }, r = { 0 }, out = { 0 };
	uint32_t n = 10000;

	for (uint32_t i = 0; i < n; i++)
		links_push(&f, i, i, 1.0f);
	links_push(&r, n - 1, n - 1, 1.0f);
	align_symmetrize(&f, &r, n, n, SYM_GROW_DIAG, &out);
	ck_assert_uint_eq(out.n, n);
	for (uint32_t i = 0; i < n; i++)
		ck_assert(out.v[i].s == i && out.v[i].t == i);
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

/* Encode the Pharaoh line, check the exact bytes' length, decode, and format again. */
static const char *
binary_trip(const char *line, uint32_t ns, uint32_t nt, size_t *bytes)
{
	static struct ferry_err err;
	struct align_opts o = { 0, 0 };
	struct links l = { 0 }, back = { 0 };
	struct buf b = BUF_INIT;
	static char out[4096];

	ck_assert_int_eq(align_parse(line, strlen(line), &o, ns, nt, NULL, 0, &l, &err), 0);
	align_encode(&l, &b);
	*bytes = b.len;
	ck_assert_int_eq(align_encoded_count(b.s, b.len), (long)l.n);
	if (align_decode(b.s, b.len, ns, nt, &back, &err) < 0)
		snprintf(out, sizeof out, "error %s", err.msg);
	else
		snprintf(out, sizeof out, "%s", fmt(&back));
	links_release(&l);
	links_release(&back);
	buf_release(&b);
	return out;
}

START_TEST(binary_round_trip)
{
	size_t n;

	ck_assert_str_eq(binary_trip("", 3, 3, &n), "");
	ck_assert_uint_eq(n, 1);                       /* the flags byte alone */
	ck_assert_str_eq(binary_trip("0-0 1-1 2-3 2-4 3-2", 4, 5, &n), "0-0 1-1 2-3 2-4 3-2");
	ck_assert_uint_eq(n, 6);                       /* one byte per link near the diagonal */
	ck_assert_str_eq(binary_trip("0-0 1-1 2-2 3-3 4-5", 5, 6, &n), "0-0 1-1 2-2 3-3 4-5");
	ck_assert_uint_eq(n, 4);                       /* 1-1 to 3-3: one byte for the run */
	/* 300 links on the diagonal: 0-0, then runs of 128, 128 and 43 */
	char diag[300 * 8 + 1];
	size_t at = 0;
	for (int k = 0; k < 300; k++)
		at += (size_t)snprintf(diag + at, sizeof diag - at, "%s%d-%d", k ? " " : "", k, k);
	ck_assert_str_eq(binary_trip(diag, 300, 300, &n), diag);
	ck_assert_uint_eq(n, 1 + 1 + 3);
	/* far links, a jump of source words, indices beyond one varint byte */
	ck_assert_str_eq(binary_trip("0-200 5-0 70000-3 70000-70001", 70001, 70002, &n),
			 "0-200 5-0 70000-3 70000-70001");
	ck_assert_uint_eq(n, 1 + 4 + 3 + 5 + 5);        /* marker, ds, t each */
	/* weights as the text kept them */
	ck_assert_str_eq(binary_trip("0-0:0.5 1-1:0.123456789", 2, 2, &n), "0-0:0.5 1-1:0.123457");
	ck_assert_uint_eq(n, 1 + 2 * 5);
}
END_TEST

/* Random link sets: what is decoded is what was encoded, link for link and weight for weight. */
START_TEST(binary_random_sets)
{
	uint64_t seed = 7;
	struct links l = { 0 }, back = { 0 };
	struct buf b = BUF_INIT;
	struct ferry_err err;

	for (int round = 0; round < 2000; round++) {
		uint32_t ns = 1 + (uint32_t)(ck_rand(&seed) % 300), nt = 1 + (uint32_t)(ck_rand(&seed) % 300);
		links_reset(&l);
		l.weighted = round % 3 == 0;
		/* every fifth a diagonal with rare jumps: runs of up to ns links */
		for (uint32_t s = 0, off = 0; round % 5 == 4 && s < ns; s++) {
			if (ck_rand(&seed) % 97 == 0)
				off = (uint32_t)(ck_rand(&seed) % 5);
			if (s + off < nt && ck_rand(&seed) % 60)
				links_push(&l, s, s + off, l.weighted ? 0.5f : 1.0f);
		}
		for (uint32_t s = 0; round % 5 != 4 && s < ns; s++)
			for (uint32_t k = (uint32_t)(ck_rand(&seed) % 3), t = 0; k > 0; k--) {
				t += 1 + (uint32_t)(ck_rand(&seed) % (round % 2 ? 3 : 150));
				if (t - 1 < nt && (l.n == 0 || l.v[l.n - 1].s != s || l.v[l.n - 1].t < t - 1))
					links_push(&l, s, t - 1, l.weighted ? (float)(ck_rand(&seed) % 1000) / 1000.0f : 1.0f);
			}
		buf_reset(&b);
		align_encode(&l, &b);
		ck_assert_int_eq(align_decode(b.s, b.len, ns, nt, &back, &err), 0);
		ck_assert_uint_eq(back.n, l.n);
		ck_assert_int_eq(back.weighted, l.weighted);
		for (size_t i = 0; i < l.n; i++) {
			ck_assert_uint_eq(back.v[i].s, l.v[i].s);
			ck_assert_uint_eq(back.v[i].t, l.v[i].t);
			ck_assert(back.v[i].w == l.v[i].w);
		}
		/* every cut is refused or decodes a prefix, never reads past the end */
		size_t cut = b.len > 1 ? 1 + (size_t)(ck_rand(&seed) % (b.len - 1)) : 1;
		if (align_decode(b.s, cut, ns, nt, &back, &err) == 0)
			ck_assert_uint_le(back.n, l.n);
	}
	links_release(&l);
	links_release(&back);
	buf_release(&b);
}
END_TEST

/* Damage is refused with a reason: flags, cuts, range, order, weights. */
START_TEST(binary_damage_refused)
{
	static const struct { const char *bytes; size_t n; const char *why; } cases[] = {
		{ "", 0, "not a link list" },
		{ "\x07", 1, "not a link list" },
		{ "\x00\x80\x05", 3, "a link is damaged" },
		{ "\x00\x81\x00\x00", 4, "link 2-2 is out of order" },   /* a run to 2-2, then 2-2 */
		{ "\x00\xff", 2, "link 4-4 is out of range (4 source, 4 target tokens)" },   /* a run of 128 */
		{ "\x01\x00\x00\x00\x80\x3f\x81", 7, "a run of links in a weighted list" },
		{ "\x00\x80\x09\x00", 4, "link 9-0 is out of range (4 source, 4 target tokens)" },
		{ "\x00\x01", 2, "a link is damaged" },      /* t = 0 - 1 */
		{ "\x00\x04\x01", 3, "link 0-1 is out of order" },
		{ "\x01\x00\x00\x00\x80", 5, "a weight is cut short" },
		{ "\x01\x00\x00\x00\x00\x40", 6, "link 0-0 has a bad weight" },
		/* after short links, read a byte at a time, as the first */
		{ "\x00\x00\x40\x01", 4, "link 1-0 is out of order" },
		{ "\x00\x00\x40\x40\x40\x40", 6, "link 4-4 is out of range (4 source, 4 target tokens)" },
		{ "\x00\x00\x40\x03", 4, "a link is damaged" },      /* t = 1 - 2 */
		{ "\x00\x00\x41\x08", 4, "link 1-4 is out of range (4 source, 4 target tokens)" },
		{ "\x00\x00\x80\x01\x09", 5, "link 1-9 is out of range (4 source, 4 target tokens)" },
		{ "\x00\x40\x80\x05", 4, "a link is damaged" },
	};
	struct links l = { 0 };
	struct ferry_err err;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ck_assert_msg(align_decode(cases[i].bytes, cases[i].n, 4, 4, &l, &err) < 0, "case %zu", i);
		ck_assert_str_eq(err.msg, cases[i].why);
	}
	links_release(&l);
}
END_TEST

Suite *
align_suite(void)
{
	Suite *s = suite_create("align");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, parse_valid);
	tcase_add_test(tc, parse_invalid);
	tcase_add_test(tc, parse_long_lines);
	tcase_add_test(tc, parse_long_random);
	tcase_add_test(tc, symmetrize_worked_example);
	tcase_add_test(tc, grow_diag_chains);
	tcase_add_test(tc, weights_survive_symmetrisation);
	tcase_add_test(tc, symmetrize_matches_the_grid_definition);
	tcase_add_test(tc, grow_diag_long_backward_chain);
	tcase_add_test(tc, compose_through_back_translation);
	tcase_add_test(tc, method_names);
	tcase_add_test(tc, binary_round_trip);
	tcase_add_test(tc, binary_random_sets);
	tcase_add_test(tc, binary_damage_refused);
	suite_add_tcase(s, tc);
	return s;
}
