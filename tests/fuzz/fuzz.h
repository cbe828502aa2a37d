/*
 * fuzz.h — what every harness shares: the input as a file (the readers
 * take paths) and the oracle for error messages.
 *
 * Each harness defines LLVMFuzzerTestOneInput.  Linked with libFuzzer it
 * fuzzes (`make fuzz`); linked with replay.c it runs the saved inputs
 * under tests/fuzz/regress (`make check`).
 */
#ifndef FERRY_FUZZ_H
#define FERRY_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ferry/err.h"
#include "ferry/input.h"
#include "ferry/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_path[4096];

static inline void
fuzz_file_remove(void)
{
	unlink(fuzz_path);
}

/* The input written to this process's scratch file, whose path is returned. */
static inline const char *
fuzz_file(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path;
	FILE *fp;

	if (fuzz_path[0] == '\0') {
		const char *dir = getenv("TMPDIR");
		snprintf(fuzz_path, sizeof fuzz_path, "%s/ferry-fuzz-%ld", dir && *dir ? dir : "/tmp",
			 (long)getpid());
		atexit(fuzz_file_remove);
	}
	fp = fopen(path, "wb");
	if (fp == NULL || fwrite(data, 1, size, fp) != size || fclose(fp) != 0)
		abort();
	return path;
}

/*
 * A refused input must say why with a sysexits code, and the message must
 * be valid UTF-8 with no control character: ferry prints it to a terminal.
 */
static inline void
fuzz_check_err(int rc, const struct ferry_err *err)
{
	size_t bad;

	if (rc >= 0)
		return;
	if (getenv("FUZZ_SHOW"))
		fprintf(stderr, "rc %d code %d: %s\n", rc, err->code, err->msg);
	if (err->code < EX__BASE || err->code > EX__MAX || err->msg[0] == '\0')
		abort();
	if (!text_utf8_valid(err->msg, strlen(err->msg), &bad))
		abort();
	for (const unsigned char *c = (const unsigned char *)err->msg; *c; c++)
		if (*c < 0x20 || *c == 0x7f || (c[0] == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f))
			abort();        /* C0, DEL and C1 controls (U+0080..U+009F) */
}

/*
 * Read every sentence of path with options o, calling fn on each; a
 * refused file must be refused properly (fuzz_check_err).
 */
static inline void
fuzz_each_sentence(const char *path, const struct sentreader_opts *o,
		   void (*fn)(const struct sent *s, void *arg), void *arg)
{
	struct sentreader r;
	struct sent s = { 0 };
	struct ferry_err err;
	int rc = sentreader_open(&r, path, o, &err);

	fuzz_check_err(rc, &err);
	if (rc < 0)
		return;
	while ((rc = sentreader_next(&r, &s, &err)) > 0)
		fn(&s, arg);
	fuzz_check_err(rc, &err);
	sentreader_close(&r);
	sent_release(&s);
}

#endif
