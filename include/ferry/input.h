/*
 * input.h — reading corpus files: a line reader that validates UTF-8 and
 * normalises to NFC, and a sentence reader over CoNLL, JSONL and
 * token-per-space line files.
 *
 * Readers stream: memory stays bounded by the longest sentence, whatever
 * the file size.  Errors name FILE:LINE:COL (columns count code points)
 * and say what was expected.
 */
#ifndef FERRY_INPUT_H
#define FERRY_INPUT_H

#include <stdio.h>
#include <sys/types.h>

#include "ferry/buf.h"
#include "ferry/corpus.h"
#include "ferry/err.h"
#include "ferry/scheme.h"
#include "ferry/text.h"

/*
 * The limits of what one sentence may be, and so of a line.
 *
 * FERRY_SENT_MAX: tokens in a sentence (of the source, target,
 * back-translation, gold or predictions).  Symmetrisation keeps bit grids
 * of source x target tokens (align.c): 10,000 x 10,000 costs 12.5 MB a
 * grid; a "sentence" longer than that is a whole document or a file
 * without sentence breaks.
 *
 * FERRY_TOKEN_MAX: bytes in a token.  Longer ones are not words but
 * untokenised text or a broken file, and would swamp the review screen.
 *
 * FERRY_LINE_MAX: bytes in a line of any input, whatever its format.  A
 * legal sentence needs at most FERRY_SENT_MAX * (FERRY_TOKEN_MAX + 1) =
 * 40,970,000 bytes as a token line, and about 42 MB as a JSONL object
 * with its tags; 64 MiB leaves room for JSON escapes and other members.
 * A longer line is refused as soon as it is seen to be longer, so that
 * reading one costs at most this much memory.
 */
#define FERRY_SENT_MAX 10000
#define FERRY_TOKEN_MAX 4096
#define FERRY_LINE_MAX (64 * 1024 * 1024)

/*
 * A file read line by line, once, front to back: a regular file, a FIFO
 * or a pipe alike.  Lines are handed out in place, valid until the next
 * call.
 */
struct lines {
	FILE       *fp;        /* open; read through read(2) on its descriptor, not stdio */
	const char *path;
	const char *holds;     /* what a line holds, for the overlong-line message */
	long        lineno;    /* of the current line, 1-based */
	char       *buf;       /* bytes read: [start, end) not yet handed out */
	size_t      cap, start, end;
	size_t      scanned;   /* bytes after start known to hold no LF */
	int         eof;       /* the file has no more bytes */
	int         sniffed;   /* the start of the file was checked for UTF-16 and UTF-32 */
	int         again;     /* lines_again: hand out the current line once more */
	const char *line;      /* the current line, without its end */
	size_t      len;
	int         nfc;       /* normalise lines to NFC */
	int         ascii;     /* the current line is ASCII: a column is a byte */
	int         simple;    /* it passed the checks in one pass (ASCII or plain Latin): its only whitespace is ASCII's */
	struct buf  norm;
	off_t       size;      /* file size, for progress; 0 if unknown */
	off_t       pos;       /* bytes consumed */
};

/*
 * Open path; `nfc` turns on normalisation; `holds` says what a line holds
 * ("a sentence's links"), for the message on a line over FERRY_LINE_MAX.
 * Returns 0 or -1 (EX_NOINPUT).
 */
int lines_open(struct lines *l, const char *path, int nfc, const char *holds, struct ferry_err *err);
/*
 * Read the next line: 1 when there is one, 0 at the end, -1 on a line
 * longer than FERRY_LINE_MAX, invalid UTF-8, a NUL byte, a file in UTF-16
 * or UTF-32 (named as such) or a read error.  CR before LF and a UTF-8
 * byte order mark at the start of the file are dropped.  Out of memory
 * exits with EX_OSERR (mem.h).
 */
/* The next lines_next() returns the current line again (a reader that looked before it chose its format). */
void lines_again(struct lines *l);
int lines_next(struct lines *l, struct ferry_err *err);
void lines_close(struct lines *l);

/* An input named on the command line: the option and its path (NULL when not given). */
struct input_name {
	const char *opt;
	const char *path;
};

/*
 * Before any input is opened: refuse one that is the project itself (an
 * existing project, compared by device and inode, so symlinks and hard
 * links are caught), and one pipe, FIFO, socket or character device named
 * for two inputs, which would share its one stream (a regular file may be
 * read twice).  Returns 0 or -1 (EX_USAGE) with err filled.  Names past
 * the 16th are not checked.
 */
int input_check_names(const struct input_name *v, size_t n, const char *project, struct ferry_err *err);

/* FMT_TAGGED: CoNLL or JSONL, as the first line that is not blank says ('{' opens JSONL). */
enum input_format { FMT_AUTO, FMT_LINES, FMT_CONLL, FMT_JSONL, FMT_TAGGED };

/* Returns the format, or -1; "text" and "txt" mean lines. */
int input_format_parse(const char *name);
/* The format a file name suggests: .jsonl/.json, .conll/.iob/..., else lines. */
enum input_format input_format_guess(const char *path);
/* The same for a file that has tags: a name that suggests plain lines, or
 * none (a pipe's, standard input's), means FMT_TAGGED: its content decides. */
enum input_format input_format_guess_tagged(const char *path);

struct label_names {
	char  **v;          /* tag name of each integer */
	size_t  n;
};

/*
 * Parse "--label-names": either every tag in index order
 * ("O,B-PER,I-PER,...") or only the types ("PER,ORG"), which expand to the
 * Hugging Face order O, B-PER, I-PER, B-ORG, I-ORG.  Returns 0 or -1.
 */
int label_names_parse(struct label_names *ln, const char *list, struct ferry_err *err);
void label_names_release(struct label_names *ln);

struct sentreader_opts {
	enum input_format fmt;
	int  tokenize;                 /* lines: split with ICU word boundaries */
	int  ner;                      /* CoNLL: token, tag, optional probability */
	const struct label_names *labels;  /* JSONL integer tags */
};

/* One sentence as read: tokens, their raw tags (if any), positions. */
struct sent {
	struct toks     tokens;
	struct toks     tags;
	struct toks     probs;         /* NER mode: "-" where none given */
	struct tag_pos *pos;           /* of each tag (or token) */
	size_t          pos_cap;
	long            line;          /* where the sentence starts */
};

void sent_release(struct sent *s);

/*
 * Parse the tags of s into (*tags)[0 .. s->tags.n), growing *tags (of
 * *tags_cap entries) as needed; the tags point into s.  An unknown tag is
 * an error naming FILE:LINE:COL, or with `repair` becomes O and is counted
 * in *repaired (which may be NULL when repair is 0).  Returns 0 or -1.
 */
int sent_parse_tags(const struct sent *s, const char *file, int repair, struct tag **tags,
		    size_t *tags_cap, long *repaired, struct ferry_err *err);

/* How a sentence's tokens compare with tokens it must repeat. */
enum sent_cmp {
	SENT_SAME,
	SENT_OTHER_COUNT,       /* it has another number of tokens */
	SENT_OTHER_TOKEN,       /* token *at differs */
};

/* Compare s's tokens with want; callers word the error themselves. */
enum sent_cmp sent_cmp_tokens(const struct sent *s, const struct toks *want, uint32_t *at);

struct sentreader {
	struct sentreader_opts o;
	struct lines in;
	int    ncols;                  /* CoNLL columns, fixed by the first line */
	long   ncols_line;
	struct text_ranges fields;
	struct buf scratch;
};

int sentreader_open(struct sentreader *r, const char *path,
		    const struct sentreader_opts *o, struct ferry_err *err);
/* 1 with a sentence in s, 0 at the end, -1 on error. */
int sentreader_next(struct sentreader *r, struct sent *s, struct ferry_err *err);
void sentreader_close(struct sentreader *r);

/*
 * 0 while a sentence has fewer than FERRY_SENT_MAX tokens (n of them read
 * before the one at LINE:COL); else -1 with FILE:LINE:COL in err, the
 * message ending in `hint` ("; one sentence per line?", or "").
 */
int input_sent_check(const char *path, long line, long col, size_t n, const char *hint, struct ferry_err *err);
/* 0, or -1 with FILE:LINE:COL in err for a token over FERRY_TOKEN_MAX. */
int input_token_check(const char *path, long line, long col, size_t len, struct ferry_err *err);

/* JSONL: parse one object line into s (used by the reader, and tests). */
int jsonl_parse_line(const char *line, size_t len, const char *file, long lineno,
		     const struct label_names *labels, struct sent *s,
		     struct buf *scratch, struct ferry_err *err);

#endif
