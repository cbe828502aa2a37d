/*
 * match.c — projecting source entities onto target spans: the options,
 * the workspace, and match_pair, which runs the parts in turn.
 *
 * A pair is matched in five steps, each in its own file:
 *   1. links       which alignment links count (sym, fwd, both with
 *                  one-way weights; back-translation refinement):
 *                  match-links.c;
 *   2. candidates  every target n-gram of every source entity, scored by
 *                  a weighted sum of the align, surface, lexicon and ner
 *                  scores and dropped at or below min_score:
 *                  match-score.c;
 *   3. solving     greedy, or the exact matching as an ILP with GLPK:
 *                  match-solve.c, which opens with the formulation; or,
 *                  instead, the alignment heuristics elp and general,
 *                  which use no scores: match-heur.c (the candidates
 *                  then give only scores, margins and alternatives);
 *   4. pins        reviewers' decisions: solvers get accepted and added
 *                  spans as taken tokens and "none"/"forbid" as removed
 *                  candidates (here); the heuristics have pins applied to
 *                  their answer (match-heur.c);
 *   5. the answer  the chosen spans sorted by start, each with its score
 *                  and its margin over the entity's best other candidate,
 *                  and up to MATCH_MAX_ALTS alternatives per entity, the
 *                  scores put on the 0-1 scale (here).
 * match-int.h holds the workspace they share.  Nothing here knows of
 * SQLite or curses: the same pair and options always give the same
 * projections, whichever thread or front end asks.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match-int.h"

#include "ferry/match.h"
#include "ferry/mem.h"
#include "ferry/scheme.h"
#include "ferry/text.h"

void
match_out_release(struct match_out *o)
{
	free(o->v);
	free(o->alts);
	memset(o, 0, sizeof *o);
}

/* ---- the workspace --------------------------------------------------------- */

/* The ILP counters summed over the pairs ws matched. */
const struct match_ilp_stats *
match_ws_ilp_stats(const match_ws *ws)
{
	return &ws->ilp;
}

/* An empty workspace: every buffer grows on first use. */
match_ws *
match_ws_new(void)
{
	return xcalloc(1, sizeof(struct match_ws));
}

void
match_ws_no_alternatives(match_ws *ws, int on)
{
	ws->no_alts = on;
}

void
match_ws_exhaustive(match_ws *ws, int on)
{
	ws->exhaustive = on;
}

/* Free the workspace and everything it grew. */
void
match_ws_free(match_ws *ws)
{
	if (ws == NULL)
		return;
	links_release(&ws->l);
	links_release(&ws->tmp);
	links_release(&ws->comp);
	free(ws->final);
	free(ws->punct);
	free(ws->pre);
	buf_release(&ws->fold_tgt);
	buf_release(&ws->fold_src);
	buf_release(&ws->lex_src);
	buf_release(&ws->scratch);
	free(ws->fold_off);
	free(ws->fold_len);
	free(ws->sb.stamp);
	free(ws->sb.used_stamp);
	free(ws->sb.count);
	free(ws->sb.used);
	free(ws->c);
	free(ws->c_tmp);
	free(ws->lz);
	free(ws->lz_int);
	free(ws->lz_hit);
	free(ws->lz_join);
	free(ws->lz_jhit);
	free(ws->complete);
	free(ws->chosen);
	free(ws->order);
	free(ws->quota);
	free(ws->busy);
	spans_release(&ws->ner);
	free(ws->ner_tags);
	free(ws->ia);
	free(ws->ja);
	free(ws->ar);
	match_heur_release(&ws->heur);
	free(ws);
}

/* ---- per-pair preparation -------------------------------------------------- */

/*
 * The marks no candidate may hold: ! and ? and their CJK and Arabic
 * forms, in bytes.  A full stop is not one of them: the reference code
 * of the candidate matching (Politov et al. 2025) excludes only ! and ?,
 * and a '.' inside a sentence ("Dr . Weiß", "z . B .") belongs to names
 * as often as it ends anything; matching it found the reference's
 * entities on every pair where excluding '.' did not.
 */
#define MARK(s) { s, sizeof s - 1 }
static const struct final_mark {
	const char *s;
	size_t      len;
} final_marks[] = {
	MARK("!"), MARK("?"), MARK("\xef\xbc\x81"), MARK("\xef\xbc\x9f"), MARK("\xd8\x9f"),
};
#undef MARK

/*
 * Is the token made of those marks only?  Called for every
 * target token of every pair: the first byte is compared before
 * memcmp, and the first mark in table order that fits wins.
 */
static int
final_punct(const char *s, size_t len)
{
	size_t i = 0;

	/* a word, as most tokens are: no mark starts with its first byte */
	if (len == 0 || !memchr("!?\xef\xd8", s[0], 4))
		return 0;
	while (i < len) {
		size_t k = 0;
		for (size_t m = 0; m < sizeof final_marks / sizeof *final_marks && !k; m++) {
			const struct final_mark *f = &final_marks[m];
			if (f->len <= len - i && s[i] == f->s[0] && memcmp(s + i, f->s, f->len) == 0)
				k = f->len;
		}
		if (!k)
			return 0;
		i += k;
	}
	return len > 0;
}

/* Classify the target tokens (no candidate crosses final punctuation) and size busy. */
static void
prepare_tokens(match_ws *ws, const struct pair *p)
{
	uint32_t n = p->tgt.n;
	size_t cap = ws->tok_cap;

	VEC_GROW(ws->final, ws->tok_cap, (size_t)n + 1);
	if (ws->tok_cap != cap || ws->punct == NULL)
		ws->punct = xrealloc(ws->punct, ws->tok_cap);
	VEC_GROW(ws->busy, ws->busy_cap, (size_t)n + 1);
	for (uint32_t j = 0; j < n; j++) {
		size_t len;
		const char *t = toks_get(&p->tgt, j, &len);
		ws->final[j] = (uint8_t)final_punct(t, len);
		ws->punct[j] = (uint8_t)text_is_punct(t, len);
	}
}

/* ---- the answer -------------------------------------------------------------- */

/* Append a projection of entity e (-1: added by hand) onto [start, end). */
struct match_proj *
match_out_add(struct match_out *out, int e, uint32_t start, uint32_t end, const char *label)
{
	struct match_proj *pr;

	VEC_GROW(out->v, out->cap, out->n + 1);
	pr = &out->v[out->n++];
	memset(pr, 0, sizeof *pr);
	pr->entity = e;
	pr->start = start;
	pr->end = end;
	str_copy_cut(pr->label, sizeof pr->label, label, strlen(label));
	return pr;
}

/* Convert the matcher's answer into stored projections. */
void
match_to_projs(const struct pair *p, const struct match_out *mo, enum match_method m, struct projs *pj)
{
	pj->n = 0;
	for (size_t i = 0; i < mo->n; i++) {
		const struct match_proj *mp = &mo->v[i];
		VEC_GROW(pj->v, pj->cap, pj->n + 1);
		struct proj *q = &pj->v[pj->n++];
		memset(q, 0, sizeof *q);
		q->span.start = mp->start;
		q->span.end = mp->end;
		memcpy(q->span.label, mp->label, sizeof q->span.label);
		q->entity = mp->entity >= 0 ? p->ent_ids[mp->entity] : 0;
		q->score = mp->score;
		q->margin = mp->margin;
		const char *name = match_method_name(m);
		str_copy_cut(q->method, sizeof q->method, name, strlen(name));
		q->by_reviewer = mp->pinned;
		q->support = mp->support;
	}
}

/* Projections by start, then entity. */
static int
proj_cmp(const void *a, const void *b)
{
	const struct match_proj *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->entity - y->entity;
}

/*
 * Put each entity's candidates in greedy order, as far as the answer
 * reads them (match_prefix_enough).  ws->c is grouped by entity, in entity order
 * (the scoring loop makes it so, and dropping candidates keeps it); a
 * group comes off a heap until that much is in order, and the rest
 * follows in heap order.  The same prefix as a stable sort of them all.
 */
static void
order_by_entity(match_ws *ws, uint32_t ntgt)
{
	size_t nc = ws->nc;

	VEC_GROW(ws->order, ws->order_cap, nc + 1);
	VEC_GROW(ws->c_tmp, ws->c_tmp_cap, nc + 1);
	for (size_t a = 0, b; a < nc; a = b) {
		for (b = a + 1; b < nc && ws->c[b].entity == ws->c[a].entity; b++)
			;
		if (b < nc && ws->c[b].entity < ws->c[a].entity) {
			/* not grouped (never by the scoring loop): all of them, in order */
			for (size_t i = 0; i < nc; i++)
				ws->order[i] = (int)i;
			size_t n = nc;
			match_heap_make(ws->order, n, ws->c, 1);
			for (size_t i = 0; i < nc; i++)
				ws->c_tmp[i] = ws->c[match_heap_pop(ws->order, &n, ws->c, 1)];
			memcpy(ws->c, ws->c_tmp, nc * sizeof *ws->c);
			return;
		}
		size_t m = b - a, n = m, out = 0;
		int kept = 0;
		for (size_t i = 0; i < m; i++)
			ws->order[i] = (int)i;
		const struct match_cand *g = ws->c + a;
		match_heap_make(ws->order, n, g, 0);
		while (n > 0 && !match_prefix_enough(ws, out, kept)) {
			const struct match_cand *k = &g[match_heap_pop(ws->order, &n, g, 0)];
			kept += match_cand_offered(ws, k, ntgt);
			ws->c_tmp[out++] = *k;
		}
		for (size_t i = 0; i < n; i++)
			ws->c_tmp[out++] = g[ws->order[i]];
		memcpy(ws->c + a, ws->c_tmp, m * sizeof *ws->c);
	}
}

/*
 * Each chosen span's score and its margin over the entity's best other
 * candidate (ws->c by entity).  A pinned span scores what the matcher
 * gives that span, candidate or not; a span added by hand has no entity
 * to score against: no score (0) and no margin.
 */
static int
set_margins(match_ws *ws, const struct pair *p, const struct match_opts *o, struct match_out *out,
	    struct ferry_err *err)
{
	for (size_t i = 0; i < out->n; i++) {
		struct match_proj *pr = &out->v[i];
		double best_other = 0;
		int seen = 0, found = 0;
		if (pr->entity < 0 || (size_t)pr->entity >= p->ents.n)
			continue;
		for (size_t k = 0; k < ws->nc; k++) {
			const struct match_cand *c = &ws->c[k];
			if (c->entity != pr->entity)
				continue;
			if (c->start == pr->start && c->end == pr->end) {
				pr->score = c->score;
				found = 1;
			} else if (!seen) {
				best_other = c->score;
				seen = 1;
			}
		}
		if (!found && pr->pinned &&
		    match_score_span(ws, p, o, pr->entity, pr->start, pr->end, &pr->score, err) < 0)
			return -1;
		pr->margin = pr->score - best_other;
	}
	return 0;
}

/*
 * The first MATCH_MAX_ALTS candidates of each entity (ws->c by entity) as
 * alternatives, but those that close with the sentence's final
 * punctuation ("Bayern ."): the matcher weighs them, as the reference
 * does, but a reviewer never wants one offered.
 */
static void
keep_alternatives(const match_ws *ws, uint32_t ntgt, struct match_out *out)
{
	int prev = -1, kept = 0;

	out->nalts = 0;
	for (size_t k = 0; k < ws->nc; k++) {
		if (ws->c[k].entity != prev) {
			prev = ws->c[k].entity;
			kept = 0;
		}
		if (!match_cand_offered(ws, &ws->c[k], ntgt))
			continue;
		if (kept++ >= MATCH_MAX_ALTS)
			continue;
		VEC_GROW(out->alts, out->alts_cap, out->nalts + 1);
		out->alts[out->nalts++] = ws->c[k];
	}
}

/*
 * Scores and margins of the chosen spans; the alternatives list.  ws->c
 * is put in order first unless it is already (ordered: scored lazily).
 */
static int
finish(match_ws *ws, const struct pair *p, const struct match_opts *o, int ordered, struct match_out *out,
       struct ferry_err *err)
{
	if (!ordered)
		order_by_entity(ws, p->tgt.n);
	if (set_margins(ws, p, o, out, err) < 0)
		return -1;
	if (ws->no_alts)
		out->nalts = 0;
	else
		keep_alternatives(ws, p->tgt.n, out);
	match_sort_projections(out);
	return 0;
}

void
match_sort_projections(struct match_out *out)
{
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, proj_cmp);
}

/* ---- pins, for the solvers ------------------------------------------------------ */

/* Mark with `mark` the candidates of the pin's entity (only those on its span when span_only). */
static void
mark_cands(const match_ws *ws, const struct pin *pin, int span_only, uint8_t mark, uint8_t *dropped)
{
	for (size_t k = 0; k < ws->nc; k++)
		if (ws->c[k].entity == pin->entity &&
		    (!span_only || (ws->c[k].start == pin->start && ws->c[k].end == pin->end)))
			dropped[k] = mark;
}

/* An accepted or hand-added span: its tokens are taken and it is projected as it is. */
static void
pin_fix(match_ws *ws, const struct pin *pin, int nent, struct match_out *out)
{
	memset(ws->busy + pin->start, 1, pin->end - pin->start);
	if (pin->entity >= 0 && pin->entity < nent && ws->quota[pin->entity] > 0)
		ws->quota[pin->entity]--;
	/* its score comes with the others' (set_margins) */
	match_out_add(out, pin->kind == PIN_ADD ? -1 : pin->entity, pin->start, pin->end, pin->label)->pinned = 1;
}

/*
 * The pins before solving: "none" leaves its entity no quota and its
 * candidates unsolved (dropped 1), "forbid" removes its candidate for
 * good (dropped 2), accepted and added spans are fixed projections.
 */
static void
apply_pins(match_ws *ws, const struct pair *p, const struct pin *pins, size_t npins, uint8_t *dropped,
	   struct match_out *out)
{
	int nent = (int)p->ents.n;

	for (size_t i = 0; i < npins; i++) {
		const struct pin *pin = &pins[i];
		if (pin->kind == PIN_NONE && pin->entity >= 0 && pin->entity < nent) {
			ws->quota[pin->entity] = 0;
			mark_cands(ws, pin, 0, 1, dropped);
			continue;
		}
		if (pin->end > p->tgt.n || pin->start >= pin->end)
			continue;
		if (pin->kind == PIN_FORBID)
			mark_cands(ws, pin, 1, 2, dropped);
		else
			pin_fix(ws, pin, nent, out);
	}
}

/*
 * Forbidden candidates are gone for good, not even alternatives; those
 * of a "no counterpart" entity stay as alternatives but are not solved.
 * Returns the solvable ones: not dropped, not on pinned tokens (the
 * caller frees).
 */
static struct match_cand *
live_candidates(match_ws *ws, uint8_t *dropped, size_t *nl)
{
	size_t kept = 0;

	for (size_t k = 0; k < ws->nc; k++)
		if (dropped[k] != 2) {
			dropped[kept] = dropped[k];
			ws->c[kept++] = ws->c[k];
		}
	ws->nc = kept;
	struct match_cand *live = xmalloc((ws->nc + 1) * sizeof *live);
	*nl = 0;
	for (size_t k = 0; k < ws->nc; k++) {
		int blocked = dropped[k];
		for (uint32_t q = ws->c[k].start; q < ws->c[k].end && !blocked; q++)
			blocked = ws->busy[q];
		if (!blocked)
			live[(*nl)++] = ws->c[k];
	}
	return live;
}

/* Pins, then greedy or the ILP over ws->c; the chosen spans into out. */
static void
solve_pair(match_ws *ws, const struct pair *p, const struct match_opts *o, const struct pin *pins,
	   size_t npins, struct match_out *out)
{
	int nent = (int)p->ents.n;
	uint8_t *dropped;
	size_t nl;

	VEC_GROW(ws->quota, ws->quota_cap, (size_t)nent + 1);
	for (int e = 0; e < nent; e++)
		ws->quota[e] = o->method == METHOD_ILP ? o->n_proj : match_entity_limit(o);
	memset(ws->busy, 0, (size_t)p->tgt.n + 1);
	dropped = xcalloc(ws->nc + 1, 1);
	apply_pins(ws, p, pins, npins, dropped, out);
	struct match_cand *live = live_candidates(ws, dropped, &nl);
	free(dropped);
	VEC_GROW(ws->chosen, ws->chosen_cap, nl + 1);
	if (o->method == METHOD_ILP)
		match_solve_ilp(ws, live, nl, nent, p->tgt.n, o, ws->quota, ws->chosen, &out->fallback);
	else
		match_solve_greedy(ws, live, nl, ws->quota, ws->chosen);
	for (size_t k = 0; k < nl; k++)
		if (ws->chosen[k])
			match_out_add(out, live[k].entity, live[k].start, live[k].end,
				      p->ents.v[live[k].entity].label)->score = live[k].score;
	free(live);
}

/* The weights' total: what a candidate perfect on every score in use has. */
double
match_score_total(const struct match_opts *o)
{
	double total = 0;

	for (int k = 0; k < SCORE_COUNT; k++)
		if (o->weights[k] > 0)
			total += o->weights[k];
	return total > 0 ? total : 1;
}

/* A weighted sum on the 0-1 scale (a negative or NaN mark of "no score" left as it is). */
static double
on_scale(double x, double total)
{
	if (!(x >= 0))
		return x;
	x /= total;
	return x > 1 ? 1 : x;
}

/*
 * The answer's scores on the 0-1 scale (match.h): each divided by the
 * weights' total and capped at 1, the margins the difference of the
 * scaled scores.  The solvers worked on the sums; dividing every one by
 * the same total changes no choice.
 */
static void
scale_scores(const struct match_opts *o, struct match_out *out)
{
	double total = match_score_total(o);

	for (size_t i = 0; i < out->n; i++) {
		struct match_proj *pr = &out->v[i];
		if (!(pr->score >= 0))
			continue;
		double other = pr->score - pr->margin;
		pr->score = on_scale(pr->score, total);
		pr->margin = pr->score - (other >= 0 ? on_scale(other, total) : other / total);
	}
	for (size_t i = 0; i < out->nalts; i++)
		out->alts[i].score = on_scale(out->alts[i].score, total);
}

/*
 * Lazily scored (match_score_lazy), ws->c holds each entity's first
 * candidates in order, all of them where ws->complete says so.  That is
 * what finish reads.  Greedy took candidates in order among those: its
 * answer is the full one unless it ran out of an entity's before its
 * quota was met, when a candidate not scored might have been taken.
 */
static int
lazy_enough(const match_ws *ws, const struct pair *p, const struct match_opts *o, const struct match_out *out)
{
	for (size_t e = 0; e < p->ents.n; e++) {
		int got = 0;
		for (size_t i = 0; i < out->n; i++)
			got += out->v[i].entity == (int)e;
		if (got < match_entity_limit(o) && !ws->complete[e])
			return 0;
	}
	return 1;
}

/* Links, candidates, then a solver or a heuristic, pins, and the answer (see the top). */
int
match_pair(match_ws *ws, const struct pair *p, const struct match_opts *o,
	   const struct pin *pins, size_t npins, struct match_out *out,
	   struct ferry_err *err)
{
	int64_t skipped_before = ws->ilp_skipped;

	out->n = 0;
	out->nalts = 0;
	out->fallback = 0;
	out->ilp_skipped = 0;
	match_select_links(ws, p, o, o->method == METHOD_HEURISTIC && o->mode == HEUR_GENERAL && o->only_i);
	prepare_tokens(ws, p);
	/* lazily where it gives the same answer: no pins, no ILP, no unbounded quota (see lazy_enough) */
	int lazy = !ws->exhaustive && npins == 0 && o->method != METHOD_ILP &&
		   !(o->method == METHOD_GREEDY && o->constraint == CON_GE);
	if (o->method == METHOD_HEURISTIC) {
		/* its spans are chosen without the candidates, which then give their scores */
		if (o->mode == HEUR_ELP)
			match_heuristic_elp(ws, p, out);
		else
			match_heuristic_general(ws, p, o, out);
		match_heuristic_pins(p, pins, npins, out);
	}
	if (lazy && (lazy = match_score_lazy(ws, p, o, o->method == METHOD_HEURISTIC ? out : NULL, err)) < 0)
		return -1;
	if (!lazy && match_score_candidates(ws, p, o, err) < 0)
		return -1;
	if (o->method != METHOD_HEURISTIC) {
		solve_pair(ws, p, o, pins, npins, out);
		if (lazy && !lazy_enough(ws, p, o, out)) {
			/* greedy wanted more of an entity than was scored: all of them, as ever */
			out->n = 0;
			lazy = 0;
			if (match_score_candidates(ws, p, o, err) < 0)
				return -1;
			solve_pair(ws, p, o, pins, npins, out);
		}
		out->ilp_skipped = ws->ilp_skipped > skipped_before;
	}
	if (finish(ws, p, o, lazy, out, err) < 0)
		return -1;
	scale_scores(o, out);
	return 0;
}
