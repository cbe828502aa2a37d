/*
 * fuzz_keys.c — --keys scripts, and key names: every parsed key has a
 * name that parses back to the same key.
 */
#include "fuzz.h"

#include "ferry/buf.h"
#include "ferry/keymap.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ferry_err err;
	int *keys = NULL;
	size_t n = 0;
	int rc = keys_parse_script((const char *)data, size, "fuzz.keys", &keys, &n, &err);

	fuzz_check_err(rc, &err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct buf name = BUF_INIT;
		int back = -1;
		key_label(keys[i], &name);
		if (name.len == 0 || key_parse(name.s, name.len, &back) != name.len || back != keys[i])
			abort();
		buf_release(&name);
	}
	free(keys);
	return 0;
}
