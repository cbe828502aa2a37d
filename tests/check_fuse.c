/*
 * check_fuse.c — multi-source projection on plain structs: the fused
 * support worked out by hand, label votes, pins, the fused ILP against
 * brute force (with the support computed a second way, here), the
 * reliability from agreement, and the candidates' full stops.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_ferry.h"
#include "ferry/match.h"
#include "ferry/mem.h"

/* One source as the fusion sees it: its view (entities) and its answer, made by hand. */
struct src {
	struct pair view;
	struct match_out out;
};

static void
src_entity(struct src *s, uint32_t a, uint32_t b, const char *label)
{
	spans_push(&s->view.ents, a, b, label, strlen(label));
}

static void
src_proj(struct src *s, int e, uint32_t a, uint32_t b, double score)
{
	VEC_GROW(s->out.v, s->out.cap, s->out.n + 1);
	struct match_proj *p = &s->out.v[s->out.n++];
	memset(p, 0, sizeof *p);
	p->entity = e;
	p->start = a;
	p->end = b;
	snprintf(p->label, sizeof p->label, "%s", s->view.ents.v[e].label);
	p->score = score;
}

static void
src_alt(struct src *s, int e, uint32_t a, uint32_t b, double score)
{
	VEC_GROW(s->out.alts, s->out.alts_cap, s->out.nalts + 1);
	s->out.alts[s->out.nalts++] = (struct match_cand){ e, a, b, score, 0 };
}

static void
src_release(struct src *s, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		spans_release(&s[k].view.ents);
		match_out_release(&s[k].out);
	}
}

static struct match_opts
fuse_opts(enum match_method m)
{
	struct match_opts o;

	match_opts_init(&o);
	o.method = m;
	o.fused = 1;
	return o;
}

/* "LABEL:a-b" of each fused span, with its support as bits and its entity. */
static const char *
fused(const struct match_out *mo)
{
	static char out[512];
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < mo->n; i++)
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%s:%u-%u/%x/e%d", i ? " " : "", mo->v[i].label,
				      mo->v[i].start, mo->v[i].end, mo->v[i].support, mo->v[i].entity);
	return out;
}

static int
run(struct src *s, size_t n, const double *w, const struct match_opts *o, const struct pin *pins, size_t npins,
    uint32_t ntgt, struct match_out *out)
{
	struct fuse_source fs[8];
	struct pair p = { 0 };
	struct ferry_err err;
	match_ws *ws = match_ws_new();
	char text[64] = "";

	for (uint32_t i = 0; i < ntgt; i++)
		strcat(text, i ? " t" : "t");
	toks_set_joined(&p.tgt, text, strlen(text));
	p.ents = s[0].view.ents;
	for (size_t k = 0; k < n; k++) {
		s[k].view.tgt = p.tgt;
		fs[k] = (struct fuse_source){ &s[k].view, &s[k].out, w[k], (int)k };
	}
	int rc = match_fuse(ws, &p, fs, n, o, pins, npins, out, &err);
	toks_release(&p.tgt);
	match_ws_free(ws);
	return rc;
}

/* Agreement gains: the support of a span every source proposes, worked out by hand. */
START_TEST(support_by_hand)
{
	struct src s[3] = { 0 };
	struct match_out out = { 0 };
	struct match_opts o = fuse_opts(METHOD_GREEDY);
	double w[3] = { 1, 1, 1 };

	for (int k = 0; k < 3; k++)
		src_entity(&s[k], 0, 2, "PER");
	src_proj(&s[0], 0, 0, 2, 1.0);
	src_alt(&s[0], 0, 0, 2, 1.0);
	src_proj(&s[1], 0, 0, 2, 0.8);
	src_alt(&s[1], 0, 0, 2, 0.8);
	src_proj(&s[2], 0, 0, 1, 0.9);
	src_alt(&s[2], 0, 0, 1, 0.9);
	src_alt(&s[2], 0, 0, 2, 0.6);
	ck_assert_int_eq(run(s, 3, w, &o, NULL, 0, 5, &out), 0);
	/* [0,2): (0.5 + 0.5 * 1) + (0.5 + 0.5 * 0.8) + (0 + 0.5 * 0.6), over 3 */
	ck_assert_str_eq(fused(&out), "PER:0-2/3/e0");
	ck_assert_double_eq_tol(out.v[0].score, (1.0 + 0.9 + 0.3) / 3, 1e-12);
	/* its rival [0,1), which source 2 alone projects: (0.5 + 0.5 * 0.9) / 3 */
	ck_assert_double_eq_tol(out.v[0].margin, (1.0 + 0.9 + 0.3) / 3 - (0.5 + 0.45) / 3, 1e-12);
	/* the alternatives of entity 0: its candidates, each source's projection marked */
	ck_assert_uint_eq(out.nalts, 2);
	ck_assert_uint_eq(out.alts[0].start, 0);
	ck_assert_uint_eq(out.alts[0].end, 2);
	ck_assert_uint_eq(out.alts[0].from, 3);
	ck_assert_uint_eq(out.alts[1].end, 1);
	ck_assert_uint_eq(out.alts[1].from, 4);
	/* fuse_min above the support: nothing */
	o.fuse_min = 0.74;
	ck_assert_int_eq(run(s, 3, w, &o, NULL, 0, 5, &out), 0);
	ck_assert_str_eq(fused(&out), "");
	match_out_release(&out);
	src_release(s, 3);
}
END_TEST

/* Conflicting labels: the larger weighted vote wins; a label the first source lacks has no entity. */
START_TEST(label_votes)
{
	struct src s[3] = { 0 };
	struct match_out out = { 0 };
	struct match_opts o = fuse_opts(METHOD_GREEDY);
	double w[3] = { 1, 1, 1 };

	src_entity(&s[0], 0, 1, "LOC");
	src_proj(&s[0], 0, 3, 4, 1.0);
	src_alt(&s[0], 0, 3, 4, 1.0);
	for (int k = 1; k < 3; k++) {
		src_entity(&s[k], 0, 1, "ORG");
		src_proj(&s[k], 0, 3, 4, 1.0);
		src_alt(&s[k], 0, 3, 4, 1.0);
	}
	ck_assert_int_eq(run(s, 3, w, &o, NULL, 0, 6, &out), 0);
	ck_assert_str_eq(fused(&out), "ORG:3-4/6/e-1");
	ck_assert_double_eq_tol(out.v[0].score, 2.0 / 3, 1e-12);
	/* the first source weighs more than the two others together */
	w[0] = 2.5;
	ck_assert_int_eq(run(s, 3, w, &o, NULL, 0, 6, &out), 0);
	ck_assert_str_eq(fused(&out), "LOC:3-4/1/e0");
	/* a vote: projections alone, more than half the weight */
	w[0] = 1;
	o.fuse = FUSE_VOTE;
	o.fuse_min = 0.5;
	ck_assert_int_eq(run(s, 3, w, &o, NULL, 0, 6, &out), 0);
	ck_assert_str_eq(fused(&out), "ORG:3-4/6/e-1");
	/* ORG has 0.8 of 1.8: no majority; LOC has 1 of 1.8 */
	w[1] = w[2] = 0.4;
	ck_assert_int_eq(run(s, 3, w, &o, NULL, 0, 6, &out), 0);
	ck_assert_str_eq(fused(&out), "LOC:3-4/1/e0");
	/* a third label splits the vote: nobody has more than half */
	w[1] = w[2] = 1;
	snprintf(s[2].out.v[0].label, sizeof s[2].out.v[0].label, "PER");
	snprintf(s[2].view.ents.v[0].label, sizeof s[2].view.ents.v[0].label, "PER");
	ck_assert_int_eq(run(s, 3, w, &o, NULL, 0, 6, &out), 0);
	ck_assert_str_eq(fused(&out), "");
	match_out_release(&out);
	src_release(s, 3);
}
END_TEST

/* Pins refer to the first source's entities: accepted, forbidden, no counterpart. */
START_TEST(pins_on_the_fusion)
{
	struct src s[2] = { 0 };
	struct match_out out = { 0 };
	struct match_opts o = fuse_opts(METHOD_GREEDY);
	double w[2] = { 1, 1 };
	struct pin pin = { .kind = PIN_ACCEPT, .entity = 0, .start = 1, .end = 3, .label = "PER" };

	for (int k = 0; k < 2; k++) {
		src_entity(&s[k], 0, 2, "PER");
		src_proj(&s[k], 0, 0, 2, 1.0);
		src_alt(&s[k], 0, 0, 2, 1.0);
		src_alt(&s[k], 0, 1, 3, 0.7);
	}
	ck_assert_int_eq(run(s, 2, w, &o, &pin, 1, 5, &out), 0);
	/* accepted [1,3): it stays, pinned, with its support score; [0,2) overlaps it */
	ck_assert_str_eq(fused(&out), "PER:1-3/0/e0");
	ck_assert(out.v[0].pinned);
	ck_assert_double_eq_tol(out.v[0].score, 0.35, 1e-12);
	pin.kind = PIN_FORBID;
	pin.start = 0;
	pin.end = 2;
	ck_assert_int_eq(run(s, 2, w, &o, &pin, 1, 5, &out), 0);
	ck_assert_str_eq(fused(&out), "");      /* [1,3) alone has 0.35, not above fuse_min */
	pin.kind = PIN_NONE;
	ck_assert_int_eq(run(s, 2, w, &o, &pin, 1, 5, &out), 0);
	ck_assert_str_eq(fused(&out), "");
	match_out_release(&out);
	src_release(s, 2);
}
END_TEST

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* A fused candidate as this test computes it, from the sources' answers directly. */
struct key {
	uint32_t a, b;
	char label[FERRY_LABEL_MAX];
	double f;
};

/* The support of every (span, label) the sources name: the formula of match-fuse.c, written again. */
static size_t
keys_of(const struct src *s, size_t n, const double *w, double alpha, struct key *k)
{
	size_t nk = 0;
	double total = 0;

	for (size_t i = 0; i < n; i++)
		total += w[i];
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < s[i].out.nalts + s[i].out.n; j++) {
			uint32_t a, b;
			const char *label;
			if (j < s[i].out.nalts) {
				a = s[i].out.alts[j].start, b = s[i].out.alts[j].end;
				label = s[i].view.ents.v[s[i].out.alts[j].entity].label;
			} else {
				a = s[i].out.v[j - s[i].out.nalts].start, b = s[i].out.v[j - s[i].out.nalts].end;
				label = s[i].out.v[j - s[i].out.nalts].label;
			}
			size_t x = 0;
			while (x < nk && !(k[x].a == a && k[x].b == b && strcmp(k[x].label, label) == 0))
				x++;
			if (x < nk)
				continue;
			k[nk] = (struct key){ a, b, "", 0 };
			snprintf(k[nk].label, sizeof k[nk].label, "%s", label);
			for (size_t y = 0; y < n; y++) {
				double best = 0;
				int chosen = 0;
				for (size_t z = 0; z < s[y].out.nalts; z++) {
					const struct match_cand *c = &s[y].out.alts[z];
					if (c->start == a && c->end == b && strcmp(s[y].view.ents.v[c->entity].label, label) == 0 &&
					    c->score > best)
						best = c->score;
				}
				for (size_t z = 0; z < s[y].out.n; z++) {
					const struct match_proj *p = &s[y].out.v[z];
					if (p->start == a && p->end == b && strcmp(p->label, label) == 0) {
						chosen = 1;
						if (p->score > best)
							best = p->score;
					}
				}
				k[nk].f += w[y] * (alpha * chosen + (1 - alpha) * best);
			}
			k[nk].f /= total;
			nk++;
		}
	return nk;
}

/* The best total of f - min over non-overlapping keys above min, by enumeration. */
static double
brute(const struct key *k, size_t nk, double min)
{
	double best = 0;

	for (unsigned m = 0; m < (1u << nk); m++) {
		double v = 0;
		int ok = 1;
		for (size_t i = 0; i < nk && ok; i++) {
			if (!(m >> i & 1))
				continue;
			ok = k[i].f > min;
			v += k[i].f - min;
			for (size_t j = 0; j < i && ok; j++)
				if ((m >> j & 1) && k[j].a < k[i].b && k[i].a < k[j].b)
					ok = 0;
		}
		if (ok && v > best)
			best = v;
	}
	return best;
}

/* The fused ILP equals brute force on 2,000 random instances of two to four sources. */
START_TEST(fused_ilp_equals_brute_force)
{
	static const char *const labels[] = { "PER", "LOC" };
	int compared = 0;

	for (int t = 0; t < 2000; t++) {
		struct src s[4] = { 0 };
		struct match_out out = { 0 };
		struct match_opts o = fuse_opts(METHOD_ILP);
		struct key k[64];
		double w[4];
		size_t n = 2 + rnd(3);
		uint32_t ntgt = 4 + rnd(4);

		o.fuse_alpha = rnd(5) / 4.0;
		o.fuse_min = rnd(6) / 10.0;
		for (size_t i = 0; i < n; i++) {
			w[i] = (1 + rnd(10)) / 10.0;
			size_t ne = 1 + rnd(2);
			for (size_t e = 0; e < ne; e++) {
				src_entity(&s[i], (uint32_t)e, (uint32_t)e + 1, labels[rnd(2)]);
				for (int c = 0, nc = 1 + (int)rnd(3); c < nc; c++) {
					uint32_t a = rnd(ntgt), b = a + 1 + rnd(2);
					src_alt(&s[i], (int)e, a, b > ntgt ? ntgt : b, (1 + rnd(100)) / 100.0);
				}
				/* its own projection: one of its candidates (the matcher's always is) */
				const struct match_cand *c = &s[i].out.alts[s[i].out.nalts - 1];
				if (rnd(4))
					src_proj(&s[i], (int)e, c->start, c->end, c->score);
			}
		}
		size_t nk = keys_of(s, n, w, o.fuse_alpha, k);
		if (nk > 14) {
			src_release(s, n);
			continue;
		}
		ck_assert_int_eq(run(s, n, w, &o, NULL, 0, ntgt, &out), 0);
		double got = 0;
		for (size_t i = 0; i < out.n; i++)
			got += out.v[i].score - o.fuse_min;
		double want = brute(k, nk, o.fuse_min);
		ck_assert_msg(fabs(got - want) < 1e-9, "instance %d: fused ilp %g, brute force %g", t, got, want);
		/* and every span it chose has the support computed here */
		for (size_t i = 0; i < out.n; i++) {
			size_t x = 0;
			while (x < nk && !(k[x].a == out.v[i].start && k[x].b == out.v[i].end &&
					   strcmp(k[x].label, out.v[i].label) == 0))
				x++;
			ck_assert(x < nk);
			ck_assert_double_eq_tol(out.v[i].score, k[x].f, 1e-12);
		}
		compared++;
		match_out_release(&out);
		src_release(s, n);
	}
	ck_assert_int_gt(compared, 1500);
}
END_TEST

static void
own(struct sproj *v, size_t *n, int source, uint32_t a, uint32_t b, const char *label)
{
	v[*n] = (struct sproj){ .source = source, .span = { a, b, "" } };
	snprintf(v[*n].span.label, sizeof v[*n].span.label, "%s", label);
	(*n)++;
}

/* Reliability: each source's span F1 against the others, averaged; worked by hand. */
START_TEST(reliability_from_agreement)
{
	struct fuse_agreement a;
	struct sproj v[8];
	size_t n = 0;
	double w[FERRY_SOURCES_MAX];

	memset(&a, 0, sizeof a);
	/* pair 1: sources 0 and 1 agree on one span, source 2 has another */
	own(v, &n, 0, 0, 2, "PER");
	own(v, &n, 1, 0, 2, "PER");
	own(v, &n, 2, 3, 4, "LOC");
	fuse_agreement_add(&a, v, n, 7);
	/* pair 2: only sources 0 and 2; they agree */
	n = 0;
	own(v, &n, 0, 1, 2, "ORG");
	own(v, &n, 2, 1, 2, "ORG");
	fuse_agreement_add(&a, v, n, 5);
	fuse_agreement_weights(&a, 7, w);
	/* 0-1: 1 same of 1 + 1 spans: 1; 0-2: 1 same of 2 + 2: 0.5; 1-2: 0 of 1 + 1: 0 */
	ck_assert_double_eq_tol(w[0], (1.0 + 0.5) / 2, 1e-12);
	ck_assert_double_eq_tol(w[1], (1.0 + 0.0) / 2, 1e-12);
	ck_assert_double_eq_tol(w[2], (0.5 + 0.0) / 2, 1e-12);
	/* a source alone: weight 1 */
	memset(&a, 0, sizeof a);
	fuse_agreement_weights(&a, 1, w);
	ck_assert_double_eq_tol(w[0], 1.0, 1e-12);
}
END_TEST

/* A candidate may hold a sentence-internal full stop, as the reference's may; never ! or ?. */
START_TEST(candidates_hold_full_stops)
{
	struct pair p = { 0 };
	struct match_out mo = { 0 };
	struct ferry_err err;
	struct align_opts ao = { 0, 0 };
	match_ws *ws = match_ws_new();
	struct match_opts o;

	match_opts_init(&o);
	o.method = METHOD_GREEDY;
	o.weights[SCORE_SURFACE] = 0;
	o.min_score = 0;
	o.links = LINKS_SYM;
	toks_set_joined(&p.src, "Dr. Weiß came .", 15);
	toks_set_joined(&p.tgt, "Dr . Weiß kam .", 15);
	ck_assert_int_eq(align_parse("0-0 0-1 1-2 2-3 3-4", 19, &ao, 4, 5, "t", 1, &p.fwd, &err), 0);
	links_copy(&p.sym, &p.fwd);
	spans_push(&p.ents, 0, 2, "PER", 3);
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &mo, &err), 0);
	ck_assert_uint_eq(mo.n, 1);
	ck_assert_uint_eq(mo.v[0].start, 0);
	ck_assert_uint_eq(mo.v[0].end, 3);
	toks_set_joined(&p.tgt, "Dr ! Weiß kam .", 15);
	ck_assert_int_eq(match_pair(ws, &p, &o, NULL, 0, &mo, &err), 0);
	ck_assert_uint_eq(mo.n, 1);
	ck_assert_uint_eq(mo.v[0].end - mo.v[0].start, 1);
	pair_release(&p);
	match_out_release(&mo);
	match_ws_free(ws);
}
END_TEST

Suite *
fuse_suite(void)
{
	Suite *s = suite_create("fuse");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, support_by_hand);
	tcase_add_test(tc, label_votes);
	tcase_add_test(tc, pins_on_the_fusion);
	tcase_add_test(tc, fused_ilp_equals_brute_force);
	tcase_add_test(tc, reliability_from_agreement);
	tcase_add_test(tc, candidates_hold_full_stops);
	suite_add_tcase(s, tc);
	return s;
}
