/* cli.c — error reporting, shared option parsing and progress for the subcommands. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ferry/cli.h"
#include "ferry/corpus.h"

/* Seconds between two progress lines: ten a second at most. */
#define PROGRESS_INTERVAL 0.1

/* Print the error; its sysexits code is the exit status. */
int
cli_fail(const struct ferry_err *err)
{
	fprintf(stderr, "ferry: %s\n", err->msg[0] ? err->msg : "internal error");
	return err->code ? err->code : EX_SOFTWARE;
}

/* A usage error, with the pointer to --help. */
int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ferry: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'ferry %s --help'.\n", cmd);
	return EX_USAGE;
}

/* The options of the reports (stats, log): --json and --help. */
static const struct option report_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* `ferry CMD PROJECT [--json]`, as the reports take it. */
int
cli_report_args(int argc, char **argv, const char *cmd, const char *help, int *json,
		const char **project)
{
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", report_options, NULL)) != -1) {
		switch (c) {
		case 'j': *json = 1; break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage_error(cmd, "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(cmd, "one PROJECT expected");
	*project = argv[optind];
	return -1;
}

/* A whole number, as count options take it. */
int
cli_name_ok(const char *v)
{
	size_t n = strlen(v);

	if (n < 2 || n > 35)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
		      (v[i] >= '0' && v[i] <= '9') || v[i] == '-' || v[i] == '_'))
			return 0;
	return 1;
}

long long
cli_parse_count(const char *s)
{
	char *end;
	long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	v = strtoll(s, &end, 10);
	return *end ? -1 : v;
}

/* Seconds on the monotonic clock. */
double
cli_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Progress is shown only on a terminal, and not with --quiet. */
void
progress_start(struct progress *p, const char *what, off_t total, int quiet)
{
	p->on = !quiet && isatty(STDERR_FILENO);
	p->what = what;
	p->total = total;
	p->start = p->last = cli_now();
}

/* "\rWHAT: PCT% ITEMS (RATE/s)", at most every PROGRESS_INTERVAL seconds. */
void
progress_update(struct progress *p, off_t done, int64_t items)
{
	double now;

	if (!p->on || (now = cli_now()) - p->last < PROGRESS_INTERVAL)
		return;
	p->last = now;
	double rate = (double)items / (now - p->start);
	if (p->total > 0)
		fprintf(stderr, "\r%s: %3d%% %lld (%.0f/s)\033[K", p->what,
			(int)(100.0 * (double)done / (double)p->total), (long long)items, rate);
	else
		fprintf(stderr, "\r%s: %lld (%.0f/s)\033[K", p->what, (long long)items, rate);
}

/* The progress hooks of an engine, drawn by the functions above. */
void
progress_hook_start(void *arg, int64_t total)
{
	struct progress *p = arg;

	progress_start(p, p->what, (off_t)total, p->quiet);
}

void
progress_hook_update(void *arg, int64_t done, int64_t items)
{
	progress_update(arg, (off_t)done, items);
}

void
progress_hook_end(void *arg, int64_t items)
{
	progress_end(arg, items);
}

/* The last progress line: how many in how long. */
void
progress_end(struct progress *p, int64_t items)
{
	if (!p->on)
		return;
	double secs = cli_now() - p->start;
	fprintf(stderr, "\r%s: %lld in %.1f s\033[K\n", p->what, (long long)items, secs);
}

