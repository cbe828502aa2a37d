/*
 * import.h — building a project from corpus files (`ferry import`).
 *
 * import_run() reads every input in lockstep, one pair at a time, and
 * appends the pairs to the project in one transaction: on any error
 * nothing is written (a new project file is not created at all) and err
 * names FILE:LINE:COL.
 */
#ifndef FERRY_IMPORT_H
#define FERRY_IMPORT_H

#include <stdint.h>

#include "ferry/align.h"
#include "ferry/aligner.h"
#include "ferry/err.h"
#include "ferry/input.h"

struct import_opts {
	const char *project;
	const char *src, *tgt;                   /* required */
	const char *align;          /* NULL: the pairs are aligned by ferry's aligner */
	const char *align_rev;
	const char *bt, *align_src_bt, *align_bt_tgt;   /* all three or none */
	const char *gold, *ner;
	int scheme;                 /* enum scheme, or -1 to detect */
	int repair;                 /* repair tags instead of failing */
	int tokenize;               /* ICU word boundaries for --tgt and --bt */
	int quiet;                  /* the front end prints no progress or summary */
	enum input_format src_fmt, tgt_fmt, gold_fmt;
	enum symmetrize sym;
	struct align_opts aopts;
	const char *src_lang, *tgt_lang;
	const char *aligner_name;   /* with align: what made the files ("ferry", "eflomal"); NULL: "given" */
	const struct label_names *labels;
	/* without align: the aligner's settings (its progress hooks too), and
	   more parallel text to train it on, nbitext files each side */
	struct aligner_opts aligner;
	const char *const *bitext_src, *const *bitext_tgt;
	size_t nbitext;
	/* progress, each may be NULL: source bytes in all; read so far and pairs stored; the end */
	void (*on_start)(void *arg, int64_t total);
	void (*on_update)(void *arg, int64_t done, int64_t pairs);
	void (*on_end)(void *arg, int64_t pairs);
	void *arg;
};

/* What an import did. */
struct import_result {
	int64_t pairs;
	int64_t first_id;
	long    repaired;           /* tags changed by --repair */
	int     scheme;             /* the source scheme used */
	int     stale;              /* temporaries of interrupted imports removed */
};

/* Defaults: scheme detected, grow-diag-final-and, the aligner's defaults. */
void import_opts_init(struct import_opts *o);
/*
 * Import o's files into o->project (created when it does not exist).
 * Without o->align, the pairs (source and target, and with o->bt
 * without its alignment files also source and back-translation,
 * back-translation and target) are aligned first, in both directions,
 * from the text alone; the inputs must then be files that can be read
 * twice (not pipes).
 * Returns 0, with res (which may be NULL) filled, or -1 with err filled
 * and the project as it was.
 */
int import_run(const struct import_opts *o, struct import_result *res, struct ferry_err *err);

/*
 * `ferry add-source`: a further labelled source (src/import-source.c).
 * The source file holds one sentence per pair, in the project's order;
 * the links come from align (and align_rev, symmetrised as the project
 * says) in the same order, or without align from ferry's aligner.  All
 * or nothing: on any refusal (a count that does not fit, a bad link, a
 * language the project has already) err names FILE:LINE and the project
 * is unchanged.
 */
struct source_add_opts {
	const char *project, *src, *lang;
	const char *align, *align_rev;       /* NULL: aligned by ferry's aligner */
	const char *aligner_name;            /* with align: what made the files; NULL: "given" */
	enum input_format src_fmt;
	int scheme;                          /* enum scheme, or -1 to detect */
	struct align_opts aopts;
	const struct label_names *labels;
	struct aligner_opts aligner;
	const char *const *bitext_src, *const *bitext_tgt;
	size_t nbitext;
};

struct source_add_result {
	int source;                          /* its id */
	int64_t pairs, entities;
	int scheme;
};

int import_source(const struct source_add_opts *o, struct source_add_result *res, struct ferry_err *err);

#endif
