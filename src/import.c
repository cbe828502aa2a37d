/*
 * import.c — the import engine behind `ferry import`: read corpus files in
 * lockstep, one pair at a time, and append them to a project in one
 * transaction.
 *
 * All or nothing: a new project is built in a private temporary file
 * (no journal, no fsync while it grows: nothing else can see it), synced
 * once and linked into place only when every input has been read without
 * error (scratch.h removes it on failure or a signal, and the next import
 * of the same project sweeps what a SIGKILLed one left); an existing project gets one BEGIN IMMEDIATE ... COMMIT, rolled
 * back on the first error.  Memory stays bounded by the longest sentences:
 * nothing is kept but reusable buffers and the two batches in flight.
 *
 * The flow: every input is read once, front to back, so that FIFOs and
 * pipes work as files do.  The batch pipeline's reader thread builds pairs
 * from the next sentence or line of every input (read_pair: tokens, tags
 * checked against the scheme, alignments parsed; the symmetrised links
 * are made when a pair is read back) in batches, while import_pairs
 * writes the previous batch to the store.  A
 * labelled file whose scheme is not given is judged in the same pass
 * (struct labelled): the spans do not depend on the scheme, and the
 * verdict, with the decided scheme's first violation, comes when the file
 * ends, before anything is committed.  Settings a project keeps from its
 * first import must agree (agree_setting), and the import ends with one
 * log entry (record_import).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ferry/align.h"
#include "ferry/batch.h"
#include "ferry/import.h"
#include "ferry/input.h"
#include "ferry/mem.h"
#include "ferry/scheme.h"
#include "ferry/scratch.h"
#include "ferry/store.h"
#include "ferry/text.h"
#include "import-int.h"

/* Longest project path, with room for the temporary file's suffix. */
#define IMPORT_PATH_MAX 4096


/* One import: its options, open inputs and counts. */
struct import {
	struct import_opts o;

	/* while running */
	struct sentreader r_src, r_tgt, r_gold, r_ner, r_bt;
	struct lines l_fwd, l_rev, l_sbt, l_btt;
	struct sent s_src, s_tgt, s_gold, s_ner, s_bt;
	struct tag *tags;
	size_t tags_cap;
	struct labelled src, gold;
	int64_t first_id, count;
	int64_t nread;             /* pairs read so far (the reader thread's count) */
	int made;                  /* the links are ferry's aligner's */
	struct label_count *labels;   /* of the entities and gold written, sorted (the writer's) */
	size_t nlabels, labels_cap;
};

/* The tokens of a target-side file must be the target's tokens. */
static int
same_tokens(const struct sent *s, const struct toks *tgt, const char *file, const char *tgtfile,
	    struct ferry_err *err)
{
	char a[ERR_QUOTE_MAX], b[ERR_QUOTE_MAX];
	uint32_t i;
	size_t la, lb;

	switch (sent_cmp_tokens(s, tgt, &i)) {
	case SENT_SAME:
		return 0;
	case SENT_OTHER_COUNT:
		return err_at(err, EX_DATAERR, file, s->line, 0,
			      "sentence has %u tokens but the target in %s has %u (expected the same tokens)",
			      s->tokens.n, tgtfile, tgt->n);
	case SENT_OTHER_TOKEN:
		break;
	}
	const char *x = toks_get(&s->tokens, i, &la), *y = toks_get(tgt, i, &lb);
	return err_at(err, EX_DATAERR, file, s->pos[i].line, s->pos[i].col,
		      "token '%s' differs from target token %u '%s' in %s (expected the same tokens)",
		      err_quote(a, sizeof a, x, la), i + 1, err_quote(b, sizeof b, y, lb), tgtfile);
}

/* A line-based file ended before the source did. */
static int
ended_early(const char *file, long lines, int64_t n, const struct import *im, struct ferry_err *err)
{
	return err_at(err, EX_DATAERR, file, lines + 1, 0,
		      "file ends after %lld sentence%s but %s has more (expected one line per sentence; "
		      "%s:%ld starts sentence %lld)", (long long)n, n == 1 ? "" : "s", im->o.src, im->o.src,
		      im->s_src.line, (long long)n + 1);
}

/* Read the next line of an alignment file and parse it. */
static int
read_align(struct import *im, struct lines *l, uint32_t na, uint32_t nb, struct links *out,
	   struct ferry_err *err)
{
	int rc = lines_next(l, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return ended_early(l->path, l->lineno, im->nread, im, err);
	rc = align_parse(l->line, l->len, &im->o.aopts, na, nb, l->path, l->lineno, out, err);
	if (rc == ALIGN_RANGE) {
		/* the index may be right and the sentence wrong: say where it is */
		size_t n = strlen(err->msg);
		snprintf(err->msg + n, sizeof err->msg - n, "; sentence %lld starts at %s:%ld",
			 (long long)im->nread + 1, im->o.src, im->s_src.line);
	}
	return rc;
}

/* Read a sentence of a secondary sentence file, which must not end early. */
static int
read_sent(struct import *im, struct sentreader *r, struct sent *s, struct ferry_err *err)
{
	int rc = sentreader_next(r, s, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return ended_early(r->in.path, r->in.lineno, im->nread, im, err);
	return 0;
}

/* Build pair p from the next sentence of every input; 0 at the end. */
static int
read_pair(struct import *im, struct pair *p, struct ferry_err *err)
{
	int rc = sentreader_next(&im->r_src, &im->s_src, err);

	if (rc <= 0)
		return rc;
	pair_reset(p);
	const struct sent *s = &im->s_src;
	if (s->tags.n != s->tokens.n)
		return err_at(err, EX_DATAERR, im->o.src, s->line, 0,
			      "sentence has no tags (expected \"ner_tags\" for every token)");
	if (labelled_spans(&im->src, s, im->o.repair, &im->tags, &im->tags_cap, &p->ents, err) < 0)
		return -1;
	toks_swap(&p->src, &im->s_src.tokens);   /* see import_read */
	if (read_sent(im, &im->r_tgt, &im->s_tgt, err) < 0)
		return -1;
	toks_swap(&p->tgt, &im->s_tgt.tokens);
	if (read_align(im, &im->l_fwd, p->src.n, p->tgt.n, &p->fwd, err) < 0)
		return -1;
	if (im->o.align_rev) {
		if (read_align(im, &im->l_rev, p->src.n, p->tgt.n, &p->rev, err) < 0)
			return -1;
		p->has_rev = 1;
	}
	/* no symmetrised links: the project makes them when it reads the pair (store_pair_add) */
	if (im->o.bt) {
		if (read_sent(im, &im->r_bt, &im->s_bt, err) < 0)
			return -1;
		toks_swap(&p->bt, &im->s_bt.tokens);
		p->has_bt = 1;
		if (read_align(im, &im->l_sbt, p->src.n, p->bt.n, &p->src_bt, err) < 0 ||
		    read_align(im, &im->l_btt, p->bt.n, p->tgt.n, &p->bt_tgt, err) < 0)
			return -1;
	}
	if (im->o.gold) {
		if (read_sent(im, &im->r_gold, &im->s_gold, err) < 0 ||
		    same_tokens(&im->s_gold, &p->tgt, im->o.gold, im->o.tgt, err) < 0)
			return -1;
		if (im->s_gold.tags.n != im->s_gold.tokens.n)
			return err_at(err, EX_DATAERR, im->o.gold, im->s_gold.line, 0,
				      "sentence has no tags (expected a tag for every token)");
		if (labelled_spans(&im->gold, &im->s_gold, im->o.repair, &im->tags, &im->tags_cap, &p->gold, err) < 0)
			return -1;
		p->has_gold = 1;
	}
	if (im->o.ner) {
		if (read_sent(im, &im->r_ner, &im->s_ner, err) < 0 ||
		    same_tokens(&im->s_ner, &p->tgt, im->o.ner, im->o.tgt, err) < 0)
			return -1;
		/* predictions are stored as given: bad tags are errors, even with --repair */
		if (sent_parse_tags(&im->s_ner, im->o.ner, 0, &im->tags, &im->tags_cap, NULL, err) < 0)
			return -1;
		toks_swap(&p->ner_tags, &im->s_ner.tags);
		toks_swap(&p->ner_probs, &im->s_ner.probs);
		p->has_ner = 1;
	}
	im->nread++;
	return 1;
}

/* After the source ends, every other input must end too. */
static int
check_all_ended(struct import *im, struct ferry_err *err)
{
	struct sentreader *rs[] = { &im->r_tgt, &im->r_bt, &im->r_gold, &im->r_ner };
	struct lines *ls[] = { &im->l_fwd, &im->l_rev, &im->l_sbt, &im->l_btt };
	struct sent extra = { 0 };
	int rc = 0;

	for (size_t i = 0; i < sizeof rs / sizeof *rs && rc == 0; i++) {
		if (rs[i]->in.fp == NULL)
			continue;
		int got = sentreader_next(rs[i], &extra, err);
		if (got < 0)
			rc = -1;
		else if (got > 0)
			rc = err_at(err, EX_DATAERR, rs[i]->in.path, extra.line, 0,
				    "more sentences than %s, which has %lld (expected one per source sentence)",
				    im->o.src, (long long)im->nread);
	}
	for (size_t i = 0; i < sizeof ls / sizeof *ls && rc == 0; i++) {
		if (ls[i]->fp == NULL)
			continue;
		int got = lines_next(ls[i], err);
		if (got < 0)
			rc = -1;
		else if (got > 0)
			rc = err_at(err, EX_DATAERR, ls[i]->path, ls[i]->lineno, 0,
				    "more lines than %s has sentences (%lld; expected one line per sentence)",
				    im->o.src, (long long)im->nread);
	}
	sent_release(&extra);
	return rc;
}

/* What a line of an alignment file holds, for the overlong-line message. */
#define LINKS "a sentence's links"

/* Open every input file named on the command line. */
static int
open_inputs(struct import *im, struct ferry_err *err)
{
	struct sentreader_opts src = { .fmt = im->o.src_fmt, .labels = im->o.labels };
	struct sentreader_opts tgt = { .fmt = im->o.tgt_fmt, .tokenize = im->o.tokenize, .labels = im->o.labels };
	struct sentreader_opts bt = { .fmt = FMT_LINES, .tokenize = im->o.tokenize };
	struct sentreader_opts gold = { .fmt = im->o.gold_fmt, .labels = im->o.labels };
	struct sentreader_opts ner = { .fmt = FMT_CONLL, .ner = 1 };
	const struct input_name names[] = {
		{ "--src", im->o.src }, { "--tgt", im->o.tgt }, { "--align", im->o.align },
		{ "--align-rev", im->o.align_rev }, { "--bt", im->o.bt }, { "--align-src-bt", im->o.align_src_bt },
		{ "--align-bt-tgt", im->o.align_bt_tgt }, { "--tgt-gold", im->o.gold }, { "--tgt-ner", im->o.ner },
	};

	if (input_check_names(names, sizeof names / sizeof *names, im->o.project, err) < 0)
		return -1;
	/* said before any FIFO is opened: opening one waits for its writer */
	if (src.fmt == FMT_AUTO)
		src.fmt = input_format_guess_tagged(im->o.src);
	if (src.fmt == FMT_LINES)
		return err_set(err, EX_USAGE, "%s: the source must be CoNLL or JSONL "
			       "(use a .conll or .jsonl name, or --src-format)", im->o.src);
	if (gold.fmt == FMT_AUTO && im->o.gold)
		gold.fmt = input_format_guess_tagged(im->o.gold);
	if (sentreader_open(&im->r_src, im->o.src, &src, err) < 0 ||
	    sentreader_open(&im->r_tgt, im->o.tgt, &tgt, err) < 0 ||
	    lines_open(&im->l_fwd, im->o.align, 0, LINKS, err) < 0)
		return -1;
	if (im->o.align_rev && lines_open(&im->l_rev, im->o.align_rev, 0, LINKS, err) < 0)
		return -1;
	if (im->o.bt && (sentreader_open(&im->r_bt, im->o.bt, &bt, err) < 0 ||
		       lines_open(&im->l_sbt, im->o.align_src_bt, 0, LINKS, err) < 0 ||
		       lines_open(&im->l_btt, im->o.align_bt_tgt, 0, LINKS, err) < 0))
		return -1;
	if (im->o.gold && sentreader_open(&im->r_gold, im->o.gold, &gold, err) < 0)
		return -1;
	if (im->o.ner && sentreader_open(&im->r_ner, im->o.ner, &ner, err) < 0)
		return -1;
	return 0;
}

/* Close every input and free the sentences read from them. */
static void
close_inputs(struct import *im)
{
	sentreader_close(&im->r_src);
	sentreader_close(&im->r_tgt);
	sentreader_close(&im->r_bt);
	sentreader_close(&im->r_gold);
	sentreader_close(&im->r_ner);
	lines_close(&im->l_fwd);
	lines_close(&im->l_rev);
	lines_close(&im->l_sbt);
	lines_close(&im->l_btt);
	sent_release(&im->s_src);
	sent_release(&im->s_tgt);
	sent_release(&im->s_bt);
	sent_release(&im->s_gold);
	sent_release(&im->s_ner);
	free(im->tags);
	free(im->labels);
}

/*
 * Settings a project keeps from its first import; a later import must
 * agree with them.  An unset value is adopted.
 */
static int
agree_setting(ferry_store *st, const char *key, const char *want, const char *what,
	      struct ferry_err *err)
{
	struct buf have = BUF_INIT;
	int rc;

	if (want == NULL)
		return 0;
	rc = store_setting_get(st, key, &have, err);
	if (rc > 0 && strcmp(buf_cstr(&have), want) != 0) {
		err_set(err, EX_DATAERR, "%s: this import's %s '%s' conflicts with the project's '%s' "
			"(expected the same %s in every import of a project)",
			store_path(st), what, want, buf_cstr(&have), what);
		rc = -1;
	} else if (rc == 0) {
		rc = store_setting_set(st, key, want, err);
	} else if (rc > 0) {
		rc = 0;
	}
	buf_release(&have);
	return rc;
}

/* Write the settings and the log entry of this import. */
static int
record_import(struct import *im, ferry_store *st, struct ferry_err *err)
{
	struct buf j = BUF_INIT;
	int rc;

	buf_addf(&j, "{\"pairs\":%lld,\"first\":%lld,\"src\":", (long long)im->count, (long long)im->first_id);
	buf_add_json(&j, im->o.src, strlen(im->o.src));
	buf_adds(&j, ",\"tgt\":");
	buf_add_json(&j, im->o.tgt, strlen(im->o.tgt));
	buf_addf(&j, ",\"scheme\":\"%s\",\"repaired\":%ld}", scheme_name((enum scheme)im->src.scheme),
		 im->src.repaired + im->gold.repaired);
	rc = store_log_add(st, 0, "import", NULL, buf_cstr(&j), err) < 0 ? -1 : 0;
	buf_release(&j);
	return rc;
}

/*
 * Reading and writing overlap on the batch pipeline (batch.h): its reader
 * thread parses the inputs (UTF-8, NFC, tokens, tags, links) into
 * batches of pairs while this thread inserts the previous batch into the
 * project.  Nothing to work on in between.
 */
#define IMPORT_BATCH 256

/* The import as the pipeline sees it. */
struct import_pipe {
	struct import *im;
	ferry_store *st;
	int ended;                        /* every input read to its end */
};

/*
 * The reader thread's step: the next batch of pairs, each read into its
 * item.  The readers' token buffers are swapped with the item's (from a
 * batch before), not copied: each sentence is read into the buffers of
 * a pair written rounds ago, grown to size by then.  Its links are
 * encoded here too: the writer, the busier thread, then binds bytes.
 */
static int
import_read(void *ctx, struct batch *b, struct ferry_err *err)
{
	struct import_pipe *ir = ctx;
	struct pair *v = b->items;
	int rc = 1;

	if (ir->ended)
		return 0;
	while (b->n < b->cap && (rc = read_pair(ir->im, &v[b->n], err)) > 0)
		store_pair_encode(&v[b->n++]);   /* here, while its links are in this thread's cache */
	if (rc < 0 || (rc == 0 && (labelled_end(&ir->im->src, ir->im->o.repair, err) < 0 ||
				   labelled_end(&ir->im->gold, ir->im->o.repair, err) < 0 || check_all_ended(ir->im, err) < 0)))
		return -1;
	ir->ended = rc == 0;
	b->mark = (int64_t)ir->im->r_src.in.pos;
	return b->n > 0 || !ir->ended ? 1 : 0;
}

/* Note the label of spans written into the sorted im->labels (a tag set is small: a binary search). */
static void
note_labels(struct import *im, const struct spans *sp)
{
	for (size_t k = 0; k < sp->n; k++) {
		const char *label = sp->v[k].label;
		size_t lo = 0, hi = im->nlabels;
		int c = 1;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			c = strcmp(im->labels[mid].label, label);
			if (c == 0)
				break;
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (c == 0 && lo < hi)
			continue;
		VEC_GROW(im->labels, im->labels_cap, im->nlabels + 1);
		memmove(im->labels + lo + 1, im->labels + lo, (im->nlabels - lo) * sizeof *im->labels);
		memset(&im->labels[lo], 0, sizeof *im->labels);
		str_copy_cut(im->labels[lo].label, sizeof im->labels[lo].label, label, strlen(label));
		im->nlabels++;
	}
}

/* Insert a batch of pairs into the project (inside the import's one transaction). */
static int
import_write(void *ctx, struct batch *b, struct ferry_err *err)
{
	struct import_pipe *ir = ctx;
	struct pair *v = b->items;

	for (size_t i = 0; i < b->n; i++) {
		if (store_pair_add(ir->st, &v[i], err) < 0)
			return -1;
		note_labels(ir->im, &v[i].ents);
		note_labels(ir->im, &v[i].gold);
		if (ir->im->count++ == 0)
			ir->im->first_id = v[i].id;
	}
	return 0;
}

/* After each batch read: the source bytes read and the pairs stored so far. */
static int
import_progress(void *ctx, const struct batch *b)
{
	struct import_pipe *ir = ctx;

	if (ir->im->o.on_update)
		ir->im->o.on_update(ir->im->o.arg, b->mark, ir->im->count);
	return 0;
}

/* The end of the reader thread: free what ICU keeps per thread. */
static void
import_thread_end(void *ctx)
{
	(void)ctx;
	text_thread_cleanup();
}

/* Free a pair of a batch. */
static void
import_item_release(void *ctx, void *item)
{
	(void)ctx;
	pair_release(item);
}

static const struct batch_ops import_ops = {
	.item_size = sizeof(struct pair),
	.read = import_read,
	.write = import_write,
	.progress = import_progress,
	.thread_end = import_thread_end,
	.item_release = import_item_release,
};

/* The import proper, into an open store, inside a transaction. */
static int
import_pairs(struct import *im, ferry_store *st, struct ferry_err *err)
{
	struct import_pipe ir = { .im = im, .st = st };
	int rc;

	if (agree_setting(st, "src_lang", im->o.src_lang, "source language", err) < 0 ||
	    agree_setting(st, "tgt_lang", im->o.tgt_lang, "target language", err) < 0 ||
	    agree_setting(st, "symmetrize", im->o.align_rev ? align_sym_name(im->o.sym) : NULL,
			  "symmetrisation", err) < 0 ||
	    agree_setting(st, "tokenize", im->o.tokenize ? "icu" : "spaces", "target tokenisation", err) < 0)
		return -1;
	/* which aligner made this import's links, for ferry stats */
	struct buf how = BUF_INIT;
	if (im->made) {
		buf_adds(&how, "ferry ");
		aligner_opts_format(&im->o.aligner, &how);
	} else {
		buf_adds(&how, im->o.aligner_name ? im->o.aligner_name : "given");
	}
	rc = store_setting_set(st, "aligner", buf_cstr(&how), err);
	buf_release(&how);
	if (rc < 0)
		return -1;
	if (im->o.on_start)
		im->o.on_start(im->o.arg, (int64_t)im->r_src.in.size);
	rc = batch_run(&import_ops, &ir, IMPORT_BATCH, 1, BATCH_READ_THREAD, err);
	if (rc == 0 && im->count == 0)
		rc = err_set(err, EX_DATAERR, "%s: no sentences (expected at least one)", im->o.src);
	if (rc == 0) {
		if (im->o.on_end)
			im->o.on_end(im->o.arg, im->count);
		rc = record_import(im, st, err);
	}
	return rc < 0 ? -1 : 0;
}

/* The defaults import.h promises. */
void
import_opts_init(struct import_opts *o)
{
	memset(o, 0, sizeof *o);
	o->scheme = -1;
	o->sym = SYM_GROW_DIAG_FINAL_AND;
	aligner_opts_init(&o->aligner);
}

/* ---- aligning first ------------------------------------------------------------ */

/* The alignment files an import made itself: temporaries next to the project. */
struct made_links {
	char path[6][IMPORT_PATH_MAX + 96];
	int held[6];
	int n;
};

/* A file the aligner reads before the import reads it again: not a pipe. */
static int
readable_twice(const char *path, const char *opt, struct ferry_err *err)
{
	struct stat sb;

	if (path == NULL || stat(path, &sb) < 0 || S_ISREG(sb.st_mode))
		return 0;   /* a missing file is reported by the reader that opens it */
	return err_set(err, EX_USAGE, "%s: %s is read twice without alignment files (once to align it), so it "
		       "must be a regular file, not a pipe (expected a file, or the alignments given)", path, opt);
}

/* Align the pairs of (a, b) (more text to train on in ma/mb) into two new temporaries of made. */
static int
align_two(struct import *im, const char *a, const struct sentreader_opts *oa, const char *b,
	  const struct sentreader_opts *ob, const char *const *ma, const char *const *mb, size_t nm,
	  const char *target, struct made_links *made, struct ferry_err *err)
{
	struct sentreader_opts lines = { .fmt = FMT_LINES };
	aligner *al = aligner_new(&im->o.aligner);
	size_t n = 0;
	int rc = -1;

	if (aligner_read(al, a, oa, b, ob, &n, err) < 0)
		goto out;
	aligner_more(al);
	for (size_t i = 0; i < nm; i++)
		if (aligner_read(al, ma[i], &lines, mb[i], &lines, NULL, err) < 0)
			goto out;
	for (int k = 0; k < 2; k++) {
		int i = made->n + k;
		char kind[32];
		snprintf(kind, sizeof kind, "links-%s%d", k == 0 ? "fwd" : "rev", i / 2);
		if (scratch_start(target, kind, im->o.project, made->path[i], sizeof made->path[i], &made->held[i],
				  err) < 0)
			goto out;
	}
	made->n += 2;
	if (aligner_train(al, err) < 0 ||
	    aligner_write(al, n, made->path[made->n - 2], made->path[made->n - 1], err) < 0)
		goto out;
	rc = 0;
out:
	aligner_free(al);
	return rc;
}

/*
 * Without --align: align the pairs with ferry's aligner into temporaries
 * and point the import at them, as if they had been given.
 */
static int
align_first(struct import *im, struct made_links *made, struct ferry_err *err)
{
	struct sentreader_opts src = { .fmt = im->o.src_fmt, .labels = im->o.labels };
	struct sentreader_opts tgt = { .fmt = im->o.tgt_fmt, .tokenize = im->o.tokenize, .labels = im->o.labels };
	struct sentreader_opts bt = { .fmt = FMT_LINES, .tokenize = im->o.tokenize };
	char target[IMPORT_PATH_MAX];
	int bt_too = im->o.bt && !im->o.align_src_bt && !im->o.align_bt_tgt;

	if (readable_twice(im->o.src, "--src", err) < 0 || readable_twice(im->o.tgt, "--tgt", err) < 0 ||
	    (bt_too && readable_twice(im->o.bt, "--bt", err) < 0))
		return -1;
	if (scratch_follow(im->o.project, target, sizeof target, err) < 0)
		return -1;
	if (align_two(im, im->o.src, &src, im->o.tgt, &tgt, im->o.bitext_src, im->o.bitext_tgt, im->o.nbitext,
		      target, made, err) < 0)
		return -1;
	im->made = 1;
	im->o.align = made->path[0];
	im->o.align_rev = made->path[1];
	if (bt_too) {
		if (align_two(im, im->o.src, &src, im->o.bt, &bt, NULL, NULL, 0, target, made, err) < 0 ||
		    align_two(im, im->o.bt, &bt, im->o.tgt, &tgt, NULL, NULL, 0, target, made, err) < 0)
			return -1;
		/* the import reads one direction of each: the forward models' links */
		im->o.align_src_bt = made->path[2];
		im->o.align_bt_tgt = made->path[4];
	}
	return 0;
}

static void
made_remove(struct made_links *made)
{
	for (int i = 0; i < made->n; i++) {
		scratch_remove(made->path[i]);
		scratch_forget(made->held[i]);
	}
}

/* A new project is built aside and linked into place; an old one appended to. */
int
import_run(const struct import_opts *opts, struct import_result *res, struct ferry_err *err)
{
	struct import state = {
		.o = *opts,
		.src = { .path = opts->src, .scheme = opts->scheme },
		/* the gold file's scheme is its own, whatever --scheme says of the source */
		.gold = { .path = opts->gold, .scheme = -1 },
	};
	struct import *im = &state;
	ferry_store *st = NULL;
	char tmp[IMPORT_PATH_MAX], target[IMPORT_PATH_MAX];
	struct stat sb;
	int fresh = stat(im->o.project, &sb) != 0, rc = -1, held = -1, stale = 0;

	struct made_links made = { .n = 0 };

	if (res)
		memset(res, 0, sizeof *res);
	if (!im->o.align && align_first(im, &made, err) < 0)
		goto out;
	if (open_inputs(im, err) < 0)
		goto out;
	if (scratch_follow(im->o.project, target, sizeof target, err) < 0)
		goto out;
	if (fresh) {
		if ((stale = scratch_start(target, "import", im->o.project, tmp, sizeof tmp, &held, err)) < 0)
			goto out;
		if (store_open(&st, tmp, STORE_CREATE | STORE_BULK, err) < 0) {
			err_set(err, EX_CANTCREAT, "%s: cannot create the project (is its directory there and writable?)",
				im->o.project);
			goto out;
		}
	} else {
		stale = scratch_sweep(target, "import", NULL);   /* what interrupted fresh imports left */
		if (store_open(&st, im->o.project, 0, err) < 0)
			goto out;
	}
	if (store_begin(st, err) < 0 || import_pairs(im, st, err) < 0 ||
	    store_labels_add(st, im->labels, im->nlabels, fresh, err) < 0 || store_commit(st, err) < 0) {
		store_rollback(st);
		goto out;
	}
	rc = 0;
	if (res) {
		res->pairs = im->count;
		res->first_id = im->first_id;
		res->repaired = im->src.repaired + im->gold.repaired;
		res->scheme = im->src.scheme;
		res->stale = stale;
	}
out:
	if (st && store_close(st, rc == 0 ? err : NULL) < 0)
		rc = -1;
	if (fresh && st) {
		/* on disk before it becomes visible, and never over a
		   PROJECT someone created meanwhile */
		if (rc == 0 && scratch_publish(tmp, target) < 0)
			rc = err_set(err, errno == EIO || errno == ENOSPC ? EX_IOERR : EX_CANTCREAT,
				     "%s: cannot create the project: %s", im->o.project, strerror(errno));
		scratch_remove(tmp);
	}
	scratch_forget(held);
	close_inputs(im);
	made_remove(&made);
	return rc;
}

/* ---- labelled inputs (import-int.h) ------------------------------------------- */

int
labelled_spans(struct labelled *lab, const struct sent *s, int repair, struct tag **tags, size_t *cap,
	       struct spans *out, struct ferry_err *err)
{
	int bad;

	if (sent_parse_tags(s, lab->path, repair, tags, cap, &lab->repaired, err) < 0)
		return -1;
	if (lab->scheme >= 0) {
		bad = scheme_check((enum scheme)lab->scheme, *tags, s->tags.n, s->pos, lab->path, repair, err);
		if (bad < 0)
			return -1;
		lab->repaired += bad;
	} else {
		scheme_judge_add(&lab->judge, *tags, s->tags.n, s->pos, lab->path, repair);
	}
	spans_reset(out);
	scheme_decode(*tags, s->tags.n, out);
	return 0;
}

int
labelled_end(struct labelled *lab, int repair, struct ferry_err *err)
{
	enum scheme sc;
	long bad;

	if (lab->path == NULL || lab->scheme >= 0)
		return 0;
	if (scheme_judge_end(&lab->judge, repair, lab->path, &sc, &bad, err) < 0)
		return -1;
	lab->scheme = (int)sc;
	lab->repaired += bad;
	return 0;
}
