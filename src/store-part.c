/*
 * store-part.c — part files: a sharded `ferry match --output PART` writes
 * its results into one (see store.h for its tables), and `ferry merge`
 * checks parts against the project and applies them in one transaction.
 *
 * What makes a part belong to a project:
 *  - the project's identity: a random 128-bit id every new project gets
 *    (meta "project_id", store_new_id); a project made before ferry gave
 *    ids is known by a digest of its first log entry, its import (when,
 *    by whom, from which files), which nothing changes later.  A copy of
 *    a project file is the same project: its pairs decide;
 *  - the digest of every pair it matched (LOAD_DIGEST): the tokens of both
 *    sides and the source entities with their ids, spans and labels, all
 *    a projection refers to.  A 64-bit hash per pair, checked against the
 *    project's pairs as they are under the merge's write lock;
 *  - the pair versions, as before: a pair a reviewer changed since the
 *    part was made is left alone and counted, not refused.
 * Merging stages every part first (its rows copied to temporary tables:
 * a part is attached for the time of its copy, since SQLite cannot attach
 * inside a transaction), then checks and applies them all in the
 * caller's one transaction, so several parts go in whole or not at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ferry/mem.h"
#include "store-int.h"

/* The hash's multipliers (odd, so each step is a bijection of the state). */
#define K1 0x9e3779b97f4a7c15ULL
#define K2 0xc2b2ae3d27d4eb4fULL


/* Hash n bytes from seed, eight at a time, read little-endian on every host. */
static uint64_t
hash_bytes(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *c = p;
	uint64_t h = seed ^ ((uint64_t)n * K2);

	for (; n >= 8; n -= 8, c += 8) {
		uint64_t w = (uint64_t)c[0] | (uint64_t)c[1] << 8 | (uint64_t)c[2] << 16 | (uint64_t)c[3] << 24 |
			     (uint64_t)c[4] << 32 | (uint64_t)c[5] << 40 | (uint64_t)c[6] << 48 | (uint64_t)c[7] << 56;
		h ^= w * K1;
		h = ((h << 31) | (h >> 33)) * K2;
	}
	uint64_t w = 0;
	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)c[i] << (8 * i);
	h ^= w * K1;
	return mix64(h);
}

/* A pair's digest from its stored token columns (see store-int.h). */
uint64_t
digest_text(const char *src, size_t ns, const char *tgt, size_t nt)
{
	return hash_bytes(tgt, nt, hash_bytes(src, ns, 1));
}

/* One source entity's share of its pair's digest. */
uint64_t
digest_entity(int64_t id, int64_t start, int64_t stop, const char *label, size_t len)
{
	uint64_t seed = mix64((uint64_t)id) ^ mix64(((uint64_t)start << 32 | (uint64_t)stop) + K1);

	return hash_bytes(label, len, seed);
}

/* The finished digest. */
uint64_t
digest_end(uint64_t acc)
{
	return mix64(acc ^ K2);
}

/* A new project's identity: 128 random bits as hex (store.c, at creation). */
int
store_new_id(ferry_store *st, struct ferry_err *err)
{
	unsigned char r[16];
	char hex[33];

	if (getentropy(r, sizeof r) < 0) {
		/* no entropy source: the clock and the process, mixed */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		uint64_t a = mix64((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
		uint64_t b = mix64(a ^ (uint64_t)getpid() ^ (uint64_t)(uintptr_t)st);
		for (int i = 0; i < 8; i++) {
			r[i] = (unsigned char)(a >> (8 * i));
			r[8 + i] = (unsigned char)(b >> (8 * i));
		}
	}
	for (int i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", r[i]);
	return store_setting_set(st, "project_id", hex, err);
}

/* The project's identity into out (see the top of this file); "" when it has none. */
static int
project_id(ferry_store *st, struct buf *out, struct ferry_err *err)
{
	sqlite3_stmt *s;
	int rc = store_setting_get(st, "project_id", out, err);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	rc = sqlite3_prepare_v2(st->db, "SELECT time, user, action, coalesce(after, '') FROM log ORDER BY id LIMIT 1",
				-1, &s, NULL);
	if (rc != SQLITE_OK)
		return db_err(st, rc, "reading the log", err);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		uint64_t a = 2, b = 3;
		for (int c = 0; c < 4; c++) {
			size_t len;
			const char *t = db_col_text(s, c, &len);
			a = hash_bytes(t, len, a);
			b = hash_bytes(t, len, b ^ K1);
		}
		buf_addf(out, "%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_err(st, rc, "reading the log", err);
}

/* Create a part file for a shard of project's pairs; its writes go in one transaction. */
int
store_part_create(ferry_store **out, const char *path, ferry_store *project, const char *shard,
		  struct ferry_err *err)
{
	struct buf id = BUF_INIT, name = BUF_INIT;
	ferry_store *st;
	int64_t pairs = 0, ents = 0;
	char sql[256];
	int orc;
	int rc = -1;

	*out = NULL;
	if (db_query_int(project, "SELECT count(*) FROM pair", &pairs, err) < 0 ||
	    db_query_int(project, "SELECT count(*) FROM entity", &ents, err) < 0 || project_id(project, &id, err) < 0) {
		buf_release(&id);
		return -1;
	}
	st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	db_file_name(path, &name);
	orc = sqlite3_open_v2(buf_cstr(&name), &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			      SQLITE_OPEN_NOMUTEX, NULL);
	buf_release(&name);
	if (orc != SQLITE_OK) {
		err_set(err, EX_CANTCREAT, "%s: cannot create the part file", path);
		goto out;
	}
	/* no journal from the first write on: a killed run leaves one file to sweep */
	snprintf(sql, sizeof sql, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA application_id = %d;",
		 FERRY_PART_ID);
	if (db_exec(st, sql, err) < 0 ||
	    db_exec(st, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
		 "CREATE TABLE matched(pair INTEGER PRIMARY KEY, version INTEGER NOT NULL, digest INTEGER NOT NULL);"
		 "CREATE TABLE result(pair INTEGER NOT NULL, entity INTEGER, start INTEGER NOT NULL, "
		 "stop INTEGER NOT NULL, label TEXT NOT NULL, score REAL, margin REAL, method TEXT, "
		 "origin INTEGER);", err) < 0 ||
	    db_run(st, "INSERT INTO meta VALUES ('format', 'ferry-part'), ('pairs', ?1), ('entities', ?2), "
		    "('shard', ?3), ('project', ?4)", err, "iiss", pairs, ents, shard, buf_cstr(&id)) < 0 ||
	    store_begin(st, err) < 0)
		goto out;
	*out = st;
	rc = 0;
out:
	if (rc < 0) {
		store_close(st, NULL);
		unlink(path);
	}
	buf_release(&id);
	return rc;
}

/* Record one matched pair (its version and digest) and its projections. */
int
store_part_add(ferry_store *part, const struct pair *p, const struct projs *pj, struct ferry_err *err)
{
	if (db_run(part, "INSERT INTO matched VALUES (?1, ?2, ?3)", err, "iii", p->id, p->version,
		   (int64_t)p->digest) < 0)
		return -1;
	for (size_t i = 0; i < pj->n; i++) {
		const struct proj *r = &pj->v[i];
		if (db_run(part, "INSERT INTO result VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", err, "iiiisddsi",
			    p->id, r->entity, (int64_t)r->span.start, (int64_t)r->span.end, r->span.label,
			    r->score, r->margin, r->method, (int64_t)r->by_reviewer) < 0)
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

/* A text value of the attached part's meta table: 1, 0 when absent, -1. */
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

/* The attached part was made from this project, with its pair and entity counts. */
static int
part_belongs(ferry_store *st, const char *part, struct ferry_err *err)
{
	struct buf v = BUF_INIT, e = BUF_INIT, theirs = BUF_INIT, ours = BUF_INIT;
	int64_t pairs = 0, ents = 0;
	int rc = -1, got;

	if ((got = part_meta(st, "project", &theirs, err)) < 0 || project_id(st, &ours, err) < 0)
		goto out;
	if (got == 0) {
		err_set(err, EX_DATAERR, "%s: made by an older ferry: it does not say which project and pair contents "
			"it was made from (expected a part of this ferry: match it again)", part);
		goto out;
	}
	if (strcmp(buf_cstr(&theirs), buf_cstr(&ours)) != 0) {
		err_set(err, EX_DATAERR, "%s: made from another project than %s (expected a part of this project)",
			part, st->path);
		goto out;
	}
	if (db_query_int(st, "SELECT count(*) FROM main.pair", &pairs, err) < 0 ||
	    db_query_int(st, "SELECT count(*) FROM main.entity", &ents, err) < 0 ||
	    part_meta(st, "pairs", &v, err) < 0 || part_meta(st, "entities", &e, err) < 0)
		goto out;
	if (atoll(buf_cstr(&v)) != pairs || atoll(buf_cstr(&e)) != ents) {
		err_set(err, EX_DATAERR, "%s: made when %s had %s pairs and %s entities (it has %lld and %lld now; "
			"expected a part of this project as it is: match it again)", part, st->path, buf_cstr(&v),
			buf_cstr(&e), (long long)pairs, (long long)ents);
		goto out;
	}
	rc = 0;
out:
	buf_release(&v);
	buf_release(&e);
	buf_release(&theirs);
	buf_release(&ours);
	return rc;
}

/* Attach a part file as "part" and check it is a finished part of this project. */
static int
part_attach(ferry_store *st, const char *part, struct buf *settings, struct buf *shard, struct ferry_err *err)
{
	int64_t app = 0;
	struct stat sb;

	if (stat(part, &sb) != 0)
		return err_set(err, EX_NOINPUT, "%s: no such part file", part);
	if (S_ISDIR(sb.st_mode))
		return err_set(err, EX_NOINPUT, "%s: is a directory (expected a part file)", part);
	struct buf name = BUF_INIT;
	db_file_name(part, &name);
	int rc = db_run(st, "ATTACH DATABASE ?1 AS part", err, "s", buf_cstr(&name));
	buf_release(&name);
	if (rc < 0)
		return err_set(err, EX_DATAERR, "%s: not a ferry part file (expected the output of ferry match "
			       "--output)", part);
	if (sqlite3_exec(st->db, "SELECT 1 FROM part.sqlite_master LIMIT 1", NULL, NULL, NULL) != SQLITE_OK ||
	    db_query_int(st, "PRAGMA part.application_id", &app, err) < 0 || app != FERRY_PART_ID) {
		err_set(err, EX_DATAERR, "%s: not a ferry part file (expected the output of ferry match --output)", part);
		goto fail;
	}
	if (part_belongs(st, part, err) < 0)
		goto fail;
	if (part_meta(st, "match", settings, err) <= 0 || part_meta(st, "shard", shard, err) < 0) {
		if (err->code == 0)
			err_set(err, EX_DATAERR, "%s: an unfinished part file (its match did not complete)", part);
		goto fail;
	}
	return 0;
fail:
	sqlite3_exec(st->db, "DETACH DATABASE part", NULL, NULL, NULL);
	return -1;
}

/* Stage a part for merging (see store.h): checked, then copied aside. */
int
store_merge_add(ferry_store *st, const char *part, struct buf *settings, struct buf *shard,
		struct ferry_err *err)
{
	int64_t idx;
	int rc = -1;

	/* a part's results are the rows lo..hi of merge_result, in the part's order; the
	   staged copies go with the handle, so dropping them need not overwrite them */
	if (db_exec(st, "PRAGMA temp.secure_delete = OFF;"
		    "CREATE TEMP TABLE IF NOT EXISTS merge_part(idx INTEGER PRIMARY KEY, name TEXT NOT NULL, "
		    "lo INTEGER, hi INTEGER);"
		    "CREATE TEMP TABLE IF NOT EXISTS merge_matched(part INTEGER, pair INTEGER, version INTEGER, "
		    "digest INTEGER, PRIMARY KEY (part, pair)) WITHOUT ROWID;"
		    "CREATE TEMP TABLE IF NOT EXISTS merge_result(pair INTEGER, entity, start, stop, label, score, "
		    "margin, method, origin)", err) < 0 || part_attach(st, part, settings, shard, err) < 0)
		return -1;
	if (db_run(st, "INSERT INTO merge_part(name, lo) SELECT ?1, coalesce(max(rowid), 0) + 1 FROM merge_result",
		   err, "s", part) < 0)
		goto out;
	idx = sqlite3_last_insert_rowid(st->db);
	if (db_run(st, "INSERT INTO merge_matched SELECT ?1, pair, version, digest FROM part.matched", err, "i",
		   idx) < 0 ||
	    db_run(st, "INSERT INTO merge_result SELECT pair, entity, start, stop, label, score, margin, method, origin "
		   "FROM part.result ORDER BY rowid", err, "") < 0 ||
	    db_run(st, "UPDATE merge_part SET hi = (SELECT coalesce(max(rowid), 0) FROM merge_result) WHERE idx = ?1",
		   err, "i", idx) < 0) {
		char why[FERRY_ERR_MAX];
		snprintf(why, sizeof why, "%s", err->msg);
		err_set(err, EX_DATAERR, "%s: a damaged part file (%s)", part, why);
		goto out;
	}
	rc = 0;
out:
	sqlite3_exec(st->db, "DETACH DATABASE part", NULL, NULL, NULL);
	return rc;
}

/* The digest of each staged pair of part idx against the project's pair: the first that differs, 0 for none. */
static int
verify_part(ferry_store *st, int64_t idx, int64_t *differs, struct ferry_err *err)
{
	sqlite3_stmt *m = NULL, *e = NULL;
	int64_t lo = 0, hi = 0;
	int rc, erc = SQLITE_DONE;

	*differs = 0;
	if (db_query_int_bound(st, "SELECT coalesce(min(pair), 0) FROM merge_matched WHERE part = ?1", &idx, &lo, err) < 0 ||
	    db_query_int_bound(st, "SELECT coalesce(max(pair), 0) FROM merge_matched WHERE part = ?1", &idx, &hi, err) < 0)
		return -1;
	rc = sqlite3_prepare_v2(st->db, "SELECT m.pair, m.digest, p.id IS NOT NULL, p.src, p.tgt FROM merge_matched m "
				"LEFT JOIN main.pair p ON p.id = m.pair WHERE m.part = ?1 ORDER BY m.pair", -1, &m, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(st->db, "SELECT pair, id, start, stop, label FROM main.entity "
					"WHERE pair BETWEEN ?1 AND ?2 ORDER BY pair", -1, &e, NULL);
	if (rc != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(m, 1, idx);
	sqlite3_bind_int64(e, 1, lo);
	sqlite3_bind_int64(e, 2, hi);
	erc = sqlite3_step(e);
	while (*differs == 0 && (rc = sqlite3_step(m)) == SQLITE_ROW) {
		int64_t pair = sqlite3_column_int64(m, 0);
		size_t ns, nt, len;
		const char *src = db_col_text(m, 3, &ns), *tgt = db_col_text(m, 4, &nt);
		uint64_t d = digest_text(src, ns, tgt, nt);
		for (; erc == SQLITE_ROW && sqlite3_column_int64(e, 0) <= pair; erc = sqlite3_step(e)) {
			const char *label = db_col_text(e, 4, &len);
			if (sqlite3_column_int64(e, 0) == pair)
				d += digest_entity(sqlite3_column_int64(e, 1), sqlite3_column_int64(e, 2),
						   sqlite3_column_int64(e, 3), label, len);
		}
		if (erc != SQLITE_ROW && erc != SQLITE_DONE)
			break;
		if (!sqlite3_column_int(m, 2) || digest_end(d) != (uint64_t)sqlite3_column_int64(m, 1))
			*differs = pair;
	}
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		rc = erc == SQLITE_ROW || erc == SQLITE_DONE ? SQLITE_OK : erc;
out:
	sqlite3_finalize(m);
	sqlite3_finalize(e);
	return rc == SQLITE_OK ? 0 : db_err(st, rc, "checking a part against the project", err);
}

/* Every staged pair is as its part saw it (inside the merge's transaction). */
int
store_merge_verify(ferry_store *st, struct ferry_err *err)
{
	int64_t parts = 0, differs;
	struct buf name = BUF_INIT;
	sqlite3_stmt *s;

	if (db_query_int(st, "SELECT count(*) FROM merge_part", &parts, err) < 0)
		return -1;
	for (int64_t i = 1; i <= parts; i++) {
		if (verify_part(st, i, &differs, err) < 0)
			return -1;
		if (differs == 0)
			continue;
		if (sqlite3_prepare_v2(st->db, "SELECT name FROM merge_part WHERE idx = ?1", -1, &s, NULL) != SQLITE_OK)
			return db_err(st, sqlite3_errcode(st->db), "checking a part against the project", err);
		sqlite3_bind_int64(s, 1, i);
		step_text(st, s, &name, "checking a part against the project", err);
		err_set(err, EX_DATAERR, "%s: made from other contents of pair %lld than %s holds (expected a part of "
			"this project as it is: match it again)", buf_cstr(&name), (long long)differs, st->path);
		buf_release(&name);
		return -1;
	}
	return 0;
}

/* Apply staged part idx (1, 2, ... in the order staged) inside the caller's transaction. */
int
store_merge_apply(ferry_store *st, int idx, int64_t *merged, int64_t *stale, struct ferry_err *err)
{
	int64_t all = 0;
	char sql[2048];

	*merged = *stale = 0;
	snprintf(sql, sizeof sql, "CREATE TEMP TABLE merge_ok AS SELECT m.pair AS pair FROM merge_matched m "
		 "WHERE m.part = %d AND m.version = coalesce((SELECT version FROM main.pair_version v WHERE v.pair = m.pair), 0) "
		 "AND EXISTS (SELECT 1 FROM main.pair p WHERE p.id = m.pair);"
		 "DELETE FROM main.projection WHERE pair IN (SELECT pair FROM merge_ok);"
		 "INSERT INTO main.projection(pair, entity, start, stop, label, score, margin, method, origin) "
		 "SELECT pair, nullif(entity, 0), start, stop, label, score, margin, method, origin "
		 "FROM merge_result WHERE rowid BETWEEN (SELECT lo FROM merge_part WHERE idx = %d) "
		 "AND (SELECT hi FROM merge_part WHERE idx = %d) AND pair IN (SELECT pair FROM merge_ok) "
		 "ORDER BY pair, rowid;"
		 "INSERT INTO main.pair_version SELECT pair, 1 FROM merge_ok WHERE true "
		 "ON CONFLICT (pair) DO UPDATE SET version = version + 1;", idx, idx, idx);
	int64_t i64 = idx;
	if (db_exec(st, sql, err) < 0 || db_query_int(st, "SELECT count(*) FROM merge_ok", merged, err) < 0 ||
	    db_query_int_bound(st, "SELECT count(*) FROM merge_matched WHERE part = ?1", &i64, &all, err) < 0 ||
	    db_exec(st, "DROP TABLE merge_ok", err) < 0)
		return -1;
	*stale = all - *merged;
	return 0;
}

/* Drop what store_merge_add staged. */
void
store_merge_end(ferry_store *st)
{
	sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.merge_ok; DROP TABLE IF EXISTS temp.merge_part; "
		     "DROP TABLE IF EXISTS temp.merge_matched; DROP TABLE IF EXISTS temp.merge_result",
		     NULL, NULL, NULL);
}
