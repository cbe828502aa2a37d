/*
 * fuzz_lines.c — target text: one sentence a line, split at spaces or at
 * ICU word boundaries (--tokenize).  Tokens must be non-empty, free of
 * whitespace, and valid UTF-8 in NFC.
 */
#include "fuzz.h"

#include "ferry/input.h"

static void
read_all(const char *path, int tokenize)
{
	struct sentreader_opts o = { .fmt = FMT_LINES, .tokenize = tokenize };
	struct sentreader r;
	struct sent s = { 0 };
	struct ferry_err err;
	size_t bad;
	int rc;

	rc = sentreader_open(&r, path, &o, &err);
	fuzz_check_err(rc, &err);
	if (rc < 0)
		return;
	while ((rc = sentreader_next(&r, &s, &err)) > 0)
		for (uint32_t i = 0; i < s.tokens.n; i++) {
			size_t len;
			const char *t = toks_get(&s.tokens, i, &len);
			if (len == 0 || !text_utf8_valid(t, len, &bad) || text_ws_len(t, len) != 0)
				abort();
			for (size_t k = 0; k < len; k++)
				if (t[k] == ' ' || t[k] == '\t' || t[k] == '\n')
					abort();
		}
	fuzz_check_err(rc, &err);
	sentreader_close(&r);
	sent_release(&s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);

	read_all(path, 0);
	read_all(path, 1);
	return 0;
}
