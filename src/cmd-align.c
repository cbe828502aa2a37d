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
"  --src-format F        conll, jsonl or text (default: by SRC's name)\n"
"  --seed N              accepted for scripts written for samplers: the\n"
"                        model is trained by EM and uses no random numbers\n"
"%s"
"  -q, --quiet           no progress or summary\n"
"  -h, --help            this help\n";

enum { OPT_FWD = 256, OPT_REV, OPT_SRC_FORMAT, OPT_SEED, OPT_MODEL };

static const struct option align_options[] = {
	{ "fwd", required_argument, NULL, OPT_FWD },
	{ "rev", required_argument, NULL, OPT_REV },
	{ "src-format", required_argument, NULL, OPT_SRC_FORMAT },
	{ "seed", required_argument, NULL, OPT_SEED },
	ALIGNER_GETOPT(OPT_MODEL),
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct align_cmd {
	struct aligner_args args;
	const char *fwd, *rev;
	int src_fmt, quiet;
};

static int
parse_option(struct align_cmd *c, int opt, const char *arg)
{
	struct ferry_err err = { 0 };

	switch (opt) {
	case OPT_FWD: c->fwd = arg; return -1;
	case OPT_REV: c->rev = arg; return -1;
	case OPT_SRC_FORMAT:
		if ((c->src_fmt = input_format_parse(arg)) < 0)
			return cli_usage_error("align", "unknown --src-format '%s' (expected conll, jsonl or text)", arg);
		return -1;
	case OPT_SEED:
		if (cli_parse_count(arg) < 0)
			return cli_usage_error("align", "bad --seed '%s' (expected a non-negative integer)", arg);
		return -1;
	case 'q': c->quiet = 1; return -1;
	case 'h': printf(usage, aligner_opts_help()); return 0;
	default:
		if (opt >= OPT_MODEL && opt < OPT_MODEL + ALIGNER_NOPTS) {
			if (aligner_args_set(&c->args, opt - OPT_MODEL, arg, &err) < 0)
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

	c->args.o.on_start = progress_hook_start;
	c->args.o.on_update = progress_hook_update;
	c->args.o.arg = &prog;
	struct sentreader_opts os = { .fmt = (enum input_format)c->src_fmt }, ot = { .fmt = FMT_LINES };
	a = aligner_new(&c->args.o);
	if (aligner_read(a, src, &os, tgt, &ot, &n, &err) < 0)
		goto fail;
	aligner_more(a);
	for (size_t i = 0; i < c->args.nsrc; i++) {
		if (aligner_read(a, c->args.bitext_src[i], &ot, c->args.bitext_tgt[i], &ot, &more, &err) < 0)
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
	struct ferry_err err = { 0 };
	int opt, rc;

	aligner_args_init(&c.args);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "qh", align_options, NULL)) != -1)
		if ((rc = parse_option(&c, opt, optarg)) >= 0)
			goto out;
	if (argc - optind != 2)
		rc = cli_usage_error("align", argc - optind < 2 ? "SRC and TGT are required"
				     : "two files expected (SRC TGT), got '%s' too", argv[argc - 1]);
	else if (!c.fwd || !c.rev)
		rc = cli_usage_error("align", "--fwd and --rev are required");
	else if (aligner_args_check(&c.args, &err) < 0)
		rc = cli_usage_error("align", "%s", err.msg);
	else if (strcmp(c.fwd, c.rev) == 0)
		rc = cli_usage_error("align", "--fwd and --rev name one file '%s' (expected two)", c.fwd);
	else
		rc = run(&c, argv[optind], argv[optind + 1]);
out:
	aligner_args_release(&c.args);
	return rc;
}
