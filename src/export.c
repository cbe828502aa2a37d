/*
 * export.c — `ferry export`'s engine (export.h): the pairs a filter
 * selects, as CoNLL sentences or JSONL lines, written whole or not at all.
 *
 * A flagged pair's reason lives in the log (store.h); the reasons of the
 * flagged pairs are read once, in one pass, before the pairs, and merged
 * by pair id as the pairs are read.
 *
 * The pairs go through the batch pipeline (batch.h): a reader thread
 * steps SQLite (the longest part), the workers walk each pair's stored
 * tokens and format its sentence into the pair's own item, and this
 * thread writes the batches in the order they were read, so the output
 * does not depend on the threads.  The first pair that cannot be written
 * stops the export with its error, whichever thread met it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ferry/batch.h"
#include "ferry/export.h"
#include "ferry/mem.h"
#include "ferry/scratch.h"
#include "ferry/store.h"

/* Room for the -o path and the temporary file's suffix. */
#define EXPORT_PATH_MAX 4096
/* Pairs per batch, and the most threads that pay for formatting (besides the reader). */
#define EXPORT_BATCH 512
#define EXPORT_MAX_THREADS 2
/* The output's buffer. */
#define EXPORT_WRITE_BUF (256 * 1024)

/* A flagged pair's reason. */
struct comment {
	int64_t pair;
	char   *text;
};

/* What to export. */
struct export {
	struct export_opts o;
	FILE *out;
	const char *out_name;          /* for messages */
	const char *project;
	store_iter *it;
	struct comment *comments;      /* by pair (JSONL only) */
	int own;                       /* --source: this source id's own projection; -1 the fused one */
	size_t n_comments, cap_comments, next_comment;
};

/* A pair read, and its text once formatted. */
struct export_item {
	struct pair p;
	const char *comment;           /* a flagged pair's reason (JSONL), or NULL */
	struct buf text;
};

/* A worker's buffers, reused from pair to pair. */
struct export_worker {
	struct buf tags;
	size_t *offs;
	size_t offs_cap;
	struct spans keep;
};

/* The spans written for p: source entities, target gold or projections. */
static const struct spans *
written_spans(const struct export *ex, struct export_worker *w, const struct pair *p)
{
	if (ex->o.source)
		return &p->ents;
	if (ex->o.gold)
		return &p->gold;
	if (ex->own >= 0)
		scheme_own_spans(&p->own, ex->own, &w->keep);
	else
		scheme_proj_spans(&p->proj, &w->keep);
	return &w->keep;
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

/* The stored tokens of a side, joined by single spaces, as the store hands them over. */
struct joined {
	const char *s;
	size_t len, at;
	uint32_t n;
};

/* The next token of j (j->n of them are there): its start and length. */
static inline const char *
next_token(struct joined *j, size_t *len)
{
	const char *t = j->s + j->at, *sp = memchr(t, ' ', j->len - j->at);
	size_t end = sp ? (size_t)(sp - j->s) : j->len;

	*len = end - j->at;
	j->at = end < j->len ? end + 1 : end;
	return t;
}

/* {"id": N, "tokens": [...], "ner_tags": [...]} and a flagged pair's "comment", into out. */
static void
jsonl_line(const struct export_worker *w, const struct pair *p, struct joined *tok, const char *comment,
	   struct buf *out)
{
	buf_addf(out, "{\"id\": %lld, \"tokens\": [", (long long)p->id);
	for (uint32_t i = 0; i < tok->n; i++) {
		size_t len;
		const char *t = next_token(tok, &len);
		if (i)
			buf_add(out, ", ", 2);
		buf_add_json(out, t, len);
	}
	buf_adds(out, "], \"ner_tags\": [");
	for (uint32_t i = 0; i < tok->n; i++) {
		const char *t = w->tags.s + w->offs[i];
		if (i)
			buf_add(out, ", ", 2);
		buf_add_json(out, t, strlen(t));
	}
	buf_addc(out, ']');
	if (comment) {
		buf_adds(out, ", \"comment\": ");
		buf_add_json(out, comment, strlen(comment));
	}
	buf_adds(out, "}\n");
}

/* Token TAB tag lines and a blank line, into out. */
static void
conll_sentence(const struct export_worker *w, struct joined *tok, struct buf *out)
{
	for (uint32_t i = 0; i < tok->n; i++) {
		/* tags stand one after another, each with its NUL */
		size_t len, end = i + 1 < tok->n ? w->offs[i + 1] : w->tags.len;
		const char *t = next_token(tok, &len);
		buf_add(out, t, len);
		buf_addc(out, '\t');
		buf_add(out, w->tags.s + w->offs[i], end - w->offs[i] - 1);
		buf_addc(out, '\n');
	}
	buf_addc(out, '\n');
}

/* The pipeline's read: the next pairs, as stored, with their reasons. */
static int
read_pairs(void *ctx, struct batch *b, struct ferry_err *err)
{
	struct export *ex = ctx;
	struct export_item *v = b->items;
	int got = 1;

	while (b->n < b->cap && (got = store_iter_next(ex->it, &v[b->n].p, err)) > 0) {
		v[b->n].comment = ex->o.jsonl ? comment_of(ex, v[b->n].p.id) : NULL;
		b->n++;
	}
	if (got < 0)
		return -1;
	return b->n > 0 || got > 0 ? 1 : 0;
}

/* The pipeline's work (any thread): one pair's stored tokens formatted as a CoNLL sentence or a JSONL line. */
static int
format_pair(void *ctx, void *worker, struct batch *b, size_t i, struct ferry_err *err)
{
	const struct export *ex = ctx;
	struct export_worker *w = worker;
	struct export_item *it = &((struct export_item *)b->items)[i];
	const struct pair *p = &it->p;
	struct joined tok = { 0 };

	/* the tokens are walked as stored: nothing else of the pair's columns is written */
	if (store_pair_joined(p, ex->o.source, ex->project, &tok.s, &tok.len, &tok.n, err) < 0)
		return -1;
	if (!ex->o.source && ex->o.gold && !p->has_gold)
		return err_set(err, EX_DATAERR, "pair %lld has no gold target labels "
			       "(import them with --tgt-gold, or export --what projections)", (long long)p->id);
	const struct spans *sp = written_spans(ex, w, p);
	VEC_GROW(w->offs, w->offs_cap, (size_t)tok.n + 1);
	scheme_encode(ex->o.scheme, sp->v, sp->n, tok.n, &w->tags, w->offs);
	buf_reset(&it->text);
	if (ex->o.jsonl)
		jsonl_line(w, p, &tok, it->comment, &it->text);
	else
		conll_sentence(w, &tok, &it->text);
	return 0;
}

/* The pipeline's write: a batch's text, in order. */
static int
write_pairs(void *ctx, struct batch *b, struct ferry_err *err)
{
	struct export *ex = ctx;
	const struct export_item *v = b->items;

	for (size_t i = 0; i < b->n; i++)
		if (fwrite(v[i].text.s, 1, v[i].text.len, ex->out) != v[i].text.len)
			return err_set(err, EX_IOERR, "%s: write error: %s", ex->out_name, strerror(errno));
	return 0;
}

static void *
worker_new(void *ctx)
{
	(void)ctx;
	return xcalloc(1, sizeof(struct export_worker));
}

static void
worker_free(void *ctx, void *worker)
{
	struct export_worker *w = worker;

	(void)ctx;
	buf_release(&w->tags);
	free(w->offs);
	spans_release(&w->keep);
	free(w);
}

static void
item_release(void *ctx, void *item)
{
	struct export_item *it = item;

	(void)ctx;
	pair_release(&it->p);
	buf_release(&it->text);
}

static const struct batch_ops export_ops = {
	.item_size = sizeof(struct export_item),
	.read = read_pairs,
	.work = format_pair,
	.write = write_pairs,
	.worker_new = worker_new,
	.worker_free = worker_free,
	.item_release = item_release,
};

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
	char tmp[EXPORT_PATH_MAX + 96] = "", target[EXPORT_PATH_MAX];
	int rc = -1, direct = 0, held = -1;
	mode_t mode = 0;

	if (store_open(&st, project, STORE_READONLY, err) < 0)
		return -1;
	if (ex->o.user && which_layer(ex, st, err) < 0)
		goto out;
	if (ex->o.source_lang && which_source(ex, st, err) < 0)
		goto out;
	unsigned load = LOAD_TEXT | LOAD_NO_VERSION | (ex->o.source ? LOAD_ENTS | LOAD_SRC_ONLY : LOAD_TGT_ONLY) |
			(ex->o.source ? 0 : ex->o.gold ? LOAD_GOLD : LOAD_PROJ) |
			(ex->own >= 0 ? LOAD_SOURCES : 0);
	if ((ex->o.jsonl && store_comments_each(st, comment_add, ex, err) < 0) ||
	    store_iter_open(st, &f, load | LOAD_DEFER, &ex->it, err) < 0)
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
	ex->out_name = output ? output : "stdout";
	ex->project = project;
	/* a batch at a time: stdio's few KiB would cost a system call per dozen pairs */
	setvbuf(ex->out, NULL, _IOFBF, EXPORT_WRITE_BUF);
	if (batch_run(&export_ops, ex, EXPORT_BATCH, batch_cpu_threads(EXPORT_MAX_THREADS), BATCH_READ_THREAD,
		      err) < 0)
		goto out;
	if (fflush(ex->out) != 0 || ferror(ex->out)) {
		err_set(err, EX_IOERR, "%s: write error: %s", ex->out_name, strerror(errno));
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
	store_iter_free(ex->it);
	ex->it = NULL;
	store_close(st, NULL);
	return rc;
}

/* Export with the options in o (see export.h). */
int
export_run(const struct export_opts *o, const char *project, const char *output, struct ferry_err *err)
{
	struct export ex = { .o = *o, .own = -1 };
	int rc = run_export(&ex, project, output, err);

	for (size_t i = 0; i < ex.n_comments; i++)
		free(ex.comments[i].text);
	free(ex.comments);
	return rc;
}
