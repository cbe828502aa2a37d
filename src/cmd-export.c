/*
 * cmd-export.c — `ferry export`: CoNLL or JSONL out of a project; the
 * options here, the writing in export.c (export.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "ferry/cli.h"
#include "ferry/export.h"
#include "ferry/scheme.h"
#include "ferry/corpus.h"

static const char export_help[] =
"usage: ferry export PROJECT [OPTIONS]\n"
"\n"
"Write the project's sentences with their labels.\n"
"\n"
"  --format F       conll (default: token TAB tag, blank line after each sentence)\n"
"                   or jsonl ({\"id\": N, \"tokens\": [...], \"ner_tags\": [...]}, and\n"
"                   \"comment\": the reason of a pair flagged with :flag TEXT)\n"
"  --side S         target (default) or source\n"
"  --what W         projections (default for the target) or gold\n"
"  --source L       several sources: source L's own projection instead of the\n"
"                   fused one\n"
"  --user NAME      reviewer NAME's own layer (ferry review --independent)\n"
"                   instead of the shared state\n"
"  --scheme S       iob2 (default), bioes or iob1\n"
"  --status LIST    only pairs in these review states, comma-separated:\n"
"                   pending, accepted, fixed, rejected, flagged, skipped\n"
"  -o, --output F   write to F instead of standard output\n"
"  -h, --help       this text\n";

enum { OPT_FORMAT = 256, OPT_SIDE, OPT_WHAT, OPT_SCHEME, OPT_STATUS, OPT_SOURCE, OPT_USER };

static const struct option export_options[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "side", required_argument, NULL, OPT_SIDE },
	{ "what", required_argument, NULL, OPT_WHAT },
	{ "scheme", required_argument, NULL, OPT_SCHEME },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "user", required_argument, NULL, OPT_USER },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Options -> export_run(). */
int
cmd_export(int argc, char **argv)
{
	struct export_opts ex = { .scheme = SCHEME_IOB2 };
	struct ferry_err err = { 0 };
	const char *output = NULL, *what = NULL;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", export_options, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (strcmp(optarg, "conll") == 0) ex.jsonl = 0;
			else if (strcmp(optarg, "jsonl") == 0) ex.jsonl = 1;
			else return cli_usage_error("export", "unknown --format '%s' (expected conll or jsonl)", optarg);
			break;
		case OPT_SOURCE:
			ex.source_lang = optarg;
			break;
		case OPT_USER:
			ex.user = optarg;
			break;
		case OPT_SIDE:
			if (strcmp(optarg, "target") == 0) ex.source = 0;
			else if (strcmp(optarg, "source") == 0) ex.source = 1;
			else return cli_usage_error("export", "unknown --side '%s' (expected target or source)", optarg);
			break;
		case OPT_WHAT:
			if (strcmp(optarg, "projections") != 0 && strcmp(optarg, "gold") != 0)
				return cli_usage_error("export", "unknown --what '%s' (expected projections or gold)", optarg);
			what = optarg;
			break;
		case OPT_SCHEME:
			rc = scheme_parse(optarg);
			if (rc < 0 || rc == SCHEME_IO)
				return cli_usage_error("export", "unknown --scheme '%s' (expected iob2, bioes or iob1)", optarg);
			ex.scheme = (enum scheme)rc;
			break;
		case OPT_STATUS:
			if (status_parse_list(optarg, &ex.status_mask) < 0)
				return cli_usage_error("export", "unknown --status '%s' (expected pending, accepted, "
						       "fixed, rejected, flagged or skipped)", optarg);
			break;
		case 'o': output = optarg; break;
		case 'h': fputs(export_help, stdout); return 0;
		default: return cli_usage_error("export", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("export", "one PROJECT expected");
	ex.gold = what ? strcmp(what, "gold") == 0 : ex.source;
	if (ex.source && !ex.gold)
		return cli_usage_error("export", "the source side has gold entities, not projections (use --what gold)");
	rc = export_run(&ex, argv[optind], output, &err);
	return rc < 0 ? cli_fail(&err) : 0;
}
