/*
 * store-part.c — part files: a sharded `ferry match --output PART` writes
 * its results into one (see store.h for its tables), and `ferry merge`
 * checks it against the project and applies it in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ferry/mem.h"
#include "store-int.h"

/* Create a part file for a shard of project's pairs; its writes go in one transaction. */
int
store_part_create(ferry_store **out, const char *path, ferry_store *project, const char *shard,
		  struct ferry_err *err)
{
	struct stat sb;
	ferry_store *st;
	int64_t pairs = 0, ents = 0;
	char sql[256];

	*out = NULL;
	if (stat(path, &sb) == 0)
		return err_set(err, EX_CANTCREAT, "%s: exists already (expected a new part file)", path);
	if (db_query_int(project, "SELECT count(*) FROM pair", &pairs, err) < 0 ||
	    db_query_int(project, "SELECT count(*) FROM entity", &ents, err) < 0)
		return -1;
	st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		err_set(err, EX_CANTCREAT, "%s: cannot create the part file", path);
		store_close(st, NULL);
		return -1;
	}
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;",
		 FERRY_PART_ID);
	if (db_exec(st, sql, err) < 0 ||
	    db_exec(st, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
		 "CREATE TABLE matched(pair INTEGER PRIMARY KEY, version INTEGER NOT NULL);"
		 "CREATE TABLE result(pair INTEGER NOT NULL, entity INTEGER, start INTEGER NOT NULL, "
		 "stop INTEGER NOT NULL, label TEXT NOT NULL, score REAL, margin REAL, method TEXT, "
		 "origin INTEGER);", err) < 0 ||
	    db_run(st, "INSERT INTO meta VALUES ('format', 'ferry-part'), ('pairs', ?1), ('entities', ?2), "
		    "('shard', ?3)", err, "iis", pairs, ents, shard) < 0 || store_begin(st, err) < 0) {
		store_close(st, NULL);
		unlink(path);
		return -1;
	}
	*out = st;
	return 0;
}

/* Record one matched pair and its projections. */
int
store_part_add(ferry_store *part, int64_t pair, int64_t version, const struct projs *pj,
	       struct ferry_err *err)
{
	if (db_run(part, "INSERT INTO matched VALUES (?1, ?2)", err, "ii", pair, version) < 0)
		return -1;
	for (size_t i = 0; i < pj->n; i++) {
		const struct proj *p = &pj->v[i];
		if (db_run(part, "INSERT INTO result VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", err, "iiiisddsi",
			    pair, p->entity, (int64_t)p->span.start, (int64_t)p->span.end, p->span.label,
			    p->score, p->margin, p->method, (int64_t)p->by_reviewer) < 0)
			return -1;
	}
	return 0;
}

/* Record the match settings and commit the part. */
int
store_part_finish(ferry_store *part, const char *settings, struct ferry_err *err)
{
	if (db_run(part, "INSERT INTO meta VALUES ('match', ?1)", err, "s", settings) < 0)
		return -1;
	return store_commit(part, err);
}

/* Step s once into out (its first column as text) and finalize it: 1 row, 0 none, -1 error. */
static int
step_text(ferry_store *st, sqlite3_stmt *s, struct buf *out, const char *what, struct ferry_err *err)
{
	int rc = sqlite3_step(s);

	buf_reset(out);
	if (rc == SQLITE_ROW) {
		size_t len;
		const char *t = db_col_text(s, 0, &len);
		buf_add(out, t, len);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : db_err(st, rc, what, err);
}

/* A text value of the attached part's meta table. */
static int
part_meta(ferry_store *st, const char *key, struct buf *out, struct ferry_err *err)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT value FROM part.meta WHERE key = ?1", -1, &s, NULL);

	buf_reset(out);
	if (rc != SQLITE_OK)
		return db_err(st, rc, "reading a part file", err);
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	return step_text(st, s, out, "reading a part file", err);
}

/* Attach a part file as "part" and check it belongs to this project. */
static int
part_attach(ferry_store *st, const char *part, struct buf *settings, struct buf *shard, struct ferry_err *err)
{
	struct buf v = BUF_INIT, e = BUF_INIT;
	int64_t app = 0, pairs = 0, ents = 0;
	struct stat sb;
	int rc = -1;

	if (stat(part, &sb) != 0)
		return err_set(err, EX_NOINPUT, "%s: no such part file", part);
	if (S_ISDIR(sb.st_mode))
		return err_set(err, EX_NOINPUT, "%s: is a directory (expected a part file)", part);
	if (db_run(st, "ATTACH DATABASE ?1 AS part", err, "s", part) < 0)
		return err_set(err, EX_DATAERR, "%s: not a ferry part file (expected the output of ferry match "
			       "--output)", part);
	if (sqlite3_exec(st->db, "SELECT 1 FROM part.sqlite_master LIMIT 1", NULL, NULL, NULL) != SQLITE_OK ||
	    db_query_int(st, "PRAGMA part.application_id", &app, err) < 0 || app != FERRY_PART_ID) {
		err_set(err, EX_DATAERR, "%s: not a ferry part file (expected the output of ferry match --output)", part);
		goto out;
	}
	if (db_query_int(st, "SELECT count(*) FROM pair", &pairs, err) < 0 ||
	    db_query_int(st, "SELECT count(*) FROM entity", &ents, err) < 0 ||
	    part_meta(st, "pairs", &v, err) < 0 || part_meta(st, "entities", &e, err) < 0)
		goto out;
	if (atoll(buf_cstr(&v)) != pairs || atoll(buf_cstr(&e)) != ents) {
		err_set(err, EX_DATAERR, "%s: made from another project (%s pairs and %s entities there, "
			"%lld and %lld here)", part, buf_cstr(&v), buf_cstr(&e), (long long)pairs, (long long)ents);
		goto out;
	}
	if (part_meta(st, "match", settings, err) <= 0 || part_meta(st, "shard", shard, err) < 0) {
		if (err->code == 0)
			err_set(err, EX_DATAERR, "%s: an unfinished part file (its match did not complete)", part);
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		sqlite3_exec(st->db, "DETACH DATABASE part", NULL, NULL, NULL);
	buf_release(&v);
	buf_release(&e);
	return rc;
}

/* Check a part against the project without merging it. */
int
store_part_check(ferry_store *st, const char *part, struct buf *settings, struct buf *shard,
		 struct ferry_err *err)
{
	if (part_attach(st, part, settings, shard, err) < 0)
		return -1;
	sqlite3_exec(st->db, "DETACH DATABASE part", NULL, NULL, NULL);
	return 0;
}

/* Apply the pairs of a part that are still at the version it matched. */
int
store_merge_part(ferry_store *st, const char *part, int64_t *merged, int64_t *stale,
		 struct buf *settings, struct buf *shard, struct ferry_err *err)
{
	int64_t all = 0;
	int rc = -1;

	*merged = *stale = 0;
	if (part_attach(st, part, settings, shard, err) < 0)
		return -1;
	if (store_begin(st, err) < 0)
		goto out;
	if (db_exec(st, "CREATE TEMP TABLE merge_ok AS SELECT m.pair AS pair FROM part.matched m "
		 "JOIN main.pair p ON p.id = m.pair AND p.version = m.version;"
		 "DELETE FROM main.projection WHERE pair IN (SELECT pair FROM merge_ok);"
		 "INSERT INTO main.projection(pair, entity, start, stop, label, score, margin, method, origin) "
		 "SELECT pair, nullif(entity, 0), start, stop, label, score, margin, method, origin "
		 "FROM part.result WHERE pair IN (SELECT pair FROM merge_ok) ORDER BY pair, rowid;"
		 "UPDATE main.pair SET version = version + 1 WHERE id IN (SELECT pair FROM merge_ok);", err) < 0 ||
	    db_query_int(st, "SELECT count(*) FROM merge_ok", merged, err) < 0 ||
	    db_query_int(st, "SELECT count(*) FROM part.matched", &all, err) < 0 ||
	    db_exec(st, "DROP TABLE merge_ok", err) < 0 || store_commit(st, err) < 0) {
		store_rollback(st);
		goto out;
	}
	*stale = all - *merged;
	rc = 0;
out:
	sqlite3_exec(st->db, "DETACH DATABASE part", NULL, NULL, NULL);
	return rc;
}

