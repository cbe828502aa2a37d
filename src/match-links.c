/*
 * match-links.c — which alignment links the matcher sees.
 *
 * The alignment score and the heuristics read one sorted link list,
 * ws->l, made per pair from what was imported:
 *   sym   the symmetrised alignment made at import;
 *   fwd   the forward file alone;
 *   both  forward ∪ reverse: a link found in both directions keeps its
 *         weight, a link found in one direction only is weighted one_way
 *         (0 drops it), so that the alignment score prefers spans both
 *         aligners agree on without losing what only one of them saw.
 *         The general heuristic's only_i asks for the links of both
 *         directions alone.  A pair imported without --align-rev
 *         uses the symmetrised list instead.
 * Back-translation refinement then composes source→bt and bt→target into
 * a second opinion: intersect keeps the links it confirms, union adds
 * those it finds, grow adds them only where the source or the target
 * word has no link yet.
 */
#include "match-int.h"

/* Is (s, t) in the sorted list l? */
static int
has_link(const struct links *l, uint32_t s, uint32_t t)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct link *k = &l->v[mid];
		if (k->s < s || (k->s == s && k->t < t))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->n && l->v[lo].s == s && l->v[lo].t == t;
}

/* Order of two links: by source, then target token. */
static int
link_cmp(const struct link *a, const struct link *b)
{
	if (a->s != b->s)
		return a->s < b->s ? -1 : 1;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return 0;
}

/* Merge the sorted forward and reverse lists into l (see the opening comment). */
static void
merge_directions(struct links *l, const struct pair *p, const struct match_opts *o, int only_both)
{
	size_t i = 0, j = 0;

	while (i < p->fwd.n || j < p->rev.n) {
		const struct link *a = i < p->fwd.n ? &p->fwd.v[i] : NULL;
		const struct link *b = j < p->rev.n ? &p->rev.v[j] : NULL;
		int cmp = !a ? 1 : !b ? -1 : link_cmp(a, b);
		if (cmp == 0) {
			links_push(l, a->s, a->t, a->w);
			i++;
			j++;
		} else if (!only_both && o->one_way > 0) {
			const struct link *k = cmp < 0 ? a : b;
			links_push(l, k->s, k->t, (float)(k->w * o->one_way));
			cmp < 0 ? i++ : j++;
		} else {
			cmp < 0 ? i++ : j++;
		}
	}
}

/* Grow: does link k touch a source or target word that l leaves unaligned? */
static int
reaches_unaligned(const struct links *l, const struct link *k)
{
	int s_al = 0, t_al = 0;

	for (size_t m = 0; m < l->n; m++) {
		s_al |= l->v[m].s == k->s;
		t_al |= l->v[m].t == k->t;
	}
	return !(s_al && t_al);
}

/* Refine ws->l with the links composed through the back-translation. */
static void
refine_by_bt(match_ws *ws, const struct pair *p, enum bt_refine bt)
{
	struct links *l = &ws->l;

	align_compose(&p->src_bt, &p->bt_tgt, &ws->comp);
	links_reset(&ws->tmp);
	if (bt == BT_INTERSECT) {
		for (size_t i = 0; i < l->n; i++)
			if (has_link(&ws->comp, l->v[i].s, l->v[i].t))
				links_push(&ws->tmp, l->v[i].s, l->v[i].t, l->v[i].w);
	} else {
		links_copy(&ws->tmp, l);
		for (size_t i = 0; i < ws->comp.n; i++) {
			const struct link *k = &ws->comp.v[i];
			if (has_link(l, k->s, k->t))
				continue;
			if (bt == BT_GROW && !reaches_unaligned(l, k))
				continue;
			links_push(&ws->tmp, k->s, k->t, 1.0f);
		}
		align_sort(&ws->tmp);
	}
	links_copy(l, &ws->tmp);
}

/* The links the scores use, per the options; result in ws->l. */
void
match_select_links(match_ws *ws, const struct pair *p, const struct match_opts *o, int only_both)
{
	links_reset(&ws->l);
	if (p->has_rev && (only_both || o->links == LINKS_BOTH))
		merge_directions(&ws->l, p, o, only_both);
	else
		links_copy(&ws->l, o->links == LINKS_FWD ? &p->fwd : &p->sym);
	if (o->bt != BT_NONE && p->has_bt)
		refine_by_bt(ws, p, o->bt);
}
