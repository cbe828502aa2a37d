/* check_match.c — solvers against brute force, the paper's example, heuristics, pins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "check_ferry.h"
#include "ferry/match.h"

static struct match_opts
opts(enum match_method m, enum proj_constraint con, int n)
{
	struct match_opts o;

	match_opts_init(&o);
	o.method = m;
	o.constraint = con;
	o.n_proj = n;
	o.ilp_time_limit = 10;
	/* the mechanisms, not the tuned defaults: alignment score alone */
	o.weights[SCORE_SURFACE] = 0;
	o.min_score = 0;
	o.links = LINKS_SYM;
	return o;
}

/* The paper's example: greedy is not optimal with n_proj = 2 and <=. */
START_TEST(greedy_not_optimal)
{
	/* inclusive (1,2), (2,3), (3,5) are [1,3), [2,4), [3,6) */
	struct match_cand c[] = { { 0, 1, 3, 0.2, 0 }, { 0, 2, 4, 0.3, 0 }, { 0, 3, 6, 0.2, 0 } };
	int chosen[3], fb = 0;
	match_ws *ws = match_ws_new();
	struct match_opts g = opts(METHOD_GREEDY, CON_LE, 2), x = opts(METHOD_ILP, CON_LE, 2);

	ck_assert_double_eq_tol(match_solve(ws, c, 3, 1, 8, &g, chosen, &fb), 0.3, 1e-9);
	ck_assert_int_eq(chosen[1], 1);
	ck_assert_double_eq_tol(match_solve(ws, c, 3, 1, 8, &x, chosen, &fb), 0.4, 1e-9);
	ck_assert_int_eq(chosen[0] + chosen[2], 2);
	ck_assert_int_eq(fb, 0);
	match_ws_free(ws);
}
END_TEST

static uint64_t rng = 88172645463325252ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* Best objective by enumerating every subset; -1 when none is feasible. */
static double
brute(const struct match_cand *c, int nc, int nent, const struct match_opts *o)
{
	double best = -1;

	for (unsigned m = 0; m < (1u << nc); m++) {
		int count[8] = { 0 }, ok = 1;
		double v = 0;
		for (int i = 0; i < nc && ok; i++) {
			if (!(m >> i & 1))
				continue;
			count[c[i].entity]++;
			v += c[i].score;
			for (int k = 0; k < i; k++)
				if ((m >> k & 1) && c[k].start < c[i].end && c[i].start < c[k].end)
					ok = 0;
		}
		for (int e = 0; e < nent && ok; e++) {
			int has = 0;
			for (int i = 0; i < nc; i++)
				has |= c[i].entity == e;
			if (!has)
				continue;     /* an entity without candidates is unconstrained */
			if (o->constraint == CON_LE && count[e] > o->n_proj) ok = 0;
			if (o->constraint == CON_EQ && count[e] != o->n_proj) ok = 0;
			if (o->constraint == CON_GE && count[e] < o->n_proj) ok = 0;
		}
		if (ok && v > best)
			best = v;
	}
	return best;
}

/* Do candidates of two entities share a token (else the ILP is not called: greedy is optimal)? */
static int
compete(const struct match_cand *c, int nc)
{
	for (int i = 0; i < nc; i++)
		for (int k = 0; k < i; k++)
			if (c[i].entity != c[k].entity && c[i].start < c[k].end && c[k].start < c[i].end)
				return 1;
	return 0;
}

/*
 * Under <=, the search that solves small programs answers exactly as
 * GLPK (ilp_always calls GLPK every time): the same candidates, on
 * continuous scores (a unique optimum: the search decides) and on scores
 * of two digits (ties: GLPK decides), with up to 40 candidates.
 */
START_TEST(exact_search_answers_as_glpk)
{
	match_ws *ws = match_ws_new(), *wg = match_ws_new();
	long competing[2] = { 0, 0 }, glpk[2] = { 0, 0 };

	for (int coarse = 0; coarse < 2; coarse++)
		for (int t = 0; t < 3000; t++) {
			struct match_cand c[40];
			int nent = 1 + (int)rnd(5), nc = 1 + (int)rnd(40), a[40], b[40], fa = 0, fb = 0;
			uint32_t ntgt = 4 + rnd(20);
			for (int i = 0; i < nc; i++) {
				c[i].entity = (int)rnd((unsigned)nent);
				c[i].start = rnd(ntgt);
				c[i].end = c[i].start + 1 + rnd(4);
				if (c[i].end > ntgt)
					c[i].end = ntgt;
				c[i].score = coarse ? (1 + rnd(100)) / 100.0 : (1 + rnd(1000000)) / 1e6;
				c[i].from = 0;
			}
			if (!compete(c, nc))
				continue;
			struct match_opts o = opts(METHOD_ILP, CON_LE, 1 + (int)rnd(3)), g = o;
			g.ilp_always = 1;
			int64_t before = match_ws_ilp_stats(ws)->problems;
			double got = match_solve(ws, c, (size_t)nc, nent, ntgt, &o, a, &fa);
			double want = match_solve(wg, c, (size_t)nc, nent, ntgt, &g, b, &fb);
			competing[coarse]++;
			glpk[coarse] += match_ws_ilp_stats(ws)->problems > before;
			ck_assert_int_eq(fa, fb);
			ck_assert_msg(got == want, "instance %d/%d: %.17g, GLPK %.17g", coarse, t, got, want);
			for (int i = 0; i < nc; i++)
				ck_assert_msg(a[i] == b[i], "instance %d/%d: candidate %d %d, GLPK %d", coarse, t, i, a[i], b[i]);
		}
	/* the search decided nearly every continuous one, and left the ties to GLPK */
	ck_assert_int_gt(competing[0], 1000);
	ck_assert_int_lt(glpk[0], competing[0] / 20);
	ck_assert_int_gt(glpk[1], competing[1] / 20);
	match_ws_free(ws);
	match_ws_free(wg);
}
END_TEST

static int
random_instance(struct match_cand *c, int *nent, uint32_t *ntgt)
{
	int nc = 1 + (int)rnd(11);

	*nent = 1 + (int)rnd(4);
	*ntgt = 3 + rnd(8);
	for (int i = 0; i < nc; i++) {
		c[i].entity = (int)rnd((unsigned)*nent);
		c[i].start = rnd(*ntgt);
		c[i].end = c[i].start + 1 + rnd(3);
		if (c[i].end > *ntgt)
			c[i].end = *ntgt;
		c[i].score = (1 + rnd(100)) / 100.0;
	}
	return nc;
}

/* The exact solver equals brute force on 5,000 instances of each constraint. */
START_TEST(ilp_equals_brute_force)
{
	static const enum proj_constraint cons[] = { CON_LE, CON_EQ, CON_GE };
	match_ws *ws = match_ws_new();
	int feasible = 0, infeasible = 0;

	for (int k = 0; k < 3; k++) {
		for (int t = 0; t < 5000; t++) {
			struct match_cand c[12];
			int nent, chosen[12], fb = 0;
			uint32_t ntgt;
			int nc = random_instance(c, &nent, &ntgt);
			struct match_opts o = opts(METHOD_ILP, cons[k], 1 + (int)rnd(2));
			double want = brute(c, nc, nent, &o);
			double got = match_solve(ws, c, (size_t)nc, nent, ntgt, &o, chosen, &fb);
			if (want < 0) {
				ck_assert_msg(fb == MATCH_INFEASIBLE, "infeasible instance %d/%d not reported", k, t);
				infeasible++;
				continue;
			}
			feasible++;
			ck_assert_msg(fb == 0, "feasible instance %d/%d fell back", k, t);
			ck_assert_msg(got > want - 1e-9 && got < want + 1e-9, "constraint %d instance %d: ilp %g, brute force %g",
				      k, t, got, want);
		}
	}
	ck_assert_int_gt(feasible, 10000);
	ck_assert_int_gt(infeasible, 100);
	match_ws_free(ws);
}
END_TEST

START_TEST(greedy_never_overlaps)
{
	match_ws *ws = match_ws_new();

	for (int t = 0; t < 5000; t++) {
		struct match_cand c[12];
		int nent, chosen[12], fb = 0, count[8] = { 0 };
		uint32_t ntgt;
		int nc = random_instance(c, &nent, &ntgt);
		struct match_opts o = opts(METHOD_GREEDY, CON_LE, 1 + (int)rnd(2));
		match_solve(ws, c, (size_t)nc, nent, ntgt, &o, chosen, &fb);
		for (int i = 0; i < nc; i++) {
			if (!chosen[i])
				continue;
			count[c[i].entity]++;
			for (int k = 0; k < i; k++)
				ck_assert(!(chosen[k] && c[k].start < c[i].end && c[i].start < c[k].end));
		}
		for (int e = 0; e < nent; e++)
			ck_assert_int_le(count[e], o.n_proj);
	}
	match_ws_free(ws);
}
END_TEST

/* Ties: higher score, then shorter, then leftmost, then the earlier entity. */
START_TEST(greedy_ties)
{
	struct match_cand c[] = { { 0, 0, 3, 0.5, 0 }, { 0, 4, 5, 0.5, 0 }, { 0, 2, 3, 0.5, 0 }, { 1, 2, 3, 0.5, 0 } };
	int chosen[4], fb = 0;
	match_ws *ws = match_ws_new();
	struct match_opts g = opts(METHOD_GREEDY, CON_LE, 1);

	match_solve(ws, c, 4, 2, 6, &g, chosen, &fb);
	ck_assert_int_eq(chosen[0], 0);
	ck_assert_int_eq(chosen[1], 0);
	ck_assert_int_eq(chosen[2], 1);   /* [2,3) before [4,5): leftmost; entity 0 before 1 */
	ck_assert_int_eq(chosen[3], 0);
	match_ws_free(ws);
}
END_TEST

/* A pair built from words; links "s-t ...". */
static void
make_pair(struct pair *p, const char *src, const char *tgt, const char *links)
{
	struct align_opts ao = { 0, 0 };
	struct ferry_err err;

	pair_reset(p);
	toks_set_joined(&p->src, src, strlen(src));
	toks_set_joined(&p->tgt, tgt, strlen(tgt));
	ck_assert_int_eq(align_parse(links, strlen(links), &ao, p->src.n, p->tgt.n, "t", 1, &p->fwd, &err), 0);
	links_copy(&p->sym, &p->fwd);
}

static const char *
projections(const struct match_out *mo)
{
	static char out[512];
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < mo->n; i++)
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%s:%u-%u", i ? " " : "", mo->v[i].label,
				      mo->v[i].start, mo->v[i].end);
	return out;
}

/* The Easy Label Projection quirks, one by one. */
START_TEST(elp_reference_behaviour)
{
	struct pair p = { 0 };
	struct match_out mo = { 0 };
	struct ferry_err err;
	match_ws *ws = match_ws_new();
	struct match_opts o = opts(METHOD_HEURISTIC, CON_LE, 1);

	/* punctuation links dropped; gap of one filled ([2] and [4] -> 2..4) */
	make_pair(&p, "A B c", "x y A z B , .", "0-2 1-4 1-5");
	spans_push(&p.ents, 0, 2, "ORG", 3);
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "ORG:2-5");
	/* groups [1,2] and [4]: 4 - 1 > 2, no merge; the longer group wins */
	make_pair(&p, "A B C", "x A B y C", "0-1 1-2 2-4");
	spans_push(&p.ents, 0, 3, "ORG", 3);
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "ORG:1-3");
	/* same-type collision merges into a run with a hole: two spans */
	make_pair(&p, "A x B", "A B y z B2", "0-0 0-1 2-1 2-4");
	spans_push(&p.ents, 0, 1, "LOC", 3);
	spans_push(&p.ents, 2, 3, "LOC", 3);
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "LOC:0-2");
	make_pair(&p, "A x B", "B1 B2 y A1 A2", "0-3 0-4 2-0 2-1");
	spans_push(&p.ents, 0, 1, "LOC", 3);
	spans_push(&p.ents, 2, 3, "LOC", 3);
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "LOC:0-2 LOC:3-5");
	/* entities projected out of order "collide"; other types: the longer stays */
	make_pair(&p, "A x B", "B1 B2 y A", "0-3 2-0 2-1");
	spans_push(&p.ents, 0, 1, "PER", 3);
	spans_push(&p.ents, 2, 3, "LOC", 3);
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "LOC:0-2");
	/* its words the other way round */
	make_pair(&p, "A B", "x y B A", "0-3 1-2");
	spans_push(&p.ents, 0, 2, "ORG", 3);
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "ORG:2-4");
	/* an entity linked to more tokens than an insertion sort takes, out of order, and one after it */
	make_pair(&p, "A B C", "t0 t1 t2 t3 t4 t5 t6 t7 t8 t9 t10 t11 t12 t13 t14 t15 t16 t17 t18 t19 t20 t21",
		  "0-1 0-3 0-5 0-7 0-9 0-11 0-13 0-15 0-17 0-19 1-0 1-2 1-4 1-6 1-8 1-10 1-12 1-14 1-16 1-18 2-21");
	spans_push(&p.ents, 0, 2, "ORG", 3);
	spans_push(&p.ents, 2, 3, "LOC", 3);
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "ORG:0-20 LOC:21-22");
	/* no links: no projection */
	make_pair(&p, "A", "x", "");
	spans_push(&p.ents, 0, 1, "PER", 3);
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "");
	pair_release(&p);
	match_out_release(&mo);
	match_ws_free(ws);
}
END_TEST

START_TEST(scores_and_margins)
{
	struct pair p = { 0 };
	struct match_out mo = { 0 };
	struct ferry_err err;
	match_ws *ws = match_ws_new();
	struct match_opts o = opts(METHOD_GREEDY, CON_LE, 1);

	make_pair(&p, "Angela Merkel visited Paris .", "Angela Merkel besuchte Paris .", "0-0 1-1 2-2 3-3 4-4");
	spans_push(&p.ents, 0, 2, "PER", 3);
	spans_push(&p.ents, 3, 4, "LOC", 3);
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "PER:0-2 LOC:3-4");
	ck_assert_double_eq_tol(mo.v[0].score, 1.0, 1e-9);
	/* next best for PER: [0,1) or [1,2), 2*1/3 */
	ck_assert_double_eq_tol(mo.v[0].margin, 1.0 - 2.0 / 3.0, 1e-9);
	/* surface finds an unaligned name */
	make_pair(&p, "Angela Merkel visited Paris .", "Frau Merkel besuchte Paris .", "2-2 3-3");
	spans_push(&p.ents, 0, 2, "PER", 3);
	o.weights[SCORE_SURFACE] = 1;
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "PER:1-2");
	/* transliteration: Cyrillic and Latin names meet */
	make_pair(&p, "Moskau", "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 x", "");
	spans_push(&p.ents, 0, 1, "LOC", 3);
	o.weights[SCORE_ALIGN] = 0;
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "LOC:0-1");
	pair_release(&p);
	match_out_release(&mo);
	match_ws_free(ws);
}
END_TEST

START_TEST(pins_are_kept)
{
	struct pair p = { 0 };
	struct match_out mo = { 0 };
	struct ferry_err err;
	match_ws *ws = match_ws_new();
	struct match_opts o = opts(METHOD_ILP, CON_LE, 1);
	struct pin pins[2];

	make_pair(&p, "Angela Merkel visited Paris .", "Angela Merkel besuchte Paris .", "0-0 1-1 2-2 3-3 4-4");
	spans_push(&p.ents, 0, 2, "PER", 3);
	spans_push(&p.ents, 3, 4, "LOC", 3);
	memset(pins, 0, sizeof pins);
	pins[0].kind = PIN_ACCEPT;           /* reviewer says PER is only "Merkel" */
	pins[0].entity = 0;
	pins[0].start = 1;
	pins[0].end = 2;
	strcpy(pins[0].label, "PER");
	pins[1].kind = PIN_NONE;             /* and Paris has no counterpart */
	pins[1].entity = 1;
	ck_assert_int_eq(match_pair(ws, &p, &o, pins, 2, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "PER:1-2");
	ck_assert_int_eq(mo.v[0].pinned, 1);
	pins[1].kind = PIN_FORBID;           /* Paris may not go to "Paris" */
	pins[1].start = 3;
	pins[1].end = 4;
	ck_assert_int_eq(match_pair(ws, &p, &o, pins, 2, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "PER:1-2");
	pins[1].kind = PIN_ADD;              /* a span added by hand blocks the matcher */
	pins[1].entity = -1;
	pins[1].start = 2;
	pins[1].end = 4;
	strcpy(pins[1].label, "MISC");
	pins[0].kind = PIN_FORBID;
	ck_assert_int_eq(match_pair(ws, &p, &o, pins, 2, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "PER:0-2 MISC:2-4");
	/* the heuristics honour pins too: ELP gives PER 0-2 and LOC 3-4 */
	o.method = METHOD_HEURISTIC;
	ck_assert_int_eq(match_pair(ws, &p, &o, pins, 2, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "PER:0-2 MISC:2-4");   /* the added span displaces LOC */
	pins[0].start = 0;                                        /* forbid PER 0-2 */
	ck_assert_int_eq(match_pair(ws, &p, &o, pins, 2, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "MISC:2-4");
	pins[0].kind = PIN_ACCEPT;                                /* accept PER 0-1 instead */
	pins[0].end = 1;
	ck_assert_int_eq(match_pair(ws, &p, &o, pins, 2, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "PER:0-1 MISC:2-4");
	pair_release(&p);
	match_out_release(&mo);
	match_ws_free(ws);
}
END_TEST

/* One accept pin of entity e on [start, end) (or a span added by hand, e < 0), matched alone. */
static const struct match_proj *
pinned_alone(match_ws *ws, const struct pair *p, const struct match_opts *o, int e, uint32_t start,
	     uint32_t end, struct match_out *mo)
{
	struct pin pin = { e < 0 ? PIN_ADD : PIN_ACCEPT, e, start, end, "PER", 0 };
	struct ferry_err err;

	ck_assert_int_eq(match_pair(ws, p, o, &pin, 1, mo, &err), 0);
	for (size_t i = 0; i < mo->n; i++)
		if (mo->v[i].pinned)
			return &mo->v[i];
	ck_abort_msg("the pin is not projected");
	return NULL;
}

/*
 * A pinned span scores what the matcher gives that span, candidate or
 * not (issue 12, defect 9: a span the reviewer made scored a made-up
 * 1.00 +1.00); a span added by hand has no score.
 */
START_TEST(pinned_spans_scored)
{
	struct pair p = { 0 };
	struct match_out mo = { 0 };
	match_ws *ws = match_ws_new();
	struct match_opts o = opts(METHOD_GREEDY, CON_LE, 1);
	struct lex_entry lex[] = { { "Angela Merkel", "Angela Merkel besuchte", "PER", 1 },
				   { "Angela Merkel", "Merkel", "PER", 3 } };
	struct lexicon lx = { lex, 2 };
	const struct match_proj *pr;

	make_pair(&p, "Angela Merkel visited Paris .", "Angela Merkel besuchte Paris .", "0-0 1-1 2-2 3-3 4-4");
	spans_push(&p.ents, 0, 2, "PER", 3);
	/* outside the aligned range, so no candidate when align is the only score: 2 * 2 / (2 + 3);
	   the best other PER candidate is [0,2), 1.0 */
	pr = pinned_alone(ws, &p, &o, 0, 0, 3, &mo);
	ck_assert_double_eq_tol(pr->score, 2.0 * 2 / 5, 1e-12);
	ck_assert_double_eq_tol(pr->margin, 2.0 * 2 / 5 - 1.0, 1e-12);
	/* longer than max_len, or at most min_score: the same score, not 1.0 */
	o.max_len = 2;
	ck_assert_double_eq_tol(pinned_alone(ws, &p, &o, 0, 0, 3, &mo)->score, 0.8, 1e-12);
	o.max_len = 10;
	o.min_score = 0.9;
	ck_assert_double_eq_tol(pinned_alone(ws, &p, &o, 0, 0, 3, &mo)->score, 0.8, 1e-12);
	/* across the final full stop, with no link to the entity: 0 */
	o.min_score = 0;
	ck_assert_double_eq_tol(pinned_alone(ws, &p, &o, 0, 4, 5, &mo)->score, 0.0, 1e-12);
	/* the heuristics score pins as well */
	o.method = METHOD_HEURISTIC;
	ck_assert_double_eq_tol(pinned_alone(ws, &p, &o, 0, 0, 3, &mo)->score, 0.8, 1e-12);
	/* every score at once (surface, lexicon, ner): exactly the candidate's, by another path */
	o.method = METHOD_GREEDY;
	o.weights[SCORE_SURFACE] = 0.5;
	o.weights[SCORE_LEXICON] = 1;
	o.weights[SCORE_NER] = 0.7;
	o.lexicon = &lx;
	toks_set_joined(&p.ner_tags, "B-PER I-PER I-PER O O", 21);
	toks_set_joined(&p.ner_probs, "B-PER=0.9 I-PER=0.7 I-PER=0.2 O=1 O=1", 37);
	p.has_ner = 1;
	double as_candidate = pinned_alone(ws, &p, &o, 0, 0, 3, &mo)->score;
	ck_assert(as_candidate > 0);
	o.max_len = 2;
	ck_assert(pinned_alone(ws, &p, &o, 0, 0, 3, &mo)->score == as_candidate);
	/* a span added by hand: no entity, no score, no margin */
	pr = pinned_alone(ws, &p, &o, -1, 2, 3, &mo);
	ck_assert(pr->score == 0 && pr->margin == 0);
	pair_release(&p);
	match_out_release(&mo);
	match_ws_free(ws);
}
END_TEST

START_TEST(back_translation_refines)
{
	struct pair p = { 0 };
	struct match_out mo = { 0 };
	struct ferry_err err;
	struct align_opts ao = { 0, 0 };
	match_ws *ws = match_ws_new();
	struct match_opts o = opts(METHOD_GREEDY, CON_LE, 1);
	static const enum bt_refine modes[] = { BT_NONE, BT_INTERSECT, BT_UNION, BT_GROW };
	static const char *const want[] = { "PER:0-1", "PER:0-1", "PER:0-1 LOC:2-3", "PER:0-1 LOC:2-3" };

	make_pair(&p, "Anna Paris", "Anna x Paris", "0-0");
	toks_set_joined(&p.bt, "Anna Paris", 10);
	p.has_bt = 1;
	ck_assert_int_eq(align_parse("0-0 1-1", 7, &ao, 2, 2, "sb", 1, &p.src_bt, &err), 0);
	ck_assert_int_eq(align_parse("0-0 1-2", 7, &ao, 2, 3, "bt", 1, &p.bt_tgt, &err), 0);
	spans_push(&p.ents, 0, 1, "PER", 3);
	spans_push(&p.ents, 1, 2, "LOC", 3);
	for (int i = 0; i < 4; i++) {
		o.bt = modes[i];
		ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &mo, &err), 0);
		ck_assert_str_eq(projections(&mo), want[i]);
	}
	pair_release(&p);
	match_out_release(&mo);
	match_ws_free(ws);
}
END_TEST

START_TEST(ner_and_lexicon_scores)
{
	struct pair p = { 0 };
	struct match_out mo = { 0 };
	struct ferry_err err;
	match_ws *ws = match_ws_new();
	struct match_opts o = opts(METHOD_GREEDY, CON_LE, 1);
	struct lex_entry lex[] = { { "Paris", "Paname", "LOC", 3 }, { "Paris", "Paris", "LOC", 1 } };
	struct lexicon lx = { lex, 2 };

	make_pair(&p, "Angela Merkel visited Paris", "Angela Merkel besuchte Paname", "");
	spans_push(&p.ents, 0, 2, "PER", 3);
	spans_push(&p.ents, 3, 4, "LOC", 3);
	toks_set_joined(&p.ner_tags, "B-PER I-PER O O", 15);
	toks_set_joined(&p.ner_probs, "- - - -", 7);
	p.has_ner = 1;
	o.weights[SCORE_ALIGN] = 0;
	o.weights[SCORE_NER] = 1;
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "PER:0-2");
	/* probabilities: summed B/I probability over |t|^alpha, alpha 0.5 */
	toks_set_joined(&p.ner_probs, "B-PER=0.9 I-PER=0.7 O=1 B-LOC=0.6", 34);
	toks_set_joined(&p.ner_tags, "B-PER I-PER O B-LOC", 19);
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "PER:0-2 LOC:3-4");
	/* 1.6 / sqrt(2) is more than the whole weight: the 0-1 scale caps it */
	ck_assert_double_eq_tol(mo.v[0].score, 1.0, 1e-9);
	ck_assert_double_eq_tol(mo.v[1].score, 0.6, 1e-9);
	toks_set_joined(&p.ner_probs, "B-PER=0.6 I-PER=0.5 O=1 B-LOC=0.6", 34);
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &mo, &err), 0);
	ck_assert_double_eq_tol(mo.v[0].score, 1.1 / sqrt(2.0), 1e-9);
	/* the lexicon maps Paris to Paname three times out of four */
	o.weights[SCORE_NER] = 0;
	o.weights[SCORE_LEXICON] = 1;
	o.lexicon = &lx;
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &mo, &err), 0);
	ck_assert_str_eq(projections(&mo), "LOC:3-4");
	ck_assert_double_eq_tol(mo.v[0].score, 0.75, 1e-9);
	pair_release(&p);
	match_out_release(&mo);
	match_ws_free(ws);
}
END_TEST

/* Scores come out on the 0-1 scale: the weighted sum over the weights' total, the same whatever the weights. */
START_TEST(scores_on_one_scale)
{
	struct pair p = { 0 };
	struct match_out a = { 0 }, b = { 0 };
	struct ferry_err err;
	match_ws *ws = match_ws_new();
	struct match_opts o = opts(METHOD_GREEDY, CON_LE, 1);

	make_pair(&p, "Angela Merkel visited Paris .", "Frau Angela Merkl besuchte Paris .", "0-1 1-2 2-3 3-4 4-5");
	spans_push(&p.ents, 0, 2, "PER", 3);
	spans_push(&p.ents, 3, 4, "LOC", 3);
	o.weights[SCORE_ALIGN] = 1;
	o.weights[SCORE_SURFACE] = 0.5;
	ck_assert_double_eq(match_score_total(&o), 1.5);
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &a, &err), 0);
	ck_assert_str_eq(projections(&a), "PER:1-3 LOC:4-5");
	/* Paris: aligned and spelt alike, perfect on both scores: 1.5 of 1.5 */
	ck_assert_double_eq_tol(a.v[1].score, 1.0, 1e-9);
	ck_assert(a.v[0].score > 0.5 && a.v[0].score < 1);
	/* twice the weights, the same scores, margins and alternatives */
	o.weights[SCORE_ALIGN] = 2;
	o.weights[SCORE_SURFACE] = 1;
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &b, &err), 0);
	ck_assert_uint_eq(a.n, b.n);
	for (size_t i = 0; i < a.n; i++) {
		ck_assert_double_eq_tol(a.v[i].score, b.v[i].score, 1e-12);
		ck_assert_double_eq_tol(a.v[i].margin, b.v[i].margin, 1e-12);
	}
	ck_assert_uint_eq(a.nalts, b.nalts);
	for (size_t i = 0; i < a.nalts; i++) {
		ck_assert_double_eq_tol(a.alts[i].score, b.alts[i].score, 1e-12);
		ck_assert(a.alts[i].score >= 0 && a.alts[i].score <= 1);
	}
	pair_release(&p);
	match_out_release(&a);
	match_out_release(&b);
	match_ws_free(ws);
}
END_TEST

START_TEST(weights_parse)
{
	struct match_opts o;
	struct ferry_err err;
	struct buf b = BUF_INIT;

	match_opts_init(&o);
	ck_assert_double_eq(o.weights[SCORE_SURFACE], 0.5);
	ck_assert_int_eq(match_parse_weights(&o, "align=1", &err), 0);
	ck_assert_double_eq(o.weights[SCORE_SURFACE], 0);
	ck_assert_int_eq(match_parse_weights(&o, "align=1,surface=0.5", &err), 0);
	ck_assert_double_eq(o.weights[SCORE_SURFACE], 0.5);
	ck_assert_int_eq(match_parse_weights(&o, "align=1,shape=2", &err), -1);
	ck_assert_str_eq(err.msg, "--weights: bad item 'shape=2' (expected NAME=NUMBER with NAME align, surface, lexicon or ner)");
	ck_assert_int_eq(match_parse_weights(&o, "align=-1", &err), -1);
	match_describe(&o, &b);
	ck_assert_str_eq(buf_cstr(&b), "method=greedy weights=align=1,surface=0.5 constraint=le n_proj=1 "
			 "max_len=10 min_score=0.5 links=both one_way=0.25 bt_refine=none");
	buf_release(&b);
}
END_TEST

/* A small deterministic generator (xorshift64*). */
static uint64_t
next_rand(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 2685821657736338717ull;
}

/* Two answers, projection for projection and alternative for alternative, to the last bit. */
static void
same_answer(const struct match_out *a, const struct match_out *b, int alts, const char *what, int round)
{
	ck_assert_msg(a->n == b->n, "%s, round %d: %zu projections against %zu", what, round, a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const struct match_proj *x = &a->v[i], *y = &b->v[i];
		ck_assert_msg(x->entity == y->entity && x->start == y->start && x->end == y->end &&
			      x->score == y->score && x->margin == y->margin,
			      "%s, round %d: projection %zu: %d %u-%u %.17g %.17g against %d %u-%u %.17g %.17g", what,
			      round, i, x->entity, x->start, x->end, x->score, x->margin, y->entity, y->start, y->end,
			      y->score, y->margin);
	}
	if (!alts)
		return;
	ck_assert_msg(a->nalts == b->nalts, "%s, round %d: %zu alternatives against %zu", what, round, a->nalts,
		      b->nalts);
	for (size_t i = 0; i < a->nalts; i++)
		ck_assert_msg(a->alts[i].entity == b->alts[i].entity && a->alts[i].start == b->alts[i].start &&
			      a->alts[i].end == b->alts[i].end && a->alts[i].score == b->alts[i].score,
			      "%s, round %d: alternative %zu differs", what, round, i);
}

/*
 * Lazy scoring (bounds, only the first candidates scored) gives what
 * scoring every candidate gives: the same projections, scores, margins
 * and alternatives, on random pairs of words that share letters, with
 * non-ASCII ones, final marks and links of every kind, for each method
 * and score setting the lazy path takes.
 */
START_TEST(lazy_scoring_is_exact)
{
	static const char *const words[] = {
		"Anna", "Anne", "Ann", "an", "Berlin", "Berliner", "Bern", "in", "der", "die", "Stra\xc3\x9f" "e",
		"Strasse", "M\xc3\xbcller", "Muller", "!", "?", ".", "x", "Jos\xc3\xa9", "Jose", "a", "b",
	};
	static const char *const settings[] = {
		"method=greedy", "method=heuristic mode=elp", "method=heuristic mode=general",
		"method=greedy n_proj=2", "method=greedy constraint=eq n_proj=2",
		"method=greedy weights=align=1,surface=0.5 min_score=0",
		"method=greedy weights=align=1 min_score=0", "method=greedy weights=surface=1 min_score=0.2",
		"method=heuristic mode=elp weights=align=1,surface=1 min_score=0.1 max_len=3",
		"method=greedy weights=align=0.3,surface=2 min_score=0.4 max_len=4",
		/* weights on scores these pairs switch off (no predictions, no lexicon) */
		"method=heuristic mode=elp weights=align=1,surface=0.5,ner=0.5,lexicon=1",
		"method=greedy weights=align=1,surface=0.5,ner=2,lexicon=1 min_score=0.3",
	};
	uint64_t seed = 2026;
	struct ferry_err err;
	struct pair p = { 0 };
	struct match_out full = { 0 }, lazy = { 0 }, bare = { 0 };
	match_ws *wf = match_ws_new(), *wl = match_ws_new(), *wb = match_ws_new();
	struct buf s = BUF_INIT, t = BUF_INIT, l = BUF_INIT;
	size_t nw = sizeof words / sizeof *words;

	match_ws_exhaustive(wf, 1);
	match_ws_no_alternatives(wb, 1);
	for (int round = 0; round < 3000; round++) {
		uint32_t ns = 1 + (uint32_t)(next_rand(&seed) % 12), nt = 1 + (uint32_t)(next_rand(&seed) % 14);
		buf_reset(&s);
		buf_reset(&t);
		buf_reset(&l);
		for (uint32_t i = 0; i < ns; i++)
			buf_addf(&s, "%s%s", i ? " " : "", words[next_rand(&seed) % nw]);
		for (uint32_t i = 0; i < nt; i++)
			buf_addf(&t, "%s%s", i ? " " : "", words[next_rand(&seed) % nw]);
		for (uint32_t i = 0; i < ns; i++)
			for (uint32_t j = 0; j < nt; j++)
				if (next_rand(&seed) % (round % 3 ? 5 : 2) == 0 || (round % 4 == 0 && i == j))
					buf_addf(&l, "%s%u-%u", l.len ? " " : "", i, j);
		make_pair(&p, buf_cstr(&s), buf_cstr(&t), buf_cstr(&l));
		for (uint32_t i = 0; i < ns; i++)
			if (next_rand(&seed) % 3 == 0) {
				uint32_t end = i + 1 + (uint32_t)(next_rand(&seed) % 3);
				spans_push(&p.ents, i, end < ns ? end : ns, next_rand(&seed) % 2 ? "PER" : "LOC", 3);
				i = end;
			}
		struct match_opts o;
		match_opts_init(&o);
		ck_assert_int_eq(match_parse_describe(&o, settings[round % (sizeof settings / sizeof *settings)], &err), 0);
		ck_assert_int_eq(match_pair(wf, &p, &o, NULL, 0, &full, &err), 0);
		ck_assert_int_eq(match_pair(wl, &p, &o, NULL, 0, &lazy, &err), 0);
		ck_assert_int_eq(match_pair(wb, &p, &o, NULL, 0, &bare, &err), 0);
		const char *what = settings[round % (sizeof settings / sizeof *settings)];
		same_answer(&full, &lazy, 1, what, round);
		same_answer(&full, &bare, 0, what, round);
		ck_assert_uint_eq(bare.nalts, 0);
	}
	buf_release(&s);
	buf_release(&t);
	buf_release(&l);
	pair_release(&p);
	match_out_release(&full);
	match_out_release(&lazy);
	match_out_release(&bare);
	match_ws_free(wf);
	match_ws_free(wl);
	match_ws_free(wb);
}
END_TEST

Suite *
match_suite(void)
{
	Suite *s = suite_create("match");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, lazy_scoring_is_exact);
	tcase_add_test(tc, greedy_not_optimal);
	tcase_add_test(tc, ilp_equals_brute_force);
	tcase_add_test(tc, exact_search_answers_as_glpk);
	tcase_add_test(tc, greedy_never_overlaps);
	tcase_add_test(tc, greedy_ties);
	tcase_add_test(tc, elp_reference_behaviour);
	tcase_add_test(tc, scores_and_margins);
	tcase_add_test(tc, scores_on_one_scale);
	tcase_add_test(tc, pins_are_kept);
	tcase_add_test(tc, pinned_spans_scored);
	tcase_add_test(tc, back_translation_refines);
	tcase_add_test(tc, ner_and_lexicon_scores);
	tcase_add_test(tc, weights_parse);
	suite_add_tcase(s, tc);
	return s;
}
