/*
 * store-edit.c — what a reviewer's edit writes: the edit transaction with
 * its version check, pins (and the one table of pin kind names), the
 * pair's status and the learned lexicon.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/mem.h"
#include "store-int.h"

/* The names of enum pin_kind in the pin table and in review states. */
static const char *const pin_kinds[] = {
	[PIN_ACCEPT] = "accept", [PIN_FORBID] = "forbid", [PIN_NONE] = "none", [PIN_ADD] = "add",
};

/* The name of a kind, for SQL and JSON. */
const char *
pin_kind_name(enum pin_kind k)
{
	return pin_kinds[k];
}

/* The kind a name spells, or -1. */
int
pin_kind_parse(const char *name)
{
	for (size_t k = 0; k < sizeof pin_kinds / sizeof *pin_kinds; k++)
		if (name && strcmp(name, pin_kinds[k]) == 0)
			return (int)k;
	return -1;
}

/* The kind of a row of the pin table, unknown names read as hand-added spans. */
enum pin_kind
pin_kind_stored(const char *name)
{
	int k = pin_kind_parse(name);

	return k < 0 ? PIN_ADD : (enum pin_kind)k;
}

/* Read the whole lexicon, sorted, for the matcher. */
int
store_lexicon_load(ferry_store *st, struct lexicon *out, struct ferry_err *err)
{
	sqlite3_stmt *s = db_stmt(st, ST_LEX_ALL, err);
	struct lex_entry *v = NULL;
	size_t n = 0, cap = 0, len;
	int rc;

	memset(out, 0, sizeof *out);
	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		VEC_GROW(v, cap, n + 1);
		const char *t = db_col_text(s, 0, &len);
		v[n].src = xstrndup(t, len);
		t = db_col_text(s, 1, &len);
		v[n].tgt = xstrndup(t, len);
		t = db_col_text(s, 2, &len);
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

/* Free what store_lexicon_load() made. */
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

/* Take the write lock for an edit of pair, if it is still at version. */
int
store_edit_begin(ferry_store *st, int64_t pair, int64_t version, struct ferry_err *err)
{
	int64_t v = -1;

	if (store_begin(st, err) < 0)
		return -1;
	if (db_query_int_bound(st, SHARED_VERSIONS(st) ? "SELECT coalesce((SELECT version FROM pair_version WHERE pair = ?1), 0) "
			       "FROM pair WHERE id = ?1" : "SELECT version FROM pair WHERE id = ?1", &pair, &v, err) < 0) {
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

/* Record a reviewer decision, replacing the entity's earlier one. */
int
store_pin_add(ferry_store *st, int64_t pair, enum pin_kind kind, int64_t entity, uint32_t start,
	      uint32_t stop, const char *label, struct ferry_err *err)
{
	const char *accept = pin_kind_name(PIN_ACCEPT), *none = pin_kind_name(PIN_NONE);

	if (entity > 0 && kind != PIN_FORBID &&
	    db_run(st, "DELETE FROM pin WHERE pair = ?1 AND entity = ?2 AND kind IN (?3, ?4)",
		   err, "iiss", pair, entity, accept, none) < 0)
		return -1;
	/* forbidding a span the reviewer had accepted takes the acceptance back */
	if (entity > 0 && kind == PIN_FORBID &&
	    db_run(st, "DELETE FROM pin WHERE pair = ?1 AND entity = ?2 AND kind = ?5 "
		   "AND start = ?3 AND stop = ?4", err, "iiiis", pair, entity, (int64_t)start, (int64_t)stop,
		   accept) < 0)
		return -1;
	return db_run(st, "INSERT INTO pin(pair, entity, kind, start, stop, label) "
		       "VALUES (?1, nullif(?2, 0), ?3, ?4, ?5, ?6)", err, "iisiis",
		       pair, entity, pin_kind_name(kind), (int64_t)start, (int64_t)stop, label);
}

/* Remove an entity's pins, or the hand-added spans over [start, stop). */
int
store_pins_remove(ferry_store *st, int64_t pair, int64_t entity, uint32_t start, uint32_t stop,
		  struct ferry_err *err)
{
	if (entity > 0)
		return db_run(st, "DELETE FROM pin WHERE pair = ?1 AND entity = ?2", err, "ii", pair, entity);
	return db_run(st, "DELETE FROM pin WHERE pair = ?1 AND kind = ?4 AND start < ?3 AND ?2 < stop",
		       err, "iiis", pair, (int64_t)start, (int64_t)stop, pin_kind_name(PIN_ADD));
}

/* A pair's status: 1 with it in *out, 0 when there is no such pair, -1 on error. */
int
store_pair_status(ferry_store *st, int64_t pair, enum pair_status *out, struct ferry_err *err)
{
	sqlite3_stmt *s = db_stmt(st, ST_PAIR_STATUS, err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, pair);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		int64_t v = sqlite3_column_int64(s, 0);
		*out = v >= 0 && v < STATUS_COUNT ? (enum pair_status)v : STATUS_PENDING;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_err(st, rc, "reading a pair's status", err);
	return rc == SQLITE_ROW;
}

/* Set a pair's status, and who set it when. */
int
store_status_set(ferry_store *st, int64_t pair, enum pair_status status, struct ferry_err *err)
{
	return db_run(st, "UPDATE pair SET status = ?2, reviewer = ?3, "
		       "reviewed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1", err, "iis",
		       pair, (int64_t)status, store_user());
}

/* Add delta to a lexicon count; a count reaching 0 removes the row. */
int
store_lexicon_bump(ferry_store *st, const char *src, const char *tgt, const char *label, double delta,
		   struct ferry_err *err)
{
	if (st->layer)
		return 0;       /* a reviewer's own layer teaches the shared lexicon nothing */
	if (db_run(st, "INSERT INTO lexicon(src, tgt, label, count) VALUES (?1, ?2, ?3, ?4) "
		    "ON CONFLICT(src, tgt, label) DO UPDATE SET count = count + excluded.count",
		    err, "sssd", src, tgt, label, delta) < 0)
		return -1;
	return db_run(st, "DELETE FROM lexicon WHERE src = ?1 AND tgt = ?2 AND label = ?3 AND count <= 0",
		       err, "sss", src, tgt, label);
}

