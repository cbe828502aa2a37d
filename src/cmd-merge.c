/*
 * cmd-merge.c — `ferry merge`: the command line of applying part files
 * (made by `ferry match --output`) to their project; match_merge()
 * (match-run.c) does the work.
 */
#include <getopt.h>
#include <stdio.h>

#include "ferry/cli.h"
#include "ferry/match-run.h"

static const char merge_help[] =
"usage: ferry merge PROJECT PART...\n"
"\n"
"Apply part files made by ferry match --output (for example one per shard of a\n"
"Slurm array job) to PROJECT, all in one transaction.  A pair a reviewer changed\n"
"since its part was made is left as it is and counted.  Every part must come\n"
"from this project (or a copy of it) with the pairs as they are now, and carry\n"
"the same match settings; otherwise nothing is merged.\n"
"\n"
"  -q, --quiet   no summary on stderr\n"
"  -h, --help    this text\n";

/* `ferry merge PROJECT PART...`: parse, merge, summarise. */
int
cmd_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct ferry_err err = { 0 };
	int64_t merged, stale;
	int quiet = 0, c;

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
	int parts = argc - optind - 1;
	if (match_merge(argv[optind], argv + optind + 1, parts, &merged, &stale, &err) < 0)
		return cli_fail(&err);
	if (!quiet) {
		fprintf(stderr, "ferry: merged %lld pair%s from %d part%s", (long long)merged, merged == 1 ? "" : "s",
			parts, parts == 1 ? "" : "s");
		if (stale)
			fprintf(stderr, "; %lld changed since and left alone", (long long)stale);
		fputc('\n', stderr);
	}
	return 0;
}
