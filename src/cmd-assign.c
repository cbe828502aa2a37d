/*
 * cmd-assign.c — `ferry assign`: share a project's pairs out among
 * reviewers, some of them to two for agreement (team.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/cli.h"
#include "ferry/match.h"
#include "ferry/mem.h"
#include "ferry/team.h"

static const char assign_help[] =
"usage: ferry assign PROJECT --reviewers A,B,... [--overlap F] [--seed N] [-q]\n"
"\n"
"Share the pairs out among the reviewers: each gets a share, and a fraction F\n"
"of the pairs goes to two of them, so that their agreement can be measured\n"
"(ferry agreement).  'ferry review --independent' then offers each reviewer\n"
"only their share.  Assigning again replaces those reviewers' shares.\n"
"\n"
"  --reviewers LIST  the reviewers' names ($FERRY_USER or login names),\n"
"                    comma-separated\n"
"  --overlap F       the fraction of pairs reviewed by two (0 to 1; default 0.1)\n"
"  --seed N          the shuffle's seed (default 1): the same seed, the same shares\n"
"  -q, --quiet       no summary\n"
"  -h, --help        this text\n";

enum { OPT_REVIEWERS = 256, OPT_OVERLAP, OPT_SEED };

static const struct option assign_options[] = {
	{ "reviewers", required_argument, NULL, OPT_REVIEWERS },
	{ "overlap", required_argument, NULL, OPT_OVERLAP },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* "a,b,c" into names (each checked, none twice); the count, or a usage error's exit code as negative. */
static int
split_reviewers(char *list, char **names, size_t cap, size_t *n)
{
	*n = 0;
	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		size_t len = strlen(tok);
		if (len == 0 || len >= FERRY_LAYER_MAX || strpbrk(tok, " \t\n\r") || *n == cap)
			return cli_usage_error("assign", "bad --reviewers name '%s' (expected names of up to %d "
					       "characters without spaces, at most %zu of them)", tok, FERRY_LAYER_MAX - 1, cap);
		for (size_t i = 0; i < *n; i++)
			if (strcmp(names[i], tok) == 0)
				return cli_usage_error("assign", "--reviewers names '%s' twice", tok);
		names[(*n)++] = tok;
	}
	return *n ? -1 : cli_usage_error("assign", "--reviewers names nobody (expected e.g. ann,bob)");
}

int
cmd_assign(int argc, char **argv)
{
	struct ferry_err err = { 0 };
	char *list = NULL, *names[256];
	double overlap = 0.1, seed = 1;
	size_t n = 0;
	int quiet = 0, c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", assign_options, NULL)) != -1) {
		switch (c) {
		case OPT_REVIEWERS: free(list); list = xstrdup(optarg); break;
		case OPT_OVERLAP:
		case OPT_SEED:
			if (match_opt_number(c == OPT_OVERLAP ? "--overlap" : "--seed", optarg, 0,
					     c == OPT_OVERLAP ? 1 : 4294967295.0, c == OPT_SEED,
					     c == OPT_OVERLAP ? &overlap : &seed, &err) < 0) {
				free(list);
				return cli_usage_error("assign", "%s", err.msg);
			}
			break;
		case 'q': quiet = 1; break;
		case 'h': fputs(assign_help, stdout); free(list); return 0;
		default: free(list); return cli_usage_error("assign", "bad option");
		}
	}
	if (optind != argc - 1 || !list) {
		free(list);
		return cli_usage_error("assign", optind != argc - 1 ? "one PROJECT expected" : "--reviewers is required");
	}
	if ((rc = split_reviewers(list, names, sizeof names / sizeof *names, &n)) >= 0) {
		free(list);
		return rc;
	}
	int64_t counts[256], both;
	rc = team_assign(argv[optind], (const char *const *)names, n, overlap, (uint64_t)seed, counts, &both, &err);
	if (rc == 0 && !quiet) {
		fprintf(stderr, "ferry: assigned the pairs of %s:", argv[optind]);
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "%s %s %lld", i ? "," : "", names[i], (long long)counts[i]);
		fprintf(stderr, "; %lld to two\n", (long long)both);
	}
	free(list);
	return rc < 0 ? cli_fail(&err) : 0;
}
