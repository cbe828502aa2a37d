/*
 * match.h — the matcher: project every source entity of a pair onto a
 * target span.  Knows nothing of SQLite or curses; works on `struct pair`.
 *
 * Three methods:
 *   heuristic  alignment heuristics: mode `elp` reproduces the Easy Label
 *              Projection reference; mode `general` exposes its knobs;
 *   greedy     the paper's algorithm 2 over scored candidates;
 *   ilp        the exact candidate matching with GLPK.
 * Candidates are target n-grams scored by a weighted sum of the `align`,
 * `surface`, `lexicon` and `ner` scores (see match-score.c for the formulas).
 * The same pair and options always give the same projections.
 *
 * The scores match_pair hands out (projections, margins, alternatives)
 * are on one 0-1 scale: the weighted sum divided by the weights' total
 * (match_score_total), capped at 1 (the align and ner scores can pass 1:
 * a source token linked to several target tokens; --ner-alpha below 1).
 * So 1 is a candidate perfect on every score in use and 0.9 means the
 * same whatever the weights; with the default align=1,surface=0.5 a
 * score of 1.5 was the top.  --min-score still compares the weighted
 * sum, before it is scaled.
 */
#ifndef FERRY_MATCH_H
#define FERRY_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "ferry/buf.h"
#include "ferry/corpus.h"
#include "ferry/err.h"

enum match_method { METHOD_HEURISTIC, METHOD_GREEDY, METHOD_ILP, METHOD_COUNT };
enum heur_mode { HEUR_ELP, HEUR_GENERAL };
enum proj_constraint { CON_LE, CON_EQ, CON_GE };
enum score_kind { SCORE_ALIGN, SCORE_SURFACE, SCORE_LEXICON, SCORE_NER, SCORE_COUNT };
enum bt_refine { BT_NONE, BT_INTERSECT, BT_UNION, BT_GROW };
/* How several sources' projections become one (match_fuse). */
enum fuse_mode { FUSE_SCORE, FUSE_VOTE };
/* Which links the alignment score and the heuristics use. */
enum link_source {
	LINKS_SYM,      /* the symmetrised alignment made at import */
	LINKS_FWD,      /* the forward file alone */
	LINKS_BOTH,     /* forward ∪ reverse, a link in one direction only
			   weighted `one_way` (needs --align-rev at import) */
};

struct match_opts {
	enum match_method method;
	enum heur_mode mode;
	double weights[SCORE_COUNT];
	enum proj_constraint constraint;
	int    n_proj;
	int    max_len;                /* longest candidate, tokens */
	double min_score;              /* candidates at or below are dropped */
	enum bt_refine bt;
	enum link_source links;
	double one_way;                /* LINKS_BOTH: weight of a one-direction link */
	double ner_alpha;              /* length factor of the NER score */
	double ilp_time_limit;         /* seconds per pair; then greedy */
	/* heuristic --mode general */
	int    merge_gap;              /* d: fill gaps of at most d tokens */
	int    top_k;                  /* k: keep up to k ranges per entity */
	int    only_i;                 /* only links found in both directions */
	double len_ratio;              /* thr: drop ranges with |t|/|s| below */
	const struct lexicon *lexicon;
	/* several sources (match_fuse) */
	int    fused;                  /* the project has several: the options below are kept */
	enum fuse_mode fuse;
	double fuse_alpha;             /* FUSE_SCORE: weight of a source's own projection */
	double fuse_min;               /* a fused span needs more support than this (0-1) */
	/* for benchmarks (bench/ilpform): no command-line options */
	int    ilp_pairwise;           /* the paper's x[a] + x[b] <= 1 per overlapping pair */
	int    ilp_always;             /* call GLPK even where greedy is provably optimal */
	int    ilp_lp_bound;           /* solve the LP relaxation first, for its bound */
};

/* What the ILP solver did, summed over the pairs one workspace matched. */
struct match_ilp_stats {
	int64_t problems, rows, nonzeros;
	double  lp_bound, objective, seconds;
};

/* Every option at its default (the option table in src/match-opts.c). */
void match_opts_init(struct match_opts *o);
/*
 * The matcher's defaults for links made by ferry's aligner (src/aligner.c):
 * the general heuristic merging gaps of up to 3 tokens, which measured
 * best on them (its links are precise and leave function words inside
 * names unaligned; greedy's align score counts those against a span).
 */
void match_opts_for_ferry_links(struct match_opts *o);
/* Parse "align=1,surface=0.5"; unnamed scores become 0. */
int match_parse_weights(struct match_opts *o, const char *spec, struct ferry_err *err);
/* A one-line, stable description of the options (kept in the project). */
void match_describe(const struct match_opts *o, struct buf *out);
const char *match_method_name(enum match_method m);
/* The enumerated options, named as the command line and match_describe() write them. */
enum match_option { MOPT_METHOD, MOPT_MODE, MOPT_CONSTRAINT, MOPT_BT_REFINE, MOPT_LINKS, MOPT_FUSE, MOPT_COUNT };

/* The name of value v of option k. */
const char *match_option_name(enum match_option k, int v);
/* The value named `name` of option k, or -1. */
int match_option_parse(enum match_option k, const char *name);

/* Read back a match_describe() string (unknown keys are errors). */
int match_parse_describe(struct match_opts *o, const char *desc, struct ferry_err *err);

/*
 * The options on a command line (src/match-opts.c holds their table).
 * Option i, 0 <= i < MATCH_OPT_COUNT, in --help order: its long name
 * (without "--") and whether it takes a value, for a getopt table.
 */
#define MATCH_OPT_COUNT 19
const char *match_opt_flag(int i, int *takes_value);
/* Row i chooses the method (--method, --mode and the general heuristic's
   four): given, match_opts_for_ferry_links() does not apply. */
int match_opt_picks_method(int i);
/* Set option i from its value (NULL for a flag); -1 with a usage message (EX_USAGE) in err. */
int match_opt_set(struct match_opts *o, int i, const char *value, struct ferry_err *err);
/* Append the --help lines of every option, defaults filled in. */
void match_opts_help(struct buf *out);
/*
 * The number parser of the options, for a front end's own numeric options:
 * s must be a number from lo to hi (and whole if asked), else -1 with
 * "FLAG 'S' is not a number from LO to HI" or "'S' is not a whole number".
 */
int match_opt_number(const char *flag, const char *s, double lo, double hi, int whole, double *out,
		     struct ferry_err *err);

/* A scored candidate: entity index, target span, fused score. */
struct match_cand {
	int      entity;
	uint32_t start, end;
	double   score;
	uint32_t from;                 /* several sources: bit id of each whose own projection it is; else 0 */
};

/* A chosen projection. */
struct match_proj {
	int      entity;               /* index into pair->ents, -1 for PIN_ADD */
	uint32_t start, end;
	char     label[FERRY_LABEL_MAX];
	double   score, margin;        /* a pinned span's too, candidate or not; none (0) for PIN_ADD */
	int      pinned;               /* fixed by a reviewer's pin */
	uint32_t support;              /* fused: bit id of every source projecting it (match_fuse) */
};

struct match_out {
	struct match_proj *v;          /* sorted by start */
	size_t n, cap;
	struct match_cand *alts;       /* best candidates per entity, by entity, score */
	size_t nalts, alts_cap;
	int    fallback;               /* MATCH_TIMEOUT or MATCH_INFEASIBLE: greedy used */
	int    ilp_skipped;            /* greedy was provably optimal */
};

void match_out_release(struct match_out *o);

/* Reusable scratch memory for match_pair(); one per thread. */
typedef struct match_ws match_ws;
match_ws *match_ws_new(void);
/*
 * Answers from ws need no alternatives (a bulk match stores none): they
 * come back without, and fewer candidates are scored (match_score_lazy).
 */
void match_ws_no_alternatives(match_ws *ws, int on);
/* Score every candidate, never lazily: the lazy scoring's reference (tests). */
void match_ws_exhaustive(match_ws *ws, int on);
void match_ws_free(match_ws *ws);
const struct match_ilp_stats *match_ws_ilp_stats(const match_ws *ws);

/* Why the ILP handed a pair to greedy. */
#define MATCH_TIMEOUT    1
#define MATCH_INFEASIBLE 2

/* Number of alternatives kept per entity in match_out.alts. */
#define MATCH_MAX_ALTS 9

/*
 * Project the entities of p.  pins may be NULL.  Returns 0, or -1 with
 * err filled (a solver failure that is not a time limit).
 */
int match_pair(match_ws *ws, const struct pair *p, const struct match_opts *o,
	       const struct pin *pins, size_t npins, struct match_out *out,
	       struct ferry_err *err);

/* The weights' total (of the weights above 0): what the 0-1 scale divides by. */
double match_score_total(const struct match_opts *o);

/* The answer as stored projections (entity ids from p->ent_ids, reviewer pins as origin 1). */
void match_to_projs(const struct pair *p, const struct match_out *mo, enum match_method m,
		    struct projs *pj);

/*
 * Solve a bare instance: candidates with scores over ntgt target tokens
 * for nent entities, under o's constraint.  chosen[i] is set to 1 for the
 * candidates taken.  Used by match_pair and by the tests.  Returns the
 * objective, or a negative value when the ILP failed.
 */
double match_solve(match_ws *ws, const struct match_cand *c, size_t nc, int nent,
		   uint32_t ntgt, const struct match_opts *o, int *chosen, int *fallback);

/*
 * Several sources (src/match-fuse.c opens with the fused problem and the
 * measurements behind its defaults).  Each source's view of the pair
 * (pair_source_view) is matched on its own first, without pins; then
 * match_fuse() chooses the fused spans from their projections and
 * candidates, weighted by each source's reliability, under p's pins
 * (which refer to the first source's entities).  out's projections carry
 * the sources that support them; an entity of -1 is a span no entity of
 * the first source proposed.  The alternatives are the first source's.
 */
struct fuse_source {
	const struct pair *view;       /* the pair as the source sees it */
	const struct match_out *out;   /* its own projection and candidates */
	double weight;                 /* its reliability (> 0) */
	int    id;                     /* its source id: the bit in support */
};

int match_fuse(match_ws *ws, const struct pair *p, const struct fuse_source *src, size_t n,
	       const struct match_opts *o, const struct pin *pins, size_t npins, struct match_out *out,
	       struct ferry_err *err);

/*
 * Reliability without gold: the sources' own projections over many pairs
 * (fuse_agreement_add, for each pair, with the bit of each source it
 * has); then w[k], for every source k present, is the mean over the
 * other sources j of the span F1 of k's projections against j's on the
 * pairs both have (1 when k shares none).  Start from a zeroed struct.
 */
struct fuse_agreement {
	double spans[FERRY_SOURCES_MAX][FERRY_SOURCES_MAX];   /* [i][j]: i's spans where j is present */
	double same[FERRY_SOURCES_MAX][FERRY_SOURCES_MAX];    /* of them, also j's */
};

void fuse_agreement_add(struct fuse_agreement *a, const struct sproj *own, size_t n, uint32_t present);
void fuse_agreement_weights(const struct fuse_agreement *a, uint32_t present, double *w);

/*
 * The ILP solver's per-thread state.  match_solver_parallel() is 1 when
 * the solver may run in several threads at once (this GLPK keeps its
 * environment per thread), 0 when method ilp must run in one thread.
 * match_solver_thread_cleanup() frees what the solver keeps for the
 * calling thread: call it at the end of a thread that ran match_pair.
 */
int match_solver_parallel(void);
void match_solver_thread_cleanup(void);

#endif
