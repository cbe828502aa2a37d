/*
 * corpus.h — the in-memory form of a sentence pair: tokens of each side,
 * source entities, gold and predicted target labels, alignments.
 *
 * Every container here is a growable array that is reused across pairs:
 * *_reset() empties it and keeps its memory, *_release() frees it.  A
 * `struct pair` owns all of its members.
 */
#ifndef FERRY_CORPUS_H
#define FERRY_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "ferry/align.h"
#include "ferry/buf.h"

/* Longest label (entity type) in bytes, without the B-/I- prefix. */
#define FERRY_LABEL_MAX 48

/*
 * A token sequence.  `text` holds the tokens separated by single spaces
 * (tokens never contain whitespace), which is also how the project file
 * stores them; off[i] is where token i starts.
 */
struct toks {
	char     *text;
	size_t    len, cap;
	uint32_t *off;
	uint32_t  n;
	size_t    ncap;
};

void toks_reset(struct toks *t);
void toks_release(struct toks *t);
/* Exchange the contents of a and b, buffers and all (no copy). */
void toks_swap(struct toks *a, struct toks *b);
void toks_add(struct toks *t, const char *tok, size_t len);
/* Token i, not NUL-terminated; *len receives its length. */
const char *toks_get(const struct toks *t, uint32_t i, size_t *len);
/* Replace the contents with a space-separated string (as stored). */
void toks_set_joined(struct toks *t, const char *joined, size_t len);
/* Append tokens [a, b) with the spaces between them to out (nothing for an empty or bad range). */
void toks_span(const struct toks *t, uint32_t a, uint32_t b, struct buf *out);

/* A labelled token range [start, end). */
struct span {
	uint32_t start, end;
	char     label[FERRY_LABEL_MAX];
};

struct spans {
	struct span *v;
	size_t n, cap;
};

void spans_reset(struct spans *s);
void spans_release(struct spans *s);
struct span *spans_push(struct spans *s, uint32_t start, uint32_t end,
			const char *label, size_t label_len);
/* dst becomes a copy of src. */
void spans_copy(struct spans *dst, const struct spans *src);
/* 1 when x and y hold the same spans with the same labels, in the same order. */
int spans_equal(const struct spans *x, const struct spans *y);

/* Review states of a pair, in the order the project file numbers them. */
enum pair_status {
	STATUS_PENDING, STATUS_ACCEPTED, STATUS_FIXED, STATUS_REJECTED,
	STATUS_FLAGGED, STATUS_SKIPPED, STATUS_COUNT
};

const char *status_name(enum pair_status s);
/* Does a pair in status s hold a reviewer's decision of it as a whole (accepted or fixed)? */
int status_decides(enum pair_status s);
/* Pair ids: qsort/bsearch order, and whether sorted v[0..n) holds id. */
int pair_id_cmp(const void *a, const void *b);
int pair_ids_contain(const int64_t *v, size_t n, int64_t id);
/* Returns the status, or -1 for an unknown name. */
int status_parse(const char *name, size_t len);
/* Parse "pending,accepted" into a bit mask of (1 << status); -1 on a bad name. */
int status_parse_list(const char *list, unsigned *mask);

/* A projection of one source entity onto the target. */
struct proj {
	struct span span;
	int64_t entity;       /* entity id, 0 for a span added by hand (or a fused span no entity of the first source proposed) */
	double  score, margin;  /* the matcher's, pinned spans too; 0, 0 for a span added by hand (none) */
	char    method[16];
	int     by_reviewer;  /* origin: 0 matcher, 1 reviewer */
	uint32_t support;     /* multi-source: bit k set when source k's own projection is this span and label; 0 single-source */
};

struct projs {
	struct proj *v;
	size_t n, cap;
};

/* 1 when a and b hold the same projections in the same order. */
int projs_equal(const struct projs *a, const struct projs *b);

/* A lexicon entry learned from reviewers: src string -> tgt string. */
struct lex_entry {
	const char *src, *tgt;     /* tokens joined by single spaces */
	char        label[FERRY_LABEL_MAX];
	double      count;
};

/* Sorted by (src, tgt, label); built by the caller. */
struct lexicon {
	const struct lex_entry *v;
	size_t n;
};

/* A reviewer's decision the matcher must respect (a row of the pin table). */
enum pin_kind { PIN_ACCEPT, PIN_FORBID, PIN_NONE, PIN_ADD };

struct pin {
	enum pin_kind kind;
	int      entity;               /* index into pair->ents; -1 for PIN_ADD */
	uint32_t start, end;           /* target span (not for PIN_NONE) */
	char     label[FERRY_LABEL_MAX];
	int64_t  id;                   /* in the project */
};

struct pins {
	struct pin *v;
	size_t n, cap;
};

/*
 * Multi-source projection: a pair's further labelled sources (the first
 * source is the pair's own src, ents and links).  Source k (1 ..
 * FERRY_SOURCES_MAX - 1) is the k-th source the project was given
 * (store_sources); a source that has no sentence for a pair is absent.
 */
#define FERRY_SOURCES_MAX 16
/* Longest language code, with its NUL. */
#define FERRY_LANG_MAX 40

struct xsrc {
	int          source;        /* 1 .. FERRY_SOURCES_MAX - 1 */
	struct toks  src;
	struct spans ents;          /* its entities (gold of that language) */
	struct links fwd, rev, sym; /* source-target order */
	int          has_rev;
};

struct xsrcs {
	struct xsrc *v;
	size_t n, cap;
};

/* Each source's own projection of a multi-source pair (source 0 the first source). */
struct sproj {
	int         source;
	struct span span;
	double      score;
};

struct sprojs {
	struct sproj *v;
	size_t n, cap;
};

/* 1 when a and b hold the same projections in the same order. */
int sprojs_equal(const struct sprojs *a, const struct sprojs *b);

/* A new, empty further source at the end of xs (its memory reused). */
struct xsrc *xsrcs_push(struct xsrcs *xs, int source);


/*
 * The stored columns of a pair, copied as they are so that another
 * thread can decode them (store_pair_decode) while the reading thread
 * goes on.  off[c] is SIZE_MAX for a column that is NULL; bin[c] is 1
 * for a link column in binary form (schema 5), 0 for Pharaoh text.  A
 * symmetrised column of no bytes is made from the others when decoded:
 * by sym_method from fwd and rev, or fwd itself without rev.
 */
enum pair_col {
	COL_SRC, COL_TGT, COL_BT, COL_FWD, COL_REV, COL_SYM, COL_SRC_BT, COL_BT_TGT,
	COL_NER_TAGS, COL_NER_PROBS, COL_COUNT
};

struct pair_raw {
	char     *text;
	size_t    len, cap;
	size_t    off[COL_COUNT], n[COL_COUNT];
	unsigned char bin[COL_COUNT];
	int       sym_method;          /* enum symmetrize the project records, -1: none */
	int       no_sym;              /* and the caller does not need them (LOAD_NO_SYM) */
	uint32_t  nsrc, ntgt;          /* token counts the project records */
	unsigned  load;                /* what is left to decode; 0: nothing */
	unsigned  encoded;             /* 1 << column: its links in stored form, to write (store_pair_encode) */
};

struct pair {
	int64_t      id;            /* 1-based position in the project */
	struct toks  src, tgt, bt;
	int          has_bt, has_rev, has_gold, has_ner;
	struct spans ents;          /* source entities (gold) */
	int64_t     *ent_ids;       /* their ids in the project, when loaded */
	size_t       ent_ids_cap;
	struct spans gold;          /* target gold entities */
	struct links fwd, rev, sym, src_bt, bt_tgt;
	struct toks  ner_tags;      /* predicted target tags, one per token */
	struct toks  ner_probs;     /* their probabilities, "-" when absent */
	struct projs proj;
	struct pins  pins;
	struct xsrcs xs;            /* further sources, by source (LOAD_SOURCES) */
	struct sprojs own;          /* each source's own projection (LOAD_SOURCES with LOAD_PROJ) */
	enum pair_status status;
	int64_t      version;
	uint64_t     digest;        /* of its tokens and entities (store.h LOAD_DIGEST) */
	struct pair_raw raw;        /* undecoded columns (store_iter_next) */
};

/*
 * The pair as source k sees it: view is p with its source side (tokens,
 * entities, links) replaced by source k's (0: p itself), no
 * back-translation and no pins.  A shallow copy: it borrows p's memory,
 * so it must not be reset, released or outlive p.  0, or -1 when p has
 * no source k.
 */
int pair_source_view(const struct pair *p, int k, struct pair *view);

void pair_reset(struct pair *p);
void pair_release(struct pair *p);

#endif
