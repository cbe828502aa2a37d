/*
 * store-int.h — what the store's files share and nobody else sees: the
 * handle, the statement cache and the small helpers around SQLite.  Only
 * src/store*.c include it (and <sqlite3.h>); the rest of ferry knows the
 * store through include/ferry/store.h.
 *
 * Who owns what:
 *   store.c        open, schema and migrations, transactions, settings,
 *                  the statement cache and the helpers below
 *   store-pair.c   pairs in and out: adding, iterating, decoding,
 *                  projections, the lists of pair ids
 *   store-edit.c   reviewer edits: the edit transaction, pins, status,
 *                  the lexicon
 *   store-undo.c   the log, undo and redo, the review state and its JSON
 *   store-part.c   part files of sharded matches and their merge
 *   store-stats.c  the counts of ferry stats
 */
#ifndef FERRY_STORE_INT_H
#define FERRY_STORE_INT_H

#include <sqlite3.h>

#include "ferry/buf.h"
#include "ferry/store.h"

/*
 * The statements run once per pair, pin or edit are prepared the first
 * time they are needed and kept for the life of the handle (db_stmt);
 * their SQL is stmt_sql[] in store.c.  Everything else is prepared for one
 * run and finalized (db_run, db_query_int).
 */
enum stmt_id {
	ST_SETTING_GET, ST_SETTING_SET, ST_PAIR_ADD, ST_ENTITY_ADD, ST_GOLD_ADD,
	ST_PAIR_COUNT, ST_LOG_ADD, ST_LOG_EACH, ST_PAIR_BUMP, ST_PROJ_DEL, ST_PROJ_ADD,
	ST_LEX_ALL, ST_COUNT
};

struct ferry_store {
	sqlite3      *db;
	char         *path;
	int           flags;
	int           in_tx;
	int64_t       edit_seen;         /* version store_edit_begin checked, or -1 */
	sqlite3_stmt *stmt[ST_COUNT];
	/* the Pharaoh columns of the pair store_pair_add is writing */
	struct buf    fwd, rev, sym, src_bt, bt_tgt;
};

/* Fill err from the database's last error (rc); busy is EX_TEMPFAIL.  Returns -1. */
int db_err(ferry_store *st, int rc, const char *what, struct ferry_err *err);
/* The cached statement id, reset and unbound; NULL (err) when it cannot be prepared. */
sqlite3_stmt *db_stmt(ferry_store *st, enum stmt_id id, struct ferry_err *err);
/* Run SQL without results (schema, pragmas, transactions). */
int db_exec(ferry_store *st, const char *sql, struct ferry_err *err);
/* Read one integer (a pragma, a count) into out; arg, when not NULL, is bound to ?1. */
int db_query_int_bound(ferry_store *st, const char *sql, const int64_t *arg, int64_t *out,
		       struct ferry_err *err);
int db_query_int(ferry_store *st, const char *sql, int64_t *out, struct ferry_err *err);
/*
 * Prepare sql, bind the arguments fmt describes ('i' int64_t, 'd' double,
 * 's' string, NULL binds NULL), step it once and finalize it.
 */
int db_run(ferry_store *st, const char *sql, struct ferry_err *err, const char *fmt, ...);
/* Step a write statement to completion and reset it. */
int db_step_done(ferry_store *st, sqlite3_stmt *s, const char *what, struct ferry_err *err);
/* Step s once into out (its first column as text) and finalize it: 1 row, 0 none, -1 error. */
int db_step_text(ferry_store *st, sqlite3_stmt *s, struct buf *out, const char *what,
		 struct ferry_err *err);
/* Step s to the end, collecting its first column into ids; finalizes s. */
int db_collect_ids(ferry_store *st, sqlite3_stmt *s, int64_t **ids, size_t *n, struct ferry_err *err);
/* Column i as text, never NULL ("" for NULL); its length in *len. */
const char *db_col_text(sqlite3_stmt *s, int i, size_t *len);

#endif
