/*
 * view-pair.c — the pair view: top bar, source and target panes, entity
 * list with scores, margins and alternatives, the alignment view, the
 * status line; and the keys that act on them.
 *
 * Layout, top to bottom: bar (1 row); source and target panes side by
 * side when the terminal is 80 columns or wider, stacked otherwise; the
 * entity list; the alternatives of the selected entity; the alignment
 * view when toggled (links, or a matrix); a message row; a key-hint or
 * prompt row.  Labels are always written out ([PER Angela Merkel]), so
 * nothing depends on colour.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/cli.h"
#include "ferry/mem.h"
#include "ferry/view.h"

static const char *const order_names[ORDER_COUNT] = { "corpus", "least margin", "least score" };

/* A label's colour slot, stable for a label. */
static enum elem
label_elem(const char *label)
{
	unsigned h = 5381;

	for (const char *p = label; *p; p++)
		h = h * 33 + (unsigned char)*p;
	return (enum elem)(ELEM_LABEL1 + (int)(h % 6));
}

/* A labelled range of a token sequence to draw. */
struct mark {
	uint32_t start, end;
	const char *label;
	int selected, pinned;
};

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

/*
 * Draw tokens wrapped into the box (y, x, w, rows); returns rows used.
 * cursor >= 0 puts the hardware cursor there.
 */
static int
draw_tokens(struct screen *s, int y, int x, int w, int rows, const struct toks *t,
	    const struct mark *m, size_t nm, long cursor, long edit_a, long edit_b, int rtl, int tag)
{
	int row = 0, col = 0;
	struct buf piece = BUF_INIT;

	if (t->n == 0) {
		screen_str(s, y, x, w, "(empty)", ELEM_DIM);
		return 1;
	}
	/* first pass: unit widths; second: place them */
	int *uw = xmalloc(t->n * sizeof *uw), *ux = xmalloc(t->n * sizeof *ux), *uy = xmalloc(t->n * sizeof *uy);
	for (uint32_t i = 0; i < t->n; i++) {
		size_t len;
		const char *tok = toks_get(t, i, &len);
		int width = screen_width(tok, len);
		for (size_t k = 0; k < nm; k++) {
			if (m[k].start == i)
				width += 1 + (int)strlen(m[k].label) + 1;
			if (m[k].end == i + 1)
				width += m[k].pinned ? 2 : 1;
		}
		uw[i] = width > w ? w : width;
		if (col > 0 && col + 1 + uw[i] > w) {
			row++;
			col = 0;
		}
		if (col > 0)
			col++;
		ux[i] = col;
		uy[i] = row;
		col += uw[i];
	}
	int used = row + 1;
	for (uint32_t i = 0; i < t->n; i++) {
		if (uy[i] >= rows)
			break;
		int line_w = 0;
		for (uint32_t k = 0; k < t->n; k++)
			if (uy[k] == uy[i] && ux[k] + uw[k] > line_w)
				line_w = ux[k] + uw[k];
		int px = rtl ? x + w - (ux[i] + uw[i]) : x + ux[i], py = y + uy[i];
		const struct mark *in = NULL;
		for (size_t k = 0; k < nm; k++)
			if (m[k].start <= i && i < m[k].end)
				in = &m[k];
		enum elem e = in ? (in->selected ? ELEM_SELECTED : label_elem(in->label)) : ELEM_NORMAL;
		if ((long)i >= edit_a && (long)i < edit_b)
			e = ELEM_EDIT;
		for (size_t k = 0; k < nm; k++)
			if (m[k].start == i) {
				buf_reset(&piece);
				buf_addf(&piece, "[%s ", m[k].label);
				px += screen_text(s, py, px, x + w - px, piece.s, piece.len,
						  m[k].selected ? ELEM_SELECTED : label_elem(m[k].label));
			}
		size_t len;
		const char *tok = toks_get(t, i, &len);
		if ((long)i == cursor) {
			s->cur_y = py;
			s->cur_x = px;
			e = ELEM_CURSOR;
		}
		int tw = screen_text(s, py, px, x + w - px, tok, len, e);
		if (tag)
			screen_tag(s, py, px, tw, (int32_t)i);
		px += tw;
		for (size_t k = 0; k < nm; k++)
			if (m[k].end == i + 1) {
				enum elem le = m[k].selected ? ELEM_SELECTED : label_elem(m[k].label);
				px += screen_str(s, py, px, x + w - px, "]", le);
				if (m[k].pinned)
					px += screen_str(s, py, px, x + w - px, "*", ELEM_PINNED);
			}
		(void)line_w;
	}
	free(uw);
	free(ux);
	free(uy);
	buf_release(&piece);
	return used < rows ? used : rows;
}

/* Tokens [a, b) of t as one string into out. */
static void
span_str(const struct toks *t, uint32_t a, uint32_t b, struct buf *out)
{
	buf_reset(out);
	if (a >= b || b > t->n)
		return;
	size_t from = t->off[a], to = b < t->n ? t->off[b] - 1 : t->len;
	buf_add(out, t->text + from, to - from);
}

static void
draw_bar(struct ui *u, struct screen *s)
{
	struct review *r = u->r;
	struct buf b = BUF_INIT;
	const char *slash = strrchr(r->project, '/');

	screen_fill(s, 0, 0, s->cols, ELEM_TITLE);
	buf_addf(&b, " ferry  %s  pair %zu/%zu", slash ? slash + 1 : r->project, r->nids ? r->pos + 1 : 0, r->nids);
	if (r->nids)
		buf_addf(&b, " (#%lld %s)", (long long)r->p.id, status_name(r->p.status));
	buf_addf(&b, "  reviewed %lld/%lld %.0f%%", (long long)r->reviewed, (long long)r->total,
		 r->total ? 100.0 * (double)r->reviewed / (double)r->total : 0.0);
	buf_adds(&b, "  filter ");
	if (!r->status_mask && !r->label[0] && r->score_below < 0)
		buf_adds(&b, "all");
	for (int i = 0; i < STATUS_COUNT; i++)
		if (r->status_mask >> i & 1)
			buf_addf(&b, "%s ", status_name((enum pair_status)i));
	if (r->label[0])
		buf_addf(&b, "label=%s ", r->label);
	if (r->score_below >= 0)
		buf_addf(&b, "score<%g", r->score_below);
	buf_addf(&b, "  order %s", order_names[r->order]);
	screen_text(s, 0, 0, s->cols, b.s, b.len, ELEM_TITLE);
	buf_release(&b);
}

/* Marks of the source entities and of the projections. */
static size_t
marks(struct ui *u, struct mark *src, struct mark *tgt, size_t *ntgt)
{
	struct review *r = u->r;
	size_t n = 0;

	for (size_t e = 0; e < r->p.ents.n; e++) {
		src[e] = (struct mark){ r->p.ents.v[e].start, r->p.ents.v[e].end, r->p.ents.v[e].label,
					(int)e == r->entity, 0 };
	}
	for (size_t i = 0; i < r->p.proj.n; i++) {
		const struct proj *pr = &r->p.proj.v[i];
		int sel = r->entity >= 0 && pr->entity == r->p.ent_ids[r->entity];
		tgt[n++] = (struct mark){ pr->span.start, pr->span.end, pr->span.label, sel, pr->by_reviewer };
	}
	*ntgt = n;
	return r->p.ents.n;
}

static void
draw_entities(struct ui *u, struct screen *s, int y, int rows, int header)
{
	struct review *r = u->r;
	struct buf a = BUF_INIT, b = BUF_INIT, line = BUF_INIT;
	int first = 0;

	if (rows <= 0)
		return;
	if (header) {
		screen_printf(s, y, 0, s->cols, ELEM_DIM, "entities (%zu): source -> projection  score margin", r->p.ents.n);
		y++;
		rows--;
	}
	if (r->entity >= rows)
		first = r->entity - (rows - 1);
	for (int i = 0; i < rows && (size_t)(first + i) < r->p.ents.n; i++) {
		int e = first + i, x;
		enum elem el = e == r->entity ? ELEM_SELECTED : ELEM_NORMAL;
		const struct span *sp = &r->p.ents.v[e];
		const struct proj *pr = review_projection(r, e);
		int none = 0;
		for (size_t k = 0; k < r->p.pins.n; k++)
			none |= r->p.pins.v[k].entity == e && r->p.pins.v[k].kind == PIN_NONE;
		span_str(&r->p.src, sp->start, sp->end, &a);
		screen_fill(s, y + i, 0, s->cols, el);
		/* each part drawn on its own, so bidi reorders only within a part */
		buf_reset(&line);
		buf_addf(&line, "%c%2d %-5s ", e == r->entity ? '>' : ' ', e + 1, sp->label);
		x = screen_text(s, y + i, 0, s->cols, line.s, line.len, el);
		x += screen_text(s, y + i, x, s->cols - x, a.s, a.len, el);
		x += screen_str(s, y + i, x, s->cols - x, " -> ", el);
		if (pr) {
			span_str(&r->p.tgt, pr->span.start, pr->span.end, &b);
			x += screen_text(s, y + i, x, s->cols - x, b.s, b.len, el);
			buf_reset(&line);
			if (strcmp(pr->span.label, sp->label) != 0)
				buf_addf(&line, " (%s)", pr->span.label);
			buf_addf(&line, "  %.2f %+.2f%s", pr->score, pr->margin, pr->by_reviewer ? " *" : "");
			screen_text(s, y + i, x, s->cols - x, line.s, line.len, el);
		} else {
			screen_str(s, y + i, x, s->cols - x, none ? "(no counterpart) *" : "(none)", el);
		}
	}
	buf_release(&a);
	buf_release(&b);
	buf_release(&line);
}

static void
draw_alternatives(struct ui *u, struct screen *s, int y)
{
	struct review *r = u->r;
	struct buf t = BUF_INIT, num = BUF_INIT;
	size_t n;
	const struct match_cand *alts = review_alternatives(r, r->entity, &n);
	int x = screen_str(s, y, 0, s->cols, "alternatives:", ELEM_DIM);

	for (size_t i = 0; i < n && x < s->cols; i++) {
		span_str(&r->p.tgt, alts[i].start, alts[i].end, &t);
		buf_reset(&num);
		buf_addf(&num, "  %zu ", i + 1);
		x += screen_text(s, y, x, s->cols - x, num.s, num.len, ELEM_DIM);
		x += screen_text(s, y, x, s->cols - x, t.s, t.len, ELEM_NORMAL);
		buf_reset(&num);
		buf_addf(&num, " %.2f", alts[i].score);
		x += screen_text(s, y, x, s->cols - x, num.s, num.len, ELEM_DIM);
	}
	if (n == 0)
		screen_str(s, y, x, s->cols - x, r->entity >= 0 ? "  (none)" : "  (select an entity)", ELEM_DIM);
	buf_release(&t);
	buf_release(&num);
}

/* Alignment: source tokens with their links, or a source x target matrix. */
static void
draw_alignment(struct ui *u, struct screen *s, int y, int rows)
{
	struct review *r = u->r;
	const struct links *l = r->p.has_rev ? &r->p.sym : &r->p.fwd;
	struct buf line = BUF_INIT;

	if (rows <= 1)
		return;
	if (u->align_view == 1) {
		/* two token columns; between them each source row names its targets */
		int colw = (s->cols - 16) / 2 < 24 ? (s->cols - 16) / 2 : 24;
		int mid = colw + 1, right = mid + 15;
		uint32_t n = r->p.src.n > r->p.tgt.n ? r->p.src.n : r->p.tgt.n;
		screen_str(s, y, 0, colw, "source", ELEM_DIM);
		screen_str(s, y, right, colw, "target", ELEM_DIM);
		for (uint32_t i = 0; i < n && (int)i + 1 < rows; i++) {
			size_t len;
			int row = y + 1 + (int)i;
			if (i < r->p.src.n) {
				const char *tok = toks_get(&r->p.src, i, &len);
				buf_reset(&line);
				buf_addf(&line, "%3u %.*s", i, (int)len, tok);
				screen_text(s, row, 0, colw, line.s, line.len, ELEM_NORMAL);
				buf_reset(&line);
				for (size_t k = 0; k < l->n; k++)
					if (l->v[k].s == i)
						buf_addf(&line, "%s%u", line.len ? "," : "-> ", l->v[k].t);
				screen_text(s, row, mid, right - mid - 1, line.s, line.len, ELEM_LINK);
			}
			if (i < r->p.tgt.n) {
				const char *tok = toks_get(&r->p.tgt, i, &len);
				buf_reset(&line);
				buf_addf(&line, "%3u %.*s", i, (int)len, tok);
				screen_text(s, row, right, colw, line.s, line.len, ELEM_NORMAL);
			}
		}
	} else {
		int lw = 12;
		screen_str(s, y, 0, s->cols, "matrix (rows source, columns target, # = link)", ELEM_DIM);
		for (uint32_t i = 0; i < r->p.src.n && (int)i + 1 < rows; i++) {
			size_t len;
			const char *tok = toks_get(&r->p.src, i, &len);
			screen_text(s, y + 1 + (int)i, 0, lw - 1, tok, len, ELEM_NORMAL);
			for (uint32_t j = 0; j < r->p.tgt.n && lw + (int)j < s->cols; j++) {
				int on = 0;
				for (size_t k = 0; k < l->n && !on; k++)
					on = l->v[k].s == i && l->v[k].t == j;
				screen_text(s, y + 1 + (int)i, lw + (int)j, 1, on ? "#" : ".", 1, on ? ELEM_LINK : ELEM_DIM);
			}
		}
	}
	buf_release(&line);
}

static const char *const prompt_names[] = { "/", ":", "filter: ", "label: ", "label of the new span: " };

static void
draw_bottom(struct ui *u, struct screen *s)
{
	struct review *r = u->r;
	int y = s->rows - 1;

	screen_fill(s, y, 0, s->cols, ELEM_STATUS);
	if (u->mode == MODE_PROMPT) {
		int w = screen_text(s, y, 0, s->cols, prompt_names[u->prompt], strlen(prompt_names[u->prompt]), ELEM_STATUS);
		w += screen_text(s, y, w, s->cols - w, u->input, u->input_len, ELEM_STATUS);
		s->cur_y = y;
		s->cur_x = w < s->cols ? w : s->cols - 1;
	} else if (u->mode == MODE_EDIT) {
		screen_printf(s, y, 0, s->cols, ELEM_STATUS,
			      "EDIT tokens %u-%u: h/l move start, H/L move end, Enter keeps, Esc cancels",
			      u->edit_start + 1, u->edit_end);
	} else {
		static const struct { enum action a; const char *what; } hints[] = {
			{ ACT_ACCEPT, "accept" }, { ACT_REJECT, "reject" }, { ACT_CHOOSE, "alt" },
			{ ACT_EDIT, "edit" }, { ACT_LABEL, "label" }, { ACT_ADD, "add" },
			{ ACT_NO_COUNTERPART, "none" }, { ACT_UNDO, "undo" }, { ACT_SEARCH, "search" },
			{ ACT_FILTER, "filter" }, { ACT_ORDER, "order" }, { ACT_HELP, "help" }, { ACT_QUIT, "quit" },
		};
		struct buf hint = BUF_INIT, k = BUF_INIT;
		/* generated from the keymap, so rebinding shows here too */
		for (size_t i = 0; i < sizeof hints / sizeof *hints; i++) {
			buf_reset(&k);
			keymap_keys_of(u->km, hints[i].a, &k);
			if (k.len == 0)
				continue;
			char *sp = memchr(k.s, ' ', k.len);   /* the first key is enough */
			buf_addf(&hint, "%s%.*s %s", hint.len ? "  " : "", (int)(sp ? sp - k.s : (long)k.len), k.s,
				 hints[i].what);
		}
		screen_text(s, y, 0, s->cols, hint.s, hint.len, ELEM_STATUS);
		buf_release(&hint);
		buf_release(&k);
	}
	screen_fill(s, y - 1, 0, s->cols, ELEM_NORMAL);
	if (r->message[0])
		screen_text(s, y - 1, 0, s->cols, r->message, strlen(r->message),
			    r->message_is_error ? ELEM_ERROR : ELEM_MESSAGE);
}

static void
pair_draw(struct ui *u, struct screen *s)
{
	struct review *r = u->r;
	int y = 1, bottom = s->rows - 2, small = s->rows < 20;

	draw_bar(u, s);
	draw_bottom(u, s);
	if (r->nids == 0) {
		screen_str(s, 2, 1, s->cols - 1, "no pairs match the filter (f changes it)", ELEM_DIM);
		return;
	}
	struct mark *ms = xcalloc(r->p.ents.n + 1, sizeof *ms), *mt = xcalloc(r->p.proj.n + 1, sizeof *mt);
	size_t nt, ns = marks(u, ms, mt, &nt);
	long ea = u->mode == MODE_EDIT ? (long)u->edit_start : -1, eb = u->mode == MODE_EDIT ? (long)u->edit_end : -1;
	int rtl = first_strong_rtl(&r->p.tgt), avail = bottom - y;
	int pane_rows = small ? 2 : (avail / 3 > 2 ? avail / 3 : 2);

	if (s->cols >= 80) {
		int half = s->cols / 2;
		if (!small) {
			screen_str(s, y, 0, half - 1, "source", ELEM_DIM);
			screen_str(s, y, half, half, "target", ELEM_DIM);
			y++;
		}
		int a = draw_tokens(s, y, 0, half - 2, pane_rows, &r->p.src, ms, ns, -1, -1, -1, 0, 0);
		int b = draw_tokens(s, y, half, s->cols - half, pane_rows, &r->p.tgt, mt, nt, (long)r->cursor, ea, eb, rtl, 1);
		y += (a > b ? a : b) + !small;
	} else {
		int each = small ? 1 : pane_rows / 2 + 1;
		if (!small)
			screen_str(s, y++, 0, s->cols, "source", ELEM_DIM);
		y += draw_tokens(s, y, 0, s->cols, each, &r->p.src, ms, ns, -1, -1, -1, 0, 0);
		if (!small)
			screen_str(s, y++, 0, s->cols, "target", ELEM_DIM);
		y += draw_tokens(s, y, 0, s->cols, each + small, &r->p.tgt, mt, nt, (long)r->cursor, ea, eb, rtl, 1);
		y += !small;
	}
	free(ms);
	free(mt);
	int left = bottom - y - 1;            /* one row for the alternatives */
	int list_rows = u->align_view ? left / 2 : left;
	int want = (int)r->p.ents.n + !small;
	if (list_rows > want)
		list_rows = want;
	if (list_rows < 1)
		list_rows = left > 0 ? 1 : 0;
	draw_entities(u, s, y, list_rows, !small);
	y += list_rows;
	if (y < bottom) {
		draw_alternatives(u, s, y);
		y++;
	}
	if (u->align_view && y + 1 < bottom)
		draw_alignment(u, s, y + 1, bottom - y - 1);
}

/* ---- keys ------------------------------------------------------------------ */

static void
prompt(struct ui *u, enum prompt_kind k, const char *init)
{
	u->mode = MODE_PROMPT;
	u->prompt = k;
	snprintf(u->input, sizeof u->input, "%s", init ? init : "");
	u->input_len = strlen(u->input);
}

static int
set_filter(struct ui *u, const char *f, struct ferry_err *err)
{
	struct review *r = u->r;
	unsigned mask;

	if (strcmp(f, "all") == 0 || f[0] == '\0') {
		r->status_mask = 0;
		r->label[0] = '\0';
		r->score_below = -1;
	} else if (strncmp(f, "label=", 6) == 0) {
		snprintf(r->label, sizeof r->label, "%s", f + 6);
	} else if (strncmp(f, "score<", 6) == 0) {
		char *end;
		double x = strtod(f + 6, &end);
		if (*end || end == f + 6) {
			review_say(r, 1, "filter: bad number '%s'", f + 6);
			return 0;
		}
		r->score_below = x;
	} else if (cli_parse_statuses(f, &mask) == 0) {
		r->status_mask = mask;
	} else {
		review_say(r, 1, "filter: '%s'? (expected all, a status such as pending, label=PER or score<0.5)", f);
		return 0;
	}
	if (review_refresh(r, err) < 0)
		return -1;
	review_say(r, 0, "%zu pairs", r->nids);
	return 0;
}

static void
match_progress(size_t done, size_t total, void *arg)
{
	struct ui *u = arg;

	if (u->progress)
		u->progress(u, done, total);
}

static int
run_command(struct ui *u, const char *cmd, struct ferry_err *err)
{
	struct review *r = u->r;
	char *end;

	while (*cmd == ' ')
		cmd++;
	if (cmd[0] >= '0' && cmd[0] <= '9') {
		long long id = strtoll(cmd, &end, 10);
		if (*end == '\0')
			return review_goto_id(r, id, err) < 0 ? -1 : UI_REDRAW;
	}
	if (strcmp(cmd, "match pending") == 0)
		return review_match_pending(r, match_progress, u, err) < 0 ? -1 : UI_REDRAW;
	if (strncmp(cmd, "accept-above ", 13) == 0) {
		double x = strtod(cmd + 13, &end);
		if (*end || end == cmd + 13) {
			review_say(r, 1, ":accept-above needs a number, e.g. :accept-above 0.9");
			return UI_REDRAW;
		}
		return review_accept_above(r, x, err) < 0 ? -1 : UI_REDRAW;
	}
	if (strcmp(cmd, "flag") == 0 || strcmp(cmd, "skip") == 0 || strcmp(cmd, "pending") == 0 ||
	    strcmp(cmd, "reject") == 0) {
		enum pair_status st = cmd[0] == 'f' ? STATUS_FLAGGED : cmd[0] == 's' ? STATUS_SKIPPED :
				      cmd[0] == 'r' ? STATUS_REJECTED : STATUS_PENDING;
		return review_set_status(r, st, err) < 0 ? -1 : UI_REDRAW;
	}
	if (strncmp(cmd, "filter ", 7) == 0)
		return set_filter(u, cmd + 7, err) < 0 ? -1 : UI_REDRAW;
	if (strcmp(cmd, "q") == 0 || strcmp(cmd, "quit") == 0)
		return UI_QUIT;
	review_say(r, 1, "unknown command ':%s' (expected :N, :match pending, :accept-above X, :flag, :skip, "
		   ":reject, :pending, :filter F, :q)", cmd);
	return UI_REDRAW;
}

static int
submit(struct ui *u, struct ferry_err *err)
{
	struct review *r = u->r;
	char in[256];

	snprintf(in, sizeof in, "%s", u->input);
	u->mode = MODE_NORMAL;
	switch (u->prompt) {
	case PROMPT_SEARCH:
		if (in[0])
			snprintf(r->search, sizeof r->search, "%s", in);
		return review_search(r, 1, err) < 0 ? -1 : UI_REDRAW;
	case PROMPT_COMMAND:
		return run_command(u, in, err);
	case PROMPT_FILTER:
		return set_filter(u, in, err) < 0 ? -1 : UI_REDRAW;
	case PROMPT_LABEL: {
		const struct proj *pr = review_projection(r, r->entity);
		if (!pr || !in[0] || strchr(in, ' ')) {
			review_say(r, 1, "label: nothing changed");
			return UI_REDRAW;
		}
		return review_set_span(r, r->entity, pr->span.start, pr->span.end, in, err) < 0 ? -1 : UI_REDRAW;
	}
	case PROMPT_ADD:
		if (!in[0] || strchr(in, ' ')) {
			review_say(r, 1, "add: a label is needed");
			return UI_REDRAW;
		}
		return review_add(r, u->edit_start, u->edit_end, in, err) < 0 ? -1 : UI_REDRAW;
	}
	return UI_REDRAW;
}

/* Append a key to the prompt input as UTF-8. */
static void
input_add(struct ui *u, int key)
{
	struct buf b = BUF_INIT;

	key_label(key, &b);
	if (key == '<' || key == ' ') {
		buf_reset(&b);
		buf_addc(&b, (char)key);
	}
	if (u->input_len + b.len < sizeof u->input) {
		memcpy(u->input + u->input_len, b.s, b.len);
		u->input_len += b.len;
		u->input[u->input_len] = '\0';
	}
	buf_release(&b);
}

static int
prompt_key(struct ui *u, int key, struct ferry_err *err)
{
	if (key == KEY_ESCAPE) {
		u->mode = MODE_NORMAL;
		return UI_REDRAW;
	}
	if (key == KEY_ENTER_ || key == '\r' || key == '\n')
		return submit(u, err);
	if (key == KEY_BSPACE || key == 0x7f || key == 0x08) {
		while (u->input_len > 0 && ((unsigned char)u->input[u->input_len - 1] & 0xC0) == 0x80)
			u->input_len--;
		if (u->input_len > 0)
			u->input_len--;
		u->input[u->input_len] = '\0';
		return UI_REDRAW;
	}
	if (key >= 0x20 && key < KEY_BASE)
		input_add(u, key);
	return UI_REDRAW;
}

static int
edit_key(struct ui *u, int key, struct ferry_err *err)
{
	struct review *r = u->r;
	uint32_t n = r->p.tgt.n;

	switch (key) {
	case 'h': case KEY_LEFT_:
		if (u->edit_start > 0)
			u->edit_start--;
		break;
	case 'l': case KEY_RIGHT_:
		if (u->edit_start + 1 < u->edit_end)
			u->edit_start++;
		break;
	case 'H':
		if (u->edit_end > u->edit_start + 1)
			u->edit_end--;
		break;
	case 'L':
		if (u->edit_end < n)
			u->edit_end++;
		break;
	case KEY_ESCAPE:
		u->mode = MODE_NORMAL;
		review_say(r, 0, "edit cancelled");
		break;
	case KEY_ENTER_: case '\r': case '\n':
		u->mode = MODE_NORMAL;
		if (u->edit_entity >= 0) {
			const struct proj *pr = review_projection(r, u->edit_entity);
			return review_set_span(r, u->edit_entity, u->edit_start, u->edit_end,
					       pr ? pr->span.label : NULL, err) < 0 ? -1 : UI_REDRAW;
		}
		prompt(u, PROMPT_ADD, r->entity >= 0 ? r->p.ents.v[r->entity].label : "");
		break;
	}
	return UI_REDRAW;
}

/* Put the token cursor on the selected entity's projection. */
static void
follow_entity(struct review *r)
{
	const struct proj *pr = review_projection(r, r->entity);

	if (pr)
		r->cursor = pr->span.start;
}

static int
pair_key(struct ui *u, int key, struct ferry_err *err)
{
	struct review *r = u->r;
	int rc = 0;

	if (u->mode == MODE_PROMPT)
		return prompt_key(u, key, err);
	if (u->mode == MODE_EDIT)
		return edit_key(u, key, err);
	if (key == KEY_RESIZE_)
		return UI_FULL_REDRAW;
	r->message[0] = '\0';
	enum action a = keymap_lookup(u->km, key);
	switch (a) {
	case ACT_CURSOR_LEFT:
		if (r->cursor > 0)
			r->cursor--;
		break;
	case ACT_CURSOR_RIGHT:
		if (r->cursor + 1 < r->p.tgt.n)
			r->cursor++;
		break;
	case ACT_ENTITY_NEXT:
		if (r->entity + 1 < (int)r->p.ents.n)
			r->entity++;
		follow_entity(r);
		break;
	case ACT_ENTITY_PREV:
		if (r->entity > 0)
			r->entity--;
		follow_entity(r);
		break;
	case ACT_PAIR_NEXT:
		rc = review_goto(r, r->pos + 1, err);
		break;
	case ACT_PAIR_PREV:
		rc = review_goto(r, r->pos ? r->pos - 1 : 0, err);
		break;
	case ACT_PENDING_NEXT:
		rc = review_next_pending(r, 1, err);
		break;
	case ACT_PENDING_PREV:
		rc = review_next_pending(r, -1, err);
		break;
	case ACT_FIRST:
		rc = review_goto(r, 0, err);
		break;
	case ACT_LAST:
		rc = review_goto(r, r->nids ? r->nids - 1 : 0, err);
		break;
	case ACT_ACCEPT:
		rc = review_accept(r, err);
		break;
	case ACT_REJECT:
		rc = review_reject(r, err);
		break;
	case ACT_CHOOSE:
		rc = review_choose(r, key - '0', err);
		break;
	case ACT_EDIT: {
		const struct proj *pr = review_projection(r, r->entity);
		if (r->entity < 0) {
			review_say(r, 1, "no entity selected (j/k select one)");
			break;
		}
		u->mode = MODE_EDIT;
		u->edit_entity = r->entity;
		u->edit_start = pr ? pr->span.start : r->cursor;
		u->edit_end = pr ? pr->span.end : r->cursor + 1;
		break;
	}
	case ACT_LABEL:
		if (review_projection(r, r->entity) == NULL) {
			review_say(r, 1, "no projection selected");
			break;
		}
		prompt(u, PROMPT_LABEL, review_projection(r, r->entity)->span.label);
		break;
	case ACT_DELETE:
		rc = review_delete(r, err);
		break;
	case ACT_ADD:
		if (r->p.tgt.n == 0)
			break;
		u->mode = MODE_EDIT;
		u->edit_entity = -1;
		u->edit_start = r->cursor;
		u->edit_end = r->cursor + 1;
		break;
	case ACT_NO_COUNTERPART:
		rc = review_no_counterpart(r, err);
		break;
	case ACT_RERUN:
		rc = review_rerun(r, err);
		break;
	case ACT_UNDO:
		rc = review_undo(r, 0, err);
		break;
	case ACT_REDO:
		rc = review_undo(r, 1, err);
		break;
	case ACT_SEARCH:
		prompt(u, PROMPT_SEARCH, "");
		break;
	case ACT_SEARCH_NEXT:
		rc = review_search(r, 1, err);
		break;
	case ACT_SEARCH_PREV:
		rc = review_search(r, -1, err);
		break;
	case ACT_FILTER:
		prompt(u, PROMPT_FILTER, "");
		break;
	case ACT_ORDER:
		r->order = (enum review_order)((r->order + 1) % ORDER_COUNT);
		rc = review_refresh(r, err);
		review_say(r, 0, "order: %s", order_names[r->order]);
		break;
	case ACT_COMMAND:
		prompt(u, PROMPT_COMMAND, "");
		break;
	case ACT_ALIGN_VIEW:
		u->align_view = (u->align_view + 1) % 3;
		break;
	case ACT_REDRAW:
		return UI_FULL_REDRAW;
	case ACT_HELP:
		u->view = &view_help;
		u->help_top = 0;
		break;
	case ACT_QUIT:
		return UI_QUIT;
	default:
		break;
	}
	return rc < 0 ? -1 : UI_REDRAW;
}

const struct view_ops view_pair = {
	.name = "pair",
	.draw = pair_draw,
	.key = pair_key,
};
