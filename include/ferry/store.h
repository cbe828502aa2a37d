/*
 * store.h — the project file.  Only the store (src/store*.c) speaks SQL;
 * the rest of ferry sees pairs, settings, log entries and statistics.
 *
 * A project is an SQLite database in WAL mode whose application_id is
 * FERRY_APP_ID and whose user_version is the schema version; opening an
 * older project migrates it forward, a newer one is refused.  Writers use
 * BEGIN IMMEDIATE and a busy timeout, so two processes on one file wait
 * for each other instead of failing; a lock held longer than the timeout
 * is reported as EX_TEMPFAIL ("project busy").
 *
 * A read-only handle reads one snapshot, the project as it was when it
 * was opened, whatever others write meanwhile: it holds one read
 * transaction until it is closed.  It reads a project it cannot write
 * (a read-only file, directory or mount); see store_open().
 */
#ifndef FERRY_STORE_H
#define FERRY_STORE_H

#include <stdint.h>

#include "ferry/buf.h"
#include "ferry/corpus.h"
#include "ferry/err.h"

#define FERRY_APP_ID 0x46525259          /* "FRRY" */
#define FERRY_SCHEMA_VERSION 6

typedef struct ferry_store ferry_store;

enum store_flags {
	STORE_CREATE   = 1,   /* create the file if it does not exist */
	STORE_READONLY = 2,   /* read one snapshot; write nothing */
	STORE_BULK     = 4,   /* a private new file: no journal, no fsync */
	STORE_UNCHECKED = 8,  /* no foreign-key checks: every row written refers to rows read (see set_modes) */
};

/*
 * Open (and create, or migrate) a project.  *out is owned by the caller.
 * PATH is a file name, never an SQLite URI or ":memory:".  Without
 * STORE_READONLY, a project this user cannot write (the file, or the
 * directory its write-ahead log goes in) is refused before anything is
 * done, EX_NOPERM, "PATH: the project is read-only (...)".  With it, the
 * project is read where its log and index (PATH-wal, PATH-shm) cannot be
 * created, as long as the log holds nothing; a log with changes that
 * cannot be read is refused, EX_TEMPFAIL, "the project is being written".
 * Here and in every later call, a full disk is EX_IOERR, "PATH: the disk
 * is full (...)".
 */
int store_open(ferry_store **out, const char *path, int flags, struct ferry_err *err);
/* Close; a STORE_BULK project is switched to WAL first. */
int store_close(ferry_store *st, struct ferry_err *err);
const char *store_path(const ferry_store *st);

/*
 * Checkpoint the log in a thread of its own from now on, not in the
 * commits that fill it (store-ckpt.c): for a long run of writes.  Nothing
 * for a read-only or bulk handle.  store_close stops it.
 */
int store_ckpt_start(ferry_store *st, struct ferry_err *err);
void store_ckpt_stop(ferry_store *st);

/* Every commit reaches the disk before it returns (review edits). */
int store_durable(ferry_store *st, struct ferry_err *err);
int store_begin(ferry_store *st, struct ferry_err *err);
int store_commit(ferry_store *st, struct ferry_err *err);
void store_rollback(ferry_store *st);

/* 1 and the value in out when set, 0 when not, -1 on error. */
int store_setting_get(ferry_store *st, const char *key, struct buf *out, struct ferry_err *err);
int store_setting_set(ferry_store *st, const char *key, const char *value, struct ferry_err *err);

/* Append a pair with its source entities and gold; sets p->id. */
int store_pair_add(ferry_store *st, struct pair *p, struct ferry_err *err);
/*
 * Put p's links in the form the project stores them into p->raw, for a
 * later store_pair_add to bind as they are: any thread, no store needed
 * (import's reader thread does it while the links are in its cache).
 * Changing p's links after it, until pair_reset, is not seen.
 */
void store_pair_encode(struct pair *p);
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
	/* copy the text, alignment and NER columns into p->raw and leave
	   decoding them to store_pair_decode(), which any thread may call */
	LOAD_DEFER = 128,
	/* p->digest: what the pair's projections refer to, its tokens and
	   its entities (ids, spans, labels), hashed as stored; with
	   LOAD_TEXT and LOAD_ENTS (part files record it, merge checks it) */
	LOAD_DIGEST = 256,
	/* p->xs, the further sources of a multi-source project; with
	   LOAD_PROJ also p->own, each source's own projection and the
	   projections' support */
	LOAD_SOURCES = 512,
	/* with LOAD_ALIGN: leave p->sym empty where the project does not
	   store it but makes it from fwd and rev (schema 5), for a caller
	   that matches without it (links other than sym) */
	LOAD_NO_SYM = 1024,
	/* with LOAD_TEXT alone (no LOAD_ALIGN): the tokens of one side only,
	   the other's and the back-translation's left empty (export); with
	   LOAD_NO_VERSION too, has_bt, has_rev and has_ner are left 0 */
	LOAD_SRC_ONLY = 2048,
	LOAD_TGT_ONLY = 4096,
	/* p->version left 0, without a look-up for each pair (a reader that
	   writes nothing back: export, eval) */
	LOAD_NO_VERSION = 8192,
	/* with LOAD_TEXT or LOAD_ALIGN: no back-translation, its tokens
	   and links not read and has_bt left 0 (a match that does not
	   refine links by it) */
	LOAD_NO_BT = 16384,
};

struct store_filter {
	unsigned status_mask;   /* bit (1 << status); 0 means every status */
	int64_t  from, to;      /* pair id range, inclusive; 0 = open */
};

typedef struct store_iter store_iter;

/* Walk pairs in project order; the iterator is owned by the caller. */
int store_iter_open(ferry_store *st, const struct store_filter *f, unsigned load,
		    store_iter **out, struct ferry_err *err);
/* 1 with the next pair in p, 0 at the end (and on every call after it), -1 on error. */
int store_iter_next(store_iter *it, struct pair *p, struct ferry_err *err);
void store_iter_free(store_iter *it);
/* Walk pairs [from, to] again (0: open) with the same cursors, as if opened anew: for many short walks. */
int store_iter_seek(store_iter *it, int64_t from, int64_t to, struct ferry_err *err);
/* Stop a walk where it is, so that it holds no read transaction (a writer's next one would see its stale
   snapshot as busy); store_iter_seek starts the next. */
void store_iter_pause(store_iter *it);
/* Decode what store_iter_next() left in p->raw (LOAD_DEFER); touches no
   database, so worker threads call it.  path names the project in errors. */
int store_pair_decode(struct pair *p, const char *path, struct ferry_err *err);
/*
 * Instead of decoding, for a reader that only walks a side's tokens (the
 * exporter): the source's (source != 0) or the target's tokens as stored
 * in p->raw, joined by single spaces, into *s and *len, and their count,
 * checked against the one the project records, into *n.  A side not
 * loaded has none.  0, or -1 (EX_DATAERR) on a count that differs.
 */
int store_pair_joined(const struct pair *p, int source, const char *path, const char **s, size_t *len,
		      uint32_t *n, struct ferry_err *err);

/*
 * Replace the projections of pair `id` with pj, if the pair is still at
 * `version` (else nothing is written: a reviewer changed it meanwhile).
 * Bumps the version.  `none_before`: the caller read the pair at
 * `version` with no projection, so there is nothing to delete (every
 * writer of projections bumps the version).  Returns 1 when written, 0
 * when stale, -1 on error.  Call inside a transaction.
 */
int store_projections_replace(ferry_store *st, int64_t id, int64_t version, int none_before,
			      const struct projs *pj, struct ferry_err *err);
/*
 * store_projections_replace(st, id, 0, 1, pj, err) for a pair read at
 * version 0 with no projection (a first match), but its rows may wait,
 * with other such pairs', to go in a few statements for many pairs: pj
 * must stay as it is until store_commit(), which inserts them (a
 * rollback drops them).  The rows, and their ids, are those
 * store_projections_replace would have written.
 */
int store_projections_first(ferry_store *st, int64_t id, const struct projs *pj, struct ferry_err *err);

/*
 * Load the whole lexicon, sorted by (src, tgt, label).  The entries and
 * their strings are owned by *out; free with store_lexicon_release().
 */
int store_lexicon_load(ferry_store *st, struct lexicon *out, struct ferry_err *err);
void store_lexicon_release(struct lexicon *lex);

/*
 * Reviewer edits.  An edit is one transaction: store_edit_begin() takes
 * the write lock and checks that the pair is still at the version the
 * reviewer saw (returns 1, nothing held, when it is not: the caller
 * reloads and says so); the changes follow; store_projections_replace()
 * with the same version bumps it; store_commit() ends the edit.
 */
int store_edit_begin(ferry_store *st, int64_t pair, int64_t version, struct ferry_err *err);
/*
 * Record a reviewer decision on the entity with id `entity` (0 for
 * PIN_ADD): the target span [start, stop) (0, 0 for PIN_NONE) with its
 * label (NULL for PIN_NONE).  Any earlier accept/none pin of the same
 * entity is replaced (an entity has one decision); forbid pins add up,
 * and forbidding an accepted span takes the acceptance back.
 */
int store_pin_add(ferry_store *st, int64_t pair, enum pin_kind kind, int64_t entity,
		  uint32_t start, uint32_t stop, const char *label, struct ferry_err *err);
/* Remove pins of a pair: of one entity (entity > 0), or hand-added ones over [start, stop). */
int store_pins_remove(ferry_store *st, int64_t pair, int64_t entity, uint32_t start, uint32_t stop,
		      struct ferry_err *err);
int store_status_set(ferry_store *st, int64_t pair, enum pair_status s, struct ferry_err *err);
/* A pair's status (one no ferry writes reads as pending): 1 with it in *out, 0 when there is no such pair, -1. */
int store_pair_status(ferry_store *st, int64_t pair, enum pair_status *out, struct ferry_err *err);
/* Add delta to the lexicon count of src -> tgt (label); rows reaching 0 go. */
int store_lexicon_bump(ferry_store *st, const char *src, const char *tgt, const char *label,
		       double delta, struct ferry_err *err);

/*
 * Review states: what undo puts back.  A pair's state is its status and
 * its pins in the order they were made.  A reviewer action is logged with
 * the state of its pair before and after it, and the after also holds the
 * lexicon changes the action made (undo takes them back out).  Accepting
 * every pair above a score is one action on many pairs: its states are
 * bulk, one item per pair.
 *
 * The log keeps a state as JSON; undo reads entries written by every
 * earlier ferry, so the form stays as it is:
 *   {"status":1,"pins":[["accept",12,0,2,"PER"],["none",13,0,0,""]],
 *    "lex":[["Anna Becker","Anna Becker","PER",1]]}
 *   {"bulk":[[9,{"status":1,"pins":[...]}],[11,{...}]],"lex":[...]}
 *   {"status":4,"pins":[],"comment":"wrong boundary"}
 * with "lex" only when there are changes, and "comment" only in the
 * "after" of an action that leaves the pair flagged with a reason (:flag
 * TEXT): undo does not need it (the entry being undone or not says
 * whether it counts), store_pair_comment() reads it.
 * undo_state_format() writes the text and store_state_parse() reads
 * it; nothing else touches it.
 */
struct state_pin {
	enum pin_kind kind;
	int64_t  entity;           /* entity id in the project; 0 for PIN_ADD */
	int64_t  start, stop;      /* target span; 0, 0 for PIN_NONE */
	char    *label;            /* owned; "" for PIN_NONE */
};

struct pair_state {
	int64_t           pair;
	enum pair_status  status;
	struct state_pin *pins;
	size_t            n_pins, cap_pins;
};

/* A lexicon change: count added to src -> tgt (label).  The strings are owned. */
struct lex_delta {
	char  *src, *tgt, *label;
	double count;
};

/* A log entry's "before" or "after".  A zeroed one is empty and single. */
struct undo_state {
	int                bulk;       /* the states of several pairs (accept-above) */
	struct pair_state *items;      /* exactly one unless bulk */
	size_t             n_items, cap_items;
	struct lex_delta  *lex;
	size_t             n_lex, cap_lex;
	char              *comment;    /* owned, NULL for none: the reason of a flag (single "after" only) */
};

/* A new, empty pair state at the end of u's items; u owns it. */
struct pair_state *undo_state_add(struct undo_state *u);
/* Record a lexicon change in u; the strings are copied. */
void undo_state_learn(struct undo_state *u, const char *src, const char *tgt, const char *label,
		      double count);
/* Append u's JSON form (above) to out. */
void undo_state_format(const struct undo_state *u, struct buf *out);
/* Free the contents; u is left empty (and single). */
void undo_state_release(struct undo_state *u);
void pair_state_release(struct pair_state *s);
/* 1 when a and b hold the same status and pins. */
int pair_state_equal(const struct pair_state *a, const struct pair_state *b);

/* Read the state of pair into out (its old contents released). */
int store_pair_state(ferry_store *st, int64_t pair, struct pair_state *out, struct ferry_err *err);
/*
 * Read a state from its JSON: of pair (> 0), or a bulk state (pair 0),
 * into out (its old contents released).  A damaged one is EX_DATAERR.
 */
int store_state_parse(ferry_store *st, const char *json, int64_t pair, struct undo_state *out,
		      struct ferry_err *err);
/* Put a pair (s->pair) back into state s. */
int store_state_restore(ferry_store *st, const struct pair_state *s, struct ferry_err *err);
/* Apply u's lexicon changes, times sign (+1 or -1). */
int store_state_lexicon(ferry_store *st, const struct undo_state *u, int sign, struct ferry_err *err);

/*
 * Undo and redo walk the log of one user's reviewer actions: undo takes
 * the newest entry not undone; redo the oldest undone entry newer than
 * every active one.  A new action makes undone entries unredoable.
 * Returns 1 with the entry's id, pair (0 for a bulk entry) and state to
 * put back (its "before" for undo, "after" for redo) and its "after" (for
 * the lexicon); 0 when there is none, -1 on error (a damaged state too).
 */
int store_undo_find(ferry_store *st, const char *user, int redo, int64_t *log_id, int64_t *pair,
		    struct undo_state *state, struct undo_state *after, struct ferry_err *err);
/*
 * The pairs whose newest active action (in this handle's layer) was a
 * bulk :accept-above, sorted: accepted by a rule, not by a reviewer
 * looking at them.  *ids is the caller's.
 */
int store_bulk_accepted(ferry_store *st, int64_t **ids, size_t *n, struct ferry_err *err);
/* The action of log entry log_id ("accept", "fix", ...) into out (cap bytes, "" if there is none); 0 or -1. */
int store_log_action_name(ferry_store *st, int64_t log_id, char *out, size_t cap, struct ferry_err *err);
/* Mark a log entry undone (1), redone (0). */
int store_log_mark(ferry_store *st, int64_t log_id, int undone, struct ferry_err *err);
/* A new action: the user's undone entries can no longer be redone. */
int store_log_forget_redo(ferry_store *st, const char *user, struct ferry_err *err);
/*
 * The reason a flagged pair carries: the "comment" of its newest active
 * reviewer entry (an undone flag's reason is gone with it; a forged or
 * damaged entry reads as none).  1 with it in out, 0 when there is none,
 * -1.  Reads the log from its end: call it for flagged pairs only.
 */
int store_pair_comment(ferry_store *st, int64_t pair, struct buf *out, struct ferry_err *err);
/* Call fn(pair, comment, arg) for every flagged pair that has one, in pair order, in one pass. */
int store_comments_each(ferry_store *st, int (*fn)(int64_t pair, const char *comment, void *arg), void *arg,
			struct ferry_err *err);
/* Log a reviewer action (undoable) on pair (0 for a bulk one) with its states; returns its id or -1. */
int64_t store_log_action(ferry_store *st, int64_t pair, const char *action, const struct undo_state *before,
			 const struct undo_state *after, struct ferry_err *err);

/*
 * Pair ids to review, in order: corpus order, least margin first or
 * least score first, filtered by status mask, label (an entity or
 * projection with that label) and projections scoring below a bound
 * (score_below < 0: no bound).  ORDER_SAMPLE puts the pending pairs in
 * a random order (a shuffle seeded by the project's identity, so every
 * session and reviewer of the project walks the same one: its first k
 * pairs are a uniform random sample), the rest after in corpus order.
 * The ranked orders rank only what is left
 * to decide, the pending pairs with entities (those without a matcher's
 * projection first); the others follow in corpus order.
 */
enum review_order { ORDER_CORPUS, ORDER_MARGIN, ORDER_SCORE, ORDER_SAMPLE, ORDER_COUNT };

int store_review_ids(ferry_store *st, unsigned status_mask, const char *label, double score_below,
		     enum review_order order, int64_t **ids, size_t *n, struct ferry_err *err);
/*
 * The score and margin of each projection the matcher made of pair (none a
 * reviewer added), by start: (*sm)[2i] and (*sm)[2i + 1] for i < *n; *sm
 * (of *cap doubles) is the caller's, grown as needed and reused.
 */
int store_pair_scores(ferry_store *st, int64_t pair, double **sm, size_t *cap, size_t *n, struct ferry_err *err);
/* Pairs reviewed (status other than pending) and in all. */
int store_progress(ferry_store *st, int64_t *reviewed, int64_t *total, struct ferry_err *err);
/* Pending pairs whose source text contains `text` (candidates for re-scoring). */
int store_pairs_containing(ferry_store *st, const char *text, int64_t **ids, size_t *n,
			   struct ferry_err *err);

/*
 * Shards.  `ferry match --shard I/N --output PART` writes its results to
 * a part file instead of the project (which it only reads), so shards can
 * run on other machines; `ferry merge` applies parts in one transaction,
 * skipping pairs whose version changed since the part was made.
 * A part file is an SQLite database with application_id FERRY_PART_ID:
 *   meta(key, value)   format, pairs and entities of the project, shard,
 *                      project (the project's identity), match settings
 *   matched(pair, version, digest)   every pair the shard did, with the
 *                      digest of its contents (LOAD_DIGEST)
 *   result(pair, entity, start, stop, label, score, margin, method, origin)
 * A project's identity is a random id it gets at creation (meta
 * "project_id"); one made before ferry gave ids is known by its first log
 * entry.  A copy of a project file is the same project.
 */
#define FERRY_PART_ID 0x46525250              /* "FRRP" */

/* Create the part file path (new: the caller makes sure) for project's pairs. */
int store_part_create(ferry_store **out, const char *path, ferry_store *project, const char *shard,
		      struct ferry_err *err);
/* Record one matched pair (loaded with LOAD_DIGEST) and its projections in a part. */
int store_part_add(ferry_store *part, const struct pair *p, const struct projs *pj, struct ferry_err *err);
/* Finish a part: its match settings.  Closes nothing. */
int store_part_finish(ferry_store *part, const char *settings, struct ferry_err *err);
/*
 * Merging.  store_merge_add() stages one part, outside any transaction:
 * it must be a finished part of this project (its identity, and the pair
 * and entity counts it was made with) — else EX_DATAERR naming it — and
 * its settings and shard go to the buffers; the project is not changed.
 * Then, inside the caller's transaction (store_begin), store_merge_verify()
 * checks that every staged pair still has the contents its part was made
 * from (EX_DATAERR naming the part and the pair), and store_merge_apply()
 * applies the idx-th staged part (1-based): the pairs still at the version
 * it matched get its projections (*merged), the others are left alone
 * (*stale).  store_merge_end() drops what was staged.
 */
int store_merge_add(ferry_store *st, const char *part, struct buf *settings, struct buf *shard,
		    struct ferry_err *err);
int store_merge_verify(ferry_store *st, struct ferry_err *err);
int store_merge_apply(ferry_store *st, int idx, int64_t *merged, int64_t *stale, struct ferry_err *err);
void store_merge_end(ferry_store *st);

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

/*
 * Multi-source projection.  A project's first source is the pair table's
 * own; `ferry add-source` adds more (up to FERRY_SOURCES_MAX in all),
 * each with its language, its sentence, entities and links for every
 * pair (store_xsource_add; p->xs when loaded with LOAD_SOURCES).  A
 * project that was never given one is single-source: store_sources()
 * lists only the first, and nothing else changes.
 */
struct source_info {
	int     id;                     /* 0 the first source, then 1, 2, ... */
	char    lang[FERRY_LANG_MAX];   /* the first source's is setting src_lang ("src" when unset) */
	char    aligner[64];            /* what made its links: "given", "ferry ..." */
	double  reliability;            /* estimated by the last fused match; < 0: none yet */
	int64_t pairs, entities;
};

/* The sources in id order into *out (the caller frees it); *n >= 1. */
int store_sources(ferry_store *st, struct source_info **out, size_t *n, struct ferry_err *err);
/*
 * A new source in language lang (the first source's row is written too
 * when this is the first added): its id in *id.  A language the project
 * has as a source or as its target is refused (EX_DATAERR).  Call inside
 * a transaction.
 */
int store_source_add(ferry_store *st, const char *lang, const char *aligner, int *id, struct ferry_err *err);
/* Source x->source's sentence, entities and links of pair `pair` (in a transaction). */
int store_xsource_add(ferry_store *st, int64_t pair, const struct xsrc *x, struct ferry_err *err);
/* Record the reliability a fused match estimated for source id (in a transaction). */
int store_source_reliability(ferry_store *st, int id, double r, struct ferry_err *err);
/* Replace pair's own projections of every source (after store_projections_replace wrote the pair). */
int store_own_replace(ferry_store *st, int64_t pair, const struct sprojs *own, struct ferry_err *err);

/*
 * Team review (src/store-layer.c).  A reviewer's independent layer holds
 * their own statuses, pins, projections and undo history of every pair;
 * store_use_layer(), called right after store_open(), makes the handle
 * read and write that layer instead of the shared state (every call
 * below and above then works on it), so reviewers in their own layers
 * never see or refuse each other's edits.  Assigned pairs (ferry
 * assign) restrict a reviewer's layer to their share.
 */
#define FERRY_LAYER_MAX 64

int store_use_layer(ferry_store *st, const char *name, struct ferry_err *err);
/* The handle's layer, NULL for the shared state. */
const char *store_layer(const ferry_store *st);
/* The names of the layers that hold anything, sorted (the caller frees each and the array). */
int store_layers(ferry_store *st, char ***out, size_t *n, struct ferry_err *err);

/* One pair as a layer holds it: its status and its projections as export writes them. */
struct layer_pair {
	char     layer[FERRY_LAYER_MAX];
	int64_t  pair;
	enum pair_status status;
	uint32_t ntgt;
	struct spans spans;
};

/* Call fn for every pair (only that pair if only > 0) of every layer, by pair then layer; a non-zero return stops. */
int store_layer_each(ferry_store *st, int64_t only, int (*fn)(const struct layer_pair *, void *), void *arg,
		     struct ferry_err *err);
/* Layer's status and pins of pair (pending and none where it has no row), as store_pair_state reads the shared. */
int store_layer_state(ferry_store *st, const char *layer, int64_t pair, struct pair_state *out,
		      struct ferry_err *err);
/* Replace the assignments of each reviewer (reviewers[r] gets pairs[r][0 .. n[r])); in a transaction. */
int store_assign(ferry_store *st, const char *const *reviewers, const int64_t *const *pairs, const size_t *n,
		 size_t nreviewers, struct ferry_err *err);

/* Counts for `ferry stats`; label tables are "LABEL count" pairs. */
#define STORE_HIST_BINS 10         /* bins of the projection score histogram */
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
	int64_t hist[STORE_HIST_BINS];  /* projection scores in [0,0.1), ..., [0.9,inf); spans added by hand have none */
	int64_t log_entries, lexicon;
	struct label_count *ent_labels, *gold_labels, *proj_labels;
	size_t n_ent_labels, n_gold_labels, n_proj_labels;
	char  **settings;          /* key, value, key, value, ... */
	size_t  n_settings;
	struct source_info *sources;   /* store_sources(): one for a single-source project */
	size_t  n_sources;
};

int store_stats(ferry_store *st, struct store_stats *out, struct ferry_err *err);
void store_stats_release(struct store_stats *s);

/*
 * The project's tag set: every label of its source entities, its target
 * gold and its reviewers' pins (a label a reviewer added), sorted, no
 * two alike (the counts are not kept).  *out is the caller's (free it).
 * The entity and gold labels are kept in the project by
 * store_labels_remember(), which an import calls in its transaction; a
 * project imported before is scanned (once a session: it is slow).
 */
int store_labels(ferry_store *st, struct label_count **out, size_t *n, struct ferry_err *err);
int store_labels_remember(ferry_store *st, struct ferry_err *err);
/*
 * The labels add[0..n) of the entities and gold an import has just
 * written (in its transaction) join the kept tag set, without a scan: a
 * fresh project's set is theirs; a project with no kept set (imported
 * before there was one) is scanned as store_labels_remember() does.
 */
int store_labels_add(ferry_store *st, const struct label_count *add, size_t n, int fresh, struct ferry_err *err);

#endif
