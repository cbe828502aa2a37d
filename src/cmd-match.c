/*
 * cmd-match.c — `ferry match`: the command line of the matcher over a
 * project.  The matcher's own options come from their table
 * (match-opts.c); this file adds the run's options (which pairs, threads,
 * output), calls match_run() (match-run.c) and prints the summary.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/cli.h"
#include "ferry/match-run.h"

static const char match_usage[] =
"usage: ferry match PROJECT [OPTIONS]\n"
"\n"
"Project every source entity onto a target span and store the projections.\n"
"Links made by ferry's aligner are matched by default with --method heuristic\n"
"--mode general --d 3 (tuned to them), unless one of those options is given.\n"
"\n";

/* The help of the run's options, after the matcher's. */
static const char run_help[] =
"  --sources LIST     several sources: fuse only these (languages, e.g. en,es;\n"
"                     default: every source of the project; one: its own)\n"
"  --status LIST      only pairs in these review states (e.g. pending)\n"
"  --pairs A-B        only pairs A to B (1-based, inclusive)\n"
"  --threads N        match in N threads (default: one per CPU); the output\n"
"                     does not depend on N\n"
"  --shard I/N        only the I-th of N equal ranges of pairs (1-based)\n"
"  --output PART      write the results to a new part file PART instead of the\n"
"                     project (which is only read); ferry merge applies parts;\n"
"                     PART appears only once complete\n"
"  -q, --quiet        no progress or summary on stderr\n"
"  -h, --help         this text\n";

/* getopt values: the matcher's option i is OPT_MATCH + i. */
enum { OPT_SOURCES = 255, OPT_STATUS = 256, OPT_PAIRS, OPT_THREADS, OPT_SHARD, OPT_OUTPUT, OPT_MATCH };

/* The run's options, after the matcher's in the getopt table (and in --help). */
static const struct option run_options[] = {
	{ "sources", required_argument, NULL, OPT_SOURCES },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "pairs", required_argument, NULL, OPT_PAIRS },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

#define NRUN_OPTIONS (sizeof run_options / sizeof *run_options)

/* The getopt table: the matcher's options, then the run's. */
static void
build_options(struct option *out)
{
	for (int i = 0; i < MATCH_OPT_COUNT; i++) {
		int takes_value;
		const char *name = match_opt_flag(i, &takes_value);
		out[i] = (struct option){ name, takes_value ? required_argument : no_argument, NULL, OPT_MATCH + i };
	}
	memcpy(out + MATCH_OPT_COUNT, run_options, sizeof run_options);
}

/* The --help text: usage, the matcher's options, the run's. */
static void
print_help(void)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, match_usage);
	match_opts_help(&b);
	buf_adds(&b, run_help);
	fputs(buf_cstr(&b), stdout);
	buf_release(&b);
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

/* "I/N" with 1 <= I <= N. */
static int
parse_shard(const char *s, struct match_run_opts *r)
{
	char *end;
	long i = strtol(s, &end, 10), n = 0;

	if (*end == '/' && end[1] >= '0' && end[1] <= '9')
		n = strtol(end + 1, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end || i < 1 || n < 1 || i > n || n > 1000000)
		return -1;
	r->shard = (int)i;
	r->nshards = (int)n;
	return 0;
}

/* One of the run's options; 0, or the exit code of a usage error. */
static int
run_option(int c, const char *arg, struct match_run_opts *r, struct ferry_err *err)
{
	double v;

	switch (c) {
	case OPT_SOURCES:
		r->sources = arg;
		return 0;
	case OPT_STATUS:
		if (status_parse_list(arg, &r->f.status_mask) < 0)
			return cli_usage_error("match", "unknown --status '%s' (expected pending, accepted, "
					       "fixed, rejected, flagged or skipped)", arg);
		return 0;
	case OPT_PAIRS:
		if (parse_pairs(arg, &r->f) < 0)
			return cli_usage_error("match", "bad --pairs '%s' (expected N or A-B)", arg);
		return 0;
	case OPT_THREADS:
		if (match_opt_number("--threads", arg, 1, MATCH_MAX_THREADS, 1, &v, err) < 0)
			return cli_usage_error("match", "%s", err->msg);
		r->threads = (int)v;
		return 0;
	case OPT_SHARD:
		if (parse_shard(arg, r) < 0)
			return cli_usage_error("match", "bad --shard '%s' (expected I/N with 1 <= I <= N)", arg);
		return 0;
	case OPT_OUTPUT:
		r->output = arg;
		return 0;
	}
	return cli_usage_error("match", "bad option");
}

/* The command line into r; -1 after --help, else 0 or a usage error's exit code. */
static int
parse_args(int argc, char **argv, struct match_run_opts *r, int *quiet)
{
	struct option options[MATCH_OPT_COUNT + NRUN_OPTIONS];
	struct ferry_err err = { 0 };
	int c, rc;

	build_options(options);
	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", options, NULL)) != -1) {
		if (c >= OPT_MATCH && c < OPT_MATCH + MATCH_OPT_COUNT) {
			r->method_chosen |= match_opt_picks_method(c - OPT_MATCH);
			if (match_opt_set(&r->o, c - OPT_MATCH, optarg, &err) < 0)
				return cli_usage_error("match", "%s", err.msg);
		} else if (c == 'q') {
			*quiet = 1;
		} else if (c == 'h') {
			print_help();
			return -1;
		} else if ((rc = run_option(c, optarg, r, &err)) != 0) {
			return rc;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("match", "one PROJECT expected");
	if (r->nshards && (r->f.from || r->f.to))
		return cli_usage_error("match", "--shard and --pairs both choose pairs: give one of them");
	r->project = argv[optind];
	return 0;
}

/* "ferry: matched N pairs: M projections; ..." */
static void
print_summary(const struct match_run_totals *t, enum match_method method)
{
	fprintf(stderr, "ferry: matched %lld pair%s: %lld projection%s", (long long)t->pairs,
		t->pairs == 1 ? "" : "s", (long long)t->projections, t->projections == 1 ? "" : "s");
	if (t->unchanged)
		fprintf(stderr, " (%lld pair%s unchanged)", (long long)t->unchanged, t->unchanged == 1 ? "" : "s");
	if (t->stale)
		fprintf(stderr, "; %lld edited meanwhile and left alone", (long long)t->stale);
	if (t->timeouts)
		fprintf(stderr, "; %lld ILP time-outs solved greedily", (long long)t->timeouts);
	if (t->infeasible)
		fprintf(stderr, "; %lld pairs with no solution under --constraint solved greedily",
			(long long)t->infeasible);
	if (method == METHOD_ILP)
		fprintf(stderr, "; ILP solved %lld pairs, %lld needed no ILP (greedy provably optimal)",
			(long long)t->ilp_solved, (long long)t->ilp_skipped);
	fputc('\n', stderr);
}

/* `ferry match PROJECT [OPTIONS]`: parse, run, summarise. */
int
cmd_match(int argc, char **argv)
{
	struct progress prog = { .what = "match" };
	struct match_run_opts r = { .on_start = progress_hook_start, .on_update = progress_hook_update,
				    .on_end = progress_hook_end, .arg = &prog };
	struct match_run_totals t;
	struct ferry_err err = { 0 };
	int rc;

	match_opts_init(&r.o);
	if ((rc = parse_args(argc, argv, &r, &prog.quiet)) != 0)
		return rc < 0 ? 0 : rc;
	rc = match_run(&r, &t, &err);
	if (t.swept)
		fprintf(stderr, "ferry: removed %d temporary file%s left by an interrupted match --output to %s\n",
			t.swept, t.swept == 1 ? "" : "s", r.output);
	if (rc < 0)
		return cli_fail(&err);
	if (!prog.quiet)
		print_summary(&t, r.o.method);
	return 0;
}
