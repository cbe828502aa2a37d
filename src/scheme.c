/* scheme.c — tag schemes: parse, detect, check, decode, encode. */
#include <stdio.h>
#include <string.h>

#include "ferry/scheme.h"
#include "ferry/text.h"

static const char *const scheme_names[SCHEME_COUNT] = {
	"iob1", "iob2", "bioes", "io",
};

/* The name of a scheme, as --scheme takes it. */
const char *
scheme_name(enum scheme s)
{
	return scheme_names[s];
}

/* A --scheme name. */
int
scheme_parse(const char *name)
{
	if (strcmp(name, "bilou") == 0)
		return SCHEME_BIOES;
	for (int i = 0; i < SCHEME_COUNT; i++)
		if (strcmp(scheme_names[i], name) == 0)
			return i;
	return -1;
}

/* Split a tag into prefix and type (BILOU's L- and U- as E- and S-). */
int
tag_parse(const char *s, size_t len, struct tag *out)
{
	out->type = "";
	out->type_len = 0;
	if (len == 1 && s[0] == 'O') {
		out->prefix = 'O';
		return 0;
	}
	if (len < 3 || (s[1] != '-' && s[1] != '_') || len - 2 >= FERRY_LABEL_MAX)
		return -1;
	switch (s[0]) {
	case 'B': case 'I': case 'E': case 'S':
		out->prefix = s[0];
		break;
	case 'L':
		out->prefix = 'E';
		break;
	case 'U':
		out->prefix = 'S';
		break;
	default:
		return -1;
	}
	/* a type is one printable word: no whitespace, no control characters
	   (C0, DEL, C1), which would break CoNLL output or the terminal */
	for (size_t i = 2; i < len; i++) {
		unsigned char c = (unsigned char)s[i], d = i + 1 < len ? (unsigned char)s[i + 1] : 0;
		if (c < 0x20 || c == 0x7f || (c == 0xC2 && d >= 0x80 && d <= 0x9F) || text_ws_len(s + i, len - i))
			return -1;
	}
	out->type = s + 2;
	out->type_len = len - 2;
	return 0;
}

/* 1 when both tags are entity tags of one type. */
static int
same_type(const struct tag *a, const struct tag *b)
{
	return a->prefix != 'O' && b->prefix != 'O' && a->type_len == b->type_len &&
	       memcmp(a->type, b->type, a->type_len) == 0;
}

/* Note where each kind of evidence first shows. */
void
scheme_observe(struct scheme_probe *p, const struct tag *tags, size_t n,
	       const struct tag_pos *pos)
{
	for (size_t i = 0; i < n; i++) {
		const struct tag *t = &tags[i];
		int continues = i > 0 && same_type(&tags[i - 1], t);
		long line = pos[i].line;

		switch (t->prefix) {
		case 'E': case 'S':
			if (!p->bioes_at)
				p->bioes_at = line;
			break;
		case 'B':
			if (!p->b_seen_at)
				p->b_seen_at = line;
			if (!continues && !p->b_opens_at)
				p->b_opens_at = line;
			break;
		case 'I':
			if (!p->i_seen_at)
				p->i_seen_at = line;
			if (!continues && !p->i_opens_at)
				p->i_opens_at = line;
			break;
		}
	}
}

/* The scheme the evidence points to. */
int
scheme_decide(const struct scheme_probe *p, int repair, const char *file,
	      enum scheme *out, struct ferry_err *err)
{
	if (p->bioes_at)
		*out = SCHEME_BIOES;
	else if (!p->b_seen_at && p->i_seen_at)
		*out = SCHEME_IO;
	else if (p->i_opens_at && p->b_opens_at) {
		if (!repair)
			return err_at(err, EX_DATAERR, file, p->i_opens_at, 0,
				      "an I- tag opens an entity (IOB1 style) but line %ld opens one with B- (IOB2 style) "
				      "(expected one tag scheme: choose one with --scheme, or --repair)",
				      p->b_opens_at);
		*out = SCHEME_IOB2;
	} else if (p->i_opens_at)
		*out = SCHEME_IOB1;
	else
		*out = SCHEME_IOB2;
	return 0;
}

/* Format "B-PER" or "O" into dst. */
static const char *
tag_str(char *dst, size_t cap, const struct tag *t)
{
	if (t->prefix == 'O')
		snprintf(dst, cap, "O");
	else
		snprintf(dst, cap, "%c-%.*s", t->prefix, (int)t->type_len, t->type);
	return dst;
}

/* Report, or count, tag sequences scheme s does not allow. */
int
scheme_check(enum scheme s, const struct tag *tags, size_t n,
	     const struct tag_pos *pos, const char *file, int repair,
	     struct ferry_err *err)
{
	static const struct tag none = { 'O', "", 0 };
	char a[FERRY_LABEL_MAX + 3], b[FERRY_LABEL_MAX + 3];
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		const struct tag *t = &tags[i];
		const struct tag *prev = i ? &tags[i - 1] : &none;
		const struct tag *next = i + 1 < n ? &tags[i + 1] : &none;
		int cont_prev = same_type(prev, t);
		const char *why = NULL;
		char expect[128];

		if (t->prefix == 'O')
			continue;
		switch (s) {
		case SCHEME_IOB2:
			if (t->prefix == 'E' || t->prefix == 'S')
				why = "is not an IOB2 tag", snprintf(expect, sizeof expect, "B-%.*s or I-%.*s",
					(int)t->type_len, t->type, (int)t->type_len, t->type);
			else if (t->prefix == 'I' && !(cont_prev && (prev->prefix == 'B' || prev->prefix == 'I')))
				why = "opens an entity", snprintf(expect, sizeof expect,
					"IOB2 opens entities with B-%.*s", (int)t->type_len, t->type);
			break;
		case SCHEME_IOB1:
			if (t->prefix == 'E' || t->prefix == 'S')
				why = "is not an IOB1 tag", snprintf(expect, sizeof expect, "I-%.*s or B-%.*s",
					(int)t->type_len, t->type, (int)t->type_len, t->type);
			else if (t->prefix == 'B' && !cont_prev)
				why = "does not follow an entity of its type", snprintf(expect, sizeof expect,
					"IOB1 uses B- only between two adjacent %.*s entities", (int)t->type_len, t->type);
			break;
		case SCHEME_IO:
			if (t->prefix != 'I')
				why = "is not an IO tag", snprintf(expect, sizeof expect, "I-%.*s or O",
					(int)t->type_len, t->type);
			break;
		case SCHEME_BIOES:
			if ((t->prefix == 'I' || t->prefix == 'E') &&
			    !(cont_prev && (prev->prefix == 'B' || prev->prefix == 'I')))
				why = "does not continue an entity", snprintf(expect, sizeof expect,
					"BIOES opens with B-%.*s, or S-%.*s for one token",
					(int)t->type_len, t->type, (int)t->type_len, t->type);
			else if ((t->prefix == 'B' || t->prefix == 'I') &&
				 !(same_type(t, next) && (next->prefix == 'I' || next->prefix == 'E')))
				why = "is not closed", snprintf(expect, sizeof expect,
					"I-%.*s or E-%.*s next", (int)t->type_len, t->type, (int)t->type_len, t->type);
			break;
		default:
			break;
		}
		if (why == NULL)
			continue;
		if (!repair)
			return err_at(err, EX_DATAERR, file, pos[i].line, pos[i].col,
				      "%s after %s %s (expected %s; or use --repair)",
				      tag_str(a, sizeof a, t), i ? tag_str(b, sizeof b, prev) : "the sentence start",
				      why, expect);
		bad++;
	}
	return bad;
}

/* One sentence of a file whose scheme is decided at its end: every scheme's verdict so far. */
void
scheme_judge_add(struct scheme_judge *j, const struct tag *tags, size_t n,
		 const struct tag_pos *pos, const char *file, int repair)
{
	scheme_observe(&j->probe, tags, n, pos);
	for (int s = 0; s < SCHEME_COUNT; s++) {
		if (repair)
			j->bad[s] += scheme_check((enum scheme)s, tags, n, pos, file, 1, NULL);
		else if (!j->failed[s])
			j->failed[s] = scheme_check((enum scheme)s, tags, n, pos, file, 0, &j->first[s]) < 0;
	}
}

/* The decided scheme, and its first violation or count of them. */
int
scheme_judge_end(const struct scheme_judge *j, int repair, const char *file,
		 enum scheme *out, long *bad, struct ferry_err *err)
{
	*bad = 0;
	if (scheme_decide(&j->probe, repair, file, out, err) < 0)
		return -1;
	if (repair) {
		*bad = j->bad[*out];
		return 0;
	}
	if (!j->failed[*out])
		return 0;
	if (err)
		*err = j->first[*out];
	return -1;
}

/* The lenient decoder of scheme.h. */
void
scheme_decode(const struct tag *tags, size_t n, struct spans *out)
{
	long open = -1;     /* start of the open entity */

	for (size_t i = 0; i <= n; i++) {
		const struct tag *t = i < n ? &tags[i] : NULL;
		int cont = t && open >= 0 && (t->prefix == 'I' || t->prefix == 'E') &&
			   same_type(&tags[i - 1], t);

		if (open >= 0 && !cont) {
			const struct tag *o = &tags[open];
			spans_push(out, (uint32_t)open, (uint32_t)i, o->type, o->type_len);
			open = -1;
		}
		if (t == NULL || t->prefix == 'O')
			continue;
		if (!cont)
			open = (long)i;
		if (t->prefix == 'E' || t->prefix == 'S') {
			const struct tag *o = &tags[open];
			spans_push(out, (uint32_t)open, (uint32_t)i + 1, o->type, o->type_len);
			open = -1;
		}
	}
}

/* Projections without overlaps: the first of a clash is kept. */
void
scheme_proj_spans(const struct projs *proj, struct spans *out)
{
	spans_reset(out);
	for (size_t i = 0; i < proj->n; i++) {
		const struct span *s = &proj->v[i].span;
		if (out->n && s->start < out->v[out->n - 1].end)
			continue;
		spans_push(out, s->start, s->end, s->label, strlen(s->label));
	}
}

void
scheme_own_spans(const struct sprojs *own, int source, struct spans *out)
{
	spans_reset(out);
	for (size_t i = 0; i < own->n; i++) {
		const struct span *s = &own->v[i].span;
		if (own->v[i].source != source || (out->n && s->start < out->v[out->n - 1].end))
			continue;
		spans_push(out, s->start, s->end, s->label, strlen(s->label));
	}
}

/* Spans as tags of scheme s. */
void
scheme_encode(enum scheme s, const struct span *spans, size_t nspans,
	      size_t n, struct buf *store, size_t *offs)
{
	size_t k = 0;

	buf_reset(store);
	for (size_t i = 0; i < n; i++) {
		while (k < nspans && spans[k].end <= i)
			k++;
		offs[i] = store->len;
		if (k >= nspans || spans[k].start > i) {
			buf_add(store, "O", 2);
			continue;
		}
		const struct span *sp = &spans[k];
		char p;
		int first = (i == sp->start), last = (i + 1 == sp->end);
		switch (s) {
		case SCHEME_BIOES:
			p = first && last ? 'S' : first ? 'B' : last ? 'E' : 'I';
			break;
		case SCHEME_IOB1:
			p = first && k > 0 && spans[k - 1].end == sp->start &&
			    strcmp(spans[k - 1].label, sp->label) == 0 ? 'B' : 'I';
			break;
		case SCHEME_IO:
			p = 'I';
			break;
		default:
			p = first ? 'B' : 'I';
		}
		buf_addc(store, p);
		buf_addc(store, '-');
		buf_add(store, sp->label, strlen(sp->label) + 1);
	}
}
