/*
 * store-source.c — multi-source projection in the project file: the
 * labelled sources (table source; 0 is the pair table's own), the
 * further sources' sentences, links and entities (xsource, xentity),
 * each source's own projection (sprojection) and reading them back with
 * the pairs (LOAD_SOURCES).  A project never given a second source has
 * no rows in these tables and reads exactly as a single-source one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/mem.h"
#include "store-int.h"

/* The first source as the pair table has it: its language is the setting src_lang. */
static int
first_source(ferry_store *st, struct source_info *s, struct ferry_err *err)
{
	struct buf lang = BUF_INIT;
	int rc = store_setting_get(st, "src_lang", &lang, err);

	memset(s, 0, sizeof *s);
	s->reliability = -1;
	/* a project imported without --src-lang calls its first source "src" */
	snprintf(s->lang, sizeof s->lang, "%s", rc > 0 ? buf_cstr(&lang) : "src");
	buf_release(&lang);
	if (rc < 0)
		return -1;
	struct buf al = BUF_INIT;
	rc = store_setting_get(st, "aligner", &al, err);
	snprintf(s->aligner, sizeof s->aligner, "%s", rc > 0 ? buf_cstr(&al) : "given");
	buf_release(&al);
	if (rc < 0)
		return -1;
	if (db_query_int(st, "SELECT count(*) FROM pair", &s->pairs, err) < 0 ||
	    db_query_int(st, "SELECT count(*) FROM entity", &s->entities, err) < 0)
		return -1;
	return 0;
}

int
store_sources(ferry_store *st, struct source_info **out, size_t *n, struct ferry_err *err)
{
	struct source_info *v = xcalloc(FERRY_SOURCES_MAX, sizeof *v);
	sqlite3_stmt *s = NULL;
	size_t k = 1;
	int rc;

	*out = NULL;
	*n = 0;
	if (first_source(st, &v[0], err) < 0)
		goto fail;
	if (!HAS_SOURCES(st))
		goto done;
	rc = sqlite3_prepare_v2(st->db,
		"SELECT s.id, s.lang, s.aligner, coalesce(s.reliability, -1), "
		"(SELECT count(*) FROM xsource x WHERE x.source = s.id), "
		"(SELECT count(*) FROM xentity e WHERE e.source = s.id) "
		"FROM source s ORDER BY s.id", -1, &s, NULL);
	if (rc != SQLITE_OK) {
		db_err(st, rc, "reading the sources", err);
		goto fail;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int id = sqlite3_column_int(s, 0);
		struct source_info *si = id == 0 ? &v[0] : k < FERRY_SOURCES_MAX ? &v[k++] : NULL;
		size_t len;
		if (si == NULL)
			break;
		si->id = id;
		if (id != 0)
			snprintf(si->lang, sizeof si->lang, "%s", db_col_text(s, 1, &len));
		snprintf(si->aligner, sizeof si->aligner, "%s", db_col_text(s, 2, &len));
		si->reliability = sqlite3_column_double(s, 3);
		if (id != 0) {
			si->pairs = sqlite3_column_int64(s, 4);
			si->entities = sqlite3_column_int64(s, 5);
		}
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		db_err(st, rc, "reading the sources", err);
		goto fail;
	}
	sqlite3_finalize(s);
done:
	*out = v;
	*n = k;
	return 0;
fail:
	sqlite3_finalize(s);
	free(v);
	return -1;
}

int
store_source_add(ferry_store *st, const char *lang, const char *aligner, int *id, struct ferry_err *err)
{
	struct source_info *v;
	size_t n;
	struct buf tgt = BUF_INIT;
	int rc = store_setting_get(st, "tgt_lang", &tgt, err), clash = rc > 0 && strcmp(buf_cstr(&tgt), lang) == 0;

	buf_release(&tgt);
	if (rc < 0 || store_sources(st, &v, &n, err) < 0)
		return -1;
	rc = -1;
	if (clash) {
		err_set(err, EX_DATAERR, "%s: '%s' is the project's target language (expected a source language "
			"other than the target)", st->path, lang);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].lang, lang) == 0) {
			err_set(err, EX_DATAERR, "%s: the project has a source in '%s' already (source %d; expected "
				"a new language, or name this one apart, e.g. '%s-2')", st->path, lang, v[i].id, lang);
			goto out;
		}
	if (n >= FERRY_SOURCES_MAX) {
		err_set(err, EX_DATAERR, "%s: the project has %d sources, the most it can have", st->path,
			FERRY_SOURCES_MAX);
		goto out;
	}
	if (n == 1 && db_run(st, "INSERT INTO source(id, lang, aligner) VALUES (0, ?1, ?2)", err, "ss",
			     v[0].lang, v[0].aligner) < 0)
		goto out;
	*id = (int)n;
	rc = db_run(st, "INSERT INTO source(id, lang, aligner) VALUES (?1, ?2, ?3)", err, "iss", (int64_t)n,
		    lang, aligner);
out:
	free(v);
	return rc;
}

int
store_xsource_add(ferry_store *st, int64_t pair, const struct xsrc *x, struct ferry_err *err)
{
	sqlite3_stmt *s = db_stmt(st, ST_XSRC_ADD, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, pair);
	sqlite3_bind_int(s, 2, x->source);
	sqlite3_bind_text(s, 3, x->src.text ? x->src.text : "", (int)x->src.len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, x->src.n);
	db_bind_links(s, 5, &x->fwd, &st->fwd);
	if (x->has_rev)
		db_bind_links(s, 6, &x->rev, &st->rev);
	db_bind_links(s, 7, &x->sym, &st->sym);
	if (db_step_done(st, s, "adding a source sentence", err) < 0)
		return -1;
	for (size_t i = 0; i < x->ents.n; i++) {
		const struct span *e = &x->ents.v[i];
		if ((s = db_stmt(st, ST_XENT_ADD, err)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, pair);
		sqlite3_bind_int(s, 2, x->source);
		sqlite3_bind_int64(s, 3, e->start);
		sqlite3_bind_int64(s, 4, e->end);
		sqlite3_bind_text(s, 5, e->label, -1, SQLITE_STATIC);
		if (db_step_done(st, s, "adding a source entity", err) < 0)
			return -1;
	}
	return 0;
}

int
store_source_reliability(ferry_store *st, int id, double r, struct ferry_err *err)
{
	return db_run(st, "UPDATE source SET reliability = ?2 WHERE id = ?1", err, "id", (int64_t)id, r);
}

int
store_own_replace(ferry_store *st, int64_t pair, const struct sprojs *own, struct ferry_err *err)
{
	if (st->layer)
		return 0;       /* the sources' own projections are the project's, not a reviewer's */
	sqlite3_stmt *s = db_stmt(st, ST_OWN_DEL, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, pair);
	if (db_step_done(st, s, "replacing projections", err) < 0)
		return -1;
	for (size_t i = 0; i < own->n; i++) {
		const struct sproj *o = &own->v[i];
		if ((s = db_stmt(st, ST_OWN_ADD, err)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, pair);
		sqlite3_bind_int(s, 2, o->source);
		sqlite3_bind_int64(s, 3, o->span.start);
		sqlite3_bind_int64(s, 4, o->span.end);
		sqlite3_bind_text(s, 5, o->span.label, -1, SQLITE_STATIC);
		sqlite3_bind_double(s, 6, o->score);
		if (db_step_done(st, s, "writing projections", err) < 0)
			return -1;
	}
	return 0;
}

/* ---- reading them with the pairs ------------------------------------------------ */

enum { SC_XSRC, SC_XENT, SC_OWN, SC_COUNT };

struct source_cursor {
	ferry_store  *st;
	sqlite3_stmt *s[SC_COUNT];
	int           row[SC_COUNT];       /* 1 holds an unread row, 0 exhausted, -1 step next */
};

static const char *const cursor_sql[SC_COUNT] = {
	"SELECT pair, source, src, nsrc, align_fwd, align_rev, align_sym FROM xsource "
	"WHERE pair BETWEEN ?1 AND ?2 ORDER BY pair, source",
	"SELECT pair, source, start, stop, label FROM xentity WHERE pair BETWEEN ?1 AND ?2 "
	"ORDER BY pair, source, start",
	"SELECT pair, source, start, stop, label, score FROM sprojection WHERE pair BETWEEN ?1 AND ?2 "
	"ORDER BY pair, source, start",
};

struct source_cursor *
source_cursor_open(ferry_store *st, int64_t from, int64_t to, int own, struct ferry_err *err)
{
	struct source_cursor *c = xcalloc(1, sizeof *c);

	c->st = st;
	for (int k = 0; k < SC_COUNT; k++) {
		if (k == SC_OWN && !own) {
			c->row[k] = 0;
			continue;
		}
		int rc = sqlite3_prepare_v2(st->db, cursor_sql[k], -1, &c->s[k], NULL);
		if (rc != SQLITE_OK) {
			db_err(st, rc, "reading the sources", err);
			source_cursor_free(c);
			return NULL;
		}
		sqlite3_bind_int64(c->s[k], 1, from);
		sqlite3_bind_int64(c->s[k], 2, to);
		c->row[k] = -1;
	}
	return c;
}

void
source_cursor_pause(struct source_cursor *c)
{
	for (int k = 0; k < SC_COUNT; k++)
		if (c->s[k])
			sqlite3_reset(c->s[k]);
}

void
source_cursor_free(struct source_cursor *c)
{
	if (c == NULL)
		return;
	for (int k = 0; k < SC_COUNT; k++)
		sqlite3_finalize(c->s[k]);
	free(c);
}

/* 1 with cursor k on a row of pair id (consumed by the caller), 0 when it has none left for it. */
static int
cursor_at(struct source_cursor *c, int k, int64_t id, struct ferry_err *err)
{
	for (;;) {
		if (c->row[k] == 0)
			return 0;
		if (c->row[k] == -1) {
			int rc = sqlite3_step(c->s[k]);
			if (rc == SQLITE_DONE) {
				c->row[k] = 0;
				return 0;
			}
			if (rc != SQLITE_ROW)
				return db_err(c->st, rc, "reading the sources", err);
			c->row[k] = 1;
		}
		int64_t pair = sqlite3_column_int64(c->s[k], 0);
		if (pair > id)
			return 0;
		c->row[k] = -1;
		if (pair == id)
			return 1;
	}
}

static int
damaged(struct source_cursor *c, const struct pair *p, const char *what, struct ferry_err *err)
{
	return err_set(err, EX_DATAERR, "%s: pair %lld holds a damaged %s", c->st->path, (long long)p->id, what);
}

/* An xsource row into a new p->xs entry. */
static int
load_xsource(struct source_cursor *c, struct pair *p, struct ferry_err *err)
{
	sqlite3_stmt *s = c->s[SC_XSRC];
	int source = sqlite3_column_int(s, 1);
	size_t len;
	const char *t;
	struct ferry_err why;

	if (source <= 0 || source >= FERRY_SOURCES_MAX)
		return damaged(c, p, "source", err);
	struct xsrc *x = xsrcs_push(&p->xs, source);
	t = db_col_text(s, 2, &len);
	toks_set_joined(&x->src, t, len);
	if (x->src.n != (uint64_t)sqlite3_column_int64(s, 3))
		return damaged(c, p, "source sentence", err);
	x->has_rev = sqlite3_column_type(s, 5) != SQLITE_NULL;
	for (int col = 4; col <= 6; col++) {
		struct links *l = col == 4 ? &x->fwd : col == 5 ? &x->rev : &x->sym;
		int bin;
		const void *d = db_col_links(s, col, &len, &bin);
		if (db_links_decode(d, len, bin, x->src.n, p->raw.ntgt, l, &why) < 0)
			return damaged(c, p, "source alignment", err);
	}
	return 0;
}

/* The further sources of p, their entities and (when asked) every source's own projection. */
int
source_cursor_load(struct source_cursor *c, struct pair *p, struct ferry_err *err)
{
	int rc;
	size_t len;

	while ((rc = cursor_at(c, SC_XSRC, p->id, err)) > 0)
		if (load_xsource(c, p, err) < 0)
			return -1;
	if (rc < 0)
		return -1;
	while ((rc = cursor_at(c, SC_XENT, p->id, err)) > 0) {
		sqlite3_stmt *s = c->s[SC_XENT];
		int source = sqlite3_column_int(s, 1);
		int64_t a = sqlite3_column_int64(s, 2), b = sqlite3_column_int64(s, 3);
		struct xsrc *x = NULL;
		for (size_t i = 0; i < p->xs.n && !x; i++)
			if (p->xs.v[i].source == source)
				x = &p->xs.v[i];
		if (x == NULL || a < 0 || b <= a || b > x->src.n)
			return damaged(c, p, "source entity", err);
		const char *label = db_col_text(s, 4, &len);
		spans_push(&x->ents, (uint32_t)a, (uint32_t)b, label, len);
	}
	if (rc < 0)
		return -1;
	while ((rc = cursor_at(c, SC_OWN, p->id, err)) > 0) {
		sqlite3_stmt *s = c->s[SC_OWN];
		int64_t a = sqlite3_column_int64(s, 2), b = sqlite3_column_int64(s, 3);
		if (a < 0 || b <= a || b > p->raw.ntgt)
			return damaged(c, p, "projection", err);
		VEC_GROW(p->own.v, p->own.cap, p->own.n + 1);
		struct sproj *o = &p->own.v[p->own.n++];
		memset(o, 0, sizeof *o);
		o->source = sqlite3_column_int(s, 1);
		o->span.start = (uint32_t)a;
		o->span.end = (uint32_t)b;
		snprintf(o->span.label, sizeof o->span.label, "%s", db_col_text(s, 4, &len));
		o->score = sqlite3_column_double(s, 5);
	}
	return rc < 0 ? -1 : 0;
}
