/*
 * import-source.c — `ferry add-source`: a further labelled source for
 * every pair of a project (multi-source projection).
 *
 * The source file (CoNLL or JSONL, tags required) is read in lockstep
 * with the project's pairs: sentence i is the source of pair i, so the
 * file must hold exactly as many sentences as the project holds pairs.
 * Its links come from --align (and --align-rev, symmetrised as the
 * project's first import was) in the same lockstep, or, without them,
 * from ferry's aligner trained on these pairs (and any --bitext-*).
 * Everything is read and checked first; then the source and all its
 * rows are written in one transaction, so a refusal or a failure leaves
 * the project as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/import.h"
#include "ferry/mem.h"
#include "ferry/store.h"
#include "import-int.h"

/* What an add-source holds while it runs. */
struct adding {
	const struct source_add_opts *o;
	ferry_store *st;
	int64_t npairs;
	int64_t *ids;              /* the pairs' ids, in order */
	struct toks *tgt;          /* their target tokens */
	struct xsrc *x;            /* the new source of each */
	enum symmetrize sym;
	struct labelled lab;
	int64_t entities;
};

/* The project's pairs: ids and target tokens. */
static int
read_targets(struct adding *a, struct ferry_err *err)
{
	store_iter *it;
	struct pair p = { 0 };
	size_t cap = 0;
	int rc;

	if (store_iter_open(a->st, NULL, LOAD_TEXT, &it, err) < 0)
		return -1;
	while ((rc = store_iter_next(it, &p, err)) > 0) {
		if ((size_t)a->npairs == cap) {
			size_t ncap = cap ? 2 * cap : 256;
			a->ids = xrealloc(a->ids, ncap * sizeof *a->ids);
			a->tgt = xrealloc(a->tgt, ncap * sizeof *a->tgt);
			memset(a->tgt + cap, 0, (ncap - cap) * sizeof *a->tgt);
			cap = ncap;
		}
		a->ids[a->npairs] = p.id;
		toks_set_joined(&a->tgt[a->npairs], p.tgt.text ? p.tgt.text : "", p.tgt.len);
		a->npairs++;
	}
	store_iter_free(it);
	pair_release(&p);
	if (rc == 0 && a->npairs == 0)
		return err_set(err, EX_DATAERR, "%s: the project has no pairs to add a source to", a->o->project);
	return rc;
}

/* The project's symmetrisation (setting "symmetrize"), grow-diag-final-and when it has none. */
static int
project_sym(struct adding *a, struct ferry_err *err)
{
	struct buf v = BUF_INIT;
	int rc = store_setting_get(a->st, "symmetrize", &v, err);

	a->sym = SYM_GROW_DIAG_FINAL_AND;
	for (int m = 0; rc > 0 && m < SYM_COUNT; m++)
		if (strcmp(align_sym_name((enum symmetrize)m), buf_cstr(&v)) == 0)
			a->sym = (enum symmetrize)m;
	buf_release(&v);
	return rc < 0 ? -1 : 0;
}

/* Every sentence of the source file, one per pair. */
static int
read_sources(struct adding *a, struct ferry_err *err)
{
	struct sentreader_opts so = { .fmt = a->o->src_fmt, .labels = a->o->labels };
	struct sentreader r = { 0 };
	struct sent s = { 0 };
	struct tag *tags = NULL;
	size_t tags_cap = 0;
	int64_t i = 0;
	int rc = -1, got;

	if (so.fmt == FMT_AUTO)
		so.fmt = input_format_guess_tagged(a->o->src);
	if (so.fmt == FMT_LINES)
		return err_set(err, EX_USAGE, "%s: the source must be CoNLL or JSONL (use a .conll or .jsonl "
			       "name, or --src-format)", a->o->src);
	if (sentreader_open(&r, a->o->src, &so, err) < 0)
		return -1;
	a->x = xcalloc((size_t)a->npairs, sizeof *a->x);
	while ((got = sentreader_next(&r, &s, err)) > 0) {
		if (i == a->npairs) {
			err_at(err, EX_DATAERR, a->o->src, s.line, 0, "more sentences than the project has pairs "
			       "(%lld; expected one sentence per pair, in the project's order)", (long long)a->npairs);
			goto out;
		}
		if (s.tags.n != s.tokens.n) {
			err_at(err, EX_DATAERR, a->o->src, s.line, 0, "sentence has no tags (expected a tag for "
			       "every token)");
			goto out;
		}
		struct xsrc *x = &a->x[i++];
		toks_set_joined(&x->src, s.tokens.text ? s.tokens.text : "", s.tokens.len);
		if (labelled_spans(&a->lab, &s, 0, &tags, &tags_cap, &x->ents, err) < 0)
			goto out;
		a->entities += (int64_t)x->ents.n;
	}
	if (got < 0)
		goto out;
	if (i < a->npairs) {
		err_at(err, EX_DATAERR, a->o->src, r.in.lineno + 1, 0, "file ends after %lld sentence%s but the "
		       "project has %lld pairs (expected one sentence per pair)", (long long)i, i == 1 ? "" : "s",
		       (long long)a->npairs);
		goto out;
	}
	rc = labelled_end(&a->lab, 0, err);
out:
	sentreader_close(&r);
	sent_release(&s);
	free(tags);
	return rc;
}

/* One alignment file in lockstep with the pairs into the links `which` (0 fwd, 1 rev) of each. */
static int
read_links(struct adding *a, const char *path, int which, struct ferry_err *err)
{
	struct lines l = { 0 };
	int64_t i = 0;
	int rc = -1, got;

	if (lines_open(&l, path, 0, "a sentence's links", err) < 0)
		return -1;
	while ((got = lines_next(&l, err)) > 0) {
		if (i == a->npairs) {
			err_at(err, EX_DATAERR, path, l.lineno, 0, "more lines than the project has pairs (%lld; "
			       "expected one line per pair)", (long long)a->npairs);
			goto out;
		}
		struct xsrc *x = &a->x[i];
		if (align_parse(l.line, l.len, &a->o->aopts, x->src.n, a->tgt[i].n, path, l.lineno,
				which ? &x->rev : &x->fwd, err) < 0)
			goto out;
		i++;
	}
	if (got < 0)
		goto out;
	if (i < a->npairs) {
		err_at(err, EX_DATAERR, path, l.lineno + 1, 0, "file ends after %lld line%s but the project has "
		       "%lld pairs (expected one line per pair)", (long long)i, i == 1 ? "" : "s", (long long)a->npairs);
		goto out;
	}
	rc = 0;
out:
	lines_close(&l);
	return rc;
}

/* Without --align: ferry's aligner on these pairs (and the training text). */
static int
align_sources(struct adding *a, struct ferry_err *err)
{
	struct sentreader_opts lines = { .fmt = FMT_LINES };
	aligner *al = aligner_new(&a->o->aligner);
	int rc = -1;

	for (int64_t i = 0; i < a->npairs; i++)
		if (aligner_add(al, &a->x[i].src, &a->tgt[i], err) < 0)
			goto out;
	aligner_more(al);
	for (size_t k = 0; k < a->o->nbitext; k++)
		if (aligner_read(al, a->o->bitext_src[k], &lines, a->o->bitext_tgt[k], &lines, NULL, err) < 0)
			goto out;
	if (aligner_train(al, err) < 0)
		goto out;
	for (int64_t i = 0; i < a->npairs; i++) {
		aligner_links(al, (size_t)i, &a->x[i].fwd, &a->x[i].rev);
		a->x[i].has_rev = 1;
	}
	rc = 0;
out:
	aligner_free(al);
	return rc;
}

/* The source and its rows, with the log entry, in one transaction. */
static int
write_source(struct adding *a, struct source_add_result *res, struct ferry_err *err)
{
	struct buf name = BUF_INIT, j = BUF_INIT;
	int id, rc = -1;

	if (a->o->align)
		buf_adds(&name, a->o->aligner_name ? a->o->aligner_name : "given");
	else
		buf_adds(&name, "ferry "), aligner_opts_format(&a->o->aligner, &name);
	if (store_begin(a->st, err) < 0)
		goto out;
	if (store_source_add(a->st, a->o->lang, buf_cstr(&name), &id, err) < 0)
		goto fail;
	for (int64_t i = 0; i < a->npairs; i++) {
		a->x[i].source = id;
		if (store_xsource_add(a->st, a->ids[i], &a->x[i], err) < 0)
			goto fail;
	}
	buf_addf(&j, "{\"source\":%d,\"lang\":", id);
	buf_add_json(&j, a->o->lang, strlen(a->o->lang));
	buf_adds(&j, ",\"src\":");
	buf_add_json(&j, a->o->src, strlen(a->o->src));
	buf_addf(&j, ",\"pairs\":%lld,\"entities\":%lld,\"aligner\":", (long long)a->npairs, (long long)a->entities);
	buf_add_json(&j, buf_cstr(&name), name.len);
	buf_addc(&j, '}');
	if (store_log_add(a->st, 0, "add-source", NULL, buf_cstr(&j), err) < 0 || store_labels_remember(a->st, err) < 0 ||
	    store_commit(a->st, err) < 0)
		goto fail;
	res->source = id;
	res->pairs = a->npairs;
	res->entities = a->entities;
	res->scheme = a->lab.scheme;
	rc = 0;
	goto out;
fail:
	store_rollback(a->st);
out:
	buf_release(&name);
	buf_release(&j);
	return rc;
}

int
import_source(const struct source_add_opts *o, struct source_add_result *res, struct ferry_err *err)
{
	struct adding a = { .o = o, .lab = { .path = o->src, .scheme = o->scheme } };
	const struct input_name names[] = {
		{ "--src", o->src }, { "--align", o->align }, { "--align-rev", o->align_rev },
	};
	int rc = -1;

	memset(res, 0, sizeof *res);
	if (input_check_names(names, sizeof names / sizeof *names, o->project, err) < 0 ||
	    store_open(&a.st, o->project, 0, err) < 0)
		return -1;
	if (read_targets(&a, err) < 0 || project_sym(&a, err) < 0 || read_sources(&a, err) < 0)
		goto out;
	if (o->align) {
		if (read_links(&a, o->align, 0, err) < 0 || (o->align_rev && read_links(&a, o->align_rev, 1, err) < 0))
			goto out;
		for (int64_t i = 0; i < a.npairs; i++)
			a.x[i].has_rev = o->align_rev != NULL;
	} else if (align_sources(&a, err) < 0) {
		goto out;
	}
	for (int64_t i = 0; i < a.npairs; i++) {
		struct xsrc *x = &a.x[i];
		if (x->has_rev)
			align_symmetrize(&x->fwd, &x->rev, x->src.n, a.tgt[i].n, a.sym, &x->sym);
		else
			links_copy(&x->sym, &x->fwd);
	}
	rc = write_source(&a, res, err);
out:
	if (store_close(a.st, rc == 0 ? err : NULL) < 0)
		rc = -1;
	for (int64_t i = 0; i < a.npairs; i++) {
		toks_release(&a.tgt[i]);
		if (a.x) {
			toks_release(&a.x[i].src);
			spans_release(&a.x[i].ents);
			links_release(&a.x[i].fwd);
			links_release(&a.x[i].rev);
			links_release(&a.x[i].sym);
		}
	}
	free(a.tgt);
	free(a.ids);
	free(a.x);
	return rc;
}
