/*
 * view-pane.c — a pane of tokens (the source or the target sentence):
 * word-wrapped into the pane's width with the entity brackets of each
 * token counted in, laid out line by line in bidi order, and drawn from
 * a scroll position.
 *
 * Layout: the tokens are cut into rows in logical order, each token with
 * what opens and closes on it ("[PER " ... "]*") as one unit that is
 * never split.  The bidi algorithm runs on the words of the whole
 * sentence (text_bidi_levels, one ICU call, none for text without a
 * right-to-left character); each row is then put in visual order from
 * those levels (rule L2) and, in a right-to-left sentence, set against
 * the right edge.  A token read right to left has its brackets mirrored:
 * the span's opening, with its label, on its right ("... ORG]"), its
 * closing on its left ("*[..."), so a span reads from its label on in
 * either direction.
 *
 * Scrolling is the caller's: it keeps a top row per pane and asks
 * pane_scroll for the least move that shows what must show (the cursor,
 * the span being edited, the selected entity).
 */
#include <stdlib.h>
#include <string.h>

#include "ferry/mem.h"
#include "view-int.h"

/* How a mark's brackets and label are drawn. */
static enum elem
mark_elem(const struct mark *m)
{
	return m->selected ? ELEM_SELECTED : m->color;
}

/* Columns of what opens (open) or closes on token i. */
static int
marks_width(const struct pane *p, uint32_t i, int open)
{
	int w = 0;

	for (size_t k = 0; k < p->nm; k++) {
		if (open && p->m[k].start == i)
			w += 2 + screen_width(p->m[k].label, strlen(p->m[k].label));
		if (!open && p->m[k].end == i + 1)
			w += p->m[k].pinned ? 2 : 1;
	}
	return w;
}

/* Flag the tokens that the search text overlaps (it may run across tokens). */
static void
find_hits(const struct pane *p, struct placed *pl)
{
	size_t n = p->hit ? strlen(p->hit) : 0, len;
	uint32_t i = 0;

	if (n == 0 || p->t->text == NULL)
		return;
	/* the matches come in order, so the first token they can reach only moves on */
	for (const char *at = strstr(p->t->text, p->hit); at; at = strstr(at + 1, p->hit)) {
		size_t a = (size_t)(at - p->t->text), b = a + n;
		while (i < p->t->n && (toks_get(p->t, i, &len), p->t->off[i] + len <= a))
			i++;
		for (uint32_t k = i; k < p->t->n && p->t->off[k] < b; k++)
			pl[k].hit = 1;
	}
}

/* Give the tokens of row [a, b) their columns in visual order, from the right in a right-to-left sentence. */
static void
place_row(const struct pane *p, struct pane_layout *lay, const uint8_t *level, uint32_t a, uint32_t b,
	  size_t *visual)
{
	int width = 0, x;

	text_bidi_reorder(level + a, b - a, visual);
	for (uint32_t i = a; i < b; i++)
		width += lay->pl[i].w + (i > a);
	x = p->rtl ? lay->w - width : 0;
	if (x < 0)
		x = 0;
	for (uint32_t k = 0; k < b - a; k++) {
		struct placed *q = &lay->pl[a + visual[k]];
		q->x = x;
		q->odd = level[a + visual[k]] & 1;
		x += q->w + 1;
	}
}

/* Lay the pane's tokens out in w columns. */
void
pane_layout(const struct pane *p, int w, struct pane_layout *lay)
{
	uint32_t n = p->t->n, a = 0;
	int32_t *rep = xmalloc((n + 1) * sizeof *rep);
	uint8_t *level = xmalloc(n + 1);
	size_t *visual = xmalloc((n + 1) * sizeof *visual);
	struct ferry_err err;
	int col = 0;

	lay->pl = xcalloc(n + 1, sizeof *lay->pl);
	lay->w = w < 1 ? 1 : w;
	lay->rows = 0;
	for (uint32_t i = 0; i < n; i++) {
		size_t len;
		const char *tok = toks_get(p->t, i, &len);
		int width = screen_width(tok, len) + marks_width(p, i, 1) + marks_width(p, i, 0);
		rep[i] = text_bidi_rep(tok, len);
		lay->pl[i].w = width > lay->w ? lay->w : width;
		if (col > 0 && col + 1 + lay->pl[i].w > lay->w) {
			lay->rows++;
			col = 0;
		}
		col += (col > 0) + lay->pl[i].w;
		lay->pl[i].y = lay->rows;
	}
	lay->rows += n > 0;
	if (text_bidi_levels(rep, n, p->rtl, level, &err) < 0)
		memset(level, p->rtl, n);
	for (uint32_t i = 1; i <= n; i++)
		if (i == n || lay->pl[i].y != lay->pl[a].y) {
			place_row(p, lay, level, a, i, visual);
			a = i;
		}
	find_hits(p, lay->pl);
	free(rep);
	free(level);
	free(visual);
}

/* Free a layout. */
void
pane_layout_release(struct pane_layout *lay)
{
	free(lay->pl);
	memset(lay, 0, sizeof *lay);
}

/* The row token i is on (the last row for a token past the end). */
int
pane_row(const struct pane_layout *lay, const struct pane *p, long i)
{
	if (p->t->n == 0 || i < 0)
		return 0;
	return lay->pl[(uint32_t)i < p->t->n ? (uint32_t)i : p->t->n - 1].y;
}

/* The top row that shows rows a..b of total (a first when they do not all fit), moved from top no more than needed. */
int
pane_scroll(int top, int rows, int total, int a, int b)
{
	if (rows <= 0)
		return 0;
	if (b < a)
		b = a;
	if (b >= top + rows)
		top = b - rows + 1;
	if (a < top)
		top = a;
	if (top > total - rows)
		top = total - rows;
	return top < 0 ? 0 : top;
}

/* The element of token i itself: its span's, or what the reviewer is looking at. */
static enum elem
token_elem(const struct pane *p, const struct placed *q, uint32_t i)
{
	const struct mark *in = NULL;
	enum elem e = ELEM_NORMAL;

	for (size_t k = 0; k < p->nm; k++)
		if (p->m[k].start <= i && i < p->m[k].end)
			in = &p->m[k];
	if (in)
		e = mark_elem(in);
	if ((long)i >= p->cand_a && (long)i < p->cand_b)
		e = ELEM_CANDIDATE;
	if (q->hit)
		e = ELEM_HIT;
	if ((long)i >= p->edit_a && (long)i < p->edit_b)
		e = ELEM_EDIT;
	return (long)i == p->cursor ? ELEM_CURSOR : e;
}

/* The brackets opening (open) or closing on token i, mirrored when it reads right to left; returns the columns used. */
static int
draw_marks(struct screen *s, const struct pane *p, uint32_t i, int open, int odd, int y, int x, int end,
	   struct buf *piece)
{
	int x0 = x;

	for (size_t j = 0; j < p->nm; j++) {
		/* mirrored, the marks come in the opposite order too */
		const struct mark *m = &p->m[odd ? p->nm - 1 - j : j];
		enum elem e = mark_elem(m);
		buf_reset(piece);
		if (open && m->start == i)
			buf_addf(piece, odd ? " %s]" : "[%s ", m->label);
		else if (!open && m->end == i + 1 && !odd)
			buf_adds(piece, "]");
		if (piece->len)
			x += screen_text(s, y, x, end - x, piece->s, piece->len, e);
		if (!open && m->end == i + 1) {
			if (m->pinned)
				x += screen_str(s, y, x, end - x, "*", ELEM_PINNED);
			if (odd)
				x += screen_str(s, y, x, end - x, "[", e);
		}
	}
	return x - x0;
}

/* Token i as placed, at row y of the screen from column x0 of the pane. */
static void
draw_unit(struct screen *s, const struct pane *p, const struct placed *q, uint32_t i, int y, int x0,
	  struct buf *piece)
{
	int x = x0 + q->x, end = x + q->w;
	size_t len;
	const char *tok = toks_get(p->t, i, &len);
	enum elem e = token_elem(p, q, i);

	/* on its left, what opens on it; mirrored, what closes */
	x += draw_marks(s, p, i, !q->odd, q->odd, y, x, end, piece);
	int tw = screen_text(s, y, x, end - x, tok, len, e);
	if ((long)i == p->cursor && tw > 0) {
		s->cur_y = y;
		s->cur_x = q->odd ? x + tw - 1 : x;
	}
	if (p->tag)
		screen_tag(s, y, x, tw, (int32_t)i);
	x += tw;
	draw_marks(s, p, i, q->odd, q->odd, y, x, end, piece);
}

/* Rows top .. top+rows-1 of the layout, at (y, x). */
void
pane_draw(struct screen *s, const struct pane *p, const struct pane_layout *lay, int y, int x, int top,
	  int rows)
{
	struct buf piece = BUF_INIT;

	if (p->t->n == 0) {
		screen_str(s, y, x, lay->w, "(empty)", ELEM_DIM);
		return;
	}
	for (uint32_t i = 0; i < p->t->n; i++)
		if (lay->pl[i].y >= top && lay->pl[i].y < top + rows)
			draw_unit(s, p, &lay->pl[i], i, y + lay->pl[i].y - top, x, &piece);
	buf_release(&piece);
}

/* The token beside token cur on screen, left (dir < 0) or right, in the sentence's visual order. */
uint32_t
pane_visual_step(const struct toks *t, uint32_t cur, int dir)
{
	uint32_t n = t->n, next = cur;
	int32_t *rep;
	uint8_t *level;
	size_t *visual;
	struct ferry_err err;

	if (n == 0)
		return 0;
	rep = xmalloc(n * sizeof *rep);
	level = xmalloc(n);
	visual = xmalloc(n * sizeof *visual);
	for (uint32_t i = 0; i < n; i++) {
		size_t len;
		const char *tok = toks_get(t, i, &len);
		rep[i] = text_bidi_rep(tok, len);
	}
	int rtl = t->text && text_first_strong_rtl(t->text, t->len);
	if (text_bidi_levels(rep, n, rtl, level, &err) < 0)
		memset(level, rtl, n);
	text_bidi_reorder(level, n, visual);
	for (uint32_t k = 0; k < n; k++)
		if (visual[k] == cur) {
			if (dir < 0 && k > 0)
				next = (uint32_t)visual[k - 1];
			else if (dir > 0 && k + 1 < n)
				next = (uint32_t)visual[k + 1];
			break;
		}
	free(rep);
	free(level);
	free(visual);
	return next;
}
