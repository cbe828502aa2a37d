/*
 * align.h — word alignments: the Pharaoh format and symmetrisation.
 *
 * A link joins source token s and target token t (0-based); `w` is its
 * weight, 1 when the file gives none.  Link sets are kept sorted by (s, t)
 * without duplicates.
 */
#ifndef FERRY_ALIGN_H
#define FERRY_ALIGN_H

#include <stddef.h>
#include <stdint.h>

#include "ferry/buf.h"
#include "ferry/err.h"
#include "ferry/mem.h"

struct link {
	uint32_t s, t;
	float    w;
};

struct links {
	struct link *v;
	size_t n, cap;
	int weighted;          /* some link carried an explicit weight */
};

void links_reset(struct links *l);
void links_release(struct links *l);

/* Append link (s, t) of weight w (inline: parsing, decoding and merging push every link). */
static inline void
links_push(struct links *l, uint32_t s, uint32_t t, float w)
{
	VEC_GROW(l->v, l->cap, l->n + 1);
	l->v[l->n++] = (struct link){ .s = s, .t = t, .w = w };
}

void links_copy(struct links *dst, const struct links *src);

/* How a Pharaoh file is written. */
struct align_opts {
	int reverse;     /* pairs are target-first: "t-s" */
	int one_based;   /* indices start at 1 */
};

/*
 * Parse one Pharaoh line ("0-0 1-2:0.87 ...") into out (reset first),
 * checking indices against nsrc and ntgt.  On error fills err with
 * "FILE:LINE:COL: ..." (file NULL: the message alone, see err_at) and
 * returns -1, or ALIGN_RANGE when an index is beyond its sentence.  The
 * result is sorted.
 */
#define ALIGN_RANGE (-2)
int align_parse(const char *line, size_t len, const struct align_opts *o,
		uint32_t nsrc, uint32_t ntgt, const char *file, long lineno,
		struct links *out, struct ferry_err *err);

/* Append the Pharaoh form of l ("0-0 1-2:0.5") to out. */
void align_format(const struct links *l, struct buf *out);

/*
 * The binary form the project stores (schema 5): a flags byte
 * (ALIGN_BIN_WEIGHTED), then each link against the one before it: one
 * byte for a link on the same or the next source word near the diagonal,
 * else a marker and two varints (align.c); with weights the float's four
 * bytes follow, little-endian, as the Pharaoh text would have kept it
 * ("%g").  About a sixth of the text's size, decoded without parsing.
 * align_decode checks what it reads against nsrc and ntgt and the order;
 * on error err holds why, without a place (the caller names the pair).
 * align_encoded_count counts the links of a binary form, -1 if damaged.
 */
#define ALIGN_BIN_WEIGHTED 0x01
void align_encode(const struct links *l, struct buf *out);
int align_decode(const void *data, size_t n, uint32_t nsrc, uint32_t ntgt, struct links *out,
		 struct ferry_err *err);
long align_encoded_count(const void *data, size_t n);

enum symmetrize {
	SYM_INTERSECT, SYM_UNION, SYM_GROW_DIAG, SYM_GROW_DIAG_FINAL,
	SYM_GROW_DIAG_FINAL_AND, SYM_COUNT
};

const char *align_sym_name(enum symmetrize m);
/* Returns the method or -1 for an unknown name. */
int align_sym_parse(const char *name);

/*
 * Symmetrise a forward and a reverse alignment of the same pair (both in
 * source-target order) with Koehn's heuristics, into out (reset first).
 * Weights are taken from fwd where a link is in fwd, else from rev.
 */
void align_symmetrize(const struct links *fwd, const struct links *rev,
		      uint32_t nsrc, uint32_t ntgt, enum symmetrize m,
		      struct links *out);

/* Compose a→b with b→c into a→c (the link weight is the product). */
void align_compose(const struct links *ab, const struct links *bc,
		   struct links *out);

/* Sort by (s, t) and drop duplicates, keeping the first weight. */
void align_sort(struct links *l);

#endif
