/* store-stats.c — the counts `ferry stats` prints, one query each; the project's tag set. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/mem.h"
#include "store-int.h"

/* The meta row of the tag set (store_labels) */
#define LABELS_KEY "labels"

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
		STAT(links_fwd, "SELECT coalesce(sum(ferry_links(align_fwd)), 0) FROM pair"),
		STAT(log_entries, "SELECT count(*) FROM log"),
		STAT(lexicon, "SELECT count(*) FROM lexicon"),
#undef STAT
	};

	for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
		if (db_query_int(st, ints[i].sql, (int64_t *)((char *)o + ints[i].off), err) < 0)
			return -1;
	/* the symmetrised links are made again where a pair does not store them */
	int m;
	if (store_sym_method(st, &m, err) < 0)
		return -1;
	int64_t method = m;
	return db_query_int_bound(st, "SELECT coalesce(sum(ferry_sym_links(align_sym, align_fwd, align_rev, nsrc, ntgt, ?1)), 0) "
				  "FROM pair", &method, &o->links_sym, err);
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
	int rc = sqlite3_prepare_v2(st->db, "SELECT key, value FROM meta WHERE key NOT IN ('format', 'project_id', '" LABELS_KEY "') "
				    "AND key NOT LIKE 'place:%' ORDER BY key",
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
	    settings_list(st, o, err) < 0 || store_sources(st, &o->sources, &o->n_sources, err) < 0) {
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
	free(s->sources);
	memset(s, 0, sizeof *s);
}


/*
 * The tag set is kept in meta "labels", one label a line, written by
 * store_labels_remember() when pairs are imported: reading it is one
 * row, where the scan it replaces takes half a second at a million pairs.
 * A project imported before has no such row and is scanned.
 */
#define LABELS_SCAN "SELECT label, sum(c) FROM (SELECT label, count(*) AS c FROM entity GROUP BY label " \
	"UNION ALL SELECT label, count(*) FROM gold GROUP BY label) GROUP BY label ORDER BY label"

/* Labels by name, for qsort. */
static int
label_cmp(const void *a, const void *b)
{
	return strcmp(((const struct label_count *)a)->label, ((const struct label_count *)b)->label);
}

/*
 * Keep v[0..n) (sorted, no two alike) as the tag set in meta; a label
 * holding a newline cannot be kept one a line, so then none is, and the
 * set is scanned when it is read.
 */
static int
labels_keep(ferry_store *st, const struct label_count *v, size_t n, struct ferry_err *err)
{
	struct buf text = BUF_INIT;
	int rc;

	for (size_t i = 0; i < n; i++) {
		if (strchr(v[i].label, '\n'))
			return db_run(st, "DELETE FROM meta WHERE key = ?1", err, "s", LABELS_KEY);
		if (i)
			buf_addc(&text, '\n');
		buf_adds(&text, v[i].label);
	}
	rc = store_setting_set(st, LABELS_KEY, buf_cstr(&text), err);
	buf_release(&text);
	return rc;
}

/* Write the tag set of the entities and gold into meta, from a scan of them. */
int
store_labels_remember(ferry_store *st, struct ferry_err *err)
{
	struct label_count *v;
	size_t n;

	if (label_counts(st, LABELS_SCAN, &v, &n, err) < 0)
		return -1;
	int rc = labels_keep(st, v, n, err);
	free(v);
	return rc;
}

/* The kept tag set, one label a line, into a fresh array. */
static void
labels_parse(const char *text, struct label_count **out, size_t *n)
{
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	while (*text) {
		size_t len = strcspn(text, "\n");
		if (len > 0) {
			VEC_GROW(*out, cap, *n + 1);
			memset(&(*out)[*n], 0, sizeof **out);
			snprintf((*out)[*n].label, FERRY_LABEL_MAX, "%.*s", (int)len, text);
			(*n)++;
		}
		text += len + (text[len] == '\n');
	}
}

/* Sort v[0..*n) by label and drop repeats. */
static void
labels_sort_unique(struct label_count *v, size_t *n)
{
	size_t k = 0;

	if (*n > 1)
		qsort(v, *n, sizeof *v, label_cmp);
	for (size_t i = 0; i < *n; i++)
		if (k == 0 || strcmp(v[k - 1].label, v[i].label) != 0)
			v[k++] = v[i];
	*n = k;
}

int
store_labels_add(ferry_store *st, const struct label_count *add, size_t n, int fresh, struct ferry_err *err)
{
	struct buf kept = BUF_INIT;
	struct label_count *v = NULL;
	size_t nv = 0;
	int got = fresh ? 0 : store_setting_get(st, LABELS_KEY, &kept, err);

	if (got < 0 || (got == 0 && !fresh)) {
		/* none kept in a project that has pairs already: what it holds is scanned */
		buf_release(&kept);
		return got < 0 ? -1 : store_labels_remember(st, err);
	}
	if (got > 0)
		labels_parse(buf_cstr(&kept), &v, &nv);
	buf_release(&kept);
	v = xrealloc(v, (nv + n + 1) * sizeof *v);
	if (n)
		memcpy(v + nv, add, n * sizeof *add);
	nv += n;
	labels_sort_unique(v, &nv);
	int rc = labels_keep(st, v, nv, err);
	free(v);
	return rc;
}

/* The tag set: kept (or scanned) entity and gold labels, and those of the reviewers' pins. */
int
store_labels(ferry_store *st, struct label_count **out, size_t *n, struct ferry_err *err)
{
	struct label_count *pins;
	struct buf kept = BUF_INIT;
	size_t np;
	int got = store_setting_get(st, LABELS_KEY, &kept, err);

	*out = NULL;
	*n = 0;
	if (got > 0)
		labels_parse(buf_cstr(&kept), out, n);
	buf_release(&kept);
	if (got < 0 || (got == 0 && label_counts(st, LABELS_SCAN, out, n, err) < 0) ||
	    label_counts(st, "SELECT label, 0 FROM pin WHERE label <> '' GROUP BY label", &pins, &np, err) < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	*out = xrealloc(*out, (*n + np + 1) * sizeof **out);
	if (np)
		memcpy(*out + *n, pins, np * sizeof *pins);
	*n += np;
	free(pins);
	labels_sort_unique(*out, n);
	return 0;
}
