/*
 * jsonl.c — one JSON object per line: {"tokens": [...], "ner_tags": [...]}.
 *
 * A small recursive-descent reader for RFC 8259 JSON that keeps only what
 * ferry needs: the "tokens" array of strings and the "ner_tags" array of
 * strings or integers (mapped through --label-names).  Other members are
 * skipped, whatever they hold, up to a nesting depth of 64.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ferry/input.h"
#include "ferry/mem.h"

#define JSON_MAX_DEPTH 64

struct json {
	const char *s, *p, *end;
	const char *file;
	long        lineno;
	struct ferry_err *err;
	const char *col_at;       /* where col was last counted to: columns go on */
	long        col;          /* from there, so a line's are counted once, not per element */
};

/* The column of `at` (code points, 1-based), counted on from the last one asked for. */
static long
json_column(struct json *j, const char *at)
{
	if (at < j->col_at) {
		j->col_at = j->s;
		j->col = 1;
	}
	j->col += text_column(j->col_at, (size_t)(at - j->col_at)) - 1;
	j->col_at = at;
	return j->col;
}

/* An error at `at`: what was found there and what was expected. */
static int
jerr(struct json *j, const char *at, const char *what)
{
	char q[ERR_QUOTE_MAX];

	if (at >= j->end)
		return err_at(j->err, EX_DATAERR, j->file, j->lineno, text_column(j->s, (size_t)(j->end - j->s)),
			      "line ends too early (expected %s)", what);
	return err_at(j->err, EX_DATAERR, j->file, j->lineno, text_column(j->s, (size_t)(at - j->s)),
		      "unexpected '%s' (expected %s)", err_quote(q, sizeof q, at, 1), what);
}

/* Skip JSON whitespace. */
static void
skip_ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r' || *j->p == '\n'))
		j->p++;
}

/* Four hex digits at p, as \uHHHH carries them. */
static int
hex4(const char *p, const char *end, unsigned *out)
{
	unsigned v = 0;

	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
		else return -1;
	}
	*out = v;
	return 0;
}

/* Parse a string at j->p (which is at '"') into out (reset first). */
static int
parse_string(struct json *j, struct buf *out)
{
	buf_reset(out);
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		const char *at = j->p;
		unsigned char c = (unsigned char)*j->p;
		if (c < 0x20)
			return jerr(j, at, "a control character to be escaped in a string");
		if (c != '\\') {
			const char *q = j->p;
			while (q < j->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
				q++;
			buf_add(out, j->p, (size_t)(q - j->p));
			j->p = q;
			continue;
		}
		if (++j->p >= j->end)
			return jerr(j, j->p, "an escape after '\\'");
		switch (*j->p++) {
		case '"': buf_addc(out, '"'); break;
		case '\\': buf_addc(out, '\\'); break;
		case '/': buf_addc(out, '/'); break;
		case 'b': buf_addc(out, '\b'); break;
		case 'f': buf_addc(out, '\f'); break;
		case 'n': buf_addc(out, '\n'); break;
		case 'r': buf_addc(out, '\r'); break;
		case 't': buf_addc(out, '\t'); break;
		case 'u': {
			unsigned cp, lo;
			if (hex4(j->p, j->end, &cp) < 0)
				return jerr(j, at, "four hex digits after \\u");
			j->p += 4;
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				return jerr(j, at, "a high surrogate before a low one");
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u' ||
				    hex4(j->p + 2, j->end, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
					return jerr(j, at, "a low surrogate \\uDC00..\\uDFFF after a high one");
				j->p += 6;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			if (cp == 0)
				return jerr(j, at, "no NUL character (\\u0000) in text");
			buf_add_utf8(out, cp);
			break;
		}
		default:
			return jerr(j, at, "one of the escapes \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uHHHH");
		}
	}
	if (j->p >= j->end)
		return jerr(j, j->p, "'\"' to close the string");
	j->p++;
	return 0;
}

/* Skip any value; depth guards against stack exhaustion. */
static int
skip_value(struct json *j, struct buf *tmp, int depth)
{
	skip_ws(j);
	if (j->p >= j->end)
		return jerr(j, j->p, "a value");
	if (depth > JSON_MAX_DEPTH) {
		char what[40];
		snprintf(what, sizeof what, "less than %d levels of nesting", JSON_MAX_DEPTH);
		return jerr(j, j->p, what);
	}
	char c = *j->p;
	if (c == '"')
		return parse_string(j, tmp);
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		j->p++;
		skip_ws(j);
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return 0;
		}
		for (;;) {
			if (c == '{') {
				skip_ws(j);
				if (j->p >= j->end || *j->p != '"')
					return jerr(j, j->p, "a member name in quotes");
				if (parse_string(j, tmp) < 0)
					return -1;
				skip_ws(j);
				if (j->p >= j->end || *j->p != ':')
					return jerr(j, j->p, "':' after the member name");
				j->p++;
			}
			if (skip_value(j, tmp, depth + 1) < 0)
				return -1;
			skip_ws(j);
			if (j->p < j->end && *j->p == ',') {
				j->p++;
				continue;
			}
			if (j->p < j->end && *j->p == close) {
				j->p++;
				return 0;
			}
			return jerr(j, j->p, c == '{' ? "',' or '}'" : "',' or ']'");
		}
	}
	static const char *const words[] = { "true", "false", "null" };
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);
		if ((size_t)(j->end - j->p) >= n && memcmp(j->p, words[i], n) == 0) {
			j->p += n;
			return 0;
		}
	}
	const char *q = j->p;
	if (q < j->end && *q == '-')
		q++;
	if (q >= j->end || *q < '0' || *q > '9')
		return jerr(j, j->p, "a value");
	while (q < j->end && ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E' ||
			      *q == '+' || *q == '-'))
		q++;
	j->p = q;
	return 0;
}

/* One item of an array at j->p into tmp: a string, or an integer tag named by labels. */
static int
array_item(struct json *j, int tags, const struct label_names *labels, long col, struct buf *tmp)
{
	char q[ERR_QUOTE_MAX];
	const char *at = j->p;

	if (j->p < j->end && *j->p == '"')
		return parse_string(j, tmp);
	if (!tags || j->p >= j->end || *j->p < '0' || *j->p > '9')
		return jerr(j, at, tags ? "a tag string or integer" : "a token string");
	/* every digit is read, and the number quoted as written; the value
	   saturates, beyond any label list */
	size_t v = 0;
	for (; j->p < j->end && *j->p >= '0' && *j->p <= '9'; j->p++)
		v = v > (SIZE_MAX - 9) / 10 ? SIZE_MAX : v * 10 + (size_t)(*j->p - '0');
	err_quote(q, sizeof q, at, (size_t)(j->p - at));
	if (labels == NULL || labels->n == 0)
		return err_at(j->err, EX_DATAERR, j->file, j->lineno, col,
			      "integer tag %s (expected string tags, or --label-names to name the integers)", q);
	if (v >= labels->n)
		return err_at(j->err, EX_DATAERR, j->file, j->lineno, col,
			      "integer tag %s is out of range (expected 0 to %zu: --label-names names %zu tags)",
			      q, labels->n - 1, labels->n);
	buf_reset(tmp);
	buf_adds(tmp, labels->v[v]);
	return 0;
}

/* Check a token string, normalise it to NFC and append it to s. */
static int
add_token(struct json *j, struct sent *s, const struct buf *tok, long col)
{
	char q[ERR_QUOTE_MAX];
	struct buf nfc = BUF_INIT;
	size_t bad;
	int rc = -1;

	if (tok->len == 0)
		return err_at(j->err, EX_DATAERR, j->file, j->lineno, col,
			      "empty token (expected at least one character)");
	for (size_t i = 0; i < tok->len; i++)
		if (text_ws_len(tok->s + i, tok->len - i))
			return err_at(j->err, EX_DATAERR, j->file, j->lineno, col,
				      "token '%s' contains whitespace (expected tokens without spaces)",
				      err_quote(q, sizeof q, tok->s, tok->len));
	if (!text_utf8_valid(tok->s, tok->len, &bad))
		return err_at(j->err, EX_DATAERR, j->file, j->lineno, col,
			      "token has an unpaired surrogate (expected valid Unicode)");
	if (text_nfc(tok->s, tok->len, &nfc, j->err) >= 0 &&
	    input_token_check(j->file, j->lineno, col, nfc.len, j->err) == 0) {
		toks_add(&s->tokens, buf_cstr(&nfc), nfc.len);
		VEC_GROW(s->pos, s->pos_cap, (size_t)s->tokens.n);
		s->pos[s->tokens.n - 1].line = j->lineno;
		s->pos[s->tokens.n - 1].col = col;
		rc = 0;
	}
	buf_release(&nfc);
	return rc;
}

/* Check tag number i and append it to s. */
static int
add_tag(struct json *j, struct sent *s, const struct buf *tag, size_t i, long col)
{
	char q[ERR_QUOTE_MAX];

	if (tag->len == 0 || memchr(tag->s, ' ', tag->len))
		return err_at(j->err, EX_DATAERR, j->file, j->lineno, col,
			      "bad tag '%s' (expected O, or B-, I-, E-, S- followed by a type)",
			      err_quote(q, sizeof q, tag->s, tag->len));
	toks_add(&s->tags, tag->s, tag->len);
	/* positions are per tag once tags are read */
	VEC_GROW(s->pos, s->pos_cap, i + 1);
	s->pos[i].line = j->lineno;
	s->pos[i].col = col;
	return 0;
}

/* Parse the "tokens" or "ner_tags" array into s. */
static int
parse_array(struct json *j, struct sent *s, int tags, const struct label_names *labels,
	    struct buf *tmp)
{
	size_t count = 0;

	skip_ws(j);
	if (j->p >= j->end || *j->p != '[')
		return jerr(j, j->p, tags ? "an array of tags" : "an array of token strings");
	j->p++;
	skip_ws(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		return 0;
	}
	for (;;) {
		skip_ws(j);
		long col = json_column(j, j->p);
		if (count == FERRY_SENT_MAX)
			return tags ? err_at(j->err, EX_DATAERR, j->file, j->lineno, col, "\"ner_tags\" has more than %d "
					     "items (expected at most %d tags a sentence, one per token)",
					     FERRY_SENT_MAX, FERRY_SENT_MAX) :
				      input_sent_check(j->file, j->lineno, col, count, "", j->err);
		if (array_item(j, tags, labels, col, tmp) < 0)
			return -1;
		if ((tags ? add_tag(j, s, tmp, count, col) : add_token(j, s, tmp, col)) < 0)
			return -1;
		count++;
		skip_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			return 0;
		}
		return jerr(j, j->p, "',' or ']'");
	}
}

/* One object: its "tokens" and "ner_tags", other members skipped. */
int
jsonl_parse_line(const char *line, size_t len, const char *file, long lineno,
		 const struct label_names *labels, struct sent *s, struct buf *scratch,
		 struct ferry_err *err)
{
	struct json j = { line, line, line + len, file, lineno, err, line, 1 };
	int have_tokens = 0, have_tags = 0;
	const char *tags_at = NULL;

	toks_reset(&s->tokens);
	toks_reset(&s->tags);
	skip_ws(&j);
	if (j.p >= j.end || *j.p != '{')
		return jerr(&j, j.p, "a JSON object '{' per line");
	j.p++;
	skip_ws(&j);
	if (j.p < j.end && *j.p == '}')
		j.p++;
	else
		for (;;) {
			skip_ws(&j);
			const char *key_at = j.p;
			if (j.p >= j.end || *j.p != '"')
				return jerr(&j, j.p, "a member name in quotes");
			if (parse_string(&j, scratch) < 0)
				return -1;
			skip_ws(&j);
			if (j.p >= j.end || *j.p != ':')
				return jerr(&j, j.p, "':' after the member name");
			j.p++;
			int is_tokens = strcmp(buf_cstr(scratch), "tokens") == 0;
			int is_tags = strcmp(buf_cstr(scratch), "ner_tags") == 0;
			if ((is_tokens && have_tokens) || (is_tags && have_tags))
				return err_at(err, EX_DATAERR, file, lineno, text_column(line, (size_t)(key_at - line)),
					      "'%s' appears twice (expected each member once)", buf_cstr(scratch));
			if (is_tags)
				tags_at = key_at;
			/* tags are parsed after tokens so that positions stay per token
			   until then; parse into place either way */
			if (is_tokens || is_tags) {
				if (parse_array(&j, s, is_tags, labels, scratch) < 0)
					return -1;
				have_tokens |= is_tokens;
				have_tags |= is_tags;
			} else if (skip_value(&j, scratch, 1) < 0) {
				return -1;
			}
			skip_ws(&j);
			if (j.p < j.end && *j.p == ',') {
				j.p++;
				continue;
			}
			if (j.p < j.end && *j.p == '}') {
				j.p++;
				break;
			}
			return jerr(&j, j.p, "',' or '}'");
		}
	skip_ws(&j);
	if (j.p < j.end)
		return jerr(&j, j.p, "the end of the line after the object");
	if (!have_tokens)
		return err_at(err, EX_DATAERR, file, lineno, 1, "no \"tokens\" member (expected "
			      "{\"tokens\": [...], \"ner_tags\": [...]})");
	if (have_tags && s->tags.n != s->tokens.n)
		return err_at(err, EX_DATAERR, file, lineno, text_column(line, (size_t)(tags_at - line)),
			      "\"ner_tags\" has %u items but \"tokens\" has %u (expected one tag per token)",
			      s->tags.n, s->tokens.n);
	return 0;
}
