/*
 * match-heur.c — the alignment heuristics, which project without scores.
 *
 * elp is a faithful re-implementation of the Easy Label Projection
 * reference, quirks included (its steps are listed above
 * match_heuristic_elp): the point is to reproduce its output token for
 * token, so do not "fix" it.  general exposes the knobs such heuristics
 * usually have (gap filling d, k ranges per entity, only links of both
 * directions, a length ratio thr) and settles overlaps with greedy.
 * Neither optimises, so reviewers' pins are applied to their answer
 * afterwards rather than given to a solver.
 */
#include <stdlib.h>
#include <string.h>

#include "ferry/scheme.h"
#include "match-int.h"

/*
 * An entity's projected token list while the heuristic works on it:
 * n tokens from off in ws->heur.ids (an offset, since the lists grow).
 */
struct hproj {
	size_t off, n;
	int    entity;
};

void
match_heur_release(struct heur_ws *hw)
{
	free(hw->ids);
	free(hw->h);
	free(hw->tmp);
	free(hw->gs);
	free(hw->ge);
	free(hw->owner);
	free(hw->tags);
	spans_release(&hw->sp);
	free(hw->r);
	memset(hw, 0, sizeof *hw);
}

/* qsort order of token indices. */
static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort v[0..n) (by insertion where short, as an entity's tokens are) and drop repeats; the new length. */
static size_t
sort_unique(uint32_t *v, size_t n)
{
	size_t u = 0;

	if (n > 16) {
		qsort(v, n, sizeof *v, u32_cmp);
	} else {
		for (size_t i = 1; i < n; i++) {
			uint32_t x = v[i];
			size_t j = i;
			for (; j > 0 && v[j - 1] > x; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (u == 0 || v[u - 1] != v[i])
			v[u++] = v[i];
	return u;
}

/* Sorted unique target tokens linked to source tokens [a, b), in ws->heur.tmp. */
static size_t
aligned_targets(match_ws *ws, uint32_t a, uint32_t b)
{
	struct heur_ws *hw = &ws->heur;
	const struct links *l = &ws->l;
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].s >= a && l->v[i].s < b) {
			VEC_GROW(hw->tmp, hw->tmp_cap, n + 1);
			hw->tmp[n++] = l->v[i].t;
		}
	return sort_unique(hw->tmp, n);
}

/* ASCII punctuation, as Python's string.punctuation (the ELP reference). */
static int
ascii_punct_only(const char *s, size_t len)
{
	static const char punct[] = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

	for (size_t i = 0; i < len; i++)
		if (s[i] == '\0' || strchr(punct, s[i]) == NULL)
			return 0;
	return len > 0;
}

/*
 * ELP step 3 over sorted unique tokens ids[0..u), u > 0: runs of
 * consecutive tokens form groups; group i absorbs group i+1 while
 * last(i+1) - first(i) <= 2; the longest group (the first of equals)
 * is [*first, *last].
 */
static void
elp_longest_group(struct heur_ws *hw, const uint32_t *ids, size_t u, uint32_t *first, uint32_t *last)
{
	/* groups of consecutive tokens: [gs[g], ge[g]] inclusive */
	VEC_GROW(hw->gs, hw->gs_cap, u);
	VEC_GROW(hw->ge, hw->ge_cap, u);
	uint32_t *gs = hw->gs, *ge = hw->ge;
	size_t ng = 0, best = 0;

	for (size_t i = 0; i < u; i++) {
		if (ng && ids[i] == ge[ng - 1] + 1) {
			ge[ng - 1] = ids[i];
		} else {
			gs[ng] = ge[ng] = ids[i];
			ng++;
		}
	}
	for (size_t i = 0; i + 1 < ng; ) {
		if (ge[i + 1] - gs[i] <= 2) {
			ge[i] = ge[i + 1];
			memmove(gs + i + 1, gs + i + 2, (ng - i - 2) * sizeof *gs);
			memmove(ge + i + 1, ge + i + 2, (ng - i - 2) * sizeof *ge);
			ng--;
		} else {
			i++;
		}
	}
	for (size_t g = 1; g < ng; g++)
		if (ge[g] - gs[g] > ge[best] - gs[best])
			best = g;
	*first = gs[best];
	*last = ge[best];
}

/* Room for n more tokens at the end of ws->heur.ids; where they go. */
static uint32_t *
ids_room(struct heur_ws *hw, size_t n)
{
	VEC_GROW(hw->ids, hw->ids_cap, hw->nids + n);
	return hw->ids + hw->nids;
}

/* ELP steps 1-3 for entity e into *h; 0 when nothing is left to project. */
static int
elp_entity(match_ws *ws, const struct pair *p, size_t e, struct hproj *h)
{
	struct heur_ws *hw = &ws->heur;
	uint32_t first, last;
	size_t k = aligned_targets(ws, p->ents.v[e].start, p->ents.v[e].end), u = 0;
	uint32_t *ids = hw->tmp;

	for (size_t i = 0; i < k; i++) {
		size_t len;
		const char *t = toks_get(&p->tgt, ids[i], &len);
		if (!ascii_punct_only(t, len))
			ids[u++] = ids[i];
	}
	if (u == 0)
		return 0;
	elp_longest_group(hw, ids, u, &first, &last);
	h->n = last - first + 1;
	h->off = hw->nids;
	uint32_t *v = ids_room(hw, h->n);
	for (size_t i = 0; i < h->n; i++)
		v[i] = first + (uint32_t)i;
	hw->nids += h->n;
	h->entity = (int)e;
	return 1;
}

/* Do entries a and b (b the next) collide: last(a) >= first(b)? */
static int
elp_collide(const struct heur_ws *hw, const struct hproj *a, const struct hproj *b)
{
	return hw->ids[a->off + a->n - 1] >= hw->ids[b->off];
}

/* Remove entry i of h[0..*n). */
static void
elp_remove(struct hproj *h, size_t *n, size_t i)
{
	memmove(h + i, h + i + 1, (*n - i - 1) * sizeof *h);
	(*n)--;
}

/* ELP step 4: colliding neighbours of the same type merge into the union of their tokens. */
static void
elp_merge_same_type(const struct pair *p, struct heur_ws *hw, size_t *n)
{
	struct hproj *h = hw->h;

	for (size_t i = 0; i + 1 < *n; ) {
		struct hproj *a = &h[i], *b = &h[i + 1];
		if (!elp_collide(hw, a, b) ||
		    strcmp(p->ents.v[a->entity].label, p->ents.v[b->entity].label) != 0) {
			i++;
			continue;
		}
		/* the union goes after every list, which it may not overlap */
		uint32_t *m = ids_room(hw, a->n + b->n);
		memcpy(m, hw->ids + a->off, a->n * sizeof *m);
		memcpy(m + a->n, hw->ids + b->off, b->n * sizeof *m);
		a->off = hw->nids;
		a->n = sort_unique(m, a->n + b->n);
		hw->nids += a->n;
		elp_remove(h, n, i + 1);
	}
}

/* ELP step 5: of two colliding neighbours the longer stays (the later on equal length). */
static void
elp_keep_longer(struct heur_ws *hw, size_t *n)
{
	struct hproj *h = hw->h;

	for (size_t i = 0; i + 1 < *n; ) {
		if (elp_collide(hw, &h[i], &h[i + 1]))
			elp_remove(h, n, h[i].n > h[i + 1].n ? i + 1 : i);
		else
			i++;
	}
}

/* ELP step 6: write tags, later entries winning; read back with conlleval chunking. */
static void
elp_write(const struct pair *p, struct heur_ws *hw, size_t n, struct match_out *out)
{
	size_t nt = p->tgt.n;

	VEC_GROW(hw->owner, hw->owner_cap, nt + 1);
	VEC_GROW(hw->tags, hw->tags_cap, nt + 1);
	int *owner = hw->owner;
	struct tag *tags = hw->tags;
	for (size_t j = 0; j < nt; j++) {
		tags[j] = (struct tag){ .prefix = 'O' };
		owner[j] = -1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct hproj *h = &hw->h[i];
		const char *label = p->ents.v[h->entity].label;
		size_t label_len = strlen(label);
		for (size_t k = 0; k < h->n; k++) {
			uint32_t j = hw->ids[h->off + k];
			tags[j].prefix = k == 0 ? 'B' : 'I';
			tags[j].type = label;
			tags[j].type_len = label_len;
			owner[j] = h->entity;
		}
	}
	spans_reset(&hw->sp);
	scheme_decode(tags, nt, &hw->sp);
	for (size_t i = 0; i < hw->sp.n; i++) {
		const struct span *s = &hw->sp.v[i];
		match_out_add(out, owner[s->start], s->start, s->end, s->label);
	}
}

/*
 * Easy Label Projection, step by step as its reference does it:
 *  1. each entity (in source order) takes the target tokens aligned to it;
 *  2. tokens made only of ASCII punctuation are dropped; nothing left, no
 *     projection;
 *  3. runs of consecutive tokens form groups; group i absorbs group i+1
 *     (gap filled) while last(i+1) - first(i) <= 2, and the longest group
 *     (the first of equals) is kept;
 *  4. walking the list in source order, entry i "collides" with entry i+1
 *     when last(i) >= first(i+1) (so an entity projected left of its
 *     predecessor collides too); same-type collisions merge into the
 *     sorted union of their tokens (which may have holes);
 *  5. a second walk keeps the longer of any two colliding entries (the
 *     later one on equal length);
 *  6. tags are written entry by entry, B- on the first token, I- on the
 *     rest, later entries overwriting earlier ones; the tag sequence is
 *     read back with conlleval chunking, so a merged run with a hole
 *     (B-LOC O I-LOC) becomes two spans.
 */
void
match_heuristic_elp(match_ws *ws, const struct pair *p, struct match_out *out)
{
	struct heur_ws *hw = &ws->heur;
	size_t n = 0;

	hw->nids = 0;
	VEC_GROW(hw->h, hw->h_cap, p->ents.n + 1);
	for (size_t e = 0; e < p->ents.n; e++)
		n += (size_t)elp_entity(ws, p, e, &hw->h[n]);
	elp_merge_same_type(p, hw, &n);
	elp_keep_longer(hw, &n);
	elp_write(p, hw, n, out);
}

/* Keep the k longest of r[first..nr) (then the leftmost); the new nr. */
static size_t
keep_longest(struct match_cand *r, size_t first, size_t nr, int k)
{
	for (size_t a = first; a < nr; a++)
		for (size_t b = a + 1; b < nr; b++)
			if (r[b].score > r[a].score || (r[b].score == r[a].score && r[b].start < r[a].start)) {
				struct match_cand t = r[a];
				r[a] = r[b];
				r[b] = t;
			}
	return nr - first > (size_t)k ? first + (size_t)k : nr;
}

/*
 * The ranges of entity e for the general heuristic, appended to *r
 * (score = length): aligned non-punctuation tokens closer than d + 1
 * merge, ranges below the length ratio are dropped, the k longest stay.
 */
static void
general_ranges(match_ws *ws, const struct pair *p, const struct match_opts *o, size_t e, size_t *nr)
{
	struct heur_ws *hw = &ws->heur;
	uint32_t slen = p->ents.v[e].end - p->ents.v[e].start;
	size_t k = aligned_targets(ws, p->ents.v[e].start, p->ents.v[e].end), u = 0;
	size_t first = *nr;
	uint32_t *ids = hw->tmp;

	for (size_t i = 0; i < k; i++)
		if (!ws->punct[ids[i]])
			ids[u++] = ids[i];
	for (size_t i = 0; i < u; ) {
		size_t j = i;
		while (j + 1 < u && ids[j + 1] - ids[j] <= (uint32_t)o->merge_gap + 1)
			j++;
		uint32_t len = ids[j] - ids[i] + 1;
		if ((double)len / (double)slen >= o->len_ratio) {
			VEC_GROW(hw->r, hw->r_cap, *nr + 1);
			hw->r[*nr] = (struct match_cand){ .entity = (int)e, .start = ids[i], .end = ids[j] + 1,
							 .score = len };
			(*nr)++;
		}
		i = j + 1;
	}
	*nr = keep_longest(hw->r, first, *nr, o->top_k);
}

/*
 * The general heuristic: aligned target tokens (punctuation dropped) form
 * groups; groups closer than d + 1 merge; each entity keeps its k longest
 * groups whose length ratio |t| / |s| reaches thr; overlaps between
 * entities go to the longer range (then the leftmost, then the earlier
 * entity).
 */
void
match_heuristic_general(match_ws *ws, const struct pair *p, const struct match_opts *o,
			struct match_out *out)
{
	struct heur_ws *hw = &ws->heur;
	size_t nr = 0;

	for (size_t e = 0; e < p->ents.n; e++)
		general_ranges(ws, p, o, e, &nr);
	/* the solver's scratch, as fusion uses it (no solver runs while a heuristic does) */
	VEC_GROW(ws->chosen, ws->chosen_cap, nr + 1);
	VEC_GROW(ws->quota, ws->quota_cap, p->ents.n + 1);
	struct match_cand *r = hw->r;
	int *chosen = ws->chosen, *quota = ws->quota;
	memset(chosen, 0, (nr + 1) * sizeof *chosen);
	for (size_t e = 0; e < p->ents.n; e++)
		quota[e] = o->top_k;
	memset(ws->busy, 0, p->tgt.n + 1);
	match_solve_greedy(ws, r, nr, quota, chosen);
	for (size_t i = 0; i < nr; i++)
		if (chosen[i])
			match_out_add(out, r[i].entity, r[i].start, r[i].end, p->ents.v[r[i].entity].label);
}

/*
 * The heuristics do not optimise, so pins are applied to their answer:
 * "none" and "forbid" remove projections, an accepted or hand-added span
 * replaces whatever overlaps it (and the entity's other projection).
 */
void
match_heuristic_pins(const struct pair *p, const struct pin *pins, size_t npins, struct match_out *out)
{
	for (size_t i = 0; i < npins; i++) {
		const struct pin *pin = &pins[i];
		int fixes = pin->kind == PIN_ACCEPT || pin->kind == PIN_ADD;
		size_t k = 0;

		if (pin->end > p->tgt.n || (pin->kind != PIN_NONE && pin->start >= pin->end))
			continue;
		for (size_t j = 0; j < out->n; j++) {
			const struct match_proj *pr = &out->v[j];
			int same_entity = pin->entity >= 0 && pr->entity == pin->entity;
			int same_span = pr->start == pin->start && pr->end == pin->end;
			int drop = pr->pinned ? 0 :
				   pin->kind == PIN_NONE ? same_entity :
				   pin->kind == PIN_FORBID ? same_entity && same_span :
				   same_entity || (pr->start < pin->end && pin->start < pr->end);
			if (!drop)
				out->v[k++] = out->v[j];
		}
		out->n = k;
		if (fixes)
			match_out_add(out, pin->kind == PIN_ADD ? -1 : pin->entity, pin->start, pin->end,
				      pin->label)->pinned = 1;
	}
}
