/*
 * aligner-int.h — what the aligner's files share: the corpus as word
 * ids, the co-occurrence table, the parameters and the counts of one EM
 * iteration.  Only src/aligner*.c include it.
 */
#ifndef FERRY_ALIGNER_INT_H
#define FERRY_ALIGNER_INT_H

#include <stdatomic.h>
#include <stdint.h>

#include "ferry/aligner.h"

/* Two directions: F is source→target (target words generated from source
   words), R is target→source. */
enum { DIR_F, DIR_R, DIRS };

/* Jumps of the HMM from -JUMP_MAX to JUMP_MAX; longer ones share the end buckets. */
#define JUMP_MAX 40
#define JUMPS (2 * JUMP_MAX + 1)

/*
 * Counts are fixed-point: a posterior p adds llround(p * COUNT_ONE).
 * Integer sums do not depend on the order of the additions, so the
 * threads may add in any order and the model is the same for any thread
 * count.
 */
#define COUNT_ONE 4294967296.0

/* The count every iteration adds to a pair of words written alike (names,
   numbers, cognates), before normalising: a prior that makes a name seen
   once prefer its own spelling on the other side. */
#define ALIKE_COUNT 1.0

/* Decoding weighs a direction's posterior by the other's to this power. */
#define DECODE_AGREE 0.5

/* A pair longer than this many cells (source x target tokens) is trained
   with Model 1's posteriors in the HMM iterations too (its lattice would
   not fit a thread's workspace). */
#define HMM_CELLS_MAX (1u << 20)

struct aligner {
	struct aligner_opts o;
	int trained;

	/* the words: forms normalised and interned, per side */
	struct strmap *raw[2], *norm[2];
	uint32_t *raw_to_norm[2];
	size_t raw_cap[2];
	struct buf fold;

	/* the corpus: pair p's words of side k are ids[k][off[k][p] .. off[k][p+1]) */
	uint32_t *ids[2];
	size_t nids[2], ids_cap[2];
	uint64_t *off[2];
	size_t npairs, off_cap;
	uint32_t nvocab[2];
	/* after aligner_more(): a pair repeating one added before is dropped */
	int more;
	uint64_t *main_hash;       /* open addressing over the pairs added before: hash, pair + 1 */
	size_t main_mask;

	/* co-occurring (source word, target word): slot s has key[s] = e << 32 | f */
	uint64_t *key;
	uint32_t *index;           /* open addressing over key: slot + 1, or 0 */
	uint8_t *alike;            /* the two words are written alike (spelling()) */
	size_t nslots, index_mask;
	/* each pair's cells (i * J + j) as slots, when they fit the budget */
	uint32_t *cell;
	uint64_t *cell_off;

	/* the parameters: t(f|e) per slot for F, t(e|f) per slot for R;
	   t(word | empty word) per target (F) and source (R) word; jumps */
	float *t[DIRS];
	float *tnull[DIRS];
	double jump[DIRS][JUMPS];
	int hmm;                   /* the iteration is an HMM one */

	/* one iteration's counts: the agreed posteriors of each slot (the
	   same for both directions), and each direction's empty word */
	_Atomic int64_t *c;
	_Atomic int64_t *cnull[DIRS];

	/* the result: per target token its source token + 1 (F) and per
	   source token its target token + 1 (R), 0 for none */
	uint16_t *best[DIRS];
};

/* Per-thread scratch of the E-step. */
struct em_work {
	double *post[DIRS];        /* F: J x (I + 1), R: I x (J + 1); the last column is the empty word */
	size_t post_cap[DIRS];
	double *fb;                /* forward-backward lattices */
	size_t fb_cap;
	uint32_t *cells;           /* a pair's slots when not precomputed */
	size_t cells_cap;
	int64_t jump[DIRS][JUMPS]; /* this thread's jump counts */
};

/* Pair p's cells: I x J slots, row i for source word i (precomputed, or looked up into w). */
const uint32_t *aligner_cells(const struct aligner *a, size_t p, struct em_work *w);

/* aligner-em.c: the HMM's posteriors of em (T x (S + 1), the empty word
   last) in place, its expected jumps added to jcount (JUMPS buckets);
   exposed for the test that checks it against enumeration. */
void em_hmm(double *em, uint32_t T, uint32_t S, const double *jump, double p0, int64_t *jcount);

/* aligner-em.c: one pair's posteriors of both directions into w->post. */
void em_posteriors(const struct aligner *a, size_t p, const uint32_t *cell, struct em_work *w);
/* Add pair p's counts (the posteriors in w). */
void em_count(struct aligner *a, size_t p, const uint32_t *cell, struct em_work *w);
/* Pair p's links from the posteriors in w into a->best. */
void em_decode(struct aligner *a, size_t p, struct em_work *w);
void em_work_release(struct em_work *w);

#endif
