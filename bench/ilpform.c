/*
 * ilpform.c — the ILP's non-overlap rows, two ways, side by side on every
 * pair of a project: one clique row per target token (ferry's) against
 * one row per overlapping pair of candidates (the paper's).  Prints rows,
 * non-zeros, the LP relaxation's bound, the integer optimum and GLPK's
 * time for each, and their ratios.
 *
 *   build/ilpform PROJECT [MATCH SETTINGS, as `ferry stats` shows them]
 */
#include <stdio.h>
#include <stdlib.h>

#include "ferry/match.h"
#include "ferry/store.h"

int
main(int argc, char **argv)
{
	struct ferry_err err = { 0 };
	struct match_opts o[2];
	struct match_out mo = { 0 };
	struct pair p = { 0 };
	match_ws *ws[2] = { match_ws_new(), match_ws_new() };
	ferry_store *st;
	store_iter *it;
	int got;

	if (argc < 2) {
		fprintf(stderr, "usage: ilpform PROJECT [SETTINGS]\n");
		return 64;
	}
	for (int k = 0; k < 2; k++) {
		if (argc > 2 ? match_parse_describe(&o[k], argv[2], &err) < 0 : (match_opts_init(&o[k]), 0)) {
			fprintf(stderr, "ilpform: %s\n", err.msg);
			return 64;
		}
		o[k].method = METHOD_ILP;
		o[k].ilp_always = 1;
		o[k].ilp_lp_bound = 1;
		o[k].ilp_pairwise = k;
		o[k].ilp_time_limit = 60;
	}
	if (store_open(&st, argv[1], STORE_READONLY, &err) < 0 ||
	    store_iter_open(st, NULL, LOAD_TEXT | LOAD_ENTS | LOAD_ALIGN | LOAD_NER, &it, &err) < 0) {
		fprintf(stderr, "ilpform: %s\n", err.msg);
		return 66;
	}
	while ((got = store_iter_next(it, &p, &err)) > 0)
		for (int k = 0; k < 2; k++)
			if (match_pair(ws[k], &p, &o[k], NULL, 0, &mo, &err) < 0) {
				fprintf(stderr, "ilpform: %s\n", err.msg);
				return 70;
			}
	const struct match_ilp_stats *c = match_ws_ilp_stats(ws[0]), *w = match_ws_ilp_stats(ws[1]);
	printf("%-9s %9s %10s %10s %12s %12s %9s\n", "rows as", "problems", "rows", "nonzeros", "LP bound",
	       "IP optimum", "seconds");
	printf("%-9s %9lld %10lld %10lld %12.3f %12.3f %9.3f\n", "clique", (long long)c->problems,
	       (long long)c->rows, (long long)c->nonzeros, c->lp_bound, c->objective, c->seconds);
	printf("%-9s %9lld %10lld %10lld %12.3f %12.3f %9.3f\n", "pairwise", (long long)w->problems,
	       (long long)w->rows, (long long)w->nonzeros, w->lp_bound, w->objective, w->seconds);
	printf("pairwise / clique: rows %.2fx, nonzeros %.2fx, time %.2fx; LP bound above the optimum: "
	       "clique %.2f%%, pairwise %.2f%%\n",
	       (double)w->rows / (double)(c->rows ? c->rows : 1), (double)w->nonzeros / (double)(c->nonzeros ? c->nonzeros : 1),
	       w->seconds / (c->seconds > 0 ? c->seconds : 1e-9),
	       c->objective > 0 ? 100 * (c->lp_bound - c->objective) / c->objective : 0,
	       w->objective > 0 ? 100 * (w->lp_bound - w->objective) / w->objective : 0);
	store_iter_free(it);
	store_close(st, NULL);
	pair_release(&p);
	match_out_release(&mo);
	match_ws_free(ws[0]);
	match_ws_free(ws[1]);
	return got < 0 ? 70 : 0;
}
