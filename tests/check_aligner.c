/* check_aligner.c — ferry's word aligner: one EM step worked by hand, the
 * HMM's forward-backward against enumeration, links, determinism. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_ferry.h"
#include "ferry/aligner.h"
#include "../src/aligner-int.h"

/* Add a pair given as two space-separated strings. */
static void
add(aligner *a, const char *src, const char *tgt)
{
	struct toks t[2] = { { 0 }, { 0 } };
	struct ferry_err err = { 0 };

	toks_set_joined(&t[0], src, strlen(src));
	toks_set_joined(&t[1], tgt, strlen(tgt));
	ck_assert_int_eq(aligner_add(a, &t[0], &t[1], &err), 0);
	toks_release(&t[0]);
	toks_release(&t[1]);
}

static const char *
links_of(aligner *a, size_t p, int rev)
{
	static struct buf b;
	struct links l = { 0 };

	aligner_links(a, p, rev ? NULL : &l, rev ? &l : NULL);
	buf_reset(&b);
	align_format(&l, &b);
	links_release(&l);
	return buf_cstr(&b);
}

/*
 * One Model 1 iteration on "a b / x y" and "a / x", from uniform tables
 * (every t and every empty-word probability 1/2), worked by hand:
 *   pair 1: each target word's posterior is 1/3 for a, b and the empty
 *   word, each source word's 1/3 for x, y and the empty word; agreed
 *   counts 1/3 * 1/3 = 1/9 for each of the four links;
 *   pair 2: 1/2 and 1/2, agreed 1/4 for a-x.
 * So c(a,x) = 13/36, c(a,y) = c(b,x) = c(b,y) = 4/36, and
 *   t(x|a) = 13/17, t(y|a) = 4/17, t(x|b) = t(y|b) = 1/2,
 *   t(a|x) = 13/17, t(b|x) = 4/17, t(a|y) = t(b|y) = 1/2.
 */
START_TEST(model1_one_iteration)
{
	struct aligner_opts o;
	struct ferry_err err = { 0 };

	aligner_opts_init(&o);
	o.ibm1_iters = 1;
	o.hmm_iters = 0;
	aligner *a = aligner_new(&o);
	add(a, "a b", "x y");
	add(a, "a", "x");
	ck_assert_int_eq(aligner_train(a, &err), 0);
	ck_assert_double_eq_tol(aligner_prob(a, 0, "a", "x"), 13.0 / 17, 1e-6);
	ck_assert_double_eq_tol(aligner_prob(a, 0, "a", "y"), 4.0 / 17, 1e-6);
	ck_assert_double_eq_tol(aligner_prob(a, 0, "b", "x"), 0.5, 1e-6);
	ck_assert_double_eq_tol(aligner_prob(a, 0, "b", "y"), 0.5, 1e-6);
	ck_assert_double_eq_tol(aligner_prob(a, 1, "a", "x"), 13.0 / 17, 1e-6);
	ck_assert_double_eq_tol(aligner_prob(a, 1, "b", "x"), 4.0 / 17, 1e-6);
	ck_assert_double_eq_tol(aligner_prob(a, 1, "a", "y"), 0.5, 1e-6);
	ck_assert_double_eq(aligner_prob(a, 0, "a", "z"), -1);
	aligner_free(a);
}
END_TEST

/* Words written alike (4+ characters) get a pseudo-count of 1 per iteration. */
START_TEST(model1_alike_words)
{
	struct aligner_opts o;
	struct ferry_err err = { 0 };

	aligner_opts_init(&o);
	o.ibm1_iters = 1;
	o.hmm_iters = 0;
	aligner *a = aligner_new(&o);
	add(a, "Prodi", "prodi ja");
	ck_assert_int_eq(aligner_train(a, &err), 0);
	/* each target word: 1/2 Prodi, 1/2 the empty word; the source word:
	   1/3 each target word and the empty word; agreed counts 1/6 each, + 1
	   for prodi-prodi (case folded): t(prodi|Prodi) = (7/6) / (8/6) = 7/8 */
	ck_assert_double_eq_tol(aligner_prob(a, 0, "Prodi", "prodi"), 7.0 / 8, 1e-6);
	ck_assert_double_eq_tol(aligner_prob(a, 0, "Prodi", "ja"), 1.0 / 8, 1e-6);
	aligner_free(a);
}
END_TEST

/* The jump bucket of a distance, as aligner-em.c clamps it. */
static int
bucket_of(long d)
{
	return (int)((d < -JUMP_MAX ? -JUMP_MAX : d > JUMP_MAX ? JUMP_MAX : d) + JUMP_MAX);
}

/*
 * The HMM's posteriors and expected jumps by enumerating every alignment
 * of T observations to S positions or the empty word ((S + 1)^T of them).
 */
static void
enumerate(const double *em, uint32_t T, uint32_t S, const double *jump, double p0, double *post,
	  double *jumps)
{
	uint32_t seq[8];
	double total = 0;
	size_t n = 1;

	for (uint32_t t = 0; t < T; t++)
		n *= S + 1;
	memset(post, 0, (size_t)T * (S + 1) * sizeof *post);
	memset(jumps, 0, JUMPS * sizeof *jumps);
	for (size_t code = 0; code < n; code++) {
		size_t c = code;
		for (uint32_t t = 0; t < T; t++, c /= S + 1)
			seq[t] = (uint32_t)(c % (S + 1));
		double p = 1;
		long k = 0;          /* last real position + 1 */
		for (uint32_t t = 0; t < T; t++) {
			if (seq[t] == S) {
				p *= p0 * em[t * (S + 1) + S];
				continue;
			}
			double z = 0;
			for (uint32_t s = 0; s < S; s++)
				z += jump[bucket_of((long)s - k + 1)];
			p *= (1 - p0) * jump[bucket_of((long)seq[t] - k + 1)] / z * em[t * (S + 1) + seq[t]];
			k = (long)seq[t] + 1;
		}
		total += p;
		k = 0;
		for (uint32_t t = 0; t < T; t++) {
			post[t * (S + 1) + seq[t]] += p;
			if (seq[t] != S) {
				jumps[bucket_of((long)seq[t] - k + 1)] += p;
				k = (long)seq[t] + 1;
			}
		}
	}
	for (size_t i = 0; i < (size_t)T * (S + 1); i++)
		post[i] /= total;
	for (int b = 0; b < JUMPS; b++)
		jumps[b] /= total;
}

START_TEST(hmm_matches_enumeration)
{
	uint32_t T = 4, S = 3;
	double em[4 * 4], want[4 * 4], jumps[JUMPS], jump[JUMPS];
	int64_t got_jumps[JUMPS] = { 0 };
	unsigned seed = 7;

	for (int b = 0; b < JUMPS; b++)
		jump[b] = 0.05 + (double)(b % 5) / 7;
	for (size_t i = 0; i < sizeof em / sizeof *em; i++) {
		seed = seed * 1103515245u + 12345u;
		em[i] = 0.01 + (double)(seed >> 16 & 0x7fff) / 32768.0;
	}
	enumerate(em, T, S, jump, 0.15, want, jumps);
	em_hmm(em, T, S, jump, 0.15, got_jumps);
	for (size_t i = 0; i < sizeof em / sizeof *em; i++)
		ck_assert_double_eq_tol(em[i], want[i], 1e-9);
	for (int b = 0; b < JUMPS; b++)
		ck_assert_double_eq_tol((double)got_jumps[b] / COUNT_ONE, jumps[b], 1e-6);
}
END_TEST

/* A tiny corpus where every word has one translation: the links are the diagonal. */
START_TEST(links_of_a_small_corpus)
{
	static const char *const pairs[][2] = {
		{ "the house is small", "das haus ist klein" },
		{ "the house is big", "das haus ist groß" },
		{ "the car is small", "das auto ist klein" },
		{ "a car is big", "ein auto ist groß" },
		{ "a house", "ein haus" },
		{ "small is the car", "klein ist das auto" },
	};
	struct aligner_opts o;
	struct ferry_err err = { 0 };

	aligner_opts_init(&o);
	aligner *a = aligner_new(&o);
	for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
		add(a, pairs[i][0], pairs[i][1]);
	ck_assert_uint_eq(aligner_pairs(a), 6);
	ck_assert_int_eq(aligner_train(a, &err), 0);
	ck_assert_str_eq(links_of(a, 0, 0), "0-0 1-1 2-2 3-3");
	ck_assert_str_eq(links_of(a, 0, 1), "0-0 1-1 2-2 3-3");
	ck_assert_str_eq(links_of(a, 3, 0), "0-0 1-1 2-2 3-3");
	ck_assert_str_eq(links_of(a, 5, 1), "0-0 1-1 2-2 3-3");
	aligner_free(a);
}
END_TEST

/* The same corpus trained with 1, 2 and 5 threads gives the same links and tables. */
START_TEST(threads_do_not_change_the_result)
{
	static const char *const words[] = { "alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta" };
	char src[256], tgt[256];
	aligner *a[3];
	int threads[3] = { 1, 2, 5 };
	unsigned seed = 11;

	for (int k = 0; k < 3; k++) {
		struct aligner_opts o;
		struct ferry_err err = { 0 };
		aligner_opts_init(&o);
		o.threads = threads[k];
		a[k] = aligner_new(&o);
		seed = 11;
		for (int p = 0; p < 700; p++) {
			int n = 0, m = 0, len = 2 + p % 7;
			for (int i = 0; i < len; i++) {
				seed = seed * 1103515245u + 12345u;
				unsigned w = seed >> 16 & 7;
				n += snprintf(src + n, sizeof src - (size_t)n, "%s%s", i ? " " : "", words[w]);
				m += snprintf(tgt + m, sizeof tgt - (size_t)m, "%s%c%u", i ? " " : "",
					      'p' + (int)(w % 3), (w + (unsigned)i) % 5);
			}
			add(a[k], src, tgt);
		}
		ck_assert_int_eq(aligner_train(a[k], &err), 0);
	}
	for (size_t p = 0; p < 700; p++)
		for (int rev = 0; rev < 2; rev++) {
			char want[512];
			snprintf(want, sizeof want, "%s", links_of(a[0], p, rev));
			ck_assert_str_eq(links_of(a[1], p, rev), want);
			ck_assert_str_eq(links_of(a[2], p, rev), want);
		}
	ck_assert(aligner_prob(a[0], 0, "alpha", "p0") == aligner_prob(a[2], 0, "alpha", "p0"));
	for (int k = 0; k < 3; k++)
		aligner_free(a[k]);
}
END_TEST

/* Forms are folded before they are compared: case, NFKC, accents on request, prefixes. */
START_TEST(forms_are_normalised)
{
	struct aligner_opts o;
	struct ferry_err err = { 0 };

	aligner_opts_init(&o);
	o.fold = ALIGNER_FOLD_CASE | ALIGNER_FOLD_ACCENTS;
	o.prefix = 5;
	aligner *a = aligner_new(&o);
	add(a, "Straße Café", "x y");
	add(a, "STRASSE cafe", "x y");
	add(a, "Kommission", "x");
	add(a, "Kommissionen", "x");
	ck_assert_int_eq(aligner_train(a, &err), 0);
	/* one word each: both spellings share one table entry */
	ck_assert(aligner_prob(a, 0, "Straße", "x") == aligner_prob(a, 0, "STRASSE", "x"));
	ck_assert(aligner_prob(a, 0, "Café", "y") == aligner_prob(a, 0, "cafe", "y"));
	ck_assert(aligner_prob(a, 0, "Kommission", "x") == aligner_prob(a, 0, "Kommissionen", "x"));
	aligner_free(a);
}
END_TEST

START_TEST(options_parse)
{
	struct aligner_opts o;
	struct ferry_err err = { 0 };
	struct buf b = BUF_INIT;

	aligner_opts_init(&o);
	aligner_opts_format(&o, &b);
	ck_assert_str_eq(buf_cstr(&b), "ibm1=5 hmm=5 fold=case prefix=6 suffix=0 p-null=0.08 threshold=0.3");
	ck_assert_int_eq(aligner_opt_set(&o, 2, "accents", &err), 0);
	ck_assert_int_eq(aligner_opt_set(&o, 0, "3", &err), 0);
	ck_assert_int_eq(aligner_opt_set(&o, 0, "2.5", &err), -1);
	ck_assert_str_eq(err.msg, "bad --ibm1 '2.5' (expected a whole number)");
	ck_assert_int_eq(aligner_opt_set(&o, 5, "1.5", &err), -1);
	ck_assert_str_eq(err.msg, "bad --p-null '1.5' (expected a number from 0 to 0.99)");
	ck_assert_int_eq(aligner_opt_set(&o, 2, "upper", &err), -1);
	ck_assert_str_eq(err.msg, "unknown --fold 'upper' (expected case, accents or none)");
	buf_reset(&b);
	aligner_opts_format(&o, &b);
	ck_assert_str_eq(buf_cstr(&b), "ibm1=3 hmm=5 fold=accents prefix=6 suffix=0 p-null=0.08 threshold=0.3");
	buf_release(&b);
}
END_TEST

Suite *
aligner_suite(void)
{
	Suite *s = suite_create("aligner");
	TCase *tc = tcase_create("aligner");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, model1_one_iteration);
	tcase_add_test(tc, model1_alike_words);
	tcase_add_test(tc, hmm_matches_enumeration);
	tcase_add_test(tc, links_of_a_small_corpus);
	tcase_add_test(tc, threads_do_not_change_the_result);
	tcase_add_test(tc, forms_are_normalised);
	tcase_add_test(tc, options_parse);
	suite_add_tcase(s, tc);
	return s;
}
