/*
 * fuzz_lines.c — target text: one sentence a line, split at spaces or at
 * ICU word boundaries (--tokenize).  Tokens must be non-empty, free of
 * whitespace, and valid UTF-8 in NFC.
 */
#include "fuzz.h"

#include "ferry/input.h"

static void
each(const struct sent *s, void *arg)
{
	size_t bad;

	(void)arg;
	for (uint32_t i = 0; i < s->tokens.n; i++) {
		size_t len;
		const char *t = toks_get(&s->tokens, i, &len);
		if (len == 0 || !text_utf8_valid(t, len, &bad) || text_ws_len(t, len) != 0)
			abort();
		for (size_t k = 0; k < len; k++)
			if (t[k] == ' ' || t[k] == '\t' || t[k] == '\n')
				abort();
	}
}

static void
read_all(const char *path, int tokenize)
{
	struct sentreader_opts o = { .fmt = FMT_LINES, .tokenize = tokenize };

	fuzz_each_sentence(path, &o, each, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);

	read_all(path, 0);
	read_all(path, 1);
	return 0;
}
