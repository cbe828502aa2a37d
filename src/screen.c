/* screen.c — the cell grid the views draw on. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/mem.h"
#include "ferry/screen.h"

static const char *const elem_names[ELEM_COUNT] = {
#define X(id, name) name,
	FERRY_ELEMENTS(X)
#undef X
};

/* The theme name of an element. */
const char *
elem_name(enum elem e)
{
	return elem_names[e];
}

/* An element by its theme name. */
int
elem_parse(const char *name, size_t len)
{
	for (int i = 0; i < ELEM_COUNT; i++)
		if (strlen(elem_names[i]) == len && memcmp(elem_names[i], name, len) == 0)
			return i;
	return -1;
}

/* A blank grid of cols x rows. */
void
screen_init(struct screen *s, int cols, int rows)
{
	s->cols = cols > 0 ? cols : 1;
	s->rows = rows > 0 ? rows : 1;
	s->cells = xcalloc((size_t)s->cols * (size_t)s->rows, sizeof *s->cells);
	screen_clear(s);
}

/* Free the grid. */
void
screen_release(struct screen *s)
{
	free(s->cells);
	memset(s, 0, sizeof *s);
}

/* Blank every cell. */
void
screen_clear(struct screen *s)
{
	for (int y = 0; y < s->rows; y++)
		screen_fill(s, y, 0, s->cols, ELEM_NORMAL);
	s->cur_x = s->cur_y = 0;
}

/* Blanks of one element. */
void
screen_fill(struct screen *s, int y, int x, int w, enum elem e)
{
	if (y < 0 || y >= s->rows)
		return;
	for (int i = x < 0 ? 0 : x; i < x + w && i < s->cols; i++) {
		struct scell *c = &s->cells[y * s->cols + i];
		c->text[0] = ' ';
		c->text[1] = '\0';
		c->width = 1;
		c->elem = (uint8_t)e;
		c->token = -1;
	}
}

/* Which target token cells show. */
void
screen_tag(struct screen *s, int y, int x, int w, int32_t token)
{
	if (y < 0 || y >= s->rows)
		return;
	for (int i = x < 0 ? 0 : x; i < x + w && i < s->cols; i++)
		s->cells[y * s->cols + i].token = token;
}

/* The target token a cell shows, or -1. */
int32_t
screen_token_at(const struct screen *s, int y, int x)
{
	if (y < 0 || y >= s->rows || x < 0 || x >= s->cols)
		return -1;
	return s->cells[y * s->cols + x].token;
}

/* Put one measured cell at (y, x); false when it does not fit. */
static int
put(struct screen *s, int y, int x, int limit, const char *t, const struct text_cell *tc, enum elem e)
{
	int w = tc->width;

	if (w == 0)
		return 1;              /* a lone combining mark: nothing to show */
	if (x + w > limit || x + w > s->cols || y < 0 || y >= s->rows)
		return 0;
	struct scell *c = &s->cells[y * s->cols + x];
	if (tc->escaped) {
		/* an escape is drawn as its characters, one cell each */
		for (int i = 0; i < w; i++) {
			c[i].text[0] = tc->shown[i];
			c[i].text[1] = '\0';
			c[i].width = 1;
			c[i].elem = (uint8_t)e;
		}
		return 1;
	}
	size_t n = tc->len < sizeof c->text - 1 ? tc->len : 0;
	if (n == 0) {
		/* a cluster too long to keep: show its first code point */
		size_t k = 1;
		while (k < tc->len && ((unsigned char)t[tc->off + k] & 0xC0) == 0x80)
			k++;
		n = k < sizeof c->text ? k : 1;
	}
	memcpy(c->text, t + tc->off, n);
	c->text[n] = '\0';
	c->width = (uint8_t)w;
	c->elem = (uint8_t)e;
	for (int i = 1; i < w; i++) {
		c[i].text[0] = '\0';
		c[i].width = 0;
		c[i].elem = (uint8_t)e;
	}
	return 1;
}

/* Text as clusters, in visual order, as far as it fits. */
int
screen_text(struct screen *s, int y, int x, int maxw, const char *t, size_t len, enum elem e)
{
	struct text_cells tc = { 0 };
	struct ferry_err err;
	size_t *vis;
	int used = 0;

	if (maxw <= 0 || len == 0 || text_cells(t, len, &tc, &err) < 0) {
		text_cells_release(&tc);
		return 0;
	}
	vis = xmalloc((tc.n + 1) * sizeof *vis);
	if (text_visual_order(t, &tc, 0, tc.n, vis, &err) < 0)
		for (size_t i = 0; i < tc.n; i++)
			vis[i] = i;
	for (size_t k = 0; k < tc.n; k++) {
		const struct text_cell *c = &tc.v[vis[k]];
		if (!put(s, y, x + used, x + maxw, t, c, e))
			break;
		used += c->width;
	}
	free(vis);
	text_cells_release(&tc);
	return used;
}

/* screen_text for a C string. */
int
screen_str(struct screen *s, int y, int x, int maxw, const char *t, enum elem e)
{
	return screen_text(s, y, x, maxw, t, strlen(t), e);
}

/* screen_text, formatted. */
int
screen_printf(struct screen *s, int y, int x, int maxw, enum elem e, const char *fmt, ...)
{
	struct buf text = BUF_INIT;
	va_list ap;
	int w;

	va_start(ap, fmt);
	buf_vaddf(&text, fmt, ap);
	va_end(ap);
	w = screen_text(s, y, x, maxw, buf_cstr(&text), text.len, e);
	buf_release(&text);
	return w;
}

/* Columns text takes. */
int
screen_width(const char *t, size_t len)
{
	struct text_cells tc = { 0 };
	struct ferry_err err;
	int w = 0;

	if (text_cells(t, len, &tc, &err) == 0)
		w = (int)tc.width;
	text_cells_release(&tc);
	return w;
}

/* Line ranges of text wrapped at spaces into w columns. */
void
screen_wrap(const char *t, size_t len, int w, struct text_ranges *out)
{
	size_t line = 0, line_end = 0, i = 0;
	int col = 0;

	while (i < len) {
		size_t gap_at = i;
		while (i < len && t[i] == ' ')
			i++;
		size_t word = i;
		while (i < len && t[i] != ' ')
			i++;
		if (word == i)
			break;          /* spaces at the end */
		int gap = (int)(word - gap_at), ww = screen_width(t + word, i - word);
		if (col > 0 && col + gap + ww > w) {
			VEC_GROW(out->v, out->cap, out->n + 1);
			out->v[out->n++] = (struct text_range){ line, line_end - line };
			line = word;
			col = gap = 0;
		}
		col += gap + ww;
		line_end = i;
	}
	VEC_GROW(out->v, out->cap, out->n + 1);
	out->v[out->n++] = (struct text_range){ line, line_end - line };
}

/* The grid as text. */
void
screen_dump(const struct screen *s, FILE *fp)
{
	struct buf line = BUF_INIT;

	for (int y = 0; y < s->rows; y++) {
		buf_reset(&line);
		for (int x = 0; x < s->cols; x++)
			buf_adds(&line, s->cells[y * s->cols + x].text);
		while (line.len && line.s[line.len - 1] == ' ')
			line.len--;
		fwrite(line.s, 1, line.len, fp);
		fputc('\n', fp);
	}
	buf_release(&line);
}
