/*
 * match-int.h — what the matcher's files share: the workspace and the
 * calls between its parts.  Not part of the API (include/ferry/match.h).
 *
 *   match.c        match_pair: links -> candidates -> solver or heuristic
 *                  -> pins -> scores, margins and alternatives; the
 *                  workspace; stored projections
 *   match-links.c  which alignment links the scores and heuristics see
 *   match-score.c  the candidates and their four scores
 *   match-solve.c  greedy and the ILP (the only user of GLPK)
 *   match-heur.c   the alignment heuristics elp and general, and their pins
 */
#ifndef FERRY_MATCH_INT_H
#define FERRY_MATCH_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ferry/buf.h"
#include "ferry/corpus.h"
#include "ferry/err.h"
#include "ferry/match.h"
#include "ferry/mem.h"

/* Byte pairs: the size of the surface score's direct bigram tables. */
#define BIGRAM_KEYS 65536

/* An entity's quota under >=: as many projections as there are tokens. */
#define QUOTA_UNBOUNDED (1 << 30)

/*
 * The source entity's bigram multiset as a direct table over the 65,536
 * byte pairs, cleared in O(1) by generation stamps: a count is valid
 * when its stamp is the current entity's, a use when its stamp is the
 * current candidate start's.
 */
struct bigrams {
	uint32_t *stamp, *used_stamp;
	int      *count, *used;
	uint32_t  gen, use_gen;
	size_t    total;
};

struct lazy_item;
struct hproj;

/* The heuristics' scratch (match-heur.c), reused from pair to pair. */
struct heur_ws {
	uint32_t *ids;                 /* the entities' token lists, one after another */
	size_t    nids, ids_cap;
	struct hproj *h;               /* the entities' entries in the lists */
	size_t    h_cap;
	uint32_t *tmp, *gs, *ge;       /* aligned targets; groups' first and last tokens */
	size_t    tmp_cap, gs_cap, ge_cap;
	int      *owner;               /* ELP's written tags and whose they are */
	struct tag *tags;
	size_t    owner_cap, tags_cap;
	struct spans sp;               /* the tags read back */
	struct match_cand *r;          /* general's ranges (it solves them in ws->chosen, ws->quota) */
	size_t    r_cap;
};

/* Scratch memory reused from pair to pair; grown, never shrunk. */
struct match_ws {
	struct links l, tmp, comp;     /* the links used; two scratch lists */
	uint8_t  *final;               /* target token is sentence-final punctuation */
	uint8_t  *punct;               /* target token is punctuation only */
	size_t    tok_cap;
	double   *pre;                 /* prefix sums of aligned weight per target token */
	size_t    pre_cap;
	struct buf fold_tgt;           /* folded target tokens, NUL-separated */
	size_t   *fold_off, *fold_len;
	size_t    fold_cap;
	struct buf fold_src;           /* the folded source entity */
	struct buf lex_src;            /* the source entity's text, for the lexicon */
	struct buf scratch;            /* a candidate's text, for the lexicon */
	struct bigrams sb;
	struct match_cand *c;          /* the candidates of the pair */
	size_t    nc, c_cap;
	struct match_cand *c_tmp;      /* room to reorder them (finish) */
	size_t    c_tmp_cap;
	/* lazy scoring (match_score_lazy): spans by bound, per-token sums, which entities are whole */
	struct lazy_item *lz;
	size_t    lz_items_cap;
	size_t   *lz_int, *lz_hit, *lz_join, *lz_jhit;
	size_t    lz_cap;
	uint8_t  *complete;
	size_t    complete_cap;
	int       no_alts;             /* match_ws_no_alternatives */
	int       exhaustive;          /* match_ws_exhaustive */
	int      *chosen, *order, *quota;
	size_t    chosen_cap, order_cap, quota_cap;
	uint8_t  *busy;                /* target token taken (pins, greedy) */
	size_t    busy_cap;
	struct spans ner;              /* the predicted target entities */
	struct tag *ner_tags;
	size_t    ner_cap;
	int      *ia, *ja;             /* the ILP's non-zeros, GLPK's 1-based arrays */
	double   *ar;
	size_t    glp_cap;
	struct heur_ws heur;
	int64_t   ilp_skipped;         /* pairs where greedy was provably optimal */
	struct match_ilp_stats ilp;
};

/* Append a candidate to ws->c (inline: the scoring loop calls it). */
static inline void
match_cand_push(match_ws *ws, int e, uint32_t k, uint32_t l, double score)
{
	VEC_GROW(ws->c, ws->c_cap, ws->nc + 1);
	ws->c[ws->nc].entity = e;
	ws->c[ws->nc].start = k;
	ws->c[ws->nc].end = l;
	ws->c[ws->nc].score = score;
	ws->c[ws->nc].from = 0;
	ws->nc++;
}

/*
 * Greedy's order, a strict total order: higher score, shorter span,
 * leftmost, the earlier entity, then the earlier candidate (so a heap
 * takes them as a stable sort would).  by_entity puts the entity first.
 */
static inline int
match_cand_before(const struct match_cand *c, int a, int b, int by_entity)
{
	const struct match_cand *x = &c[a], *y = &c[b];

	if (by_entity && x->entity != y->entity)
		return x->entity < y->entity;
	if (x->score != y->score)
		return x->score > y->score;
	if (x->end - x->start != y->end - y->start)
		return x->end - x->start < y->end - y->start;
	if (x->start != y->start)
		return x->start < y->start;
	if (x->entity != y->entity)
		return x->entity < y->entity;
	return a < b;
}

/*
 * Would keep_alternatives offer candidate k as an alternative: not one
 * that closes with the sentence's final punctuation ("Bayern .").
 */
static inline int
match_cand_offered(const match_ws *ws, const struct match_cand *k, uint32_t ntgt)
{
	return !(k->end == ntgt && k->end - k->start > 1 && ws->punct[ntgt - 1]);
}

/*
 * Are the first `out` candidates of an entity in order, `offered` of them
 * offered, all the answer reads of it: two for the margin (set_margins)
 * and MATCH_MAX_ALTS to offer (keep_alternatives) unless ws->no_alts.
 */
static inline int
match_prefix_enough(const match_ws *ws, size_t out, int offered)
{
	return out >= 2 && offered >= (ws->no_alts ? 0 : MATCH_MAX_ALTS);
}

/*
 * A binary heap of candidate indices h[0..n) with the first in greedy
 * order on top (match-solve.c): made in O(n), each pop O(log n), so a
 * solver that needs the first few in order does not sort them all.
 */
void match_heap_make(int *h, size_t n, const struct match_cand *c, int by_entity);
int match_heap_pop(int *h, size_t *n, const struct match_cand *c, int by_entity);

/* How many projections an entity may take under o's constraint. */
static inline int
match_entity_limit(const struct match_opts *o)
{
	return o->constraint == CON_GE ? QUOTA_UNBOUNDED : o->n_proj;
}

/* match.c: append a projection of entity e (-1: added by hand) onto [start, end). */
struct match_proj *match_out_add(struct match_out *out, int e, uint32_t start, uint32_t end,
				 const char *label);

/*
 * match-links.c: the links the scores use, per the options, into ws->l.
 * only_both keeps the links found in both directions alone.
 */
void match_select_links(match_ws *ws, const struct pair *p, const struct match_opts *o, int only_both);

/*
 * match-score.c: score every candidate of every entity into ws->c
 * (ws->final must be prepared).  Returns 0, or -1 with err filled when
 * the transliterator fails.
 */
int match_score_candidates(match_ws *ws, const struct pair *p, const struct match_opts *o,
			   struct ferry_err *err);
/*
 * match-score.c, lazily: where only the alignment and surface scores
 * count, each entity's candidates in order into ws->c only as far as the
 * answer reads them (match_prefix_enough), with the same values as
 * match_score_candidates gives them; ws->complete[e] is 1 when that is
 * all of entity e's.  The spans of chosen (may be NULL: a
 * heuristic's answer, made first) that are candidates join their
 * entity's.  1, or 0 when the pair has other scores (nothing done), -1
 * on error.
 */
int match_score_lazy(match_ws *ws, const struct pair *p, const struct match_opts *o, const struct match_out *chosen,
		     struct ferry_err *err);

/*
 * match-score.c: the score of entity e on any span [start, end) of the
 * target, candidate or not (a reviewer's pin), into *score.  Prepares
 * the pair again, so call it only for spans that are not candidates.
 */
int match_score_span(match_ws *ws, const struct pair *p, const struct match_opts *o, int e, uint32_t start,
		     uint32_t end, double *score, struct ferry_err *err);

/*
 * match-solve.c: greedy over c[0..nc), ws->busy marking tokens taken
 * already and quota[e] the projections entity e may still take; sets
 * chosen[i] and returns the summed score.
 */
double match_solve_greedy(match_ws *ws, const struct match_cand *c, size_t nc, const int *quota,
			  int *chosen);
/*
 * match-solve.c: the exact answer with GLPK; greedy where it is provably
 * optimal, or after a time limit or failure (then *fallback is set).
 */
double match_solve_ilp(match_ws *ws, const struct match_cand *c, size_t nc, int nent, uint32_t ntgt,
		       const struct match_opts *o, const int *quota, int *chosen, int *fallback);

/* match.c: the projections of out by start, then entity. */
void match_sort_projections(struct match_out *out);

/* match-heur.c: Easy Label Projection's answer, appended to out. */
void match_heuristic_elp(match_ws *ws, const struct pair *p, struct match_out *out);
/* match-heur.c: the general heuristic's answer (o's d, k, thr), appended to out. */
void match_heuristic_general(match_ws *ws, const struct pair *p, const struct match_opts *o,
			     struct match_out *out);
/* match-heur.c: reviewers' pins applied over a heuristic's answer. */
void match_heuristic_pins(const struct pair *p, const struct pin *pins, size_t npins,
			  struct match_out *out);
/* match-heur.c: free what the heuristics grew in ws->heur. */
void match_heur_release(struct heur_ws *hw);

#endif
