/*
 * cmd-agreement.c — `ferry agreement`: how far the reviewers' independent
 * layers agree (team.c), as a table or JSON.
 */
#include <stdio.h>

#include "ferry/cli.h"
#include "ferry/team.h"

static const char agreement_help[] =
"usage: ferry agreement PROJECT [--json]\n"
"\n"
"Compare the reviewers' own layers (ferry review --independent) on the pairs\n"
"they decided (accepted or fixed): for every two reviewers the pairs both\n"
"decided, how many came out identical, the span F1 of one against the other\n"
"and Cohen's kappa of the target tokens' IOB2 tags; Krippendorff's alpha over\n"
"all reviewers; span F1 and alpha per label.  ferry(1) gives the definitions.\n"
"\n"
"  --json      one JSON object: reviewers, pairwise (a, b, pairs, identical,\n"
"              span_f1, kappa, labels), alpha, units, labels\n"
"  -h, --help  this text\n";

int
cmd_agreement(int argc, char **argv)
{
	struct ferry_err err = { 0 };
	struct agreement a;
	struct buf out = BUF_INIT;
	const char *project;
	int json = 0, rc = cli_report_args(argc, argv, "agreement", agreement_help, &json, &project);

	if (rc >= 0)
		return rc;
	if (team_agreement(project, &a, &err) < 0)
		return cli_fail(&err);
	agreement_report(&a, json, &out);
	fputs(buf_cstr(&out), stdout);
	buf_release(&out);
	agreement_release(&a);
	return 0;
}
