/*
 * fuzz_theme.c — theme files.  A theme that parses must leave every
 * element with colours the terminal code can map to 256 and 8 colours,
 * one by one and as a whole 8-colour theme.
 */
#include "fuzz.h"

#include "ferry/theme.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme t;
	struct ferry_err err;
	int rc;

	theme_default(&t);
	rc = theme_parse(&t, (const char *)data, size, "fuzz.theme", &err);
	fuzz_check_err(rc, &err);
	if (rc == 0) {
		struct theme t8;
		theme_to_8_colors(&t, &t8);
		for (int e = 0; e < ELEM_COUNT; e++)
			if (t8.e[e].fg < -1 || t8.e[e].fg > 7 || t8.e[e].bg < -1 || t8.e[e].bg > 7)
				abort();
	}
	if (rc == 0)
		for (int e = 0; e < ELEM_COUNT; e++) {
			int c[2] = { t.e[e].fg, t.e[e].bg };
			for (int k = 0; k < 2; k++) {
				int c256 = theme_to_256(c[k]), c8 = theme_to_8(c[k]);
				if (c256 < -1 || c256 > 255 || c8 < -1 || c8 > 7)
					abort();
			}
		}
	return 0;
}
