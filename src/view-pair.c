/*
 * view-pair.c — the pair view: top bar, source and target panes, entity
 * list with scores, margins and alternatives, the alignment view, the
 * status line; and the requests that act on them.
 *
 * Layout, top to bottom: bar (1 row); source and target panes side by
 * side when the terminal is 80 columns or wider, stacked otherwise; the
 * entity list; the alternatives of the selected entity; the alignment
 * view when toggled (links, or a matrix); a message row; a key-hint or
 * prompt row.  Labels are always written out ([PER Angela Merkel]), so
 * nothing depends on colour.
 *
 * Requests come in one of three modes: normal (the bindings, each action
 * one handler in pair_actions), the span editor (e, +) and the prompt
 * line (view-prompt.c).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/mem.h"
#include "view-int.h"

/* A labelled range of a token sequence to draw. */
struct mark {
	uint32_t start, end;
	const char *label;
	int selected, pinned;
	enum elem color;            /* its label's (label_elem) */
};

/* How a mark's brackets and label are drawn. */
static enum elem
mark_elem(const struct mark *m)
{
	return m->selected ? ELEM_SELECTED : m->color;
}

/* Does the text read right to left (its first strong character says)? */
static int
first_strong_rtl(const struct toks *t)
{
	struct text_cells c = { 0 };
	struct ferry_err err;
	int rtl = 0;

	if (t->text && text_cells(t->text, t->len, &c, &err) == 0)
		for (size_t i = 0; i < c.n; i++) {
			const char *p = t->text + c.v[i].off;
			unsigned char b = (unsigned char)p[0];
			if (c.v[i].rtl) {
				rtl = 1;
				break;
			}
			if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b >= 0xC3)
				break;
		}
	text_cells_release(&c);
	return rtl;
}

/* A pane of tokens: what it shows and how. */
struct pane {
	const struct toks *t;
	const struct mark *m;
	size_t nm;
	long cursor;                /* token with the hardware cursor, -1: none */
	long edit_a, edit_b;        /* the span being edited, -1: none */
	int rtl;                    /* rows laid out from the right */
	int tag;                    /* tag cells with their tokens (for the mouse) */
};

/* Where a token goes when the pane is wrapped: column, row and width, its marks included. */
struct placed {
	int x, y, w;
};

/* Wrap the tokens into w columns; returns the rows they take. */
static int
place_tokens(const struct pane *p, int w, struct placed *pl)
{
	int row = 0, col = 0;

	for (uint32_t i = 0; i < p->t->n; i++) {
		size_t len;
		const char *tok = toks_get(p->t, i, &len);
		int width = screen_width(tok, len);
		for (size_t k = 0; k < p->nm; k++) {
			if (p->m[k].start == i)
				width += 1 + (int)strlen(p->m[k].label) + 1;
			if (p->m[k].end == i + 1)
				width += p->m[k].pinned ? 2 : 1;
		}
		pl[i].w = width > w ? w : width;
		if (col > 0 && col + 1 + pl[i].w > w) {
			row++;
			col = 0;
		}
		if (col > 0)
			col++;
		pl[i].x = col;
		pl[i].y = row;
		col += pl[i].w;
	}
	return row + 1;
}

/* Draw token i at (py, px), with the marks that open and close on it, up to column end. */
static void
draw_token(struct screen *s, const struct pane *p, uint32_t i, int py, int px, int end, struct buf *piece)
{
	const struct mark *in = NULL;

	for (size_t k = 0; k < p->nm; k++)
		if (p->m[k].start <= i && i < p->m[k].end)
			in = &p->m[k];
	enum elem e = in ? mark_elem(in) : ELEM_NORMAL;
	if ((long)i >= p->edit_a && (long)i < p->edit_b)
		e = ELEM_EDIT;
	for (size_t k = 0; k < p->nm; k++)
		if (p->m[k].start == i) {
			buf_reset(piece);
			buf_addf(piece, "[%s ", p->m[k].label);
			px += screen_text(s, py, px, end - px, piece->s, piece->len, mark_elem(&p->m[k]));
		}
	size_t len;
	const char *tok = toks_get(p->t, i, &len);
	if ((long)i == p->cursor) {
		s->cur_y = py;
		s->cur_x = px;
		e = ELEM_CURSOR;
	}
	int tw = screen_text(s, py, px, end - px, tok, len, e);
	if (p->tag)
		screen_tag(s, py, px, tw, (int32_t)i);
	px += tw;
	for (size_t k = 0; k < p->nm; k++)
		if (p->m[k].end == i + 1) {
			px += screen_str(s, py, px, end - px, "]", mark_elem(&p->m[k]));
			if (p->m[k].pinned)
				px += screen_str(s, py, px, end - px, "*", ELEM_PINNED);
		}
}

/* Draw a pane's tokens wrapped into the box (y, x, w, rows); returns the rows used. */
static int
draw_tokens(struct screen *s, const struct pane *p, int y, int x, int w, int rows)
{
	struct buf piece = BUF_INIT;

	if (p->t->n == 0) {
		screen_str(s, y, x, w, "(empty)", ELEM_DIM);
		return 1;
	}
	struct placed *pl = xmalloc(p->t->n * sizeof *pl);
	int used = place_tokens(p, w, pl);
	for (uint32_t i = 0; i < p->t->n && pl[i].y < rows; i++) {
		int px = p->rtl ? x + w - (pl[i].x + pl[i].w) : x + pl[i].x;
		draw_token(s, p, i, y + pl[i].y, px, x + w, &piece);
	}
	free(pl);
	buf_release(&piece);
	return used < rows ? used : rows;
}

/* The title bar: project, position, progress, filter, order. */
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
	buf_addf(&bar, " ferry  %s  pair %zu/%zu", slash ? slash + 1 : project, n ? review_pos(r) + 1 : 0, n);
	if (n)
		buf_addf(&bar, " (#%lld %s)", (long long)p->id, status_name(p->status));
	buf_addf(&bar, "  reviewed %lld/%lld %.0f%%", (long long)reviewed, (long long)total,
		 total ? 100.0 * (double)reviewed / (double)total : 0.0);
	buf_adds(&bar, "  filter ");
	review_describe_filter(r, &bar);
	buf_addf(&bar, "  order %s", review_order_name(r));
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

/* The source and target panes from row y; returns the row below them. */
static int
draw_panes(struct ui *u, struct screen *s, int y, int bottom, int small)
{
	const struct pair *p = review_pair(u->r);
	struct mark *ms = xcalloc(p->ents.n + 1, sizeof *ms), *mt = xcalloc(p->proj.n + 1, sizeof *mt);
	int editing = u->mode == MODE_EDIT, avail = bottom - y;
	int pane_rows = small ? 2 : (avail / 3 > 2 ? avail / 3 : 2);

	marks(u->r, ms, mt);
	struct pane src = { &p->src, ms, p->ents.n, -1, -1, -1, 0, 0 };
	struct pane tgt = { &p->tgt, mt, p->proj.n, (long)review_cursor(u->r), editing ? (long)u->edit_start : -1,
			    editing ? (long)u->edit_end : -1, first_strong_rtl(&p->tgt), 1 };
	if (s->cols >= 80) {
		int half = s->cols / 2;
		if (!small) {
			screen_str(s, y, 0, half - 1, "source", ELEM_DIM);
			screen_str(s, y, half, half, "target", ELEM_DIM);
			y++;
		}
		int src_rows = draw_tokens(s, &src, y, 0, half - 2, pane_rows);
		int tgt_rows = draw_tokens(s, &tgt, y, half, s->cols - half, pane_rows);
		y += (src_rows > tgt_rows ? src_rows : tgt_rows) + !small;
	} else {
		int each = small ? 1 : pane_rows / 2 + 1;
		if (!small)
			screen_str(s, y++, 0, s->cols, "source", ELEM_DIM);
		y += draw_tokens(s, &src, y, 0, s->cols, each);
		if (!small)
			screen_str(s, y++, 0, s->cols, "target", ELEM_DIM);
		y += draw_tokens(s, &tgt, y, 0, s->cols, each + small);
		y += !small;
	}
	free(ms);
	free(mt);
	return y;
}

/* One row of the entity list: the entity, its projection, score and margin. */
static int
entity_row(const struct list *l, struct screen *s, int y, int x, int w, size_t i)
{
	const struct review *r = l->arg;
	const struct pair *p = review_pair(r);
	int e = (int)i, sel = (long)i == l->sel, x0 = x, end = x + w;
	enum elem el = sel ? ELEM_SELECTED : ELEM_NORMAL;
	const struct span *sp = &p->ents.v[e];
	const struct proj *pr = review_projection(r, e);
	struct buf part = BUF_INIT;

	screen_fill(s, y, x, w, el);
	/* each part drawn on its own, so bidi reorders only within a part */
	buf_addf(&part, "%c%2d %-5s ", sel ? '>' : ' ', e + 1, sp->label);
	x += screen_text(s, y, x, end - x, part.s, part.len, el);
	buf_reset(&part);
	toks_span(&p->src, sp->start, sp->end, &part);
	x += screen_text(s, y, x, end - x, part.s, part.len, el);
	x += screen_str(s, y, x, end - x, " -> ", el);
	if (pr) {
		buf_reset(&part);
		toks_span(&p->tgt, pr->span.start, pr->span.end, &part);
		x += screen_text(s, y, x, end - x, part.s, part.len, el);
		buf_reset(&part);
		if (strcmp(pr->span.label, sp->label) != 0)
			buf_addf(&part, " (%s)", pr->span.label);
		buf_addf(&part, "  %.2f %+.2f%s", pr->score, pr->margin, pr->by_reviewer ? " *" : "");
		x += screen_text(s, y, x, end - x, part.s, part.len, el);
	} else {
		x += screen_str(s, y, x, end - x,
				review_no_counterpart_pinned(r, e) ? "(no counterpart) *" : "(none)", el);
	}
	buf_release(&part);
	return x - x0;
}

/* The entity list in rows y .. y+rows-1, after a header row when asked. */
static void
draw_entities(const struct review *r, struct screen *s, int y, int rows, int header)
{
	const struct pair *p = review_pair(r);
	struct list l;

	if (rows <= 0)
		return;
	if (header) {
		screen_printf(s, y, 0, s->cols, ELEM_DIM, "entities (%zu): source -> projection  score margin", p->ents.n);
		y++;
		rows--;
	}
	list_init(&l, p->ents.n, review_entity(r), entity_row, r);
	list_show_selected(&l, rows);
	list_draw_rows(&l, s, y, rows);
}

/* The alternatives of the selected entity, for their list's items. */
struct alternatives {
	const struct pair *p;
	const struct match_cand *v;
};

/* One alternative: its number, its tokens, its score. */
static int
alternative_item(const struct list *l, struct screen *s, int y, int x, int w, size_t i)
{
	const struct alternatives *alts = l->arg;
	const struct match_cand *c = &alts->v[i];
	struct buf part = BUF_INIT;
	int x0 = x, end = x + w;

	buf_addf(&part, "  %zu ", i + 1);
	x += screen_text(s, y, x, end - x, part.s, part.len, ELEM_DIM);
	buf_reset(&part);
	toks_span(&alts->p->tgt, c->start, c->end, &part);
	x += screen_text(s, y, x, end - x, part.s, part.len, ELEM_NORMAL);
	buf_reset(&part);
	buf_addf(&part, " %.2f", c->score);
	x += screen_text(s, y, x, end - x, part.s, part.len, ELEM_DIM);
	buf_release(&part);
	return x - x0;
}

/* The alternatives row: as many as fit. */
static void
draw_alternatives(const struct review *r, struct screen *s, int y)
{
	size_t n;
	struct alternatives alts = { review_pair(r), review_alternatives(r, review_entity(r), &n) };
	struct list l;
	int x = screen_str(s, y, 0, s->cols, "alternatives:", ELEM_DIM);

	list_init(&l, n, -1, alternative_item, &alts);
	x = list_draw_flow(&l, s, y, x);
	if (n == 0)
		screen_str(s, y, x, s->cols - x, review_entity(r) >= 0 ? "  (none)" : "  (select an entity)", ELEM_DIM);
}

/* Token i of t as "  3 word" in w columns from x. */
static void
draw_numbered_token(struct screen *s, int y, int x, int w, const struct toks *t, uint32_t i, struct buf *line)
{
	size_t len;
	const char *tok = toks_get(t, i, &len);

	buf_reset(line);
	buf_addf(line, "%3u %.*s", i, (int)len, tok);
	screen_text(s, y, x, w, line->s, line->len, ELEM_NORMAL);
}

/* Two token columns; between them each source row names its targets. */
static void
draw_links(const struct pair *p, const struct links *l, struct screen *s, int y, int rows)
{
	int colw = (s->cols - 16) / 2 < 24 ? (s->cols - 16) / 2 : 24;
	int mid = colw + 1, right = mid + 15;
	uint32_t n = p->src.n > p->tgt.n ? p->src.n : p->tgt.n;
	struct buf line = BUF_INIT;

	screen_str(s, y, 0, colw, "source", ELEM_DIM);
	screen_str(s, y, right, colw, "target", ELEM_DIM);
	for (uint32_t i = 0; i < n && (int)i + 1 < rows; i++) {
		int row = y + 1 + (int)i;
		if (i < p->src.n) {
			draw_numbered_token(s, row, 0, colw, &p->src, i, &line);
			buf_reset(&line);
			for (size_t k = 0; k < l->n; k++)
				if (l->v[k].s == i)
					buf_addf(&line, "%s%u", line.len ? "," : "-> ", l->v[k].t);
			screen_text(s, row, mid, right - mid - 1, line.s, line.len, ELEM_LINK);
		}
		if (i < p->tgt.n)
			draw_numbered_token(s, row, right, colw, &p->tgt, i, &line);
	}
	buf_release(&line);
}

/* Source tokens down, target tokens across, # where they are linked. */
static void
draw_matrix(const struct pair *p, const struct links *l, struct screen *s, int y, int rows)
{
	int lw = 12;

	screen_str(s, y, 0, s->cols, "matrix (rows source, columns target, # = link)", ELEM_DIM);
	for (uint32_t i = 0; i < p->src.n && (int)i + 1 < rows; i++) {
		size_t len;
		const char *tok = toks_get(&p->src, i, &len);
		screen_text(s, y + 1 + (int)i, 0, lw - 1, tok, len, ELEM_NORMAL);
		for (uint32_t j = 0; j < p->tgt.n && lw + (int)j < s->cols; j++) {
			int on = 0;
			for (size_t k = 0; k < l->n && !on; k++)
				on = l->v[k].s == i && l->v[k].t == j;
			screen_text(s, y + 1 + (int)i, lw + (int)j, 1, on ? "#" : ".", 1, on ? ELEM_LINK : ELEM_DIM);
		}
	}
}

/* The alignment view: the symmetrised links when there are reverse ones, else the forward. */
static void
draw_alignment(struct ui *u, struct screen *s, int y, int rows)
{
	const struct pair *p = review_pair(u->r);
	const struct links *l = p->has_rev ? &p->sym : &p->fwd;

	if (rows <= 1)
		return;
	if (u->align == ALIGN_LINKS)
		draw_links(p, l, s, y, rows);
	else
		draw_matrix(p, l, s, y, rows);
}

/* The key hints: the actions the table gives a word, each with its first key. */
static void
draw_hints(const struct ui *u, struct screen *s, int y)
{
	struct buf hint = BUF_INIT, keys = BUF_INIT;

	/* from the keymap, so rebinding shows here too */
	for (int a = 0; a < ACT_COUNT; a++) {
		const char *what = action_hint((enum action)a);
		if (what == NULL)
			continue;
		buf_reset(&keys);
		keymap_keys_of(u->km, (enum action)a, &keys);
		if (keys.len == 0)
			continue;
		char *sp = memchr(keys.s, ' ', keys.len);   /* the first key is enough */
		buf_addf(&hint, "%s%.*s %s", hint.len ? "  " : "", (int)(sp ? sp - keys.s : (long)keys.len), keys.s,
			 what);
	}
	screen_text(s, y, 0, s->cols, hint.s, hint.len, ELEM_STATUS);
	buf_release(&hint);
	buf_release(&keys);
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
		screen_printf(s, y, 0, s->cols, ELEM_STATUS,
			      "EDIT tokens %u-%u: h/l move start, H/L move end, t label, Enter keeps, Esc cancels",
			      u->edit_start + 1, u->edit_end);
	else
		draw_hints(u, s, y);
	screen_fill(s, y - 1, 0, s->cols, ELEM_NORMAL);
	if (msg[0])
		screen_str(s, y - 1, 0, s->cols, msg, is_error ? ELEM_ERROR : ELEM_MESSAGE);
}

/* The whole pair view. */
static void
pair_draw(struct ui *u, struct screen *s)
{
	const struct review *r = u->r;
	int bottom = s->rows - 2, small = s->rows < 20;

	draw_bar(r, s);
	draw_bottom(u, s);
	if (review_npairs(r) == 0) {
		screen_str(s, 2, 1, s->cols - 1, "no pairs match the filter (f changes it)", ELEM_DIM);
		return;
	}
	int y = draw_panes(u, s, 1, bottom, small);
	int left = bottom - y - 1;            /* one row for the alternatives */
	int list_rows = u->align != ALIGN_OFF ? left / 2 : left;
	int want = (int)review_pair(r)->ents.n + !small;
	if (list_rows > want)
		list_rows = want;
	if (list_rows < 1)
		list_rows = left > 0 ? 1 : 0;
	draw_entities(r, s, y, list_rows, !small);
	y += list_rows;
	if (y < bottom) {
		draw_alternatives(r, s, y);
		y++;
	}
	if (u->align != ALIGN_OFF && y + 1 < bottom)
		draw_alignment(u, s, y + 1, bottom - y - 1);
	if (u->mode == MODE_LABEL)
		labels_draw(u, s);
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

/* A request in the span editor: move its start or end, keep it, or cancel. */
static int
span_request(struct ui *u, const struct request *rq, struct ferry_err *err)
{
	switch (rq->act) {
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

/* h l: the token cursor. */
static int
move_cursor(struct ui *u, int dir, struct ferry_err *err)
{
	(void)err;
	review_move_cursor(u->r, dir);
	return UI_REDRAW;
}

/* j k: the selected entity. */
static int
move_entity(struct ui *u, int dir, struct ferry_err *err)
{
	(void)err;
	review_move_entity(u->r, dir);
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
