/*
 * store.h — the project file.  Only store.c speaks SQL; the rest of ferry
 * sees pairs, settings, log entries and statistics.
 *
 * A project is an SQLite database in WAL mode whose application_id is
 * FERRY_APP_ID and whose user_version is the schema version; opening an
 * older project migrates it forward, a newer one is refused.  Writers use
 * BEGIN IMMEDIATE and a busy timeout, so two processes on one file wait
 * for each other instead of failing; a lock held longer than the timeout
 * is reported as EX_TEMPFAIL ("project busy").
 */
#ifndef FERRY_STORE_H
#define FERRY_STORE_H

#include <stdint.h>

#include "ferry/buf.h"
#include "ferry/corpus.h"
#include "ferry/err.h"

#define FERRY_APP_ID 0x46525259          /* "FRRY" */
#define FERRY_SCHEMA_VERSION 1

typedef struct ferry_store ferry_store;

enum store_flags {
	STORE_CREATE   = 1,   /* create the file if it does not exist */
	STORE_READONLY = 2,
	STORE_BULK     = 4,   /* a private new file: no journal, no fsync */
};

/* Open (and create, or migrate) a project.  *out is owned by the caller. */
int store_open(ferry_store **out, const char *path, int flags, struct ferry_err *err);
/* Close; a STORE_BULK project is switched to WAL first. */
int store_close(ferry_store *st, struct ferry_err *err);
const char *store_path(const ferry_store *st);

int store_begin(ferry_store *st, struct ferry_err *err);
int store_commit(ferry_store *st, struct ferry_err *err);
void store_rollback(ferry_store *st);

/* 1 and the value in out when set, 0 when not, -1 on error. */
int store_setting_get(ferry_store *st, const char *key, struct buf *out, struct ferry_err *err);
int store_setting_set(ferry_store *st, const char *key, const char *value, struct ferry_err *err);

/* Append a pair with its source entities and gold; sets p->id. */
int store_pair_add(ferry_store *st, struct pair *p, struct ferry_err *err);
/* Number of pairs, or -1. */
int64_t store_pair_count(ferry_store *st, struct ferry_err *err);

/* What store_iter_next() loads besides the id, status and version. */
enum store_load {
	LOAD_TEXT  = 1,     /* src, tgt, bt tokens */
	LOAD_ENTS  = 2,
	LOAD_GOLD  = 4,
	LOAD_ALIGN = 8,
	LOAD_NER   = 16,
	LOAD_PROJ  = 32,
	LOAD_PINS  = 64,
	LOAD_ALL   = 127,
};

struct store_filter {
	unsigned status_mask;   /* bit (1 << status); 0 means every status */
	int64_t  from, to;      /* pair id range, inclusive; 0 = open */
};

typedef struct store_iter store_iter;

/* Walk pairs in project order; the iterator is owned by the caller. */
int store_iter_open(ferry_store *st, const struct store_filter *f, unsigned load,
		    store_iter **out, struct ferry_err *err);
/* 1 with the next pair in p, 0 at the end, -1 on error. */
int store_iter_next(store_iter *it, struct pair *p, struct ferry_err *err);
void store_iter_free(store_iter *it);

/*
 * Replace the projections of pair `id` with pj, if the pair is still at
 * `version` (else nothing is written: a reviewer changed it meanwhile).
 * Bumps the version.  Returns 1 when written, 0 when stale, -1 on error.
 * Call inside a transaction.
 */
int store_projections_replace(ferry_store *st, int64_t id, int64_t version,
			      const struct projs *pj, struct ferry_err *err);

/*
 * Load the whole lexicon, sorted by (src, tgt, label).  The entries and
 * their strings are owned by *out; free with store_lexicon_release().
 */
int store_lexicon_load(ferry_store *st, struct lexicon *out, struct ferry_err *err);
void store_lexicon_release(struct lexicon *lex);

/* One row of the correction log; strings belong to the store. */
struct log_entry {
	int64_t     id;
	const char *time;       /* ISO 8601, UTC */
	const char *user;
	int64_t     pair;       /* 0 when the action is not about one pair */
	const char *action;
	const char *before;     /* JSON, may be NULL */
	const char *after;
	int         undone;
};

/* Append a log entry by the current user; returns its id, or -1. */
int64_t store_log_add(ferry_store *st, int64_t pair, const char *action,
		      const char *before, const char *after, struct ferry_err *err);
/* Call fn for every entry in order; a non-zero return from fn stops. */
int store_log_each(ferry_store *st, int (*fn)(const struct log_entry *, void *),
		   void *arg, struct ferry_err *err);

/* The user named in the log: $FERRY_USER, else the login name. */
const char *store_user(void);

/* Counts for `ferry stats`; label tables are "LABEL count" pairs. */
struct label_count {
	char    label[FERRY_LABEL_MAX];
	int64_t count;
};

struct store_stats {
	int64_t pairs, src_tokens, tgt_tokens;
	int64_t with_bt, with_rev, with_gold, with_ner;
	int64_t entities, gold, projections, by_reviewer;
	int64_t links_fwd, links_sym;
	int64_t status[STATUS_COUNT];
	int64_t hist[10];          /* projection scores in [0,0.1), ..., [0.9,inf) */
	int64_t log_entries, lexicon;
	struct label_count *ent_labels, *gold_labels, *proj_labels;
	size_t n_ent_labels, n_gold_labels, n_proj_labels;
	char  **settings;          /* key, value, key, value, ... */
	size_t  n_settings;
};

int store_stats(ferry_store *st, struct store_stats *out, struct ferry_err *err);
void store_stats_release(struct store_stats *s);

#endif
