/*
 * export.c — `ferry export`'s engine (export.h): the pairs a filter
 * selects, as CoNLL sentences or JSONL lines, written whole or not at all.
 *
 * A flagged pair's reason lives in the log (store.h); the reasons of the
 * flagged pairs are read once, in one pass, before the pairs, and merged
 * by pair id as the pairs are written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ferry/export.h"
#include "ferry/mem.h"
#include "ferry/scratch.h"
#include "ferry/store.h"

/* Room for the -o path and the temporary file's suffix. */
#define EXPORT_PATH_MAX 4096

/* A flagged pair's reason. */
struct comment {
	int64_t pair;
	char   *text;
};

/* What to export, and the buffers reused from pair to pair. */
struct export {
	struct export_opts o;
	FILE *out;
	struct buf tags, line;
	size_t *offs;
	size_t offs_cap;
	struct spans keep;
	struct comment *comments;      /* by pair (JSONL only) */
	int own;                       /* --source: this source id's own projection; -1 the fused one */
	size_t n_comments, cap_comments, next_comment;
};

/* The spans written for p: source entities, target gold or projections. */
static const struct spans *
written_spans(struct export *ex, const struct pair *p)
{
	if (ex->o.source)
		return &p->ents;
	if (ex->o.gold)
		return &p->gold;
	if (ex->own >= 0)
		scheme_own_spans(&p->own, ex->own, &ex->keep);
	else
		scheme_proj_spans(&p->proj, &ex->keep);
	return &ex->keep;
}

/* A flagged pair's reason, for comments_load(). */
static int
comment_add(int64_t pair, const char *text, void *arg)
{
	struct export *ex = arg;

	VEC_GROW(ex->comments, ex->cap_comments, ex->n_comments + 1);
	ex->comments[ex->n_comments].pair = pair;
	ex->comments[ex->n_comments++].text = xstrdup(text);
	return 0;
}

/* The reason of pair id, or NULL (pairs come in id order, and so do the reasons). */
static const char *
comment_of(struct export *ex, int64_t id)
{
	while (ex->next_comment < ex->n_comments && ex->comments[ex->next_comment].pair < id)
		ex->next_comment++;
	if (ex->next_comment < ex->n_comments && ex->comments[ex->next_comment].pair == id)
		return ex->comments[ex->next_comment].text;
	return NULL;
}

/* {"id": N, "tokens": [...], "ner_tags": [...]} and a flagged pair's "comment", into ex->line. */
static void
jsonl_line(struct export *ex, const struct pair *p, const struct toks *tok)
{
	const char *comment = comment_of(ex, p->id);

	buf_addf(&ex->line, "{\"id\": %lld, \"tokens\": [", (long long)p->id);
	for (uint32_t i = 0; i < tok->n; i++) {
		size_t len;
		const char *t = toks_get(tok, i, &len);
		if (i)
			buf_add(&ex->line, ", ", 2);
		buf_add_json(&ex->line, t, len);
	}
	buf_adds(&ex->line, "], \"ner_tags\": [");
	for (uint32_t i = 0; i < tok->n; i++) {
		const char *t = ex->tags.s + ex->offs[i];
		if (i)
			buf_add(&ex->line, ", ", 2);
		buf_add_json(&ex->line, t, strlen(t));
	}
	buf_addc(&ex->line, ']');
	if (comment) {
		buf_adds(&ex->line, ", \"comment\": ");
		buf_add_json(&ex->line, comment, strlen(comment));
	}
	buf_adds(&ex->line, "}\n");
}

/* Token TAB tag lines and a blank line, into ex->line. */
static void
conll_sentence(struct export *ex, const struct toks *tok)
{
	for (uint32_t i = 0; i < tok->n; i++) {
		/* tags stand one after another, each with its NUL */
		size_t len, end = i + 1 < tok->n ? ex->offs[i + 1] : ex->tags.len;
		const char *t = toks_get(tok, i, &len);
		buf_add(&ex->line, t, len);
		buf_addc(&ex->line, '\t');
		buf_add(&ex->line, ex->tags.s + ex->offs[i], end - ex->offs[i] - 1);
		buf_addc(&ex->line, '\n');
	}
	buf_addc(&ex->line, '\n');
}

/* One pair as a CoNLL sentence or a JSONL line. */
static int
write_pair(struct export *ex, const struct pair *p, struct ferry_err *err)
{
	const struct toks *tok = ex->o.source ? &p->src : &p->tgt;
	const struct spans *sp = written_spans(ex, p);

	if (!ex->o.source && ex->o.gold && !p->has_gold)
		return err_set(err, EX_DATAERR, "pair %lld has no gold target labels "
			       "(import them with --tgt-gold, or export --what projections)", (long long)p->id);
	VEC_GROW(ex->offs, ex->offs_cap, (size_t)tok->n + 1);
	scheme_encode(ex->o.scheme, sp->v, sp->n, tok->n, &ex->tags, ex->offs);
	buf_reset(&ex->line);
	if (ex->o.jsonl)
		jsonl_line(ex, p, tok);
	else
		conll_sentence(ex, tok);
	if (fwrite(ex->line.s, 1, ex->line.len, ex->out) != ex->line.len)
		return err_set(err, EX_IOERR, "write error: %s", strerror(errno));
	return 0;
}

/* --source L: the id of the project's source in L (-1 for the one source of a single-source project). */
static int
which_source(struct export *ex, ferry_store *st, struct ferry_err *err)
{
	struct source_info *s;
	size_t n;
	struct buf have = BUF_INIT;

	if (store_sources(st, &s, &n, err) < 0)
		return -1;
	int rc = -1;
	for (size_t i = 0; i < n && rc < 0; i++)
		if (strcmp(s[i].lang, ex->o.source_lang) == 0) {
			ex->own = n > 1 ? s[i].id : -1;
			rc = 0;
		}
	for (size_t i = 0; i < n && rc < 0; i++)
		buf_addf(&have, "%s%s", i ? ", " : "", s[i].lang);
	if (rc < 0)
		err_set(err, EX_USAGE, "--source: the project has no source '%s' (its sources: %s)", ex->o.source_lang,
			buf_cstr(&have));
	buf_release(&have);
	free(s);
	return rc;
}

/* --user NAME: that reviewer's own layer, which must hold something. */
static int
which_layer(struct export *ex, ferry_store *st, struct ferry_err *err)
{
	char **v;
	size_t n;
	int found = 0;
	struct buf have = BUF_INIT;

	if (store_layers(st, &v, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		found |= strcmp(v[i], ex->o.user) == 0;
		buf_addf(&have, "%s%s", i ? ", " : "", v[i]);
		free(v[i]);
	}
	free(v);
	int rc = found ? store_use_layer(st, ex->o.user, err)
		       : err_set(err, EX_USAGE, "--user: '%s' has no layer in the project (its layers: %s)", ex->o.user,
				 n ? buf_cstr(&have) : "none; ferry review --independent makes one");
	buf_release(&have);
	return rc;
}

/* Write every selected pair; -o FILE appears only once complete. */
static int
run_export(struct export *ex, const char *project, const char *output, struct ferry_err *err)
{
	struct store_filter f = { .status_mask = ex->o.status_mask };
	ferry_store *st = NULL;
	store_iter *it = NULL;
	struct pair p = { 0 };
	char tmp[EXPORT_PATH_MAX + 96] = "", target[EXPORT_PATH_MAX];
	int rc = -1, got, direct = 0, held = -1;
	mode_t mode = 0;

	if (store_open(&st, project, STORE_READONLY, err) < 0)
		return -1;
	if (ex->o.user && which_layer(ex, st, err) < 0)
		goto out;
	if (ex->o.source_lang && which_source(ex, st, err) < 0)
		goto out;
	unsigned load = LOAD_TEXT | (ex->o.source ? LOAD_ENTS | LOAD_SRC_ONLY : LOAD_TGT_ONLY) |
			(ex->o.source ? 0 : ex->o.gold ? LOAD_GOLD : LOAD_PROJ) |
			(ex->own >= 0 ? LOAD_SOURCES : 0);
	if ((ex->o.jsonl && store_comments_each(st, comment_add, ex, err) < 0) ||
	    store_iter_open(st, &f, load, &it, err) < 0)
		goto out;
	ex->out = stdout;
	if (output && strcmp(output, "-") == 0)
		output = NULL;
	if (output && scratch_target(project, output, target, sizeof target, &direct, &mode, err) < 0)
		goto out;
	if (output) {
		/* a regular file is written under a temporary name, anything else directly */
		if (!direct) {
			int swept = scratch_start(target, "export", output, tmp, sizeof tmp, &held, err);
			if (swept < 0)
				goto out;
			if (swept > 0)
				fprintf(stderr, "ferry: removed the temporary files an interrupted export to %s left\n",
					output);
		}
		if ((ex->out = fopen(direct ? output : tmp, "w")) == NULL) {
			ex->out = stdout;
			tmp[0] = '\0';
			err_set(err, EX_CANTCREAT, "%s: cannot create: %s", output, strerror(errno));
			goto out;
		}
		if (mode && fchmod(fileno(ex->out), mode) < 0) {
			err_set(err, EX_CANTCREAT, "%s: cannot keep its mode: %s", output, strerror(errno));
			goto out;
		}
	}
	while ((got = store_iter_next(it, &p, err)) > 0) {
		if (write_pair(ex, &p, err) < 0)
			goto out;
	}
	if (got < 0)
		goto out;
	if (fflush(ex->out) != 0 || ferror(ex->out)) {
		err_set(err, EX_IOERR, "%s: write error: %s", output ? output : "stdout", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (ex->out && ex->out != stdout && fclose(ex->out) != 0 && rc == 0)
		rc = err_set(err, EX_IOERR, "%s: write error: %s", output, strerror(errno));
	if (tmp[0] && rc == 0 && rename(tmp, target) < 0)
		rc = err_set(err, EX_CANTCREAT, "%s: cannot create: %s", output, strerror(errno));
	if (tmp[0] && rc < 0)
		scratch_remove(tmp);
	scratch_forget(held);
	pair_release(&p);
	store_iter_free(it);
	store_close(st, NULL);
	return rc;
}

/* Export with the options in o (see export.h). */
int
export_run(const struct export_opts *o, const char *project, const char *output, struct ferry_err *err)
{
	struct export ex = { .o = *o, .own = -1 };
	int rc = run_export(&ex, project, output, err);

	buf_release(&ex.tags);
	buf_release(&ex.line);
	free(ex.offs);
	spans_release(&ex.keep);
	for (size_t i = 0; i < ex.n_comments; i++)
		free(ex.comments[i].text);
	free(ex.comments);
	return rc;
}
