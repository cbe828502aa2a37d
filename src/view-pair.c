/*
 * view-pair.c — the pair view: top bar, source and target panes, entity
 * list with scores, margins and alternatives, the alignment view, the
 * status line; and the requests that act on them.
 *
 * Layout, top to bottom: bar (1 row); source and target panes side by
 * side when the terminal is 80 columns or wider, stacked otherwise
 * (view-pane.c); the entity list and the alternatives of the selected
 * entity, wrapped onto as many rows as the nine that 1-9 pick need
 * (view-entities.c); the alignment view when toggled (view-align.c); a
 * message row; a key-hint or prompt row.  Labels are always written out
 * ([PER Angela Merkel]), so nothing depends on colour.
 *
 * Rows are shared out on every draw: the alternatives get theirs, the
 * entity list its first two, the panes what their wrapped sentences need
 * of the rest (half of it when the alignment view is on), then the list
 * and the alignment view the remainder.  What a pane cannot show it
 * scrolls, keeping from one draw to the next a top row that moves only
 * as far as needed to show the cursor (target) and the selected entity
 * or, once the cursor moved, the source words it is linked to (source).
 * Only the pair on screen is laid out, so a draw costs the same on any
 * project.
 *
 * Requests come in one of three modes: normal (the bindings, each action
 * one handler in pair_actions), the span editor (e, +) and the prompt
 * line (view-prompt.c).  h/l and the span editor's keys move as they
 * look: in a right-to-left sentence, left goes on.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/mem.h"
#include "view-int.h"

/* The title bar: project, position, progress, estimate, filter, order. */
static void
draw_bar(const struct review *r, struct screen *s)
{
	const struct pair *p = review_pair(r);
	const char *project = review_project(r), *slash = strrchr(project, '/');
	size_t n = review_npairs(r);
	int64_t reviewed, total;
	struct buf bar = BUF_INIT;

	review_progress(r, &reviewed, &total);
	screen_fill(s, 0, 0, s->cols, ELEM_TITLE);
	buf_addf(&bar, " ferry  %s", slash ? slash + 1 : project);
	if (review_layer(r))
		buf_addf(&bar, " (%s's layer)", review_layer(r));
	else if (review_adjudicating(r))
		buf_addf(&bar, " (adjudicating, %zu disputed%s)", review_ndisputed(r),
			 n && review_disputed(r, p->id) ? ", this one" : "");
	buf_addf(&bar, "  pair %zu/%zu", n ? review_pos(r) + 1 : 0, n);
	if (n && review_comment(r)[0])
		buf_addf(&bar, " (#%lld %s: %s)", (long long)p->id, status_name(p->status), review_comment(r));
	else if (n)
		buf_addf(&bar, " (#%lld %s)", (long long)p->id, status_name(p->status));
	buf_addf(&bar, "  reviewed %lld/%lld %.0f%%", (long long)reviewed, (long long)total,
		 total ? 100.0 * (double)reviewed / (double)total : 0.0);
	/* the fields after it go whole or not at all (a name cut from its value says nothing) */
	struct buf est_long = BUF_INIT, est_short = BUF_INIT, filter = BUF_INIT, order = BUF_INIT;
	const struct quality *q = review_quality(r);
	if (q->ok && !isnan(q->rest)) {
		buf_addf(&est_long, "  est. precision %.2f (%.2f-%.2f)", q->rest, q->rest_lo, q->rest_hi);
		buf_addf(&est_short, "  est. %.2f", q->rest);
	}
	buf_adds(&filter, "  filter ");
	review_describe_filter(r, &filter);
	int all = strcmp(buf_cstr(&filter), "  filter all") == 0;
	buf_addf(&order, "  order %s", review_order_name(r));
	int corpus = review_current_order(r) == ORDER_CORPUS;
	/* where they do not fit, one thing goes at a time, what says least first: the order
	   and the filter where they are the defaults (corpus, all), the estimate's interval,
	   the order, the estimate, the filter */
	const struct buf *est = &est_long;
	int show_order = 1, show_filter = 1;
	size_t head = bar.len;
	for (int step = 0; step <= 6; step++) {
		if ((step == 1 && corpus) || step == 4)
			show_order = 0;
		else if ((step == 2 && all) || step == 6)
			show_filter = 0;
		else if (step == 3)
			est = &est_short;
		else if (step == 5)
			est = NULL;
		bar.len = head;
		if (est && est->len)
			buf_add(&bar, est->s, est->len);
		if (show_filter)
			buf_add(&bar, filter.s, filter.len);
		if (show_order)
			buf_add(&bar, order.s, order.len);
		if (screen_width(bar.s, bar.len) <= s->cols)
			break;
	}
	buf_release(&est_long);
	buf_release(&est_short);
	buf_release(&filter);
	buf_release(&order);
	screen_text(s, 0, 0, s->cols, bar.s, bar.len, ELEM_TITLE);
	buf_release(&bar);
}

/* Marks of the source entities (p->ents.n) and of the projections (p->proj.n). */
static void
marks(const struct review *r, struct mark *src, struct mark *tgt)
{
	const struct pair *p = review_pair(r);
	int sel = review_entity(r);

	for (size_t e = 0; e < p->ents.n; e++)
		src[e] = (struct mark){ p->ents.v[e].start, p->ents.v[e].end, p->ents.v[e].label, (int)e == sel, 0,
					label_elem(r, p->ents.v[e].label) };
	for (size_t i = 0; i < p->proj.n; i++) {
		const struct proj *pr = &p->proj.v[i];
		int on = sel >= 0 && pr->entity == p->ent_ids[sel];
		tgt[i] = (struct mark){ pr->span.start, pr->span.end, pr->span.label, on, pr->by_reviewer,
					label_elem(r, pr->span.label) };
	}
}

/* The panes of one draw: what each shows, laid out, and where. */
struct panes {
	struct mark *ms, *mt;
	struct pane src, tgt;
	struct pane_layout ls, lt;
	int side;               /* side by side, else stacked */
	int tx;                 /* the target pane's first column */
	int src_rows, tgt_rows; /* the rows each gets */
	/* several sources: the further ones under the first, each after a
	   title row, scrolled with it as one column of stack_rows rows */
	size_t nx;
	struct pane xp[FERRY_SOURCES_MAX];
	struct pane_layout lx[FERRY_SOURCES_MAX];
	struct mark *mx[FERRY_SOURCES_MAX];
	int xid[FERRY_SOURCES_MAX];
	int stack_rows;
};

/* Unselected marks of spans (one more than needed, never NULL); the caller frees them. */
static struct mark *
span_marks(const struct review *r, const struct spans *sp)
{
	struct mark *m = xcalloc(sp->n + 1, sizeof *m);

	for (size_t i = 0; i < sp->n; i++)
		m[i] = (struct mark){ sp->v[i].start, sp->v[i].end, sp->v[i].label, 0, 0, label_elem(r, sp->v[i].label) };
	return m;
}

/* Lay out the further sources of the pair under the first (w columns each). */
static void
panes_sources(const struct review *r, struct panes *pn, int w)
{
	const struct pair *p = review_pair(r);

	pn->stack_rows = pn->ls.rows;
	for (size_t k = 0; k < p->xs.n && k < FERRY_SOURCES_MAX; k++) {
		const struct xsrc *x = &p->xs.v[k];
		struct mark *m = span_marks(r, &x->ents);
		pn->mx[k] = m;
		pn->xid[k] = x->source;
		pn->xp[k] = (struct pane){ .t = &x->src, .m = m, .nm = x->ents.n, .cursor = -1, .edit_a = -1,
					   .edit_b = -1, .cand_a = -1, .cand_b = -1, .hit = pn->src.hit,
					   .rtl = x->src.text && text_first_strong_rtl(x->src.text, x->src.len) };
		pane_layout(&pn->xp[k], w, &pn->lx[k]);
		pn->stack_rows += 1 + pn->lx[k].rows;
		pn->nx++;
	}
}

/* Adjudicating: every reviewer's version of the target, one above the other, each under a title row. */
struct versions {
	size_t n;
	struct pane p[FERRY_VERSIONS_MAX];
	struct pane_layout l[FERRY_VERSIONS_MAX];
	struct mark *m[FERRY_VERSIONS_MAX];
	int rows;               /* all of them with their titles (1 for "none" when there are none) */
};

static void
versions_init(const struct review *r, int w, struct versions *v)
{
	const struct pair *p = review_pair(r);

	memset(v, 0, sizeof *v);
	if (!review_adjudicating(r) || review_npairs(r) == 0)
		return;
	v->rows = 1;
	for (size_t k = 0; k < review_nversions(r); k++) {
		const struct layer_pair *lp = review_version(r, k);
		struct mark *m = span_marks(r, &lp->spans);
		v->m[k] = m;
		v->p[k] = (struct pane){ .t = &p->tgt, .m = m, .nm = lp->spans.n, .cursor = -1, .edit_a = -1,
					 .edit_b = -1, .cand_a = -1, .cand_b = -1, .tag = 1,
					 .rtl = p->tgt.text && text_first_strong_rtl(p->tgt.text, p->tgt.len) };
		pane_layout(&v->p[k], w, &v->l[k]);
		v->rows += (k ? 1 : 0) + v->l[k].rows;
		v->n++;
	}
}

/* Draw the versions from row y in at most rows rows (each keeps its title; a long one is cut);
 * returns the rows used. */
static int
versions_draw(const struct review *r, struct screen *s, const struct versions *v, int y, int rows)
{
	int used = 0;

	if (rows <= 0 || !review_adjudicating(r) || review_npairs(r) == 0)
		return 0;
	if (v->n == 0) {
		screen_str(s, y, 0, s->cols, "no reviewer has reviewed this pair", ELEM_DIM);
		return 1;
	}
	for (size_t k = 0; k < v->n && used < rows; k++) {
		const struct layer_pair *lp = review_version(r, k);
		screen_printf(s, y + used++, 0, s->cols, ELEM_DIM, "%zu %s (%s)%s", k + 1, lp->layer,
			      status_name(lp->status), k == 0 ? "  T takes a version" : "");
		int n = v->l[k].rows < rows - used ? v->l[k].rows : rows - used;
		if (n > 0)
			pane_draw(s, &v->p[k], &v->l[k], y + used, 0, 0, n);
		used += n > 0 ? n : 0;
	}
	return used;
}

static void
versions_release(struct versions *v)
{
	for (size_t k = 0; k < v->n; k++) {
		pane_layout_release(&v->l[k]);
		free(v->m[k]);
	}
}

/* Build and lay out the two panes for a screen of s->cols columns. */
static void
panes_init(struct ui *u, const struct screen *s, struct panes *pn)
{
	const struct review *r = u->r;
	const struct pair *p = review_pair(r);
	const char *hit = review_search_text(r);
	long cand = u->mode == MODE_NORMAL ? alternative_under_cursor(r) : -1;
	size_t n;
	const struct match_cand *alts = review_alternatives(r, review_entity(r), &n);
	int editing = u->mode == MODE_EDIT;

	memset(pn, 0, sizeof *pn);
	pn->ms = xcalloc(p->ents.n + 1, sizeof *pn->ms);
	pn->mt = xcalloc(p->proj.n + 1, sizeof *pn->mt);
	marks(r, pn->ms, pn->mt);
	pn->src = (struct pane){ .t = &p->src, .m = pn->ms, .nm = p->ents.n, .cursor = -1, .edit_a = -1,
				 .edit_b = -1, .cand_a = -1, .cand_b = -1, .hit = hit[0] ? hit : NULL,
				 .rtl = p->src.text && text_first_strong_rtl(p->src.text, p->src.len) };
	pn->tgt = (struct pane){ .t = &p->tgt, .m = pn->mt, .nm = p->proj.n, .cursor = (long)review_cursor(r),
				 .edit_a = editing ? (long)u->edit_start : -1, .edit_b = editing ? (long)u->edit_end : -1,
				 .cand_a = cand >= 0 ? (long)alts[cand].start : -1,
				 .cand_b = cand >= 0 ? (long)alts[cand].end : -1, .hit = pn->src.hit,
				 .rtl = p->tgt.text && text_first_strong_rtl(p->tgt.text, p->tgt.len), .tag = 1 };
	pn->side = s->cols >= 80;
	pn->tx = pn->side ? s->cols / 2 : 0;
	pane_layout(&pn->src, pn->side ? pn->tx - 2 : s->cols, &pn->ls);
	pane_layout(&pn->tgt, pn->side ? s->cols - pn->tx : s->cols, &pn->lt);
	panes_sources(r, pn, pn->side ? pn->tx - 2 : s->cols);
}

/* Free what panes_init made. */
static void
panes_release(struct panes *pn)
{
	pane_layout_release(&pn->ls);
	pane_layout_release(&pn->lt);
	free(pn->ms);
	free(pn->mt);
	for (size_t k = 0; k < pn->nx; k++) {
		pane_layout_release(&pn->lx[k]);
		free(pn->mx[k]);
	}
}

/* Rows [top, top + rows) of the source column (the first source, then each further one under its title) at y, x. */
static void
draw_source_stack(const struct review *r, struct screen *s, const struct panes *pn, int y, int x, int w, int top,
		  int rows)
{
	int o = 0;

	for (size_t k = 0; k <= pn->nx; k++) {
		const struct pane *pane = k ? &pn->xp[k - 1] : &pn->src;
		const struct pane_layout *lay = k ? &pn->lx[k - 1] : &pn->ls;
		if (k) {
			if (o >= top && o < top + rows)
				screen_printf(s, y + o - top, x, w, ELEM_DIM, "source %s",
					      review_source_lang(r, pn->xid[k - 1]));
			o++;
		}
		int a = o > top ? o : top, b = o + lay->rows < top + rows ? o + lay->rows : top + rows;
		if (a < b)
			pane_draw(s, pane, lay, y + a - top, x, a - o, b - a);
		o += lay->rows;
	}
}

/* Share out `rows` rows between the panes: all they need, or as much as each can have. */
static void
panes_share(struct panes *pn, int rows)
{
	int need_s = pn->stack_rows ? pn->stack_rows : 1, need_t = pn->lt.rows ? pn->lt.rows : 1;

	if (pn->side) {
		int need = need_s > need_t ? need_s : need_t;
		pn->src_rows = pn->tgt_rows = need < rows ? need : rows > 1 ? rows : 1;
		return;
	}
	if (rows < 2)
		rows = 2;
	/* the target (with the cursor) gets the larger half when both must scroll */
	int t = rows - need_s > rows - rows / 2 ? rows - need_s : rows - rows / 2;
	pn->tgt_rows = need_t < t ? need_t : t;
	pn->src_rows = need_s < rows - pn->tgt_rows ? need_s : rows - pn->tgt_rows;
}

/* The source rows that must show: the selected entity's, or those linked to the cursor. */
static void
source_focus(const struct ui *u, const struct panes *pn, int *a, int *b)
{
	const struct pair *p = review_pair(u->r);
	const struct links *l = p->sym.n ? &p->sym : &p->fwd;
	int e = review_entity(u->r);
	uint32_t c = review_cursor(u->r);

	*a = *b = -1;
	for (size_t k = 0; u->follow_cursor && k < l->n; k++)
		if (l->v[k].t == c && l->v[k].s < p->src.n) {
			int row = pane_row(&pn->ls, &pn->src, l->v[k].s);
			*a = *a < 0 || row < *a ? row : *a;
			*b = row > *b ? row : *b;
		}
	if (*a < 0 && e >= 0) {
		*a = pane_row(&pn->ls, &pn->src, p->ents.v[e].start);
		*b = pane_row(&pn->ls, &pn->src, (long)p->ents.v[e].end - 1);
	}
}

/* Scroll the panes (as little as may be) to what must show. */
static void
panes_scroll(struct ui *u, const struct panes *pn)
{
	const struct proj *pr = review_projection(u->r, review_entity(u->r));
	int a, b;

	source_focus(u, pn, &a, &b);
	if (a >= 0)
		u->src_top = pane_scroll(u->src_top, pn->src_rows, pn->stack_rows, a, b);
	else
		u->src_top = pane_scroll(u->src_top, pn->src_rows, pn->stack_rows, u->src_top, u->src_top);
	if (u->mode == MODE_EDIT) {
		a = pane_row(&pn->lt, &pn->tgt, (long)u->edit_start);
		b = pane_row(&pn->lt, &pn->tgt, (long)u->edit_end - 1);
	} else {
		a = b = pane_row(&pn->lt, &pn->tgt, pn->tgt.cursor);
		if (pr && !u->follow_cursor && pr->span.start == review_cursor(u->r))
			b = pane_row(&pn->lt, &pn->tgt, (long)pr->span.end - 1);
	}
	u->tgt_top = pane_scroll(u->tgt_top, pn->tgt_rows, pn->lt.rows, a, b);
}

/* A pane's title, with the rows it shows when it cannot show them all. */
static void
draw_pane_title(struct screen *s, int y, int x, int w, const char *name, int top, int rows, int total)
{
	if (rows < total)
		screen_printf(s, y, x, w, ELEM_DIM, "%s (rows %d-%d of %d)", name, top + 1, top + rows, total);
	else
		screen_str(s, y, x, w, name, ELEM_DIM);
}

/* The panes from row y, titled unless small; returns the row below them. */
static int
draw_panes(struct ui *u, struct screen *s, const struct panes *pn, int y, int small)
{
	char name[16 + FERRY_LANG_MAX];

	/* several sources: each is named by its language */
	if (review_nsources(u->r) > 1)
		snprintf(name, sizeof name, "source %s", review_source_lang(u->r, 0));
	else
		snprintf(name, sizeof name, "source");
	if (pn->side) {
		if (!small) {
			draw_pane_title(s, y, 0, pn->tx - 1, name, u->src_top, pn->src_rows, pn->stack_rows);
			draw_pane_title(s, y, pn->tx, s->cols - pn->tx, "target", u->tgt_top, pn->tgt_rows, pn->lt.rows);
			y++;
		}
		draw_source_stack(u->r, s, pn, y, 0, pn->tx - 2, u->src_top, pn->src_rows);
		pane_draw(s, &pn->tgt, &pn->lt, y, pn->tx, u->tgt_top, pn->tgt_rows);
		return y + pn->src_rows;
	}
	if (!small)
		draw_pane_title(s, y++, 0, s->cols, name, u->src_top, pn->src_rows, pn->stack_rows);
	draw_source_stack(u->r, s, pn, y, 0, s->cols, u->src_top, pn->src_rows);
	y += pn->src_rows;
	/* under stacked sources the target is told apart even when small */
	if (!small || pn->nx)
		draw_pane_title(s, y++, 0, s->cols, "target", u->tgt_top, pn->tgt_rows, pn->lt.rows);
	pane_draw(s, &pn->tgt, &pn->lt, y, 0, u->tgt_top, pn->tgt_rows);
	return y + pn->tgt_rows;
}

/* The first key of action a and its hint word, as "a accept", onto out (nothing when unbound or unhinted). */
static void
hint_of(const struct ui *u, enum action a, struct buf *out)
{
	const char *what = action_hint(a);
	struct buf keys = BUF_INIT;

	if (what)
		keymap_keys_of(u->km, a, &keys);
	if (keys.len) {
		char *sp = memchr(keys.s, ' ', keys.len);   /* the first key is enough */
		buf_addf(out, "%.*s %s", (int)(sp ? sp - keys.s : (long)keys.len), keys.s, what);
	}
	buf_release(&keys);
}

/* The key hints, in the table's order (the most used first) while they fit, and help always. */
static void
draw_hints(const struct ui *u, struct screen *s, int y)
{
	struct buf hint = BUF_INIT, one = BUF_INIT, help = BUF_INIT;

	/* from the keymap, so rebinding shows here too */
	hint_of(u, ACT_HELP, &help);
	int room = s->cols - (help.len ? screen_width(help.s, help.len) + 2 : 0), full = 0;
	for (int a = 0; a < ACT_COUNT && !full; a++) {
		buf_reset(&one);
		if (a != ACT_HELP)
			hint_of(u, (enum action)a, &one);
		if (one.len == 0)
			continue;
		full = screen_width(hint.s, hint.len) + (hint.len ? 2 : 0) + screen_width(one.s, one.len) > room;
		if (!full)
			buf_addf(&hint, "%s%s", hint.len ? "  " : "", buf_cstr(&one));
	}
	if (help.len)
		buf_addf(&hint, "%s%s", hint.len ? "  " : "", buf_cstr(&help));
	screen_text(s, y, 0, s->cols, hint.s, hint.len, ELEM_STATUS);
	buf_release(&hint);
	buf_release(&one);
	buf_release(&help);
}

/* The two bottom rows: the message, then the prompt, the span editor's keys or the key hints. */
static void
draw_bottom(struct ui *u, struct screen *s)
{
	int y = s->rows - 1, is_error;
	const char *msg = review_message(u->r, &is_error);

	screen_fill(s, y, 0, s->cols, ELEM_STATUS);
	if (u->mode == MODE_PROMPT)
		prompt_draw(u, s, y);
	else if (u->mode == MODE_EDIT)
		screen_printf(s, y, 0, s->cols, ELEM_STATUS, s->cols >= 76 ?
			      "EDIT tokens %u-%u: h/l move start, H/L move end, t label, Enter keeps, Esc cancels" :
			      "EDIT %u-%u: h/l H/L, t label, Enter keeps, Esc cancels",
			      u->edit_start + 1, u->edit_end);
	else
		draw_hints(u, s, y);
	screen_fill(s, y - 1, 0, s->cols, ELEM_NORMAL);
	if (msg[0])
		screen_str(s, y - 1, 0, s->cols, msg, is_error ? ELEM_ERROR : ELEM_MESSAGE);
}

/* How the rows between the bar and the message row are shared out. */
struct shares {
	int titles, gap, ents, alts, align;
};

/* Share out avail rows, gap blank ones under the panes: the alternatives' (alts wanted), the list's first,
 * the panes', the rest. */
static void
share_rows_gap(const struct ui *u, struct panes *pn, int avail, int small, int gap, int alts, struct shares *sh)
{
	int nent = (int)review_pair(u->r)->ents.n, on = u->align != ALIGN_OFF;

	sh->titles = small ? (!pn->side && pn->nx) : pn->side ? 1 : 2;
	sh->gap = gap;
	sh->alts = alts;
	if (sh->alts > (avail - 4) / 2)
		sh->alts = (avail - 4) / 2 > 1 ? (avail - 4) / 2 : 1;
	int space = avail - sh->titles - sh->gap - sh->alts - !small;       /* !small: the list's header */
	int ent_min = nent < 2 ? nent : 2, align_min = on ? space / 2 : 0;
	panes_share(pn, space - ent_min - align_min);
	int rest = space - (pn->side ? pn->src_rows : pn->src_rows + pn->tgt_rows);
	if (rest < 0)
		rest = 0;
	sh->ents = nent < rest - align_min ? nent : rest - align_min;
	if (sh->ents < ent_min)
		sh->ents = rest < ent_min ? rest : ent_min;
	sh->ents += !small;
	sh->align = on ? rest - (sh->ents - !small) : 0;
}

/* Share out avail rows, with a blank row under the panes only when nothing else wants it. */
static void
share_rows(const struct ui *u, const struct screen *s, struct panes *pn, int avail, int small, struct shares *sh)
{
	int nent = (int)review_pair(u->r)->ents.n, alts = alternatives_rows(u->r, s->cols);

	share_rows_gap(u, pn, avail, small, !small, alts, sh);
	if (sh->gap && (sh->ents - !small < nent || pn->src_rows < pn->stack_rows || pn->tgt_rows < pn->lt.rows))
		share_rows_gap(u, pn, avail, small, 0, alts, sh);
}

/* The whole pair view. */
static void
pair_draw(struct ui *u, struct screen *s)
{
	const struct review *r = u->r;
	int bottom = s->rows - 2, small = s->rows < 20;
	struct panes pn;
	struct shares sh;
	struct versions vs;

	draw_bar(r, s);
	draw_bottom(u, s);
	if (review_npairs(r) == 0) {
		screen_str(s, 2, 1, s->cols - 1, "no pairs match the filter (f changes it)", ELEM_DIM);
		return;
	}
	if (u->shown_pair != review_pair(r)->id) {
		u->shown_pair = review_pair(r)->id;
		u->src_top = u->tgt_top = u->align_top = u->align_left = 0;
		u->follow_cursor = 0;
	}
	panes_init(u, s, &pn);
	/* adjudicating: the versions take what they need, up to half the rows */
	versions_init(r, s->cols, &vs);
	int vrows = vs.rows < (bottom - 1) / 2 ? vs.rows : (bottom - 1) / 2;
	share_rows(u, s, &pn, bottom - 1 - vrows, small, &sh);
	panes_scroll(u, &pn);
	int y = draw_panes(u, s, &pn, 1, small);
	y += versions_draw(r, s, &vs, y, vrows) + sh.gap;
	versions_release(&vs);
	panes_release(&pn);
	if (sh.ents > bottom - y)
		sh.ents = bottom - y > 0 ? bottom - y : 0;
	entities_draw(r, s, y, sh.ents, !small);
	y += sh.ents;
	if (y < bottom)
		alternatives_draw(r, s, y, sh.alts < bottom - y ? sh.alts : bottom - y);
	y += sh.alts;
	if (sh.align > 1 && y < bottom)
		align_draw(u, s, y, sh.align < bottom - y ? sh.align : bottom - y);
	if (u->mode == MODE_LABEL)
		labels_draw(u, s);
}

/* The cursor moved: scroll to it, and let the source follow its links. */
void
pair_show_cursor(struct ui *u)
{
	u->follow_cursor = 1;
}

/* ---- the span editor ------------------------------------------------------- */

/* Enter in the span editor: the edited span is saved, or a new one asks for its label (the picker). */
static int
span_submit(struct ui *u, struct ferry_err *err)
{
	struct review *r = u->r;

	u->mode = MODE_NORMAL;
	if (u->edit_entity >= 0) {
		const struct proj *pr = review_projection(r, u->edit_entity);
		return review_set_span(r, u->edit_entity, u->edit_start, u->edit_end, pr ? pr->span.label : NULL,
				       err) < 0 ? -1 : UI_REDRAW;
	}
	labels_open(u, PICK_ADD);
	return UI_REDRAW;
}

/* The span editor's moves as they look: in a right-to-left sentence, left is on. */
static enum action
span_visual(const struct ui *u, enum action a)
{
	static const enum action mirror[] = {
		[ACT_SPAN_START_LEFT] = ACT_SPAN_START_RIGHT, [ACT_SPAN_START_RIGHT] = ACT_SPAN_START_LEFT,
		[ACT_SPAN_END_LEFT] = ACT_SPAN_END_RIGHT, [ACT_SPAN_END_RIGHT] = ACT_SPAN_END_LEFT,
	};
	const struct toks *t = &review_pair(u->r)->tgt;

	if (a < ACT_SPAN_START_LEFT || a > ACT_SPAN_END_RIGHT || !t->text || !text_first_strong_rtl(t->text, t->len))
		return a;
	return mirror[a];
}

/* A request in the span editor: move its start or end, keep it, or cancel. */
static int
span_request(struct ui *u, const struct request *rq, struct ferry_err *err)
{
	switch (span_visual(u, rq->act)) {
	case ACT_SPAN_START_LEFT:
		if (u->edit_start > 0)
			u->edit_start--;
		break;
	case ACT_SPAN_START_RIGHT:
		if (u->edit_start + 1 < u->edit_end)
			u->edit_start++;
		break;
	case ACT_SPAN_END_LEFT:
		if (u->edit_end > u->edit_start + 1)
			u->edit_end--;
		break;
	case ACT_SPAN_END_RIGHT:
		if (u->edit_end < review_pair(u->r)->tgt.n)
			u->edit_end++;
		break;
	case ACT_CANCEL:
		u->mode = MODE_NORMAL;
		review_say(u->r, 0, "edit cancelled");
		break;
	case ACT_SUBMIT:
		return span_submit(u, err);
	case ACT_LABEL:         /* t: the bounds and a new label, saved as one edit */
		labels_open(u, u->edit_entity >= 0 ? PICK_EDIT : PICK_ADD);
		break;
	default:
		break;
	}
	return UI_REDRAW;
}

/* ---- the actions of the normal mode ---------------------------------------- */

/* h l: the token cursor, left or right on screen (in a right-to-left sentence, backwards or on). */
static int
move_cursor(struct ui *u, int dir, struct ferry_err *err)
{
	(void)err;
	review_set_cursor(u->r, pane_visual_step(&review_pair(u->r)->tgt, review_cursor(u->r), dir));
	pair_show_cursor(u);
	return UI_REDRAW;
}

/* j k: the selected entity. */
static int
move_entity(struct ui *u, int dir, struct ferry_err *err)
{
	(void)err;
	review_move_entity(u->r, dir);
	u->follow_cursor = 0;
	return UI_REDRAW;
}

/* ] [: the next or previous pair in the list. */
static int
step_pair(struct ui *u, int dir, struct ferry_err *err)
{
	size_t pos = review_pos(u->r);

	return redraw_unless_error(review_goto(u->r, dir > 0 ? pos + 1 : pos ? pos - 1 : 0, err));
}

/* g G: the first or last pair. */
static int
jump_pair(struct ui *u, int last, struct ferry_err *err)
{
	size_t n = review_npairs(u->r);

	return redraw_unless_error(review_goto(u->r, last && n ? n - 1 : 0, err));
}

/* e: edit the selected entity's span (or make one at the cursor). */
static int
edit_span(struct ui *u, int arg, struct ferry_err *err)
{
	struct review *r = u->r;
	int e = review_entity(r);
	const struct proj *pr = review_projection(r, e);
	uint32_t cursor = review_cursor(r);

	(void)arg;
	(void)err;
	if (e < 0) {
		review_say(r, 1, "no entity selected (j/k select one)");
		return UI_REDRAW;
	}
	u->mode = MODE_EDIT;
	u->edit_entity = e;
	u->edit_start = pr ? pr->span.start : cursor;
	u->edit_end = pr ? pr->span.end : cursor + 1;
	return UI_REDRAW;
}

/* +: a new span from the cursor, then its label. */
static int
add_span(struct ui *u, int arg, struct ferry_err *err)
{
	uint32_t cursor = review_cursor(u->r);

	(void)arg;
	(void)err;
	if (review_pair(u->r)->tgt.n == 0)
		return UI_REDRAW;
	u->mode = MODE_EDIT;
	u->edit_entity = -1;
	u->edit_start = cursor;
	u->edit_end = cursor + 1;
	return UI_REDRAW;
}

/* t: the label picker for the selected projection. */
static int
relabel(struct ui *u, int arg, struct ferry_err *err)
{
	const struct proj *pr = review_projection(u->r, review_entity(u->r));

	(void)arg;
	(void)err;
	if (pr == NULL)
		review_say(u->r, 1, "no projection selected");
	else
		labels_open(u, PICK_RELABEL);
	return UI_REDRAW;
}

/* / f :: the prompt line, empty. */
static int
open_prompt(struct ui *u, int kind, struct ferry_err *err)
{
	(void)err;
	prompt_open(u, (enum prompt_kind)kind, "");
	return UI_REDRAW;
}

/* T: adjudicating, the command line with :take; else a message. */
static int
take_version(struct ui *u, int arg, struct ferry_err *err)
{
	(void)arg;
	(void)err;
	if (!review_adjudicating(u->r))
		review_say(u->r, 1, "T takes a reviewer's version when adjudicating (ferry review --adjudicate)");
	else
		prompt_open(u, PROMPT_COMMAND, "take ");
	return UI_REDRAW;
}

/* o: the next order. */
static int
next_order(struct ui *u, int arg, struct ferry_err *err)
{
	(void)arg;
	return redraw_unless_error(review_next_order(u->r, err));
}

/* m: off, links, matrix, off. */
static int
next_align_view(struct ui *u, int arg, struct ferry_err *err)
{
	(void)arg;
	(void)err;
	u->align = (enum align_view)((u->align + 1) % ALIGN_VIEW_COUNT);
	review_say(u->r, 0, "%s", align_describe(u));
	return UI_REDRAW;
}

/* The table's arg for actions whose argument the key gives (the alternative of 1-9). */
#define ARG_OF_REQUEST INT_MIN

/*
 * What each action of the normal mode does: the view's own run(u, arg),
 * a model call model(r, arg), or a model edit as it is.
 */
static const struct pair_action {
	int (*run)(struct ui *u, int arg, struct ferry_err *err);
	int (*model)(struct review *r, int arg, struct ferry_err *err);
	int (*edit)(struct review *r, struct ferry_err *err);
	int arg;
} pair_actions[ACT_COUNT] = {
	[ACT_CURSOR_LEFT]    = { .run = move_cursor, .arg = -1 },
	[ACT_CURSOR_RIGHT]   = { .run = move_cursor, .arg = 1 },
	[ACT_CURSOR_NEXT]    = { .model = review_cursor_jump, .arg = JUMP_NEXT },
	[ACT_CURSOR_PREV]    = { .model = review_cursor_jump, .arg = JUMP_PREV },
	[ACT_CURSOR_FIRST]   = { .model = review_cursor_jump, .arg = JUMP_FIRST },
	[ACT_CURSOR_LAST]    = { .model = review_cursor_jump, .arg = JUMP_LAST },
	[ACT_ENTITY_NEXT]    = { .run = move_entity, .arg = 1 },
	[ACT_ENTITY_PREV]    = { .run = move_entity, .arg = -1 },
	[ACT_PAIR_NEXT]      = { .run = step_pair, .arg = 1 },
	[ACT_PAIR_PREV]      = { .run = step_pair, .arg = -1 },
	[ACT_PENDING_NEXT]   = { .model = review_next_pending, .arg = 1 },
	[ACT_PENDING_PREV]   = { .model = review_next_pending, .arg = -1 },
	[ACT_FIRST]          = { .run = jump_pair, .arg = 0 },
	[ACT_LAST]           = { .run = jump_pair, .arg = 1 },
	[ACT_ACCEPT]         = { .edit = review_accept },
	[ACT_REJECT]         = { .edit = review_reject },
	[ACT_CHOOSE]         = { .model = review_choose, .arg = ARG_OF_REQUEST },
	[ACT_EDIT]           = { .run = edit_span },
	[ACT_LABEL]          = { .run = relabel },
	[ACT_DELETE]         = { .edit = review_delete },
	[ACT_ADD]            = { .run = add_span },
	[ACT_NO_COUNTERPART] = { .edit = review_no_counterpart },
	[ACT_RERUN]          = { .edit = review_rerun },
	[ACT_UNDO]           = { .model = review_undo, .arg = 0 },
	[ACT_REDO]           = { .model = review_undo, .arg = 1 },
	[ACT_SEARCH]         = { .run = open_prompt, .arg = PROMPT_SEARCH },
	[ACT_SEARCH_NEXT]    = { .model = review_search, .arg = 1 },
	[ACT_SEARCH_PREV]    = { .model = review_search, .arg = -1 },
	[ACT_FILTER]         = { .run = open_prompt, .arg = PROMPT_FILTER },
	[ACT_ORDER]          = { .run = next_order },
	[ACT_COMMAND]        = { .run = open_prompt, .arg = PROMPT_COMMAND },
	[ACT_TAKE]           = { .run = take_version },
	[ACT_ALIGN_VIEW]     = { .run = next_align_view },
	/* redraw, help and quit are the driver's */
};

/* A request to the pair view, in the mode it is in. */
static int
pair_request(struct ui *u, const struct request *rq, struct ferry_err *err)
{
	if (u->mode == MODE_PROMPT)
		return prompt_request(u, rq, err);
	if (u->mode == MODE_EDIT)
		return span_request(u, rq, err);
	if (u->mode == MODE_LABEL)
		return labels_request(u, rq, err);
	if (rq->act == ACT_RESIZE)
		return UI_UNHANDLED;
	review_clear_message(u->r);
	if (rq->act < 0 || rq->act >= ACT_COUNT)
		return UI_UNHANDLED;
	const struct pair_action *h = &pair_actions[rq->act];
	int arg = h->arg == ARG_OF_REQUEST ? rq->arg : h->arg;
	if (h->run)
		return h->run(u, arg, err);
	if (h->model)
		return redraw_unless_error(h->model(u->r, arg, err));
	if (h->edit)
		return redraw_unless_error(h->edit(u->r, err));
	return UI_UNHANDLED;
}

/* The keys that apply: the prompt's, the span editor's or the bindings. */
static enum key_mode
pair_mode(const struct ui *u)
{
	return u->mode == MODE_PROMPT ? KEYMODE_PROMPT : u->mode == MODE_EDIT ? KEYMODE_SPAN :
	       u->mode == MODE_LABEL ? KEYMODE_LABEL : KEYMODE_NORMAL;
}

const struct view_ops view_pair = {
	.name = "pair",
	.mode = pair_mode,
	.draw = pair_draw,
	.request = pair_request,
};
