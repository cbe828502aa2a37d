/*
 * store.c — the project file on SQLite: opening it (and refusing what is
 * not a project), the schema and its migrations, transactions, settings
 * and the statement cache.  The rest of the store is in store-*.c around
 * store-int.h.
 *
 * Schema (version 6, FERRY_SCHEMA_VERSION; PRAGMA user_version holds it
 * and PRAGMA application_id is FERRY_APP_ID):
 *
 *   meta(key, value)            "format" = "ferry-project", "project_id"
 *                               (random, given at creation; store-part.c),
 *                               settings ("src_lang", "tgt_lang",
 *                               "symmetrize", "tokenize", "match", ...),
 *                               the tag set "labels" (one label a line;
 *                               store-stats.c) and each reviewer's place
 *                               "place:USER" (review-place.c)
 *   pair(id, src, tgt, nsrc, ntgt, bt, align_fwd, align_rev, align_sym,
 *        align_src_bt, align_bt_tgt, ner_tags, ner_probs, has_gold,
 *        status, reviewer, reviewed_at, version)
 *                               one row per sentence pair, ids 1..N in
 *                               corpus order; tokens are one TEXT each,
 *                               separated by single spaces (tokens never
 *                               hold whitespace), nsrc/ntgt their counts,
 *                               checked on reading; links as BLOBs in
 *                               align_encode's binary form (Pharaoh text
 *                               "0-0 1-2:0.5" before schema 5, still read);
 *                               an align_sym of no bytes is not stored but
 *                               made when read (store_pair_add); NULL
 *                               columns are inputs the
 *                               import did not have; status is an
 *                               enum pair_status (0 pending .. 5 skipped),
 *                               reviewer and reviewed_at who set it last;
 *                               version is 0 (schema 6: see pair_version)
 *   pair_version(pair, version) the shared pair versions: `version` grows
 *                               with every change of the pair's
 *                               projections, so a stale edit or match is
 *                               detected by comparing it; a pair without a
 *                               row is at version 0.  A narrow table, so a
 *                               match does not rewrite every pair row
 *   entity(id, pair, start, stop, label)     source entities, stop exclusive
 *   gold(pair, start, stop, label)           target gold, for eval only
 *   projection(id, pair, entity, start, stop, label, score, margin,
 *              method, origin)               origin 0 matcher, 1 reviewer;
 *                                            entity NULL for a span added
 *                                            by hand
 *   pin(id, pair, entity, kind, start, stop, label, log)
 *                               reviewer decisions the matcher must keep:
 *                               kind 'accept', 'forbid', 'none' (no
 *                               counterpart: no span) or 'add' (a span
 *                               without an entity); log is never written
 *   log(id, time, user, pair, action, before, after, undone, seen, made)
 *                               append-only history; before and after are
 *                               review states in JSON (store-undo.c),
 *                               before NULL for what cannot be undone
 *                               (import, match, merge); undone 0 active,
 *                               1 undone, 2 undone and no longer redoable;
 *                               seen is the pair version a review edit was
 *                               decided on and made the one it left
 *   lexicon(src, tgt, label, count)          learned from corrections
 *   source(id, lang, aligner, reliability)   multi-source projection: the
 *                               project's labelled sources, 0 the pair
 *                               table's own (store-source.c); empty in a
 *                               single-source project
 *   xsource(pair, source, src, nsrc, align_fwd, align_rev, align_sym)
 *   xentity(pair, source, start, stop, label)
 *                               the further sources' sentences, links and
 *                               entities, as the pair table keeps the first's
 *   sprojection(pair, source, start, stop, label, score)
 *                               each source's own projection; the fused one
 *                               is the projection table, whose `support`
 *                               has bit k set for each source k proposing
 *                               the span with its label (0: single-source)
 *   lpair(layer, pair, status, reviewer, reviewed_at, version)
 *   lpin(id, layer, pair, entity, kind, start, stop, label, log)
 *   lprojection(id, layer, pair, entity, start, stop, label, score, margin,
 *               method, origin, support)
 *                               team review: each reviewer's independent
 *                               layer (store-layer.c), what pair, pin and
 *                               projection hold for the shared one; a
 *                               pair its layer never touched has no lpair
 *                               row and shows the shared projections
 *   assignment(reviewer, pair)  ferry assign: the pairs each reviewer reviews
 *   log.layer                   the layer an entry's edit was made in (NULL: shared)
 *
 *   with indexes pair_status(status), entity_pair(pair, start),
 *   projection_pair(pair, start) and pin_pair(pair).
 *
 * Migrations: migrations[v] takes a project from version v to v + 1
 * (0 -> 1 the tables above but log.seen and log.made, 1 -> 2 those two,
 * 2 -> 3 the multi-source tables and projection.support, 3 -> 4 the
 * layers, assignments and log.layer, 4 -> 5 links in binary form, 5 -> 6
 * pair_version);
 * a new file runs them all, inside one transaction, so a project is never
 * left half migrated.  An older project is migrated when it is opened for
 * writing; read-only commands read one of schema SCHEMA_READ_MIN or newer
 * as it is, and a project of a newer schema is refused.
 *
 * A new project has 8 KiB pages (PAGE_SIZE_NEW); an older one keeps its own.
 *
 * Concurrency: projects are in WAL mode (a STORE_BULK import writes
 * without a journal and switches to WAL on closing), so readers never
 * wait; a writer takes BEGIN IMMEDIATE and waits up to BUSY_TIMEOUT_MS
 * for another's lock before giving up with "project busy".  A read-only
 * handle holds one read transaction from store_open to store_close, so
 * it reads one snapshot however long it runs (the shards of match
 * --output, a long export) while others write.
 *
 * Read-only projects: WAL needs PROJECT-wal and PROJECT-shm, which SQLite
 * opens read-only when they exist and creates otherwise.  When neither
 * works (a read-only directory or mount) and the log holds nothing, the
 * file alone is the project and is opened immutable=1 (no locks, no log);
 * a log with changes in it is refused, never skipped (open_readonly).  A
 * writing handle checks first that the file, and the log and index or
 * the directory they are made in, are writable (check_writable), so a
 * writing command on a read-only project stops before it does anything.
 *
 * File names: SQLite is given "./NAME" for a relative NAME, so no project
 * is taken for a URI ("file:x", this SQLite has URIs on), an in-memory
 * database (":memory:") or a temporary one ("").
 *
 * The statements that run in loops (per pair, pin, projection or bulk
 * item) and a few more are prepared once per handle and cached by number
 * (enum stmt_id, stmt_sql[], db_stmt); the others are prepared for their
 * one run and finalized (db_run, db_query_int); store-int.h lists which.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ferry/mem.h"
#include "store-int.h"

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
	/* 2 -> 3: multi-source projection (store-source.c): further labelled
	   sources of every pair, each source's own projection, and which
	   sources support a fused projection */
	"CREATE TABLE source("
	"  id INTEGER PRIMARY KEY CHECK (id BETWEEN 0 AND 15),"
	"  lang TEXT NOT NULL UNIQUE, aligner TEXT NOT NULL DEFAULT 'given', reliability REAL);"
	"CREATE TABLE xsource("
	"  pair INTEGER NOT NULL REFERENCES pair(id) ON DELETE CASCADE,"
	"  source INTEGER NOT NULL REFERENCES source(id) CHECK (source > 0),"
	"  src TEXT NOT NULL, nsrc INTEGER NOT NULL,"
	"  align_fwd TEXT NOT NULL, align_rev TEXT, align_sym TEXT NOT NULL,"
	"  PRIMARY KEY (pair, source)) WITHOUT ROWID;"
	"CREATE TABLE xentity("
	"  pair INTEGER NOT NULL, source INTEGER NOT NULL,"
	"  start INTEGER NOT NULL, stop INTEGER NOT NULL, label TEXT NOT NULL,"
	"  PRIMARY KEY (pair, source, start),"
	"  FOREIGN KEY (pair, source) REFERENCES xsource(pair, source) ON DELETE CASCADE,"
	"  CHECK (0 <= start AND start < stop)) WITHOUT ROWID;"
	"CREATE TABLE sprojection("
	"  pair INTEGER NOT NULL REFERENCES pair(id) ON DELETE CASCADE,"
	"  source INTEGER NOT NULL, start INTEGER NOT NULL, stop INTEGER NOT NULL, label TEXT NOT NULL,"
	"  score REAL NOT NULL DEFAULT 0, CHECK (0 <= start AND start < stop));"
	"CREATE INDEX sprojection_pair ON sprojection(pair, source, start);"
	"ALTER TABLE projection ADD COLUMN support INTEGER NOT NULL DEFAULT 0;",
	/* 3 -> 4: team review (store-layer.c): each reviewer's own layer of
	   statuses, pins and projections, the pairs assigned to each, and the
	   layer a log entry belongs to */
	"CREATE TABLE lpair("
	"  layer TEXT NOT NULL, pair INTEGER NOT NULL REFERENCES pair(id) ON DELETE CASCADE,"
	"  status INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 5),"
	"  reviewer TEXT, reviewed_at TEXT, version INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (layer, pair)) WITHOUT ROWID;"
	"CREATE TABLE lpin("
	"  id INTEGER PRIMARY KEY, layer TEXT NOT NULL,"
	"  pair INTEGER NOT NULL REFERENCES pair(id) ON DELETE CASCADE,"
	"  entity INTEGER REFERENCES entity(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('accept', 'forbid', 'none', 'add')),"
	"  start INTEGER, stop INTEGER, label TEXT, log INTEGER);"
	"CREATE INDEX lpin_pair ON lpin(layer, pair);"
	"CREATE TABLE lprojection("
	"  id INTEGER PRIMARY KEY, layer TEXT NOT NULL,"
	"  pair INTEGER NOT NULL REFERENCES pair(id) ON DELETE CASCADE,"
	"  entity INTEGER REFERENCES entity(id) ON DELETE CASCADE,"
	"  start INTEGER NOT NULL, stop INTEGER NOT NULL, label TEXT NOT NULL,"
	"  score REAL NOT NULL DEFAULT 0, margin REAL NOT NULL DEFAULT 0,"
	"  method TEXT NOT NULL, origin INTEGER NOT NULL DEFAULT 0, support INTEGER NOT NULL DEFAULT 0,"
	"  CHECK (0 <= start AND start < stop));"
	"CREATE INDEX lprojection_pair ON lprojection(layer, pair, start);"
	"CREATE TABLE assignment("
	"  reviewer TEXT NOT NULL, pair INTEGER NOT NULL REFERENCES pair(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (reviewer, pair)) WITHOUT ROWID;"
	"ALTER TABLE log ADD COLUMN layer TEXT;",
	/* 4 -> 5: link columns in binary form (align_encode), about a sixth
	   of the text's size and read without parsing; a pair imported from now on
	   stores no symmetrised links (a column of no bytes: made again when
	   read, see store_pair_add), the ones stored before are kept */
	"UPDATE pair SET align_fwd = ferry_links_bin(align_fwd), align_rev = ferry_links_bin(align_rev),"
	"  align_sym = ferry_links_bin(align_sym), align_src_bt = ferry_links_bin(align_src_bt),"
	"  align_bt_tgt = ferry_links_bin(align_bt_tgt);"
	"UPDATE xsource SET align_fwd = ferry_links_bin(align_fwd), align_rev = ferry_links_bin(align_rev),"
	"  align_sym = ferry_links_bin(align_sym);",
	/* 5 -> 6: the shared pair versions in a narrow table of their own: a
	   match bumps every pair's version, which rewrote its whole row (a
	   few hundred bytes, and the row grew as the number did, splitting
	   pages); pair.version stays 0.  A layer's versions stay in lpair. */
	"CREATE TABLE pair_version(pair INTEGER PRIMARY KEY REFERENCES pair(id) ON DELETE CASCADE,"
	"  version INTEGER NOT NULL);"
	"INSERT INTO pair_version SELECT id, version FROM pair WHERE version <> 0;"
	"UPDATE pair SET version = 0 WHERE version <> 0;",
};

/* Read-only commands read projects of this schema and newer without upgrading them. */
#define SCHEMA_READ_MIN 1

/* How long a writer waits for another's lock before "project busy". */
#define BUSY_TIMEOUT_MS 10000
/* The page size of a new project, in bytes; and how much the log may hold before a checkpoint. */
#define PAGE_SIZE_NEW "8192"
#define WAL_CHECKPOINT_BYTES (4 << 20)
/* SQLite's page cache per handle, in KiB. */
#define CACHE_KIB 16000

/* SPAN_ADD and PROJ_ADD below spell out statements of one to four rows. */
_Static_assert(SPAN_ROWS_MAX == 4, "one SPAN_ROW and one PROJ_ROW per row a statement inserts");
_Static_assert(QUEUED_ROWS_MAX == 16, "PROJ_ROWS below spells out statements of one to 16 rows");

/* The SQL of the cached statements (enum stmt_id). */
static const char *const stmt_sql[ST_COUNT] = {
	[ST_SETTING_GET] = "SELECT value FROM meta WHERE key = ?1",
	[ST_SETTING_SET] = "INSERT INTO meta(key, value) VALUES (?1, ?2) "
			   "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	/* store-pair.c */
	[ST_PAIR_ADD]    = "INSERT INTO pair(src, tgt, nsrc, ntgt, bt, align_fwd, align_rev, align_sym, "
			   "align_src_bt, align_bt_tgt, ner_tags, ner_probs, has_gold) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	/* one to SPAN_ROWS_MAX spans of a pair (?1) in a statement, in order: an entity's
	   row id is one more than the one before (store_pair_add) */
#define SPAN_ROW1 " VALUES (?1, ?2, ?3, ?4)"
#define SPAN_ROW2 SPAN_ROW1 ", (?1, ?5, ?6, ?7)"
#define SPAN_ROW3 SPAN_ROW2 ", (?1, ?8, ?9, ?10)"
#define SPAN_ROW4 SPAN_ROW3 ", (?1, ?11, ?12, ?13)"
#define SPAN_ADD(ID, table, k) [ID + k - 1] = "INSERT OR FAIL INTO " #table "(pair, start, stop, label)" SPAN_ROW##k
	SPAN_ADD(ST_ENTITY_ADD, entity, 1), SPAN_ADD(ST_ENTITY_ADD, entity, 2),
	SPAN_ADD(ST_ENTITY_ADD, entity, 3), SPAN_ADD(ST_ENTITY_ADD, entity, 4),
	SPAN_ADD(ST_GOLD_ADD, gold, 1), SPAN_ADD(ST_GOLD_ADD, gold, 2),
	SPAN_ADD(ST_GOLD_ADD, gold, 3), SPAN_ADD(ST_GOLD_ADD, gold, 4),
#undef SPAN_ADD
#undef SPAN_ROW1
#undef SPAN_ROW2
#undef SPAN_ROW3
#undef SPAN_ROW4
	[ST_PAIR_COUNT]  = "SELECT coalesce(max(id), 0) FROM pair",   /* ids are 1..N */
	[ST_PAIR_BUMP]   = "UPDATE pair_version SET version = version + 1 WHERE pair = ?1 AND version = ?2",
	/* a pair read at version 0 (no row): its row at 1, unless one was made meanwhile */
	[ST_PAIR_FIRST]  = "INSERT INTO pair_version VALUES (?1, 1) ON CONFLICT (pair) DO UPDATE "
			   "SET version = version + 1 WHERE version = 0",
	[ST_PAIR_BUMP_OLD] = "UPDATE pair SET version = version + 1 WHERE id = ?1 AND version = ?2",
	[ST_PROJ_DEL]    = "DELETE FROM projection WHERE pair = ?1",
	/* one to SPAN_ROWS_MAX projections of a pair (?1), as the spans above */
#define PROJ_ROW1 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
#define PROJ_ROW2 PROJ_ROW1 ", (?1, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
#define PROJ_ROW3 PROJ_ROW2 ", (?1, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)"
#define PROJ_ROW4 PROJ_ROW3 ", (?1, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37)"
#define PROJ_ADD(k) [ST_PROJ_ADD + k - 1] = "INSERT OR FAIL INTO projection(pair, entity, start, stop, label, score, " \
					     "margin, method, origin, support)" PROJ_ROW##k
	PROJ_ADD(1), PROJ_ADD(2), PROJ_ADD(3), PROJ_ADD(4),
#undef PROJ_ADD
#undef PROJ_ROW1
#undef PROJ_ROW2
#undef PROJ_ROW3
#undef PROJ_ROW4
	/* store-source.c */
	[ST_XSRC_ADD]    = "INSERT INTO xsource(pair, source, src, nsrc, align_fwd, align_rev, align_sym) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_XENT_ADD]    = "INSERT INTO xentity(pair, source, start, stop, label) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_OWN_DEL]     = "DELETE FROM sprojection WHERE pair = ?1",
	[ST_OWN_ADD]     = "INSERT INTO sprojection(pair, source, start, stop, label, score) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	/* store-edit.c */
	[ST_LEX_ALL]     = "SELECT src, tgt, label, count FROM lexicon ORDER BY src, tgt, label",
	/* store-undo.c */
	[ST_LOG_ADD]     = "INSERT INTO log(time, user, pair, action, before, after, seen, made, layer) "
			   "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2, ?3, ?4, ?5, ?6, "
			   "coalesce((SELECT version FROM pair_version WHERE pair = ?2), 0), ?7)",
	[ST_LOG_ADD_OLD] = "INSERT INTO log(time, user, pair, action, before, after, seen, made, layer) "
			   "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2, ?3, ?4, ?5, ?6, "
			   "(SELECT version FROM pair WHERE id = ?2), ?7)",
	/* states are JSON; a damaged one comes back as a JSON string */
	[ST_LOG_EACH]    = "SELECT id, time, user, coalesce(pair, 0), action, "
			   "CASE WHEN before IS NULL OR json_valid(before) THEN json(before) ELSE json_quote(before) END, "
			   "CASE WHEN after IS NULL OR json_valid(after) THEN json(after) ELSE json_quote(after) END, undone "
			   "FROM log ORDER BY id",
	[ST_PAIR_STATUS] = "SELECT status FROM pair WHERE id = ?1",
	[ST_PAIR_SCORES] = "SELECT score, margin FROM projection WHERE pair = ?1 AND origin = 0 ORDER BY start",
	/* one to QUEUED_ROWS_MAX projections, each with its pair (store_projections_first) */
#define QROWS1 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define QROWS2 QROWS1 ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define QROWS3 QROWS2 ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define QROWS4 QROWS3 ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define QROWS5 QROWS4 ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define QROWS6 QROWS5 ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define QROWS7 QROWS6 ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define QROWS8 QROWS7 ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define QROWS9 QROWS8 ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define QROWS10 QROWS9 ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define QROWS11 QROWS10 ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define QROWS12 QROWS11 ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define QROWS13 QROWS12 ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define QROWS14 QROWS13 ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define QROWS15 QROWS14 ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define QROWS16 QROWS15 ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define PROJ_ROWS(k) [ST_PROJ_ROWS + k - 1] = "INSERT OR FAIL INTO projection(pair, entity, start, stop, label, " \
					      "score, margin, method, origin, support)" QROWS##k
	PROJ_ROWS(1), PROJ_ROWS(2), PROJ_ROWS(3), PROJ_ROWS(4), PROJ_ROWS(5), PROJ_ROWS(6), PROJ_ROWS(7),
	PROJ_ROWS(8), PROJ_ROWS(9), PROJ_ROWS(10), PROJ_ROWS(11), PROJ_ROWS(12), PROJ_ROWS(13),
	PROJ_ROWS(14), PROJ_ROWS(15), PROJ_ROWS(16),
#undef PROJ_ROWS
#undef QROWS1
#undef QROWS2
#undef QROWS3
#undef QROWS4
#undef QROWS5
#undef QROWS6
#undef QROWS7
#undef QROWS8
#undef QROWS9
#undef QROWS10
#undef QROWS11
#undef QROWS12
#undef QROWS13
#undef QROWS14
#undef QROWS15
#undef QROWS16
	[ST_PAIR_PINS]   = "SELECT kind, coalesce(entity, 0), coalesce(start, 0), coalesce(stop, 0), "
			   "coalesce(label, '') FROM pin WHERE pair = ?1 ORDER BY id",
	/* a state's JSON: its type and its members' (anything not JSON reads as null) */
	[ST_STATE_HEAD]  = "SELECT json_type(j), json_extract(j, '$.status'), json_type(j, '$.pins'), "
			   "json_type(j, '$.lex'), json_type(j, '$.bulk') "
			   "FROM (SELECT CASE WHEN json_valid(?1) THEN ?1 ELSE 'null' END AS j)",
	/* the elements of its arrays; one that is not an array reads as [] */
	[ST_STATE_PINS]  = "SELECT type, json_extract(v, '$[0]'), json_extract(v, '$[1]'), json_extract(v, '$[2]'), "
			   "json_extract(v, '$[3]'), json_extract(v, '$[4]') "
			   "FROM (SELECT type, CASE WHEN type = 'array' THEN value ELSE '[]' END AS v "
			   "FROM json_each(?1, '$.pins'))",
	[ST_STATE_BULK]  = "SELECT type, json_extract(v, '$[0]'), json_type(v, '$[1]'), json_extract(v, '$[1]') "
			   "FROM (SELECT type, CASE WHEN type = 'array' THEN value ELSE '[]' END AS v "
			   "FROM json_each(?1, '$.bulk'))",
	[ST_STATE_LEX]   = "SELECT type, json_extract(v, '$[0]'), json_extract(v, '$[1]'), json_extract(v, '$[2]'), "
			   "json_extract(v, '$[3]') "
			   "FROM (SELECT type, CASE WHEN type = 'array' THEN value ELSE '[]' END AS v "
			   "FROM json_each(?1, '$.lex'))",
	[ST_PINS_CLEAR]  = "DELETE FROM pin WHERE pair = ?1",
	[ST_PIN_RESTORE] = "INSERT INTO pin(pair, kind, entity, start, stop, label) "
			   "VALUES (?1, ?2, nullif(?3, 0), ?4, ?5, ?6)",
	[ST_STATUS_RESTORE] = "UPDATE pair SET status = ?2 WHERE id = ?1",
	/* the newest active reviewer entry of a pair: the log is read from its end */
	[ST_PAIR_COMMENT] = "SELECT CASE WHEN json_valid(after) AND json_type(after, '$.comment') = 'text' "
			    "THEN json_extract(after, '$.comment') END "
			    "FROM log WHERE pair = ?1 AND before IS NOT NULL AND undone = 0 AND layer IS ?2 "
			    "ORDER BY id DESC LIMIT 1",
};

/* The project's file name, for messages. */
const char *
store_path(const ferry_store *st)
{
	return st->path;
}

/* Whether an SQLite failure rc (errno behind it: sys) is a full disk or a used-up quota. */
static int
disk_full(int rc, int sys)
{
	return rc == SQLITE_FULL || (rc == SQLITE_IOERR && (sys == ENOSPC || sys == EDQUOT));
}

/* Fill err from the database's last error; map busy to EX_TEMPFAIL, a full disk and read-only to their own words. */
int
db_err(ferry_store *st, int rc, const char *what, struct ferry_err *err)
{
	int code = EX_SOFTWARE;

	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return err_set(err, EX_TEMPFAIL, "%s: project busy: another ferry holds the lock "
			       "(try again when it is done)", st->path);
	if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
		return err_set(err, EX_DATAERR, "%s: not a ferry project (%s)", st->path,
			       rc == SQLITE_NOTADB ? "not an SQLite database" : "the database is damaged");
	if (disk_full(rc, sqlite3_system_errno(st->db)))
		return err_set(err, EX_IOERR, "%s: the disk is full (%s; free some space and try again)",
			       st->path, what);
	if (rc == SQLITE_READONLY)
		return err_set(err, EX_NOPERM, "%s: the project is read-only (%s: %s)", st->path, what,
			       sqlite3_errmsg(st->db));
	if (rc == SQLITE_IOERR || rc == SQLITE_CANTOPEN)
		code = EX_IOERR;
	return err_set(err, code, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

/* A cached statement, prepared on first use. */
sqlite3_stmt *
db_stmt(ferry_store *st, enum stmt_id id, struct ferry_err *err)
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

/* Run SQL without results. */
int
db_exec(ferry_store *st, const char *sql, struct ferry_err *err)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : db_err(st, rc, "running the schema", err);
}

/* Read one integer (a pragma, a count). */
int
db_query_int_bound(ferry_store *st, const char *sql, const int64_t *arg, int64_t *out, struct ferry_err *err)
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

/* Read one integer from SQL without parameters. */
int
db_query_int(ferry_store *st, const char *sql, int64_t *out, struct ferry_err *err)
{
	return db_query_int_bound(st, sql, NULL, out, err);
}

/* Run the migrations from version `from` to FERRY_SCHEMA_VERSION in one transaction. */
static int
migrate(ferry_store *st, int64_t from, struct ferry_err *err)
{
	char sql[64];

	if (st->flags & STORE_READONLY)
		return err_set(err, EX_NOPERM, "%s: project schema %lld needs upgrading to %d "
			       "(open it once read-write, e.g. with ferry review)", st->path,
			       (long long)from, FERRY_SCHEMA_VERSION);
	if (db_exec(st, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	for (int64_t v = from; v < FERRY_SCHEMA_VERSION; v++)
		if (db_exec(st, migrations[v], err) < 0)
			goto fail;
	if (from == 0 && store_new_id(st, err) < 0)       /* a new project: its identity */
		goto fail;
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
		 FERRY_APP_ID, FERRY_SCHEMA_VERSION);
	if (db_exec(st, sql, err) < 0 || db_exec(st, "COMMIT", err) < 0)
		goto fail;
	return 0;
fail:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* The name SQLite opens for path: never a URI, ":memory:" or "" (a temporary database). */
void
db_file_name(const char *path, struct buf *out)
{
	/* with URIs compiled in, "file:x" is one; "./file:x" is a plain name */
	if (path[0] != '/')
		buf_adds(out, "./");
	buf_adds(out, path);
}

/* The URI file:PATH?immutable=1 of path, its special characters escaped. */
static void
immutable_uri(const char *path, struct buf *out)
{
	struct buf name = BUF_INIT;

	db_file_name(path, &name);
	/* "file://" and an empty authority before an absolute path, so that
	   "//x" is not read as the host x */
	buf_adds(out, buf_cstr(&name)[0] == '/' ? "file://" : "file:");
	for (const char *c = buf_cstr(&name); *c; c++)
		if (*c == '%' || *c == '?' || *c == '#')
			buf_addf(out, "%%%02X", (unsigned char)*c);
		else
			buf_addc(out, *c);
	buf_adds(out, "?immutable=1");
	buf_release(&name);
}

/* ---- SQL functions of the link columns ---------------------------------------- */

/* A stored link column as links, its indices below nsrc and ntgt; -1 when damaged. */
static int
value_links(sqlite3_value *v, uint32_t nsrc, uint32_t ntgt, struct links *out)
{
	struct ferry_err why;
	int bin = sqlite3_value_type(v) == SQLITE_BLOB;
	const void *d = bin ? sqlite3_value_blob(v) : (const void *)sqlite3_value_text(v);
	size_t n = (size_t)sqlite3_value_bytes(v);

	links_reset(out);
	if (sqlite3_value_type(v) == SQLITE_NULL)
		return 0;
	return db_links_decode(d ? d : "", n, bin, nsrc, ntgt, out, &why);
}

/* ferry_links(column): how many links it holds (a damaged one counts none). */
static void
fn_links(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	sqlite3_value *v = argv[0];
	long n = 0;

	(void)argc;
	if (sqlite3_value_type(v) == SQLITE_BLOB) {
		n = align_encoded_count(sqlite3_value_blob(v), (size_t)sqlite3_value_bytes(v));
	} else if (sqlite3_value_type(v) == SQLITE_TEXT) {
		const unsigned char *t = sqlite3_value_text(v);
		for (int i = 0, len = sqlite3_value_bytes(v); i < len; i++)
			n += t[i] == '-';
	}
	sqlite3_result_int64(ctx, n > 0 ? n : 0);
}

/*
 * ferry_sym_links(sym, fwd, rev, nsrc, ntgt, method): the symmetrised
 * links' count, made when not stored; none when a direction is damaged or
 * beyond the sentences (symmetrisation indexes by the token counts).
 */
static void
fn_sym_links(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct links fwd = { 0 }, rev = { 0 }, sym = { 0 };
	int64_t m = sqlite3_value_int64(argv[5]);
	int64_t ns = sqlite3_value_int64(argv[3]), nt = sqlite3_value_int64(argv[4]);

	if (sqlite3_value_type(argv[0]) != SQLITE_BLOB || sqlite3_value_bytes(argv[0]) > 0) {
		fn_links(ctx, 1, argv);
		return;
	}
	if (sqlite3_value_type(argv[2]) == SQLITE_NULL) {
		fn_links(ctx, 1, argv + 1);
		return;
	}
	(void)argc;
	if (m >= 0 && m < SYM_COUNT && ns >= 0 && nt >= 0 && ns <= UINT32_MAX && nt <= UINT32_MAX &&
	    value_links(argv[1], (uint32_t)ns, (uint32_t)nt, &fwd) == 0 &&
	    value_links(argv[2], (uint32_t)ns, (uint32_t)nt, &rev) == 0)
		align_symmetrize(&fwd, &rev, (uint32_t)ns, (uint32_t)nt, (enum symmetrize)m, &sym);
	sqlite3_result_int64(ctx, (sqlite3_int64)sym.n);
	links_release(&fwd);
	links_release(&rev);
	links_release(&sym);
}

/* ferry_links_bin(column): Pharaoh text in binary form; anything else (and damage) as it is. */
static void
fn_links_bin(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct links l = { 0 };
	struct buf b = BUF_INIT;

	(void)argc;
	if (sqlite3_value_type(argv[0]) != SQLITE_TEXT || value_links(argv[0], UINT32_MAX, UINT32_MAX, &l) < 0) {
		sqlite3_result_value(ctx, argv[0]);
	} else {
		align_encode(&l, &b);
		sqlite3_result_blob(ctx, b.s, (int)b.len, SQLITE_TRANSIENT);
	}
	links_release(&l);
	buf_release(&b);
}

/* Make the link functions known to a handle. */
static int
add_functions(sqlite3 *db)
{
	static const struct {
		const char *name;
		int nargs;
		void (*fn)(sqlite3_context *, int, sqlite3_value **);
	} fns[] = {
		{ "ferry_links", 1, fn_links },
		{ "ferry_sym_links", 6, fn_sym_links },
		{ "ferry_links_bin", 1, fn_links_bin },
	};

	for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
		if (sqlite3_create_function_v2(db, fns[i].name, fns[i].nargs, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
					       NULL, fns[i].fn, NULL, NULL, NULL) != SQLITE_OK)
			return -1;
	return 0;
}

/* Open the database file of st (st->path) as the flags say; immutable: without locks or log. */
static int
open_db(ferry_store *st, int immutable, struct ferry_err *err)
{
	struct buf name = BUF_INIT;
	int flags = st->flags, oflags, rc, code;

	oflags = (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY
					 : SQLITE_OPEN_READWRITE | ((flags & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
	if (immutable) {
		immutable_uri(st->path, &name);
		oflags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
	} else {
		db_file_name(st->path, &name);
	}
	/* ferry reads no memory statistics: not counting saves a lock per allocation
	   (possible only before SQLite starts, so the first open does it; later, a no-op) */
	static int started;
	if (!started) {
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
		started = 1;
	}
	rc = sqlite3_open_v2(buf_cstr(&name), &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	buf_release(&name);
	if (rc != SQLITE_OK) {
		if (st->db && disk_full(rc, sqlite3_system_errno(st->db)))
			return db_err(st, rc, "opening the project", err);
		code = rc == SQLITE_CANTOPEN ? (flags & STORE_CREATE ? EX_CANTCREAT : EX_NOINPUT) : EX_IOERR;
		return err_set(err, code, "%s: cannot open the project: %s", st->path,
			       st->db ? sqlite3_errmsg(st->db) : "out of memory");
	}
	sqlite3_extended_result_codes(st->db, 0);
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	if (add_functions(st->db) < 0)
		return err_set(err, EX_SOFTWARE, "%s: cannot open the project: %s", st->path, sqlite3_errmsg(st->db));
	return 0;
}

/* Start the read transaction a read-only handle keeps until it closes: one snapshot for the run. */
static int
begin_snapshot(ferry_store *st)
{
	/* BEGIN alone takes no snapshot; the first read does */
	int rc = sqlite3_exec(st->db, "BEGIN; SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* The project's log or index (sfx "-wal", "-shm"): next to the file a symlink names, as SQLite has it. */
static void
aux_name(const char *path, const char *sfx, char *out, size_t size)
{
	struct stat sb;
	char *real = NULL;

	if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode))
		real = realpath(path, NULL);
	snprintf(out, size, "%s%s", real ? real : path, sfx);
	free(real);
}

/*
 * Open a project for reading.  A project in WAL mode needs its log and the
 * log's index (PATH-wal, PATH-shm) to be read; SQLite opens them read-only
 * when they are there, and creates them when it can.  When it can do
 * neither (a read-only directory or mount) and the log holds nothing, the
 * project file alone is the whole project: it is read as immutable.  A log
 * that holds changes cannot be read that way, and is not skipped.
 */
static int
open_readonly(ferry_store *st, struct ferry_err *err)
{
	struct stat sb;
	char wal[PATH_MAX + 8], shm[PATH_MAX + 8];
	int rc;

	if (open_db(st, 0, err) < 0)
		return -1;
	rc = begin_snapshot(st);
	if (rc == SQLITE_OK)
		return 0;
	if (rc != SQLITE_READONLY && rc != SQLITE_CANTOPEN)
		return db_err(st, rc, "reading the project", err);
	aux_name(st->path, "-wal", wal, sizeof wal);
	aux_name(st->path, "-shm", shm, sizeof shm);
	if (stat(wal, &sb) == 0 && sb.st_size > 0)
		return err_set(err, EX_TEMPFAIL, "%s: the project is being written (%s holds changes not in the "
			       "project file yet, and reading them needs %s, which cannot be created here; "
			       "try again when the writer is done)", st->path, wal, shm);
	sqlite3_close(st->db);
	st->db = NULL;
	if (open_db(st, 1, err) < 0)
		return -1;
	rc = begin_snapshot(st);
	return rc == SQLITE_OK ? 0 : db_err(st, rc, "reading the project", err);
}

/* Refuse project as read-only: why, then the words of errnum. */
static int
read_only(const char *project, const char *why, int errnum, struct ferry_err *err)
{
	return err_set(err, EX_NOPERM, "%s: the project is read-only (%s: %s; stats, export, log, eval "
		       "and match --output can still read it)", project, why, strerror(errnum));
}

/*
 * Refuse up front a project this user cannot write: the file itself, its
 * log and index when they exist, else the directory they are made in.
 */
static int
check_writable(const char *path, struct ferry_err *err)
{
	char aux[PATH_MAX + 8], dir[PATH_MAX + 8], why[2 * PATH_MAX + 40], *slash;
	struct stat sb;

	if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0) {
		int e = errno;
		snprintf(why, sizeof why, "cannot write %s", path);
		return read_only(path, why, e, err);
	}
	for (int i = 0; i < 2; i++) {
		const char *target = aux;
		int mode = W_OK;
		aux_name(path, i ? "-shm" : "-wal", aux, sizeof aux);
		if (stat(aux, &sb) == 0) {
			snprintf(why, sizeof why, "cannot write %s", aux);
		} else {
			/* then it is made in the directory */
			snprintf(dir, sizeof dir, "%s", aux);
			slash = strrchr(dir, '/');
			if (slash == NULL)
				snprintf(dir, sizeof dir, ".");
			else if (slash == dir)
				dir[1] = '\0';                 /* "/x" is in "/" */
			else
				*slash = '\0';
			snprintf(why, sizeof why, "cannot create %s in %s", aux, dir);
			target = dir;
			mode = W_OK | X_OK;
		}
		if (faccessat(AT_FDCWD, target, mode, AT_EACCESS) != 0) {
			int e = errno;
			return read_only(path, why, e, err);
		}
	}
	return 0;
}

/* Refuse what is not a project this ferry reads; its schema version goes to *ver. */
static int
check_project(ferry_store *st, int64_t *ver, struct ferry_err *err)
{
	int64_t app = 0, tables = 0;
	const char *path = st->path;

	if (db_query_int(st, "PRAGMA application_id", &app, err) < 0 ||
	    db_query_int(st, "PRAGMA user_version", ver, err) < 0 ||
	    db_query_int(st, "SELECT count(*) FROM sqlite_master", &tables, err) < 0)
		return -1;
	if (tables > 0 && app != FERRY_APP_ID) {
		struct buf fmt = BUF_INIT;
		if (store_setting_get(st, "format", &fmt, err) > 0 && strcmp(buf_cstr(&fmt), "ferry-part") == 0)
			err_set(err, EX_DATAERR, "%s: a part file of ferry match --output, not a project "
				"(expected a project; apply the part with ferry merge PROJECT PART)", path);
		else
			err_set(err, EX_DATAERR, "%s: not a ferry project (an SQLite database of another program)", path);
		buf_release(&fmt);
		return -1;
	}
	/* only import makes a project of an empty file */
	if (tables == 0 && !(st->flags & STORE_CREATE))
		return err_set(err, EX_DATAERR, "%s: not a ferry project (an empty file)", path);
	if (*ver > FERRY_SCHEMA_VERSION)
		return err_set(err, EX_DATAERR, "%s: written by a newer ferry (schema %lld; this ferry reads up to %d)",
			       path, (long long)*ver, FERRY_SCHEMA_VERSION);
	return 0;
}

/*
 * The journal, durability, foreign keys and cache of a handle.  A bulk
 * handle (a fresh import into a file of its own, all or nothing by other
 * means) has no journal and checks no foreign keys: it writes rows that
 * refer only to rows it wrote.  An unchecked one (the matcher's) writes
 * rows that refer only to pairs and entities it read, and ferry never
 * deletes either: the checks, two b-tree seeks a projection, would find
 * what they look for every time.  The log is checkpointed every
 * WAL_CHECKPOINT_BYTES, whatever the page size.
 */
static int
set_modes(ferry_store *st, struct ferry_err *err)
{
	char sql[160];
	int64_t page = 4096;

	if (st->flags & STORE_BULK) {
		if (db_exec(st, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", err) < 0)
			return -1;
	} else if (!(st->flags & STORE_READONLY)) {
		if (db_exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", err) < 0 ||
		    db_query_int(st, "PRAGMA page_size", &page, err) < 0)
			return -1;
	}
	/* a negative cache_size counts KiB; a read-only handle, inside its
	   snapshot, checks no foreign keys (and could not turn them on) */
	st->wal_pages = (int)(page > 0 && page < WAL_CHECKPOINT_BYTES ? WAL_CHECKPOINT_BYTES / page : 1);
	snprintf(sql, sizeof sql, "%sPRAGMA cache_size = -%d; PRAGMA wal_autocheckpoint = %d",
		 (st->flags & (STORE_READONLY | STORE_BULK | STORE_UNCHECKED)) ? "" : "PRAGMA foreign_keys = ON; ",
		 CACHE_KIB, st->wal_pages);
	return db_exec(st, sql, err);
}

/* Open a project: check what the file is, set its modes, migrate it if it is older. */
int
store_open(ferry_store **out, const char *path, int flags, struct ferry_err *err)
{
	ferry_store *st;
	struct stat sb;
	int64_t ver = 0;
	int exists = stat(path, &sb) == 0;

	*out = NULL;
	if (!exists && !(flags & STORE_CREATE))
		return err_set(err, EX_NOINPUT, "%s: no such project (create one with ferry import)", path);
	if (exists && S_ISDIR(sb.st_mode))
		return err_set(err, EX_NOINPUT, "%s: is a directory (expected a project file)", path);
	if (exists && !(flags & STORE_READONLY) && check_writable(path, err) < 0)
		return -1;
	st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	st->flags = flags;
	st->edit_seen = -1;
	if (((flags & STORE_READONLY) ? open_readonly(st, err) : open_db(st, 0, err)) < 0 ||
	    check_project(st, &ver, err) < 0)
		goto fail;
	/* a new project: larger pages, set before anything is written: less
	   room lost per page to rows of a few hundred bytes (3% smaller than 4
	   KiB pages after matching; 16 KiB, 4%, made a review edit 7% slower,
	   writing each changed page to the log; 64 KiB, larger than the 64 KiB
	   a statement journal keeps in memory, spilled every statement's pages
	   to a file: 24,141 writes to match 15k pairs, against 686) */
	if (ver == 0 && (flags & STORE_CREATE) && db_exec(st, "PRAGMA page_size = " PAGE_SIZE_NEW, err) < 0)
		goto fail;
	if (set_modes(st, err) < 0)
		goto fail;
	if (ver < FERRY_SCHEMA_VERSION && !((flags & STORE_READONLY) && ver >= SCHEMA_READ_MIN)) {
		if (migrate(st, ver, err) < 0)
			goto fail;
		ver = FERRY_SCHEMA_VERSION;
	}
	st->schema = ver;
	*out = st;
	return 0;
fail:
	store_close(st, NULL);
	return -1;
}

/* Finalize the statements and close; a bulk project goes back to WAL. */
int
store_close(ferry_store *st, struct ferry_err *err)
{
	int rc = 0;

	if (st == NULL)
		return 0;
	store_ckpt_stop(st);
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	if ((st->flags & STORE_READONLY) && st->db)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);     /* the snapshot */
	if ((st->flags & STORE_BULK) && st->db && err != NULL)
		rc = db_exec(st, "PRAGMA journal_mode = WAL", err);
	if (st->db && sqlite3_close(st->db) != SQLITE_OK && rc == 0 && err != NULL)
		rc = err_set(err, EX_IOERR, "%s: closing the project failed", st->path);
	free(st->queued);
	buf_release(&st->fwd);
	buf_release(&st->rev);
	buf_release(&st->sym);
	buf_release(&st->src_bt);
	buf_release(&st->bt_tgt);
	free(st->layer);
	free(st->path);
	free(st);
	return rc;
}

/* Make every commit wait for the disk. */
int
store_durable(ferry_store *st, struct ferry_err *err)
{
	return db_exec(st, "PRAGMA synchronous = FULL", err);
}

/* Take the write lock (BEGIN IMMEDIATE). */
int
store_begin(ferry_store *st, struct ferry_err *err)
{
	if (db_exec(st, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	st->in_tx = 1;
	return 0;
}

/* Commit, ending an edit. */
int
store_commit(ferry_store *st, struct ferry_err *err)
{
	/* a first match's waiting rows go in first (store_projections_first) */
	if (st->nqueued && store_queued_flush(st, 1, err) < 0)
		return -1;
	int rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return db_err(st, rc, "committing", err);
	st->in_tx = 0;
	st->edit_seen = -1;
	return 0;
}

/* Roll back whatever transaction is open. */
void
store_rollback(ferry_store *st)
{
	if (st->in_tx)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->nqueued = 0;
	st->in_tx = 0;
	st->edit_seen = -1;
}

/* Step a write statement to completion. */
int
db_step_done(ferry_store *st, sqlite3_stmt *s, const char *what, struct ferry_err *err)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : db_err(st, rc, what, err);
}

/* Read a setting of the meta table. */
int
store_setting_get(ferry_store *st, const char *key, struct buf *out, struct ferry_err *err)
{
	sqlite3_stmt *s = db_stmt(st, ST_SETTING_GET, err);
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

/* Write a setting of the meta table. */
int
store_setting_set(ferry_store *st, const char *key, const char *value, struct ferry_err *err)
{
	sqlite3_stmt *s = db_stmt(st, ST_SETTING_SET, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	return db_step_done(st, s, "writing a setting", err);
}

/* Prepare sql for one run: bind what fmt says, step once, finalize. */
int
db_run(ferry_store *st, const char *sql, struct ferry_err *err, const char *fmt, ...)
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

/* Column i as text, "" for NULL. */
const char *
db_col_text(sqlite3_stmt *s, int i, size_t *len)
{
	const char *t = (const char *)sqlite3_column_text(s, i);

	*len = (size_t)sqlite3_column_bytes(s, i);
	return t ? t : "";
}

const void *
db_col_links(sqlite3_stmt *s, int i, size_t *len, int *binary)
{
	*binary = sqlite3_column_type(s, i) == SQLITE_BLOB;
	if (!*binary)
		return db_col_text(s, i, len);
	const void *b = sqlite3_column_blob(s, i);
	*len = (size_t)sqlite3_column_bytes(s, i);
	return b ? b : "";      /* no bytes */
}

void
db_bind_links(sqlite3_stmt *s, int i, const struct links *l, struct buf *room)
{
	buf_reset(room);
	align_encode(l, room);
	sqlite3_bind_blob(s, i, room->s, (int)room->len, SQLITE_STATIC);
}

int
db_links_decode(const void *data, size_t n, int binary, uint32_t nsrc, uint32_t ntgt,
		struct links *out, struct ferry_err *why)
{
	static const struct align_opts plain = { 0, 0 };

	if (binary)
		return align_decode(data, n, nsrc, ntgt, out, why);
	return align_parse(data, n, &plain, nsrc, ntgt, NULL, 0, out, why) < 0 ? -1 : 0;
}

int
store_sym_method(ferry_store *st, int *m, struct ferry_err *err)
{
	struct buf v = BUF_INIT;
	int rc = store_setting_get(st, "symmetrize", &v, err);

	*m = rc > 0 ? align_sym_parse(buf_cstr(&v)) : -1;
	buf_release(&v);
	return rc < 0 ? -1 : 0;
}
