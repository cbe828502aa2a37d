/* eval.c — span F1 as seqeval reports it, and an error breakdown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/eval.h"
#include "ferry/mem.h"

/* The counts of label, inserted in order when new. */
static struct eval_label *
label_of(struct eval *ev, const char *label)
{
	size_t i;

	for (i = 0; i < ev->n; i++) {
		int c = strcmp(ev->v[i].label, label);
		if (c == 0)
			return &ev->v[i];
		if (c > 0)
			break;
	}
	VEC_GROW(ev->v, ev->cap, ev->n + 1);
	memmove(ev->v + i + 1, ev->v + i, (ev->n - i) * sizeof *ev->v);
	memset(&ev->v[i], 0, sizeof ev->v[i]);
	snprintf(ev->v[i].label, sizeof ev->v[i].label, "%s", label);
	ev->n++;
	return &ev->v[i];
}

/* 1 when the spans share a token. */
static int
overlaps(const struct span *a, const struct span *b)
{
	return a->start < b->end && b->start < a->end;
}

/* Count hits, misses and why for one sentence. */
void
eval_add(struct eval *ev, const struct spans *gold, const struct spans *pred)
{
	ev->sentences++;
	for (size_t i = 0; i < pred->n; i++) {
		const struct span *p = &pred->v[i];
		int hit = 0, same_type_overlap = 0, same_span = 0, any = 0;
		for (size_t k = 0; k < gold->n; k++) {
			const struct span *g = &gold->v[k];
			if (!overlaps(p, g))
				continue;
			any = 1;
			int span_eq = g->start == p->start && g->end == p->end;
			int type_eq = strcmp(g->label, p->label) == 0;
			hit |= span_eq && type_eq;
			same_span |= span_eq;
			same_type_overlap |= type_eq;
		}
		if (hit) {
			label_of(ev, p->label)->tp++;
			continue;
		}
		label_of(ev, p->label)->fp++;
		if (!any)
			ev->err.spurious++;
		else if (same_span)
			ev->err.type++;
		else if (same_type_overlap)
			ev->err.boundary++;
		else
			ev->err.both++;
	}
	for (size_t k = 0; k < gold->n; k++) {
		const struct span *g = &gold->v[k];
		int hit = 0, any = 0;
		for (size_t i = 0; i < pred->n; i++) {
			const struct span *p = &pred->v[i];
			if (!overlaps(p, g))
				continue;
			any = 1;
			hit |= g->start == p->start && g->end == p->end && strcmp(g->label, p->label) == 0;
		}
		if (!hit)
			label_of(ev, g->label)->fn++;
		if (!any)
			ev->err.missed++;
	}
}

/* Free the per-label counts. */
void
eval_release(struct eval *ev)
{
	free(ev->v);
	memset(ev, 0, sizeof *ev);
}

/* Sum the per-label counts. */
void
eval_micro(const struct eval *ev, int64_t *tp, int64_t *fp, int64_t *fn)
{
	*tp = *fp = *fn = 0;
	for (size_t i = 0; i < ev->n; i++) {
		*tp += ev->v[i].tp;
		*fp += ev->v[i].fp;
		*fn += ev->v[i].fn;
	}
}

/* Precision, recall and F1 from counts (0 where undefined, as seqeval). */
static void
prf(int64_t tp, int64_t fp, int64_t fn, double *p, double *r, double *f)
{
	*p = tp + fp ? (double)tp / (double)(tp + fp) : 0;
	*r = tp + fn ? (double)tp / (double)(tp + fn) : 0;
	*f = *p + *r > 0 ? 2 * *p * *r / (*p + *r) : 0;
}

void
eval_micro_prf(const struct eval *ev, double *p, double *r, double *f)
{
	int64_t tp, fp, fn;

	eval_micro(ev, &tp, &fp, &fn);
	prf(tp, fp, fn, p, r, f);
}

/* seqeval's classification report, or the same figures as JSON. */
void
eval_report(const struct eval *ev, int json, struct buf *out)
{
	int64_t tp, fp, fn;
	double p, r, f;

	eval_micro(ev, &tp, &fp, &fn);
	if (json) {
		prf(tp, fp, fn, &p, &r, &f);
		buf_addf(out, "{\"sentences\":%lld,\"micro\":{\"precision\":%.4f,\"recall\":%.4f,\"f1\":%.4f,"
			 "\"tp\":%lld,\"fp\":%lld,\"fn\":%lld},\"labels\":{", (long long)ev->sentences, p, r, f,
			 (long long)tp, (long long)fp, (long long)fn);
		for (size_t i = 0; i < ev->n; i++) {
			const struct eval_label *l = &ev->v[i];
			prf(l->tp, l->fp, l->fn, &p, &r, &f);
			if (i)
				buf_addc(out, ',');
			buf_add_json(out, l->label, strlen(l->label));
			buf_addf(out, ":{\"precision\":%.4f,\"recall\":%.4f,\"f1\":%.4f,\"support\":%lld}",
				 p, r, f, (long long)(l->tp + l->fn));
		}
		buf_addf(out, "},\"errors\":{\"wrong_boundary\":%lld,\"wrong_type\":%lld,"
			 "\"wrong_boundary_and_type\":%lld,\"missed\":%lld,\"spurious\":%lld}}\n",
			 (long long)ev->err.boundary, (long long)ev->err.type, (long long)ev->err.both,
			 (long long)ev->err.missed, (long long)ev->err.spurious);
		return;
	}
	buf_addf(out, "%-12s %9s %9s %9s %9s\n\n", "", "precision", "recall", "f1-score", "support");
	for (size_t i = 0; i < ev->n; i++) {
		const struct eval_label *l = &ev->v[i];
		prf(l->tp, l->fp, l->fn, &p, &r, &f);
		buf_addf(out, "%-12s %9.4f %9.4f %9.4f %9lld\n", l->label, p, r, f, (long long)(l->tp + l->fn));
	}
	prf(tp, fp, fn, &p, &r, &f);
	buf_addf(out, "\n%-12s %9.4f %9.4f %9.4f %9lld\n", "micro avg", p, r, f, (long long)(tp + fn));
	buf_addf(out, "\nerrors: %lld wrong boundary, %lld wrong type, %lld wrong boundary and type, "
		 "%lld missed, %lld spurious (%lld sentences)\n",
		 (long long)ev->err.boundary, (long long)ev->err.type, (long long)ev->err.both,
		 (long long)ev->err.missed, (long long)ev->err.spurious, (long long)ev->sentences);
}

void
eval_report_sources(const struct eval *ev, const char *const *names, const double *rel, size_t n,
		    const struct eval *fused, int json, struct buf *out)
{
	double p, r, f;

	if (json)
		buf_adds(out, "{\"sources\":[");
	else
		buf_addf(out, "%-12s %11s %9s %9s %9s\n\n", "source", "reliability", "precision", "recall", "f1");
	for (size_t k = 0; k <= n; k++) {
		const char *name = k < n ? names[k] : "fused";
		double w = k < n ? rel[k] : -1;
		eval_micro_prf(k < n ? &ev[k] : fused, &p, &r, &f);
		if (!json) {
			char ws[16] = "-";
			if (w >= 0)
				snprintf(ws, sizeof ws, "%.4f", w);
			buf_addf(out, "%s%-12s %11s %9.4f %9.4f %9.4f\n", k == n ? "\n" : "", name, ws, p, r, f);
			continue;
		}
		if (k == n) {
			buf_adds(out, "],\"fused\":{");
		} else {
			buf_addf(out, "%s{\"id\":%zu,\"lang\":", k ? "," : "", k);
			buf_add_json(out, name, strlen(name));
			if (w >= 0)
				buf_addf(out, ",\"reliability\":%.4f", w);
			buf_adds(out, ",");
		}
		buf_addf(out, "\"precision\":%.4f,\"recall\":%.4f,\"f1\":%.4f}", p, r, f);
	}
	if (json)
		buf_adds(out, "}\n");
}

/* B-X I-X* runs only; a stray I- belongs to no entity. */
void
eval_decode_strict(const struct tag *tags, size_t n, struct spans *out)
{
	for (size_t i = 0; i < n; ) {
		if (tags[i].prefix != 'B') {
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < n && tags[j].prefix == 'I' && tags[j].type_len == tags[i].type_len &&
		       memcmp(tags[j].type, tags[i].type, tags[i].type_len) == 0)
			j++;
		spans_push(out, (uint32_t)i, (uint32_t)j, tags[i].type, tags[i].type_len);
		i = j;
	}
}
