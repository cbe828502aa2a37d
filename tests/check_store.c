/* check_store.c — the project file: round trips, refusals, migrations. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_ferry.h"
#include "ferry/store.h"

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
	ck_assert_str_eq(err.msg, "new.ferry: written by a newer ferry (schema 99; this ferry reads up to 2)");
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

Suite *
store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, refusals);
	tcase_add_test(tc, migrations_from_zero);
	suite_add_tcase(s, tc);
	return s;
}
