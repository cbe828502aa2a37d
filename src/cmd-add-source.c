/*
 * cmd-add-source.c — `ferry add-source`: the options, import_source()
 * (import-source.c), the summary.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/cli.h"
#include "ferry/import.h"
#include "ferry/scheme.h"

static const char add_help[] =
"usage: ferry add-source PROJECT --src FILE --src-lang L [OPTIONS]\n"
"\n"
"Add a further labelled source language to every pair of PROJECT, for\n"
"multi-source projection: FILE holds one labelled sentence per pair, in the\n"
"project's order (the same sentences translated into language L). Then\n"
"'ferry match' projects from every source and fuses them.\n"
"\n"
"  --src FILE            the labelled source: CoNLL or JSONL (by extension,\n"
"                        or --src-format)\n"
"  --src-lang L          its language code (e.g. es): every source needs its own\n"
"  --align FILE          source-target word alignment, Pharaoh 'i-j' per line;\n"
"                        without it the pairs are aligned by ferry's aligner\n"
"  --align-rev FILE      the reverse-direction alignment, symmetrised with --align\n"
"                        as the project's first import was\n"
"  --aligner NAME        what made the alignment files (ferry: ferry match picks\n"
"                        the settings tuned to them for this source)\n"
"  --reverse             alignment files are target-first ('j-i')\n"
"  --one-based           alignment indices start at 1\n"
"  --scheme S            tag scheme: iob1, iob2, bioes (bilou), io; detected\n"
"                        when not given\n"
"  --label-names LIST    names of integer JSONL tags: O,B-PER,I-PER,...\n"
"  --src-format F        conll or jsonl\n"
"  -q, --quiet           no summary on stderr\n"
"  -h, --help            this text\n"
"\n"
"ferry's aligner (without --align; see ferry align):\n";

enum {
	OPT_SRC = 256, OPT_LANG, OPT_ALIGN, OPT_ALIGN_REV, OPT_ALIGNER, OPT_REVERSE, OPT_ONE_BASED,
	OPT_SCHEME, OPT_LABEL_NAMES, OPT_SRC_FMT, OPT_MODEL,
};

static const struct option add_options[] = {
	{ "src", required_argument, NULL, OPT_SRC },
	{ "src-lang", required_argument, NULL, OPT_LANG },
	{ "align", required_argument, NULL, OPT_ALIGN },
	{ "align-rev", required_argument, NULL, OPT_ALIGN_REV },
	{ "aligner", required_argument, NULL, OPT_ALIGNER },
	{ "reverse", no_argument, NULL, OPT_REVERSE },
	{ "one-based", no_argument, NULL, OPT_ONE_BASED },
	{ "scheme", required_argument, NULL, OPT_SCHEME },
	{ "label-names", required_argument, NULL, OPT_LABEL_NAMES },
	{ "src-format", required_argument, NULL, OPT_SRC_FMT },
	ALIGNER_GETOPT(OPT_MODEL),
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct add_cmd {
	struct source_add_opts o;
	struct aligner_args args;
	const char *label_list;
	int quiet;
};

/* Apply option c; -1 to go on, else the exit code. */
static int
add_option(struct add_cmd *ac, int c, const char *arg)
{
	struct source_add_opts *o = &ac->o;
	struct ferry_err err = { 0 };
	int v;

	if (c >= OPT_MODEL && c < OPT_MODEL + ALIGNER_NOPTS)
		return aligner_args_set(&ac->args, c - OPT_MODEL, arg, &err) < 0 ?
			cli_usage_error("add-source", "%s", err.msg) : -1;
	switch (c) {
	case OPT_SRC: o->src = arg; break;
	case OPT_ALIGN: o->align = arg; break;
	case OPT_ALIGN_REV: o->align_rev = arg; break;
	case OPT_REVERSE: o->aopts.reverse = 1; break;
	case OPT_ONE_BASED: o->aopts.one_based = 1; break;
	case OPT_LABEL_NAMES: ac->label_list = arg; break;
	case OPT_LANG:
		if (!cli_name_ok(arg))
			return cli_usage_error("add-source", "bad language code '%s' (expected a code such as en, "
					       "de or pt-BR)", arg);
		o->lang = arg;
		break;
	case OPT_ALIGNER:
		if (!cli_name_ok(arg))
			return cli_usage_error("add-source", "bad --aligner '%s' (expected a name such as ferry, "
					       "eflomal or giza: letters, digits, '-' and '_')", arg);
		o->aligner_name = arg;
		break;
	case OPT_SCHEME:
		if ((o->scheme = scheme_parse(arg)) < 0)
			return cli_usage_error("add-source", "unknown --scheme '%s' (expected iob1, iob2, bioes, "
					       "bilou or io)", arg);
		break;
	case OPT_SRC_FMT:
		if ((v = input_format_parse(arg)) < 0 || v == FMT_LINES)
			return cli_usage_error("add-source", "unknown --src-format '%s' (expected conll or jsonl)", arg);
		o->src_fmt = (enum input_format)v;
		break;
	case 'q': ac->quiet = 1; break;
	case 'h': fputs(add_help, stdout); fputs(aligner_opts_help(), stdout); return 0;
	default: return cli_usage_error("add-source", "bad option");
	}
	return -1;
}

/* PROJECT and the options that are required or go together; -1 to go on. */
static int
check_args(struct add_cmd *ac, int argc, char **argv)
{
	struct source_add_opts *o = &ac->o;
	struct ferry_err err = { 0 };

	if (optind != argc - 1)
		return cli_usage_error("add-source", optind >= argc ? "no PROJECT given"
				       : "one PROJECT expected, got '%s' too", optind < argc ? argv[optind + 1] : "");
	o->project = argv[optind];
	if (!o->src || !o->lang)
		return cli_usage_error("add-source", "--src and --src-lang are required");
	if (!o->align && (o->align_rev || o->aopts.reverse || o->aopts.one_based || o->aligner_name))
		return cli_usage_error("add-source", "%s describes alignment files, but --align is not given "
				       "(expected --align too, or none of them to have ferry align)",
				       o->align_rev ? "--align-rev" : o->aopts.reverse ? "--reverse" :
				       o->aopts.one_based ? "--one-based" : "--aligner");
	if (o->align && ac->args.given)
		return cli_usage_error("add-source", "the aligner's options go without --align (the alignments "
				       "are given)");
	if (aligner_args_check(&ac->args, &err) < 0)
		return cli_usage_error("add-source", "%s", err.msg);
	o->aligner = ac->args.o;
	o->bitext_src = ac->args.bitext_src;
	o->bitext_tgt = ac->args.bitext_tgt;
	o->nbitext = ac->args.nsrc;
	return -1;
}

/* Options -> import_source() -> the summary on stderr. */
int
cmd_add_source(int argc, char **argv)
{
	struct add_cmd ac = { .o = { .scheme = -1, .src_fmt = FMT_AUTO } };
	struct source_add_result res;
	struct label_names labels = { 0 };
	struct ferry_err err = { 0 };
	int c, rc;

	aligner_args_init(&ac.args);
	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", add_options, NULL)) != -1)
		if ((rc = add_option(&ac, c, optarg)) >= 0)
			goto out;
	if ((rc = check_args(&ac, argc, argv)) >= 0)
		goto out;
	if (ac.label_list && label_names_parse(&labels, ac.label_list, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	ac.o.labels = &labels;
	rc = import_source(&ac.o, &res, &err);
	label_names_release(&labels);
	if (rc < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (!ac.quiet)
		fprintf(stderr, "ferry: added source %d (%s) to %lld pairs of %s: %lld entities (%s tags%s)\n",
			res.source, ac.o.lang, (long long)res.pairs, ac.o.project, (long long)res.entities,
			scheme_name((enum scheme)res.scheme), ac.o.align ? "" : ", aligned by ferry");
	rc = 0;
out:
	aligner_args_release(&ac.args);
	return rc;
}
