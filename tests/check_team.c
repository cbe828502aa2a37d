/*
 * check_team.c — agreement figures: Cohen's kappa and Krippendorff's
 * alpha worked out by hand, alpha against a second implementation written
 * here from the pairable-values definition, on random data with gaps.
 */
#include <math.h>
#include <stdlib.h>

#include "check_ferry.h"
#include "ferry/team.h"

START_TEST(kappa_by_hand)
{
	/* po = 5/6; pe = (3*2 + 2*3 + 1*1) / 36 = 13/36; kappa = (30 - 13) / (36 - 13) */
	int a[] = { 0, 0, 1, 1, 0, 2 }, b[] = { 0, 1, 1, 1, 0, 2 };
	ck_assert_double_eq_tol(team_kappa(a, b, 6, 3), 17.0 / 23.0, 1e-12);
	/* full agreement on one value: nothing could disagree */
	int c[] = { 0, 0, 0 };
	ck_assert_double_eq_tol(team_kappa(c, c, 3, 1), 1.0, 1e-12);
	/* chance agreement only: a coder always 0, the other half 0 half 1 */
	int d[] = { 0, 0, 0, 0 }, e[] = { 0, 1, 0, 1 };
	ck_assert_double_eq_tol(team_kappa(d, e, 4, 2), 0.0, 1e-12);
	ck_assert(isnan(team_kappa(a, b, 0, 3)));
}
END_TEST

START_TEST(alpha_by_hand)
{
	/* units (0,0) (0,1) (1,1) (1,1): o = [[2,1],[1,4]], n = (3, 5), alpha = 1 - 7 * 2 / 30 */
	int v[] = { 0, 0, 0, 1, 1, 1, 1, 1 };
	ck_assert_double_eq_tol(team_alpha(v, 4, 2, 2), 1.0 - 7.0 * 2 / 30, 1e-12);
	/* a unit one coder left out counts nothing; three coders weigh 1/2 each pair */
	int w[] = { 0, 0, -1, 0, 1, 1, 1, 1, 1, 0, -1, -1 };
	/* u1 (0,0): o00 += 2; u2 (0,1,1): o01 += 1, o10 += 1, o11 += 1; u3 (1,1,1): o11 += 3; u4 dropped
	   o = [[2,1],[1,4]] again */
	ck_assert_double_eq_tol(team_alpha(w, 4, 3, 2), 1.0 - 7.0 * 2 / 30, 1e-12);
	int same[] = { 1, 1, 1, 1 };
	ck_assert_double_eq_tol(team_alpha(same, 2, 2, 2), 1.0, 1e-12);
	ck_assert(isnan(team_alpha(w + 9, 1, 3, 2)));
}
END_TEST

/* alpha = 1 - Do / De over the pairable values, counted directly (Krippendorff 2011, section C). */
static double
alpha_pairable(const int *v, size_t units, size_t m)
{
	double n = 0, dis_o = 0, dis_e = 0;
	int *all = malloc(units * m * sizeof *all);
	size_t na = 0;

	for (size_t u = 0; u < units; u++) {
		size_t mu = 0;
		for (size_t i = 0; i < m; i++)
			mu += v[u * m + i] >= 0;
		if (mu < 2)
			continue;
		for (size_t i = 0; i < m; i++) {
			if (v[u * m + i] < 0)
				continue;
			all[na++] = v[u * m + i];
			for (size_t j = 0; j < m; j++)
				if (j != i && v[u * m + j] >= 0 && v[u * m + j] != v[u * m + i])
					dis_o += 1.0 / (double)(mu - 1);
		}
	}
	n = (double)na;
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < na; j++)
			dis_e += i != j && all[i] != all[j];
	free(all);
	return dis_e > 0 ? 1 - (dis_o / n) / (dis_e / (n * (n - 1))) : 1;
}

START_TEST(alpha_against_second_implementation)
{
	unsigned s = 12345;
	for (int t = 0; t < 500; t++) {
		size_t units = 1 + (size_t)(rand_r(&s) % 30), m = 2 + (size_t)(rand_r(&s) % 4);
		int k = 2 + rand_r(&s) % 4, v[34 * 6];
		for (size_t i = 0; i < units * m; i++)
			v[i] = rand_r(&s) % 5 == 0 ? -1 : rand_r(&s) % k;
		double want = alpha_pairable(v, units, m), got = team_alpha(v, units, m, k);
		if (isnan(got))
			continue;
		ck_assert_msg(fabs(got - want) < 1e-9, "instance %d: %g, second implementation %g", t, got, want);
	}
}
END_TEST

Suite *
team_suite(void)
{
	Suite *s = suite_create("team");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, kappa_by_hand);
	tcase_add_test(tc, alpha_by_hand);
	tcase_add_test(tc, alpha_against_second_implementation);
	suite_add_tcase(s, tc);
	return s;
}
