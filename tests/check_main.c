/* check_main.c — runs every suite; CK_FORK=no for valgrind. */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_ferry.h"
#include "ferry/text.h"

static char home[PATH_MAX];
static char tmpdir[PATH_MAX];

void
write_file(const char *path, const char *s)
{
	FILE *fp = fopen(path, "wb");

	ck_assert_msg(fp != NULL, "cannot write %s", path);
	fwrite(s, 1, strlen(s), fp);
	fclose(fp);
}

char *
read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *s;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	s = malloc((size_t)n + 1);
	if (fread(s, 1, (size_t)n, fp) != (size_t)n)
		n = 0;
	s[n] = '\0';
	fclose(fp);
	if (len)
		*len = (size_t)n;
	return s;
}

void
enter_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	ck_assert(getcwd(home, sizeof home) != NULL);
	snprintf(tmpdir, sizeof tmpdir, "%s/ferry-check-XXXXXX", base && *base ? base : "/tmp");
	ck_assert(mkdtemp(tmpdir) != NULL);
	ck_assert(chdir(tmpdir) == 0);
}

void
leave_tmpdir(void)
{
	char cmd[PATH_MAX + 16];

	ck_assert(chdir(home) == 0);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert(system(cmd) == 0);
}

int
main(void)
{
	Suite *suites[] = {
		text_suite(), scheme_suite(), align_suite(), aligner_suite(), input_suite(), store_suite(), import_suite(),
		match_suite(), fuse_suite(), team_suite(), quality_suite(), eval_suite(), ui_suite(), batch_suite(), review_suite(),
	};
	SRunner *sr;
	int failed;

	/* widths come from wcwidth(3), which needs a UTF-8 character type */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "");
	sr = srunner_create(suites[0]);

	for (size_t i = 1; i < sizeof suites / sizeof *suites; i++)
		srunner_add_suite(sr, suites[i]);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	text_cleanup();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
