/*
 * view-entities.c — the pair view's lists: the entities with their
 * projections, scores and margins, and the alternatives of the selected
 * entity, the nine that keys 1-9 pick, wrapped onto as many rows as they
 * need.  Words that occur twice in the target are told apart by where
 * they are (@12, counted from 1 as the span editor counts), and the
 * alternative the cursor is on (moved off the projection) is marked
 * with > here and highlighted in the target pane.
 */
#include <string.h>

#include "view-int.h"

/*
 * The alternative under consideration: with the cursor moved off the
 * selected projection, the shortest of those 1-9 pick that the cursor
 * is on (the first of equals); -1 for none.
 */
long
alternative_under_cursor(const struct review *r)
{
	size_t n;
	const struct match_cand *v = review_alternatives(r, review_entity(r), &n);
	const struct proj *pr = review_projection(r, review_entity(r));
	uint32_t c = review_cursor(r);
	long best = -1;

	if (pr && pr->span.start <= c && c < pr->span.end)
		return -1;
	for (size_t i = 0; i < n && i < ALTS_ON_KEYS; i++)
		if (v[i].start <= c && c < v[i].end &&
		    (best < 0 || v[i].end - v[i].start < v[best].end - v[best].start))
			best = (long)i;
	return best;
}

/* Does the token sequence [a, b) of t occur elsewhere in t too? */
static int
span_repeated(const struct toks *t, uint32_t a, uint32_t b)
{
	for (uint32_t i = 0; i + (b - a) <= t->n; i++) {
		if (i == a)
			continue;
		uint32_t k = 0;
		for (; k < b - a; k++) {
			size_t l1, l2;
			const char *x = toks_get(t, i + k, &l1), *y = toks_get(t, a + k, &l2);
			if (l1 != l2 || memcmp(x, y, l1) != 0)
				break;
		}
		if (k == b - a)
			return 1;
	}
	return 0;
}

/* " @N" or " @N-M": where a span is, counted from 1, onto out. */
static void
add_position(struct buf *out, uint32_t start, uint32_t end)
{
	if (end > start + 1)
		buf_addf(out, " @%u-%u", start + 1, end);
	else
		buf_addf(out, " @%u", start + 1);
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
		if (span_repeated(&p->tgt, pr->span.start, pr->span.end))
			add_position(&part, pr->span.start, pr->span.end);
		if (strcmp(pr->span.label, sp->label) != 0)
			buf_addf(&part, " (%s)", pr->span.label);
		buf_addf(&part, "  %.2f %+.2f%s", pr->score, pr->margin, pr->by_reviewer ? " *" : "");
		if (review_nsources(r) > 1 && pr->support) {
			/* several sources: the ones that project it so */
			buf_adds(&part, " [");
			review_sources_named(r, pr->support, &part);
			buf_addc(&part, ']');
		}
		x += screen_text(s, y, x, end - x, part.s, part.len, el);
	} else {
		x += screen_str(s, y, x, end - x,
				review_no_counterpart_pinned(r, e) ? "(no counterpart) *" :
				review_never_matched(r) ? "(not matched yet)" : "(none)", el);
	}
	buf_release(&part);
	return x - x0;
}

/* The entity list in rows y .. y+rows-1, after a header row when asked. */
void
entities_draw(const struct review *r, struct screen *s, int y, int rows, int header)
{
	const struct pair *p = review_pair(r);
	int never = review_never_matched(r);
	struct list l;

	if (rows <= 0)
		return;
	if (header || never) {
		/* a pair never matched says so once, here, rather than (none) on every row */
		screen_printf(s, y, 0, s->cols, ELEM_DIM, "entities (%zu): %s", p->ents.n,
			      never ? "not matched yet: press r or run ferry match" :
			      "source -> projection  score margin");
		y++;
		rows--;
	}
	list_init(&l, p->ents.n, review_entity(r), entity_row, r);
	list_show_selected(&l, rows);
	list_draw_rows(&l, s, y, rows);
}

/* The alternatives of the selected entity, for their list's items. */
struct alternatives {
	const struct review *r;
	const struct pair *p;
	const struct match_cand *v;
	long cand;              /* the one under the cursor, -1: none */
	int maxw;               /* an item's widest: two go side by side */
};

/* Alternative i as its three parts: number, words (long spans by their ends), position and score. */
static void
alternative_parts(const struct alternatives *alts, size_t i, struct buf part[3], int w[3])
{
	const struct match_cand *c = &alts->v[i];

	for (int k = 0; k < 3; k++)
		buf_reset(&part[k]);
	buf_addf(&part[0], " %c%zu ", (long)i == alts->cand ? '>' : ' ', i + 1);
	toks_span(&alts->p->tgt, c->start, c->end, &part[1]);
	if (c->end - c->start > 2) {
		/* its ends are enough to tell it apart, with where it is */
		struct buf ends = BUF_INIT;
		toks_span(&alts->p->tgt, c->start, c->start + 1, &ends);
		buf_adds(&ends, " ... ");
		toks_span(&alts->p->tgt, c->end - 1, c->end, &ends);
		if (screen_width(ends.s, ends.len) < screen_width(part[1].s, part[1].len)) {
			buf_reset(&part[1]);
			buf_add(&part[1], ends.s, ends.len);
		}
		buf_release(&ends);
	}
	add_position(&part[2], c->start, c->end);
	buf_addf(&part[2], " %.2f", c->score);
	if (c->from) {
		/* several sources: the ones whose own projection it is */
		buf_adds(&part[2], " [");
		review_sources_named(alts->r, c->from, &part[2]);
		buf_addc(&part[2], ']');
	}
	for (int k = 0; k < 3; k++)
		w[k] = screen_width(part[k].s, part[k].len);
	if (w[0] + w[1] + w[2] > alts->maxw)        /* the words give way, cut short with ".." */
		w[1] = alts->maxw - w[0] - w[2] > 3 ? alts->maxw - w[0] - w[2] : 3;
}

/* Columns alternative i takes. */
static int
alternative_width(const struct list *l, size_t i)
{
	struct buf part[3] = { BUF_INIT, BUF_INIT, BUF_INIT };
	int w[3];

	alternative_parts(l->arg, i, part, w);
	for (int k = 0; k < 3; k++)
		buf_release(&part[k]);
	return w[0] + w[1] + w[2];
}

/* One alternative: its number, its tokens, where they are, its score. */
static int
alternative_item(const struct list *l, struct screen *s, int y, int x, int w, size_t i)
{
	const struct alternatives *alts = l->arg;
	struct buf part[3] = { BUF_INIT, BUF_INIT, BUF_INIT };
	int x0 = x, end = x + w, on = (long)i == alts->cand, pw[3];

	alternative_parts(alts, i, part, pw);
	for (int k = 0; k < 3; k++) {
		enum elem e = on ? ELEM_CANDIDATE : k == 1 ? ELEM_NORMAL : ELEM_DIM;
		int full = screen_width(part[k].s, part[k].len);
		int used = screen_text(s, y, x, (pw[k] < end - x ? pw[k] : end - x) - (full > pw[k] ? 2 : 0),
				       part[k].s, part[k].len, e);
		if (full > pw[k])
			used += screen_str(s, y, x + used, end - x - used, "..", e);
		x += used;
		buf_release(&part[k]);
	}
	return x - x0;
}

/* The alternatives list of the selected entity, the nine that keys pick, for a screen cols wide. */
static void
alternatives_list(const struct review *r, int cols, struct alternatives *alts, struct list *l)
{
	size_t n;

	alts->r = r;
	alts->p = review_pair(r);
	alts->v = review_alternatives(r, review_entity(r), &n);
	alts->cand = alternative_under_cursor(r);
	alts->maxw = cols >= 60 ? cols / 2 - 1 : cols - 1;
	list_init(l, n < ALTS_ON_KEYS ? n : ALTS_ON_KEYS, -1, alternative_item, alts);
	l->item_width = alternative_width;
}

#define ALTS_TITLE "alternatives:"

/* The alternatives from row y, wrapped, in at most rows rows. */
void
alternatives_draw(const struct review *r, struct screen *s, int y, int rows)
{
	struct alternatives alts;
	struct list l;
	int x = screen_str(s, y, 0, s->cols, ALTS_TITLE, ELEM_DIM);

	alternatives_list(r, s->cols, &alts, &l);
	list_draw_wrapped(&l, s, y, x, rows, 0);
	if (l.n == 0)
		screen_str(s, y, x, s->cols - x, review_entity(r) >= 0 ? "  (none)" : "  (select an entity)", ELEM_DIM);
}

/* The rows the alternatives want. */
int
alternatives_rows(const struct review *r, int cols)
{
	struct alternatives alts;
	struct list l;

	alternatives_list(r, cols, &alts, &l);
	return l.n ? list_flow_rows(&l, cols, (int)strlen(ALTS_TITLE), 0) : 1;
}
