/*
 * scheme.h — entity tag schemes: IOB1, IOB2, BIOES (BILOU read as BIOES)
 * and IO.  Parsing tags, detecting a file's scheme, checking a sentence
 * against a scheme, decoding tags into spans and encoding spans as tags.
 *
 * One lenient decoder serves every scheme: B-/S- open an entity, I-/E-
 * continue an open entity of the same type or open a new one, E-/S- close
 * it, O closes.  For well-formed input of any scheme this is the exact
 * decoding; for broken input it is the repair.
 */
#ifndef FERRY_SCHEME_H
#define FERRY_SCHEME_H

#include <stddef.h>

#include "ferry/buf.h"
#include "ferry/corpus.h"
#include "ferry/err.h"

enum scheme { SCHEME_IOB1, SCHEME_IOB2, SCHEME_BIOES, SCHEME_IO, SCHEME_COUNT };

const char *scheme_name(enum scheme s);
/* Returns the scheme, or -1; "bilou" is read as BIOES. */
int scheme_parse(const char *name);

/* A tag split into its prefix ('O', 'B', 'I', 'E', 'S') and type. */
struct tag {
	char        prefix;
	const char *type;
	size_t      type_len;
};

/*
 * Split a tag.  L- and U- (BILOU) become E- and S-.  Returns 0, or -1 for
 * a tag that is not O and not PREFIX-TYPE with a type of 1 to 47 bytes.
 */
int tag_parse(const char *s, size_t len, struct tag *out);

/* Per-file evidence for scheme detection, filled by scheme_observe(). */
struct scheme_probe {
	long bioes_at;       /* first line with E-/S-, or 0 */
	long b_opens_at;     /* first line where B-X opens after O/other type */
	long i_opens_at;     /* first line where I-X opens after O/other type */
	long b_seen_at;      /* first line with any B- */
	long i_seen_at;
};

/* Position of each tag, for messages. */
struct tag_pos {
	long line, col;
};

/* Feed one sentence's parsed tags; pos[i] is where tag i stands. */
void scheme_observe(struct scheme_probe *p, const struct tag *tags, size_t n,
		    const struct tag_pos *pos);

/*
 * Decide the scheme from the evidence.  A file that opens entities both
 * with B- after O (IOB2) and with I- after O (IOB1) is inconsistent:
 * returns -1 with err filled, unless `repair`, which picks IOB2.
 */
int scheme_decide(const struct scheme_probe *p, int repair, const char *file,
		  enum scheme *out, struct ferry_err *err);

/*
 * Check a sentence against scheme s.  Returns the number of violations;
 * when `repair` is 0 the first one is reported in err (and -1 returned).
 */
int scheme_check(enum scheme s, const struct tag *tags, size_t n,
		 const struct tag_pos *pos, const char *file, int repair,
		 struct ferry_err *err);

/*
 * Detection in the same pass as the reading, for a file that can be read
 * only once (a pipe): each sentence is observed and checked against every
 * scheme, so that at the end of the file the decided scheme's first
 * violation (or, with repair, its number of violations) is known.  Zero
 * it to start.
 */
struct scheme_judge {
	struct scheme_probe probe;
	long bad[SCHEME_COUNT];              /* violations of each scheme (with repair) */
	int  failed[SCHEME_COUNT];           /* first[s] holds the first violation of s */
	struct ferry_err first[SCHEME_COUNT];
};

/* Feed one sentence's parsed tags, at pos, of file. */
void scheme_judge_add(struct scheme_judge *j, const struct tag *tags, size_t n,
		      const struct tag_pos *pos, const char *file, int repair);
/*
 * The verdict once the file has been read: the scheme (as scheme_decide
 * picks it) in *out and, with repair, the violations to count as repaired
 * in *bad.  Without repair, a violation of the decided scheme is the
 * error: returns -1 with the first one in err, as scheme_check words it.
 */
int scheme_judge_end(const struct scheme_judge *j, int repair, const char *file,
		     enum scheme *out, long *bad, struct ferry_err *err);

/* Decode tags into spans appended to out (the lenient decoder above). */
void scheme_decode(const struct tag *tags, size_t n, struct spans *out);

/*
 * The projections of a pair as tags can carry them (and as export writes
 * and eval scores them): out, reset first, receives their spans in order,
 * leaving out each one that overlaps the span kept before it (hand edits
 * can make projections overlap; the first of a clash wins).
 */
void scheme_proj_spans(const struct projs *proj, struct spans *out);
/* The same of source `source`'s own projection in a multi-source pair (p->own). */
void scheme_own_spans(const struct sprojs *own, int source, struct spans *out);

/*
 * Encode spans (sorted, non-overlapping) over n tokens as tags in scheme
 * s: `store` is reset and receives the n tags as NUL-terminated strings
 * one after another; offs[i] receives the offset of tag i in store->s.
 */
void scheme_encode(enum scheme s, const struct span *spans, size_t nspans,
		   size_t n, struct buf *store, size_t *offs);

#endif
