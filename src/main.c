/* main.c — `ferry COMMAND [OPTIONS]`: dispatch to the subcommands. */
#include <errno.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/cli.h"
#include "ferry/text.h"

#ifndef FERRY_VERSION
#define FERRY_VERSION "0.1.0"
#endif

static const struct command {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
} commands[] = {
	{ "align",  cmd_align,  "align the words of sentence-aligned files" },
	{ "import", cmd_import, "create or extend a project from corpus files" },
	{ "add-source", cmd_add_source, "add a further labelled source language to a project" },
	{ "match",  cmd_match,  "project source entities onto target spans" },
	{ "merge",  cmd_merge,  "apply part files of sharded match runs" },
	{ "review", cmd_review, "the terminal UI for reviewing projections" },
	{ "assign", cmd_assign, "share the pairs out among reviewers" },
	{ "agreement", cmd_agreement, "how far the reviewers' own layers agree" },
	{ "export", cmd_export, "write CoNLL or JSONL from a project" },
	{ "eval",   cmd_eval,   "span precision, recall and F1 against gold" },
	{ "stats",  cmd_stats,  "counts, review progress and score histogram" },
	{ "log",    cmd_log,    "the correction history" },
};

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: ferry COMMAND PROJECT [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(fp, "\n'ferry COMMAND --help' describes a command; 'man ferry' describes them all.\n");
}

/*
 * Standard output as the command left it, flushed and closed: a write
 * that failed (a full disk, a closed pipe's reader gone) turns success
 * into EX_IOERR with a message, so `ferry log P --json > /dev/full` does
 * not exit 0.  A standard output closed from the start and never written
 * to is no error.
 */
static int
finish_stdout(int rc)
{
	int why = 0, failed = ferror(stdout);   /* an earlier write failed: its errno is gone */

	errno = 0;
	if (fflush(stdout) == EOF) {
		failed = 1;
		why = errno;
	}
	errno = 0;
	if (fclose(stdout) == EOF && errno != EBADF && !failed) {
		failed = 1;
		why = errno;
	}
	if (failed && rc == 0) {
		if (why)
			fprintf(stderr, "ferry: cannot write standard output: %s\n", strerror(why));
		else
			fprintf(stderr, "ferry: cannot write standard output\n");
		return EX_IOERR;
	}
	return rc;
}

/* The command named by argv[1], or help, version or a usage error. */
static int
run(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("ferry %s\n", FERRY_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "ferry: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EX_USAGE;
}

/* Freed memory kept by malloc for reuse, in bytes. */
#define TRIM_KEEP (64 << 20)

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");   /* numbers in files always use a dot */
#ifdef M_TRIM_THRESHOLD
	/*
	 * Keep up to TRIM_KEEP of freed memory instead of handing it back at
	 * once: a matcher thread allocates and frees GLPK's problem for every
	 * pair, and each hand-back is a system call that flushes the other
	 * threads' TLBs (ILP matching spent a quarter of its time in the
	 * kernel).  Peak memory is unchanged.
	 */
	mallopt(M_TRIM_THRESHOLD, TRIM_KEEP);
#endif
	atexit(text_cleanup);
	return finish_stdout(run(argc, argv));
}
