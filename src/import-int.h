/*
 * import-int.h — what the import's files share: reading a labelled
 * input (the source, the gold, a further source) and judging its tag
 * scheme as it is read.  Only src/import*.c include it.
 *
 *   import.c         ferry import: a project from corpus files
 *   import-source.c  ferry add-source: a further labelled source
 */
#ifndef FERRY_IMPORT_INT_H
#define FERRY_IMPORT_INT_H

#include "ferry/corpus.h"
#include "ferry/err.h"
#include "ferry/input.h"
#include "ferry/scheme.h"

/* A labelled input: its scheme, given or judged as it is read. */
struct labelled {
	const char *path;
	int scheme;                    /* enum scheme, or -1 until the file has been judged */
	struct scheme_judge judge;
	long repaired;
};

/*
 * The tags of sentence s (parsed into *tags, grown as needed) as spans
 * in out: checked against lab's scheme, or judged for the verdict at the
 * end; with repair, broken tags are repaired and counted.
 */
int labelled_spans(struct labelled *lab, const struct sent *s, int repair, struct tag **tags, size_t *cap,
		   struct spans *out, struct ferry_err *err);
/* The input has been read: the scheme it was judged to use, or its first violation. */
int labelled_end(struct labelled *lab, int repair, struct ferry_err *err);

#endif
