/*
 * aligner.c — ferry's word aligner: the words, the co-occurrence table,
 * EM over threads, and the links.
 *
 * The model (aligner-em.c has the E-step): IBM Model 1, then the HMM of
 * Vogel, Ney and Tillmann (1996) with Och and Ney's empty word, trained
 * by EM in both directions at once, by agreement (Liang, Taskar and Klein
 * 2006): a link's expected count is the product of the two directions'
 * posteriors of it, so each direction learns what the other confirms.
 *
 * Why this model.  What ferry needs of links is that the words of a name
 * land on the words of its translation; on the Europarl dev pairs
 * (bench/aligner.sh: the 21k-line bitext aligned, ferry's matcher, strict
 * span F1, mean over de/es/it) each step measured as follows:
 *   Model 1 alone                                  0.724
 *   + HMM, 7 jump buckets either way               0.770
 *   + 40 buckets (long jumps no longer share one)  0.833
 *   + agreement in every iteration                 0.873 (eflomal: 0.873)
 *   + a prior count for words spelt alike          0.876
 *   + decoding weighed by the other direction      0.880
 *   + forms cut to 8 letters                       0.888 (GIZA++: 0.880)
 *   6 letters, with the matcher tuned to the links 0.901
 * and what did not help: a variational-Bayes (sparse Dirichlet) table
 * (0.49-0.82: with agreement's small counts it pushes rare words to the
 * empty word), a prior for words sharing a prefix rather than the whole
 * form, agreement in one model only, more HMM iterations, a diagonal
 * start for the jumps.  A sampler in the manner of eflomal was the other
 * candidate; EM is deterministic without a seed, its E-step is exact and
 * testable against enumeration, and it runs at 0.16 times eflomal's wall
 * time here (forward-backward is nine tenths of the time).
 *
 * Decoding.  A direction's posterior of a link, weighed by the square root
 * of the other direction's (DECODE_AGREE), must reach the threshold and
 * beat the empty word; each observed word gets at most its best position.
 *
 * Words.  Each distinct form is normalised once (text_fold_word: NFKC
 * with case folding, optionally without accents, then cut to a prefix or
 * stripped of a suffix) and interned, so the corpus is two arrays of
 * word ids.
 *
 * The table.  Every (source word, target word) that share a pair gets a
 * slot: one open-addressing hash over the 64-bit key e << 32 | f, slots
 * numbered densely in the order first seen (so the same corpus gives the
 * same numbering).  Both directions' probabilities live in the slot's
 * entries of t[DIR_F] and t[DIR_R].  The slots of each pair's cells
 * (i * J + j) are precomputed when they fit CELL_BUDGET, which spares
 * every iteration its hash lookups; past the budget they are looked up
 * again each time, with the same result.
 *
 * Threads.  An iteration shares the pairs out in chunks claimed with one
 * atomic add; each thread adds its posteriors to the shared counts with
 * atomic integer adds.  Counts are fixed-point (aligner-int.h), so the
 * sums, and so the model and the links, are the same whatever the
 * thread count and the order in which chunks are done.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "aligner-int.h"
#include "ferry/batch.h"
#include "ferry/mem.h"
#include "ferry/text.h"

/* Bytes of precomputed cells at most (past this, cells are looked up per iteration). */
#define CELL_BUDGET ((size_t)512 << 20)
/* Pairs per claim of a worker. */
#define CHUNK 64

void
aligner_opts_init(struct aligner_opts *o)
{
	memset(o, 0, sizeof *o);
	o->threads = 1;
	o->ibm1_iters = 5;
	o->hmm_iters = 5;
	o->fold = ALIGNER_FOLD_CASE;
	o->p_null = 0.08;
	o->threshold = 0.3;
	o->prefix = 6;
}

void
aligner_opts_format(const struct aligner_opts *o, struct buf *out)
{
	buf_addf(out, "ibm1=%d hmm=%d fold=%s prefix=%d suffix=%d p-null=%g threshold=%g",
		 o->ibm1_iters, o->hmm_iters,
		 (o->fold & ALIGNER_FOLD_ACCENTS) ? "accents" : (o->fold & ALIGNER_FOLD_CASE) ? "case" : "none",
		 o->prefix, o->suffix, o->p_null, o->threshold);
}

int
aligner_default_threads(void)
{
	return batch_cpu_threads(ALIGNER_MAX_THREADS);
}

const char *
aligner_opts_help(void)
{
	return "  --ibm1 N              IBM Model 1 iterations (default 5)\n"
	       "  --hmm N               HMM iterations after them (default 5)\n"
	       "  --fold F              case (default: NFKC, case folded), accents (also\n"
	       "                        without accents) or none (forms as written)\n"
	       "  --prefix N            compare only the first N letters of a word (default 6;\n"
	       "                        0: whole words)\n"
	       "  --suffix N            drop the last N letters of words longer than N+3\n"
	       "  --p-null X            probability of the empty word (default 0.08)\n"
	       "  --threshold X         posterior a link needs (default 0.3)\n"
	       "  --threads N           align in N threads (default: one per CPU); the\n"
	       "                        links are the same for any N\n"
	       "  --bitext-src FILE     more parallel text to train on, source side\n"
	       "  --bitext-tgt FILE     ... and its target side (pairs in order; repeatable)\n";
}

/* A number in [lo, hi] from arg, or -1. */
static int
number(const char *name, const char *arg, double lo, double hi, double *v, struct ferry_err *err)
{
	char *end;

	errno = 0;
	*v = strtod(arg, &end);
	if (end == arg || *end || errno || !(*v >= lo && *v <= hi))
		return err_set(err, EX_USAGE, "bad --%s '%s' (expected a number from %g to %g)", name, arg, lo, hi);
	return 0;
}

int
aligner_opt_set(struct aligner_opts *o, int index, const char *arg, struct ferry_err *err)
{
	static const char *const names[ALIGNER_NOPTS] = {
		"ibm1", "hmm", "fold", "prefix", "suffix", "p-null", "threshold",
	};
	double v;

	if (index == 2) {
		if (strcmp(arg, "case") == 0)
			o->fold = ALIGNER_FOLD_CASE;
		else if (strcmp(arg, "accents") == 0)
			o->fold = ALIGNER_FOLD_CASE | ALIGNER_FOLD_ACCENTS;
		else if (strcmp(arg, "none") == 0)
			o->fold = 0;
		else
			return err_set(err, EX_USAGE, "unknown --fold '%s' (expected case, accents or none)", arg);
		return 0;
	}
	int whole = index != 5 && index != 6;
	if (number(names[index], arg, 0, index == 5 ? 0.99 : index == 6 ? 1 : 100, &v, err) < 0)
		return -1;
	if (whole && v != (double)(int)v)
		return err_set(err, EX_USAGE, "bad --%s '%s' (expected a whole number)", names[index], arg);
	switch (index) {
	case 0: o->ibm1_iters = (int)v; break;
	case 1: o->hmm_iters = (int)v; break;
	case 3: o->prefix = (int)v; break;
	case 4: o->suffix = (int)v; break;
	case 5: o->p_null = v; break;
	default: o->threshold = v; break;
	}
	return 0;
}

void
aligner_args_init(struct aligner_args *a)
{
	memset(a, 0, sizeof *a);
	aligner_opts_init(&a->o);
	a->o.threads = aligner_default_threads();
}

int
aligner_args_set(struct aligner_args *a, int index, const char *arg, struct ferry_err *err)
{
	char *end;
	long n;

	a->given = 1;
	switch (index) {
	case ALIGNER_NMODEL:
		errno = 0;
		n = strtol(arg, &end, 10);
		if (end == arg || *end || errno || n < 1 || n > ALIGNER_MAX_THREADS)
			return err_set(err, EX_USAGE, "bad --threads '%s' (expected 1 to %d)", arg, ALIGNER_MAX_THREADS);
		a->o.threads = (int)n;
		return 0;
	case ALIGNER_NMODEL + 1:
		VEC_GROW(a->bitext_src, a->cap_src, a->nsrc + 1);
		a->bitext_src[a->nsrc++] = arg;
		return 0;
	case ALIGNER_NMODEL + 2:
		VEC_GROW(a->bitext_tgt, a->cap_tgt, a->ntgt + 1);
		a->bitext_tgt[a->ntgt++] = arg;
		return 0;
	default:
		return aligner_opt_set(&a->o, index, arg, err);
	}
}

int
aligner_args_check(const struct aligner_args *a, struct ferry_err *err)
{
	if (a->nsrc != a->ntgt)
		return err_set(err, EX_USAGE, "%zu --bitext-src but %zu --bitext-tgt (expected them in pairs)",
			       a->nsrc, a->ntgt);
	return 0;
}

void
aligner_args_release(struct aligner_args *a)
{
	free(a->bitext_src);
	free(a->bitext_tgt);
	a->bitext_src = a->bitext_tgt = NULL;
}

/* ---- interned strings ------------------------------------------------------- */

struct strmap {
	char *text;
	size_t len, cap;
	uint64_t *start;           /* of string id, and its hash */
	uint64_t *hash;
	uint32_t *slen;
	size_t n, ncap;
	uint32_t *tab;             /* id + 1, or 0 */
	size_t mask;
};

static uint64_t
str_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h ^ (h >> 29);
}

static void
strmap_rehash(struct strmap *m, size_t size)
{
	free(m->tab);
	m->tab = xcalloc(size, sizeof *m->tab);
	m->mask = size - 1;
	for (size_t id = 0; id < m->n; id++) {
		size_t at = m->hash[id] & m->mask;
		while (m->tab[at])
			at = (at + 1) & m->mask;
		m->tab[at] = (uint32_t)id + 1;
	}
}

/* The id of s (of hash h), or -1 with *at the empty bucket where it would go. */
static int64_t
strmap_find(const struct strmap *m, const char *s, size_t n, uint64_t h, size_t *at)
{
	size_t i = h & m->mask;

	for (uint32_t v; (v = m->tab[i]) != 0; i = (i + 1) & m->mask) {
		uint32_t id = v - 1;
		if (m->hash[id] == h && m->slen[id] == n && memcmp(m->text + m->start[id], s, n) == 0)
			return id;
	}
	*at = i;
	return -1;
}

/* The id of s, added if new; *added says which. */
static uint32_t
strmap_intern(struct strmap *m, const char *s, size_t n, int *added)
{
	uint64_t h = str_hash(s, n);
	size_t at;

	if (m->tab == NULL)
		strmap_rehash(m, 1024);
	int64_t id = strmap_find(m, s, n, h, &at);
	*added = id < 0;
	if (id >= 0)
		return (uint32_t)id;
	VEC_GROW(m->text, m->cap, m->len + n + 1);
	memcpy(m->text + m->len, s, n);
	VEC_GROW(m->start, m->ncap, m->n + 1);
	m->hash = xrealloc(m->hash, m->ncap * sizeof *m->hash);
	m->slen = xrealloc(m->slen, m->ncap * sizeof *m->slen);
	m->start[m->n] = m->len;
	m->hash[m->n] = h;
	m->slen[m->n] = (uint32_t)n;
	m->len += n;
	m->tab[at] = (uint32_t)m->n + 1;
	if (++m->n * 2 > m->mask)
		strmap_rehash(m, (m->mask + 1) * 2);
	return (uint32_t)m->n - 1;
}

static void
strmap_free(struct strmap *m)
{
	if (m == NULL)
		return;
	free(m->text);
	free(m->start);
	free(m->hash);
	free(m->slen);
	free(m->tab);
	free(m);
}

/* ---- words ---------------------------------------------------------------- */

aligner *
aligner_new(const struct aligner_opts *o)
{
	aligner *a = xcalloc(1, sizeof *a);

	a->o = *o;
	for (int k = 0; k < 2; k++) {
		a->raw[k] = xcalloc(1, sizeof *a->raw[k]);
		a->norm[k] = xcalloc(1, sizeof *a->norm[k]);
	}
	VEC_GROW(a->off[0], a->off_cap, 1);
	a->off[1] = xrealloc(a->off[1], a->off_cap * sizeof *a->off[1]);
	a->off[0][0] = a->off[1][0] = 0;
	return a;
}

/* Bytes of the first n code points of s[0..len), or len. */
static size_t
chars_prefix(const char *s, size_t len, int n)
{
	size_t i = 0;

	for (int c = 0; c < n && i < len; c++)
		do
			i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80);
	return i;
}

static size_t
chars_count(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* The normalised id of a raw form of side k. */
static int
word_id(aligner *a, int k, const char *s, size_t n, uint32_t *id, struct ferry_err *err)
{
	int added;
	uint32_t raw = strmap_intern(a->raw[k], s, n, &added);

	if (!added) {
		*id = a->raw_to_norm[k][raw];
		return 0;
	}
	buf_reset(&a->fold);
	if (a->o.fold & (ALIGNER_FOLD_CASE | ALIGNER_FOLD_ACCENTS)) {
		if (text_fold_word(s, n, (a->o.fold & ALIGNER_FOLD_ACCENTS) != 0, &a->fold, err) < 0)
			return -1;
	} else {
		buf_add(&a->fold, s, n);
	}
	size_t len = a->fold.len, chars = chars_count(a->fold.s, len);
	if (a->o.suffix > 0 && chars > (size_t)a->o.suffix + 3)
		len = chars_prefix(a->fold.s, len, (int)(chars - (size_t)a->o.suffix));
	if (a->o.prefix > 0)
		len = chars_prefix(a->fold.s, len, a->o.prefix);
	VEC_GROW(a->raw_to_norm[k], a->raw_cap[k], (size_t)raw + 1);
	*id = a->raw_to_norm[k][raw] = strmap_intern(a->norm[k], a->fold.s ? a->fold.s : "", len, &added);
	return 0;
}

/* Put the ids of t's words after the end of side k's ids (not yet counted in). */
static int
add_side(aligner *a, int k, const struct toks *t, struct ferry_err *err)
{
	VEC_GROW(a->ids[k], a->ids_cap[k], a->nids[k] + t->n);
	for (uint32_t i = 0; i < t->n; i++) {
		size_t len;
		const char *w = toks_get(t, i, &len);
		if (word_id(a, k, w, len, &a->ids[k][a->nids[k] + i], err) < 0)
			return -1;
	}
	return 0;
}

/* A hash of a pair's words: n[k] ids of side k at w[k]. */
static uint64_t
pair_hash(const uint32_t *const w[2], const uint32_t n[2])
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ n[0] ^ (uint64_t)n[1] << 32;

	for (int k = 0; k < 2; k++)
		for (uint32_t i = 0; i < n[k]; i++)
			h = (h ^ w[k][i]) * 0x100000001B3ULL;
	return h ? h : 1;
}

/* Pair p's words, as pair_hash takes them. */
static void
pair_words(const aligner *a, size_t p, const uint32_t *w[2], uint32_t n[2])
{
	for (int k = 0; k < 2; k++) {
		w[k] = a->ids[k] + a->off[k][p];
		n[k] = (uint32_t)(a->off[k][p + 1] - a->off[k][p]);
	}
}

void
aligner_more(aligner *a)
{
	size_t size = 16;

	if (a->more)
		return;
	a->more = 1;
	while (size < 2 * a->npairs + 2)
		size *= 2;
	a->main_hash = xcalloc(size * 2, sizeof *a->main_hash);
	a->main_mask = size - 1;
	for (size_t p = 0; p < a->npairs; p++) {
		const uint32_t *w[2];
		uint32_t n[2];
		pair_words(a, p, w, n);
		uint64_t h = pair_hash(w, n);
		size_t at = h & a->main_mask;
		while (a->main_hash[2 * at])
			at = (at + 1) & a->main_mask;
		a->main_hash[2 * at] = h;
		a->main_hash[2 * at + 1] = p + 1;
	}
}

/* After aligner_more: the pair of words w, n repeats one added before. */
static int
repeats_main(const aligner *a, const uint32_t *const w[2], const uint32_t n[2])
{
	uint64_t h = pair_hash(w, n);

	for (size_t at = h & a->main_mask; a->main_hash[2 * at]; at = (at + 1) & a->main_mask) {
		const uint32_t *v[2];
		uint32_t m[2];
		if (a->main_hash[2 * at] != h)
			continue;
		pair_words(a, a->main_hash[2 * at + 1] - 1, v, m);
		if (m[0] == n[0] && m[1] == n[1] && memcmp(v[0], w[0], n[0] * sizeof *w[0]) == 0 &&
		    memcmp(v[1], w[1], n[1] * sizeof *w[1]) == 0)
			return 1;
	}
	return 0;
}

int
aligner_add(aligner *a, const struct toks *src, const struct toks *tgt, struct ferry_err *err)
{
	uint32_t nsrc = src->n, ntgt = tgt->n;

	if (add_side(a, 0, src, err) < 0 || add_side(a, 1, tgt, err) < 0)
		return -1;
	if (a->more) {
		/* the words were put after the ends of ids, not yet counted in */
		const uint32_t *w[2] = { a->ids[0] + a->nids[0], a->ids[1] + a->nids[1] };
		const uint32_t n[2] = { nsrc, ntgt };
		if (repeats_main(a, w, n))
			return 0;
	}
	a->nids[0] += nsrc;
	a->nids[1] += ntgt;
	size_t cap = a->off_cap;
	VEC_GROW(a->off[0], a->off_cap, a->npairs + 2);
	if (cap != a->off_cap)
		a->off[1] = xrealloc(a->off[1], a->off_cap * sizeof *a->off[1]);
	a->npairs++;
	a->off[0][a->npairs] = a->nids[0];
	a->off[1][a->npairs] = a->nids[1];
	return 0;
}

size_t
aligner_pairs(const aligner *a)
{
	return a->npairs;
}

/* ---- the co-occurrence table -------------------------------------------------- */

static inline size_t
key_hash(uint64_t k)
{
	return (size_t)((k * 0x9E3779B97F4A7C15ULL) >> 20);
}

static void
slots_rehash(aligner *a, size_t size)
{
	free(a->index);
	a->index = xcalloc(size, sizeof *a->index);
	a->index_mask = size - 1;
	for (size_t s = 0; s < a->nslots; s++) {
		size_t at = key_hash(a->key[s]) & a->index_mask;
		while (a->index[at])
			at = (at + 1) & a->index_mask;
		a->index[at] = (uint32_t)s + 1;
	}
}

/* The slot of key, or UINT32_MAX when `add` is 0 and there is none. */
static uint32_t
slot_find(aligner *a, uint64_t key, size_t *cap, int add)
{
	size_t at = key_hash(key) & a->index_mask;

	for (uint32_t v; (v = a->index[at]) != 0; at = (at + 1) & a->index_mask)
		if (a->key[v - 1] == key)
			return v - 1;
	if (!add)
		return UINT32_MAX;
	VEC_GROW(a->key, *cap, a->nslots + 1);
	a->key[a->nslots] = key;
	a->index[at] = (uint32_t)a->nslots + 1;
	if (++a->nslots * 2 > a->index_mask)
		slots_rehash(a, (a->index_mask + 1) * 2);
	return (uint32_t)a->nslots - 1;
}

static void
pair_dims(const aligner *a, size_t p, uint32_t *I, uint32_t *J)
{
	*I = (uint32_t)(a->off[0][p + 1] - a->off[0][p]);
	*J = (uint32_t)(a->off[1][p + 1] - a->off[1][p]);
}

/* The normalised form of word id of side k. */
static const char *
form(const aligner *a, int k, uint32_t id, size_t *len)
{
	*len = a->norm[k]->slen[id];
	return a->norm[k]->text + a->norm[k]->start[id];
}

/* A pseudo-count for a source and a target word written alike: 1 for the same form of at least 4 characters. */
static uint8_t
spelling(const char *x, size_t nx, const char *y, size_t ny)
{
	return nx == ny && memcmp(x, y, nx) == 0 && chars_count(x, nx) >= 4;
}

static void
slots_spelling(aligner *a)
{
	a->alike = xmalloc(a->nslots ? a->nslots : 1);
	for (size_t s = 0; s < a->nslots; s++) {
		size_t nx, ny;
		const char *x = form(a, 0, (uint32_t)(a->key[s] >> 32), &nx);
		const char *y = form(a, 1, (uint32_t)a->key[s], &ny);
		a->alike[s] = spelling(x, nx, y, ny);
	}
}

/* Give every co-occurrence a slot; precompute the cells if they fit. */
static void
slots_build(aligner *a)
{
	size_t cap = 0, cells = 0;

	for (size_t p = 0; p < a->npairs; p++) {
		uint32_t I, J;
		pair_dims(a, p, &I, &J);
		cells += (size_t)I * J;
	}
	if (cells * sizeof(uint32_t) <= CELL_BUDGET) {
		a->cell = xmalloc((cells ? cells : 1) * sizeof *a->cell);
		a->cell_off = xmalloc((a->npairs + 1) * sizeof *a->cell_off);
	}
	slots_rehash(a, 1u << 16);
	cells = 0;
	for (size_t p = 0; p < a->npairs; p++) {
		const uint32_t *e = a->ids[0] + a->off[0][p], *f = a->ids[1] + a->off[1][p];
		uint32_t I, J;
		pair_dims(a, p, &I, &J);
		if (a->cell_off)
			a->cell_off[p] = cells;
		for (uint32_t i = 0; i < I; i++)
			for (uint32_t j = 0; j < J; j++) {
				uint32_t s = slot_find(a, (uint64_t)e[i] << 32 | f[j], &cap, 1);
				if (a->cell)
					a->cell[cells++] = s;
			}
	}
	if (a->cell_off)
		a->cell_off[a->npairs] = cells;
}

const uint32_t *
aligner_cells(const aligner *a, size_t p, struct em_work *w)
{
	if (a->cell)
		return a->cell + a->cell_off[p];
	const uint32_t *e = a->ids[0] + a->off[0][p], *f = a->ids[1] + a->off[1][p];
	uint32_t I, J;
	pair_dims(a, p, &I, &J);
	VEC_GROW(w->cells, w->cells_cap, (size_t)I * J);
	for (uint32_t i = 0; i < I; i++)
		for (uint32_t j = 0; j < J; j++)
			w->cells[(size_t)i * J + j] = slot_find((aligner *)a, (uint64_t)e[i] << 32 | f[j], NULL, 0);
	return w->cells;
}

/* ---- EM ------------------------------------------------------------------------ */

struct pool {
	aligner *a;
	atomic_size_t next;
	atomic_size_t done;
	int decode;                /* the last pass: links instead of counts */
	int64_t base, total;       /* progress */
};

struct worker {
	pthread_t th;
	struct pool *pl;
	struct em_work w;
	int main;                  /* the calling thread: reports progress */
};

static void *
work(void *arg)
{
	struct worker *wk = arg;
	struct pool *pl = wk->pl;
	aligner *a = pl->a;

	for (;;) {
		size_t from = atomic_fetch_add(&pl->next, CHUNK);
		if (from >= a->npairs)
			break;
		size_t to = from + CHUNK < a->npairs ? from + CHUNK : a->npairs;
		for (size_t p = from; p < to; p++) {
			const uint32_t *cell = aligner_cells(a, p, &wk->w);
			em_posteriors(a, p, cell, &wk->w);
			if (pl->decode)
				em_decode(a, p, &wk->w);
			else
				em_count(a, p, cell, &wk->w);
		}
		size_t done = atomic_fetch_add(&pl->done, to - from) + (to - from);
		if (wk->main && a->o.on_update)
			a->o.on_update(a->o.arg, pl->base + (int64_t)done, pl->base + (int64_t)done);
	}
	return NULL;
}

/* One pass over all pairs on n workers (the calling thread is worker 0). */
static int
pass(struct pool *pl, struct worker *wk, int n, struct ferry_err *err)
{
	int started = 1, rc = 0;

	atomic_store(&pl->next, 0);
	atomic_store(&pl->done, 0);
	for (int i = 0; i < n; i++) {
		wk[i].pl = pl;
		wk[i].main = i == 0;
		memset(wk[i].w.jump, 0, sizeof wk[i].w.jump);
	}
	for (; started < n; started++)
		if (pthread_create(&wk[started].th, NULL, work, &wk[started]) != 0) {
			rc = err_set(err, EX_OSERR, "cannot start an aligner thread");
			break;
		}
	work(&wk[0]);
	for (int i = 1; i < started; i++)
		pthread_join(wk[i].th, NULL);
	pl->base += (int64_t)pl->a->npairs;
	return rc;
}

/* Probabilities from the counts: t(f|e) over each e's slots (F), t(e|f) over each f's (R). */
static void
m_step(aligner *a, struct worker *wk, int n)
{
	for (size_t s = 0; s < a->nslots; s++)
		if (a->alike[s])
			atomic_fetch_add_explicit(&a->c[s], (int64_t)(ALIKE_COUNT * COUNT_ONE), memory_order_relaxed);
	for (int d = 0; d < DIRS; d++) {
		int cond = d == DIR_F ? 0 : 1;        /* the side conditioned on */
		int64_t *tot = xcalloc(a->nvocab[cond] + 1, sizeof *tot), ntot = 0;
		for (size_t s = 0; s < a->nslots; s++) {
			uint32_t w = cond == 0 ? (uint32_t)(a->key[s] >> 32) : (uint32_t)a->key[s];
			tot[w] += atomic_load_explicit(&a->c[s], memory_order_relaxed);
		}
		for (size_t s = 0; s < a->nslots; s++) {
			uint32_t w = cond == 0 ? (uint32_t)(a->key[s] >> 32) : (uint32_t)a->key[s];
			double c = (double)atomic_load_explicit(&a->c[s], memory_order_relaxed);
			double t = tot[w] > 0 ? c / (double)tot[w] : 0;
			a->t[d][s] = (float)(t > 1e-12 ? t : 1e-12);
		}
		free(tot);
		uint32_t nv = a->nvocab[1 - cond];
		for (uint32_t w = 0; w < nv; w++)
			ntot += atomic_load_explicit(&a->cnull[d][w], memory_order_relaxed);
		for (uint32_t w = 0; w < nv; w++) {
			int64_t c = atomic_load_explicit(&a->cnull[d][w], memory_order_relaxed);
			double v = ntot > 0 ? (double)c / (double)ntot : 0;
			a->tnull[d][w] = (float)(v > 1e-12 ? v : 1e-12);
		}
		memset(a->cnull[d], 0, nv * sizeof *a->cnull[d]);
		if (a->hmm) {
			int64_t j[JUMPS] = { 0 }, jt = 0;
			for (int i = 0; i < n; i++)
				for (int b = 0; b < JUMPS; b++)
					j[b] += wk[i].w.jump[d][b];
			for (int b = 0; b < JUMPS; b++)
				jt += j[b];
			/* a small floor, so that no jump becomes impossible */
			for (int b = 0; b < JUMPS; b++)
				a->jump[d][b] = jt > 0 ? ((double)j[b] + 1e-3 * COUNT_ONE) / (double)jt : 1.0 / JUMPS;
		}
	}
	memset(a->c, 0, a->nslots * sizeof *a->c);
}

static void
params_init(aligner *a)
{
	a->c = xcalloc(a->nslots ? a->nslots : 1, sizeof *a->c);
	for (int d = 0; d < DIRS; d++) {
		int cond = d == DIR_F ? 0 : 1;
		uint32_t nv = a->nvocab[1 - cond];
		a->t[d] = xmalloc((a->nslots ? a->nslots : 1) * sizeof *a->t[d]);
		a->tnull[d] = xmalloc((nv ? nv : 1) * sizeof *a->tnull[d]);
		a->cnull[d] = xcalloc(nv ? nv : 1, sizeof *a->cnull[d]);
		for (size_t s = 0; s < a->nslots; s++)
			a->t[d][s] = 1.0f / (float)(nv ? nv : 1);
		for (uint32_t w = 0; w < nv; w++)
			a->tnull[d][w] = 1.0f / (float)nv;
		for (int b = 0; b < JUMPS; b++)
			a->jump[d][b] = 1.0 / JUMPS;
	}
}

int
aligner_train(aligner *a, struct ferry_err *err)
{
	int n = a->o.threads > 1 ? a->o.threads : 1, rc = 0;
	struct worker *wk = xcalloc((size_t)n, sizeof *wk);
	struct pool pl = { .a = a };

	for (int k = 0; k < 2; k++)
		a->nvocab[k] = (uint32_t)a->norm[k]->n;
	slots_build(a);
	slots_spelling(a);
	params_init(a);
	pl.total = (int64_t)a->npairs * (a->o.ibm1_iters + a->o.hmm_iters + 1);
	if (a->o.on_start)
		a->o.on_start(a->o.arg, pl.total);
	for (int it = 0; it < a->o.ibm1_iters + a->o.hmm_iters && rc == 0; it++) {
		a->hmm = it >= a->o.ibm1_iters;
		if ((rc = pass(&pl, wk, n, err)) == 0)
			m_step(a, wk, n);
		/* the first HMM iteration starts from Model 1's table with uniform jumps */
	}
	for (int d = 0; d < DIRS && rc == 0; d++) {
		a->best[d] = xcalloc(a->nids[1 - d] ? a->nids[1 - d] : 1, sizeof *a->best[d]);
	}
	if (rc == 0) {
		a->hmm = a->o.hmm_iters > 0;
		pl.decode = 1;
		rc = pass(&pl, wk, n, err);
	}
	for (int i = 0; i < n; i++)
		em_work_release(&wk[i].w);
	free(wk);
	a->trained = 1;
	return rc;
}

void
aligner_links(aligner *a, size_t p, struct links *fwd, struct links *rev)
{
	uint32_t I, J;

	pair_dims(a, p, &I, &J);
	if (fwd) {
		links_reset(fwd);
		const uint16_t *b = a->best[DIR_F] + a->off[1][p];
		for (uint32_t j = 0; j < J; j++)
			if (b[j])
				links_push(fwd, (uint32_t)b[j] - 1, j, 1);
		align_sort(fwd);
	}
	if (rev) {
		links_reset(rev);
		const uint16_t *b = a->best[DIR_R] + a->off[0][p];
		for (uint32_t i = 0; i < I; i++)
			if (b[i])
				links_push(rev, i, (uint32_t)b[i] - 1, 1);
		align_sort(rev);
	}
}

/* The id of a written form of side k, or UINT32_MAX. */
static uint32_t
known_word(aligner *a, int k, const char *w)
{
	size_t n = strlen(w), at;
	int64_t id = a->raw[k]->tab ? strmap_find(a->raw[k], w, n, str_hash(w, n), &at) : -1;

	return id < 0 ? UINT32_MAX : a->raw_to_norm[k][id];
}

double
aligner_prob(aligner *a, int dir, const char *src_word, const char *tgt_word)
{
	uint32_t e = known_word(a, 0, src_word), f = known_word(a, 1, tgt_word), s;

	if (!a->trained || e == UINT32_MAX || f == UINT32_MAX ||
	    (s = slot_find(a, (uint64_t)e << 32 | f, NULL, 0)) == UINT32_MAX)
		return -1;
	return a->t[dir == 0 ? DIR_F : DIR_R][s];
}

void
aligner_free(aligner *a)
{
	if (a == NULL)
		return;
	for (int k = 0; k < 2; k++) {
		strmap_free(a->raw[k]);
		strmap_free(a->norm[k]);
		free(a->raw_to_norm[k]);
		free(a->ids[k]);
		free(a->off[k]);
	}
	for (int d = 0; d < DIRS; d++) {
		free(a->t[d]);
		free(a->tnull[d]);
		free(a->cnull[d]);
		free(a->best[d]);
	}
	buf_release(&a->fold);
	free(a->c);
	free(a->key);
	free(a->index);
	free(a->alike);
	free(a->cell);
	free(a->cell_off);
	free(a->main_hash);
	free(a);
}
