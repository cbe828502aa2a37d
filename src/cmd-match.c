/*
 * cmd-match.c — `ferry match`: run the matcher over a project.
 *
 * Pairs are read in batches by id range, matched, and written back one
 * batch per transaction, so a reviewer working on the same file waits at
 * most one batch.  A pair whose version changed since it was read (a
 * reviewer edited it) is left alone and counted as stale.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "ferry/cli.h"
#include "ferry/match.h"
#include "ferry/mem.h"
#include "ferry/store.h"
#include "ferry/text.h"

static const char match_help[] =
"usage: ferry match PROJECT [OPTIONS]\n"
"\n"
"Project every source entity onto a target span and store the projections.\n"
"\n"
"  --method M         heuristic, greedy (default) or ilp\n"
"  --mode M           heuristic mode: elp (default) or general\n"
"  --weights LIST     score weights (default align=1,surface=0.5; also lexicon,\n"
"                     ner; unnamed scores are 0)\n"
"  --constraint C     projections per entity: le (default), eq or ge n-proj\n"
"  --n-proj N         the n of --constraint (default 1)\n"
"  --max-len N        longest candidate in tokens (default 10)\n"
"  --min-score X      drop candidates scoring X or less (default 0.5)\n"
"  --links L          both (default): forward and reverse links, a link found in\n"
"                     one direction only weighted --one-way (pairs imported without\n"
"                     --align-rev use sym); sym: the import's symmetrised alignment;\n"
"                     fwd: the forward file alone\n"
"  --one-way W        weight of a link found in one direction only (default 0.25)\n"
"  --bt-refine M      none (default), intersect, union or grow with the links\n"
"                     composed through the back-translation\n"
"  --ner-alpha A      length factor of the ner score (default 0.5)\n"
"  --time-limit S     ILP seconds per pair before falling back to greedy (default 1)\n"
"  --d N, --k N, --only-i, --thr X\n"
"                     heuristic general: merge gaps up to N tokens (1), keep up\n"
"                     to N ranges per entity (1), only links of both directions,\n"
"                     drop ranges with |t|/|s| below X (0)\n"
"  --status LIST      only pairs in these review states (e.g. pending)\n"
"  --pairs A-B        only pairs A to B (1-based, inclusive)\n"
"  --threads N        match in N threads (default: one per CPU); the output\n"
"                     does not depend on N\n"
"  --shard I/N        only the I-th of N equal ranges of pairs (1-based)\n"
"  --output PART      write the results to a new part file PART instead of the\n"
"                     project (which is only read); ferry merge applies parts\n"
"  -q, --quiet        no progress or summary on stderr\n"
"  -h, --help         this text\n";

enum {
	OPT_METHOD = 256, OPT_MODE, OPT_WEIGHTS, OPT_CONSTRAINT, OPT_NPROJ, OPT_MAXLEN,
	OPT_MINSCORE, OPT_LINKS, OPT_ONEWAY, OPT_BT, OPT_ALPHA, OPT_TLIM, OPT_D, OPT_K,
	OPT_ONLYI, OPT_THR, OPT_STATUS, OPT_PAIRS, OPT_THREADS, OPT_SHARD, OPT_OUTPUT,
};

static const struct option match_options[] = {
	{ "method", required_argument, NULL, OPT_METHOD },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "weights", required_argument, NULL, OPT_WEIGHTS },
	{ "constraint", required_argument, NULL, OPT_CONSTRAINT },
	{ "n-proj", required_argument, NULL, OPT_NPROJ },
	{ "max-len", required_argument, NULL, OPT_MAXLEN },
	{ "min-score", required_argument, NULL, OPT_MINSCORE },
	{ "links", required_argument, NULL, OPT_LINKS },
	{ "one-way", required_argument, NULL, OPT_ONEWAY },
	{ "bt-refine", required_argument, NULL, OPT_BT },
	{ "ner-alpha", required_argument, NULL, OPT_ALPHA },
	{ "time-limit", required_argument, NULL, OPT_TLIM },
	{ "d", required_argument, NULL, OPT_D },
	{ "k", required_argument, NULL, OPT_K },
	{ "only-i", no_argument, NULL, OPT_ONLYI },
	{ "thr", required_argument, NULL, OPT_THR },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "pairs", required_argument, NULL, OPT_PAIRS },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

#define BATCH 512
#define MAX_THREADS 64

/* What matching one pair gave, kept until the single writer stores it. */
struct result {
	struct projs pj;
	int fallback, ilp_skipped;
};

/*
 * A worker matches pairs [from, to) of a batch with its own scratch
 * memory; results go to slots by pair index, so the output does not
 * depend on how the batch was split.  Only the main thread writes to
 * the project (SQLite has one writer anyway).
 */
struct worker {
	pthread_t thread;
	const struct match_opts *o;
	const char *project;           /* for messages about damaged pairs */
	struct pair *batch;
	struct result *res;
	size_t n;
	atomic_size_t *next;           /* the batch's next unclaimed pair */
	match_ws *ws;
	struct match_out mo;
	struct ferry_err err;
	size_t err_at;                 /* the pair it is about, to report the first */
	int rc;
};

static void *
work(void *arg)
{
	struct worker *w = arg;

	w->rc = 0;
	for (size_t i; w->rc == 0 && (i = atomic_fetch_add(w->next, 1)) < w->n; ) {
		struct pair *p = &w->batch[i];
		if (store_pair_decode(p, w->project, &w->err) < 0 ||
		    match_pair(w->ws, p, w->o, p->pins.v, p->pins.n, &w->mo, &w->err) < 0) {
			w->rc = -1;
			w->err_at = i;
			break;
		}
		match_to_projs(p, &w->mo, w->o->method, &w->res[i].pj);
		w->res[i].fallback = w->mo.fallback;
		w->res[i].ilp_skipped = w->mo.ilp_skipped;
	}
	return NULL;
}

/* End of a worker thread: free what ICU and GLPK keep per thread. */
static void *
work_thread(void *arg)
{
	work(arg);
	text_thread_cleanup();
	match_solver_thread_cleanup();
	return NULL;
}

static int
parse_number(const char *opt, const char *s, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (*s == '\0' || *end || v < lo || v > hi) {
		cli_usage_error("match", "%s '%s' is not a number from %g to %g", opt, s, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

struct match_run {
	struct match_opts o;
	int threads;
	int shard, nshards;              /* 0/0: no shard */
	const char *project;
	const char *output;              /* part file, or NULL */
	ferry_store *part;
	struct store_filter f;
	int quiet;
	int64_t pairs, projections, stale, timeouts, infeasible, ilp_solved, ilp_skipped, unchanged;
};

/* A batch of pairs and what matching them gave. */
struct slot {
	struct pair   *batch;
	struct result *res;
	size_t         n;
	atomic_size_t  next;           /* pairs are claimed one by one */
	int64_t        to;             /* last pair id the batch covers */
};

static int
read_batch(ferry_store *st, const struct match_run *r, int64_t from, int64_t last, struct slot *sl,
	   struct ferry_err *err)
{
	struct store_filter f = { r->f.status_mask, from, from + BATCH - 1 < last ? from + BATCH - 1 : last };
	store_iter *it;
	int got = 0;

	sl->n = 0;
	sl->to = f.to;
	if (from > last)
		return 0;
	if (store_iter_open(st, &f, LOAD_TEXT | LOAD_ENTS | LOAD_ALIGN | LOAD_NER | LOAD_PINS | LOAD_PROJ | LOAD_DEFER,
			   &it, err) < 0)
		return -1;
	while (sl->n < BATCH && (got = store_iter_next(it, &sl->batch[sl->n], err)) > 0)
		sl->n++;
	store_iter_free(it);
	return got < 0 ? -1 : 0;
}

/*
 * Start matching a batch.  With one thread it is done here and now; with
 * more, threads-1 workers claim its pairs one by one while this thread
 * writes the previous batch and reads the next (SQLite has one writer:
 * this thread), then joins in (finish_matching).
 */
static void
start_matching(struct match_run *r, struct worker *wk, struct slot *sl)
{
	atomic_store(&sl->next, 0);
	for (int t = 0; t < r->threads; t++) {
		wk[t].o = &r->o;
		wk[t].project = r->project;
		wk[t].batch = sl->batch;
		wk[t].res = sl->res;
		wk[t].n = sl->n;
		wk[t].next = &sl->next;
		wk[t].rc = 0;
		wk[t].thread = 0;
	}
	if (r->threads == 1) {
		work(&wk[0]);
		return;
	}
	for (int t = 1; t < r->threads; t++)
		if (pthread_create(&wk[t].thread, NULL, work_thread, &wk[t]) != 0)
			wk[t].thread = 0;          /* the others, and this thread, do its share */
}

static int
finish_matching(struct match_run *r, struct worker *wk, struct ferry_err *err)
{
	size_t first = 0;
	int rc = 0;

	if (r->threads > 1)
		work(&wk[0]);                  /* this thread takes what is left */
	for (int t = 0; t < r->threads; t++) {
		if (wk[t].thread)
			pthread_join(wk[t].thread, NULL);
		wk[t].thread = 0;
		/* the error of the earliest pair, whichever thread met it */
		if (wk[t].rc < 0 && (rc == 0 || wk[t].err_at < first)) {
			*err = wk[t].err;
			first = wk[t].err_at;
			rc = -1;
		}
	}
	return rc;
}

/* Store a matched batch in one transaction. */
static int
write_batch(ferry_store *st, struct match_run *r, const struct slot *sl, struct ferry_err *err)
{
	if (sl->n == 0)
		return 0;
	if (!r->part && store_begin(st, err) < 0)
		return -1;
	for (size_t i = 0; i < sl->n; i++) {
		const struct pair *p = &sl->batch[i];
		const struct result *res = &sl->res[i];
		/* what the pair already holds is not written again: its version
		   stays, so a reviewer looking at it is not sent back */
		int same = !r->part && projs_equal(&res->pj, &p->proj);
		r->unchanged += same;
		int w = same ? 1 : r->part ? (store_part_add(r->part, p->id, p->version, &res->pj, err) < 0 ? -1 : 1)
				: store_projections_replace(st, p->id, p->version, &res->pj, err);
		if (w < 0) {
			if (!r->part)
				store_rollback(st);
			return -1;
		}
		r->stale += w == 0;
		r->projections += w ? (int64_t)res->pj.n : 0;
		r->timeouts += res->fallback == MATCH_TIMEOUT;
		r->ilp_skipped += res->ilp_skipped;
		r->ilp_solved += r->o.method == METHOD_ILP && !res->ilp_skipped && p->ents.n > 0;
		r->infeasible += res->fallback == MATCH_INFEASIBLE;
		r->pairs++;
	}
	if (!r->part && store_commit(st, err) < 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

/*
 * The pipeline over three slots: while batch k is being matched, batch
 * k-1 is written and batch k+1 read.  Results are written in pair order,
 * so the project does not depend on the number of threads.
 */
static int
run_match(struct match_run *r, struct ferry_err *err)
{
	ferry_store *st;
	struct lexicon lex = { 0 };
	struct slot sl[3];
	struct worker wk[MAX_THREADS];
	struct progress prog;
	struct buf desc = BUF_INIT, log = BUF_INIT;
	int rc = -1, matching = 0;

	if (r->o.method == METHOD_ILP && !match_solver_parallel())
		r->threads = 1;            /* this GLPK cannot run in two threads */
	memset(wk, 0, sizeof wk);
	for (int t = 0; t < MAX_THREADS && t < r->threads; t++)
		wk[t].ws = match_ws_new();
	for (int k = 0; k < 3; k++) {
		sl[k].batch = xcalloc(BATCH, sizeof *sl[k].batch);
		sl[k].res = xcalloc(BATCH, sizeof *sl[k].res);
		sl[k].n = 0;
	}
	if (store_open(&st, r->project, r->output ? STORE_READONLY | STORE_IMMUTABLE : 0, err) < 0)
		goto out_free;
	int64_t total = store_pair_count(st, err);
	if (total < 0 || store_lexicon_load(st, &lex, err) < 0)
		goto out;
	r->o.lexicon = &lex;
	if (r->nshards) {
		/* balanced ranges: shard sizes differ by one pair at most */
		r->f.from = (r->shard - 1) * total / r->nshards + 1;
		r->f.to = r->shard * total / r->nshards;
		if (r->f.from > r->f.to) {
			r->f.from = total + 1;          /* an empty shard */
			r->f.to = total + 1;
		}
	}
	if (r->output) {
		char shard[32];
		snprintf(shard, sizeof shard, "%d/%d", r->shard, r->nshards);
		if (store_part_create(&r->part, r->output, st, r->nshards ? shard : "1/1", err) < 0)
			goto out;
	}
	int64_t first = r->f.from > 0 ? r->f.from : 1, last = r->f.to > 0 && r->f.to < total ? r->f.to : total;
	progress_start(&prog, "match", (off_t)(last - first + 1), r->quiet);
	int cur = 0, prev = 2;
	int64_t from = first;
	if (read_batch(st, r, from, last, &sl[cur], err) < 0)
		goto out;
	while (from <= last) {
		int next = (cur + 1) % 3;
		start_matching(r, wk, &sl[cur]);
		matching = 1;
		if (write_batch(st, r, &sl[prev], err) < 0)
			goto out;
		sl[prev].n = 0;
		from += BATCH;
		if (read_batch(st, r, from, last, &sl[next], err) < 0)
			goto out;
		matching = 0;
		if (finish_matching(r, wk, err) < 0)
			goto out;
		progress_update(&prog, (off_t)(sl[cur].to - first + 1), r->pairs);
		prev = cur;
		cur = next;
	}
	if (write_batch(st, r, &sl[prev], err) < 0)
		goto out;
	match_describe(&r->o, &desc);
	if (r->part) {
		/* the project is not touched: the part carries the settings */
		rc = store_part_finish(r->part, buf_cstr(&desc), err) < 0 ? -1 : 0;
		progress_end(&prog, r->pairs);
		goto out;
	}
	if (r->pairs == 0) {
		rc = 0;         /* nothing matched: the settings in force stay */
		goto out;
	}
	/* remember the settings that made these projections */
	buf_addf(&log, "{\"pairs\":%lld,\"projections\":%lld,\"unchanged\":%lld,\"stale\":%lld,"
		 "\"ilp_timeouts\":%lld,\"ilp_infeasible\":%lld,", (long long)r->pairs, (long long)r->projections,
		 (long long)r->unchanged, (long long)r->stale, (long long)r->timeouts, (long long)r->infeasible);
	if (r->o.method == METHOD_ILP)
		buf_addf(&log, "\"ilp_solved\":%lld,\"ilp_skipped_greedy_optimal\":%lld,",
			 (long long)r->ilp_solved, (long long)r->ilp_skipped);
	buf_adds(&log, "\"settings\":");
	buf_add_json(&log, desc.s, desc.len);
	buf_addc(&log, '}');
	if (store_begin(st, err) < 0)
		goto out;
	if (store_setting_set(st, "match", buf_cstr(&desc), err) < 0 ||
	    store_log_add(st, 0, "match", NULL, buf_cstr(&log), err) < 0 || store_commit(st, err) < 0) {
		store_rollback(st);
		goto out;
	}
	progress_end(&prog, r->pairs);
	rc = 0;
out:
	if (matching) {
		struct ferry_err ignored;
		finish_matching(r, wk, &ignored);     /* never leave a worker running */
	}
	if (r->part) {
		if (store_close(r->part, NULL) < 0 && rc == 0)
			rc = err_set(err, EX_IOERR, "%s: cannot write the part file", r->output);
		if (rc < 0)
			unlink(r->output);       /* never half a part */
		r->part = NULL;
	}
	if (store_close(st, rc == 0 && !r->output ? err : NULL) < 0)
		rc = -1;
out_free:
	for (int k = 0; k < 3; k++) {
		for (size_t i = 0; i < BATCH; i++) {
			pair_release(&sl[k].batch[i]);
			free(sl[k].res[i].pj.v);
		}
		free(sl[k].batch);
		free(sl[k].res);
	}
	for (int t = 0; t < MAX_THREADS && t < r->threads; t++) {
		match_out_release(&wk[t].mo);
		match_ws_free(wk[t].ws);
	}
	store_lexicon_release(&lex);
	buf_release(&desc);
	buf_release(&log);
	return rc;
}

/* "3-17" or "5" into an inclusive id range. */
static int
parse_pairs(const char *s, struct store_filter *f)
{
	char *end;
	long long a = strtoll(s, &end, 10), b = a;

	if (end == s || a < 1)
		return -1;
	if (*end == '-') {
		char *e2;
		b = strtoll(end + 1, &e2, 10);
		if (e2 == end + 1 || *e2 || b < a)
			return -1;
	} else if (*end) {
		return -1;
	}
	f->from = a;
	f->to = b;
	return 0;
}

int
cmd_match(int argc, char **argv)
{
	struct match_run r = { 0 };
	struct ferry_err err = { 0 };
	double v;
	int c, k;

	match_opts_init(&r.o);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	r.threads = cpus < 1 ? 1 : cpus > MAX_THREADS ? MAX_THREADS : (int)cpus;
	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", match_options, NULL)) != -1) {
		switch (c) {
		case OPT_METHOD:
			if ((k = match_option_parse(MOPT_METHOD, optarg)) < 0)
				return cli_usage_error("match", "unknown --method '%s' (expected heuristic, greedy or ilp)", optarg);
			r.o.method = (enum match_method)k;
			break;
		case OPT_MODE:
			if ((k = match_option_parse(MOPT_MODE, optarg)) < 0)
				return cli_usage_error("match", "unknown --mode '%s' (expected elp or general)", optarg);
			r.o.mode = (enum heur_mode)k;
			break;
		case OPT_WEIGHTS:
			if (match_parse_weights(&r.o, optarg, &err) < 0)
				return cli_usage_error("match", "%s", err.msg);
			break;
		case OPT_CONSTRAINT:
			if ((k = match_option_parse(MOPT_CONSTRAINT, optarg)) < 0)
				return cli_usage_error("match", "unknown --constraint '%s' (expected le, eq or ge)", optarg);
			r.o.constraint = (enum proj_constraint)k;
			break;
		case OPT_LINKS:
			if ((k = match_option_parse(MOPT_LINKS, optarg)) < 0)
				return cli_usage_error("match", "unknown --links '%s' (expected sym, fwd or both)", optarg);
			r.o.links = (enum link_source)k;
			break;
		case OPT_BT:
			if ((k = match_option_parse(MOPT_BT_REFINE, optarg)) < 0)
				return cli_usage_error("match", "unknown --bt-refine '%s' (expected none, intersect, union or grow)", optarg);
			r.o.bt = (enum bt_refine)k;
			break;
		case OPT_NPROJ: case OPT_MAXLEN: case OPT_D: case OPT_K:
			if (parse_number(c == OPT_NPROJ ? "--n-proj" : c == OPT_MAXLEN ? "--max-len" : c == OPT_D ? "--d" : "--k",
					 optarg, c == OPT_D ? 0 : 1, 1000, &v) < 0)
				return EX_USAGE;
			if (v != (int)v)
				return cli_usage_error("match", "'%s' is not a whole number", optarg);
			if (c == OPT_NPROJ) r.o.n_proj = (int)v;
			else if (c == OPT_MAXLEN) r.o.max_len = (int)v;
			else if (c == OPT_D) r.o.merge_gap = (int)v;
			else r.o.top_k = (int)v;
			break;
		case OPT_MINSCORE:
			if (parse_number("--min-score", optarg, 0, 1e9, &r.o.min_score) < 0)
				return EX_USAGE;
			break;
		case OPT_ONEWAY:
			if (parse_number("--one-way", optarg, 0, 1, &r.o.one_way) < 0)
				return EX_USAGE;
			break;
		case OPT_ALPHA:
			if (parse_number("--ner-alpha", optarg, 0, 10, &r.o.ner_alpha) < 0)
				return EX_USAGE;
			break;
		case OPT_TLIM:
			if (parse_number("--time-limit", optarg, 0.001, 3600, &r.o.ilp_time_limit) < 0)
				return EX_USAGE;
			break;
		case OPT_THR:
			if (parse_number("--thr", optarg, 0, 100, &r.o.len_ratio) < 0)
				return EX_USAGE;
			break;
		case OPT_ONLYI: r.o.only_i = 1; break;
		case OPT_STATUS:
			if (cli_parse_statuses(optarg, &r.f.status_mask) < 0)
				return cli_usage_error("match", "unknown --status '%s' (expected pending, accepted, "
						       "fixed, rejected, flagged or skipped)", optarg);
			break;
		case OPT_PAIRS:
			if (parse_pairs(optarg, &r.f) < 0)
				return cli_usage_error("match", "bad --pairs '%s' (expected N or A-B)", optarg);
			break;
		case OPT_THREADS:
			if (parse_number("--threads", optarg, 1, MAX_THREADS, &v) < 0)
				return EX_USAGE;
			if (v != (int)v)
				return cli_usage_error("match", "'%s' is not a whole number", optarg);
			r.threads = (int)v;
			break;
		case OPT_SHARD: {
			char *end;
			long i = strtol(optarg, &end, 10), n2 = 0;
			if (*end == '/' && end[1] >= '0' && end[1] <= '9')
				n2 = strtol(end + 1, &end, 10);
			if (optarg[0] < '0' || optarg[0] > '9' || *end || i < 1 || n2 < 1 || i > n2 || n2 > 1000000)
				return cli_usage_error("match", "bad --shard '%s' (expected I/N with 1 <= I <= N)", optarg);
			r.shard = (int)i;
			r.nshards = (int)n2;
			break;
		}
		case OPT_OUTPUT: r.output = optarg; break;
		case 'q': r.quiet = 1; break;
		case 'h': fputs(match_help, stdout); return 0;
		default: return cli_usage_error("match", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("match", "one PROJECT expected");
	if (r.nshards && (r.f.from || r.f.to))
		return cli_usage_error("match", "--shard and --pairs both choose pairs: give one of them");
	r.project = argv[optind];
	if (run_match(&r, &err) < 0)
		return cli_fail(&err);
	if (!r.quiet) {
		fprintf(stderr, "ferry: matched %lld pair%s: %lld projection%s", (long long)r.pairs,
			r.pairs == 1 ? "" : "s", (long long)r.projections, r.projections == 1 ? "" : "s");
		if (r.unchanged)
			fprintf(stderr, " (%lld pair%s unchanged)", (long long)r.unchanged, r.unchanged == 1 ? "" : "s");
		if (r.stale)
			fprintf(stderr, "; %lld edited meanwhile and left alone", (long long)r.stale);
		if (r.timeouts)
			fprintf(stderr, "; %lld ILP time-outs solved greedily", (long long)r.timeouts);
		if (r.infeasible)
			fprintf(stderr, "; %lld pairs with no solution under --constraint solved greedily",
				(long long)r.infeasible);
		if (r.o.method == METHOD_ILP)
			fprintf(stderr, "; ILP solved %lld pairs, %lld needed no ILP (greedy provably optimal)",
				(long long)r.ilp_solved, (long long)r.ilp_skipped);
		fputc('\n', stderr);
	}
	return 0;
}

static const char merge_help[] =
"usage: ferry merge PROJECT PART...\n"
"\n"
"Apply part files made by ferry match --output (for example one per shard of a\n"
"Slurm array job) to PROJECT, each in one transaction.  A pair changed since\n"
"its part was made is left as it is and counted.  Every part must come from\n"
"this project and carry the same match settings.\n"
"\n"
"  -q, --quiet   no summary on stderr\n"
"  -h, --help    this text\n";

int
cmd_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct ferry_err err = { 0 };
	struct buf settings = BUF_INIT, first = BUF_INIT, shard = BUF_INIT, log = BUF_INIT;
	ferry_store *st;
	int64_t merged = 0, stale = 0, m, s;
	int quiet = 0, c, rc = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (c) {
		case 'q': quiet = 1; break;
		case 'h': fputs(merge_help, stdout); return 0;
		default: return cli_usage_error("merge", "bad option");
		}
	}
	if (argc - optind < 2)
		return cli_usage_error("merge", "PROJECT and at least one PART expected");
	if (store_open(&st, argv[optind], 0, &err) < 0)
		return cli_fail(&err);
	/* every part is checked before any is applied */
	for (int i = optind + 1; i < argc && rc == 0; i++) {
		rc = store_part_check(st, argv[i], &settings, &shard, &err);
		if (rc == 0 && first.len && strcmp(buf_cstr(&first), buf_cstr(&settings)) != 0)
			rc = err_set(&err, EX_DATAERR, "%s: made with other match settings than %s "
				     "(expected every part of one run: '%s' vs '%s')", argv[i], argv[optind + 1],
				     buf_cstr(&settings), buf_cstr(&first));
		if (rc == 0 && !first.len)
			buf_adds(&first, buf_cstr(&settings));
	}
	buf_adds(&log, "{\"parts\":[");
	for (int i = optind + 1; i < argc && rc == 0; i++) {
		rc = store_merge_part(st, argv[i], &m, &s, &settings, &shard, &err);
		if (rc == 0) {
			merged += m;
			stale += s;
			buf_addf(&log, "%s{\"part\":", i > optind + 1 ? "," : "");
			buf_add_json(&log, argv[i], strlen(argv[i]));
			buf_addf(&log, ",\"shard\":\"%s\",\"pairs\":%lld,\"stale\":%lld}", buf_cstr(&shard),
				 (long long)m, (long long)s);
		}
	}
	buf_addf(&log, "],\"pairs\":%lld,\"stale\":%lld,\"settings\":", (long long)merged, (long long)stale);
	buf_add_json(&log, first.s ? first.s : "", first.len);
	buf_addc(&log, '}');
	if (rc == 0 && (store_begin(st, &err) < 0 || store_setting_set(st, "match", buf_cstr(&first), &err) < 0 ||
			   store_log_add(st, 0, "merge", NULL, buf_cstr(&log), &err) < 0 || store_commit(st, &err) < 0)) {
		store_rollback(st);
		rc = -1;
	}
	if (store_close(st, rc == 0 ? &err : NULL) < 0)
		rc = -1;
	if (rc == 0 && !quiet) {
		int parts = argc - optind - 1;
		fprintf(stderr, "ferry: merged %lld pair%s from %d part%s", (long long)merged, merged == 1 ? "" : "s",
			parts, parts == 1 ? "" : "s");
		if (stale)
			fprintf(stderr, "; %lld changed since and left alone", (long long)stale);
		fputc('\n', stderr);
	}
	buf_release(&settings);
	buf_release(&first);
	buf_release(&shard);
	buf_release(&log);
	return rc < 0 ? cli_fail(&err) : 0;
}
