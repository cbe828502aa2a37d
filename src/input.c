/*
 * input.c — the sentence reader for token lines and CoNLL; lines are read
 * in input-lines.c, JSONL objects parsed in jsonl.c.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ferry/input.h"
#include "ferry/mem.h"

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

/* The CoNLL-2003 document separator, read as a sentence break. */
#define DOCSTART "-DOCSTART-"
#define DOCSTART_LEN (sizeof DOCSTART - 1)

/* 1 when two stats are of one file. */
static int
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* What a file that is read as a stream is, for messages; NULL for one that can be opened twice. */
static const char *
stream_kind(const struct stat *st)
{
	if (S_ISFIFO(st->st_mode))
		return "a pipe";
	if (S_ISSOCK(st->st_mode))
		return "a socket";
	if (S_ISCHR(st->st_mode))
		return "a device";
	return NULL;
}

/* The most inputs a command names (import has nine). */
#define INPUT_NAMES_MAX 16

/* Inputs that are the project, or one stream named twice. */
int
input_check_names(const struct input_name *v, size_t n, const char *project, struct ferry_err *err)
{
	struct stat st[INPUT_NAMES_MAX], proj;
	int have[INPUT_NAMES_MAX] = { 0 };
	int have_proj = project && stat(project, &proj) == 0;

	for (size_t i = 0; i < n && i < INPUT_NAMES_MAX; i++) {
		int std = v[i].path && strcmp(v[i].path, "-") == 0;
		for (size_t k = 0; k < i && std; k++)
			if (v[k].path && strcmp(v[k].path, "-") == 0)
				return err_set(err, EX_USAGE, "standard input (-) is named by %s and %s, but it can be read "
					       "only once (expected - for one of them)", v[k].opt, v[i].opt);
		if (v[i].path == NULL || (std ? fstat(0, &st[i]) : stat(v[i].path, &st[i])) != 0)
			continue;       /* opening it will say what is wrong */
		have[i] = 1;
		if (have_proj && same_file(&st[i], &proj))
			return err_set(err, EX_USAGE, "%s: %s names the project %s itself (expected a corpus file)",
				       v[i].path, v[i].opt, project);
		const char *kind = stream_kind(&st[i]);
		for (size_t k = 0; k < i && kind; k++)
			if (have[k] && same_file(&st[k], &st[i]))
				return err_set(err, EX_USAGE, "%s: named by %s and %s, but it is %s, which can be read "
					       "only once (expected a regular file, or %s for each)",
					       v[k].path, v[k].opt, v[i].opt, kind, kind);
	}
	return 0;
}

/* A --*-format name. */
int
input_format_parse(const char *name)
{
	if (strcmp(name, "lines") == 0 || strcmp(name, "text") == 0 || strcmp(name, "txt") == 0)
		return FMT_LINES;
	if (strcmp(name, "conll") == 0)
		return FMT_CONLL;
	if (strcmp(name, "jsonl") == 0 || strcmp(name, "json") == 0)
		return FMT_JSONL;
	return -1;
}

/* 1 when s ends with suffix. */
static int
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The format a file name suggests. */
enum input_format
input_format_guess(const char *path)
{
	static const char *const conll[] = {
		".conll", ".conllu", ".conll03", ".iob", ".iob1", ".iob2", ".bio",
		".bioes", ".bilou", ".tsv",
	};

	if (ends_with(path, ".jsonl") || ends_with(path, ".json") || ends_with(path, ".ndjson"))
		return FMT_JSONL;
	for (size_t i = 0; i < sizeof conll / sizeof *conll; i++)
		if (ends_with(path, conll[i]))
			return FMT_CONLL;
	return FMT_LINES;
}

/* The format a tagged file's name suggests: lines are never tagged. */
enum input_format
input_format_guess_tagged(const char *path)
{
	enum input_format f = input_format_guess(path);

	return f == FMT_LINES ? FMT_TAGGED : f;
}

/* --label-names: every tag in order, or types expanded to O, B-X, I-X. */
int
label_names_parse(struct label_names *ln, const char *list, struct ferry_err *err)
{
	struct tag t;
	int full = 0;
	size_t n = 0, cap = 0;
	char **v = NULL;
	const char *p = list;

	memset(ln, 0, sizeof *ln);
	/* A list that names O, or has prefixed tags, is the full tag list. */
	for (const char *q = list; *q; ) {
		size_t k = strcspn(q, ",");
		if ((k == 1 && q[0] == 'O') || (k > 2 && tag_parse(q, k, &t) == 0 && t.prefix != 'O'))
			full = 1;
		q += k + (q[k] == ',');
	}
	while (*p) {
		size_t k = strcspn(p, ",");
		if (k == 0 || (full && tag_parse(p, k, &t) < 0) || k >= FERRY_LABEL_MAX) {
			for (size_t i = 0; i < n; i++)
				free(v[i]);
			free(v);
			return err_set(err, EX_USAGE, "--label-names: bad name '%.*s' (expected "
				       "tags such as O,B-PER,I-PER or types such as PER,ORG)", (int)k, p);
		}
		if (full) {
			VEC_GROW(v, cap, n + 1);
			v[n++] = xstrndup(p, k);
		} else {
			if (n == 0) {
				VEC_GROW(v, cap, n + 1);
				v[n++] = xstrdup("O");
			}
			VEC_GROW(v, cap, n + 2);
			char tag[FERRY_LABEL_MAX + 2];
			snprintf(tag, sizeof tag, "B-%.*s", (int)k, p);
			v[n++] = xstrdup(tag);
			tag[0] = 'I';
			v[n++] = xstrdup(tag);
		}
		p += k + (p[k] == ',');
	}
	ln->v = v;
	ln->n = n;
	return 0;
}

/* Free the names. */
void
label_names_release(struct label_names *ln)
{
	for (size_t i = 0; i < ln->n; i++)
		free(ln->v[i]);
	free(ln->v);
	memset(ln, 0, sizeof *ln);
}

/* Free a sentence. */
void
sent_release(struct sent *s)
{
	toks_release(&s->tokens);
	toks_release(&s->tags);
	toks_release(&s->probs);
	free(s->pos);
	memset(s, 0, sizeof *s);
}

/* Empty a sentence, keeping its memory, to be read from line on. */
static void
sent_reset(struct sent *s, long line)
{
	toks_reset(&s->tokens);
	toks_reset(&s->tags);
	toks_reset(&s->probs);
	s->line = line;
}

/* Record where the token just added stands. */
static void
sent_pos(struct sent *s, long line, long col)
{
	VEC_GROW(s->pos, s->pos_cap, (size_t)s->tokens.n);
	s->pos[s->tokens.n - 1].line = line;
	s->pos[s->tokens.n - 1].col = col;
}

/* The tags of s as struct tag; unknown ones fail, or become O with repair. */
int
sent_parse_tags(const struct sent *s, const char *file, int repair, struct tag **tags,
		size_t *tags_cap, long *repaired, struct ferry_err *err)
{
	char q[ERR_QUOTE_MAX];

	VEC_GROW(*tags, *tags_cap, (size_t)s->tags.n + 1);
	for (uint32_t i = 0; i < s->tags.n; i++) {
		size_t len;
		const char *t = toks_get(&s->tags, i, &len);
		if (tag_parse(t, len, &(*tags)[i]) == 0)
			continue;
		if (!repair)
			return err_at(err, EX_DATAERR, file, s->pos[i].line, s->pos[i].col,
				      "unknown tag '%s' (expected O, or B-, I-, E-, S- followed by a type)",
				      err_quote(q, sizeof q, t, len));
		(*tags)[i].prefix = 'O';
		(*tags)[i].type_len = 0;
		(*repaired)++;
	}
	return 0;
}

/* Whether s repeats the tokens of want, and where it first does not. */
enum sent_cmp
sent_cmp_tokens(const struct sent *s, const struct toks *want, uint32_t *at)
{
	if (s->tokens.n != want->n)
		return SENT_OTHER_COUNT;
	/* tokens hold no spaces: the same joined text is the same tokens */
	if (s->tokens.len == want->len &&
	    (want->len == 0 || memcmp(s->tokens.text, want->text, want->len) == 0))
		return SENT_SAME;
	for (uint32_t i = 0; i < want->n; i++) {
		size_t la, lb;
		const char *x = toks_get(&s->tokens, i, &la), *y = toks_get(want, i, &lb);
		if (la != lb || memcmp(x, y, la) != 0) {
			*at = i;
			return SENT_OTHER_TOKEN;
		}
	}
	return SENT_SAME;
}

/* Open path; FMT_AUTO becomes the format its name suggests. */
int
sentreader_open(struct sentreader *r, const char *path, const struct sentreader_opts *o,
		struct ferry_err *err)
{
	memset(r, 0, sizeof *r);
	r->o = *o;
	if (r->o.fmt == FMT_AUTO)
		r->o.fmt = input_format_guess(path);
	return lines_open(&r->in, path, 1, r->o.fmt == FMT_CONLL || r->o.fmt == FMT_TAGGED ? "a token and its tags" :
			  "a sentence of at most " STRINGIFY(FERRY_SENT_MAX) " tokens", err);
}

/* Close the file and free the reader's buffers. */
void
sentreader_close(struct sentreader *r)
{
	lines_close(&r->in);
	text_ranges_release(&r->fields);
	buf_release(&r->scratch);
}

/* Refuse tokens over FERRY_TOKEN_MAX bytes. */
int
input_token_check(const char *path, long line, long col, size_t len, struct ferry_err *err)
{
	if (len <= FERRY_TOKEN_MAX)
		return 0;
	return err_at(err, EX_DATAERR, path, line, col,
		      "token of %zu bytes (expected at most %d: is the text tokenised?)", len, FERRY_TOKEN_MAX);
}

/* Refuse a sentence's token FERRY_SENT_MAX + 1; `hint` ends the message. */
int
input_sent_check(const char *path, long line, long col, size_t n, const char *hint, struct ferry_err *err)
{
	if (n < FERRY_SENT_MAX)
		return 0;
	return err_at(err, EX_DATAERR, path, line, col, "sentence of more than %d tokens (expected at most %d "
		      "tokens a sentence%s)", FERRY_SENT_MAX, FERRY_SENT_MAX, hint);
}

/* The column of byte off of the current line (counted in code points, but for ASCII). */
static long
line_column(const struct lines *in, size_t off)
{
	return in->ascii ? (long)off + 1 : text_column(in->line, off);
}

/* The column of byte off, from *col at byte *at before it (both moved on): in ASCII a column is a byte. */
static long
column_to(const struct lines *in, size_t *at, long *col, size_t off)
{
	*col += in->ascii ? (long)(off - *at) : (long)text_count_chars(in->line + *at, off - *at);
	*at = off;
	return *col;
}

/* Are the words of s[0..len) apart by one space each, with no other ASCII whitespace (and s no other)? */
static int
single_spaced(const char *s, size_t len)
{
	if (len == 0 || s[0] == ' ' || s[len - 1] == ' ')
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= '\t' && c <= '\r') || (c == ' ' && s[i + 1] == ' '))
			return 0;
	}
	return 1;
}

/*
 * A target line of words one space apart, as most are: the line
 * is its own token text, split where toks_set_joined splits it, which
 * for such a line is where text_split_ws does.
 */
static int
read_spaced_line(struct lines *in, struct sent *s, struct ferry_err *err)
{
	size_t at = 0;
	long col = 1;

	toks_set_joined(&s->tokens, in->line, in->len);
	VEC_GROW(s->pos, s->pos_cap, (size_t)s->tokens.n);
	for (uint32_t i = 0; i < s->tokens.n; i++) {
		size_t len;
		column_to(in, &at, &col, s->tokens.off[i]);
		toks_get(&s->tokens, i, &len);
		if (input_sent_check(in->path, in->lineno, col, i, "; one sentence per line?", err) < 0 ||
		    input_token_check(in->path, in->lineno, col, len, err) < 0)
			return -1;
		s->pos[i].line = in->lineno;
		s->pos[i].col = col;
	}
	return 1;
}

/* A target line: tokens split at whitespace or at ICU word boundaries. */
static int
read_token_line(struct sentreader *r, struct sent *s, struct ferry_err *err)
{
	struct lines *in = &r->in;

	if (!r->o.tokenize && in->simple && single_spaced(in->line, in->len))
		return read_spaced_line(in, s, err);
	if (r->o.tokenize) {
		if (text_tokenize(in->line, in->len, &r->fields, err) < 0)
			return -1;
	} else {
		(in->simple ? text_split_ascii : text_split_ws)(in->line, in->len, &r->fields);
	}
	/* columns counted along the line, not from its start each time; in ASCII a column is a byte */
	size_t at = 0;
	long col = 1;
	for (size_t i = 0; i < r->fields.n; i++) {
		size_t off = r->fields.v[i].off;
		column_to(in, &at, &col, off);
		if (input_sent_check(in->path, in->lineno, col, i, "; one sentence per line?", err) < 0 ||
		    input_token_check(in->path, in->lineno, col, r->fields.v[i].len, err) < 0)
			return -1;
		toks_add(&s->tokens, in->line + off, r->fields.v[i].len);
		sent_pos(s, in->lineno, col);
	}
	return 1;
}

/* A probability column: "0.93", or "B-PER=0.9,I-PER=0.05". */
static int
valid_prob(const char *s, size_t len)
{
	char num[64];
	size_t i = 0;

	while (i < len) {
		size_t k = i;
		while (k < len && s[k] != ',')
			k++;
		const char *item = s + i;
		size_t il = k - i;
		const char *eq = memchr(item, '=', il);
		struct tag t;
		if (eq) {
			if (tag_parse(item, (size_t)(eq - item), &t) < 0)
				return 0;
			il -= (size_t)(eq - item) + 1;
			item = eq + 1;
		} else if (i != 0 || k != len) {
			return 0;
		}
		if (il == 0 || il >= sizeof num)
			return 0;
		memcpy(num, item, il);
		num[il] = '\0';
		char *end;
		errno = 0;
		double d = strtod(num, &end);
		if (*end || errno || !isfinite(d) || d < 0 || d > 1)
			return 0;
		i = k + 1;
	}
	return len > 0;
}

/* Is this line a comment?  See the CoNLL rules in the man page. */
static int
conll_comment(const struct sentreader *r, const struct sent *s)
{
	const char *line = r->in.line;
	struct tag t;

	if (r->in.len == 0 || line[0] != '#' || s->tokens.n > 0)
		return 0;
	if (r->fields.n < 2)
		return 1;
	const struct text_range *tag = &r->fields.v[r->o.ner ? 1 : r->fields.n - 1];
	return tag_parse(line + tag->off, tag->len, &t) < 0;
}

/* The next CoNLL sentence: lines up to a blank line or -DOCSTART-. */
static int
read_conll(struct sentreader *r, struct sent *s, struct ferry_err *err)
{
	struct lines *in = &r->in;
	char q[ERR_QUOTE_MAX];
	int rc;

	while ((rc = lines_next(in, err)) > 0) {
		(in->simple ? text_split_ascii : text_split_ws)(in->line, in->len, &r->fields);
		if (r->fields.n == 0) {
			if (s->tokens.n > 0)
				return 1;
			continue;
		}
		const struct text_range *f = r->fields.v;
		if (f[0].len == DOCSTART_LEN && memcmp(in->line + f[0].off, DOCSTART, DOCSTART_LEN) == 0) {
			if (s->tokens.n > 0)
				return 1;
			continue;
		}
		if (conll_comment(r, s))
			continue;
		if (s->tokens.n == 0)
			s->line = in->lineno;
		if (r->fields.n < 2)
			return err_at(err, EX_DATAERR, in->path, in->lineno, text_column(in->line, f[0].off + f[0].len),
				      "only one column (expected a token and a tag separated by a tab or space)");
		if (r->o.ner && r->fields.n > 3)
			return err_at(err, EX_DATAERR, in->path, in->lineno, text_column(in->line, f[3].off),
				      "%zu columns (expected token, tag and an optional probability)", r->fields.n);
		if (r->ncols == 0) {
			r->ncols = (int)r->fields.n;
			r->ncols_line = in->lineno;
		} else if ((size_t)r->ncols != r->fields.n && !(r->o.ner && r->fields.n >= 2 && r->fields.n <= 3)) {
			return err_at(err, EX_DATAERR, in->path, in->lineno, 0,
				      "%zu columns, but line %ld has %d (expected the same columns on every line; "
				      "a token with a space in it?)", r->fields.n, r->ncols_line, r->ncols);
		}
		size_t tagcol = r->o.ner ? 1 : r->fields.n - 1;
		long col = line_column(in, f[0].off);
		if (input_sent_check(in->path, in->lineno, col, s->tokens.n,
				     "; a blank line between sentences missing?", err) < 0 ||
		    input_token_check(in->path, in->lineno, col, f[0].len, err) < 0)
			return -1;
		toks_add(&s->tokens, in->line + f[0].off, f[0].len);
		toks_add(&s->tags, in->line + f[tagcol].off, f[tagcol].len);
		sent_pos(s, in->lineno, line_column(in, f[tagcol].off));
		if (r->o.ner) {
			if (r->fields.n == 3) {
				const char *p = in->line + f[2].off;
				if (!valid_prob(p, f[2].len))
					return err_at(err, EX_DATAERR, in->path, in->lineno, text_column(in->line, f[2].off),
						      "bad probability '%s' (expected a number from 0 to 1, or TAG=P,TAG=P)",
						      err_quote(q, sizeof q, p, f[2].len));
				toks_add(&s->probs, p, f[2].len);
			} else {
				toks_add(&s->probs, "-", 1);
			}
		}
	}
	if (rc < 0)
		return -1;
	return s->tokens.n > 0;
}

/* 1 when a line holds only white space (looked at up to its first other character). */
static int
blank(const char *s, size_t len)
{
	size_t i = 0, w;

	while (i < len && (w = text_ws_len(s + i, len - i)) > 0)
		i += w;
	return i == len;
}

/* The next sentence in the reader's format. */
int
sentreader_next(struct sentreader *r, struct sent *s, struct ferry_err *err)
{
	int rc;

	sent_reset(s, r->in.lineno + 1);
	switch (r->o.fmt) {
	case FMT_TAGGED:
		/* the first line that is not blank decides, and is read again in its format */
		while ((rc = lines_next(&r->in, err)) > 0 && blank(r->in.line, r->in.len))
			;
		if (rc <= 0)
			return rc;
		size_t i = 0, w;
		while (i < r->in.len && (w = text_ws_len(r->in.line + i, r->in.len - i)) > 0)
			i += w;
		r->o.fmt = r->in.line[i] == '{' ? FMT_JSONL : FMT_CONLL;
		lines_again(&r->in);
		return sentreader_next(r, s, err);
	case FMT_CONLL:
		return read_conll(r, s, err);
	case FMT_JSONL:
		while ((rc = lines_next(&r->in, err)) > 0) {
			if (blank(r->in.line, r->in.len))
				continue;  /* blank lines between objects are harmless */
			s->line = r->in.lineno;
			return jsonl_parse_line(r->in.line, r->in.len, r->in.path, r->in.lineno,
						r->o.labels, s, &r->scratch, err) < 0 ? -1 : 1;
		}
		return rc;
	default:
		if ((rc = lines_next(&r->in, err)) <= 0)
			return rc;
		s->line = r->in.lineno;
		return read_token_line(r, s, err);
	}
}
