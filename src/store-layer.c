/*
 * store-layer.c — team review: each reviewer's independent layer, the
 * pairs assigned to each reviewer, and what the layers hold for
 * `ferry agreement`.
 *
 * A layer is the reviewer's own status, pins and projections of every
 * pair (tables lpair, lpin, lprojection).  A handle that works in one
 * (store_use_layer) sees it instead of the shared state through three
 * TEMP views named pair, pin and projection: SQLite resolves a name in
 * the temp schema first, so every statement of the store (the iterator,
 * edits, undo, the review lists) reads and writes the layer unchanged,
 * and INSTEAD OF triggers send the writes to the layer's rows (a
 * trigger names its target tables unqualified, as SQLite requires: only
 * main has them).
 *   pair        every pair's text and links, with the layer's status,
 *               reviewer and version (pending and 0 where the layer has
 *               no row yet); only the reviewer's assigned pairs when
 *               `ferry assign` gave the reviewer any
 *   pin         the layer's pins
 *   projection  the layer's projections of the pairs it has a row for,
 *               and the shared projections of the others: a layer starts
 *               from what the project holds
 * The first write to a pair (its version bump) makes its row, and from
 * then on its projections are the layer's own.  A layer learns nothing
 * into the shared lexicon and writes no shared projection of a source,
 * so no reviewer's work reaches another's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/mem.h"
#include "store-int.h"

/* The TEMP views and triggers of a layer; %Q is the layer's name, quoted as SQL. */
static const char layer_sql[] =
	"CREATE TEMP VIEW pair AS SELECT p.id AS id, p.src AS src, p.tgt AS tgt, p.nsrc AS nsrc, p.ntgt AS ntgt,"
	" p.bt AS bt, p.align_fwd AS align_fwd, p.align_rev AS align_rev, p.align_sym AS align_sym,"
	" p.align_src_bt AS align_src_bt, p.align_bt_tgt AS align_bt_tgt, p.ner_tags AS ner_tags,"
	" p.ner_probs AS ner_probs, p.has_gold AS has_gold, coalesce(l.status, 0) AS status,"
	" l.reviewer AS reviewer, l.reviewed_at AS reviewed_at, coalesce(l.version, 0) AS version"
	" FROM main.pair p LEFT JOIN main.lpair l ON l.layer = %Q AND l.pair = p.id"
	" WHERE NOT EXISTS (SELECT 1 FROM main.assignment WHERE reviewer = %Q)"
	" OR p.id IN (SELECT pair FROM main.assignment WHERE reviewer = %Q);"
	"CREATE TEMP TRIGGER pair_update INSTEAD OF UPDATE ON pair BEGIN"
	" INSERT INTO lpair(layer, pair, status, reviewer, reviewed_at, version)"
	" VALUES (%Q, NEW.id, NEW.status, NEW.reviewer, NEW.reviewed_at, NEW.version)"
	" ON CONFLICT(layer, pair) DO UPDATE SET status = excluded.status, reviewer = excluded.reviewer,"
	" reviewed_at = excluded.reviewed_at, version = excluded.version; END;"
	"CREATE TEMP VIEW pin AS SELECT id, pair, entity, kind, start, stop, label, log"
	" FROM main.lpin WHERE layer = %Q;"
	"CREATE TEMP TRIGGER pin_insert INSTEAD OF INSERT ON pin BEGIN"
	" INSERT INTO lpin(layer, pair, entity, kind, start, stop, label)"
	" VALUES (%Q, NEW.pair, NEW.entity, NEW.kind, NEW.start, NEW.stop, NEW.label); END;"
	"CREATE TEMP TRIGGER pin_delete INSTEAD OF DELETE ON pin BEGIN"
	" DELETE FROM lpin WHERE id = OLD.id; END;"
	"CREATE TEMP VIEW projection AS"
	" SELECT id, pair, entity, start, stop, label, score, margin, method, origin, support"
	" FROM main.lprojection WHERE layer = %Q"
	" UNION ALL SELECT -id, pair, entity, start, stop, label, score, margin, method, origin, support"
	" FROM main.projection p WHERE NOT EXISTS (SELECT 1 FROM main.lpair l WHERE l.layer = %Q AND l.pair = p.pair);"
	"CREATE TEMP TRIGGER projection_insert INSTEAD OF INSERT ON projection BEGIN"
	" INSERT INTO lprojection(layer, pair, entity, start, stop, label, score, margin, method, origin, support)"
	" VALUES (%Q, NEW.pair, NEW.entity, NEW.start, NEW.stop, NEW.label, NEW.score, NEW.margin, NEW.method,"
	" NEW.origin, coalesce(NEW.support, 0)); END;"
	"CREATE TEMP TRIGGER projection_delete INSTEAD OF DELETE ON projection BEGIN"
	" DELETE FROM lprojection WHERE id = OLD.id AND layer = %Q; END;";

int
store_use_layer(ferry_store *st, const char *name, struct ferry_err *err)
{
	for (int i = 0; i < ST_COUNT; i++)
		if (st->stmt[i])
			return err_set(err, EX_SOFTWARE, "%s: a layer is chosen before the first statement", st->path);
	if (!HAS_LAYERS(st))
		return err_set(err, EX_NOPERM, "%s: project schema %lld has no reviewer layers (open it once "
			       "read-write, e.g. with ferry review)", st->path, (long long)st->schema);
	char *sql = sqlite3_mprintf(layer_sql, name, name, name, name, name, name, name, name, name, name);
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return db_err(st, rc, "opening the reviewer's layer", err);
	free(st->layer);
	st->layer = xstrdup(name);
	return 0;
}

const char *
store_layer(const ferry_store *st)
{
	return st->layer;
}

int
store_layers(ferry_store *st, char ***out, size_t *n, struct ferry_err *err)
{
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!HAS_LAYERS(st))
		return 0;
	rc = sqlite3_prepare_v2(st->db, "SELECT DISTINCT layer FROM main.lpair ORDER BY layer", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return db_err(st, rc, "reading the layers", err);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		size_t len;
		const char *t = db_col_text(s, 0, &len);
		VEC_GROW(*out, cap, *n + 1);
		(*out)[(*n)++] = xstrndup(t, len);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_err(st, rc, "reading the layers", err);
}

int
store_layer_each(ferry_store *st, int64_t only, int (*fn)(const struct layer_pair *, void *), void *arg,
		 struct ferry_err *err)
{
	sqlite3_stmt *s;
	struct layer_pair lp = { 0 };
	int rc, stop = 0;

	if (!HAS_LAYERS(st))
		return 0;
	/* one row per layer and pair, then its projections in order (none: one row of NULLs) */
	rc = sqlite3_prepare_v2(st->db,
		"SELECT l.layer, l.pair, l.status, p.ntgt, r.start, r.stop, r.label FROM main.lpair l"
		" JOIN main.pair p ON p.id = l.pair"
		" LEFT JOIN main.lprojection r ON r.layer = l.layer AND r.pair = l.pair"
		" WHERE ?1 = 0 OR l.pair = ?1 ORDER BY l.pair, l.layer, r.start, r.id", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return db_err(st, rc, "reading the layers", err);
	sqlite3_bind_int64(s, 1, only);
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		size_t len;
		const char *layer = db_col_text(s, 0, &len);
		int64_t pair = sqlite3_column_int64(s, 1);
		if (lp.pair != pair || strcmp(lp.layer, layer) != 0) {
			if (lp.pair && (stop = fn(&lp, arg)) != 0)
				break;
			snprintf(lp.layer, sizeof lp.layer, "%s", layer);
			lp.pair = pair;
			int v = sqlite3_column_int(s, 2);
			lp.status = v >= 0 && v < STATUS_COUNT ? (enum pair_status)v : STATUS_PENDING;
			lp.ntgt = (uint32_t)sqlite3_column_int64(s, 3);
			spans_reset(&lp.spans);
		}
		if (sqlite3_column_type(s, 4) == SQLITE_NULL)
			continue;
		int64_t a = sqlite3_column_int64(s, 4), b = sqlite3_column_int64(s, 5);
		const char *label = db_col_text(s, 6, &len);
		/* as export writes them: of overlapping spans the first */
		if (a < 0 || b <= a || b > lp.ntgt || (lp.spans.n && (uint32_t)a < lp.spans.v[lp.spans.n - 1].end))
			continue;
		spans_push(&lp.spans, (uint32_t)a, (uint32_t)b, label, len);
	}
	if (!stop && lp.pair && rc == SQLITE_DONE)
		stop = fn(&lp, arg);
	sqlite3_finalize(s);
	spans_release(&lp.spans);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : db_err(st, rc, "reading the layers", err);
}

int
store_assign(ferry_store *st, const char *const *reviewers, const int64_t *const *pairs, const size_t *n,
	     size_t nreviewers, struct ferry_err *err)
{
	if (!HAS_LAYERS(st))
		return err_set(err, EX_SOFTWARE, "%s: no layers in schema %lld", st->path, (long long)st->schema);
	for (size_t r = 0; r < nreviewers; r++) {
		if (db_run(st, "DELETE FROM main.assignment WHERE reviewer = ?1", err, "s", reviewers[r]) < 0)
			return -1;
		for (size_t i = 0; i < n[r]; i++)
			if (db_run(st, "INSERT INTO main.assignment(reviewer, pair) VALUES (?1, ?2)", err, "si", reviewers[r],
				   pairs[r][i]) < 0)
				return -1;
	}
	return 0;
}
