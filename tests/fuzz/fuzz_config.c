/*
 * fuzz_config.c — the config file (bind, unbind, mouse, theme).  Whatever
 * it binds, every key must still map to a real action or to none.
 */
#include "fuzz.h"

#include "ferry/keymap.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keymap km;
	struct ferry_err err;
	int rc;

	keymap_init(&km);
	rc = keymap_load(&km, (const char *)data, size, "fuzz.conf", &err);
	fuzz_check_err(rc, &err);
	for (int key = 0; key < 1024; key++) {
		enum action a = keymap_lookup(&km, key);
		if (a != ACT_NONE && (a < 0 || a >= ACT_COUNT))
			abort();
	}
	if (memchr(km.theme, '\0', sizeof km.theme) == NULL)
		abort();
	keymap_release(&km);
	return 0;
}
