/*
 * fuzz_jsonl.c — the JSONL reader: through the file reader (BOM, CRLF,
 * UTF-8 and NFC checks) with string tags and with integer tags named by
 * --label-names, and one line at a time through jsonl_parse_line.
 */
#include "fuzz.h"

#include "ferry/input.h"

static void
each(const struct sent *s, void *arg)
{
	(void)arg;
	if (s->tags.n && s->tags.n != s->tokens.n)
		abort();
}

static void
read_all(const char *path, const struct label_names *ln)
{
	struct sentreader_opts o = { .fmt = FMT_JSONL, .labels = ln };

	fuzz_each_sentence(path, &o, each, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct label_names ln = { 0 };
	struct ferry_err err;
	struct sent s = { 0 };
	struct buf scratch = BUF_INIT;

	if (label_names_parse(&ln, "PER,ORG,LOC,MISC", &err) < 0)
		abort();
	read_all(fuzz_file(data, size), NULL);
	read_all(fuzz_file(data, size), &ln);
	/* the raw line parser, without the reader's UTF-8 checks in front */
	fuzz_check_err(jsonl_parse_line((const char *)data, size, "fuzz", 1, NULL, &s, &scratch, &err), &err);
	fuzz_check_err(jsonl_parse_line((const char *)data, size, "fuzz", 1, &ln, &s, &scratch, &err), &err);
	sent_release(&s);
	buf_release(&scratch);
	label_names_release(&ln);
	return 0;
}
