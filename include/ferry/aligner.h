/*
 * aligner.h — ferry's own word aligner (`ferry align`, and `ferry import`
 * without alignment files).
 *
 * An aligner is filled with sentence pairs, trained on all of them, and
 * then gives each pair's links in both directions: the source→target
 * model's (every target token aligned to at most one source token) and
 * the target→source model's (every source token to at most one target
 * token), both in source-target order, as `ferry import --align` and
 * `--align-rev` read them.  src/aligner.c opens with the model and the
 * measurements behind it.
 *
 * Training is deterministic: the same pairs and options give the same
 * links for any thread count.
 */
#ifndef FERRY_ALIGNER_H
#define FERRY_ALIGNER_H

#include <stddef.h>
#include <stdint.h>

#include "ferry/align.h"
#include "ferry/buf.h"
#include "ferry/corpus.h"
#include "ferry/err.h"
#include "ferry/input.h"

typedef struct aligner aligner;

/* How word forms are compared: each form is normalised once. */
enum {
	ALIGNER_FOLD_CASE    = 1,  /* NFKC and Unicode case folding (default) */
	ALIGNER_FOLD_ACCENTS = 2,  /* also drop combining marks after decomposition */
};

struct aligner_opts {
	int      threads;          /* worker threads (0 or 1: the calling thread alone) */
	int      ibm1_iters;       /* IBM Model 1 iterations, then */
	int      hmm_iters;        /* HMM iterations */
	unsigned fold;             /* ALIGNER_FOLD_* */
	int      prefix;           /* compare only the first N characters of a form (0: all) */
	int      suffix;           /* drop the last N characters of a form longer than that (0: none) */
	double   p_null;           /* probability of a jump to the empty word */
	double   threshold;        /* a link needs at least this agreed posterior */
	/* progress, each may be NULL: the steps in all (pairs times passes), steps done */
	void   (*on_start)(void *arg, int64_t total);
	void   (*on_update)(void *arg, int64_t done, int64_t items);
	void    *arg;
};

#define ALIGNER_MAX_THREADS 64

/*
 * The aligner's command-line options, shared by `ferry align` and `ferry
 * import`: the model's, the threads and more text to train on.  getopt
 * entries with values base .. base + ALIGNER_NOPTS - 1 (ALIGNER_GETOPT),
 * set by index with aligner_args_set (-1 with err filled for a bad
 * value), their help lines from aligner_opts_help.  aligner_opt_set sets
 * one of the model's (indices below ALIGNER_NMODEL).
 */
#define ALIGNER_NMODEL 7
#define ALIGNER_NOPTS 10
#define ALIGNER_GETOPT(base)                                             \
	{ "ibm1", required_argument, NULL, (base) + 0 },                 \
	{ "hmm", required_argument, NULL, (base) + 1 },                  \
	{ "fold", required_argument, NULL, (base) + 2 },                 \
	{ "prefix", required_argument, NULL, (base) + 3 },               \
	{ "suffix", required_argument, NULL, (base) + 4 },               \
	{ "p-null", required_argument, NULL, (base) + 5 },               \
	{ "threshold", required_argument, NULL, (base) + 6 },            \
	{ "threads", required_argument, NULL, (base) + 7 },              \
	{ "bitext-src", required_argument, NULL, (base) + 8 },           \
	{ "bitext-tgt", required_argument, NULL, (base) + 9 }

struct aligner_args {
	struct aligner_opts o;     /* threads: one per CPU unless given */
	const char **bitext_src, **bitext_tgt;  /* --bitext-src and --bitext-tgt, in order */
	size_t nsrc, ntgt, cap_src, cap_tgt;
	int given;                 /* one of these options was given */
};

void aligner_args_init(struct aligner_args *a);
int aligner_args_set(struct aligner_args *a, int index, const char *arg, struct ferry_err *err);
/* -1 (EX_USAGE, err filled) unless the --bitext-src and --bitext-tgt come in pairs. */
int aligner_args_check(const struct aligner_args *a, struct ferry_err *err);
void aligner_args_release(struct aligner_args *a);

int aligner_opt_set(struct aligner_opts *o, int index, const char *arg, struct ferry_err *err);
const char *aligner_opts_help(void);
/* One thread per CPU, at most ALIGNER_MAX_THREADS. */
int aligner_default_threads(void);

/* The defaults (the settings measured best, see src/aligner.c). */
void aligner_opts_init(struct aligner_opts *o);
/*
 * "ibm1=5 hmm=5 fold=case prefix=0 suffix=0 p-null=0.08 threshold=0.5":
 * the settings in the form `ferry stats` shows and the project records.
 */
void aligner_opts_format(const struct aligner_opts *o, struct buf *out);

/* A new, empty aligner (the caller owns it: aligner_free). */
aligner *aligner_new(const struct aligner_opts *o);
void aligner_free(aligner *a);

/*
 * Add a pair (UTF-8 tokens, already checked by the reader).  Pairs are
 * numbered from 0 in the order added.  Returns 0, or -1 with err filled
 * when a form cannot be normalised.
 */
int aligner_add(aligner *a, const struct toks *src, const struct toks *tgt, struct ferry_err *err);
/* Pairs added so far. */
size_t aligner_pairs(const aligner *a);
/*
 * The pairs added from now on are more text to train on: one that repeats
 * a pair added before this call (the same words after normalisation) is
 * dropped, so that giving the whole corpus as training text does not
 * count the pairs being aligned twice.
 */
void aligner_more(aligner *a);

/*
 * Train on every pair added.  Returns 0 or -1 with err filled (a thread
 * that cannot start).  Pairs may not be added after this.
 */
int aligner_train(aligner *a, struct ferry_err *err);

/*
 * Pair i's links after training, sorted, weights 1: the source→target
 * model's into fwd and the target→source model's into rev (either may
 * be NULL).
 */
void aligner_links(aligner *a, size_t i, struct links *fwd, struct links *rev);

/*
 * The trained model's t(f | e) (dir 0: a target word given a source
 * word) or t(e | f) (dir 1), of two forms as written (normalised as the
 * corpus was), or -1 when they never share a pair.  For inspection and
 * tests.
 */
double aligner_prob(aligner *a, int dir, const char *src_word, const char *tgt_word);

/* ---- over files (aligner-run.c) ---- */

/*
 * Read the sentence pairs of src and tgt in lockstep into a, each with
 * its reader's options (a format of FMT_AUTO goes by the file name; tags
 * are ignored).  Files of different lengths, an empty
 * sentence and whatever the readers refuse (invalid UTF-8, a sentence
 * over FERRY_SENT_MAX tokens) are errors naming FILE:LINE (EX_DATAERR);
 * *pairs (may be NULL) receives the pairs read.  Returns 0 or -1.
 */
int aligner_read(aligner *a, const char *src, const struct sentreader_opts *src_opts, const char *tgt,
		 const struct sentreader_opts *tgt_opts, size_t *pairs, struct ferry_err *err);
/*
 * Write the links of pairs 0 .. n-1 to fwd (the source→target model's)
 * and rev (the target→source model's) as Pharaoh lines in source-target
 * order, each under a temporary name put in place when both are
 * complete.  Returns 0 or -1 with err filled and neither file changed.
 */
int aligner_write(aligner *a, size_t n, const char *fwd, const char *rev, struct ferry_err *err);

#endif
