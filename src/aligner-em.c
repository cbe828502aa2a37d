/*
 * aligner-em.c — one pair's E-step: the posteriors of both directions'
 * models, the counts they add, and the links they decode to.
 *
 * Both directions are the same computation with the roles of the sides
 * exchanged, so it is written once over an emission matrix em[t][s]: T
 * observed words (t), S hidden positions of the other side (s), and a
 * last column s = S for the empty word.  For F the observations are the
 * target words and em[j][i] = t(f_j | e_i); for R they are the source
 * words and em[i][j] = t(e_i | f_j).
 *
 * Model 1: each observation picks a position or the empty word in
 * proportion to its emission, independently of the others.
 *
 * HMM (Vogel, Ney and Tillmann 1996, with the empty word of Och and Ney
 * 2003): the position of observation t depends on the position of the
 * last observation that was not aligned to the empty word, through a
 * jump distribution over the distance (buckets from -JUMP_MAX to
 * JUMP_MAX).  The empty word is a set of states that remember the last
 * real position (k = s + 1), k = 0 meaning "before the first word", so
 * a jump after an empty-word observation is measured from where the
 * sentence really was.  A jump from k to a real position s has
 * probability (1 - p_null) * jump(s - (k - 1)) / Z_k and to the empty
 * word (keeping k) p_null.  Forward-backward is scaled per observation
 * (Rabiner), so posteriors are the products of the scaled passes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "aligner-int.h"
#include "ferry/mem.h"

static inline int
bucket(long d)
{
	if (d < -JUMP_MAX)
		d = -JUMP_MAX;
	if (d > JUMP_MAX)
		d = JUMP_MAX;
	return (int)(d + JUMP_MAX);
}

static inline int64_t
fixed(double p)
{
	return (int64_t)(p * COUNT_ONE + 0.5);
}

/* Model 1's posteriors of em (T x (S + 1)) in place. */
static void
ibm1_posteriors(double *em, uint32_t T, uint32_t S)
{
	for (uint32_t t = 0; t < T; t++) {
		double *row = em + (size_t)t * (S + 1), z = 0;
		for (uint32_t s = 0; s <= S; s++)
			z += row[s];
		if (z <= 0) {
			/* nothing known: the empty word */
			memset(row, 0, S * sizeof *row);
			row[S] = 1;
			continue;
		}
		for (uint32_t s = 0; s <= S; s++)
			row[s] /= z;
	}
}

/*
 * The HMM's posteriors of em (T x (S + 1)) in place, its expected jumps
 * added to jcount.  fb is scratch of hmm_scratch(T, S) doubles.
 */
static size_t
hmm_scratch(uint32_t T, uint32_t S)
{
	return (size_t)T * (2 * (size_t)S + 1) + (size_t)T * ((size_t)S + 1) * 2 + ((size_t)S + 1) * S +
	       4 * ((size_t)S + 1) + 2 * (size_t)S + 2;
}

/* The mass at each memory k before observation t: alpha_{t-1} of position k - 1 and of the empty word with memory k. */
static void
prev_mass(const double *alpha, const double *alphaN, uint32_t t, uint32_t S, double *pm)
{
	size_t K = (size_t)S + 1;

	if (t == 0) {
		memset(pm, 0, K * sizeof *pm);
		pm[0] = 1;
		return;
	}
	const double *pa = alpha + (size_t)(t - 1) * S, *pn = alphaN + (size_t)(t - 1) * K;
	pm[0] = pn[0];
	for (size_t k = 1; k < K; k++)
		pm[k] = pa[k - 1] + pn[k];
}

/* The posteriors over em from the scaled passes in fb: a real position's
   alpha times beta, the empty word's summed over its memories. */
static void
hmm_gamma(double *em, uint32_t T, uint32_t S, const double *fb)
{
	size_t K = (size_t)S + 1;
	const double *alpha = fb, *alphaN = alpha + (size_t)T * S;
	const double *beta = alphaN + (size_t)T * K, *betaN = beta + (size_t)T * S;

	for (uint32_t t = 0; t < T; t++) {
		double *row = em + (size_t)t * K, n = 0;
		const double *a = alpha + (size_t)t * S, *b = beta + (size_t)t * S;
		const double *an = alphaN + (size_t)t * K, *bn = betaN + (size_t)t * K;
		for (uint32_t s = 0; s < S; s++)
			row[s] = a[s] * b[s];
		for (size_t k = 0; k < K; k++)
			n += an[k] * bn[k];
		row[S] = n;
	}
}

static void
hmm_posteriors(double *em, uint32_t T, uint32_t S, const double *jump, double p0,
	       int64_t *jcount, double *fb)
{
	size_t K = (size_t)S + 1;
	double *alpha = fb, *alphaN = alpha + (size_t)T * S;
	double *beta = alphaN + (size_t)T * K, *betaN = beta + (size_t)T * S;
	double *A = betaN + (size_t)T * K, *scale = A + K * S;
	double *pm = scale + T, *bk = pm + K, *x = bk + K;
	/* expected jumps by distance d = s - (k - 1), from -S to S: jd[d + S] */
	double *jd = x + K;

	memset(jd, 0, (2 * (size_t)S + 1) * sizeof *jd);
	/* A[k][s]: from memory k (last real position k - 1) to position s */
	for (size_t k = 0; k < K; k++) {
		double z = 0;
		for (uint32_t s = 0; s < S; s++)
			z += A[k * S + s] = jump[bucket((long)s - (long)k + 1)];
		for (uint32_t s = 0; s < S; s++)
			A[k * S + s] *= (1 - p0) / z;
	}
	for (uint32_t t = 0; t < T; t++) {
		const double *e = em + (size_t)t * K;
		double *a = alpha + (size_t)t * S, *an = alphaN + (size_t)t * K, c = 0;
		prev_mass(alpha, alphaN, t, S, pm);
		memset(a, 0, S * sizeof *a);
		for (size_t k = 0; k < (t == 0 ? 1 : K); k++) {
			const double *Ak = A + k * S, m = pm[k];
			for (uint32_t s = 0; s < S; s++)
				a[s] += m * Ak[s];
		}
		for (uint32_t s = 0; s < S; s++)
			c += a[s] *= e[s];
		for (size_t k = 0; k < K; k++)
			c += an[k] = e[S] * p0 * pm[k];
		if (c <= 0)
			c = 1e-300;
		scale[t] = c;
		for (uint32_t s = 0; s < S; s++)
			a[s] /= c;
		for (size_t k = 0; k < K; k++)
			an[k] /= c;
	}
	/* backward; the jumps into observation t + 1 counted on the way */
	for (uint32_t s = 0; s < S; s++)
		beta[(size_t)(T - 1) * S + s] = 1;
	for (size_t k = 0; k < K; k++)
		betaN[(size_t)(T - 1) * K + k] = 1;
	for (uint32_t t = T; t-- > 0;) {
		const double *e = em + (size_t)t * K, *b = beta + (size_t)t * S;
		for (uint32_t s = 0; s < S; s++)
			x[s] = e[s] * b[s] / scale[t];
		prev_mass(alpha, alphaN, t, S, pm);
		for (size_t k = 0; k < K; k++) {
			const double *Ak = A + k * S;
			double v = 0, m = pm[k];
			double *jk = jd + S + 1 - k;
			for (uint32_t s = 0; s < S; s++) {
				double y = Ak[s] * x[s];
				v += y;
				jk[s] += m * y;
			}
			bk[k] = v + p0 * e[S] * betaN[(size_t)t * K + k] / scale[t];
		}
		if (t == 0)
			break;
		double *pb = beta + (size_t)(t - 1) * S, *pbn = betaN + (size_t)(t - 1) * K;
		for (uint32_t s = 0; s < S; s++)
			pb[s] = bk[s + 1];
		memcpy(pbn, bk, K * sizeof *pbn);
	}
	for (long d = -(long)S; d <= (long)S; d++)
		if (jd[d + S] > 0)
			jcount[bucket(d)] += fixed(jd[d + S]);
	hmm_gamma(em, T, S, fb);
}

void
em_hmm(double *em, uint32_t T, uint32_t S, const double *jump, double p0, int64_t *jcount)
{
	double *fb = xmalloc(hmm_scratch(T > S ? T : S, T > S ? T : S) * sizeof *fb);

	hmm_posteriors(em, T, S, jump, p0, jcount, fb);
	free(fb);
}

void
em_posteriors(const struct aligner *a, size_t p, const uint32_t *cell, struct em_work *w)
{
	const uint32_t *e = a->ids[0] + a->off[0][p], *f = a->ids[1] + a->off[1][p];
	uint32_t I = (uint32_t)(a->off[0][p + 1] - a->off[0][p]);
	uint32_t J = (uint32_t)(a->off[1][p + 1] - a->off[1][p]);
	int hmm = a->hmm && (size_t)I * J <= HMM_CELLS_MAX;

	VEC_GROW(w->post[DIR_F], w->post_cap[DIR_F], (size_t)J * (I + 1));
	VEC_GROW(w->post[DIR_R], w->post_cap[DIR_R], (size_t)I * (J + 1));
	double *pf = w->post[DIR_F], *pr = w->post[DIR_R];
	for (uint32_t i = 0; i < I; i++)
		for (uint32_t j = 0; j < J; j++) {
			uint32_t s = cell[(size_t)i * J + j];
			pf[(size_t)j * (I + 1) + i] = a->t[DIR_F][s];
			pr[(size_t)i * (J + 1) + j] = a->t[DIR_R][s];
		}
	for (uint32_t j = 0; j < J; j++)
		pf[(size_t)j * (I + 1) + I] = a->tnull[DIR_F][f[j]];
	for (uint32_t i = 0; i < I; i++)
		pr[(size_t)i * (J + 1) + J] = a->tnull[DIR_R][e[i]];
	if (!hmm) {
		ibm1_posteriors(pf, J, I);
		ibm1_posteriors(pr, I, J);
		return;
	}
	size_t need = hmm_scratch(J > I ? J : I, J > I ? J : I);
	VEC_GROW(w->fb, w->fb_cap, need);
	hmm_posteriors(pf, J, I, a->jump[DIR_F], a->o.p_null, w->jump[DIR_F], w->fb);
	hmm_posteriors(pr, I, J, a->jump[DIR_R], a->o.p_null, w->jump[DIR_R], w->fb);
}

void
em_count(struct aligner *a, size_t p, const uint32_t *cell, struct em_work *w)
{
	const uint32_t *e = a->ids[0] + a->off[0][p], *f = a->ids[1] + a->off[1][p];
	uint32_t I = (uint32_t)(a->off[0][p + 1] - a->off[0][p]);
	uint32_t J = (uint32_t)(a->off[1][p + 1] - a->off[1][p]);
	const double *pf = w->post[DIR_F], *pr = w->post[DIR_R];

	/* alignment by agreement (Liang, Taskar and Klein 2006): a link counts
	   as much as both directions' posteriors of it multiplied */
	for (uint32_t i = 0; i < I; i++)
		for (uint32_t j = 0; j < J; j++) {
			int64_t v = fixed(pf[(size_t)j * (I + 1) + i] * pr[(size_t)i * (J + 1) + j]);
			if (v)
				atomic_fetch_add_explicit(&a->c[cell[(size_t)i * J + j]], v, memory_order_relaxed);
		}
	for (uint32_t j = 0; j < J; j++)
		atomic_fetch_add_explicit(&a->cnull[DIR_F][f[j]], fixed(pf[(size_t)j * (I + 1) + I]),
					  memory_order_relaxed);
	for (uint32_t i = 0; i < I; i++)
		atomic_fetch_add_explicit(&a->cnull[DIR_R][e[i]], fixed(pr[(size_t)i * (J + 1) + J]),
					  memory_order_relaxed);
}

/* Each observation's best position if its posterior reaches the threshold and beats the empty word. */
static void
decode_dir(const double *post, uint32_t T, uint32_t S, double threshold, uint16_t *best)
{
	for (uint32_t t = 0; t < T; t++) {
		const double *row = post + (size_t)t * (S + 1);
		uint32_t arg = 0;
		for (uint32_t s = 1; s < S; s++)
			if (row[s] > row[arg])
				arg = s;
		best[t] = (uint16_t)(S > 0 && row[arg] >= threshold && row[arg] > row[S] ? arg + 1 : 0);
	}
}

void
em_decode(struct aligner *a, size_t p, struct em_work *w)
{
	uint32_t I = (uint32_t)(a->off[0][p + 1] - a->off[0][p]);
	uint32_t J = (uint32_t)(a->off[1][p + 1] - a->off[1][p]);

	double *pf = w->post[DIR_F], *pr = w->post[DIR_R];

	for (uint32_t i = 0; i < I; i++)
		for (uint32_t j = 0; j < J; j++) {
			double x = pf[(size_t)j * (I + 1) + i], y = pr[(size_t)i * (J + 1) + j];
			pf[(size_t)j * (I + 1) + i] = x * pow(y, DECODE_AGREE);
			pr[(size_t)i * (J + 1) + j] = y * pow(x, DECODE_AGREE);
		}
	decode_dir(pf, J, I, a->o.threshold, a->best[DIR_F] + a->off[1][p]);
	decode_dir(pr, I, J, a->o.threshold, a->best[DIR_R] + a->off[0][p]);
}

void
em_work_release(struct em_work *w)
{
	for (int d = 0; d < DIRS; d++)
		free(w->post[d]);
	free(w->fb);
	free(w->cells);
	memset(w, 0, sizeof *w);
}
