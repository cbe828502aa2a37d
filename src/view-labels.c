/*
 * view-labels.c — the label picker, and the colour of a label.
 *
 * Labels come from the project's tag set (review_label: the labels of
 * its source entities, its target gold and its reviewers' spans).  The
 * picker lists them over the lower rows of the pair view, one key per
 * label as annotation tools have it, for the selected projection (t),
 * for the span in the span editor together with its new bounds (t
 * there: one edit, one undo step) and for a span added by hand (+ ...
 * Enter).  A label the project does not have is typed after `:` and
 * taken only once the reviewer confirms it with y.
 *
 * Keys: a label's is the first of its letters (in lower case) that no
 * label before it in the sorted tag set took, else the first free letter
 * a-z, then A-Z; labels past those have none and are reached with the
 * arrows.  Digits stay the alternatives' and are never a label's.  Enter
 * takes the highlighted label (at first the one the span has, or its
 * entity's); Esc cancels (back to the span editor when it came from it).
 *
 * Colours: a label in the tag set gets the theme's label slot of its
 * place in the set (six slots), so the first six labels never share a
 * colour; another label gets a slot by a hash of its text.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ferry/mem.h"
#include "view-int.h"

/* The slot of label: its place in the tag set, else a hash. */
enum elem
label_elem(const struct review *r, const char *label)
{
	long i = review_label_find(r, label);
	unsigned h = 5381;

	if (i >= 0)
		return (enum elem)(ELEM_LABEL1 + (int)(i % 6));
	for (const char *p = label; *p; p++)
		h = h * 33 + (unsigned char)*p;
	return (enum elem)(ELEM_LABEL1 + (int)(h % 6));
}

/* Mark key k taken in the table of letters; 1 if it was free. */
static int
take(unsigned char *taken, int k)
{
	if (k < 0 || k >= 128 || taken[k])
		return 0;
	taken[k] = 1;
	return 1;
}

/* The key of every label of the tag set (0: none), as the top of the file says; the caller frees. */
static int *
assign_keys(const struct review *r)
{
	size_t n = review_nlabels(r);
	int *keys = xcalloc(n + 1, sizeof *keys);
	unsigned char taken[128] = { 0 };

	taken[':'] = 1;
	for (size_t i = 0; i < n; i++) {
		for (const char *p = review_label(r, i); *p && !keys[i]; p++) {
			int c = (unsigned char)*p;
			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			if (c >= 'a' && c <= 'z' && take(taken, c))
				keys[i] = c;
		}
		for (int c = 'a'; c <= 'z' && !keys[i]; c++)
			if (take(taken, c))
				keys[i] = c;
		for (int c = 'A'; c <= 'Z' && !keys[i]; c++)
			if (take(taken, c))
				keys[i] = c;
	}
	return keys;
}

/* The label the span being labelled has now ("" for none). */
static const char *
current_label(const struct ui *u)
{
	const struct review *r = u->r;
	int e = u->pick.what == PICK_EDIT ? u->edit_entity : review_entity(r);
	const struct proj *pr = u->pick.what == PICK_ADD ? NULL : review_projection(r, e);

	if (pr)
		return pr->span.label;
	return e >= 0 && (size_t)e < review_pair(r)->ents.n ? review_pair(r)->ents.v[e].label : "";
}

/* Open the picker for `what`, the current label highlighted. */
void
labels_open(struct ui *u, enum pick_for what)
{
	long sel;

	u->mode = MODE_LABEL;
	u->pick.what = what;
	u->pick.confirm[0] = '\0';
	sel = review_label_find(u->r, current_label(u));
	list_init(&u->pick.list, review_nlabels(u->r) + 1, sel < 0 ? 0 : sel, NULL, NULL);
}

/* What the picker's rows draw from. */
struct pick_rows {
	const struct ui *u;
	const int *keys;
	const char *now;
};

/* One row: the label's key and the label in its colour; the last row types a new one. */
static int
pick_item(const struct list *l, struct screen *s, int y, int x, int w, size_t i)
{
	const struct pick_rows *pr = l->arg;
	const struct review *r = pr->u->r;
	int sel = (long)i == l->sel, x0 = x, end = x + w;
	enum elem base = sel ? ELEM_SELECTED : ELEM_NORMAL;
	struct buf key = BUF_INIT;

	screen_fill(s, y, x, w, base);
	if (i == review_nlabels(r)) {
		x += screen_str(s, y, x, end - x, sel ? "> :  a new label (typed, then confirmed)" :
				"  :  a new label (typed, then confirmed)", base);
		return x - x0;
	}
	const char *label = review_label(r, i);
	buf_adds(&key, sel ? "> " : "  ");
	if (pr->keys[i])
		buf_addc(&key, (char)pr->keys[i]);
	else
		buf_addc(&key, ' ');
	buf_adds(&key, "  ");
	x += screen_text(s, y, x, end - x, key.s, key.len, base);
	x += screen_str(s, y, x, end - x, label, sel ? ELEM_SELECTED : label_elem(r, label));
	if (strcmp(label, pr->now) == 0)
		x += screen_str(s, y, x, end - x, "  (now)", sel ? ELEM_SELECTED : ELEM_DIM);
	buf_release(&key);
	return x - x0;
}

/* The picker's title: what is being labelled. */
static void
pick_title(const struct ui *u, struct screen *s, int y)
{
	const struct review *r = u->r;
	const struct pair *p = review_pair(r);
	const struct proj *pr = review_projection(r, review_entity(r));
	uint32_t a = u->edit_start, b = u->edit_end;
	struct buf t = BUF_INIT;

	if (u->pick.what == PICK_RELABEL && pr) {
		a = pr->span.start;
		b = pr->span.end;
	}
	buf_adds(&t, u->pick.what == PICK_ADD ? "label of the new span \"" : "label of \"");
	if (a < b && b <= p->tgt.n)
		toks_span(&p->tgt, a, b, &t);
	buf_addf(&t, "\" (tokens %u-%u): press its key", a + 1, b);
	screen_fill(s, y, 0, s->cols, ELEM_STATUS);
	screen_text(s, y, 0, s->cols, t.s, t.len, ELEM_STATUS);
	buf_release(&t);
}

/* The picker over the lower rows of the pair view, and its keys on the bottom row. */
void
labels_draw(struct ui *u, struct screen *s)
{
	size_t n = review_nlabels(u->r);
	int avail = s->rows - 3, want = (int)n + 2, rows = avail / 2 > 3 ? avail / 2 : 3;
	int *keys = assign_keys(u->r);
	struct pick_rows pr = { u, keys, current_label(u) };

	if (rows > want)
		rows = want;
	if (rows > avail)
		rows = avail;
	int y = s->rows - 2 - rows;
	pick_title(u, s, y);
	u->pick.list.draw_item = pick_item;
	u->pick.list.arg = &pr;
	list_show_selected(&u->pick.list, rows - 1);
	for (int i = 1; i < rows; i++)
		screen_fill(s, y + i, 0, s->cols, ELEM_NORMAL);
	list_draw_rows(&u->pick.list, s, y + 1, rows - 1);
	u->pick.list.arg = NULL;
	screen_fill(s, s->rows - 1, 0, s->cols, ELEM_STATUS);
	screen_str(s, s->rows - 1, 0, s->cols, u->pick.confirm[0] ?
		   "NEW LABEL: y adds it, any other key cancels" :
		   "LABEL: a label's key picks it, Enter the highlighted, : a new label, Esc cancels", ELEM_STATUS);
	free(keys);
}

/*
 * Save the label picked for the span.  Every path of the picker ends
 * here, so how a span and its label are saved together is decided in
 * this one place: today review_set_span (the bounds and the label in one
 * edit, one undo step) and review_add for a span added by hand.
 */
static int
save_label(struct ui *u, const char *label, struct ferry_err *err)
{
	struct review *r = u->r;
	int e = review_entity(r), rc = 0;
	const struct proj *pr = review_projection(r, e);

	u->mode = MODE_NORMAL;
	u->pick.confirm[0] = '\0';
	switch (u->pick.what) {
	case PICK_ADD:
		rc = review_add(r, u->edit_start, u->edit_end, label, err);
		break;
	case PICK_EDIT:
		rc = review_set_span(r, u->edit_entity, u->edit_start, u->edit_end, label, err);
		break;
	case PICK_RELABEL:
		if (pr == NULL) {
			review_say(r, 1, "no projection selected");
			return UI_REDRAW;
		}
		if (strcmp(pr->span.label, label) == 0) {
			review_say(r, 0, "label: %s already (nothing changed)", label);
			return UI_REDRAW;
		}
		rc = review_set_span(r, e, pr->span.start, pr->span.end, label, err);
		break;
	}
	return redraw_unless_error(rc);
}

/* Leave the picker: back to the span editor when it came from there. */
static int
pick_cancel(struct ui *u)
{
	u->pick.confirm[0] = '\0';
	u->mode = u->pick.what == PICK_RELABEL ? MODE_NORMAL : MODE_EDIT;
	review_say(u->r, 0, u->pick.what == PICK_RELABEL ? "label: cancelled" : "label: cancelled, still editing the span");
	return UI_REDRAW;
}

/* A label typed after `:` (the prompt's submit): one of the tag set is taken, a new one asks first. */
int
labels_typed(struct ui *u, const char *in, struct ferry_err *err)
{
	struct review *r = u->r;
	size_t n = review_nlabels(r);

	u->mode = MODE_LABEL;
	if (!in[0] || strchr(in, ' ') || strlen(in) >= FERRY_LABEL_MAX) {
		review_say(r, 1, "label: %s (expected one word of at most %d bytes)", !in[0] ? "nothing typed" :
			   strchr(in, ' ') ? "more than one word" : "too long", FERRY_LABEL_MAX - 1);
		return UI_REDRAW;
	}
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(review_label(r, i), in) == 0)
			return save_label(u, review_label(r, i), err);
	snprintf(u->pick.confirm, sizeof u->pick.confirm, "%s", in);
	review_say(r, 0, "%s is not a label of this project: y adds it as a new label, any other key cancels", in);
	return UI_REDRAW;
}

/* y: the new label is taken (and joins the tag set once it is saved); any other key: not. */
static int
pick_confirm(struct ui *u, const struct request *rq, struct ferry_err *err)
{
	char label[FERRY_LABEL_MAX];
	int is_error;

	if (rq->act != ACT_TYPE || rq->arg != 'y') {
		review_say(u->r, 0, "new label %s not added", u->pick.confirm);
		u->pick.confirm[0] = '\0';
		return UI_REDRAW;
	}
	snprintf(label, sizeof label, "%s", u->pick.confirm);
	int f = save_label(u, label, err);
	review_message(u->r, &is_error);
	if (f >= 0 && !is_error)
		review_label_add(u->r, label);
	return f;
}

/* A label's key, or ':' for a new one. */
static int
pick_key(struct ui *u, int key, struct ferry_err *err)
{
	size_t n = review_nlabels(u->r);
	int *keys = assign_keys(u->r);
	long found = -1;

	for (size_t i = 0; i < n && found < 0; i++)
		if (keys[i] == key)
			found = (long)i;
	free(keys);
	if (found >= 0)
		return save_label(u, review_label(u->r, (size_t)found), err);
	if (key == ':') {
		prompt_open(u, u->pick.what == PICK_ADD ? PROMPT_ADD : PROMPT_LABEL, "");
		return UI_REDRAW;
	}
	struct buf name = BUF_INIT;
	key_label(key, &name);
	review_say(u->r, 1, "no label on %s (a label's key, : for a new label, Esc cancels)", buf_cstr(&name));
	buf_release(&name);
	return UI_REDRAW;
}

/* A request while the picker is open. */
int
labels_request(struct ui *u, const struct request *rq, struct ferry_err *err)
{
	struct list *l = &u->pick.list;

	if (rq->act == ACT_RESIZE)
		return UI_UNHANDLED;
	review_clear_message(u->r);
	if (u->pick.confirm[0])
		return pick_confirm(u, rq, err);
	switch (rq->act) {
	case ACT_CANCEL:
		return pick_cancel(u);
	case ACT_SUBMIT:
		if (l->sel >= 0 && (size_t)l->sel < review_nlabels(u->r))
			return save_label(u, review_label(u->r, (size_t)l->sel), err);
		return pick_key(u, ':', err);
	case ACT_SCROLL_DOWN:
		if (l->sel + 1 < (long)l->n)
			l->sel++;
		return UI_REDRAW;
	case ACT_SCROLL_UP:
		if (l->sel > 0)
			l->sel--;
		return UI_REDRAW;
	case ACT_TYPE:
		return pick_key(u, rq->arg, err);
	default:
		return UI_REDRAW;
	}
}
