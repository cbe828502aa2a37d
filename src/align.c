/*
 * align.c — Pharaoh alignments and Koehn's symmetrisation heuristics.
 *
 * Symmetrisation follows the definitions of Koehn et al. (2003) as written
 * in the Moses training scripts: start from the intersection; GROW-DIAG
 * repeatedly adds union links that neighbour (8 directions) an existing
 * link and whose source or target word is still unaligned, scanning the
 * grid row by row and seeing links added earlier in the same scan; FINAL
 * then adds the remaining links of each direction (forward first) whose
 * source or target word is unaligned, FINAL-AND those whose source and
 * target words are both unaligned.
 *
 * The work is proportional to the links, not to the sentence pair's grid:
 * the union is looked up by binary search in the two sorted directions,
 * the result so far is a hash set, and GROW-DIAG replays the scans' order
 * without scanning.  A scan visits links in (source, target) order and
 * sees the links it adds ahead of where it is; a link it adds behind waits
 * for the next scan.  Visiting a link a second time adds nothing (words
 * only ever become aligned, the result only grows), so each link is
 * visited once: from a min-heap holding the links still to visit in this
 * scan, while those added behind gather for the next one.  The output is
 * the grid scan's, link for link, in O(L log L) for L links, where the grid
 * cost nsrc x ntgt bits and a scan per link of a long chain (seconds for
 * one 10,000-token sentence).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/align.h"
#include "ferry/mem.h"
#include "ferry/text.h"

/* Empty a link set, keeping its memory. */
void
links_reset(struct links *l)
{
	l->n = 0;
	l->weighted = 0;
}

/* Free a link set. */
void
links_release(struct links *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Make dst a copy of src. */
void
links_copy(struct links *dst, const struct links *src)
{
	links_reset(dst);
	VEC_GROW(dst->v, dst->cap, src->n);
	if (src->n)
		memcpy(dst->v, src->v, src->n * sizeof *src->v);
	dst->n = src->n;
	dst->weighted = src->weighted;
}

/* Order links by source, then target index. */
static int
link_cmp(const void *a, const void *b)
{
	const struct link *x = a, *y = b;

	if (x->s != y->s)
		return x->s < y->s ? -1 : 1;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return 0;
}

/* Are links from index from - 1 on in order (the ones before it are)? */
static int
sorted_from(const struct links *l, size_t from)
{
	for (size_t i = from > 1 ? from : 1; i < l->n; i++)
		if (link_cmp(&l->v[i - 1], &l->v[i]) >= 0)
			return 0;
	return 1;
}

/* Already sorted is the common case (aligners print in order). */
static int
is_sorted(const struct links *l)
{
	return sorted_from(l, 1);
}

/* Sort links and drop repeats. */
void
align_sort(struct links *l)
{
	size_t o = 0;

	if (is_sorted(l))
		return;
	qsort(l->v, l->n, sizeof *l->v, link_cmp);
	for (size_t i = 0; i < l->n; i++)
		if (o == 0 || link_cmp(&l->v[o - 1], &l->v[i]) != 0)
			l->v[o++] = l->v[i];
	l->n = o;
}

/*
 * Parse a decimal index at s[*i]; 0 when there are no digits.  Values
 * saturate at INDEX_CAP (2^40), far beyond any sentence, so huge numbers
 * stay out of range instead of wrapping.
 */
#define INDEX_CAP ((uint64_t)1 << 40)

static int
parse_index(const char *s, size_t len, size_t *i, uint64_t *out)
{
	uint64_t v = 0;
	size_t start = *i;

	while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (uint64_t)(s[*i] - '0');
		if (v > INDEX_CAP)
			v = INDEX_CAP;
		(*i)++;
	}
	*out = v;
	return *i > start;
}

/* Parse one field "a-b" or "a-b:w" occupying s[0..len); columns are worked out only for messages. */
static int
parse_field(const char *line, size_t off, size_t len, const struct align_opts *o,
	    uint32_t nsrc, uint32_t ntgt, const char *file, long lineno,
	    struct links *out, struct ferry_err *err)
{
	const char *s = line + off;
	char q[ERR_QUOTE_MAX];
	uint64_t a, b;
	size_t i = 0, a_at, b_at, a_len, b_len;
	float w = 1.0f;

	a_at = i;
	int ok = parse_index(s, len, &i, &a);
	a_len = i - a_at;
	if (ok && i < len && s[i] == '-') {
		b_at = ++i;
		ok = parse_index(s, len, &i, &b);
		b_len = i - b_at;
	} else {
		ok = 0;
	}
	if (!ok || (i < len && s[i] != ':'))
		return err_at(err, EX_DATAERR, file, lineno, text_column(line, off),
			      "bad link '%s' (expected 'i-j': two non-negative integers joined by '-')",
			      err_quote(q, sizeof q, s, len));
	if (i < len) {
		char num[64], *end;
		size_t wl = len - i - 1;
		double d;

		if (wl == 0 || wl >= sizeof num)
			goto bad_weight;
		memcpy(num, s + i + 1, wl);
		num[wl] = '\0';
		errno = 0;
		d = strtod(num, &end);
		if (*end != '\0' || errno || !isfinite(d) || d < 0 || d > 1)
			goto bad_weight;
		w = (float)d;
		out->weighted = 1;
	}
	if (o->reverse) {
		uint64_t tmp = a;
		a = b;
		b = tmp;
		size_t t1 = a_at, t2 = a_len;
		a_at = b_at;
		a_len = b_len;
		b_at = t1;
		b_len = t2;
	}
	if (o->one_based) {
		if (a == 0 || b == 0)
			return err_at(err, EX_DATAERR, file, lineno, text_column(line, off),
				      "link '%s' has index 0 (expected 1-based indices, as --one-based says)",
				      err_quote(q, sizeof q, s, len));
		a--;
		b--;
	}
	if (a >= nsrc || b >= ntgt) {
		int src = a >= nsrc;
		err_at(err, EX_DATAERR, file, lineno, text_column(line, off),
		       "link '%s': %s index %.*s is out of range (the %s has %u token%s)",
		       err_quote(q, sizeof q, s, len), src ? "source" : "target", (int)(src ? a_len : b_len),
		       s + (src ? a_at : b_at), src ? "source" : "target", src ? nsrc : ntgt,
		       (src ? nsrc : ntgt) == 1 ? "" : "s");
		return ALIGN_RANGE;
	}
	links_push(out, (uint32_t)a, (uint32_t)b, w);
	return 0;
bad_weight:
	return err_at(err, EX_DATAERR, file, lineno, text_column(line, off),
		      "link '%s' has a bad weight (expected a number from 0 to 1 after ':')",
		      err_quote(q, sizeof q, s, len));
}

/* The up to nine digits at p (ten bytes in reach) as a number into *v; how many there are. */
static inline size_t
plain_digits(const char *p, uint32_t *v)
{
	size_t n = 0;
	uint32_t d;

	*v = 0;
	while ((d = (uint32_t)(unsigned char)p[n] - '0') <= 9 && n < 9) {
		*v = *v * 10 + d;
		n++;
	}
	return n;
}

/* The longest plain field, "999999999-999999999", and the space after it. */
#define PLAIN_FIELD_MAX 20

/*
 * The common line, 0-based "s-t" fields one space or more apart, parsed
 * from its start while PLAIN_FIELD_MAX bytes are left (so no byte test
 * needs a bound), with room for every link made at once (a field and its
 * space take four bytes at least).  Stops before anything else: a
 * weight, a tab, a sign, a tenth digit, a link out of range; align_parse
 * reads on from there as before, so the links and errors are the same.
 * Returns where it stopped; *sorted is 0 unless every link is after the
 * one before it.
 */
static size_t
parse_plain(const char *line, size_t len, uint32_t nsrc, uint32_t ntgt, struct links *out, int *sorted)
{
	size_t i = 0;
	uint32_t pa = 0, pb = 0;

	if (len < PLAIN_FIELD_MAX)
		return 0;
	VEC_GROW(out->v, out->cap, len / 4 + 1);
	struct link *v = out->v;
	size_t n = out->n;
	while (i + PLAIN_FIELD_MAX < len) {
		if (line[i] == ' ') {
			i++;
			continue;
		}
		uint32_t a, b;
		size_t da = plain_digits(line + i, &a), j = i + da;
		if (da == 0 || line[j] != '-')
			break;
		size_t db = plain_digits(line + j + 1, &b);
		j += 1 + db;
		if (db == 0 || line[j] != ' ' || a >= nsrc || b >= ntgt)
			break;
		if (n > 0 && (a < pa || (a == pa && b <= pb)))
			*sorted = 0;
		v[n++] = (struct link){ .s = a, .t = b, .w = 1.0f };
		pa = a;
		pb = b;
		i = j;
	}
	out->n = n;
	return i;
}

/* A Pharaoh line into out: every field, then repeats refused. */
int
align_parse(const char *line, size_t len, const struct align_opts *o,
	    uint32_t nsrc, uint32_t ntgt, const char *file, long lineno,
	    struct links *out, struct ferry_err *err)
{
	size_t i = 0, ordered = 0;

	links_reset(out);
	if (!o->reverse && !o->one_based) {
		int sorted = 1;
		i = parse_plain(line, len, nsrc, ntgt, out, &sorted);
		ordered = sorted ? out->n : 0;   /* links known to be in order */
	}
	while (i < len) {
		if (line[i] == ' ') {
			i++;
			continue;
		}
		/* the usual field, "a-b" before a space or the end, in one walk */
		uint32_t a = 0, b = 0;
		size_t j = i, da = 0, db = 0;
		for (; j < len && line[j] >= '0' && line[j] <= '9' && da < 9; j++, da++)
			a = a * 10 + (uint32_t)(line[j] - '0');
		if (da > 0 && j < len && line[j] == '-')
			for (j++; j < len && line[j] >= '0' && line[j] <= '9' && db < 9; j++, db++)
				b = b * 10 + (uint32_t)(line[j] - '0');
		if (db > 0 && (j == len || line[j] == ' ')) {
			if (o->reverse) {
				uint32_t t = a;
				a = b;
				b = t;
			}
			if (!o->one_based || (a > 0 && b > 0)) {
				a -= o->one_based ? 1 : 0;
				b -= o->one_based ? 1 : 0;
				if (a < nsrc && b < ntgt) {
					links_push(out, a, b, 1.0f);
					i = j;
					continue;
				}
			}
		}
		/* anything else, and every error, field by field as written */
		size_t w = text_ws_at(line, len, i);
		if (w) {
			i += w;
			continue;
		}
		size_t start = i;
		while (i < len && !text_ws_at(line, len, i))
			i++;
		int rc = parse_field(line, start, i - start, o, nsrc, ntgt, file, lineno, out, err);
		if (rc < 0)
			return rc;
	}
	if (sorted_from(out, ordered))
		return 0;
	/* Find the first repeated link in file order, to name it. */
	size_t n = out->n;
	qsort(out->v, n, sizeof *out->v, link_cmp);
	for (size_t k = 1; k < n; k++) {
		if (link_cmp(&out->v[k - 1], &out->v[k]) == 0) {
			uint32_t s = out->v[k].s, t = out->v[k].t;
			if (o->reverse) {
				uint32_t tmp = s;
				s = t;
				t = tmp;
			}
			s += o->one_based ? 1 : 0;
			t += o->one_based ? 1 : 0;
			return err_at(err, EX_DATAERR, file, lineno, 0,
				      "duplicate link '%u-%u' (expected each link once)", s, t);
		}
	}
	return 0;
}

/* Append a decimal number; printf is the import's hottest call otherwise. */
static void
add_uint(struct buf *out, uint32_t v)
{
	char d[10];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	buf_grow(out, (size_t)n);
	while (n)
		out->s[out->len++] = d[--n];
	out->s[out->len] = '\0';
}

/* Links as a Pharaoh line ("0-0 1-2", weights after ':'). */
void
align_format(const struct links *l, struct buf *out)
{
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			buf_addc(out, ' ');
		add_uint(out, l->v[i].s);
		buf_addc(out, '-');
		add_uint(out, l->v[i].t);
		if (l->weighted)
			buf_addf(out, ":%g", (double)l->v[i].w);
	}
}

static const char *const sym_names[SYM_COUNT] = {
	"intersect", "union", "grow-diag", "grow-diag-final", "grow-diag-final-and",
};

/* The name of a symmetrisation, as --symmetrize takes it. */
const char *
align_sym_name(enum symmetrize m)
{
	return sym_names[m];
}

/* A --symmetrize name. */
int
align_sym_parse(const char *name)
{
	for (int i = 0; i < SYM_COUNT; i++)
		if (strcmp(sym_names[i], name) == 0)
			return i;
	return -1;
}

/* A link as one ordered key: source index high, target low. */
static uint64_t
link_key(uint32_t s, uint32_t t)
{
	return (uint64_t)s << 32 | t;
}

/* A free slot of a link set: no link has source index UINT32_MAX (the count cannot exceed it). */
#define SET_FREE UINT64_MAX

/* A set of link keys, open addressing with linear probing. */
struct link_set {
	uint64_t *v;
	size_t mask;
};

/* An empty set with room for n links at most half full. */
static void
set_init(struct link_set *h, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	h->v = xmalloc(cap * sizeof *h->v);
	memset(h->v, 0xff, cap * sizeof *h->v);
	h->mask = cap - 1;
}

/* The slot of key k: where it is, or the free slot where it would go. */
static size_t
set_slot(const struct link_set *h, uint64_t k)
{
	size_t i = (size_t)((k * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & h->mask;

	while (h->v[i] != SET_FREE && h->v[i] != k)
		i = (i + 1) & h->mask;
	return i;
}

/* Put key k into the set (no-op when it is there). */
static void
set_put(struct link_set *h, uint64_t k)
{
	h->v[set_slot(h, k)] = k;
}

/* 1 when (s, t) is in a sorted link set. */
static int
links_has(const struct links *l, uint32_t s, uint32_t t)
{
	struct link key = { s, t, 0 };

	/* an empty set may have no array at all: bsearch must not see NULL */
	return l->n && bsearch(&key, l->v, l->n, sizeof key, link_cmp) != NULL;
}

/* Weight of (s, t): from fwd if there, else rev; both are sorted. */
static float
link_weight(const struct links *fwd, const struct links *rev, uint32_t s, uint32_t t)
{
	struct link key = { s, t, 0 };
	struct link *hit = fwd->n ? bsearch(&key, fwd->v, fwd->n, sizeof key, link_cmp) : NULL;

	if (hit == NULL && rev->n)
		hit = bsearch(&key, rev->v, rev->n, sizeof key, link_cmp);
	return hit ? hit->w : 1.0f;
}

struct sym_state {
	const struct links *fwd, *rev;     /* sorted */
	struct link_set a;                 /* the result so far */
	struct link_set u;                 /* fwd and rev together: where growing may go */
	uint64_t *added;                   /* its links in the order they came */
	size_t nadded, added_cap;
	uint8_t *src_aligned, *tgt_aligned;
	uint32_t nsrc, ntgt;
};

/* Add link (s, t) to the result; both words are now aligned.  1 when it is new. */
static int
sym_add(struct sym_state *st, uint32_t s, uint32_t t)
{
	uint64_t k = link_key(s, t);
	size_t i = set_slot(&st->a, k);

	if (st->a.v[i] == k)
		return 0;
	st->a.v[i] = k;
	VEC_GROW(st->added, st->added_cap, st->nadded + 1);
	st->added[st->nadded++] = k;
	st->src_aligned[s] = 1;
	st->tgt_aligned[t] = 1;
	return 1;
}

/* A binary min-heap of link keys: the links a scan has still to visit. */
struct key_heap {
	uint64_t *v;
	size_t n, cap;
};

/* Move v[i] down to its place. */
static void
heap_down(struct key_heap *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < h->n && h->v[l] < h->v[m])
			m = l;
		if (l + 1 < h->n && h->v[l + 1] < h->v[m])
			m = l + 1;
		if (m == i)
			return;
		uint64_t tmp = h->v[i];
		h->v[i] = h->v[m];
		h->v[m] = tmp;
		i = m;
	}
}

/* Add key k. */
static void
heap_push(struct key_heap *h, uint64_t k)
{
	size_t i;

	VEC_GROW(h->v, h->cap, h->n + 1);
	for (i = h->n++; i > 0 && h->v[(i - 1) / 2] > k; i = (i - 1) / 2)
		h->v[i] = h->v[(i - 1) / 2];
	h->v[i] = k;
}

/* Take the smallest key out. */
static uint64_t
heap_pop(struct key_heap *h)
{
	uint64_t k = h->v[0];

	h->v[0] = h->v[--h->n];
	heap_down(h, 0);
	return k;
}

/* Visit link k: add the neighbours (8 directions) that the union has and whose source or target word is free. */
static void
grow_from(struct sym_state *st, uint64_t k, struct key_heap *now, struct key_heap *later)
{
	static const int nb[8][2] = {
		{ -1, 0 }, { 0, -1 }, { 1, 0 }, { 0, 1 },
		{ -1, -1 }, { -1, 1 }, { 1, -1 }, { 1, 1 },
	};
	uint32_t s = (uint32_t)(k >> 32), t = (uint32_t)k;

	for (int i = 0; i < 8; i++) {
		long ns = (long)s + nb[i][0], nt = (long)t + nb[i][1];
		if (ns < 0 || nt < 0 || ns >= st->nsrc || nt >= st->ntgt)
			continue;
		uint32_t qs = (uint32_t)ns, qt = (uint32_t)nt;
		if ((st->src_aligned[qs] && st->tgt_aligned[qt]) ||
		    st->u.v[set_slot(&st->u, link_key(qs, qt))] == SET_FREE || !sym_add(st, qs, qt))
			continue;
		/* ahead of the scan: visited in this one; behind: in the next */
		heap_push(link_key(qs, qt) > k ? now : later, link_key(qs, qt));
	}
}

/* GROW-DIAG: see the essay at the top. */
static void
grow_diag(struct sym_state *st)
{
	struct key_heap now = { 0 }, later = { 0 };

	for (size_t i = 0; i < st->nadded; i++)
		heap_push(&now, st->added[i]);
	while (now.n > 0) {
		while (now.n > 0)
			grow_from(st, heap_pop(&now), &now, &later);
		struct key_heap next = later;
		later = now;            /* empty: its memory is reused */
		now = next;
	}
	free(now.v);
	free(later.v);
}

/* FINAL (both == 0) or FINAL-AND (both == 1) over one direction. */
static void
final(struct sym_state *st, const struct links *dir, int both)
{
	for (size_t i = 0; i < dir->n; i++) {
		uint32_t s = dir->v[i].s, t = dir->v[i].t;
		int free_s = !st->src_aligned[s], free_t = !st->tgt_aligned[t];
		if (both ? (free_s && free_t) : (free_s || free_t))
			sym_add(st, s, t);
	}
}

/* Order link keys. */
static int
key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Symmetrise fwd and rev with heuristic m (see the essay at the top). */
void
align_symmetrize(const struct links *fwd, const struct links *rev,
		 uint32_t nsrc, uint32_t ntgt, enum symmetrize m, struct links *out)
{
	struct sym_state st = { .fwd = fwd, .rev = rev, .nsrc = nsrc, .ntgt = ntgt };
	struct links sorted[2] = { { 0 }, { 0 } };

	links_reset(out);
	out->weighted = fwd->weighted || rev->weighted;
	if (nsrc == 0 || ntgt == 0)
		return;
	/* align_parse leaves links sorted; anything else is sorted here */
	if (!is_sorted(fwd)) {
		links_copy(&sorted[0], fwd);
		align_sort(&sorted[0]);
		st.fwd = fwd = &sorted[0];
	}
	if (!is_sorted(rev)) {
		links_copy(&sorted[1], rev);
		align_sort(&sorted[1]);
		st.rev = rev = &sorted[1];
	}
	set_init(&st.a, fwd->n + rev->n);
	st.src_aligned = xcalloc(nsrc, 1);
	st.tgt_aligned = xcalloc(ntgt, 1);
	for (size_t i = 0; i < rev->n; i++)
		if (m == SYM_UNION || links_has(fwd, rev->v[i].s, rev->v[i].t))
			sym_add(&st, rev->v[i].s, rev->v[i].t);
	if (m == SYM_UNION)
		for (size_t i = 0; i < fwd->n; i++)
			sym_add(&st, fwd->v[i].s, fwd->v[i].t);
	if (m >= SYM_GROW_DIAG) {
		/* one probe per neighbour instead of a search in each direction */
		set_init(&st.u, fwd->n + rev->n);
		for (size_t i = 0; i < fwd->n; i++)
			set_put(&st.u, link_key(fwd->v[i].s, fwd->v[i].t));
		for (size_t i = 0; i < rev->n; i++)
			set_put(&st.u, link_key(rev->v[i].s, rev->v[i].t));
		grow_diag(&st);
		free(st.u.v);
	}
	if (m == SYM_GROW_DIAG_FINAL || m == SYM_GROW_DIAG_FINAL_AND) {
		final(&st, fwd, m == SYM_GROW_DIAG_FINAL_AND);
		final(&st, rev, m == SYM_GROW_DIAG_FINAL_AND);
	}
	if (st.nadded)
		qsort(st.added, st.nadded, sizeof *st.added, key_cmp);
	for (size_t i = 0; i < st.nadded; i++) {
		uint32_t s = (uint32_t)(st.added[i] >> 32), t = (uint32_t)st.added[i];
		links_push(out, s, t, out->weighted ? link_weight(fwd, rev, s, t) : 1.0f);
	}
	free(st.a.v);
	free(st.added);
	free(st.src_aligned);
	free(st.tgt_aligned);
	links_release(&sorted[0]);
	links_release(&sorted[1]);
}

/* Links a->c through b: (a, b) in ab and (b, c) in bc, weights multiplied. */
void
align_compose(const struct links *ab, const struct links *bc, struct links *out)
{
	links_reset(out);
	out->weighted = ab->weighted || bc->weighted;
	for (size_t i = 0; i < ab->n; i++) {
		/* bc is sorted by its first index: find the run for ab->v[i].t */
		size_t lo = 0, hi = bc->n;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (bc->v[mid].s < ab->v[i].t)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t k = lo; k < bc->n && bc->v[k].s == ab->v[i].t; k++)
			links_push(out, ab->v[i].s, bc->v[k].t, ab->v[i].w * bc->v[k].w);
	}
	align_sort(out);
}

/* ---- the project's binary form ------------------------------------------------ */

/* Write v at *p as a little-endian base-128 varint (at most 5 bytes). */
static inline void
put_varint(unsigned char **p, uint32_t v)
{
	while (v >= 0x80) {
		*(*p)++ = (unsigned char)((v & 0x7f) | 0x80);
		v >>= 7;
	}
	*(*p)++ = (unsigned char)v;
}

/* Read a varint at b[*i]; -1 when it is cut short or longer than 32 bits. */
static int
get_varint(const unsigned char *b, size_t n, size_t *i, uint32_t *out)
{
	uint32_t v = 0;

	for (int shift = 0; shift < 35; shift += 7) {
		if (*i >= n)
			return -1;
		unsigned char c = b[(*i)++];
		if (shift == 28 && c > 0x0f)
			return -1;
		v |= (uint32_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*out = v;
			return 0;
		}
	}
	return -1;
}

/*
 * The weight a link has after a trip through its Pharaoh text ("%g"):
 * the binary form keeps what the text form kept, so a project matches
 * the same either way.
 */
static float
text_weight(float w)
{
	char num[32];

	snprintf(num, sizeof num, "%g", (double)w);
	return (float)strtod(num, NULL);
}

/*
 * One link against the one before it (ps, pt): most links are on the next
 * source word (ds <= 1) near the diagonal (t close to pt + ds), one byte
 * 0b0DZZZZZZ with ds = D and ZZZZZZ the zigzag of t - (pt + ds); a run of
 * 2 to LINK_RUN_MAX links each one word on in both (ds = 1, t = pt + 1) is
 * the one byte 0x7F + its length (0x81-0xFF); any other link is the byte
 * 0x80, the varint of ds and the varint of t.
 */
#define LINK_SHORT_ZZ 64
#define LINK_RUN_MAX 128

/* Zigzag of a difference of two indices: 0, -1, 1, -2, ... as 0, 1, 2, 3, ... */
static uint64_t
zigzag(int64_t d)
{
	return d >= 0 ? (uint64_t)d << 1 : ((uint64_t)(-(d + 1)) << 1) | 1;
}

/* Is link i one word on from link i - 1 in both sentences? */
static int
diagonal_step(const struct links *l, size_t i, uint32_t ps, uint32_t pt)
{
	return i < l->n && l->v[i].s == ps + 1 && l->v[i].t == pt + 1;
}

/* The most bytes a link takes: its byte, two varints, a weight. */
#define LINK_BYTES_MAX (1 + 5 + 5 + 4)

void
align_encode(const struct links *l, struct buf *out)
{
	uint32_t ps = 0, pt = 0;

	/* room once, then bytes written in place: buf_addc's checks were a sixth of the import's writer */
	buf_grow(out, 1 + l->n * LINK_BYTES_MAX);
	unsigned char *p = (unsigned char *)out->s + out->len;
	*p++ = l->weighted ? ALIGN_BIN_WEIGHTED : 0;
	for (size_t i = 0; i < l->n; i++) {
		uint32_t s = l->v[i].s, t = l->v[i].t, ds = s - ps;
		/* a run of diagonal steps (not with weights: each has its own) */
		size_t run = 0;
		while (!l->weighted && i > 0 && run < LINK_RUN_MAX && diagonal_step(l, i + run, ps + (uint32_t)run, pt + (uint32_t)run))
			run++;
		if (run >= 2) {
			*p++ = (unsigned char)(0x7F + run);
			i += run - 1;
			ps = l->v[i].s;
			pt = l->v[i].t;
			continue;
		}
		uint64_t zz = zigzag((int64_t)t - ((int64_t)pt + ds));
		if (ds <= 1 && zz < LINK_SHORT_ZZ) {
			*p++ = (unsigned char)(ds << 6 | zz);
		} else {
			*p++ = 0x80;
			put_varint(&p, ds);
			put_varint(&p, t);
		}
		ps = s;
		pt = t;
		if (l->weighted) {
			float w = text_weight(l->v[i].w);
			uint32_t bits;
			memcpy(&bits, &w, sizeof bits);
			for (int k = 0; k < 4; k++)
				*p++ = (unsigned char)(bits >> (8 * k) & 0xff);
		}
	}
	out->len = (size_t)(p - (unsigned char *)out->s);
	out->s[out->len] = '\0';
}

/*
 * The next link at b[*i] after (ps, pt) into *s, *t, and how many
 * diagonal steps follow it in the same byte into *more (a run's first is
 * this link): 0, or -1 when cut short or beyond 32 bits.
 */
static inline int
get_link(const unsigned char *b, size_t n, size_t *i, uint32_t ps, uint32_t pt, uint32_t *s, uint32_t *t,
	 uint32_t *more)
{
	uint32_t ds;

	*more = 0;
	if (*i >= n)
		return -1;
	unsigned char c = b[(*i)++];
	if (c > 0x80) {
		*more = (uint32_t)(c - 0x7F) - 1;
		ds = 1;
		if (pt == UINT32_MAX)
			return -1;
		*t = pt + 1;
	} else if (c == 0x80) {
		if (get_varint(b, n, i, &ds) < 0 || get_varint(b, n, i, t) < 0)
			return -1;
	} else {
		ds = c >> 6;
		uint32_t zz = c & (LINK_SHORT_ZZ - 1);
		int64_t v = (int64_t)pt + ds + ((zz & 1) ? -(int64_t)(zz >> 1) - 1 : (int64_t)(zz >> 1));
		if (v < 0 || v > UINT32_MAX)
			return -1;
		*t = (uint32_t)v;
	}
	if (ds > UINT32_MAX - ps || (uint64_t)ps + ds + *more > UINT32_MAX || (uint64_t)*t + *more > UINT32_MAX)
		return -1;
	*s = ps + ds;
	return 0;
}

/*
 * The common case of an unweighted list: links of one byte each (a short
 * link, near the one before), from b[i] on after (*s, *t), while they are
 * in range, in order and there is room.  It stops before anything else, a
 * run, a long link or damage, for get_link to read (and name) it; the
 * index of that byte.
 */
static size_t
decode_short(const unsigned char *b, size_t i, size_t n, uint32_t nsrc, uint32_t ntgt, uint32_t *s, uint32_t *t,
	     struct links *out)
{
	uint32_t ps = *s, pt = *t;

	for (; i < n && b[i] < 0x80 && out->n < out->cap; i++) {
		uint32_t ds = b[i] >> 6, zz = b[i] & (LINK_SHORT_ZZ - 1);
		int64_t v = (int64_t)pt + ds + ((int64_t)(zz >> 1) ^ -(int64_t)(zz & 1));
		if (v < 0 || v >= ntgt || ps + ds >= nsrc || (ds == 0 && out->n && v <= pt))
			break;
		ps += ds;
		pt = (uint32_t)v;
		out->v[out->n++] = (struct link){ .s = ps, .t = pt, .w = 1.0f };
	}
	*s = ps;
	*t = pt;
	return i;
}

int
align_decode(const void *data, size_t n, uint32_t nsrc, uint32_t ntgt, struct links *out,
	     struct ferry_err *err)
{
	const unsigned char *b = data;
	size_t i = 1;
	uint32_t s = 0, t = 0, more;

	links_reset(out);
	if (n == 0 || (b[0] & ~ALIGN_BIN_WEIGHTED) != 0)
		return err_set(err, EX_DATAERR, "not a link list");
	out->weighted = (b[0] & ALIGN_BIN_WEIGHTED) != 0;
	/* every byte holds a link at least: room for that many at once */
	VEC_GROW(out->v, out->cap, n);
	while (i < n) {
		if (!out->weighted && (i = decode_short(b, i, n, nsrc, ntgt, &s, &t, out)) == n)
			break;
		float w = 1.0f;
		uint32_t ps = s, pt = t;
		if (get_link(b, n, &i, ps, pt, &s, &t, &more) < 0)
			return err_set(err, EX_DATAERR, "a link is damaged");
		if (out->weighted) {
			uint32_t bits = 0;
			if (more)
				return err_set(err, EX_DATAERR, "a run of links in a weighted list");
			if (n - i < 4)
				return err_set(err, EX_DATAERR, "a weight is cut short");
			for (int k = 0; k < 4; k++)
				bits |= (uint32_t)b[i + (size_t)k] << (8 * k);
			i += 4;
			memcpy(&w, &bits, sizeof w);
			if (!(w >= 0 && w <= 1))
				return err_set(err, EX_DATAERR, "link %u-%u has a bad weight", s, t);
		}
		if (out->n && s == ps && t <= pt)
			return err_set(err, EX_DATAERR, "link %u-%u is out of order", s, t);
		for (uint32_t k = 0;; k++, s++, t++) {
			if (s >= nsrc || t >= ntgt)
				return err_set(err, EX_DATAERR, "link %u-%u is out of range (%u source, %u target tokens)",
					       s, t, nsrc, ntgt);
			if (out->n == out->cap)   /* a run of several links in one byte */
				VEC_GROW(out->v, out->cap, out->n + 1);
			out->v[out->n++] = (struct link){ .s = s, .t = t, .w = w };
			if (k == more)
				break;
		}
	}
	return 0;
}

long
align_encoded_count(const void *data, size_t n)
{
	const unsigned char *b = data;
	size_t i = 1;
	long count = 0;
	uint32_t s = 0, t = 0, more;

	if (n == 0)
		return -1;
	size_t extra = (b[0] & ALIGN_BIN_WEIGHTED) ? 4 : 0;
	while (i < n) {
		if (get_link(b, n, &i, s, t, &s, &t, &more) < 0 || n - i < extra)
			return -1;
		i += extra;
		s += more;
		t += more;
		count += 1 + (long)more;
	}
	return count;
}
