/*
 * match-run.c — the matcher over a project, on the batch pipeline.
 *
 * Pairs are read in batches of MATCH_BATCH ids (the filter's states
 * within each id range), decoded and matched by the pipeline's workers,
 * each pair into its own item, and written back one batch per
 * transaction by the single writer: the calling thread, which also reads
 * (SQLite has one writer, and reading shares its connection).  So the
 * project does not depend on the number of threads, and a reviewer
 * working on the same file waits at most one batch.
 *
 * A pair whose version changed since it was read (a reviewer edited it)
 * is left alone and counted as stale; a pair whose projections come out
 * as it already holds them is not written again, so its version stays
 * and a reviewer looking at it is not sent back.  With --output the
 * project is only read and the results go to a part file, which
 * match_merge() applies later.  The part is written under a temporary
 * name beside it (scratch.h: removed on failure and on a signal, swept by
 * the next run after a SIGKILL) and linked into place once complete, so
 * an interrupted run leaves nothing that blocks the next.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ferry/batch.h"
#include "ferry/match-run.h"
#include "ferry/mem.h"
#include "ferry/scratch.h"
#include "ferry/text.h"

/* Pair ids per batch. */
#define MATCH_BATCH 512

/* A run in progress: the options in force and where the pairs go. */
struct run {
	struct match_run_opts opts;      /* the caller's, the range and threads settled */
	struct match_run_totals *t;
	ferry_store *st;
	ferry_store *part;               /* with r.output */
	char target[PATH_MAX];           /* where the part goes (symbolic links followed) */
	char tmp[PATH_MAX + 96];         /* the part while it is written; "" when none */
	int held;                        /* tmp's scratch slot */
	int64_t first, last;             /* the pair ids in range */
	int64_t from;                    /* the first id of the next batch */
	struct match_plan plan;          /* the sources and their options */
	int estimating;                  /* the agreement pass: nothing is written */
	struct fuse_agreement agree;
	store_iter *it;                  /* opened by the first batch, moved on by the next */
};

/* Read the pairs of the next id range. */
static int
read_pairs(void *ctx, struct batch *b, struct ferry_err *err)
{
	struct run *r = ctx;
	struct store_filter f = { r->opts.f.status_mask, r->from,
				  r->from + (int64_t)b->cap - 1 < r->last ? r->from + (int64_t)b->cap - 1 : r->last };
	struct match_item *v = b->items;
	int got = 0;

	if (r->from > r->last)
		return 0;
	b->mark = f.to;
	r->from += (int64_t)b->cap;
	/* a part records each pair's digest, which merge checks; the statements are prepared once */
	if (r->it ? store_iter_seek(r->it, f.from, f.to, err) < 0
		  : store_iter_open(r->st, &f, LOAD_TEXT | LOAD_ENTS | LOAD_ALIGN | LOAD_NER | LOAD_PINS | LOAD_PROJ |
				    LOAD_DEFER | (r->part ? LOAD_DIGEST : 0) | (r->plan.single ? 0 : LOAD_SOURCES) |
				    (match_plan_needs_sym(&r->plan) ? 0 : LOAD_NO_SYM) |
				    (match_plan_needs_bt(&r->plan) ? 0 : LOAD_NO_BT), &r->it, err) < 0)
		return -1;
	while (b->n < b->cap && (got = store_iter_next(r->it, &v[b->n].p, err)) > 0)
		b->n++;
	/* a walk left open would keep its snapshot into the batch's write */
	store_iter_pause(r->it);
	return got < 0 ? -1 : 1;
}

/* Decode and match one pair (any thread). */
static int
match_item(void *ctx, void *worker, struct batch *b, size_t i, struct ferry_err *err)
{
	struct run *r = ctx;
	struct match_worker *w = worker;
	struct match_item *it = &((struct match_item *)b->items)[i];
	struct pair *p = &it->p;

	if (!r->plan.single && w->mos == NULL)
		w->mos = xcalloc(FERRY_SOURCES_MAX, sizeof *w->mos);
	/* one source's answer is stored without its alternatives; fusion reads each source's */
	match_ws_no_alternatives(w->ws, r->plan.single);
	if (store_pair_decode(p, r->opts.project, err) < 0 ||
	    match_plan_pair(w->ws, w->mos, &r->plan, p, &w->mo, &it->own, &it->present, err) < 0)
		return -1;
	match_to_projs(p, &w->mo, r->plan.fuse.method, &it->pj);
	it->fallback = w->mo.fallback;
	it->ilp_skipped = w->mo.ilp_skipped;
	return 0;
}

/* Store one matched pair; 1 written (or unchanged), 0 stale, -1 error. */
static int
write_item(struct run *r, const struct match_item *it, struct ferry_err *err)
{
	const struct pair *p = &it->p;
	struct match_run_totals *t = r->t;
	/* what the pair already holds is not written again: its version
	   stays, so a reviewer looking at it is not sent back */
	int same = !r->part && projs_equal(&it->pj, &p->proj);
	/* a first match's rows wait for the commit (the batch's items outlive it) */
	int w = same ? 1 : r->part ? (store_part_add(r->part, p, &it->pj, err) < 0 ? -1 : 1)
		: p->version == 0 && p->proj.n == 0 ? store_projections_first(r->st, p->id, &it->pj, err)
		: store_projections_replace(r->st, p->id, p->version, p->proj.n == 0, &it->pj, err);

	t->unchanged += same;
	if (w < 0)
		return -1;
	/* each source's own projection goes with the fused one (unless stale) */
	if (w > 0 && !r->plan.single && !sprojs_equal(&it->own, &p->own) &&
	    store_own_replace(r->st, p->id, &it->own, err) < 0)
		return -1;
	t->stale += w == 0;
	t->projections += w ? (int64_t)it->pj.n : 0;
	t->timeouts += it->fallback == MATCH_TIMEOUT;
	t->ilp_skipped += it->ilp_skipped;
	t->ilp_solved += r->plan.fuse.method == METHOD_ILP && !it->ilp_skipped && p->ents.n > 0;
	t->infeasible += it->fallback == MATCH_INFEASIBLE;
	t->pairs++;
	return w;
}

/* Store a matched batch in one transaction. */
static int
write_pairs(void *ctx, struct batch *b, struct ferry_err *err)
{
	struct run *r = ctx;
	const struct match_item *v = b->items;

	if (r->estimating) {
		for (size_t i = 0; i < b->n; i++)
			fuse_agreement_add(&r->agree, v[i].own.v, v[i].own.n, v[i].present);
		return 0;
	}
	if (!r->part && store_begin(r->st, err) < 0)
		return -1;
	for (size_t i = 0; i < b->n; i++)
		if (write_item(r, &v[i], err) < 0) {
			if (!r->part)
				store_rollback(r->st);
			return -1;
		}
	if (!r->part && store_commit(r->st, err) < 0) {
		store_rollback(r->st);
		return -1;
	}
	return 0;
}

/* After each batch: the ids covered so far. */
static int
progress(void *ctx, const struct batch *b)
{
	struct run *r = ctx;

	if (r->opts.on_update)
		r->opts.on_update(r->opts.arg, b->mark - r->first + 1, r->t->pairs);
	return 0;
}

/* A worker's scratch memory, and its release (see match-run.h). */
void *
match_worker_new(void *ctx)
{
	struct match_worker *w = xcalloc(1, sizeof *w);

	(void)ctx;
	w->ws = match_ws_new();
	return w;
}

void
match_worker_free(void *ctx, void *worker)
{
	struct match_worker *w = worker;

	(void)ctx;
	match_out_release(&w->mo);
	for (size_t k = 0; w->mos && k < FERRY_SOURCES_MAX; k++)
		match_out_release(&w->mos[k]);
	free(w->mos);
	match_ws_free(w->ws);
	free(w);
}

/* End of a worker thread: free what ICU and GLPK keep per thread. */
void
match_thread_end(void *ctx)
{
	(void)ctx;
	text_thread_cleanup();
	match_solver_thread_cleanup();
}

/* Free what a pair and its projections hold. */
void
match_item_release(void *ctx, void *item)
{
	struct match_item *it = item;

	(void)ctx;
	pair_release(&it->p);
	free(it->pj.v);
	free(it->own.v);
}

static const struct batch_ops match_batch_ops = {
	.item_size = sizeof(struct match_item),
	.read = read_pairs,
	.work = match_item,
	.write = write_pairs,
	.progress = progress,
	.worker_new = match_worker_new,
	.worker_free = match_worker_free,
	.thread_end = match_thread_end,
	.item_release = match_item_release,
};

/* The pairs in range: the filter's ids, or the shard's balanced share of total. */
static void
settle_range(struct run *r, int64_t total)
{
	struct store_filter *f = &r->opts.f;

	if (r->opts.nshards) {
		/* balanced ranges: shard sizes differ by one pair at most */
		f->from = (r->opts.shard - 1) * total / r->opts.nshards + 1;
		f->to = r->opts.shard * total / r->opts.nshards;
		if (f->from > f->to) {
			f->from = total + 1;          /* an empty shard */
			f->to = total + 1;
		}
	}
	r->first = f->from > 0 ? f->from : 1;
	r->last = f->to > 0 && f->to < total ? f->to : total;
	r->from = r->first;
}

/* The run's log entry: what it did and the settings that did it. */
static void
log_entry(const struct run *r, const char *settings, struct buf *log)
{
	const struct match_run_totals *t = r->t;

	buf_addf(log, "{\"pairs\":%lld,\"projections\":%lld,\"unchanged\":%lld,\"stale\":%lld,"
		 "\"ilp_timeouts\":%lld,\"ilp_infeasible\":%lld,", (long long)t->pairs, (long long)t->projections,
		 (long long)t->unchanged, (long long)t->stale, (long long)t->timeouts, (long long)t->infeasible);
	if (r->plan.fuse.method == METHOD_ILP)
		buf_addf(log, "\"ilp_solved\":%lld,\"ilp_skipped_greedy_optimal\":%lld,",
			 (long long)t->ilp_solved, (long long)t->ilp_skipped);
	buf_adds(log, "\"settings\":");
	buf_add_json(log, settings, strlen(settings));
	buf_addc(log, '}');
}

/* Several sources: the ones used (setting match_sources) and the reliabilities estimated. */
static int
record_sources(struct run *r, struct ferry_err *err)
{
	struct buf list = BUF_INIT;
	int rc = 0;

	if (r->plan.single)
		return 0;
	for (size_t k = 0; k < r->plan.n && rc == 0; k++) {
		buf_addf(&list, "%s%s", k ? "," : "", r->plan.lang[k]);
		rc = store_source_reliability(r->st, r->plan.id[k], r->plan.weight[k], err);
	}
	if (rc == 0)
		rc = store_setting_set(r->st, "match_sources", buf_cstr(&list), err);
	buf_release(&list);
	return rc;
}

/*
 * Several sources: how reliable each is, from how well the sources'
 * own projections agree on the project's first MATCH_AGREEMENT_SAMPLE
 * pairs (whatever the range, so every shard weighs them alike).
 */
static int
estimate_reliability(struct run *r, int64_t total, struct ferry_err *err)
{
	struct store_filter keep = r->opts.f;
	int64_t first = r->first, last = r->last, from = r->from;
	double w[FERRY_SOURCES_MAX];
	uint32_t present = 0;

	if (r->plan.n < 2)
		return 0;
	memset(&r->agree, 0, sizeof r->agree);
	r->opts.f = (struct store_filter){ 0, 1, total < MATCH_AGREEMENT_SAMPLE ? total : MATCH_AGREEMENT_SAMPLE };
	r->first = r->from = 1;
	r->last = r->opts.f.to;
	r->estimating = 1;
	int rc = batch_run(&match_batch_ops, r, MATCH_BATCH, r->opts.threads, 0, err);
	/* the real pass has its own filter (and a part's digests): its own iterator */
	store_iter_free(r->it);
	r->it = NULL;
	r->estimating = 0;
	r->opts.f = keep;
	r->first = first;
	r->last = last;
	r->from = from;
	if (rc < 0)
		return -1;
	for (size_t k = 0; k < r->plan.n; k++)
		present |= 1u << r->plan.id[k];
	fuse_agreement_weights(&r->agree, present, w);
	for (size_t k = 0; k < r->plan.n; k++)
		r->plan.weight[k] = w[r->plan.id[k]] > 0 ? w[r->plan.id[k]] : 1e-6;
	return 0;
}

/* After the batches: the settings that made the projections, and the log. */
static int
record(struct run *r, struct ferry_err *err)
{
	struct buf desc = BUF_INIT, log = BUF_INIT;
	int rc = -1;

	match_plan_describe(&r->plan, &desc);
	if (r->part) {
		/* the project is not touched: the part carries the settings */
		rc = store_part_finish(r->part, buf_cstr(&desc), err) < 0 ? -1 : 0;
		if (r->opts.on_end)
			r->opts.on_end(r->opts.arg, r->t->pairs);
		goto out;
	}
	if (r->t->pairs == 0) {
		rc = 0;         /* nothing matched: the settings in force stay */
		goto out;
	}
	log_entry(r, buf_cstr(&desc), &log);
	if (store_begin(r->st, err) < 0)
		goto out;
	if (store_setting_set(r->st, "match", buf_cstr(&desc), err) < 0 || record_sources(r, err) < 0 ||
	    store_log_add(r->st, 0, "match", NULL, buf_cstr(&log), err) < 0 || store_commit(r->st, err) < 0) {
		store_rollback(r->st);
		goto out;
	}
	if (r->opts.on_end)
		r->opts.on_end(r->opts.arg, r->t->pairs);
	rc = 0;
out:
	buf_release(&desc);
	buf_release(&log);
	return rc;
}

/*
 * Start the part file of r.output: never the project (by any name), never
 * over an existing file; written as a temporary beside where it goes,
 * after sweeping what interrupted runs left there.
 */
static int
part_open(struct run *r, struct ferry_err *err)
{
	const char *out = r->opts.output;
	char shard[32];
	struct stat sb;

	if (scratch_not_project(out, r->opts.project, err) < 0 ||
	    scratch_follow(out, r->target, sizeof r->target, err) < 0)
		return -1;
	if (lstat(r->target, &sb) == 0)
		return err_set(err, EX_CANTCREAT, "%s: exists already (expected a new part file)", out);
	if ((r->t->swept = scratch_start(r->target, "part", out, r->tmp, sizeof r->tmp, &r->held, err)) < 0)
		return -1;
	snprintf(shard, sizeof shard, "%d/%d", r->opts.nshards ? r->opts.shard : 1, r->opts.nshards ? r->opts.nshards : 1);
	if (store_part_create(&r->part, r->tmp, r->st, shard, err) < 0) {
		if (err->code == EX_CANTCREAT)
			err_set(err, EX_CANTCREAT, "%s: cannot create the part file (is its directory there and writable?)",
				out);
		return -1;
	}
	return 0;
}

/* Close the part: linked into place after a run that succeeded (rc 0), else removed. */
static int
part_close(struct run *r, int rc, struct ferry_err *err)
{
	struct ferry_err why = { 0 };

	if (r->part && store_close(r->part, &why) < 0 && rc == 0)
		rc = err_set(err, EX_IOERR, "%s: cannot write the part file: %s", r->opts.output, why.msg);
	r->part = NULL;
	if (rc == 0 && scratch_publish(r->tmp, r->target) < 0)
		rc = errno == EEXIST ? err_set(err, EX_CANTCREAT, "%s: exists already (expected a new part file)",
					       r->opts.output)
				     : err_set(err, EX_CANTCREAT, "%s: cannot create the part file: %s", r->opts.output,
					       strerror(errno));
	scratch_remove(r->tmp);
	scratch_forget(r->held);
	return rc;
}

/* Threads to use (see match-run.h). */
int
match_run_threads(const struct match_opts *o, int requested)
{
	int n = requested;

	if (n <= 0)
		n = batch_cpu_threads(MATCH_MAX_THREADS);
	if (o->method == METHOD_ILP && !match_solver_parallel())
		n = 1;            /* this GLPK cannot run in two threads */
	return n;
}

/* 1 when the project's setting "aligner" says ferry's aligner made its links, 0 if not, -1 on error. */
static int
aligned_by_ferry(ferry_store *st, struct ferry_err *err)
{
	struct buf v = BUF_INIT;
	int rc = store_setting_get(st, "aligner", &v, err);

	if (rc > 0)
		rc = strncmp(buf_cstr(&v), "ferry ", 6) == 0 || strcmp(buf_cstr(&v), "ferry") == 0;
	buf_release(&v);
	return rc;
}

int
match_run_defaults(ferry_store *st, struct match_opts *o, struct ferry_err *err)
{
	int ferry = aligned_by_ferry(st, err);

	match_opts_init(o);
	if (ferry > 0)
		match_opts_for_ferry_links(o);
	return ferry < 0 ? -1 : 0;
}

/* Match a project's pairs (see match-run.h). */
int
match_run(const struct match_run_opts *opts, struct match_run_totals *t, struct ferry_err *err)
{
	struct run r = { .opts = *opts, .t = t, .held = -1 };
	struct lexicon lex = { 0 };
	int rc = -1;

	memset(t, 0, sizeof *t);
	r.opts.threads = match_run_threads(&opts->o, opts->threads);
	if (store_open(&r.st, r.opts.project, r.opts.output ? STORE_READONLY : STORE_UNCHECKED, err) < 0)
		return -1;
	/* a checkpoint in the writer's commits held up the workers: in a thread of its own */
	int64_t total = store_ckpt_start(r.st, err) < 0 ? -1 : store_pair_count(r.st, err);
	if (total < 0 || store_lexicon_load(r.st, &lex, err) < 0)
		goto out;
	r.opts.o.lexicon = &lex;
	if (match_plan_load(r.st, &r.opts.o, opts->method_chosen, opts->sources, &r.plan, err) < 0)
		goto out;
	if (!r.plan.single && r.opts.output) {
		err_set(err, EX_USAGE, "%s: a project with several sources is matched in place; --output and "
			"--shard do not take one yet (expected ferry match without --output)", r.opts.project);
		goto out;
	}
	r.opts.threads = match_run_threads(&r.plan.fuse, opts->threads);
	settle_range(&r, total);
	if (estimate_reliability(&r, total, err) < 0)
		goto out;
	if (r.opts.output && part_open(&r, err) < 0)
		goto out;
	if (r.opts.on_start)
		r.opts.on_start(r.opts.arg, r.last - r.first + 1);
	if (batch_run(&match_batch_ops, &r, MATCH_BATCH, r.opts.threads, 0, err) < 0)
		goto out;
	rc = record(&r, err);
out:
	store_iter_free(r.it);
	if (r.tmp[0])
		rc = part_close(&r, rc, err);
	if (store_close(r.st, rc == 0 && !r.opts.output ? err : NULL) < 0)
		rc = -1;
	store_lexicon_release(&lex);
	return rc;
}

/* A part holds one source's projections: a project given more sources since is refused (EX_DATAERR). */
static int
single_source(ferry_store *st, struct ferry_err *err)
{
	struct source_info *s;
	size_t n;

	if (store_sources(st, &s, &n, err) < 0)
		return -1;
	free(s);
	if (n > 1)
		return err_set(err, EX_DATAERR, "%s: the project has %zu sources; part files hold one source's "
			       "projections (expected ferry match in place)", store_path(st), n);
	return 0;
}

/* The parts are neither the project (by any name) nor each other. */
static int
check_names(const char *project, char *const *parts, int nparts, struct ferry_err *err)
{
	struct stat *sb = xcalloc((size_t)nparts, sizeof *sb);
	int rc = 0;

	for (int i = 0; i < nparts && rc == 0; i++) {
		if (scratch_same_file(parts[i], project))
			rc = err_set(err, EX_DATAERR, "%s: is the project file (expected a part file of ferry match --output)",
				     parts[i]);
		if (rc < 0 || stat(parts[i], &sb[i]) != 0)
			continue;            /* a missing part is reported when it is read */
		/* st_nlink 0: a part that could not be stat'ed */
		for (int j = 0; j < i && rc == 0; j++)
			if (strcmp(parts[i], parts[j]) == 0)
				rc = err_set(err, EX_USAGE, "%s: given twice (expected each part once)", parts[i]);
			else if (sb[j].st_nlink > 0 && sb[j].st_ino == sb[i].st_ino && sb[j].st_dev == sb[i].st_dev)
				rc = err_set(err, EX_USAGE, "%s: the same file as %s (expected each part once)", parts[i],
					     parts[j]);
	}
	free(sb);
	return rc;
}

/* Stage every part (nothing is applied yet): one project, one set of settings (into first), their shards. */
static int
stage_parts(ferry_store *st, char *const *parts, int nparts, struct buf *first, struct buf *shards,
	    struct ferry_err *err)
{
	struct buf settings = BUF_INIT;
	int rc = 0;

	for (int i = 0; i < nparts && rc == 0; i++) {
		rc = store_merge_add(st, parts[i], &settings, &shards[i], err);
		if (rc == 0 && first->len && strcmp(buf_cstr(first), buf_cstr(&settings)) != 0)
			rc = err_set(err, EX_DATAERR, "%s: made with other match settings than %s "
				     "(expected every part of one run: '%s' vs '%s')", parts[i], parts[0],
				     buf_cstr(&settings), buf_cstr(first));
		if (rc == 0 && !first->len)
			buf_adds(first, buf_cstr(&settings));
	}
	buf_release(&settings);
	return rc;
}

/* Apply the staged parts in order (in the caller's transaction), noting each in log. */
static int
apply_parts(ferry_store *st, char *const *parts, int nparts, const struct buf *shards, int64_t *merged,
	    int64_t *stale, struct buf *log, struct ferry_err *err)
{
	int64_t m, s;

	for (int i = 0; i < nparts; i++) {
		if (store_merge_apply(st, i + 1, &m, &s, err) < 0)
			return -1;
		*merged += m;
		*stale += s;
		buf_addf(log, "%s{\"part\":", i > 0 ? "," : "");
		buf_add_json(log, parts[i], strlen(parts[i]));
		buf_adds(log, ",\"shard\":");
		buf_add_json(log, shards[i].s ? shards[i].s : "", shards[i].len);
		buf_addf(log, ",\"pairs\":%lld,\"stale\":%lld}", (long long)m, (long long)s);
	}
	return 0;
}

/* Check the staged parts against the project and apply them, with the settings and the log, in one transaction. */
static int
merge_staged(ferry_store *st, char *const *parts, int nparts, const struct buf *settings, const struct buf *shards,
	     int64_t *merged, int64_t *stale, struct ferry_err *err)
{
	struct buf log = BUF_INIT;
	int rc = -1;

	if (store_begin(st, err) < 0)
		return -1;
	buf_adds(&log, "{\"parts\":[");
	if (store_merge_verify(st, err) < 0 || apply_parts(st, parts, nparts, shards, merged, stale, &log, err) < 0)
		goto out;
	buf_addf(&log, "],\"pairs\":%lld,\"stale\":%lld,\"settings\":", (long long)*merged, (long long)*stale);
	buf_add_json(&log, settings->s ? settings->s : "", settings->len);
	buf_addc(&log, '}');
	if (store_setting_set(st, "match", buf_cstr(settings), err) < 0 ||
	    store_log_add(st, 0, "merge", NULL, buf_cstr(&log), err) < 0 || store_commit(st, err) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0) {
		store_rollback(st);
		*merged = *stale = 0;
	}
	buf_release(&log);
	return rc;
}

/* Merge part files into their project (see match-run.h): all of them or none. */
int
match_merge(const char *project, char *const *parts, int nparts, int64_t *merged, int64_t *stale,
	    struct ferry_err *err)
{
	struct buf settings = BUF_INIT, *shards = xcalloc((size_t)nparts, sizeof *shards);
	ferry_store *st;
	int rc = -1;

	*merged = *stale = 0;
	if (store_open(&st, project, 0, err) < 0)
		goto out;
	/* staged outside the transaction: SQLite attaches no file inside one */
	if (single_source(st, err) == 0 && check_names(project, parts, nparts, err) == 0 &&
	    stage_parts(st, parts, nparts, &settings, shards, err) == 0)
		rc = merge_staged(st, parts, nparts, &settings, shards, merged, stale, err);
	store_merge_end(st);
	if (store_close(st, rc == 0 ? err : NULL) < 0)
		rc = -1;
out:
	for (int i = 0; i < nparts; i++)
		buf_release(&shards[i]);
	free(shards);
	buf_release(&settings);
	return rc;
}
