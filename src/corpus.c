/* corpus.c — containers of a sentence pair. */
#include <stdlib.h>
#include <string.h>

#include "ferry/corpus.h"
#include "ferry/mem.h"

void
toks_reset(struct toks *t)
{
	t->len = 0;
	t->n = 0;
	if (t->text)
		t->text[0] = '\0';
}

void
toks_release(struct toks *t)
{
	free(t->text);
	free(t->off);
	memset(t, 0, sizeof *t);
}

void
toks_add(struct toks *t, const char *tok, size_t len)
{
	size_t need = t->len + len + 2;

	VEC_GROW(t->text, t->cap, need);
	VEC_GROW(t->off, t->ncap, (size_t)t->n + 1);
	if (t->n > 0)
		t->text[t->len++] = ' ';
	t->off[t->n++] = (uint32_t)t->len;
	memcpy(t->text + t->len, tok, len);
	t->len += len;
	t->text[t->len] = '\0';
}

const char *
toks_get(const struct toks *t, uint32_t i, size_t *len)
{
	size_t end = (i + 1 < t->n) ? t->off[i + 1] - 1 : t->len;

	*len = end - t->off[i];
	return t->text + t->off[i];
}

/* Tokens [a, b) of t, as the text holds them, onto out. */
void
toks_span(const struct toks *t, uint32_t a, uint32_t b, struct buf *out)
{
	if (a >= b || b > t->n)
		return;
	size_t from = t->off[a], to = b < t->n ? t->off[b] - 1 : t->len;
	buf_add(out, t->text + from, to - from);
}

void
toks_swap(struct toks *a, struct toks *b)
{
	struct toks t = *a;

	*a = *b;
	*b = t;
}

void
toks_set_joined(struct toks *t, const char *joined, size_t len)
{
	/*
	 * What toks_add would make of the pieces between single spaces, the
	 * last piece dropped when empty: the text itself, without a final
	 * space, copied at once; an offset after every space.
	 */
	toks_reset(t);
	if (len == 0)
		return;
	if (joined[len - 1] == ' ')
		len--;
	VEC_GROW(t->text, t->cap, len + 2);
	memcpy(t->text, joined, len);
	t->text[len] = '\0';
	t->len = len;
	/* a token after every space, and one before them all */
	VEC_GROW(t->off, t->ncap, len + 1);
	uint32_t *off = t->off, n = 0;
	size_t i = 0;
	off[n++] = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/*
	 * Eight bytes at a time: XOR with spaces makes each space a zero
	 * byte; a byte's top bit after adding 0x7f to its low seven bits, or
	 * its own, is set unless it is zero (no carry crosses a byte), so the
	 * complement marks the spaces, lowest address in the lowest byte.
	 */
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, t->text + i, sizeof w);
		w ^= 0x2020202020202020ull;
		uint64_t sp = ~(((w & 0x7f7f7f7f7f7f7f7full) + 0x7f7f7f7f7f7f7f7full) | w) & 0x8080808080808080ull;
		for (; sp; sp &= sp - 1)
			off[n++] = (uint32_t)(i + (size_t)(__builtin_ctzll(sp) >> 3) + 1);
	}
#endif
	for (; i < len; i++)
		if (t->text[i] == ' ')
			off[n++] = (uint32_t)(i + 1);
	t->n = n;
}

void
spans_reset(struct spans *s)
{
	s->n = 0;
}

void
spans_release(struct spans *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}

struct span *
spans_push(struct spans *s, uint32_t start, uint32_t end, const char *label,
	   size_t label_len)
{
	struct span *sp;

	VEC_GROW(s->v, s->cap, s->n + 1);
	sp = &s->v[s->n++];
	sp->start = start;
	sp->end = end;
	if (label_len >= FERRY_LABEL_MAX)
		label_len = FERRY_LABEL_MAX - 1;
	memcpy(sp->label, label, label_len);
	sp->label[label_len] = '\0';
	return sp;
}

static const char *const status_names[STATUS_COUNT] = {
	"pending", "accepted", "fixed", "rejected", "flagged", "skipped",
};

int
status_decides(enum pair_status s)
{
	return s == STATUS_ACCEPTED || s == STATUS_FIXED;
}

int
pair_id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int
pair_ids_contain(const int64_t *v, size_t n, int64_t id)
{
	return n && bsearch(&id, v, n, sizeof *v, pair_id_cmp) != NULL;
}

const char *
status_name(enum pair_status s)
{
	return (s >= 0 && s < STATUS_COUNT) ? status_names[s] : "pending";
}

int
status_parse(const char *name, size_t len)
{
	for (int i = 0; i < STATUS_COUNT; i++)
		if (strlen(status_names[i]) == len && memcmp(status_names[i], name, len) == 0)
			return i;
	return -1;
}

/* A comma-separated list of statuses as a bit mask (see corpus.h). */
int
status_parse_list(const char *list, unsigned *mask)
{
	*mask = 0;
	if (*list == '\0')
		return -1;
	while (*list) {
		size_t k = strcspn(list, ",");
		int s = status_parse(list, k);
		if (s < 0)
			return -1;
		*mask |= 1u << s;
		list += k + (list[k] == ',');
	}
	return 0;
}

void
pair_reset(struct pair *p)
{
	p->id = 0;
	toks_reset(&p->src);
	toks_reset(&p->tgt);
	toks_reset(&p->bt);
	p->has_bt = p->has_rev = p->has_gold = p->has_ner = 0;
	spans_reset(&p->ents);
	spans_reset(&p->gold);
	links_reset(&p->fwd);
	links_reset(&p->rev);
	links_reset(&p->sym);
	links_reset(&p->src_bt);
	links_reset(&p->bt_tgt);
	toks_reset(&p->ner_tags);
	toks_reset(&p->ner_probs);
	p->proj.n = 0;
	p->pins.n = 0;
	p->xs.n = 0;
	p->own.n = 0;
	p->status = STATUS_PENDING;
	p->version = 0;
	p->raw.len = 0;
	p->raw.load = 0;
	p->raw.encoded = 0;
}

void
pair_release(struct pair *p)
{
	toks_release(&p->src);
	toks_release(&p->tgt);
	toks_release(&p->bt);
	spans_release(&p->ents);
	free(p->ent_ids);
	spans_release(&p->gold);
	links_release(&p->fwd);
	links_release(&p->rev);
	links_release(&p->sym);
	links_release(&p->src_bt);
	links_release(&p->bt_tgt);
	toks_release(&p->ner_tags);
	toks_release(&p->ner_probs);
	free(p->proj.v);
	free(p->pins.v);
	for (size_t i = 0; i < p->xs.cap; i++) {
		toks_release(&p->xs.v[i].src);
		spans_release(&p->xs.v[i].ents);
		links_release(&p->xs.v[i].fwd);
		links_release(&p->xs.v[i].rev);
		links_release(&p->xs.v[i].sym);
	}
	free(p->xs.v);
	free(p->own.v);
	free(p->raw.text);
	memset(p, 0, sizeof *p);
}

void
spans_copy(struct spans *dst, const struct spans *src)
{
	VEC_GROW(dst->v, dst->cap, src->n + 1);
	if (src->n)
		memcpy(dst->v, src->v, src->n * sizeof *src->v);
	dst->n = src->n;
}

int
spans_equal(const struct spans *x, const struct spans *y)
{
	if (x->n != y->n)
		return 0;
	for (size_t i = 0; i < x->n; i++)
		if (x->v[i].start != y->v[i].start || x->v[i].end != y->v[i].end ||
		    strcmp(x->v[i].label, y->v[i].label) != 0)
			return 0;
	return 1;
}

int
projs_equal(const struct projs *a, const struct projs *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct proj *x = &a->v[i], *y = &b->v[i];
		if (x->span.start != y->span.start || x->span.end != y->span.end || x->entity != y->entity ||
		    x->score != y->score || x->margin != y->margin || x->by_reviewer != y->by_reviewer ||
		    x->support != y->support ||
		    strcmp(x->span.label, y->span.label) != 0 || strcmp(x->method, y->method) != 0)
			return 0;
	}
	return 1;
}

struct xsrc *
xsrcs_push(struct xsrcs *xs, int source)
{
	if (xs->n == xs->cap) {
		size_t cap = xs->cap ? 2 * xs->cap : 4;
		xs->v = xrealloc(xs->v, cap * sizeof *xs->v);
		memset(xs->v + xs->cap, 0, (cap - xs->cap) * sizeof *xs->v);
		xs->cap = cap;
	}
	struct xsrc *x = &xs->v[xs->n++];
	x->source = source;
	toks_reset(&x->src);
	spans_reset(&x->ents);
	links_reset(&x->fwd);
	links_reset(&x->rev);
	links_reset(&x->sym);
	x->has_rev = 0;
	return x;
}

int
pair_source_view(const struct pair *p, int k, struct pair *view)
{
	*view = *p;
	view->pins.n = 0;
	view->xs.n = 0;
	view->own.n = 0;
	if (k == 0)
		return 0;
	for (size_t i = 0; i < p->xs.n; i++) {
		const struct xsrc *x = &p->xs.v[i];
		if (x->source != k)
			continue;
		view->src = x->src;
		view->ents = x->ents;
		view->ent_ids = NULL;
		view->fwd = x->fwd;
		view->rev = x->rev;
		view->sym = x->sym;
		view->has_rev = x->has_rev;
		view->has_bt = 0;
		links_reset(&view->src_bt);
		links_reset(&view->bt_tgt);
		return 0;
	}
	return -1;
}

int
sprojs_equal(const struct sprojs *a, const struct sprojs *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct sproj *x = &a->v[i], *y = &b->v[i];
		if (x->source != y->source || x->span.start != y->span.start || x->span.end != y->span.end ||
		    x->score != y->score || strcmp(x->span.label, y->span.label) != 0)
			return 0;
	}
	return 1;
}
