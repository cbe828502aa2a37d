/* check_ferry.h — the suites of check_ferry and their shared helpers. */
#ifndef CHECK_FERRY_H
#define CHECK_FERRY_H

#include <check.h>
#include <stddef.h>

Suite *text_suite(void);
Suite *scheme_suite(void);
Suite *align_suite(void);
Suite *aligner_suite(void);
Suite *input_suite(void);
Suite *store_suite(void);
Suite *import_suite(void);
Suite *match_suite(void);
Suite *fuse_suite(void);
Suite *team_suite(void);
Suite *quality_suite(void);
Suite *eval_suite(void);
Suite *ui_suite(void);
Suite *batch_suite(void);
Suite *review_suite(void);

/* Write s to path (create or truncate); fails the test on error. */
void write_file(const char *path, const char *s);
/* Read a whole file; the caller frees.  NULL if it does not exist. */
char *read_file(const char *path, size_t *len);
/* Make and enter a fresh temporary directory; leave_tmpdir() goes back. */
void enter_tmpdir(void);
void leave_tmpdir(void);

#endif
