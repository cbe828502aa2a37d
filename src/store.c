/*
 * store.c — the project file on SQLite.
 *
 * Schema (version 1):
 *
 *   meta(key, value)            format marker and settings ("src_lang",
 *                               "symmetrize", "match.method", ...)
 *   pair(id, src, tgt, nsrc, ntgt, bt, align_*, ner_*, has_gold,
 *        status, reviewer, reviewed_at, version)
 *                               one row per sentence pair; tokens are one
 *                               TEXT each, separated by single spaces
 *                               (tokens never hold whitespace); links in
 *                               Pharaoh form "0-0 1-2:0.5"; `version`
 *                               grows with every edit, so a stale edit is
 *                               detected by comparing it
 *   entity(id, pair, start, stop, label)     source entities, stop exclusive
 *   gold(pair, start, stop, label)           target gold, for eval only
 *   projection(id, pair, entity, start, stop, label, score, margin,
 *              method, origin)               origin 0 matcher, 1 reviewer
 *   pin(id, pair, entity, kind, start, stop, label, log)
 *                               reviewer decisions the matcher must keep
 *   log(id, time, user, pair, action, before, after, undone)
 *                               append-only history; undo walks it
 *   lexicon(src, tgt, label, count)          learned from corrections
 *
 * Migrations: migrations[v] takes a project from version v to v + 1; a new
 * file runs them all, inside one transaction, so a project is never left
 * half migrated.
 *
 * Statements are prepared once per handle and cached by number.
 */
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "ferry/align.h"
#include "ferry/mem.h"
#include "ferry/store.h"

static const char *const migrations[FERRY_SCHEMA_VERSION] = {
	/* 0 -> 1: the first schema */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE pair("
	"  id INTEGER PRIMARY KEY,"
	"  src TEXT NOT NULL, tgt TEXT NOT NULL,"
	"  nsrc INTEGER NOT NULL, ntgt INTEGER NOT NULL,"
	"  bt TEXT,"
	"  align_fwd TEXT NOT NULL, align_rev TEXT, align_sym TEXT NOT NULL,"
	"  align_src_bt TEXT, align_bt_tgt TEXT,"
	"  ner_tags TEXT, ner_probs TEXT,"
	"  has_gold INTEGER NOT NULL DEFAULT 0,"
	"  status INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 5),"
	"  reviewer TEXT, reviewed_at TEXT,"
	"  version INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX pair_status ON pair(status);"
	"CREATE TABLE entity("
	"  id INTEGER PRIMARY KEY,"
	"  pair INTEGER NOT NULL REFERENCES pair(id) ON DELETE CASCADE,"
	"  start INTEGER NOT NULL, stop INTEGER NOT NULL, label TEXT NOT NULL,"
	"  CHECK (0 <= start AND start < stop));"
	"CREATE INDEX entity_pair ON entity(pair, start);"
	"CREATE TABLE gold("
	"  pair INTEGER NOT NULL REFERENCES pair(id) ON DELETE CASCADE,"
	"  start INTEGER NOT NULL, stop INTEGER NOT NULL, label TEXT NOT NULL,"
	"  PRIMARY KEY (pair, start), CHECK (0 <= start AND start < stop)) WITHOUT ROWID;"
	"CREATE TABLE projection("
	"  id INTEGER PRIMARY KEY,"
	"  pair INTEGER NOT NULL REFERENCES pair(id) ON DELETE CASCADE,"
	"  entity INTEGER REFERENCES entity(id) ON DELETE CASCADE,"
	"  start INTEGER NOT NULL, stop INTEGER NOT NULL, label TEXT NOT NULL,"
	"  score REAL NOT NULL DEFAULT 0, margin REAL NOT NULL DEFAULT 0,"
	"  method TEXT NOT NULL, origin INTEGER NOT NULL DEFAULT 0 CHECK (origin IN (0, 1)),"
	"  CHECK (0 <= start AND start < stop));"
	"CREATE INDEX projection_pair ON projection(pair, start);"
	"CREATE TABLE log("
	"  id INTEGER PRIMARY KEY,"
	"  time TEXT NOT NULL, user TEXT NOT NULL, pair INTEGER,"
	"  action TEXT NOT NULL, before TEXT, after TEXT,"
	"  undone INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE pin("
	"  id INTEGER PRIMARY KEY,"
	"  pair INTEGER NOT NULL REFERENCES pair(id) ON DELETE CASCADE,"
	"  entity INTEGER REFERENCES entity(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('accept', 'forbid', 'none', 'add')),"
	"  start INTEGER, stop INTEGER, label TEXT,"
	"  log INTEGER REFERENCES log(id));"
	"CREATE INDEX pin_pair ON pin(pair);"
	"CREATE TABLE lexicon("
	"  src TEXT NOT NULL, tgt TEXT NOT NULL, label TEXT NOT NULL,"
	"  count INTEGER NOT NULL,"
	"  PRIMARY KEY (src, tgt, label)) WITHOUT ROWID;"
	"INSERT INTO meta VALUES ('format', 'ferry-project');",
	/* 1 -> 2: a review edit records the pair version it was decided on
	   (seen) and the one it made, so an audit can prove no edit was based
	   on a view older than the last saved one (no lost update) */
	"ALTER TABLE log ADD COLUMN seen INTEGER;"
	"ALTER TABLE log ADD COLUMN made INTEGER;",
};

/* Read-only commands read projects of this schema and newer without upgrading them. */
#define SCHEMA_READ_MIN 1

enum stmt_id {
	ST_SETTING_GET, ST_SETTING_SET, ST_PAIR_ADD, ST_ENTITY_ADD, ST_GOLD_ADD,
	ST_PAIR_COUNT, ST_LOG_ADD, ST_LOG_EACH, ST_PAIR_BUMP, ST_PROJ_DEL, ST_PROJ_ADD,
	ST_LEX_ALL, ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
	[ST_SETTING_GET] = "SELECT value FROM meta WHERE key = ?1",
	[ST_SETTING_SET] = "INSERT INTO meta(key, value) VALUES (?1, ?2) "
			   "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[ST_PAIR_ADD]    = "INSERT INTO pair(src, tgt, nsrc, ntgt, bt, align_fwd, align_rev, align_sym, "
			   "align_src_bt, align_bt_tgt, ner_tags, ner_probs, has_gold) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[ST_ENTITY_ADD]  = "INSERT INTO entity(pair, start, stop, label) VALUES (?1, ?2, ?3, ?4)",
	[ST_GOLD_ADD]    = "INSERT INTO gold(pair, start, stop, label) VALUES (?1, ?2, ?3, ?4)",
	[ST_PAIR_COUNT]  = "SELECT coalesce(max(id), 0) FROM pair",   /* ids are 1..N */
	[ST_LOG_ADD]     = "INSERT INTO log(time, user, pair, action, before, after, seen, made) "
			   "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2, ?3, ?4, ?5, ?6, "
			   "(SELECT version FROM pair WHERE id = ?2))",
	/* states are JSON; a damaged one comes back as a JSON string */
	[ST_LOG_EACH]    = "SELECT id, time, user, coalesce(pair, 0), action, "
			   "CASE WHEN before IS NULL OR json_valid(before) THEN json(before) ELSE json_quote(before) END, "
			   "CASE WHEN after IS NULL OR json_valid(after) THEN json(after) ELSE json_quote(after) END, undone "
			   "FROM log ORDER BY id",
	[ST_PAIR_BUMP]   = "UPDATE pair SET version = version + 1 WHERE id = ?1 AND version = ?2",
	[ST_PROJ_DEL]    = "DELETE FROM projection WHERE pair = ?1",
	[ST_PROJ_ADD]    = "INSERT INTO projection(pair, entity, start, stop, label, score, margin, method, origin) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[ST_LEX_ALL]     = "SELECT src, tgt, label, count FROM lexicon ORDER BY src, tgt, label",
};

struct ferry_store {
	sqlite3      *db;
	char         *path;
	int           flags;
	int           in_tx;
	int64_t       edit_seen;         /* version store_edit_begin checked, or -1 */
	sqlite3_stmt *stmt[ST_COUNT];
	struct buf    a, b, c, d, e, f;     /* scratch for serialising a pair */
};

const char *
store_path(const ferry_store *st)
{
	return st->path;
}

/* Fill err from the database's last error; map busy to EX_TEMPFAIL. */
static int
db_err(ferry_store *st, int rc, const char *what, struct ferry_err *err)
{
	int code = EX_SOFTWARE;

	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return err_set(err, EX_TEMPFAIL, "%s: project busy: another ferry holds the lock "
			       "(try again when it is done)", st->path);
	if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
		return err_set(err, EX_DATAERR, "%s: not a ferry project (%s)", st->path,
			       rc == SQLITE_NOTADB ? "not an SQLite database" : "the database is damaged");
	if (rc == SQLITE_FULL || rc == SQLITE_IOERR || rc == SQLITE_CANTOPEN)
		code = EX_IOERR;
	if (rc == SQLITE_READONLY)
		code = EX_CANTCREAT;
	return err_set(err, code, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

static sqlite3_stmt *
stmt(ferry_store *st, enum stmt_id id, struct ferry_err *err)
{
	if (st->stmt[id] == NULL) {
		int rc = sqlite3_prepare_v3(st->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
					    &st->stmt[id], NULL);
		if (rc != SQLITE_OK) {
			db_err(st, rc, "preparing a statement", err);
			return NULL;
		}
	} else {
		sqlite3_reset(st->stmt[id]);
		sqlite3_clear_bindings(st->stmt[id]);
	}
	return st->stmt[id];
}

static int
exec(ferry_store *st, const char *sql, struct ferry_err *err)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : db_err(st, rc, "running the schema", err);
}

/* Read one integer (a pragma, a count). */
static int
query_int_bound(ferry_store *st, const char *sql, const int64_t *arg, int64_t *out, struct ferry_err *err)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);

	if (rc != SQLITE_OK)
		return db_err(st, rc, "reading the project", err);
	if (arg)
		sqlite3_bind_int64(s, 1, *arg);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_err(st, rc, "reading the project", err);
	return 0;
}

static int
query_int(ferry_store *st, const char *sql, int64_t *out, struct ferry_err *err)
{
	return query_int_bound(st, sql, NULL, out, err);
}

static int
migrate(ferry_store *st, int64_t from, struct ferry_err *err)
{
	char sql[64];

	if (st->flags & STORE_READONLY)
		return err_set(err, EX_NOPERM, "%s: project schema %lld needs upgrading to %d "
			       "(open it once read-write, e.g. with ferry review)", st->path,
			       (long long)from, FERRY_SCHEMA_VERSION);
	if (exec(st, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	for (int64_t v = from; v < FERRY_SCHEMA_VERSION; v++)
		if (exec(st, migrations[v], err) < 0)
			goto fail;
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
		 FERRY_APP_ID, FERRY_SCHEMA_VERSION);
	if (exec(st, sql, err) < 0 || exec(st, "COMMIT", err) < 0)
		goto fail;
	return 0;
fail:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int
store_open(ferry_store **out, const char *path, int flags, struct ferry_err *err)
{
	ferry_store *st;
	struct stat sb;
	int64_t app = 0, ver = 0, tables = 0;
	int oflags, exists = stat(path, &sb) == 0;

	*out = NULL;
	if (!exists && !(flags & STORE_CREATE))
		return err_set(err, EX_NOINPUT, "%s: no such project (create one with ferry import)", path);
	if (exists && S_ISDIR(sb.st_mode))
		return err_set(err, EX_NOINPUT, "%s: is a directory (expected a project file)", path);
	st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	st->flags = flags;
	st->edit_seen = -1;
	oflags = (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY
					 : SQLITE_OPEN_READWRITE | ((flags & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
	const char *name = path;
	struct buf uri = BUF_INIT;
	if (flags & STORE_IMMUTABLE) {
		/* file:PATH?immutable=1, with the URI's special characters escaped */
		buf_adds(&uri, "file:");
		for (const char *c = path; *c; c++)
			if (*c == '%' || *c == '?' || *c == '#')
				buf_addf(&uri, "%%%02X", (unsigned char)*c);
			else
				buf_addc(&uri, *c);
		buf_adds(&uri, "?immutable=1");
		name = buf_cstr(&uri);
		oflags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
	}
	int rc = sqlite3_open_v2(name, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	buf_release(&uri);
	if (rc != SQLITE_OK) {
		err_set(err, rc == SQLITE_CANTOPEN ? (flags & STORE_CREATE ? EX_CANTCREAT : EX_NOINPUT) : EX_IOERR,
			"%s: cannot open the project: %s", path, st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 0);
	sqlite3_busy_timeout(st->db, 10000);
	if (query_int(st, "PRAGMA application_id", &app, err) < 0 ||
	    query_int(st, "PRAGMA user_version", &ver, err) < 0 ||
	    query_int(st, "SELECT count(*) FROM sqlite_master", &tables, err) < 0)
		goto fail;
	if (tables > 0 && app != FERRY_APP_ID) {
		struct buf fmt = BUF_INIT;
		if (store_setting_get(st, "format", &fmt, err) > 0 && strcmp(buf_cstr(&fmt), "ferry-part") == 0)
			err_set(err, EX_DATAERR, "%s: a part file of ferry match --output, not a project "
				"(expected a project; apply the part with ferry merge PROJECT PART)", path);
		else
			err_set(err, EX_DATAERR, "%s: not a ferry project (an SQLite database of another program)", path);
		buf_release(&fmt);
		goto fail;
	}
	/* only import makes a project of an empty file */
	if (tables == 0 && !(flags & STORE_CREATE)) {
		err_set(err, EX_DATAERR, "%s: not a ferry project (an empty file)", path);
		goto fail;
	}
	if (ver > FERRY_SCHEMA_VERSION) {
		err_set(err, EX_DATAERR, "%s: written by a newer ferry (schema %lld; this ferry reads up to %d)",
			path, (long long)ver, FERRY_SCHEMA_VERSION);
		goto fail;
	}
	if (flags & STORE_BULK) {
		if (exec(st, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", err) < 0)
			goto fail;
	} else if (!(flags & STORE_READONLY)) {
		if (exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", err) < 0)
			goto fail;
	}
	if (exec(st, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -16000", err) < 0)
		goto fail;
	if (ver < FERRY_SCHEMA_VERSION && !((flags & STORE_READONLY) && ver >= SCHEMA_READ_MIN) &&
	    migrate(st, ver, err) < 0)
		goto fail;
	*out = st;
	return 0;
fail:
	store_close(st, NULL);
	return -1;
}

int
store_close(ferry_store *st, struct ferry_err *err)
{
	int rc = 0;

	if (st == NULL)
		return 0;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	if ((st->flags & STORE_BULK) && st->db && err != NULL)
		rc = exec(st, "PRAGMA journal_mode = WAL", err);
	if (st->db && sqlite3_close(st->db) != SQLITE_OK && rc == 0 && err != NULL)
		rc = err_set(err, EX_IOERR, "%s: closing the project failed", st->path);
	buf_release(&st->a);
	buf_release(&st->b);
	buf_release(&st->c);
	buf_release(&st->d);
	buf_release(&st->e);
	buf_release(&st->f);
	free(st->path);
	free(st);
	return rc;
}

int
store_durable(ferry_store *st, struct ferry_err *err)
{
	return exec(st, "PRAGMA synchronous = FULL", err);
}

int
store_begin(ferry_store *st, struct ferry_err *err)
{
	if (exec(st, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	st->in_tx = 1;
	return 0;
}

int
store_commit(ferry_store *st, struct ferry_err *err)
{
	int rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return db_err(st, rc, "committing", err);
	st->in_tx = 0;
	st->edit_seen = -1;
	return 0;
}

void
store_rollback(ferry_store *st)
{
	if (st->in_tx)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_tx = 0;
	st->edit_seen = -1;
}

/* Step a write statement to completion. */
static int
step_done(ferry_store *st, sqlite3_stmt *s, const char *what, struct ferry_err *err)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : db_err(st, rc, what, err);
}

int
store_setting_get(ferry_store *st, const char *key, struct buf *out, struct ferry_err *err)
{
	sqlite3_stmt *s = stmt(st, ST_SETTING_GET, err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	buf_reset(out);
	if (rc == SQLITE_ROW) {
		buf_add(out, sqlite3_column_text(s, 0), (size_t)sqlite3_column_bytes(s, 0));
		sqlite3_reset(s);
		return 1;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : db_err(st, rc, "reading a setting", err);
}

int
store_setting_set(ferry_store *st, const char *key, const char *value, struct ferry_err *err)
{
	sqlite3_stmt *s = stmt(st, ST_SETTING_SET, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	return step_done(st, s, "writing a setting", err);
}

static void
bind_buf(sqlite3_stmt *s, int i, const struct buf *b, int present)
{
	if (present)
		sqlite3_bind_text(s, i, buf_cstr(b), (int)b->len, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

static int
add_spans(ferry_store *st, enum stmt_id id, int64_t pair, const struct spans *sp,
	  int64_t *ids, struct ferry_err *err)
{
	for (size_t i = 0; i < sp->n; i++) {
		sqlite3_stmt *s = stmt(st, id, err);
		if (s == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, pair);
		sqlite3_bind_int64(s, 2, sp->v[i].start);
		sqlite3_bind_int64(s, 3, sp->v[i].end);
		sqlite3_bind_text(s, 4, sp->v[i].label, -1, SQLITE_STATIC);
		if (step_done(st, s, "adding an entity", err) < 0)
			return -1;
		if (ids)
			ids[i] = sqlite3_last_insert_rowid(st->db);
	}
	return 0;
}

int
store_pair_add(ferry_store *st, struct pair *p, struct ferry_err *err)
{
	sqlite3_stmt *s = stmt(st, ST_PAIR_ADD, err);

	if (s == NULL)
		return -1;
	buf_reset(&st->a);
	buf_reset(&st->b);
	buf_reset(&st->c);
	buf_reset(&st->d);
	buf_reset(&st->e);
	align_format(&p->fwd, &st->a);
	align_format(&p->rev, &st->b);
	align_format(&p->sym, &st->c);
	align_format(&p->src_bt, &st->d);
	align_format(&p->bt_tgt, &st->e);
	sqlite3_bind_text(s, 1, p->src.text ? p->src.text : "", (int)p->src.len, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, p->tgt.text ? p->tgt.text : "", (int)p->tgt.len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, p->src.n);
	sqlite3_bind_int64(s, 4, p->tgt.n);
	if (p->has_bt)
		sqlite3_bind_text(s, 5, p->bt.text ? p->bt.text : "", (int)p->bt.len, SQLITE_STATIC);
	bind_buf(s, 6, &st->a, 1);
	bind_buf(s, 7, &st->b, p->has_rev);
	bind_buf(s, 8, &st->c, 1);
	bind_buf(s, 9, &st->d, p->has_bt);
	bind_buf(s, 10, &st->e, p->has_bt);
	if (p->has_ner) {
		sqlite3_bind_text(s, 11, p->ner_tags.text ? p->ner_tags.text : "", (int)p->ner_tags.len, SQLITE_STATIC);
		sqlite3_bind_text(s, 12, p->ner_probs.text ? p->ner_probs.text : "", (int)p->ner_probs.len, SQLITE_STATIC);
	}
	sqlite3_bind_int(s, 13, p->has_gold);
	if (step_done(st, s, "adding a pair", err) < 0)
		return -1;
	p->id = sqlite3_last_insert_rowid(st->db);
	VEC_GROW(p->ent_ids, p->ent_ids_cap, p->ents.n);
	if (add_spans(st, ST_ENTITY_ADD, p->id, &p->ents, p->ent_ids, err) < 0)
		return -1;
	return add_spans(st, ST_GOLD_ADD, p->id, &p->gold, NULL, err);
}

int64_t
store_pair_count(ferry_store *st, struct ferry_err *err)
{
	sqlite3_stmt *s = stmt(st, ST_PAIR_COUNT, err);
	int64_t n = -1;

	if (s == NULL)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	else
		db_err(st, sqlite3_errcode(st->db), "counting pairs", err);
	sqlite3_reset(s);
	return n;
}

/*
 * Iteration is a merge join: one ordered cursor over the pairs and one per
 * child table (entities, gold, projections), each ordered by pair; the
 * children are advanced in step, so a whole export reads each table once.
 */
enum child { CH_ENT, CH_GOLD, CH_PROJ, CH_PIN, CH_COUNT };

struct store_iter {
	ferry_store  *st;
	unsigned      load;
	sqlite3_stmt *pairs;
	sqlite3_stmt *child[CH_COUNT];
	int           child_row[CH_COUNT];  /* 1: the cursor holds an unread row */
};

static const char *const child_sql[CH_COUNT] = {
	"SELECT pair, start, stop, label, id FROM entity WHERE pair BETWEEN ?1 AND ?2 ORDER BY pair, start",
	"SELECT pair, start, stop, label FROM gold WHERE pair BETWEEN ?1 AND ?2 ORDER BY pair, start",
	"SELECT pair, start, stop, label, coalesce(entity, 0), score, margin, method, origin "
	"FROM projection WHERE pair BETWEEN ?1 AND ?2 ORDER BY pair, start",
	"SELECT pair, coalesce(start, 0), coalesce(stop, 1), coalesce(label, ''), coalesce(entity, 0), "
	"kind, id FROM pin WHERE pair BETWEEN ?1 AND ?2 ORDER BY pair, id",
};

int
store_iter_open(ferry_store *st, const struct store_filter *f, unsigned load,
		store_iter **out, struct ferry_err *err)
{
	static const unsigned child_load[CH_COUNT] = { LOAD_ENTS, LOAD_GOLD, LOAD_PROJ, LOAD_PINS };
	struct store_filter all = { 0, 0, 0 };
	store_iter *it = xcalloc(1, sizeof *it);
	int rc;

	if (f == NULL)
		f = &all;
	it->st = st;
	it->load = load;
	int64_t from = f->from > 0 ? f->from : 1, to = f->to > 0 ? f->to : INT64_MAX;
	rc = sqlite3_prepare_v2(st->db,
		"SELECT id, status, version, src, tgt, bt, align_fwd, align_rev, align_sym, "
		"align_src_bt, align_bt_tgt, ner_tags, ner_probs, has_gold, nsrc, ntgt "
		"FROM pair WHERE id BETWEEN ?1 AND ?2 AND (?3 = 0 OR (?3 >> status) & 1) ORDER BY id",
		-1, &it->pairs, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(it->pairs, 1, from);
	sqlite3_bind_int64(it->pairs, 2, to);
	sqlite3_bind_int64(it->pairs, 3, f->status_mask);
	for (int c = 0; c < CH_COUNT; c++) {
		if (!(load & child_load[c]))
			continue;
		rc = sqlite3_prepare_v2(st->db, child_sql[c], -1, &it->child[c], NULL);
		if (rc != SQLITE_OK)
			goto fail;
		sqlite3_bind_int64(it->child[c], 1, from);
		sqlite3_bind_int64(it->child[c], 2, to);
		it->child_row[c] = -1;   /* not stepped yet */
	}
	*out = it;
	return 0;
fail:
	db_err(st, rc, "reading pairs", err);
	store_iter_free(it);
	*out = NULL;
	return -1;
}

void
store_iter_free(store_iter *it)
{
	if (it == NULL)
		return;
	sqlite3_finalize(it->pairs);
	for (int c = 0; c < CH_COUNT; c++)
		sqlite3_finalize(it->child[c]);
	free(it);
}

static const char *
col_text(sqlite3_stmt *s, int i, size_t *len)
{
	const char *t = (const char *)sqlite3_column_text(s, i);

	*len = (size_t)sqlite3_column_bytes(s, i);
	return t ? t : "";
}

/* Parse a stored Pharaoh column (trusted to be well-formed, but checked). */
static int
decode_links(const struct pair *p, int c, uint32_t nsrc, uint32_t ntgt, const char *path,
	     struct links *out, struct ferry_err *err)
{
	static const struct align_opts plain = { 0, 0 };
	const struct pair_raw *r = &p->raw;

	links_reset(out);
	if (r->off[c] == SIZE_MAX)
		return 0;
	if (align_parse(r->text + r->off[c], r->n[c], &plain, nsrc, ntgt, path, p->id, out, err) < 0) {
		/* the parser's message names a file line; say what it is instead */
		const char *why = strstr(err->msg, ": ");
		char detail[FERRY_ERR_MAX];
		snprintf(detail, sizeof detail, "%s", why ? why + 2 : err->msg);
		return err_set(err, EX_DATAERR, "%s: pair %lld holds a damaged alignment (%s)",
			       path, (long long)p->id, detail);
	}
	return 0;
}

/* Tokens of column c; the count must be the one the project records. */
static int
decode_toks(const struct pair *p, int c, struct toks *out, uint32_t want, const char *path,
	    struct ferry_err *err)
{
	const struct pair_raw *r = &p->raw;

	toks_reset(out);
	if (r->off[c] == SIZE_MAX)
		return 0;
	toks_set_joined(out, r->text + r->off[c], r->n[c]);
	if (want != UINT32_MAX && out->n != want)
		return err_set(err, EX_DATAERR, "%s: pair %lld holds %u tokens where the project records %u",
			       path, (long long)p->id, out->n, want);
	return 0;
}

int
store_pair_decode(struct pair *p, const char *path, struct ferry_err *err)
{
	unsigned load = p->raw.load;

	p->raw.load = 0;
	if (load & (LOAD_TEXT | LOAD_ALIGN)) {
		if (decode_toks(p, COL_SRC, &p->src, p->raw.nsrc, path, err) < 0 ||
		    decode_toks(p, COL_TGT, &p->tgt, p->raw.ntgt, path, err) < 0 ||
		    decode_toks(p, COL_BT, &p->bt, UINT32_MAX, path, err) < 0)
			return -1;
	}
	if (load & LOAD_ALIGN) {
		if (decode_links(p, COL_FWD, p->src.n, p->tgt.n, path, &p->fwd, err) < 0 ||
		    decode_links(p, COL_REV, p->src.n, p->tgt.n, path, &p->rev, err) < 0 ||
		    decode_links(p, COL_SYM, p->src.n, p->tgt.n, path, &p->sym, err) < 0 ||
		    decode_links(p, COL_SRC_BT, p->src.n, p->bt.n, path, &p->src_bt, err) < 0 ||
		    decode_links(p, COL_BT_TGT, p->bt.n, p->tgt.n, path, &p->bt_tgt, err) < 0)
			return -1;
	}
	if ((load & LOAD_NER) && p->has_ner) {
		if (decode_toks(p, COL_NER_TAGS, &p->ner_tags, p->raw.ntgt, path, err) < 0 ||
		    decode_toks(p, COL_NER_PROBS, &p->ner_probs, p->raw.ntgt, path, err) < 0)
			return -1;
	}
	return 0;
}

/* A pin row: its entity id becomes an index into p->ents. */
static int
load_pin(store_iter *it, sqlite3_stmt *s, struct pair *p, int64_t start, int64_t stop,
	 struct ferry_err *err)
{
	static const char *const kinds[] = { "accept", "forbid", "none", "add" };
	size_t len;
	const char *label = col_text(s, 3, &len);
	const char *kind = (const char *)sqlite3_column_text(s, 5);
	int64_t entity = sqlite3_column_int64(s, 4);
	struct pin *pin;

	VEC_GROW(p->pins.v, p->pins.cap, p->pins.n + 1);
	pin = &p->pins.v[p->pins.n];
	memset(pin, 0, sizeof *pin);
	pin->kind = PIN_ADD;
	for (int k = 0; k < 4; k++)
		if (kind && strcmp(kind, kinds[k]) == 0)
			pin->kind = (enum pin_kind)k;
	pin->entity = -1;
	for (size_t i = 0; i < p->ents.n && p->ent_ids; i++)
		if (p->ent_ids[i] == entity)
			pin->entity = (int)i;
	if (pin->kind != PIN_ADD && pin->entity < 0)
		return 0;        /* the entity is gone: the pin no longer applies */
	if (pin->kind != PIN_NONE && (start < 0 || stop <= start || stop > p->raw.ntgt))
		return err_set(err, EX_DATAERR, "%s: pair %lld holds a damaged pin", it->st->path, (long long)p->id);
	pin->start = (uint32_t)start;
	pin->end = (uint32_t)stop;
	snprintf(pin->label, sizeof pin->label, "%.*s", (int)len, label);
	pin->id = sqlite3_column_int64(s, 6);
	p->pins.n++;
	return 0;
}

/* Advance child cursor c to pair id and collect its rows into p. */
static int
load_child(store_iter *it, int c, struct pair *p, struct ferry_err *err)
{
	sqlite3_stmt *s = it->child[c];
	size_t len;

	for (;;) {
		if (it->child_row[c] != 1) {
			if (it->child_row[c] == 0)
				return 0;        /* exhausted */
			int rc = sqlite3_step(s);
			if (rc == SQLITE_DONE) {
				it->child_row[c] = 0;
				return 0;
			}
			if (rc != SQLITE_ROW)
				return db_err(it->st, rc, "reading entities", err);
			it->child_row[c] = 1;
		}
		int64_t pair = sqlite3_column_int64(s, 0);
		if (pair > p->id)
			return 0;
		it->child_row[c] = -1;  /* consumed: step next time */
		if (pair < p->id)
			continue;
		int64_t start = sqlite3_column_int64(s, 1), stop = sqlite3_column_int64(s, 2);
		if (c == CH_PIN) {
			if (load_pin(it, s, p, start, stop, err) < 0)
				return -1;
			continue;
		}
		uint32_t ntok = c == CH_ENT ? p->raw.nsrc : p->raw.ntgt;
		if (start < 0 || stop <= start || stop > ntok)
			return err_set(err, EX_DATAERR, "%s: pair %lld holds a damaged span %lld-%lld",
				       it->st->path, (long long)p->id, (long long)start, (long long)stop);
		const char *label = col_text(s, 3, &len);
		struct spans *dst = c == CH_ENT ? &p->ents : c == CH_GOLD ? &p->gold : NULL;
		if (dst) {
			spans_push(dst, (uint32_t)start, (uint32_t)stop, label, len);
			if (c == CH_ENT) {
				VEC_GROW(p->ent_ids, p->ent_ids_cap, p->ents.n);
				p->ent_ids[p->ents.n - 1] = sqlite3_column_int64(s, 4);
			}
			continue;
		}
		VEC_GROW(p->proj.v, p->proj.cap, p->proj.n + 1);
		struct proj *pr = &p->proj.v[p->proj.n++];
		memset(pr, 0, sizeof *pr);
		pr->span.start = (uint32_t)start;
		pr->span.end = (uint32_t)stop;
		snprintf(pr->span.label, sizeof pr->span.label, "%.*s", (int)len, label);
		pr->entity = sqlite3_column_int64(s, 4);
		pr->score = sqlite3_column_double(s, 5);
		pr->margin = sqlite3_column_double(s, 6);
		snprintf(pr->method, sizeof pr->method, "%s", col_text(s, 7, &len));
		pr->by_reviewer = sqlite3_column_int(s, 8);
	}
}

int
store_iter_next(store_iter *it, struct pair *p, struct ferry_err *err)
{
	sqlite3_stmt *s = it->pairs;
	size_t len;
	const char *t;
	int rc = sqlite3_step(s);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_err(it->st, rc, "reading pairs", err);
	pair_reset(p);
	p->id = sqlite3_column_int64(s, 0);
	int status = sqlite3_column_int(s, 1);
	p->status = (status >= 0 && status < STATUS_COUNT) ? (enum pair_status)status : STATUS_PENDING;
	p->version = sqlite3_column_int64(s, 2);
	p->has_gold = sqlite3_column_int(s, 13);
	p->has_bt = sqlite3_column_type(s, 5) != SQLITE_NULL;
	p->has_rev = sqlite3_column_type(s, 7) != SQLITE_NULL;
	p->has_ner = sqlite3_column_type(s, 11) != SQLITE_NULL;
	int64_t nsrc = sqlite3_column_int64(s, 14), ntgt = sqlite3_column_int64(s, 15);
	if (nsrc < 0 || ntgt < 0 || nsrc > UINT32_MAX || ntgt > UINT32_MAX)
		return err_set(err, EX_DATAERR, "%s: pair %lld records %lld source and %lld target tokens",
			       it->st->path, (long long)p->id, (long long)nsrc, (long long)ntgt);
	p->raw.nsrc = (uint32_t)nsrc;
	p->raw.ntgt = (uint32_t)ntgt;
	p->raw.load = it->load & (LOAD_TEXT | LOAD_ALIGN | LOAD_NER);
	/* the columns are copied as they are; decoding is store_pair_decode's */
	for (int c = 0; c < COL_COUNT; c++) {
		int col = 3 + c;
		int want = c <= COL_BT ? (it->load & (LOAD_TEXT | LOAD_ALIGN)) != 0
			 : c <= COL_BT_TGT ? (it->load & LOAD_ALIGN) != 0 : (it->load & LOAD_NER) != 0;
		p->raw.off[c] = SIZE_MAX;
		p->raw.n[c] = 0;
		if (!want || sqlite3_column_type(s, col) == SQLITE_NULL)
			continue;
		t = col_text(s, col, &len);
		VEC_GROW(p->raw.text, p->raw.cap, p->raw.len + len + 1);
		memcpy(p->raw.text + p->raw.len, t, len);
		p->raw.off[c] = p->raw.len;
		p->raw.n[c] = len;
		p->raw.len += len;
		p->raw.text[p->raw.len++] = '\0';
	}
	for (int c = 0; c < CH_COUNT; c++)
		if (it->child[c] && load_child(it, c, p, err) < 0)
			return -1;
	if (!(it->load & LOAD_DEFER) && store_pair_decode(p, it->st->path, err) < 0)
		return -1;
	return 1;
}

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
	sqlite3_stmt *s = stmt(st, ST_LOG_ADD, err);

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
	if (step_done(st, s, "writing the log", err) < 0)
		return -1;
	return sqlite3_last_insert_rowid(st->db);
}

int
store_log_each(ferry_store *st, int (*fn)(const struct log_entry *, void *), void *arg,
	       struct ferry_err *err)
{
	sqlite3_stmt *s = stmt(st, ST_LOG_EACH, err);
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

/* Run a "label, count" query into a fresh array. */
static int
label_counts(ferry_store *st, const char *sql, struct label_count **out, size_t *n,
	     struct ferry_err *err)
{
	sqlite3_stmt *s;
	size_t cap = 0, len;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);

	*out = NULL;
	*n = 0;
	if (rc != SQLITE_OK)
		return db_err(st, rc, "reading statistics", err);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		VEC_GROW(*out, cap, *n + 1);
		const char *l = col_text(s, 0, &len);
		snprintf((*out)[*n].label, FERRY_LABEL_MAX, "%.*s", (int)len, l);
		(*out)[*n].count = sqlite3_column_int64(s, 1);
		(*n)++;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_err(st, rc, "reading statistics", err);
}

int
store_stats(ferry_store *st, struct store_stats *o, struct ferry_err *err)
{
	static const struct { const char *sql; size_t off; } ints[] = {
#define STAT(field, sql) { sql, offsetof(struct store_stats, field) }
		STAT(pairs, "SELECT count(*) FROM pair"),
		STAT(src_tokens, "SELECT coalesce(sum(nsrc), 0) FROM pair"),
		STAT(tgt_tokens, "SELECT coalesce(sum(ntgt), 0) FROM pair"),
		STAT(with_bt, "SELECT count(*) FROM pair WHERE bt IS NOT NULL"),
		STAT(with_rev, "SELECT count(*) FROM pair WHERE align_rev IS NOT NULL"),
		STAT(with_gold, "SELECT count(*) FROM pair WHERE has_gold"),
		STAT(with_ner, "SELECT count(*) FROM pair WHERE ner_tags IS NOT NULL"),
		STAT(entities, "SELECT count(*) FROM entity"),
		STAT(gold, "SELECT count(*) FROM gold"),
		STAT(projections, "SELECT count(*) FROM projection"),
		STAT(by_reviewer, "SELECT count(*) FROM projection WHERE origin = 1"),
		STAT(links_fwd, "SELECT coalesce(sum(length(align_fwd) - length(replace(align_fwd, '-', ''))), 0) FROM pair"),
		STAT(links_sym, "SELECT coalesce(sum(length(align_sym) - length(replace(align_sym, '-', ''))), 0) FROM pair"),
		STAT(log_entries, "SELECT count(*) FROM log"),
		STAT(lexicon, "SELECT count(*) FROM lexicon"),
#undef STAT
	};
	sqlite3_stmt *s = NULL;
	size_t cap = 0;
	int rc;

	memset(o, 0, sizeof *o);
	for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
		if (query_int(st, ints[i].sql, (int64_t *)((char *)o + ints[i].off), err) < 0)
			goto fail;
	rc = sqlite3_prepare_v2(st->db, "SELECT status, count(*) FROM pair GROUP BY status", -1, &s, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		int k = sqlite3_column_int(s, 0);
		if (k >= 0 && k < STATUS_COUNT)
			o->status[k] = sqlite3_column_int64(s, 1);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (rc != SQLITE_DONE)
		goto dberr;
	rc = sqlite3_prepare_v2(st->db, "SELECT min(9, max(0, CAST(score * 10 AS INTEGER))), count(*) "
				"FROM projection GROUP BY 1", -1, &s, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		o->hist[sqlite3_column_int(s, 0)] = sqlite3_column_int64(s, 1);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (rc != SQLITE_DONE)
		goto dberr;
	if (label_counts(st, "SELECT label, count(*) FROM entity GROUP BY label ORDER BY label",
			 &o->ent_labels, &o->n_ent_labels, err) < 0 ||
	    label_counts(st, "SELECT label, count(*) FROM gold GROUP BY label ORDER BY label",
			 &o->gold_labels, &o->n_gold_labels, err) < 0 ||
	    label_counts(st, "SELECT label, count(*) FROM projection GROUP BY label ORDER BY label",
			 &o->proj_labels, &o->n_proj_labels, err) < 0)
		goto fail;
	rc = sqlite3_prepare_v2(st->db, "SELECT key, value FROM meta WHERE key <> 'format' ORDER BY key",
				-1, &s, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		size_t len;
		VEC_GROW(o->settings, cap, o->n_settings + 2);
		const char *k = col_text(s, 0, &len);
		o->settings[o->n_settings++] = xstrndup(k, len);
		const char *v = col_text(s, 1, &len);
		o->settings[o->n_settings++] = xstrndup(v, len);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		goto dberr;
	return 0;
dberr:
	db_err(st, rc, "reading statistics", err);
fail:
	store_stats_release(o);
	return -1;
}

void
store_stats_release(struct store_stats *s)
{
	free(s->ent_labels);
	free(s->gold_labels);
	free(s->proj_labels);
	for (size_t i = 0; i < s->n_settings; i++)
		free(s->settings[i]);
	free(s->settings);
	memset(s, 0, sizeof *s);
}

int
store_projections_replace(ferry_store *st, int64_t id, int64_t version, const struct projs *pj,
			  struct ferry_err *err)
{
	sqlite3_stmt *s = stmt(st, ST_PAIR_BUMP, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, version);
	if (step_done(st, s, "updating a pair", err) < 0)
		return -1;
	if (sqlite3_changes(st->db) == 0)
		return 0;
	if ((s = stmt(st, ST_PROJ_DEL, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (step_done(st, s, "replacing projections", err) < 0)
		return -1;
	for (size_t i = 0; i < pj->n; i++) {
		const struct proj *p = &pj->v[i];
		if ((s = stmt(st, ST_PROJ_ADD, err)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, id);
		if (p->entity > 0)
			sqlite3_bind_int64(s, 2, p->entity);
		sqlite3_bind_int64(s, 3, p->span.start);
		sqlite3_bind_int64(s, 4, p->span.end);
		sqlite3_bind_text(s, 5, p->span.label, -1, SQLITE_STATIC);
		sqlite3_bind_double(s, 6, p->score);
		sqlite3_bind_double(s, 7, p->margin);
		sqlite3_bind_text(s, 8, p->method, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 9, p->by_reviewer);
		if (step_done(st, s, "writing projections", err) < 0)
			return -1;
	}
	return 1;
}

int
store_lexicon_load(ferry_store *st, struct lexicon *out, struct ferry_err *err)
{
	sqlite3_stmt *s = stmt(st, ST_LEX_ALL, err);
	struct lex_entry *v = NULL;
	size_t n = 0, cap = 0, len;
	int rc;

	memset(out, 0, sizeof *out);
	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		VEC_GROW(v, cap, n + 1);
		const char *t = col_text(s, 0, &len);
		v[n].src = xstrndup(t, len);
		t = col_text(s, 1, &len);
		v[n].tgt = xstrndup(t, len);
		t = col_text(s, 2, &len);
		snprintf(v[n].label, sizeof v[n].label, "%.*s", (int)len, t);
		v[n].count = sqlite3_column_double(s, 3);
		n++;
	}
	sqlite3_reset(s);
	out->v = v;
	out->n = n;
	if (rc != SQLITE_DONE) {
		store_lexicon_release(out);
		return db_err(st, rc, "reading the lexicon", err);
	}
	return 0;
}

void
store_lexicon_release(struct lexicon *lex)
{
	struct lex_entry *v = (struct lex_entry *)lex->v;

	for (size_t i = 0; i < lex->n; i++) {
		free((char *)v[i].src);
		free((char *)v[i].tgt);
	}
	free(v);
	memset(lex, 0, sizeof *lex);
}

/* Run one prepared-once statement with text/int bindings (NULL ends). */
static int
run_sql(ferry_store *st, const char *sql, struct ferry_err *err, const char *fmt, ...)
{
	sqlite3_stmt *s;
	va_list ap;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);

	if (rc != SQLITE_OK)
		return db_err(st, rc, "preparing an edit", err);
	va_start(ap, fmt);
	for (int i = 0; fmt[i]; i++) {
		switch (fmt[i]) {
		case 'i': sqlite3_bind_int64(s, i + 1, va_arg(ap, int64_t)); break;
		case 'd': sqlite3_bind_double(s, i + 1, va_arg(ap, double)); break;
		case 's': {
			const char *t = va_arg(ap, const char *);
			if (t)
				sqlite3_bind_text(s, i + 1, t, -1, SQLITE_TRANSIENT);
			break;
		}
		}
	}
	va_end(ap);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return (rc == SQLITE_DONE || rc == SQLITE_ROW) ? 0 : db_err(st, rc, "editing", err);
}

int
store_edit_begin(ferry_store *st, int64_t pair, int64_t version, struct ferry_err *err)
{
	int64_t v = -1;

	if (store_begin(st, err) < 0)
		return -1;
	if (query_int_bound(st, "SELECT version FROM pair WHERE id = ?1", &pair, &v, err) < 0) {
		store_rollback(st);
		return -1;
	}
	if (v != version) {
		store_rollback(st);
		return 1;
	}
	st->edit_seen = version;          /* what the editor saw (equal to v here) */
	return 0;
}

/* Step s once into out (its first column as text) and finalize it: 1 row, 0 none, -1 error. */
static int
step_text(ferry_store *st, sqlite3_stmt *s, struct buf *out, const char *what, struct ferry_err *err)
{
	int rc = sqlite3_step(s);

	buf_reset(out);
	if (rc == SQLITE_ROW) {
		size_t len;
		const char *t = col_text(s, 0, &len);
		buf_add(out, t, len);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : db_err(st, rc, what, err);
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
	return step_text(st, s, out, "reading a pair's state", err) == 1 ? 0 : -1;
}

int
store_pin_add(ferry_store *st, int64_t pair, const char *kind, int64_t entity, uint32_t start,
	      uint32_t stop, const char *label, struct ferry_err *err)
{
	if (entity > 0 && strcmp(kind, "forbid") != 0 &&
	    run_sql(st, "DELETE FROM pin WHERE pair = ?1 AND entity = ?2 AND kind IN ('accept', 'none')",
		    err, "ii", pair, entity) < 0)
		return -1;
	/* forbidding a span the reviewer had accepted takes the acceptance back */
	if (entity > 0 && strcmp(kind, "forbid") == 0 &&
	    run_sql(st, "DELETE FROM pin WHERE pair = ?1 AND entity = ?2 AND kind = 'accept' "
		    "AND start = ?3 AND stop = ?4", err, "iiii", pair, entity, (int64_t)start, (int64_t)stop) < 0)
		return -1;
	return run_sql(st, "INSERT INTO pin(pair, entity, kind, start, stop, label) "
		       "VALUES (?1, nullif(?2, 0), ?3, ?4, ?5, ?6)", err, "iisiis",
		       pair, entity, kind, (int64_t)start, (int64_t)stop, label);
}

int
store_pins_remove(ferry_store *st, int64_t pair, int64_t entity, uint32_t start, uint32_t stop,
		  struct ferry_err *err)
{
	if (entity > 0)
		return run_sql(st, "DELETE FROM pin WHERE pair = ?1 AND entity = ?2", err, "ii", pair, entity);
	return run_sql(st, "DELETE FROM pin WHERE pair = ?1 AND kind = 'add' AND start < ?3 AND ?2 < stop",
		       err, "iii", pair, (int64_t)start, (int64_t)stop);
}

int
store_status_set(ferry_store *st, int64_t pair, enum pair_status status, struct ferry_err *err)
{
	return run_sql(st, "UPDATE pair SET status = ?2, reviewer = ?3, "
		       "reviewed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1", err, "iis",
		       pair, (int64_t)status, store_user());
}

int
store_lexicon_bump(ferry_store *st, const char *src, const char *tgt, const char *label, double delta,
		   struct ferry_err *err)
{
	if (run_sql(st, "INSERT INTO lexicon(src, tgt, label, count) VALUES (?1, ?2, ?3, ?4) "
		    "ON CONFLICT(src, tgt, label) DO UPDATE SET count = count + excluded.count",
		    err, "sssd", src, tgt, label, delta) < 0)
		return -1;
	return run_sql(st, "DELETE FROM lexicon WHERE src = ?1 AND tgt = ?2 AND label = ?3 AND count <= 0",
		       err, "sss", src, tgt, label);
}

int
store_state_restore(ferry_store *st, int64_t pair, const char *state, struct ferry_err *err)
{
	if (run_sql(st, "DELETE FROM pin WHERE pair = ?1", err, "i", pair) < 0 ||
	    run_sql(st, "INSERT INTO pin(pair, kind, entity, start, stop, label) "
		    "SELECT ?1, json_extract(value, '$[0]'), nullif(json_extract(value, '$[1]'), 0), "
		    "json_extract(value, '$[2]'), json_extract(value, '$[3]'), json_extract(value, '$[4]') "
		    "FROM json_each(?2, '$.pins')", err, "is", pair, state) < 0)
		return -1;
	return run_sql(st, "UPDATE pair SET status = json_extract(?2, '$.status') WHERE id = ?1",
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
		t = col_text(s, 2, &len);
		buf_add(state, t, len);
		buf_reset(after);
		t = col_text(s, 3, &len);
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
	return run_sql(st, "UPDATE log SET undone = ?2 WHERE id = ?1", err, "ii", log_id, (int64_t)undone);
}

int
store_log_forget_redo(ferry_store *st, const char *user, struct ferry_err *err)
{
	return run_sql(st, "UPDATE log SET undone = 2 WHERE user = ?1 AND undone = 1", err, "s", user);
}

/* Step s to the end, collecting its first column; finalizes s. */
static int
collect_ids(ferry_store *st, sqlite3_stmt *s, int64_t **ids, size_t *n, struct ferry_err *err)
{
	size_t cap = 0;
	int rc;

	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		VEC_GROW(*ids, cap, *n + 1);
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_err(st, rc, "listing pairs", err);
}

int
store_review_ids(ferry_store *st, unsigned status_mask, const char *label, double score_below,
		 enum review_order order, int64_t **ids, size_t *n, struct ferry_err *err)
{
	static const char *const orders[ORDER_COUNT] = {
		"id",
		"coalesce((SELECT min(margin) FROM projection WHERE pair = p.id AND origin = 0), -1), id",
		"coalesce((SELECT min(score) FROM projection WHERE pair = p.id AND origin = 0), -1), id",
	};
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s;
	int rc;

	/* everything in corpus order: the ids are 1..N, no need to read them */
	int64_t max = 0, count = -1;
	if (status_mask == 0 && !(label && *label) && score_below < 0 && order == ORDER_CORPUS &&
	    (query_int(st, "SELECT coalesce(max(id), 0) FROM pair", &max, err) < 0 ||
	     query_int(st, "SELECT count(*) FROM pair", &count, err) < 0))
		return -1;
	if (count == max) {
		*ids = xrealloc(*ids, ((size_t)max + 1) * sizeof **ids);
		for (int64_t i = 0; i < max; i++)
			(*ids)[i] = i + 1;
		*n = (size_t)max;
		buf_release(&sql);
		return 0;
	}
	/* the status index holds every id: read it rather than the big rows */
	buf_adds(&sql, "SELECT id FROM pair p INDEXED BY pair_status WHERE (?1 = 0 OR (?1 >> status) & 1)");
	if (label && *label)
		buf_adds(&sql, " AND (EXISTS (SELECT 1 FROM entity WHERE pair = p.id AND label = ?2) OR "
			 "EXISTS (SELECT 1 FROM projection WHERE pair = p.id AND label = ?2))");
	if (score_below >= 0)
		buf_adds(&sql, " AND EXISTS (SELECT 1 FROM projection WHERE pair = p.id AND score < ?3)");
	buf_addf(&sql, " ORDER BY %s", orders[order]);
	rc = sqlite3_prepare_v2(st->db, buf_cstr(&sql), -1, &s, NULL);
	buf_release(&sql);
	if (rc != SQLITE_OK)
		return db_err(st, rc, "listing pairs", err);
	sqlite3_bind_int64(s, 1, status_mask);
	if (label && *label)
		sqlite3_bind_text(s, 2, label, -1, SQLITE_STATIC);
	if (score_below >= 0)
		sqlite3_bind_double(s, 3, score_below);
	return collect_ids(st, s, ids, n, err);
}

int
store_progress(ferry_store *st, int64_t *reviewed, int64_t *total, struct ferry_err *err)
{
	/* ids are positions 1..N, so the last id is the count; both queries
	   are index searches, not scans (31 ms a keystroke at 1M pairs) */
	if (query_int(st, "SELECT coalesce(max(id), 0) FROM pair", total, err) < 0)
		return -1;
	return query_int(st, "SELECT count(*) FROM pair WHERE status > 0", reviewed, err);
}

int
store_pairs_containing(ferry_store *st, const char *text, int64_t **ids, size_t *n, struct ferry_err *err)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT id FROM pair WHERE status = 0 AND instr(src, ?1) > 0 ORDER BY id",
				    -1, &s, NULL);

	if (rc != SQLITE_OK)
		return db_err(st, rc, "searching pairs", err);
	sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
	return collect_ids(st, s, ids, n, err);
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
	return collect_ids(st, s, ids, n, err);
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
	return step_text(st, s, out, "reading a bulk state", err) == 1 ? 0 : -1;
}

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
	if (query_int(project, "SELECT count(*) FROM pair", &pairs, err) < 0 ||
	    query_int(project, "SELECT count(*) FROM entity", &ents, err) < 0)
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
	if (exec(st, sql, err) < 0 ||
	    exec(st, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
		 "CREATE TABLE matched(pair INTEGER PRIMARY KEY, version INTEGER NOT NULL);"
		 "CREATE TABLE result(pair INTEGER NOT NULL, entity INTEGER, start INTEGER NOT NULL, "
		 "stop INTEGER NOT NULL, label TEXT NOT NULL, score REAL, margin REAL, method TEXT, "
		 "origin INTEGER);", err) < 0 ||
	    run_sql(st, "INSERT INTO meta VALUES ('format', 'ferry-part'), ('pairs', ?1), ('entities', ?2), "
		    "('shard', ?3)", err, "iis", pairs, ents, shard) < 0 || store_begin(st, err) < 0) {
		store_close(st, NULL);
		unlink(path);
		return -1;
	}
	*out = st;
	return 0;
}

int
store_part_add(ferry_store *part, int64_t pair, int64_t version, const struct projs *pj,
	       struct ferry_err *err)
{
	if (run_sql(part, "INSERT INTO matched VALUES (?1, ?2)", err, "ii", pair, version) < 0)
		return -1;
	for (size_t i = 0; i < pj->n; i++) {
		const struct proj *p = &pj->v[i];
		if (run_sql(part, "INSERT INTO result VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", err, "iiiisddsi",
			    pair, p->entity, (int64_t)p->span.start, (int64_t)p->span.end, p->span.label,
			    p->score, p->margin, p->method, (int64_t)p->by_reviewer) < 0)
			return -1;
	}
	return 0;
}

int
store_part_finish(ferry_store *part, const char *settings, struct ferry_err *err)
{
	if (run_sql(part, "INSERT INTO meta VALUES ('match', ?1)", err, "s", settings) < 0)
		return -1;
	return store_commit(part, err);
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
	if (run_sql(st, "ATTACH DATABASE ?1 AS part", err, "s", part) < 0)
		return err_set(err, EX_DATAERR, "%s: not a ferry part file (expected the output of ferry match "
			       "--output)", part);
	if (sqlite3_exec(st->db, "SELECT 1 FROM part.sqlite_master LIMIT 1", NULL, NULL, NULL) != SQLITE_OK ||
	    query_int(st, "PRAGMA part.application_id", &app, err) < 0 || app != FERRY_PART_ID) {
		err_set(err, EX_DATAERR, "%s: not a ferry part file (expected the output of ferry match --output)", part);
		goto out;
	}
	if (query_int(st, "SELECT count(*) FROM pair", &pairs, err) < 0 ||
	    query_int(st, "SELECT count(*) FROM entity", &ents, err) < 0 ||
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

int
store_part_check(ferry_store *st, const char *part, struct buf *settings, struct buf *shard,
		 struct ferry_err *err)
{
	if (part_attach(st, part, settings, shard, err) < 0)
		return -1;
	sqlite3_exec(st->db, "DETACH DATABASE part", NULL, NULL, NULL);
	return 0;
}

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
	if (exec(st, "CREATE TEMP TABLE merge_ok AS SELECT m.pair AS pair FROM part.matched m "
		 "JOIN main.pair p ON p.id = m.pair AND p.version = m.version;"
		 "DELETE FROM main.projection WHERE pair IN (SELECT pair FROM merge_ok);"
		 "INSERT INTO main.projection(pair, entity, start, stop, label, score, margin, method, origin) "
		 "SELECT pair, nullif(entity, 0), start, stop, label, score, margin, method, origin "
		 "FROM part.result WHERE pair IN (SELECT pair FROM merge_ok) ORDER BY pair, rowid;"
		 "UPDATE main.pair SET version = version + 1 WHERE id IN (SELECT pair FROM merge_ok);", err) < 0 ||
	    query_int(st, "SELECT count(*) FROM merge_ok", merged, err) < 0 ||
	    query_int(st, "SELECT count(*) FROM part.matched", &all, err) < 0 ||
	    exec(st, "DROP TABLE merge_ok", err) < 0 || store_commit(st, err) < 0) {
		store_rollback(st);
		goto out;
	}
	*stale = all - *merged;
	rc = 0;
out:
	sqlite3_exec(st->db, "DETACH DATABASE part", NULL, NULL, NULL);
	return rc;
}
