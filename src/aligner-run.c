/*
 * aligner-run.c — the aligner over files: sentence files read in
 * lockstep into an aligner, and its links written out as Pharaoh files.
 *
 * Both outputs are written under temporary names (scratch.h) and put in
 * place only when both are complete, so a failure or a signal leaves
 * neither half-written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "ferry/aligner.h"
#include "ferry/input.h"
#include "ferry/mem.h"
#include "ferry/scratch.h"

static int
empty(const char *path, long line, struct ferry_err *err)
{
	return err_at(err, EX_DATAERR, path, line, 0, "empty sentence (expected at least one token to align)");
}

int
aligner_read(aligner *a, const char *src, const struct sentreader_opts *src_opts, const char *tgt,
	     const struct sentreader_opts *tgt_opts, size_t *pairs, struct ferry_err *err)
{
	struct sentreader rs = { 0 }, rt = { 0 };
	struct sentreader_opts os = *src_opts, ot = *tgt_opts;
	struct sent s = { 0 }, t = { 0 };
	size_t n = 0;
	int rc = -1, gs, gt;

	if (os.fmt == FMT_AUTO)
		os.fmt = input_format_guess(src);
	if (ot.fmt == FMT_AUTO)
		ot.fmt = input_format_guess(tgt);
	if (sentreader_open(&rs, src, &os, err) < 0 || sentreader_open(&rt, tgt, &ot, err) < 0)
		goto out;
	for (;;) {
		if ((gs = sentreader_next(&rs, &s, err)) < 0 || (gt = sentreader_next(&rt, &t, err)) < 0)
			goto out;
		if (!gs && !gt)
			break;
		if (!gs || !gt) {
			const char *longer = gs ? src : tgt, *shorter = gs ? tgt : src;
			err_at(err, EX_DATAERR, longer, gs ? s.line : t.line, 0,
			       "%s ends after %zu sentence%s but this file has more (expected one sentence per "
			       "sentence of the other side)", shorter, n, n == 1 ? "" : "s");
			goto out;
		}
		if (s.tokens.n == 0 || t.tokens.n == 0) {
			empty(s.tokens.n == 0 ? src : tgt, s.tokens.n == 0 ? s.line : t.line, err);
			goto out;
		}
		if (aligner_add(a, &s.tokens, &t.tokens, err) < 0)
			goto out;
		n++;
	}
	if (pairs)
		*pairs = n;
	rc = 0;
out:
	sentreader_close(&rs);
	sentreader_close(&rt);
	sent_release(&s);
	sent_release(&t);
	return rc;
}

/* One output being written: its temporary, stream and slot. */
struct out {
	const char *path;
	char target[4096], tmp[4096 + 96];
	FILE *fp;
	int held;
};

static int
out_open(struct out *o, const char *path, struct ferry_err *err)
{
	o->path = path;
	o->held = -1;
	o->tmp[0] = '\0';
	if (scratch_follow(path, o->target, sizeof o->target, err) < 0)
		return -1;
	if (scratch_start(o->target, "align", path, o->tmp, sizeof o->tmp, &o->held, err) < 0)
		return -1;
	if ((o->fp = fopen(o->tmp, "w")) == NULL)
		return err_set(err, EX_CANTCREAT, "%s: cannot create: %s", path, strerror(errno));
	return 0;
}

static int
out_close(struct out *o, struct ferry_err *err)
{
	if (o->fp == NULL)
		return 0;
	int bad = fflush(o->fp) != 0 || ferror(o->fp);
	int e = errno;
	bad |= fclose(o->fp) != 0;
	o->fp = NULL;
	if (bad)
		return err_set(err, e == ENOSPC || e == EIO ? EX_IOERR : EX_CANTCREAT, "%s: write error: %s",
			       o->path, strerror(e ? e : errno));
	return 0;
}

int
aligner_write(aligner *a, size_t n, const char *fwd, const char *rev, struct ferry_err *err)
{
	struct out o[2] = { { 0 }, { 0 } };
	const char *paths[2] = { fwd, rev };
	struct links l = { 0 };
	struct buf line = BUF_INIT;
	int rc = -1;

	for (int k = 0; k < 2; k++)
		o[k].held = -1;
	for (int k = 0; k < 2; k++)
		if (out_open(&o[k], paths[k], err) < 0)
			goto out;
	for (size_t p = 0; p < n; p++)
		for (int k = 0; k < 2; k++) {
			aligner_links(a, p, k == 0 ? &l : NULL, k == 0 ? NULL : &l);
			buf_reset(&line);
			align_format(&l, &line);
			buf_addc(&line, '\n');
			if (fwrite(line.s, 1, line.len, o[k].fp) != line.len) {
				err_set(err, errno == ENOSPC || errno == EIO ? EX_IOERR : EX_CANTCREAT,
					"%s: write error: %s", paths[k], strerror(errno));
				goto out;
			}
		}
	for (int k = 0; k < 2; k++)
		if (out_close(&o[k], err) < 0)
			goto out;
	for (int k = 0; k < 2; k++)
		if (rename(o[k].tmp, o[k].target) < 0) {
			err_set(err, EX_CANTCREAT, "%s: cannot create: %s", paths[k], strerror(errno));
			goto out;
		} else {
			o[k].tmp[0] = '\0';
		}
	rc = 0;
out:
	for (int k = 0; k < 2; k++) {
		if (o[k].fp)
			fclose(o[k].fp);
		if (o[k].tmp[0])
			scratch_remove(o[k].tmp);
		scratch_forget(o[k].held);
	}
	links_release(&l);
	buf_release(&line);
	return rc;
}
