/*
 * fuzz_align.c — Pharaoh alignment lines.  The first two bytes give the
 * source and target lengths, the third the options; the rest is a forward
 * line and, after a newline, a reverse line.  What parses must format back
 * to itself, stay inside the sentence, and symmetrise and compose in every
 * mode without leaving it.
 */
#include "fuzz.h"

#include "ferry/align.h"
#include "ferry/buf.h"

static void
inside(const struct links *l, uint32_t nsrc, uint32_t ntgt)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].s >= nsrc || l->v[i].t >= ntgt)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct links fwd = { 0 }, rev = { 0 }, again = { 0 }, sym = { 0 }, comp = { 0 };
	struct ferry_err err;
	struct buf out = BUF_INIT;

	if (size < 3)
		return 0;
	uint32_t nsrc = data[0], ntgt = data[1];
	struct align_opts o = { .reverse = data[2] & 1, .one_based = (data[2] >> 1) & 1 };
	const char *text = (const char *)data + 3;
	size_t len = size - 3, cut = 0;
	while (cut < len && text[cut] != '\n')
		cut++;
	int rf = align_parse(text, cut, &o, nsrc, ntgt, "fuzz", 1, &fwd, &err);
	fuzz_check_err(rf, &err);
	const char *rtext = cut < len ? text + cut + 1 : "";
	size_t rlen = cut < len ? len - cut - 1 : 0;
	int rr = align_parse(rtext, rlen, &o, nsrc, ntgt, "fuzz", 2, &rev, &err);
	fuzz_check_err(rr, &err);
	if (rf == 0) {
		static const struct align_opts plain = { 0, 0 };
		inside(&fwd, nsrc, ntgt);
		align_format(&fwd, &out);
		if (align_parse(out.s ? out.s : "", out.len, &plain, nsrc, ntgt, "fuzz", 1, &again, &err) < 0)
			abort();
		if (again.n != fwd.n)
			abort();
		for (size_t i = 0; i < fwd.n; i++)
			if (again.v[i].s != fwd.v[i].s || again.v[i].t != fwd.v[i].t)
				abort();
	}
	if (rf == 0 && rr == 0) {
		for (int m = 0; m < SYM_COUNT; m++) {
			align_symmetrize(&fwd, &rev, nsrc, ntgt, (enum symmetrize)m, &sym);
			inside(&sym, nsrc, ntgt);
		}
		/* any two link sets compose without leaving their ranges */
		align_compose(&fwd, &rev, &comp);
	}
	links_release(&fwd);
	links_release(&rev);
	links_release(&again);
	links_release(&sym);
	links_release(&comp);
	buf_release(&out);
	return 0;
}
