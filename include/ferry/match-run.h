/*
 * match-run.h — the matcher over a project: every pair (or a selection,
 * or a shard) matched and stored, and part files merged back.
 *
 * Pairs are read in batches by id range, matched in several threads and
 * written back one batch per transaction, so a reviewer working on the
 * same file waits at most one batch.  A pair whose version changed since
 * it was read (a reviewer edited it) is left alone and counted as stale;
 * a pair whose projections come out unchanged is not rewritten.  The
 * projections do not depend on the number of threads.
 */
#ifndef FERRY_MATCH_RUN_H
#define FERRY_MATCH_RUN_H

#include <stdint.h>

#include "ferry/err.h"
#include "ferry/match.h"
#include "ferry/store.h"

/* Most threads a run uses. */
#define MATCH_MAX_THREADS 64

struct match_run_opts {
	struct match_opts o;         /* the matcher's options (the run sets o.lexicon) */
	const char *project;
	const char *output;          /* write the results to this new part file; NULL: to the project */
	struct store_filter f;       /* which pairs: review states and an id range */
	int shard, nshards;          /* only the shard-th of nshards equal ranges; 0/0: no shard */
	int threads;                 /* 1..MATCH_MAX_THREADS; 0: one per CPU */
	const char *sources;         /* --sources: languages to match from, comma-separated; NULL: all */
	int method_chosen;           /* the method was chosen (--method, --mode, --d, --k, --only-i,
					--thr); if not, a project whose links ferry's aligner made
					is matched with match_opts_for_ferry_links() */
	/* progress, each may be NULL: the pairs in range; ids covered so far and pairs stored; the end */
	void (*on_start)(void *arg, int64_t total);
	void (*on_update)(void *arg, int64_t done, int64_t pairs);
	void (*on_end)(void *arg, int64_t pairs);
	void *arg;
};

/* What a run did. */
struct match_run_totals {
	int64_t pairs, projections;
	int64_t unchanged;           /* already held what matching gave: not rewritten */
	int64_t stale;               /* edited meanwhile: left alone */
	int64_t timeouts, infeasible;            /* ILP pairs solved greedily (MATCH_TIMEOUT, _INFEASIBLE) */
	int64_t ilp_solved, ilp_skipped;         /* METHOD_ILP: by GLPK; greedy provably optimal */
	int swept;                   /* with output: temporaries of interrupted runs removed */
};

/*
 * The sources a match uses and how (src/match-plan.c): the project's
 * sources, or those `sources` names (languages, comma-separated: an
 * unknown one is EX_USAGE naming the project's); each source's options,
 * o or, unless method_chosen, the defaults for ferry's links where
 * ferry's aligner made that source's links; each one's weight, its
 * recorded reliability (1 when there is none).  A plan of the first
 * source alone (every single-source project) is `single`: a pair is
 * matched as it always was.
 */
struct match_plan {
	size_t n;                                   /* sources used, by id */
	int    id[FERRY_SOURCES_MAX];
	char   lang[FERRY_SOURCES_MAX][FERRY_LANG_MAX];
	struct match_opts o[FERRY_SOURCES_MAX];
	double weight[FERRY_SOURCES_MAX];
	struct match_opts fuse;                     /* the fusion's (and a single source's) options */
	int    fused;                               /* the project has several sources */
	int    single;                              /* the first source alone: match_pair */
};

/* Does the plan read a pair's symmetrised links (links sym for some source or the fusion)? */
int match_plan_needs_sym(const struct match_plan *plan);
/* Does the plan read a pair's back-translation (links refined by it for some source or the fusion)? */
int match_plan_needs_bt(const struct match_plan *plan);
int match_plan_load(ferry_store *st, const struct match_opts *o, int method_chosen, const char *sources,
		    struct match_plan *plan, struct ferry_err *err);
/*
 * Match pair p (loaded with LOAD_SOURCES) by plan into out, using mos
 * (FERRY_SOURCES_MAX answers) as scratch; own (may be NULL) receives
 * each source's own projection and present the sources p has.
 */
int match_plan_pair(match_ws *ws, struct match_out *mos, const struct match_plan *plan, const struct pair *p,
		    struct match_out *out, struct sprojs *own, uint32_t *present, struct ferry_err *err);
/*
 * What the project's last match used, to match a pair again as it did:
 * its settings (the defaults for the project's links when it was never
 * matched; *matched says which), its lexicon (lex, which mo then points
 * to) and its sources, as plan.
 */
int match_plan_project(ferry_store *st, struct match_opts *mo, struct lexicon *lex, struct match_plan *plan,
		       int *matched, struct ferry_err *err);
/* The plan's settings string (match_describe of its fusion options). */
void match_plan_describe(const struct match_plan *plan, struct buf *out);

/* Pairs from the project's start whose sources' agreement estimates their reliability. */
#define MATCH_AGREEMENT_SAMPLE 5000

/*
 * Match the pairs r selects and store their projections, then the
 * settings and a log entry (into the part file instead with r->output,
 * which is made whole or not at all: written under a temporary name and
 * linked into place at the end; an output that is the project, by any
 * name, or that exists already is refused with EX_CANTCREAT).  Returns
 * 0, or -1 with err set.
 */
int match_run(const struct match_run_opts *r, struct match_run_totals *t, struct ferry_err *err);

/*
 * Matching pairs on the batch pipeline (batch.h), for match_run() and the
 * review UI's `:match pending`: one pair and what matching it gave, kept
 * until the writer stores it; a worker thread's scratch memory; and the
 * batch_ops hooks that make, free and clean up after them (ctx unused).
 */
struct match_item {
	struct pair p;
	struct projs pj;
	struct sprojs own;           /* several sources: each one's own projection */
	uint32_t present;            /* the sources the pair has (bits by id) */
	int fallback, ilp_skipped;
};

struct match_worker {
	match_ws *ws;
	struct match_out mo;
	struct match_out *mos;       /* several sources: each one's answer (FERRY_SOURCES_MAX) */
};

void *match_worker_new(void *ctx);
void match_worker_free(void *ctx, void *worker);
/* The last thing a pipeline thread does: free what ICU and GLPK keep per thread. */
void match_thread_end(void *ctx);
void match_item_release(void *ctx, void *item);

/*
 * The threads a run of the matcher with options o uses: requested, or
 * one per CPU when requested is 0 or less; one where this GLPK cannot
 * solve in two threads at once (METHOD_ILP).
 */
int match_run_threads(const struct match_opts *o, int requested);

/*
 * Apply the part files parts[0..nparts) to project, all in one
 * transaction with the settings and a log entry, after checking that
 * every part comes from this project (its identity, and the contents of
 * every pair it matched) with one set of match settings, and that no
 * part is the project or given twice.  *merged and *stale count the pairs
 * applied and those a reviewer changed since (left alone).  Returns 0, or
 * -1 with err set: then nothing is applied.
 */
int match_merge(const char *project, char *const *parts, int nparts, int64_t *merged, int64_t *stale,
		struct ferry_err *err);

/*
 * The matcher's defaults for st's links into o (match_opts_init, or
 * match_opts_for_ferry_links when ferry's aligner made them: setting
 * "aligner" is "ferry ..." or "ferry").  Returns 0 or -1 with err filled.
 */
int match_run_defaults(ferry_store *st, struct match_opts *o, struct ferry_err *err);

#endif
