/*
 * fuzz_conll.c — the CoNLL reader as import drives it: sentences, tag
 * parsing, scheme detection, checking (strict and repairing) and
 * decoding; then every decoded span must lie inside its sentence and the
 * re-encoded tags must decode to the same spans.  The input is read both
 * as labelled source and as NER predictions (token, tag, probability).
 */
#include "fuzz.h"

#include "ferry/input.h"
#include "ferry/mem.h"
#include "ferry/scheme.h"

static void
check_sentence(const struct sent *s, const struct scheme_probe *probe)
{
	struct tag *tags = xcalloc(s->tags.n + 1, sizeof *tags);
	struct spans sp = { 0 }, back = { 0 };
	struct ferry_err err;
	enum scheme sc = SCHEME_IOB2;
	uint32_t n = s->tags.n;

	for (uint32_t i = 0; i < n; i++) {
		size_t len;
		const char *t = toks_get(&s->tags, i, &len);
		if (tag_parse(t, len, &tags[i]) < 0) {
			tags[i].prefix = 'O';
			tags[i].type_len = 0;
		}
	}
	fuzz_check_err(scheme_decide(probe, 0, "fuzz", &sc, &err), &err);
	for (int k = 0; k < SCHEME_COUNT; k++) {
		int bad = scheme_check((enum scheme)k, tags, n, s->pos, "fuzz", 0, &err);
		fuzz_check_err(bad, &err);
		if (scheme_check((enum scheme)k, tags, n, s->pos, "fuzz", 1, &err) < 0)
			abort();        /* repairing never fails */
	}
	scheme_decode(tags, n, &sp);
	for (size_t i = 0; i < sp.n; i++)
		if (sp.v[i].start >= sp.v[i].end || sp.v[i].end > n || (i && sp.v[i].start < sp.v[i - 1].end))
			abort();
	/* what the decoder gives, every scheme writes back losslessly */
	for (int k = 0; k < SCHEME_COUNT; k++) {
		struct buf store = BUF_INIT;
		size_t *offs = xcalloc(n + 1, sizeof *offs);
		struct tag *re = xcalloc(n + 1, sizeof *re);
		scheme_encode((enum scheme)k, sp.v, sp.n, n, &store, offs);
		for (uint32_t i = 0; i < n; i++)
			if (tag_parse(store.s + offs[i], strlen(store.s + offs[i]), &re[i]) < 0)
				abort();
		spans_reset(&back);
		scheme_decode(re, n, &back);
		if (k != SCHEME_IO && back.n != sp.n)
			abort();    /* IO merges adjacent entities of one type */
		for (size_t i = 0; k != SCHEME_IO && i < sp.n; i++)
			if (back.v[i].start != sp.v[i].start || back.v[i].end != sp.v[i].end ||
			    strcmp(back.v[i].label, sp.v[i].label) != 0)
				abort();
		buf_release(&store);
		free(offs);
		free(re);
	}
	spans_release(&sp);
	spans_release(&back);
	free(tags);
}

/* The evidence of a file so far: the probe, and the judges import keeps (strict and repairing). */
struct seen {
	struct scheme_probe probe;
	struct scheme_judge judge[2];
};

/* One sentence: tags parsed, seen by the scheme probe and the judges, then checked. */
static void
each(const struct sent *s, void *arg)
{
	struct seen *seen = arg;
	struct tag *tags = xcalloc(s->tags.n + 1, sizeof *tags);

	if (s->tokens.n != s->tags.n)
		abort();
	for (uint32_t i = 0; i < s->tags.n; i++) {
		size_t len;
		const char *t = toks_get(&s->tags, i, &len);
		if (tag_parse(t, len, &tags[i]) < 0)
			tags[i].prefix = 'O';
	}
	scheme_observe(&seen->probe, tags, s->tags.n, s->pos);
	for (int repair = 0; repair < 2; repair++)
		scheme_judge_add(&seen->judge[repair], tags, s->tags.n, s->pos, "fuzz", repair);
	free(tags);
	check_sentence(s, &seen->probe);
}

/* Read a file as import does, and judge its scheme at the end: a verdict with a message, or a scheme. */
static void
read_all(const char *path, int ner)
{
	struct sentreader_opts o = { .fmt = FMT_CONLL, .ner = ner };
	static struct seen seen;
	struct ferry_err err;
	enum scheme sc;
	long bad;

	memset(&seen, 0, sizeof seen);
	fuzz_each_sentence(path, &o, each, &seen);
	for (int repair = 0; repair < 2; repair++) {
		int rc = scheme_judge_end(&seen.judge[repair], repair, "fuzz", &sc, &bad, &err);
		fuzz_check_err(rc, &err);
		if (rc == 0 && (sc >= SCHEME_COUNT || bad < 0 || (!repair && bad != 0)))
			abort();
		if (repair && rc < 0)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);

	read_all(path, 0);
	read_all(path, 1);
	return 0;
}
