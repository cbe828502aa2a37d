/*
 * match-solve.c — choosing among scored candidates: greedy and the ILP.
 * The only file that speaks to GLPK.
 *
 * The problem (Politov et al. 2025).  A source entity s = (i, j, label);
 * a target candidate t = (k, l), a contiguous token range; x[s,t] = 1
 * when s is projected onto t.  Maximise  sum c[s,t] x[s,t]  subject to
 *
 *   per entity      sum_t x[s,t]  (<= | = | >=)  n_proj
 *   per token q     sum over (s, t containing q) x[s,t]  <= 1
 *
 * The second family replaces the paper's pairwise constraint
 * x[a] + x[b] <= 1 for every overlapping pair (a, b): candidates are
 * intervals, so any set of pairwise-overlapping intervals shares a point
 * (Helly's theorem in one dimension) and the per-token cliques describe
 * exactly the same integer solutions with O(tokens) rows instead of
 * O(candidates^2), and a tighter LP relaxation.  The pairwise rows stay
 * behind ilp_pairwise for bench/ilpform's comparison.
 *
 * Greedy takes candidates by score (ties: shorter, then leftmost, then
 * the earlier entity) while the entity has quota and the tokens are
 * free.  The ILP hands the program to GLPK (presolve, a per-pair time
 * limit, then greedy), except where greedy is provably optimal: under
 * <= 1 with no target token wanted by two entities.
 *
 * GLPK keeps an environment per thread (when built with thread-local
 * storage, else one for the process): match_solver_parallel() and
 * match_solver_thread_cleanup() are the only calls others need.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glpk.h>

#include "match-int.h"

/* May method ilp run in several threads (GLPK built with thread-local storage)? */
int
match_solver_parallel(void)
{
	return glp_config("TLS") != NULL;
}

/* Free the calling thread's GLPK environment. */
void
match_solver_thread_cleanup(void)
{
	glp_free_env();
}

/* ---- greedy ------------------------------------------------------------------ */

/* Move h[i] down to its place below the first in order. */
static void
heap_down(int *h, size_t n, size_t i, const struct match_cand *c, int by_entity)
{
	int v = h[i];

	for (;;) {
		size_t k = 2 * i + 1;
		if (k >= n)
			break;
		if (k + 1 < n && match_cand_before(c, h[k + 1], h[k], by_entity))
			k++;
		if (!match_cand_before(c, h[k], v, by_entity))
			break;
		h[i] = h[k];
		i = k;
	}
	h[i] = v;
}

void
match_heap_make(int *h, size_t n, const struct match_cand *c, int by_entity)
{
	for (size_t i = n / 2; i-- > 0;)
		heap_down(h, n, i, c, by_entity);
}

int
match_heap_pop(int *h, size_t *n, const struct match_cand *c, int by_entity)
{
	int top = h[0];

	h[0] = h[--*n];
	if (*n > 1)
		heap_down(h, *n, 0, c, by_entity);
	return top;
}

/* Are tokens [start, end) all free in busy? */
static int
span_free(const uint8_t *busy, uint32_t start, uint32_t end)
{
	for (uint32_t q = start; q < end; q++)
		if (busy[q])
			return 0;
	return 1;
}

/*
 * ws->busy marks tokens taken already (pins); quota[e] projections left.
 * The candidates come off a heap in greedy order until no entity has
 * quota left: the same choice as sorting them all, at a fraction of the
 * comparisons when a pair has hundreds of candidates and a few entities.
 */
double
match_solve_greedy(match_ws *ws, const struct match_cand *c, size_t nc, const int *quota, int *chosen)
{
	double total = 0;
	int *left, maxe = 0, open = 0;
	size_t n = nc;

	VEC_GROW(ws->order, ws->order_cap, nc + 1);
	for (size_t i = 0; i < nc; i++) {
		ws->order[i] = (int)i;
		chosen[i] = 0;
		if (c[i].entity + 1 > maxe)
			maxe = c[i].entity + 1;
	}
	/* left[e] projections left; left[maxe + e]: e has a candidate already counted in open */
	left = xcalloc(2 * (size_t)maxe + 1, sizeof *left);
	for (int e = 0; e < maxe; e++)
		left[e] = quota[e];
	for (size_t i = 0; i < nc; i++)
		if (!left[maxe + c[i].entity]) {
			left[maxe + c[i].entity] = 1;
			open += left[c[i].entity] > 0;
		}
	match_heap_make(ws->order, n, c, 0);
	while (n > 0 && open > 0) {
		int r = match_heap_pop(ws->order, &n, c, 0);
		const struct match_cand *k = &c[r];
		if (left[k->entity] <= 0 || !span_free(ws->busy, k->start, k->end))
			continue;
		memset(ws->busy + k->start, 1, k->end - k->start);
		open -= --left[k->entity] == 0;
		chosen[r] = 1;
		total += k->score;
	}
	free(left);
	return total;
}

/* ---- the ILP ------------------------------------------------------------------ */

/* Do candidates of two different entities share a target token? */
static int
entities_compete(const struct match_cand *c, size_t nc, uint32_t ntgt)
{
	int *owner = xmalloc(((size_t)ntgt + 1) * sizeof *owner), clash = 0;

	for (uint32_t q = 0; q <= ntgt; q++)
		owner[q] = -1;
	for (size_t i = 0; i < nc && !clash; i++)
		for (uint32_t q = c[i].start; q < c[i].end && !clash; q++) {
			if (owner[q] < 0)
				owner[q] = c[i].entity;
			else if (owner[q] != c[i].entity)
				clash = 1;
		}
	free(owner);
	return clash;
}

/* Room for non-zeros 1..need - 1 in GLPK's 1-based triplet arrays. */
static void
nz_reserve(match_ws *ws, size_t need)
{
	size_t cap = ws->glp_cap;

	VEC_GROW(ws->ia, ws->glp_cap, need);
	if (ws->glp_cap == cap)
		return;   /* the others are as long already */
	ws->ja = xrealloc(ws->ja, ws->glp_cap * sizeof *ws->ja);
	ws->ar = xrealloc(ws->ar, ws->glp_cap * sizeof *ws->ar);
}

/* Coefficient 1 for candidate i in row; *nz counts the non-zeros. */
static void
nz_add(match_ws *ws, size_t *nz, int row, size_t i)
{
	++*nz;
	ws->ia[*nz] = row;
	ws->ja[*nz] = (int)i + 1;
	ws->ar[*nz] = 1;
}

/* One binary column per candidate; those on tokens taken by pins fixed at 0. */
static void
ilp_columns(glp_prob *lp, const match_ws *ws, const struct match_cand *c, size_t nc)
{
	glp_add_cols(lp, (int)nc);
	for (size_t i = 0; i < nc; i++) {
		glp_set_col_kind(lp, (int)i + 1, GLP_BV);
		glp_set_obj_coef(lp, (int)i + 1, c[i].score);
		if (!span_free(ws->busy, c[i].start, c[i].end))
			glp_set_col_bnds(lp, (int)i + 1, GLP_FX, 0, 0);
	}
}

/* One row per entity that has candidates: its count against quota[e]. */
static void
ilp_entity_rows(glp_prob *lp, match_ws *ws, const struct match_cand *c, size_t nc, int nent,
		enum proj_constraint con, const int *quota, size_t *nz)
{
	for (int e = 0; e < nent; e++) {
		int any = 0, row;
		for (size_t i = 0; i < nc; i++)
			any |= c[i].entity == e;
		if (!any)
			continue;
		row = glp_add_rows(lp, 1);
		if (con == CON_LE)
			glp_set_row_bnds(lp, row, GLP_UP, 0, quota[e]);
		else if (con == CON_EQ)
			glp_set_row_bnds(lp, row, GLP_FX, quota[e], quota[e]);
		else
			glp_set_row_bnds(lp, row, GLP_LO, quota[e], 0);
		for (size_t i = 0; i < nc; i++)
			if (c[i].entity == e)
				nz_add(ws, nz, row, i);
	}
}

/* The paper's formulation: one row per overlapping pair. */
static void
ilp_pairwise_rows(glp_prob *lp, match_ws *ws, const struct match_cand *c, size_t nc, size_t *nz)
{
	for (size_t i = 0; i < nc; i++)
		for (size_t k = i + 1; k < nc; k++) {
			if (!(c[i].start < c[k].end && c[k].start < c[i].end))
				continue;
			nz_reserve(ws, *nz + 3);
			int row = glp_add_rows(lp, 1);
			glp_set_row_bnds(lp, row, GLP_UP, 0, 1);
			nz_add(ws, nz, row, i);
			nz_add(ws, nz, row, k);
		}
}

/* One clique row per target token covered by two or more candidates. */
static void
ilp_clique_rows(glp_prob *lp, match_ws *ws, const struct match_cand *c, size_t nc, uint32_t ntgt,
		size_t *nz)
{
	int *cover = xcalloc((size_t)ntgt + 1, sizeof *cover);

	for (size_t i = 0; i < nc; i++)
		for (uint32_t q = c[i].start; q < c[i].end; q++)
			cover[q]++;
	for (uint32_t q = 0; q < ntgt; q++) {
		if (cover[q] < 2)
			continue;
		int row = glp_add_rows(lp, 1);
		glp_set_row_bnds(lp, row, GLP_UP, 0, 1);
		for (size_t i = 0; i < nc; i++)
			if (c[i].start <= q && q < c[i].end)
				nz_add(ws, nz, row, i);
	}
	free(cover);
}

/* The program for candidates c under o, counted in ws->ilp. */
static glp_prob *
ilp_build(match_ws *ws, const struct match_cand *c, size_t nc, int nent, uint32_t ntgt,
	  const struct match_opts *o, const int *quota)
{
	glp_prob *lp = glp_create_prob();
	size_t nz = 0, need = nc + 1;

	glp_set_obj_dir(lp, GLP_MAX);
	ilp_columns(lp, ws, c, nc);
	/* non-zeros: one per candidate in its entity row, one per covered token */
	for (size_t i = 0; i < nc; i++)
		need += c[i].end - c[i].start;
	nz_reserve(ws, need + 1);
	ilp_entity_rows(lp, ws, c, nc, nent, o->constraint, quota, &nz);
	if (o->ilp_pairwise)
		ilp_pairwise_rows(lp, ws, c, nc, &nz);
	else
		ilp_clique_rows(lp, ws, c, nc, ntgt, &nz);
	glp_load_matrix(lp, (int)nz, ws->ia, ws->ja, ws->ar);
	ws->ilp.problems++;
	ws->ilp.rows += glp_get_num_rows(lp);
	ws->ilp.nonzeros += (int64_t)nz;
	return lp;
}

/* Branch and bound (after the LP relaxation when its bound is asked for); glp_intopt's code. */
static int
ilp_run(match_ws *ws, glp_prob *lp, const struct match_opts *o)
{
	glp_iocp parm;

	if (o->ilp_lp_bound) {
		glp_smcp sp;
		glp_init_smcp(&sp);
		sp.msg_lev = GLP_MSG_OFF;
		if (glp_simplex(lp, &sp) == 0 && glp_get_status(lp) == GLP_OPT)
			ws->ilp.lp_bound += glp_get_obj_val(lp);
	}
	glp_init_iocp(&parm);
	parm.presolve = GLP_ON;
	parm.msg_lev = GLP_MSG_OFF;
	parm.tm_lim = (int)(o->ilp_time_limit * 1000);
	return glp_intopt(lp, &parm);
}

/* ---- small programs, exactly ------------------------------------------------------ */

/*
 * Most programs that reach the ILP are small: a few entities and some
 * dozens of candidates, which GLPK takes some 100 us to build and solve.
 * Under <= a depth-first search solves them in microseconds: the
 * candidates grouped by entity, each group in greedy order, each taken
 * (quota and tokens allowing) or left in turn; a branch is cut where the
 * most it could add (each entity's best candidates up to its quota, on
 * any tokens) cannot beat the second-best solution found.  Its answer
 * stands only when it is the one optimum by more than EXACT_MARGIN, ten
 * times the tolerance GLPK's branch and bound prunes with (tol_obj, 1e-7
 * relative): GLPK could have returned no other, so the results are
 * GLPK's to the bit.  Ties, near-ties and searches longer than
 * EXACT_NODES go to GLPK as before.
 */
#define EXACT_NODES 20000
#define EXACT_MARGIN 1e-6

struct exact {
	const struct match_cand *c;
	uint8_t *busy;                 /* target tokens taken (ws->busy, restored on the way back) */
	int     *ord;                  /* the candidates on free tokens, by entity, each in greedy order */
	size_t   n;
	size_t  *group_end;            /* per position: where its entity's candidates end */
	double  *rest;                 /* per position: the most the entities after its own can add */
	int     *left;                 /* quota left per entity */
	uint8_t *in, *best_in;         /* per position: taken in the solution being built, in the best */
	double   best, second;         /* the objectives of the best two different solutions */
	long     nodes;
};

/* The most that ord[i..n) can add: the best left[e] of i's own group, then the rest's best. */
static double
exact_bound(const struct exact *x, size_t i)
{
	int e = x->c[x->ord[i]].entity;
	size_t end = x->group_end[i];
	double add = x->rest[i];

	for (int k = 0; k < x->left[e] && i < end; k++, i++)
		add += x->c[x->ord[i]].score;
	return add;
}

/* Take or leave ord[i], then the rest. */
static void
exact_search(struct exact *x, size_t i, double cur)
{
	if (++x->nodes > EXACT_NODES)
		return;
	if (i == x->n) {
		if (cur > x->best) {
			x->second = x->best;
			x->best = cur;
			memcpy(x->best_in, x->in, x->n);
		} else if (cur > x->second) {
			x->second = cur;
		}
		return;
	}
	if (cur + exact_bound(x, i) <= x->second)
		return;       /* nothing below beats the second best: neither of the two changes */
	const struct match_cand *k = &x->c[x->ord[i]];
	if (x->left[k->entity] > 0 && span_free(x->busy, k->start, k->end)) {
		memset(x->busy + k->start, 1, k->end - k->start);
		x->left[k->entity]--;
		x->in[i] = 1;
		exact_search(x, i + 1, cur + k->score);
		x->in[i] = 0;
		x->left[k->entity]++;
		memset(x->busy + k->start, 0, k->end - k->start);
	}
	exact_search(x, i + 1, cur);
}

/*
 * The program of match_solve_ilp under <=, solved exactly: 1 with chosen
 * and *obj set when its optimum is unique by EXACT_MARGIN, 0 when GLPK
 * must decide.
 */
static int
solve_exact(match_ws *ws, const struct match_cand *c, size_t nc, int nent, const int *quota, int *chosen,
	    double *obj)
{
	struct exact x = { .c = c, .busy = ws->busy, .best = -HUGE_VAL, .second = -HUGE_VAL };
	size_t n = 0;
	int ok = 0;

	for (size_t i = 0; i < nc; i++)
		if (c[i].entity < 0 || c[i].entity >= nent || !(c[i].score > 0))
			return 0;   /* not what the scorer makes: GLPK's to judge */
	VEC_GROW(ws->order, ws->order_cap, nc + 1);
	for (size_t i = 0; i < nc; i++)
		if (span_free(ws->busy, c[i].start, c[i].end))
			ws->order[n++] = (int)i;
	x.ord = xmalloc((n + 1) * sizeof *x.ord);
	x.group_end = xmalloc((n + 1) * sizeof *x.group_end);
	x.rest = xmalloc((n + 1) * sizeof *x.rest);
	x.in = xcalloc(2 * n + 1, 1);
	x.best_in = x.in + n;
	x.left = xmalloc((size_t)nent * sizeof *x.left);
	memcpy(x.left, quota, (size_t)nent * sizeof *x.left);
	match_heap_make(ws->order, n, c, 1);
	for (size_t m = n; x.n < n;)
		x.ord[x.n++] = match_heap_pop(ws->order, &m, c, 1);
	/* from the last group back: where each group ends, and what the groups after it can add */
	double after = 0;
	for (size_t end = n; end > 0;) {
		size_t start = end;
		int e = c[x.ord[end - 1]].entity;
		while (start > 0 && c[x.ord[start - 1]].entity == e)
			start--;
		double top = 0;
		for (size_t i = start; i < end && (int)(i - start) < quota[e]; i++)
			top += c[x.ord[i]].score;
		for (size_t i = start; i < end; i++) {
			x.group_end[i] = end;
			x.rest[i] = after;
		}
		after += top;
		end = start;
	}
	exact_search(&x, 0, 0);
	if (x.nodes <= EXACT_NODES && x.best - x.second > EXACT_MARGIN * (1 + fabs(x.best))) {
		for (size_t i = 0; i < nc; i++)
			chosen[i] = 0;
		for (size_t i = 0; i < x.n; i++)
			chosen[x.ord[i]] = x.best_in[i];
		*obj = 0;
		for (size_t i = 0; i < nc; i++)
			if (chosen[i])
				*obj += c[i].score;
		ok = 1;
	}
	free(x.ord);
	free(x.group_end);
	free(x.rest);
	free(x.in);
	free(x.left);
	return ok;
}

/* Seconds from t0 to now. */
static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * The ILP with GLPK: one binary column per candidate, one row per entity,
 * one clique row per target token covered by two or more candidates.
 * Returns the objective; *fallback when the time limit or infeasibility
 * sent us to greedy.
 */
double
match_solve_ilp(match_ws *ws, const struct match_cand *c, size_t nc, int nent, uint32_t ntgt,
		const struct match_opts *o, const int *quota, int *chosen, int *fallback)
{
	struct timespec t0;
	double obj = 0;

	if (nc == 0)
		return 0;
	/*
	 * Under <= 1, when no target token is wanted by two entities the
	 * problem splits per entity and each takes its best candidate: that
	 * is exactly what greedy does, so greedy's answer is optimal.
	 */
	if (!o->ilp_always && o->constraint == CON_LE && o->n_proj == 1 && !entities_compete(c, nc, ntgt)) {
		ws->ilp_skipped++;
		return match_solve_greedy(ws, c, nc, quota, chosen);
	}
	if (!o->ilp_always && !o->ilp_pairwise && o->constraint == CON_LE &&
	    solve_exact(ws, c, nc, nent, quota, chosen, &obj)) {
		ws->ilp.objective += obj;
		return obj;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	glp_term_out(GLP_OFF);
	glp_prob *lp = ilp_build(ws, c, nc, nent, ntgt, o, quota);
	int rc = ilp_run(ws, lp, o);
	int st = glp_mip_status(lp);
	ws->ilp.seconds += seconds_since(&t0);
	if (rc == 0 && (st == GLP_OPT || st == GLP_FEAS)) {
		ws->ilp.objective += glp_mip_obj_val(lp);
		for (size_t i = 0; i < nc; i++) {
			chosen[i] = glp_mip_col_val(lp, (int)i + 1) > 0.5;
			if (chosen[i])
				obj += c[i].score;
		}
		glp_delete_prob(lp);
		return obj;
	}
	glp_delete_prob(lp);
	*fallback = rc == GLP_ETMLIM ? MATCH_TIMEOUT : MATCH_INFEASIBLE;
	return match_solve_greedy(ws, c, nc, quota, chosen);
}

/* A bare instance, no pins: quotas from o, every token free. */
double
match_solve(match_ws *ws, const struct match_cand *c, size_t nc, int nent, uint32_t ntgt,
	    const struct match_opts *o, int *chosen, int *fallback)
{
	VEC_GROW(ws->quota, ws->quota_cap, (size_t)nent + 1);
	for (int e = 0; e < nent; e++)
		ws->quota[e] = match_entity_limit(o);
	VEC_GROW(ws->busy, ws->busy_cap, (size_t)ntgt + 1);
	memset(ws->busy, 0, (size_t)ntgt + 1);
	if (o->method == METHOD_ILP) {
		for (int e = 0; e < nent; e++)
			ws->quota[e] = o->n_proj;
		return match_solve_ilp(ws, c, nc, nent, ntgt, o, ws->quota, chosen, fallback);
	}
	return match_solve_greedy(ws, c, nc, ws->quota, chosen);
}
