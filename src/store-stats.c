/* store-stats.c — the counts `ferry stats` prints, one query each. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/mem.h"
#include "store-int.h"

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
		const char *l = db_col_text(s, 0, &len);
		snprintf((*out)[*n].label, FERRY_LABEL_MAX, "%.*s", (int)len, l);
		(*out)[*n].count = sqlite3_column_int64(s, 1);
		(*n)++;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_err(st, rc, "reading statistics", err);
}

/* The counts of struct store_stats that are one number each. */
static int
single_counts(ferry_store *st, struct store_stats *o, struct ferry_err *err)
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

	for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
		if (db_query_int(st, ints[i].sql, (int64_t *)((char *)o + ints[i].off), err) < 0)
			return -1;
	return 0;
}

/* Run a "key, count" query: counts[key] for every key in [0, n). */
static int
keyed_counts(ferry_store *st, const char *sql, int64_t *counts, int n, struct ferry_err *err)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);

	if (rc != SQLITE_OK)
		return db_err(st, rc, "reading statistics", err);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int k = sqlite3_column_int(s, 0);
		if (k >= 0 && k < n)
			counts[k] = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_err(st, rc, "reading statistics", err);
}

/* The project's settings but its format marker, as key, value, ... */
static int
settings_list(ferry_store *st, struct store_stats *o, struct ferry_err *err)
{
	sqlite3_stmt *s;
	size_t cap = 0, len;
	int rc = sqlite3_prepare_v2(st->db, "SELECT key, value FROM meta WHERE key NOT IN ('format', 'project_id') ORDER BY key",
				    -1, &s, NULL);

	if (rc != SQLITE_OK)
		return db_err(st, rc, "reading statistics", err);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		VEC_GROW(o->settings, cap, o->n_settings + 2);
		const char *k = db_col_text(s, 0, &len);
		o->settings[o->n_settings++] = xstrndup(k, len);
		const char *v = db_col_text(s, 1, &len);
		o->settings[o->n_settings++] = xstrndup(v, len);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_err(st, rc, "reading statistics", err);
}

/* Every count of ferry stats. */
int
store_stats(ferry_store *st, struct store_stats *o, struct ferry_err *err)
{
	char hist[192];

	memset(o, 0, sizeof *o);
	/* bin k holds scores in [k / BINS, (k + 1) / BINS); the last one the rest;
	   a span added by hand (no entity) has no score */
	snprintf(hist, sizeof hist, "SELECT min(%d, max(0, CAST(score * %d AS INTEGER))), count(*) "
		 "FROM projection WHERE entity IS NOT NULL GROUP BY 1", STORE_HIST_BINS - 1, STORE_HIST_BINS);
	if (single_counts(st, o, err) < 0 ||
	    keyed_counts(st, "SELECT status, count(*) FROM pair GROUP BY status", o->status, STATUS_COUNT, err) < 0 ||
	    keyed_counts(st, hist, o->hist, STORE_HIST_BINS, err) < 0 ||
	    label_counts(st, "SELECT label, count(*) FROM entity GROUP BY label ORDER BY label",
			 &o->ent_labels, &o->n_ent_labels, err) < 0 ||
	    label_counts(st, "SELECT label, count(*) FROM gold GROUP BY label ORDER BY label",
			 &o->gold_labels, &o->n_gold_labels, err) < 0 ||
	    label_counts(st, "SELECT label, count(*) FROM projection GROUP BY label ORDER BY label",
			 &o->proj_labels, &o->n_proj_labels, err) < 0 ||
	    settings_list(st, o, err) < 0) {
		store_stats_release(o);
		return -1;
	}
	return 0;
}

/* Free what store_stats() made. */
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

