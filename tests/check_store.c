/* check_store.c — the project file: round trips, refusals, migrations. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_ferry.h"
#include "ferry/store.h"

/* p reset to n tokens "w" on each side. */
static void
words_pair(struct pair *p, uint32_t n)
{
	pair_reset(p);
	for (uint32_t k = 0; k < n; k++) {
		toks_add(&p->src, "w", 1);
		toks_add(&p->tgt, "w", 1);
	}
}

static void
fill_pair(struct pair *p)
{
	struct align_opts o = { 0, 0 };
	struct ferry_err err;

	pair_reset(p);
	toks_add(&p->src, "Amina", 5);
	toks_add(&p->src, "visited", 7);
	toks_add(&p->src, "Nairobi", 7);
	toks_add(&p->tgt, "Amina", 5);
	toks_add(&p->tgt, "alitembelea", 11);
	toks_add(&p->tgt, "Nairobi", 7);
	toks_add(&p->tgt, "\xf0\x9f\x98\x80", 4);
	spans_push(&p->ents, 0, 1, "PER", 3);
	spans_push(&p->ents, 2, 3, "LOC", 3);
	spans_push(&p->gold, 2, 3, "LOC", 3);
	p->has_gold = 1;
	ck_assert_int_eq(align_parse("0-0 1-1 2-2:0.5", 15, &o, 3, 4, "t", 1, &p->fwd, &err), 0);
	links_copy(&p->sym, &p->fwd);
}

START_TEST(round_trip)
{
	struct ferry_err err = { 0 };
	struct pair p = { 0 }, q = { 0 };
	struct buf b = BUF_INIT;
	ferry_store *st;
	store_iter *it;

	enter_tmpdir();
	ck_assert_int_eq(store_open(&st, "p.ferry", STORE_CREATE, &err), 0);
	ck_assert_int_eq(store_begin(st, &err), 0);
	fill_pair(&p);
	ck_assert_int_eq(store_pair_add(st, &p, &err), 0);
	ck_assert_int_eq(p.id, 1);
	ck_assert_int_eq(store_pair_add(st, &p, &err), 0);
	ck_assert_int_eq(p.id, 2);
	ck_assert_int_eq(store_setting_set(st, "src_lang", "en", &err), 0);
	ck_assert_int_eq(store_log_add(st, 2, "accept", "{\"a\":1}", NULL, &err), 1);
	ck_assert_int_eq(store_commit(st, &err), 0);
	ck_assert_int_eq(store_close(st, &err), 0);

	ck_assert_int_eq(store_open(&st, "p.ferry", STORE_READONLY, &err), 0);
	ck_assert_int_eq(store_setting_get(st, "src_lang", &b, &err), 1);
	ck_assert_str_eq(buf_cstr(&b), "en");
	ck_assert_int_eq(store_setting_get(st, "nope", &b, &err), 0);
	struct store_filter f = { .from = 2 };
	ck_assert_int_eq(store_iter_open(st, &f, LOAD_ALL, &it, &err), 0);
	ck_assert_int_eq(store_iter_next(it, &q, &err), 1);
	ck_assert_int_eq(q.id, 2);
	ck_assert_str_eq(q.src.text, "Amina visited Nairobi");
	ck_assert_str_eq(q.tgt.text, "Amina alitembelea Nairobi \xf0\x9f\x98\x80");
	ck_assert_uint_eq(q.tgt.n, 4);
	ck_assert_uint_eq(q.ents.n, 2);
	ck_assert_str_eq(q.ents.v[1].label, "LOC");
	ck_assert_uint_eq(q.ents.v[1].start, 2);
	ck_assert_uint_eq(q.gold.n, 1);
	ck_assert_uint_eq(q.fwd.n, 3);
	ck_assert(q.fwd.v[2].w == 0.5f);
	ck_assert_int_eq(q.has_rev, 0);
	ck_assert_int_eq(q.status, STATUS_PENDING);
	ck_assert_int_eq(store_iter_next(it, &q, &err), 0);
	/* the end stays the end: SQLite itself would start the walk over */
	ck_assert_int_eq(store_iter_next(it, &q, &err), 0);
	ck_assert_int_eq(store_iter_seek(it, 1, 1, &err), 0);
	ck_assert_int_eq(store_iter_next(it, &q, &err), 1);
	ck_assert_int_eq(q.id, 1);
	ck_assert_int_eq(store_iter_next(it, &q, &err), 0);
	store_iter_free(it);
	/* status filter: nothing is accepted yet */
	f.from = 0;
	f.status_mask = 1u << STATUS_ACCEPTED;
	ck_assert_int_eq(store_iter_open(st, &f, LOAD_ALL, &it, &err), 0);
	ck_assert_int_eq(store_iter_next(it, &q, &err), 0);
	store_iter_free(it);
	struct store_stats s;
	ck_assert_int_eq(store_stats(st, &s, &err), 0);
	ck_assert_int_eq(s.pairs, 2);
	ck_assert_int_eq(s.src_tokens, 6);
	ck_assert_int_eq(s.tgt_tokens, 8);
	ck_assert_int_eq(s.entities, 4);
	ck_assert_int_eq((int)s.n_ent_labels, 2);
	ck_assert_str_eq(s.ent_labels[0].label, "LOC");
	ck_assert_int_eq(s.links_fwd, 6);
	ck_assert_int_eq(s.log_entries, 1);
	store_stats_release(&s);
	store_close(st, NULL);
	pair_release(&p);
	pair_release(&q);
	buf_release(&b);
	leave_tmpdir();
}
END_TEST

/*
 * Spans go in up to SPAN_ROWS_MAX a statement: pairs of 0 to 9 entities
 * and gold spans keep every span, in order, and the entity ids the add
 * reports are the rows' own, 1 on without a gap.
 */
START_TEST(many_spans_a_pair)
{
	struct ferry_err err = { 0 };
	struct pair p = { 0 }, q = { 0 };
	ferry_store *st;
	store_iter *it;
	int64_t next = 1;

	enter_tmpdir();
	ck_assert_int_eq(store_open(&st, "p.ferry", STORE_CREATE, &err), 0);
	ck_assert_int_eq(store_begin(st, &err), 0);
	for (uint32_t n = 0; n < 10; n++) {
		words_pair(&p, 10);
		for (uint32_t k = 0; k < n; k++) {
			char label[16];
			snprintf(label, sizeof label, "L%u", k);
			spans_push(&p.ents, k, k + 1, label, strlen(label));
			spans_push(&p.gold, 9 - k, 10 - k, label, strlen(label));
		}
		p.has_gold = 1;
		ck_assert_int_eq(store_pair_add(st, &p, &err), 0);
		for (uint32_t k = 0; k < n; k++)
			ck_assert_int_eq(p.ent_ids[k], next++);
	}
	ck_assert_int_eq(store_commit(st, &err), 0);
	struct store_filter f = { 0 };
	ck_assert_int_eq(store_iter_open(st, &f, LOAD_ALL, &it, &err), 0);
	next = 1;
	for (uint32_t n = 0; n < 10; n++) {
		ck_assert_int_eq(store_iter_next(it, &q, &err), 1);
		ck_assert_uint_eq(q.ents.n, n);
		ck_assert_uint_eq(q.gold.n, n);
		for (uint32_t k = 0; k < n; k++) {
			char label[16];
			snprintf(label, sizeof label, "L%u", k);
			ck_assert_uint_eq(q.ents.v[k].start, k);
			ck_assert_str_eq(q.ents.v[k].label, label);
			ck_assert_int_eq(q.ent_ids[k], next++);
			/* gold in start order: L(n-1) first */
			snprintf(label, sizeof label, "L%u", n - 1 - k);
			ck_assert_uint_eq(q.gold.v[k].start, 10 - n + k);
			ck_assert_str_eq(q.gold.v[k].label, label);
		}
	}
	ck_assert_int_eq(store_iter_next(it, &q, &err), 0);
	store_iter_free(it);
	store_close(st, NULL);
	pair_release(&p);
	pair_release(&q);
	leave_tmpdir();
}
END_TEST

/*
 * A load of one side's text alone (export): that side's tokens, the
 * other side, the back-translation and the links left empty, and whether
 * the pair has reverse links, a back-translation and predictions as a
 * fuller load says, on pairs with and without each; and without the
 * versions too (LOAD_NO_VERSION), when nothing but the side is read.
 */
/* Do two link lists hold the same links? */
static int
same_links(const struct links *a, const struct links *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].s != b->v[i].s || a->v[i].t != b->v[i].t || a->v[i].w != b->v[i].w)
			return 0;
	return 1;
}

START_TEST(text_only_load)
{
	struct align_opts o = { 0, 0 };
	struct ferry_err err = { 0 };
	struct pair p = { 0 }, full = { 0 }, q = { 0 };
	ferry_store *st;
	store_iter *a, *b;

	enter_tmpdir();
	ck_assert_int_eq(store_open(&st, "p.ferry", STORE_CREATE, &err), 0);
	ck_assert_int_eq(store_begin(st, &err), 0);
	for (int k = 0; k < 4; k++) {
		fill_pair(&p);
		if (k & 1) {
			ck_assert_int_eq(align_parse("0-1 2-0", 7, &o, 3, 4, "r", 1, &p.rev, &err), 0);
			p.has_rev = 1;
		}
		if (k & 2) {
			toks_add(&p.bt, "Amina", 5);
			p.has_bt = 1;
			ck_assert_int_eq(align_parse("0-0", 3, &o, 3, 1, "sb", 1, &p.src_bt, &err), 0);
			ck_assert_int_eq(align_parse("0-0", 3, &o, 1, 4, "bt", 1, &p.bt_tgt, &err), 0);
			for (int j = 0; j < 4; j++) {
				toks_add(&p.ner_tags, j ? "O" : "B-PER", j ? 1 : 5);
				toks_add(&p.ner_probs, "-", 1);
			}
			p.has_ner = 1;
		}
		ck_assert_int_eq(store_pair_add(st, &p, &err), 0);
	}
	ck_assert_int_eq(store_commit(st, &err), 0);
	struct store_filter f = { 0 };
	/* with the predictions, against one side's text alone */
	ck_assert_int_eq(store_iter_open(st, &f, LOAD_TEXT | LOAD_NER, &a, &err), 0);
	ck_assert_int_eq(store_iter_open(st, &f, LOAD_TEXT | LOAD_TGT_ONLY | LOAD_PROJ, &b, &err), 0);
	for (int k = 0; k < 4; k++) {
		ck_assert_int_eq(store_iter_next(a, &full, &err), 1);
		ck_assert_int_eq(store_iter_next(b, &q, &err), 1);
		ck_assert_int_eq(q.id, full.id);
		ck_assert_str_eq(q.tgt.text, "Amina alitembelea Nairobi \xf0\x9f\x98\x80");
		ck_assert_uint_eq(q.src.n, 0);
		ck_assert_uint_eq(q.bt.n, 0);
		ck_assert_uint_eq(q.fwd.n, 0);
		ck_assert_int_eq(q.has_rev, (k & 1) != 0);
		ck_assert_int_eq(q.has_bt, (k & 2) != 0);
		ck_assert_int_eq(q.has_ner, (k & 2) != 0);
		ck_assert_int_eq(q.has_rev, full.has_rev);
		ck_assert_int_eq(q.has_bt, full.has_bt);
		ck_assert_int_eq(q.has_ner, full.has_ner);
		ck_assert_int_eq(q.has_gold, full.has_gold);
		ck_assert_int_eq(q.status, full.status);
	}
	ck_assert_int_eq(store_iter_next(b, &q, &err), 0);
	store_iter_free(a);
	store_iter_free(b);
	/* without the versions as well (export), each side: its text, the flags left 0 */
	for (int side = 0; side < 2; side++) {
		ck_assert_int_eq(store_iter_open(st, &f, LOAD_TEXT | LOAD_PROJ | LOAD_NO_VERSION |
						 (side ? LOAD_SRC_ONLY : LOAD_TGT_ONLY), &b, &err), 0);
		for (int k = 0; k < 4; k++) {
			ck_assert_int_eq(store_iter_next(b, &q, &err), 1);
			ck_assert_int_eq(store_pair_decode(&q, "p.ferry", &err), 0);
			ck_assert_str_eq(side ? q.src.text : q.tgt.text,
					 side ? "Amina visited Nairobi" : "Amina alitembelea Nairobi \xf0\x9f\x98\x80");
			ck_assert_uint_eq(side ? q.tgt.n : q.src.n, 0);
			ck_assert_uint_eq(q.bt.n, 0);
			ck_assert(!q.has_rev && !q.has_bt && !q.has_ner && q.version == 0);
			ck_assert_int_eq(q.has_gold, 1);
			ck_assert_int_eq(q.id, k + 1);
		}
		ck_assert_int_eq(store_iter_next(b, &q, &err), 0);
		store_iter_free(b);
	}
	/* without the back-translation (a match that does not refine by it): the rest as ever */
	ck_assert_int_eq(store_iter_open(st, &f, LOAD_TEXT | LOAD_ALIGN | LOAD_NER | LOAD_NO_SYM, &a, &err), 0);
	ck_assert_int_eq(store_iter_open(st, &f, LOAD_TEXT | LOAD_ALIGN | LOAD_NER | LOAD_NO_SYM | LOAD_NO_BT | LOAD_DEFER,
					 &b, &err), 0);
	for (int k = 0; k < 4; k++) {
		ck_assert_int_eq(store_iter_next(a, &full, &err), 1);
		ck_assert_int_eq(store_iter_next(b, &q, &err), 1);
		ck_assert_int_eq(store_pair_decode(&q, "p.ferry", &err), 0);
		ck_assert_uint_eq(full.bt.n, (k & 2) ? 1 : 0);
		ck_assert_uint_eq(full.src_bt.n + full.bt_tgt.n, (k & 2) ? 2 : 0);
		ck_assert(q.bt.n == 0 && q.src_bt.n == 0 && q.bt_tgt.n == 0 && !q.has_bt);
		ck_assert_str_eq(q.src.text, full.src.text);
		ck_assert_str_eq(q.tgt.text, full.tgt.text);
		ck_assert(same_links(&q.fwd, &full.fwd) && same_links(&q.rev, &full.rev) &&
			  same_links(&q.sym, &full.sym));
		ck_assert_int_eq(q.has_rev, full.has_rev);
		ck_assert_int_eq(q.has_ner, full.has_ner);
		ck_assert_uint_eq(q.ner_probs.n, full.ner_probs.n);
	}
	store_iter_free(a);
	store_iter_free(b);
	store_close(st, NULL);
	pair_release(&p);
	pair_release(&full);
	pair_release(&q);
	leave_tmpdir();
}
END_TEST

/* Projection k of n written by many_projections_a_pair: every field differs. */
static void
nth_proj(struct proj *v, uint32_t k, uint32_t n)
{
	memset(v, 0, sizeof *v);
	v->span.start = k;
	v->span.end = k + 1 + k % 2;
	snprintf(v->span.label, sizeof v->span.label, "L%u", k);
	v->entity = k % 3 == 2 ? 0 : 1 + k;   /* 0: a hand-made span, NULL in the table */
	v->score = 0.5 + k / 64.0 + n / 1024.0;
	v->margin = k / 128.0;
	snprintf(v->method, sizeof v->method, k % 2 ? "greedy" : "m%u", k);
	v->by_reviewer = k % 4 == 3;
	v->support = k * 3u;
}

/*
 * Projections go in up to SPAN_ROWS_MAX a statement: 0 to 9 of them
 * replace a pair's, every field kept, in order, with row ids one on from
 * the last; in the shared state and in a reviewer's layer (a view whose
 * trigger inserts each row).  Each write bumps the version, which
 * LOAD_NO_VERSION leaves unread.
 */
START_TEST(many_projections_a_pair)
{
	struct ferry_err err = { 0 };
	struct pair p = { 0 }, q = { 0 };
	struct projs pj = { 0 };
	ferry_store *st;
	store_iter *it;

	enter_tmpdir();
	ck_assert_int_eq(store_open(&st, "p.ferry", STORE_CREATE, &err), 0);
	ck_assert_int_eq(store_begin(st, &err), 0);
	words_pair(&p, 12);
	for (uint32_t k = 0; k < 10; k++)
		spans_push(&p.ents, k, k + 1, "E", 1);
	ck_assert_int_eq(store_pair_add(st, &p, &err), 0);
	ck_assert_int_eq(store_commit(st, &err), 0);
	store_close(st, NULL);
	for (int layer = 0; layer < 2; layer++) {
		ck_assert_int_eq(store_open(&st, "p.ferry", 0, &err), 0);
		if (layer)
			ck_assert_int_eq(store_use_layer(st, "ann", &err), 0);
		for (uint32_t n = 0; n < 10; n++) {
			struct store_filter f = { 0 };
			ck_assert_int_eq(store_iter_open(st, &f, LOAD_ALL, &it, &err), 0);
			ck_assert_int_eq(store_iter_next(it, &q, &err), 1);
			store_iter_free(it);
			pj.n = 0;
			VEC_GROW(pj.v, pj.cap, n + 1);
			for (uint32_t k = 0; k < n; k++)
				nth_proj(&pj.v[pj.n++], k, n);
			ck_assert_int_eq(store_begin(st, &err), 0);
			ck_assert_int_eq(store_projections_replace(st, q.id, q.version, q.proj.n == 0, &pj, &err), 1);
			ck_assert_int_eq(store_commit(st, &err), 0);
			ck_assert_int_eq(store_iter_open(st, &f, LOAD_ALL, &it, &err), 0);
			ck_assert_int_eq(store_iter_next(it, &q, &err), 1);
			store_iter_free(it);
			ck_assert_uint_eq(q.proj.n, n);
			ck_assert_int_eq(q.version, (int64_t)n + 1);
			/* a reader that writes nothing back reads no version, and the same pair */
			struct pair r = { 0 };
			ck_assert_int_eq(store_iter_open(st, &f, LOAD_ALL | LOAD_NO_VERSION, &it, &err), 0);
			ck_assert_int_eq(store_iter_next(it, &r, &err), 1);
			store_iter_free(it);
			ck_assert_int_eq(r.version, 0);
			ck_assert(r.id == q.id && r.proj.n == q.proj.n && r.ents.n == q.ents.n && r.tgt.n == q.tgt.n);
			pair_release(&r);
			for (uint32_t k = 0; k < n; k++) {
				struct proj want;
				const struct proj *got = &q.proj.v[k];
				nth_proj(&want, k, n);
				ck_assert_uint_eq(got->span.start, want.span.start);
				ck_assert_uint_eq(got->span.end, want.span.end);
				ck_assert_str_eq(got->span.label, want.span.label);
				ck_assert_int_eq(got->entity, want.entity);
				ck_assert(got->score == want.score && got->margin == want.margin);
				ck_assert_str_eq(got->method, want.method);
				ck_assert_int_eq(got->by_reviewer, want.by_reviewer);
				ck_assert_uint_eq(got->support, want.support);
			}
		}
		store_close(st, NULL);
	}
	/* the rows of the last write: ids one on without a gap, in span order */
	sqlite3 *db;
	sqlite3_stmt *s;
	ck_assert_int_eq(sqlite3_open("p.ferry", &db), SQLITE_OK);
	const char *sql[2] = { "SELECT id, start FROM projection ORDER BY id",
			       "SELECT id, start FROM lprojection WHERE layer = 'ann' ORDER BY id" };
	for (int layer = 0; layer < 2; layer++) {
		ck_assert_int_eq(sqlite3_prepare_v2(db, sql[layer], -1, &s, NULL), SQLITE_OK);
		int64_t first = -1;
		for (int k = 0; k < 9; k++) {
			ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
			if (k == 0)
				first = sqlite3_column_int64(s, 0);
			ck_assert_int_eq(sqlite3_column_int64(s, 0), first + k);
			ck_assert_int_eq(sqlite3_column_int64(s, 1), k);
		}
		ck_assert_int_eq(sqlite3_step(s), SQLITE_DONE);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	free(pj.v);
	pair_release(&p);
	pair_release(&q);
	leave_tmpdir();
}
END_TEST

/* Every row of table as one string, in order, for comparing two files. */
static void
dump_table(const char *path, const char *sql, struct buf *out)
{
	sqlite3 *db;
	sqlite3_stmt *s;

	buf_reset(out);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(s); c++)
			buf_addf(out, "%s%s", c ? "|" : "", sqlite3_column_type(s, c) == SQLITE_NULL ? "NULL" :
				 (const char *)sqlite3_column_text(s, c));
		buf_adds(out, "\n");
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/*
 * A first match's rows wait (store_projections_first) and go in at the
 * commit, many pairs a statement: the tables come out as
 * store_projections_replace one pair after another makes them (rows,
 * ids, versions), with a pair made stale meanwhile left alone, a
 * replace in between taking its turn, a layer written at once; a
 * rollback drops what waits.
 */
START_TEST(first_projections_wait_for_the_commit)
{
	static const char *const dumps[] = {
		"SELECT * FROM projection ORDER BY id", "SELECT * FROM pair_version ORDER BY pair",
		"SELECT * FROM lprojection ORDER BY id", "SELECT * FROM lpair ORDER BY layer, pair",
	};
	struct ferry_err err = { 0 };
	struct pair p = { 0 };
	struct projs pj[40] = { { 0 } };
	struct buf a = BUF_INIT, b = BUF_INIT;
	ferry_store *st;

	enter_tmpdir();
	ck_assert_int_eq(store_open(&st, "base.ferry", STORE_CREATE, &err), 0);
	ck_assert_int_eq(store_begin(st, &err), 0);
	for (int i = 0; i < 40; i++) {
		words_pair(&p, 12);
		for (uint32_t k = 0; k < 10; k++)
			spans_push(&p.ents, k, k + 1, "E", 1);
		ck_assert_int_eq(store_pair_add(st, &p, &err), 0);
		/* 0 to 6 rows a pair: statements of 16 cross pairs */
		uint32_t n = (uint32_t)(i * 5 % 7);
		VEC_GROW(pj[i].v, pj[i].cap, n + 1);
		for (uint32_t k = 0; k < n; k++)
			nth_proj(&pj[i].v[pj[i].n++], k, n);
	}
	ck_assert_int_eq(store_commit(st, &err), 0);
	store_close(st, NULL);
	for (int layer = 0; layer < 2; layer++) {
		for (int way = 0; way < 2; way++) {
			const char *path = way ? "b.ferry" : "a.ferry";
			char cmd[64];
			snprintf(cmd, sizeof cmd, "cp base.ferry %s", path);
			ck_assert_int_eq(system(cmd), 0);
			ck_assert_int_eq(store_open(&st, path, 0, &err), 0);
			if (layer)
				ck_assert_int_eq(store_use_layer(st, "ann", &err), 0);
			/* what waits is dropped by a rollback */
			ck_assert_int_eq(store_begin(st, &err), 0);
			for (int i = 0; i < 40; i++)
				ck_assert_int_eq(store_projections_first(st, i + 1, &pj[i], &err), 1);
			store_rollback(st);
			/* pair 7 changed by someone else: stale for both */
			ck_assert_int_eq(store_begin(st, &err), 0);
			ck_assert_int_eq(store_projections_replace(st, 7, 0, 1, &pj[3], &err), 1);
			ck_assert_int_eq(store_commit(st, &err), 0);
			ck_assert_int_eq(store_begin(st, &err), 0);
			for (int i = 0; i < 40; i++) {
				int want = i + 1 != 7;
				if (way == 0 && i != 20)
					ck_assert_int_eq(store_projections_first(st, i + 1, &pj[i], &err), want);
				else
					ck_assert_int_eq(store_projections_replace(st, i + 1, 0, 1, &pj[i], &err), want);
			}
			ck_assert_int_eq(store_commit(st, &err), 0);
			store_close(st, NULL);
		}
		for (size_t d = 0; d < sizeof dumps / sizeof *dumps; d++) {
			dump_table("a.ferry", dumps[d], &a);
			dump_table("b.ferry", dumps[d], &b);
			ck_assert_str_eq(buf_cstr(&a), buf_cstr(&b));
		}
		/* and they hold the rows: all but the stale pair's, in the layer or the shared state */
		dump_table("a.ferry", layer ? "SELECT count(*) FROM lprojection" : "SELECT count(*) FROM projection", &a);
		size_t rows = 0;
		for (int i = 0; i < 40; i++)
			rows += i + 1 == 7 ? 0 : pj[i].n;
		char count[32];
		snprintf(count, sizeof count, "%zu\n", rows + pj[3].n);
		ck_assert_str_eq(buf_cstr(&a), count);
	}
	for (int i = 0; i < 40; i++)
		free(pj[i].v);
	buf_release(&a);
	buf_release(&b);
	pair_release(&p);
	leave_tmpdir();
}
END_TEST

/*
 * Links encoded ahead (store_pair_encode, import's reader thread) are
 * stored byte for byte as store_pair_add would encode them, every link
 * column; they are what was encoded, and a reset pair is encoded anew.
 */
START_TEST(links_encoded_ahead)
{
	struct align_opts o = { 0, 0 };
	struct ferry_err err = { 0 };
	struct pair p = { 0 };
	ferry_store *st;
	sqlite3 *db;
	sqlite3_stmt *q;

	enter_tmpdir();
	ck_assert_int_eq(store_open(&st, "p.ferry", STORE_CREATE, &err), 0);
	ck_assert_int_eq(store_begin(st, &err), 0);
	for (int k = 0; k < 2; k++) {
		fill_pair(&p);
		ck_assert_int_eq(align_parse("0-1 2-0", 7, &o, 3, 4, "r", 1, &p.rev, &err), 0);
		p.has_rev = 1;
		toks_add(&p.bt, "Amina", 5);
		toks_add(&p.bt, "Nairobi", 7);
		p.has_bt = 1;
		ck_assert_int_eq(align_parse("0-0 2-1", 7, &o, 3, 2, "sb", 1, &p.src_bt, &err), 0);
		ck_assert_int_eq(align_parse("0-0 1-2 1-3", 11, &o, 2, 4, "bt", 1, &p.bt_tgt, &err), 0);
		if (k == 1) {
			store_pair_encode(&p);
			links_reset(&p.fwd);       /* not seen: the encoded links are written */
		}
		ck_assert_int_eq(store_pair_add(st, &p, &err), 0);
	}
	/* a reset pair has nothing encoded: its own links are written */
	fill_pair(&p);
	store_pair_encode(&p);
	fill_pair(&p);
	links_reset(&p.fwd);
	ck_assert_int_eq(store_pair_add(st, &p, &err), 0);
	ck_assert_int_eq(store_commit(st, &err), 0);
	store_close(st, NULL);
	ck_assert_int_eq(sqlite3_open("p.ferry", &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT a.align_fwd = b.align_fwd, a.align_rev = b.align_rev, "
					    "a.align_src_bt = b.align_src_bt, a.align_bt_tgt = b.align_bt_tgt, "
					    "length(a.align_rev), length(a.align_bt_tgt), length(c.align_fwd) "
					    "FROM pair a, pair b, pair c WHERE a.id = 1 AND b.id = 2 AND c.id = 3", -1, &q, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
	for (int c = 0; c < 4; c++)
		ck_assert_int_eq(sqlite3_column_int(q, c), 1);
	ck_assert_int_gt(sqlite3_column_int(q, 4), 1);      /* links there, not a flags byte alone */
	ck_assert_int_gt(sqlite3_column_int(q, 5), 1);
	ck_assert_int_eq(sqlite3_column_int(q, 6), 1);      /* pair 3: fwd emptied, and so written */
	sqlite3_finalize(q);
	sqlite3_close(db);
	pair_release(&p);
	leave_tmpdir();
}
END_TEST

/* The size of file path in bytes, 0 when there is none. */
static long long
file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

/*
 * With the checkpointer (store_ckpt_start) the project file takes the
 * log's pages while the writer is still open and writing, and the log
 * starts over rather than growing with all that is written: 24 MB in
 * 1,500 commits, checkpointed every 4 MB.  What was written is all there
 * after the close, and a stopped checkpointer hands checkpoints back to
 * the writer's own commits.
 */
START_TEST(checkpoints_in_a_thread)
{
	struct ferry_err err = { 0 };
	struct pair p = { 0 };
	ferry_store *st;
	char word[17];
	long long wal_max = 0;
	int64_t n = 0;

	enter_tmpdir();
	ck_assert_int_eq(store_open(&st, "c.ferry", STORE_CREATE, &err), 0);
	store_close(st, NULL);
	long long empty = file_size("c.ferry");
	ck_assert_int_eq(store_open(&st, "c.ferry", 0, &err), 0);
	ck_assert_int_eq(store_ckpt_start(st, &err), 0);
	pair_reset(&p);
	toks_add(&p.src, "w", 1);
	for (int k = 0; k < 1000; k++) {
		snprintf(word, sizeof word, "%016d", k);
		toks_add(&p.tgt, word, 16);
	}
	for (int i = 0; i < 1500; i++) {
		ck_assert_int_eq(store_begin(st, &err), 0);
		ck_assert_int_eq(store_pair_add(st, &p, &err), 0);
		ck_assert_int_eq(store_commit(st, &err), 0);
		long long w = file_size("c.ferry-wal");
		wal_max = w > wal_max ? w : wal_max;
	}
	/* pages reach the project while it is open: the checkpointer's doing, the writer made none */
	for (int wait = 0; wait < 500 && file_size("c.ferry") < empty + (8 << 20); wait++)
		usleep(10000);
	ck_assert_int_ge(file_size("c.ferry"), empty + (8 << 20));
	ck_assert_int_lt(wal_max, 20 << 20);
	/* stopped: the writer checkpoints its own commits again, and the log stays short */
	store_ckpt_stop(st);
	long long before = file_size("c.ferry");
	for (int i = 0; i < 600; i++) {
		ck_assert_int_eq(store_begin(st, &err), 0);
		ck_assert_int_eq(store_pair_add(st, &p, &err), 0);
		ck_assert_int_eq(store_commit(st, &err), 0);
	}
	ck_assert_int_ge(file_size("c.ferry"), before + (4 << 20));
	ck_assert_int_eq(store_close(st, &err), 0);
	ck_assert_int_eq(store_open(&st, "c.ferry", STORE_READONLY, &err), 0);
	n = store_pair_count(st, &err);
	ck_assert_int_eq(n, 2100);
	store_close(st, NULL);
	pair_release(&p);
	leave_tmpdir();
}
END_TEST

START_TEST(refusals)
{
	struct ferry_err err = { 0 };
	ferry_store *st;
	sqlite3 *db;

	enter_tmpdir();
	ck_assert_int_eq(store_open(&st, "none.ferry", 0, &err), -1);
	ck_assert_str_eq(err.msg, "none.ferry: no such project (create one with ferry import)");
	ck_assert_int_eq(err.code, EX_NOINPUT);
	/* an SQLite database of another program */
	ck_assert_int_eq(sqlite3_open("other.db", &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(store_open(&st, "other.db", 0, &err), -1);
	ck_assert_str_eq(err.msg, "other.db: not a ferry project (an SQLite database of another program)");
	/* a project from the future */
	ck_assert_int_eq(store_open(&st, "new.ferry", STORE_CREATE, &err), 0);
	store_close(st, NULL);
	ck_assert_int_eq(sqlite3_open("new.ferry", &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(store_open(&st, "new.ferry", 0, &err), -1);
	ck_assert_str_eq(err.msg, "new.ferry: written by a newer ferry (schema 99; this ferry reads up to 6)");
	/* a directory */
	ck_assert_int_eq(store_open(&st, ".", 0, &err), -1);
	ck_assert_str_eq(err.msg, ".: is a directory (expected a project file)");
	leave_tmpdir();
}
END_TEST

/* A new project is built by running every migration from version 0. */
START_TEST(migrations_from_zero)
{
	struct ferry_err err = { 0 };
	ferry_store *st;
	sqlite3 *db;
	sqlite3_stmt *s;

	enter_tmpdir();
	ck_assert_int_eq(store_open(&st, "m.ferry", STORE_CREATE, &err), 0);
	store_close(st, NULL);
	ck_assert_int_eq(sqlite3_open("m.ferry", &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(s, 0), FERRY_SCHEMA_VERSION);
	sqlite3_finalize(s);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	sqlite3_close(db);
	leave_tmpdir();
}
END_TEST

/* The JSON of a review state is the one the log has always held, and reads back as it was. */
START_TEST(undo_states)
{
	static const char *const old_sql =   /* how states were made before ferry wrote them itself */
		"SELECT json_object('status', (SELECT status FROM pair WHERE id = ?1), 'pins', "
		"(SELECT json_group_array(json_array(kind, coalesce(entity, 0), coalesce(start, 0), "
		"coalesce(stop, 0), coalesce(label, ''))) FROM (SELECT * FROM pin WHERE pair = ?1 ORDER BY id)))";
	struct ferry_err err = { 0 };
	struct pair p = { 0 };
	struct undo_state u = { 0 }, bulk = { .bulk = 1 }, back = { 0 };
	struct buf j = BUF_INIT;
	ferry_store *st;
	sqlite3 *db;
	sqlite3_stmt *s;

	enter_tmpdir();
	ck_assert_int_eq(store_open(&st, "u.ferry", STORE_CREATE, &err), 0);
	ck_assert_int_eq(store_begin(st, &err), 0);
	fill_pair(&p);
	ck_assert_int_eq(store_pair_add(st, &p, &err), 0);
	ck_assert_int_eq(store_pair_add(st, &p, &err), 0);
	ck_assert_int_eq(store_pin_add(st, 1, PIN_ACCEPT, 1, 0, 1, "PER", &err), 0);
	ck_assert_int_eq(store_pin_add(st, 1, PIN_FORBID, 2, 2, 3, "LOC", &err), 0);
	ck_assert_int_eq(store_pin_add(st, 1, PIN_ADD, 0, 1, 2, "a\"b\\c\x01\x1b\t\b\x7f\xc3\xbc\xff", &err), 0);
	ck_assert_int_eq(store_pin_add(st, 1, PIN_NONE, 2, 0, 0, NULL, &err), 0);
	ck_assert_int_eq(store_status_set(st, 1, STATUS_FIXED, &err), 0);
	ck_assert_int_eq(store_commit(st, &err), 0);
	ck_assert_int_eq(store_pair_state(st, 1, undo_state_add(&u), &err), 0);
	undo_state_format(&u, &j);
	ck_assert_str_eq(buf_cstr(&j), "{\"status\":2,\"pins\":[[\"accept\",1,0,1,\"PER\"],[\"forbid\",2,2,3,\"LOC\"],"
			 "[\"add\",0,1,2,\"a\\\"b\\\\c\\u0001\\u001b\\t\\b\x7f\xc3\xbc\xff\"],[\"none\",2,0,0,\"\"]]}");
	/* byte for byte what SQLite made of the same rows */
	ck_assert_int_eq(sqlite3_open("u.ferry", &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, old_sql, -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int(s, 1, 1);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(s, 0), buf_cstr(&j));
	sqlite3_finalize(s);
	sqlite3_close(db);
	/* with lexicon changes, and back */
	undo_state_learn(&u, "Nairobi", "Nai\"robi", "LOC", 1);
	buf_reset(&j);
	undo_state_format(&u, &j);
	ck_assert(strstr(buf_cstr(&j), "\"\"]],\"lex\":[[\"Nairobi\",\"Nai\\\"robi\",\"LOC\",1]]}") != NULL);
	ck_assert_int_eq(store_state_parse(st, buf_cstr(&j), 1, &back, &err), 0);
	ck_assert_int_eq((int)back.n_items, 1);
	ck_assert_int_eq(back.items[0].pair, 1);
	ck_assert(pair_state_equal(&back.items[0], &u.items[0]));
	ck_assert_int_eq((int)back.n_lex, 1);
	ck_assert_str_eq(back.lex[0].tgt, "Nai\"robi");
	ck_assert(back.lex[0].count == 1);
	/* the bulk form */
	ck_assert_int_eq(store_pair_state(st, 2, undo_state_add(&bulk), &err), 0);
	ck_assert_int_eq(store_pair_state(st, 1, undo_state_add(&bulk), &err), 0);
	undo_state_learn(&bulk, "Amina", "Amina", "PER", 1);
	buf_reset(&j);
	undo_state_format(&bulk, &j);
	ck_assert(strncmp(buf_cstr(&j), "{\"bulk\":[[2,{\"status\":0,\"pins\":[]}],[1,{\"status\":2,\"pins\":[[\"accept\",1,0,1,", 74) == 0);
	ck_assert(strstr(buf_cstr(&j), "\"]]}]],\"lex\":[[\"Amina\",\"Amina\",\"PER\",1]]}") != NULL);
	ck_assert_int_eq(store_state_parse(st, buf_cstr(&j), 0, &back, &err), 0);
	ck_assert_int_eq(back.bulk, 1);
	ck_assert_int_eq((int)back.n_items, 2);
	ck_assert_int_eq(back.items[0].pair, 2);
	ck_assert(pair_state_equal(&back.items[1], &bulk.items[1]));
	ck_assert_int_eq((int)back.n_lex, 1);
	/* putting a state back */
	ck_assert_int_eq(store_begin(st, &err), 0);
	ck_assert_int_eq(store_state_restore(st, &back.items[0], &err), 0);
	ck_assert_int_eq(store_state_restore(st, &(struct pair_state){ .pair = 2, .status = STATUS_PENDING }, &err), 0);
	ck_assert_int_eq(store_commit(st, &err), 0);
	undo_state_release(&u);
	ck_assert_int_eq(store_pair_state(st, 2, undo_state_add(&u), &err), 0);
	ck_assert(pair_state_equal(&u.items[0], &back.items[0]));
	/* damaged states */
	ck_assert_int_eq(store_state_parse(st, "{bad", 1, &back, &err), -1);
	ck_assert_int_eq(err.code, EX_DATAERR);
	ck_assert_str_eq(err.msg, "u.ferry: a review state in the log is damaged (expected a JSON object)");
	ck_assert_int_eq(store_state_parse(st, "{\"status\":9,\"pins\":[]}", 1, &back, &err), -1);
	ck_assert_str_eq(err.msg, "u.ferry: a review state in the log is damaged (expected a \"status\" from 0 to 5)");
	ck_assert_int_eq(store_state_parse(st, "{\"status\":1,\"pins\":[[\"evil\",1,0,1,\"X\"]]}", 1, &back, &err), -1);
	ck_assert_int_eq(store_state_parse(st, "{\"status\":1,\"pins\":[\"x\"]}", 1, &back, &err), -1);
	ck_assert_int_eq(store_state_parse(st, "{\"status\":1,\"lex\":[[1,2]]}", 1, &back, &err), -1);
	ck_assert_int_eq(store_state_parse(st, "{\"bulk\":[[3,5]]}", 0, &back, &err), -1);
	ck_assert_int_eq((int)back.n_items, 0);
	undo_state_release(&u);
	undo_state_release(&bulk);
	store_close(st, NULL);
	pair_release(&p);
	buf_release(&j);
	leave_tmpdir();
}
END_TEST

Suite *
store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, many_spans_a_pair);
	tcase_add_test(tc, many_projections_a_pair);
	tcase_add_test(tc, first_projections_wait_for_the_commit);
	tcase_add_test(tc, text_only_load);
	tcase_add_test(tc, links_encoded_ahead);
	tcase_add_test(tc, checkpoints_in_a_thread);
	tcase_add_test(tc, refusals);
	tcase_add_test(tc, migrations_from_zero);
	tcase_add_test(tc, undo_states);
	suite_add_tcase(s, tc);
	return s;
}
