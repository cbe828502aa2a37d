/*
 * export.h — writing a project's sentences with their labels (`ferry
 * export`): CoNLL, or JSONL with a flagged pair's reason.
 *
 * Output to a file goes to a temporary beside it first (scratch.h:
 * removed on failure and on a signal, swept by the next run after a
 * SIGKILL) and is renamed into place only when complete, so a failed or
 * interrupted export never leaves half a file behind.
 */
#ifndef FERRY_EXPORT_H
#define FERRY_EXPORT_H

#include "ferry/err.h"
#include "ferry/scheme.h"

struct export_opts {
	int jsonl;               /* JSONL lines instead of CoNLL sentences */
	int source;              /* the source side (its entities) instead of the target */
	int gold;                /* the gold labels instead of the projections */
	enum scheme scheme;
	unsigned status_mask;    /* only pairs in these states (bit 1 << status); 0: all */
	const char *source_lang; /* several sources: this one's own projection; NULL: the fused one */
	const char *user;        /* this reviewer's own layer (store_use_layer); NULL: the shared state */
};

/*
 * Write the pairs of project o selects to output (NULL or "-": standard
 * output).  A JSONL line of a flagged pair with a reason (:flag TEXT)
 * has it as "comment"; CoNLL has no place for it.  Returns 0, or -1
 * with err set and no output file made.  A source_lang the project has
 * no source in is EX_USAGE, naming the ones it has; so is a user who has
 * no layer in the project.
 */
int export_run(const struct export_opts *o, const char *project, const char *output, struct ferry_err *err);

#endif
