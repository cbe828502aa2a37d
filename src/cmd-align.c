/*
 * cmd-align.c — `ferry align`: the options, the aligner over the files
 * (aligner-run.c), the summary.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "ferry/aligner.h"
#include "ferry/cli.h"
#include "ferry/mem.h"

static const char usage[] =
"usage: ferry align SRC TGT --fwd FILE --rev FILE [OPTIONS]\n"
"\n"
"Align the words of SRC and TGT (one sentence per line, tokens separated\n"
"by spaces; SRC may also be CoNLL or JSONL, its tags ignored) and write\n"
"both directions' links as Pharaoh 'i-j' lines, 0-based, source first:\n"
"what 'ferry import --align FILE --align-rev FILE' reads.\n"
"\n"
"  --fwd FILE            the source->target model's links\n"
"  --rev FILE            the target->source model's links\n"
"  --bitext-src FILE     more parallel text to train on, source side\n"
"  --bitext-tgt FILE     ... and its target side (pairs in order; repeatable)\n"
"  --src-format F        conll, jsonl or text (default: by SRC's name)\n"
"  --threads N           train in N threads (default: one per CPU); the\n"
"                        links are the same for any N\n"
"  --seed N              accepted for scripts written for samplers: the\n"
"                        model is trained by EM and uses no random numbers\n"
"%s"
"  -q, --quiet           no progress or summary\n"
"  -h, --help            this help\n";

enum { OPT_FWD = 256, OPT_REV, OPT_BSRC, OPT_BTGT, OPT_SRC_FORMAT, OPT_THREADS, OPT_SEED, OPT_MODEL };

static const struct option align_options[] = {
	{ "fwd", required_argument, NULL, OPT_FWD },
	{ "rev", required_argument, NULL, OPT_REV },
	{ "bitext-src", required_argument, NULL, OPT_BSRC },
	{ "bitext-tgt", required_argument, NULL, OPT_BTGT },
	{ "src-format", required_argument, NULL, OPT_SRC_FORMAT },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "seed", required_argument, NULL, OPT_SEED },
	ALIGNER_GETOPT(OPT_MODEL),
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct align_cmd {
	struct aligner_opts mo;
	const char *fwd, *rev;
	const char **bsrc, **btgt;
	size_t nbsrc, nbtgt, cap_src, cap_tgt;
	int src_fmt, quiet;
};

static int
parse_option(struct align_cmd *c, int opt, const char *arg)
{
	struct ferry_err err = { 0 };
	long long v;

	switch (opt) {
	case OPT_FWD: c->fwd = arg; return -1;
	case OPT_REV: c->rev = arg; return -1;
	case OPT_BSRC:
		VEC_GROW(c->bsrc, c->cap_src, c->nbsrc + 1);
		c->bsrc[c->nbsrc++] = arg;
		return -1;
	case OPT_BTGT:
		VEC_GROW(c->btgt, c->cap_tgt, c->nbtgt + 1);
		c->btgt[c->nbtgt++] = arg;
		return -1;
	case OPT_SRC_FORMAT:
		if ((c->src_fmt = input_format_parse(arg)) < 0)
			return cli_usage_error("align", "unknown --src-format '%s' (expected conll, jsonl or text)", arg);
		return -1;
	case OPT_THREADS:
		if ((v = cli_parse_count(arg)) < 1 || v > ALIGNER_MAX_THREADS)
			return cli_usage_error("align", "bad --threads '%s' (expected 1 to %d)", arg, ALIGNER_MAX_THREADS);
		c->mo.threads = (int)v;
		return -1;
	case OPT_SEED:
		if (cli_parse_count(arg) < 0)
			return cli_usage_error("align", "bad --seed '%s' (expected a non-negative integer)", arg);
		return -1;
	case 'q': c->quiet = 1; return -1;
	case 'h': printf(usage, aligner_opts_help()); return 0;
	default:
		if (opt >= OPT_MODEL && opt < OPT_MODEL + ALIGNER_NOPTS) {
			if (aligner_opt_set(&c->mo, opt - OPT_MODEL, arg, &err) < 0)
				return cli_usage_error("align", "%s", err.msg);
			return -1;
		}
		return cli_usage_error("align", "unknown option");
	}
}

static int
run(struct align_cmd *c, const char *src, const char *tgt)
{
	struct ferry_err err = { 0 };
	struct progress prog = { .what = "align", .quiet = c->quiet };
	aligner *a;
	size_t n = 0, more = 0;
	int rc = 0;

	c->mo.on_start = progress_hook_start;
	c->mo.on_update = progress_hook_update;
	c->mo.arg = &prog;
	struct sentreader_opts os = { .fmt = (enum input_format)c->src_fmt }, ot = { .fmt = FMT_LINES };
	a = aligner_new(&c->mo);
	if (aligner_read(a, src, &os, tgt, &ot, &n, &err) < 0)
		goto fail;
	aligner_more(a);
	for (size_t i = 0; i < c->nbsrc; i++) {
		if (aligner_read(a, c->bsrc[i], &ot, c->btgt[i], &ot, &more, &err) < 0)
			goto fail;
	}
	if (aligner_train(a, &err) < 0 || aligner_write(a, n, c->fwd, c->rev, &err) < 0)
		goto fail;
	progress_hook_end(&prog, (int64_t)n);
	if (!c->quiet)
		fprintf(stderr, "ferry: aligned %zu pairs (trained on %zu) into %s and %s\n", n,
			aligner_pairs(a), c->fwd, c->rev);
	goto out;
fail:
	rc = cli_fail(&err);
out:
	aligner_free(a);
	return rc;
}

/* Options -> read, train, write -> the summary on stderr. */
int
cmd_align(int argc, char **argv)
{
	struct align_cmd c = { .src_fmt = FMT_AUTO };
	int opt, rc;

	aligner_opts_init(&c.mo);
	c.mo.threads = aligner_default_threads();
	optind = 1;
	while ((opt = getopt_long(argc, argv, "qh", align_options, NULL)) != -1)
		if ((rc = parse_option(&c, opt, optarg)) >= 0)
			goto out;
	if (argc - optind != 2)
		rc = cli_usage_error("align", argc - optind < 2 ? "SRC and TGT are required"
				     : "two files expected (SRC TGT), got '%s' too", argv[argc - 1]);
	else if (!c.fwd || !c.rev)
		rc = cli_usage_error("align", "--fwd and --rev are required");
	else if (c.nbsrc != c.nbtgt)
		rc = cli_usage_error("align", "%zu --bitext-src but %zu --bitext-tgt (expected them in pairs)",
				     c.nbsrc, c.nbtgt);
	else if (strcmp(c.fwd, c.rev) == 0)
		rc = cli_usage_error("align", "--fwd and --rev name one file '%s' (expected two)", c.fwd);
	else
		rc = run(&c, argv[optind], argv[optind + 1]);
out:
	free(c.bsrc);
	free(c.btgt);
	return rc;
}
