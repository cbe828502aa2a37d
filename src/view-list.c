/*
 * view-list.c — the one list widget of the views (after tmux's
 * mode-tree.c): the entity list, the alternatives and the help are each
 * a struct list whose items a callback draws.  The widget knows which
 * items are in view; what an item looks like is its owner's business.
 */
#include "ferry/view.h"

/* A list of n items, sel selected (-1: none), shown from the first. */
void
list_init(struct list *l, size_t n, long sel,
	  int (*draw_item)(const struct list *, struct screen *, int, int, int, size_t), const void *arg)
{
	l->n = n;
	l->top = 0;
	l->sel = sel;
	l->draw_item = draw_item;
	l->item_width = NULL;
	l->arg = arg;
}

/* Scroll so the selection shows, moving the top no further than needed. */
void
list_show_selected(struct list *l, int rows)
{
	if (l->sel < 0 || rows <= 0)
		return;
	size_t sel = (size_t)l->sel;
	if (sel < l->top)
		l->top = sel;
	else if (sel >= l->top + (size_t)rows)
		l->top = sel - (size_t)(rows - 1);
}

/* Scroll by delta items; the top stays on an item. */
void
list_scroll(struct list *l, long delta)
{
	if (delta < 0)
		l->top = (size_t)-delta > l->top ? 0 : l->top - (size_t)-delta;
	else if (l->n > 0)
		l->top = l->top + (size_t)delta >= l->n ? l->n - 1 : l->top + (size_t)delta;
}

/* Items from the top, one a row. */
void
list_draw_rows(const struct list *l, struct screen *s, int y, int rows)
{
	for (int i = 0; i < rows && l->top + (size_t)i < l->n; i++)
		l->draw_item(l, s, y + i, 0, s->cols, l->top + (size_t)i);
}

/* Items from the top, side by side, while the row has room. */
int
list_draw_flow(const struct list *l, struct screen *s, int y, int x)
{
	for (size_t i = l->top; i < l->n && x < s->cols; i++)
		x += l->draw_item(l, s, y, x, s->cols - x, i);
	return x;
}

/* Where item i of a wrapped flow starts: *x on row *row (both advanced past it); cols wide rows. */
static void
flow_place(const struct list *l, size_t i, int cols, int indent, int *row, int *x, int *at)
{
	int w = l->item_width(l, i);

	if (*x > indent && *x + w > cols) {
		(*row)++;
		*x = indent;
	}
	*at = *x;
	*x += w;
}

/* The rows a wrapped flow of the items takes. */
int
list_flow_rows(const struct list *l, int cols, int x, int indent)
{
	int row = 0, at;

	for (size_t i = l->top; i < l->n; i++)
		flow_place(l, i, cols, indent, &row, &x, &at);
	return row + 1;
}

/* The items side by side, wrapping, in at most rows rows. */
void
list_draw_wrapped(const struct list *l, struct screen *s, int y, int x, int rows, int indent)
{
	int row = 0, at;

	for (size_t i = l->top; i < l->n; i++) {
		flow_place(l, i, s->cols, indent, &row, &x, &at);
		if (row >= rows)
			break;
		l->draw_item(l, s, y + row, at, s->cols - at, i);
	}
}
