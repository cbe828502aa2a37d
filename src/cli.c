/* cli.c — error reporting and progress for the subcommands. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ferry/cli.h"
#include "ferry/corpus.h"

int
cli_fail(const struct ferry_err *err)
{
	fprintf(stderr, "ferry: %s\n", err->msg[0] ? err->msg : "internal error");
	return err->code ? err->code : EX_SOFTWARE;
}

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

double
cli_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
progress_start(struct progress *p, const char *what, off_t total, int quiet)
{
	p->on = !quiet && isatty(STDERR_FILENO);
	p->what = what;
	p->total = total;
	p->start = p->last = cli_now();
}

void
progress_update(struct progress *p, off_t done, int64_t items)
{
	double now;

	if (!p->on || (now = cli_now()) - p->last < 0.1)
		return;
	p->last = now;
	double rate = (double)items / (now - p->start);
	if (p->total > 0)
		fprintf(stderr, "\r%s: %3d%% %lld (%.0f/s)\033[K", p->what,
			(int)(100.0 * (double)done / (double)p->total), (long long)items, rate);
	else
		fprintf(stderr, "\r%s: %lld (%.0f/s)\033[K", p->what, (long long)items, rate);
}

void
progress_end(struct progress *p, int64_t items)
{
	if (!p->on)
		return;
	double secs = cli_now() - p->start;
	fprintf(stderr, "\r%s: %lld in %.1f s\033[K\n", p->what, (long long)items, secs);
}

int
cli_parse_statuses(const char *list, unsigned *mask)
{
	*mask = 0;
	if (*list == '\0')
		return -1;
	while (*list) {
		size_t k = strcspn(list, ",");
		int s = status_parse(list, k);
		if (s < 0)
			return -1;
		*mask |= 1u << s;
		list += k + (list[k] == ',');
	}
	return 0;
}
