/*
 * cli.h — what the subcommands share: the command table, reporting errors
 * as "ferry: MESSAGE" with a sysexits code, and progress on stderr.
 */
#ifndef FERRY_CLI_H
#define FERRY_CLI_H

#include <stdint.h>
#include <sys/types.h>

#include "ferry/err.h"

/* Every subcommand: argv[0] is the command name. Returns a sysexits code. */
int cmd_align(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_add_source(int argc, char **argv);
int cmd_assign(int argc, char **argv);
int cmd_agreement(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_match(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_merge(int argc, char **argv);

/* Print "ferry: MSG" and return err->code (EX_SOFTWARE if unset). */
int cli_fail(const struct ferry_err *err);
/* Print "ferry: CMD: MSG\nTry 'ferry CMD --help'." and return EX_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Parse `ferry CMD PROJECT [--json]` (stats, log): -1 to go on, with
 * *project set and *json set to 1 for --json; else the exit code to
 * return (0 after printing help for --help, EX_USAGE after a usage error).
 */
int cli_report_args(int argc, char **argv, const char *cmd, const char *help, int *json,
		    const char **project);
/*
 * A language code or a tool's name as an option takes it (en, pt-BR,
 * zh_Hant, eflomal): 2 to 35 letters, digits, '-' and '_' (BCP 47 asks
 * implementations to support language tags of up to 35 characters).
 */
int cli_name_ok(const char *v);
/* Parse a non-negative integer option value; -1 when it is not one. */
long long cli_parse_count(const char *s);

/* A progress line on stderr, only when stderr is a terminal. */
struct progress {
	int     on;
	const char *what;
	int     quiet;       /* for the hooks below */
	off_t   total;       /* bytes, 0 if unknown */
	double  start, last;
};

void progress_start(struct progress *p, const char *what, off_t total, int quiet);
/* Redraw at most ten times a second. */
void progress_update(struct progress *p, off_t done, int64_t items);
void progress_end(struct progress *p, int64_t items);
/*
 * An engine's progress hooks (import_opts, match_run_opts) as a progress
 * line: arg is a struct progress whose what and quiet are set.
 */
void progress_hook_start(void *arg, int64_t total);
void progress_hook_update(void *arg, int64_t done, int64_t items);
void progress_hook_end(void *arg, int64_t items);
/* Seconds since some fixed point, monotonic. */
double cli_now(void);

#endif
