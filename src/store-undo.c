/*
 * store-undo.c — the correction log and what undo needs from it: log
 * entries, the review states they keep before and after an action, and
 * finding the entry to undo or redo.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ferry/mem.h"
#include "store-int.h"

const char *
store_user(void)
{
	static char name[256];
	const char *u = getenv("FERRY_USER");
	struct passwd *pw;

	if (u && *u)
		return u;
	if (name[0])
		return name;
	if ((u = getenv("USER")) && *u)
		snprintf(name, sizeof name, "%s", u);
	else if ((pw = getpwuid(getuid())) != NULL)
		snprintf(name, sizeof name, "%s", pw->pw_name);
	else
		snprintf(name, sizeof name, "uid%ld", (long)getuid());
	return name;
}

int64_t
store_log_add(ferry_store *st, int64_t pair, const char *action, const char *before,
	      const char *after, struct ferry_err *err)
{
	sqlite3_stmt *s = db_stmt(st, ST_LOG_ADD, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, store_user(), -1, SQLITE_STATIC);
	if (pair > 0)
		sqlite3_bind_int64(s, 2, pair);
	sqlite3_bind_text(s, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, before, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, after, -1, SQLITE_STATIC);
	if (pair > 0 && st->edit_seen >= 0)
		sqlite3_bind_int64(s, 6, st->edit_seen);
	if (db_step_done(st, s, "writing the log", err) < 0)
		return -1;
	return sqlite3_last_insert_rowid(st->db);
}

int
store_log_each(ferry_store *st, int (*fn)(const struct log_entry *, void *), void *arg,
	       struct ferry_err *err)
{
	sqlite3_stmt *s = db_stmt(st, ST_LOG_EACH, err);
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct log_entry e = {
			.id = sqlite3_column_int64(s, 0),
			.time = (const char *)sqlite3_column_text(s, 1),
			.user = (const char *)sqlite3_column_text(s, 2),
			.pair = sqlite3_column_int64(s, 3),
			.action = (const char *)sqlite3_column_text(s, 4),
			.before = (const char *)sqlite3_column_text(s, 5),
			.after = (const char *)sqlite3_column_text(s, 6),
			.undone = sqlite3_column_int(s, 7),
		};
		if (fn(&e, arg) != 0)
			break;
	}
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : db_err(st, rc, "reading the log", err);
}

int
store_pair_state(ferry_store *st, int64_t pair, struct buf *out, struct ferry_err *err)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db,
		"SELECT json_object('status', (SELECT status FROM pair WHERE id = ?1), 'pins', "
		"(SELECT json_group_array(json_array(kind, coalesce(entity, 0), coalesce(start, 0), "
		"coalesce(stop, 0), coalesce(label, ''))) FROM (SELECT * FROM pin WHERE pair = ?1 ORDER BY id)))",
		-1, &s, NULL);

	if (rc != SQLITE_OK)
		return db_err(st, rc, "reading a pair's state", err);
	sqlite3_bind_int64(s, 1, pair);
	return db_step_text(st, s, out, "reading a pair's state", err) == 1 ? 0 : -1;
}

int
store_state_restore(ferry_store *st, int64_t pair, const char *state, struct ferry_err *err)
{
	if (db_run(st, "DELETE FROM pin WHERE pair = ?1", err, "i", pair) < 0 ||
	    db_run(st, "INSERT INTO pin(pair, kind, entity, start, stop, label) "
		    "SELECT ?1, json_extract(value, '$[0]'), nullif(json_extract(value, '$[1]'), 0), "
		    "json_extract(value, '$[2]'), json_extract(value, '$[3]'), json_extract(value, '$[4]') "
		    "FROM json_each(?2, '$.pins')", err, "is", pair, state) < 0)
		return -1;
	return db_run(st, "UPDATE pair SET status = json_extract(?2, '$.status') WHERE id = ?1",
		       err, "is", pair, state);
}

int
store_state_lexicon(ferry_store *st, const char *state, int sign, struct ferry_err *err)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db,
		"SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), "
		"json_extract(value, '$[3]') FROM json_each(?1, '$.lex')", -1, &s, NULL);

	if (rc != SQLITE_OK)
		return db_err(st, rc, "reading lexicon changes", err);
	sqlite3_bind_text(s, 1, state, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char *src = xstrdup((const char *)sqlite3_column_text(s, 0));
		char *tgt = xstrdup((const char *)sqlite3_column_text(s, 1));
		char *label = xstrdup((const char *)sqlite3_column_text(s, 2));
		double d = sqlite3_column_double(s, 3) * sign;
		int r = store_lexicon_bump(st, src, tgt, label, d, err);
		free(src);
		free(tgt);
		free(label);
		if (r < 0) {
			sqlite3_finalize(s);
			return -1;
		}
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_err(st, rc, "reading lexicon changes", err);
}

int
store_undo_find(ferry_store *st, const char *user, int redo, int64_t *log_id, int64_t *pair,
		struct buf *state, struct buf *after, struct ferry_err *err)
{
	static const char *const sql[2] = {
		"SELECT id, pair, before, after FROM log WHERE user = ?1 AND undone = 0 AND before IS NOT NULL "
		"ORDER BY id DESC LIMIT 1",
		"SELECT id, pair, after, after FROM log WHERE user = ?1 AND undone = 1 AND before IS NOT NULL "
		"ORDER BY id ASC LIMIT 1",
	};
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql[redo != 0], -1, &s, NULL), found = 0;

	if (rc != SQLITE_OK)
		return db_err(st, rc, "reading the log", err);
	sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		size_t len;
		const char *t;
		*log_id = sqlite3_column_int64(s, 0);
		*pair = sqlite3_column_int64(s, 1);
		buf_reset(state);
		t = db_col_text(s, 2, &len);
		buf_add(state, t, len);
		buf_reset(after);
		t = db_col_text(s, 3, &len);
		buf_add(after, t, len);
		found = 1;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_err(st, rc, "reading the log", err);
	return found;
}

int
store_log_mark(ferry_store *st, int64_t log_id, int undone, struct ferry_err *err)
{
	return db_run(st, "UPDATE log SET undone = ?2 WHERE id = ?1", err, "ii", log_id, (int64_t)undone);
}

int
store_log_forget_redo(ferry_store *st, const char *user, struct ferry_err *err)
{
	return db_run(st, "UPDATE log SET undone = 2 WHERE user = ?1 AND undone = 1", err, "s", user);
}

int
store_bulk_items(ferry_store *st, const char *state, int64_t **ids, size_t *n, struct ferry_err *err)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT json_extract(value, '$[0]') FROM json_each(?1, '$.bulk') "
				    "ORDER BY key", -1, &s, NULL);

	if (rc != SQLITE_OK)
		return db_err(st, rc, "reading a bulk state", err);
	sqlite3_bind_text(s, 1, state, -1, SQLITE_STATIC);
	return db_collect_ids(st, s, ids, n, err);
}

int
store_bulk_item(ferry_store *st, const char *state, size_t i, struct buf *out, struct ferry_err *err)
{
	sqlite3_stmt *s;
	char path[48];
	int rc = sqlite3_prepare_v2(st->db, "SELECT json_extract(?1, ?2)", -1, &s, NULL);

	if (rc != SQLITE_OK)
		return db_err(st, rc, "reading a bulk state", err);
	snprintf(path, sizeof path, "$.bulk[%zu][1]", i);
	sqlite3_bind_text(s, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, path, -1, SQLITE_STATIC);
	return db_step_text(st, s, out, "reading a bulk state", err) == 1 ? 0 : -1;
}

