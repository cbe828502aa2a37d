/*
 * view-align.c — the alignment view below the pair view's entity list
 * (m cycles off, links, matrix): the word alignment as the matcher sees
 * it, scrolled to the selected entity.
 *
 * Which links: those the matcher's settings use (match-links.c).  With
 * links=both and a reverse alignment, a link found in both directions
 * is drawn as such (#), one found in one direction only, which the
 * matcher weighs by one_way, is drawn apart (+, dim); otherwise the
 * symmetrised (or forward) list, all #.
 *
 * The links view has a row per source token: its number and word, then
 * the target words it links to with their numbers.  The matrix has a
 * row per source token and a column per target token, the target words
 * written down the column heads.  Both scroll so that the selected
 * entity's source tokens show (or, after the cursor moved, the source
 * tokens linked to it), and the matrix sideways to the entity's
 * projection (or the cursor).  Token numbers count from 1, as the span
 * editor and the alternatives do.
 */
#include <stdlib.h>
#include <string.h>

#include "ferry/mem.h"
#include "view-int.h"

enum { LINK_FWD = 1, LINK_REV = 2, LINK_BOTH = 3 };

/* The links as a source x target grid of LINK_* bits; *two_way says whether one-way links are told apart. */
static uint8_t *
link_grid(const struct review *r, const struct pair *p, int *two_way)
{
	const struct match_opts *mo = review_match_opts(r);
	size_t ns = p->src.n, nt = p->tgt.n;
	uint8_t *g = xcalloc(ns * nt + 1, 1);
	const struct links *one = mo->links == LINKS_FWD ? &p->fwd : &p->sym;

	*two_way = mo->links == LINKS_BOTH && p->has_rev && mo->one_way > 0;
	if (*two_way) {
		for (size_t k = 0; k < p->fwd.n; k++)
			if (p->fwd.v[k].s < ns && p->fwd.v[k].t < nt)
				g[p->fwd.v[k].s * nt + p->fwd.v[k].t] |= LINK_FWD;
		for (size_t k = 0; k < p->rev.n; k++)
			if (p->rev.v[k].s < ns && p->rev.v[k].t < nt)
				g[p->rev.v[k].s * nt + p->rev.v[k].t] |= LINK_REV;
		return g;
	}
	for (size_t k = 0; k < one->n; k++)
		if (one->v[k].s < ns && one->v[k].t < nt)
			g[one->v[k].s * nt + one->v[k].t] = LINK_BOTH;
	return g;
}

/* The source rows [*a, *b] to show: the selected entity's, or those linked to the cursor. */
static void
source_focus(const struct ui *u, const struct pair *p, const uint8_t *g, int *a, int *b)
{
	int e = review_entity(u->r);
	uint32_t c = review_cursor(u->r);

	*a = *b = -1;
	if (u->follow_cursor && c < p->tgt.n)
		for (uint32_t i = 0; i < p->src.n; i++)
			if (g[i * p->tgt.n + c]) {
				*a = *a < 0 ? (int)i : *a;
				*b = (int)i;
			}
	if (*a < 0 && e >= 0) {
		*a = (int)p->ents.v[e].start;
		*b = (int)p->ents.v[e].end - 1;
	}
}

/* The legend row: what the view shows, and what + stands for (and # in the matrix). */
static void
draw_legend(const struct review *r, struct screen *s, int y, const char *what, int two_way, int matrix)
{
	struct buf line = BUF_INIT;

	buf_adds(&line, what);
	if (two_way)
		buf_addf(&line, "; %s+ one direction only (weight %g)", matrix ? "# both, " : "",
			 review_match_opts(r)->one_way);
	screen_text(s, y, 0, s->cols, line.s, line.len, ELEM_DIM);
	buf_release(&line);
}

/* Each source token with the target words it links to, from row top. */
static void
draw_links(struct ui *u, const struct pair *p, const uint8_t *g, int two_way, struct screen *s, int y, int rows)
{
	int colw = s->cols / 3 < 22 ? s->cols / 3 : 22, a, b;
	struct buf line = BUF_INIT;

	draw_legend(u->r, s, y, "links: source -> target words", two_way, 0);
	rows--;
	source_focus(u, p, g, &a, &b);
	if (a >= 0)
		u->align_top = pane_scroll(u->align_top, rows, (int)p->src.n, a, b);
	int e = review_entity(u->r);
	for (int row = 0; row < rows && (uint32_t)(u->align_top + row) < p->src.n; row++) {
		uint32_t i = (uint32_t)(u->align_top + row);
		int sel = e >= 0 && i >= p->ents.v[e].start && i < p->ents.v[e].end, yy = y + 1 + row;
		size_t len;
		const char *tok = toks_get(&p->src, i, &len);
		buf_reset(&line);
		buf_addf(&line, "%3u %.*s", i + 1, (int)len, tok);
		screen_text(s, yy, 0, colw, line.s, line.len, sel ? ELEM_SELECTED : ELEM_NORMAL);
		int x = colw + 1 + screen_str(s, yy, colw + 1, s->cols - colw - 1, "->", ELEM_DIM);
		for (uint32_t j = 0; j < p->tgt.n && x < s->cols; j++) {
			uint8_t k = g[i * p->tgt.n + j];
			if (!k)
				continue;
			tok = toks_get(&p->tgt, j, &len);
			buf_reset(&line);
			buf_addf(&line, " %s%u ", k == LINK_BOTH ? "" : "+", j + 1);
			x += screen_text(s, yy, x, s->cols - x, line.s, line.len, ELEM_DIM);
			x += screen_text(s, yy, x, s->cols - x, tok, len, k == LINK_BOTH ? ELEM_LINK : ELEM_DIM);
		}
	}
	buf_release(&line);
}

/* The target columns [*a, *b] to show: the selected entity's projection, else the cursor. */
static void
target_focus(const struct ui *u, int *a, int *b)
{
	const struct proj *pr = review_projection(u->r, review_entity(u->r));

	if (pr && !u->follow_cursor) {
		*a = (int)pr->span.start;
		*b = (int)pr->span.end - 1;
	} else {
		*a = *b = (int)review_cursor(u->r);
	}
}

/* Down the head of column x: the first clusters of target token j, in hdr rows from y. */
static void
draw_column_head(struct screen *s, const struct pair *p, uint32_t j, int y, int x, int cw, int hdr, enum elem e)
{
	struct text_cells c = { 0 };
	struct ferry_err err;
	size_t len;
	const char *tok = toks_get(&p->tgt, j, &len);

	if (text_cells(tok, len, &c, &err) == 0)
		for (size_t k = 0; k < c.n && (int)k < hdr; k++)
			screen_text(s, y + (int)k, x, cw, tok + c.v[k].off, c.v[k].len, e);
	text_cells_release(&c);
}

/* How wide a matrix column is (2 for wide characters) and how many head rows the target words want. */
static void
matrix_columns(const struct pair *p, int *cw, int *longest)
{
	*cw = 1;
	*longest = 1;
	for (uint32_t j = 0; j < p->tgt.n; j++) {
		size_t len;
		const char *tok = toks_get(&p->tgt, j, &len);
		int w = screen_width(tok, len);
		if (w > (int)len)
			*cw = 2;        /* wider than its bytes: a wide script */
		if ((int)len > *longest)
			*longest = (int)len;
	}
}

/* Source tokens down, target tokens across with their words as column heads. */
static void
draw_matrix(struct ui *u, const struct pair *p, const uint8_t *g, int two_way, struct screen *s, int y, int rows)
{
	int lw = s->cols / 5 < 14 ? s->cols / 5 : 14, cw, longest, a, b;
	const struct proj *pr = review_projection(u->r, review_entity(u->r));
	int e = review_entity(u->r);

	matrix_columns(p, &cw, &longest);
	draw_legend(u->r, s, y, "matrix: source down, target across", two_way, 1);
	int hdr = longest < 6 ? longest : 6;
	if (hdr > (rows - 1) / 3)
		hdr = (rows - 1) / 3 > 1 ? (rows - 1) / 3 : 1;
	int body = rows - 1 - hdr, ncols = (s->cols - lw) / cw;
	source_focus(u, p, g, &a, &b);
	if (a >= 0)
		u->align_top = pane_scroll(u->align_top, body, (int)p->src.n, a, b);
	target_focus(u, &a, &b);
	u->align_left = pane_scroll(u->align_left, ncols, (int)p->tgt.n, a, b);
	for (int c = 0; c < ncols && (uint32_t)(u->align_left + c) < p->tgt.n; c++) {
		uint32_t j = (uint32_t)(u->align_left + c);
		int on = pr && j >= pr->span.start && j < pr->span.end;
		draw_column_head(s, p, j, y + 1, lw + c * cw, cw, hdr, on ? ELEM_SELECTED : ELEM_DIM);
	}
	for (int row = 0; row < body && (uint32_t)(u->align_top + row) < p->src.n; row++) {
		uint32_t i = (uint32_t)(u->align_top + row);
		int sel = e >= 0 && i >= p->ents.v[e].start && i < p->ents.v[e].end, yy = y + 1 + hdr + row;
		size_t len;
		const char *tok = toks_get(&p->src, i, &len);
		screen_text(s, yy, 0, lw - 1, tok, len, sel ? ELEM_SELECTED : ELEM_NORMAL);
		for (int c = 0; c < ncols && (uint32_t)(u->align_left + c) < p->tgt.n; c++) {
			uint8_t k = g[i * p->tgt.n + (uint32_t)(u->align_left + c)];
			const char *glyph = k == LINK_BOTH ? "#" : k ? "+" : ".";
			screen_str(s, yy, lw + c * cw, cw, glyph, k == LINK_BOTH ? ELEM_LINK : ELEM_DIM);
		}
	}
}

/* The alignment view as it is toggled, in rows y .. y+rows-1. */
void
align_draw(struct ui *u, struct screen *s, int y, int rows)
{
	const struct pair *p = review_pair(u->r);
	int two_way;

	if (rows < 2 || u->align == ALIGN_OFF)
		return;
	uint8_t *g = link_grid(u->r, p, &two_way);
	if (u->align == ALIGN_LINKS)
		draw_links(u, p, g, two_way, s, y, rows);
	else
		draw_matrix(u, p, g, two_way, s, y, rows);
	free(g);
}

/* The message of m: which view is on. */
const char *
align_describe(const struct ui *u)
{
	switch (u->align) {
	case ALIGN_LINKS:
		return "alignment view: links, each source word with its target words (m: matrix)";
	case ALIGN_MATRIX:
		return "alignment view: matrix, source words down, target words across (m: off)";
	default:
		return "alignment view off (m: links)";
	}
}
