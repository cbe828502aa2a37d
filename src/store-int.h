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
 *   store-source.c multi-source projection: the sources, their sentences,
 *                  entities and own projections
 */
#ifndef FERRY_STORE_INT_H
#define FERRY_STORE_INT_H

#include <sqlite3.h>

#include "ferry/align.h"
#include "ferry/buf.h"
#include "ferry/store.h"

/*
 * The statement cache: the statements below are prepared the first time
 * they are needed and kept for the life of the handle (db_stmt; their SQL
 * is stmt_sql[] in store.c): settings, adding pairs with their entities
 * and gold, replacing projections, loading the lexicon, the log, and
 * reading, parsing and restoring review states, most of which run in
 * loops over pairs, pins or bulk items.  Every other statement (pins,
 * status and lexicon edits, pragmas, iterators, id lists, statistics,
 * part files) is prepared for its one run and finalized (db_run,
 * db_query_int).
 */
/* A strong 64-bit finalizer (splitmix64's): nearby inputs to unrelated outputs (digests, the sample order). */
static inline uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* The most spans one statement inserts (store_pair_add, store_projections_replace). */
#define SPAN_ROWS_MAX 4
/* The most projections one statement inserts for store_projections_first. */
#define QUEUED_ROWS_MAX 16

enum stmt_id {
	ST_SETTING_GET, ST_SETTING_SET,                               /* store.c */
	/* store-pair.c; ST_*_ADD + k - 1 inserts k rows (SPAN_ROWS_MAX) */
	ST_PAIR_ADD, ST_ENTITY_ADD, ST_ENTITY_ADD_LAST = ST_ENTITY_ADD + SPAN_ROWS_MAX - 1, ST_GOLD_ADD,
	ST_GOLD_ADD_LAST = ST_GOLD_ADD + SPAN_ROWS_MAX - 1, ST_PAIR_COUNT,
	ST_PAIR_BUMP, ST_PAIR_FIRST, ST_PAIR_BUMP_OLD, ST_PROJ_DEL,
	ST_PROJ_ADD, ST_PROJ_ADD_LAST = ST_PROJ_ADD + SPAN_ROWS_MAX - 1, ST_PAIR_SCORES,
	/* ST_PROJ_ROWS + k - 1 inserts k projections, each with its pair (QUEUED_ROWS_MAX) */
	ST_PROJ_ROWS, ST_PROJ_ROWS_LAST = ST_PROJ_ROWS + QUEUED_ROWS_MAX - 1,
	ST_LEX_ALL,                                                   /* store-edit.c */
	ST_LOG_ADD, ST_LOG_ADD_OLD, ST_LOG_EACH, ST_PAIR_STATUS, ST_PAIR_PINS,        /* store-undo.c */
	ST_STATE_HEAD, ST_STATE_PINS, ST_STATE_BULK, ST_STATE_LEX,
	ST_PINS_CLEAR, ST_PIN_RESTORE, ST_STATUS_RESTORE, ST_PAIR_COMMENT,
	ST_XSRC_ADD, ST_XENT_ADD, ST_OWN_DEL, ST_OWN_ADD,             /* store-source.c */
	ST_COUNT
};

struct store_ckpt;

struct ferry_store {
	sqlite3      *db;
	char         *path;
	int           flags;
	int           in_tx;
	int64_t       edit_seen;         /* version store_edit_begin checked, or -1 */
	int64_t       schema;            /* its schema version (older only when read-only) */
	char         *layer;             /* a reviewer's independent layer (store_use_layer), NULL: shared */
	sqlite3_stmt *stmt[ST_COUNT];
	/* the Pharaoh columns of the pair store_pair_add is writing */
	struct buf    fwd, rev, sym, src_bt, bt_tgt;
	int           wal_pages;         /* the log's pages that make a checkpoint due (set_modes) */
	struct store_ckpt *ckpt;         /* the checkpointer thread (store-ckpt.c), or NULL */
	/* projections store_projections_first has yet to insert, in order (the caller's memory) */
	struct queued_proj { int64_t pair; const struct proj *p; } *queued;
	size_t        nqueued, queued_cap;
};

/*
 * Fill err from the database's last error (rc) and return -1: busy is
 * EX_TEMPFAIL, a full disk (SQLITE_FULL, or ENOSPC or EDQUOT behind an
 * I/O error) EX_IOERR "PATH: the disk is full (WHAT; ...)", read-only
 * EX_NOPERM "PATH: the project is read-only (...)".
 */
int db_err(ferry_store *st, int rc, const char *what, struct ferry_err *err);
/*
 * Append to out the name to give SQLite for the file path: "./" before a
 * relative path, so that no file name is taken for a URI ("file:x"), an
 * in-memory database (":memory:") or a temporary one ("").  For every
 * sqlite3_open_v2() and ATTACH of a user's file name.
 */
void db_file_name(const char *path, struct buf *out);
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
/* Insert the projections store_projections_first queued: all, or only full statements. */
int store_queued_flush(ferry_store *st, int all, struct ferry_err *err);
/* Step a write statement to completion and reset it. */
int db_step_done(ferry_store *st, sqlite3_stmt *s, const char *what, struct ferry_err *err);
/* Column i as text, never NULL ("" for NULL); its length in *len. */
const char *db_col_text(sqlite3_stmt *s, int i, size_t *len);
/* The symmetrisation the project records (meta symmetrize) into *m, -1 when none. */
int store_sym_method(ferry_store *st, int *m, struct ferry_err *err);
/* Link column i as stored: its bytes (never NULL), their length, and whether they are the binary form. */
const void *db_col_links(sqlite3_stmt *s, int i, size_t *len, int *binary);
/* Bind links as the project stores them (align_encode), built in room (kept until the step). */
void db_bind_links(sqlite3_stmt *s, int i, const struct links *l, struct buf *room);
/* A stored link column: binary (schema 5) or Pharaoh text (older); why says what is wrong. */
int db_links_decode(const void *data, size_t n, int binary, uint32_t nsrc, uint32_t ntgt,
		    struct links *out, struct ferry_err *why);

/*
 * The digest of a pair (LOAD_DIGEST, part files; store-part.c): its
 * stored token columns start it, each source entity is added to it in any
 * order, digest_end() finishes it.  64 bits of a fast non-cryptographic
 * hash: it tells a part's pairs from other contents, not from a forgery.
 */
uint64_t digest_text(const char *src, size_t ns, const char *tgt, size_t nt);
uint64_t digest_entity(int64_t id, int64_t start, int64_t stop, const char *label, size_t len);
uint64_t digest_end(uint64_t acc);

/* Whether st has the multi-source tables (schema 3 or newer), and the layers (4). */
#define HAS_SOURCES(st) ((st)->schema >= 3)
/* The shared pair versions are in pair_version (schema 6), not pair.version; a layer's in lpair. */
#define SHARED_VERSIONS(st) (!(st)->layer && (st)->schema >= 6)
#define HAS_LAYERS(st) ((st)->schema >= 4)

/*
 * Load pair p's further sources (its xs) and, with own, each source's own
 * projection (p->own), for store_iter_next (LOAD_SOURCES).  Two prepared
 * cursors walk the tables in pair order along with the iterator.
 */
struct source_cursor;
struct source_cursor *source_cursor_open(ferry_store *st, int64_t from, int64_t to, int own,
					 struct ferry_err *err);
int source_cursor_load(struct source_cursor *c, struct pair *p, struct ferry_err *err);
/* Reset its statements: it holds no read transaction until reopened. */
void source_cursor_pause(struct source_cursor *c);
void source_cursor_free(struct source_cursor *c);

/* Give a new project its random identity (meta "project_id"; store-part.c). */
int store_new_id(ferry_store *st, struct ferry_err *err);

/* The name of a pin kind, as the pin table and review states spell it. */
const char *pin_kind_name(enum pin_kind k);
/* The kind a name spells, or -1. */
int pin_kind_parse(const char *name);
/* The kind of a pin row: a name no ferry writes (a forged file) is a hand-added span, as the matcher takes it. */
enum pin_kind pin_kind_stored(const char *name);

#endif
