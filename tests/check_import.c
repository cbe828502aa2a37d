/*
 * check_import.c — import end to end through import_run(): valid corpora,
 * every malformed-input message (exact text and exit code), atomicity
 * (a failing import leaves no file, or the old file byte for byte), and
 * appending with conflicting settings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "check_ferry.h"
#include "ferry/import.h"
#include "ferry/scheme.h"
#include "ferry/store.h"

#define FORCE(s) ((s) + 1)

static const char SRC[] =
	"Angela\tB-PER\nMerkel\tI-PER\nvisited\tO\nParis\tB-LOC\n.\tO\n\n"
	"The\tO\nUN\tB-ORG\nmet\tO\n.\tO\n";
static const char TGT[] = "Angela Merkel besuchte Paris .\nDie UN tagte .\n";
static const char ALIGN[] = "0-0 1-1 2-2 3-3 4-4\n0-0 1-1 2-2 3-3\n";
static const char GOLD[] =
	"Angela\tB-PER\nMerkel\tI-PER\nbesuchte\tO\nParis\tB-LOC\n.\tO\n\n"
	"Die\tO\nUN\tB-ORG\ntagte\tO\n.\tO\n";
static const char NER[] =
	"Angela\tB-PER\t0.98\nMerkel\tI-PER\t0.97\nbesuchte\tO\nParis\tB-LOC\t0.9\n.\tO\n\n"
	"Die\tO\nUN\tB-ORG\tB-ORG=0.6,I-ORG=0.1\ntagte\tO\n.\tO\n";
static const char BT[] = "Angela Merkel visited Paris .\nThe UN met .\n";
static const char SRC_JSONL[] =
	"{\"tokens\": [\"Angela\", \"Merkel\", \"visited\", \"Paris\", \".\"], "
	"\"ner_tags\": [\"B-PER\", \"I-PER\", \"O\", \"B-LOC\", \"O\"]}\n"
	"{\"tokens\": [\"The\", \"UN\", \"met\", \".\"], \"ner_tags\": [\"O\", \"B-ORG\", \"O\", \"O\"]}\n";

/* One import's files; NULL means the valid default. */
struct files {
	const char *src, *tgt, *fwd, *rev, *gold, *ner, *bt, *sbt, *btt;
	int jsonl;          /* src is src.jsonl */
	int scheme;         /* 0 detect, else FORCE(enum scheme) */
	int one_based, reverse, repair;
	const char *labels;
};

static void
write_inputs(const struct files *f)
{
	write_file(f->jsonl ? "src.jsonl" : "src.conll", f->src ? f->src : f->jsonl ? SRC_JSONL : SRC);
	write_file("tgt.txt", f->tgt ? f->tgt : TGT);
	write_file("fwd.align", f->fwd ? f->fwd : ALIGN);
	write_file("rev.align", f->rev ? f->rev : ALIGN);
	write_file("gold.conll", f->gold ? f->gold : GOLD);
	write_file("ner.conll", f->ner ? f->ner : NER);
	write_file("bt.txt", f->bt ? f->bt : BT);
	write_file("src-bt.align", f->sbt ? f->sbt : ALIGN);
	write_file("bt-tgt.align", f->btt ? f->btt : ALIGN);
}

static int
run(const struct files *f, const char *project, struct import_result *res, struct ferry_err *err)
{
	struct import_opts o;
	struct label_names ln = { 0 };
	int rc;

	write_inputs(f);
	import_opts_init(&o);
	o.project = project;
	o.src = f->jsonl ? "src.jsonl" : "src.conll";
	o.tgt = "tgt.txt";
	o.align = "fwd.align";
	o.align_rev = "rev.align";
	o.gold = "gold.conll";
	o.ner = "ner.conll";
	o.bt = "bt.txt";
	o.align_src_bt = "src-bt.align";
	o.align_bt_tgt = "bt-tgt.align";
	o.scheme = f->scheme - 1;
	o.repair = f->repair;
	o.aopts.one_based = f->one_based;
	o.aopts.reverse = f->reverse;
	o.quiet = 1;
	if (f->labels)
		ck_assert_int_eq(label_names_parse(&ln, f->labels, err), 0);
	o.labels = &ln;
	rc = import_run(&o, res, err);
	label_names_release(&ln);
	return rc;
}

/* Every malformed input, with the message it must produce. */
static const struct bad_case {
	const char *name;
	struct files f;
	const char *msg;
} bad_cases[] = {
	{ "unknown tag", { .src = "Angela\tPERSON\n" },
	  "src.conll:1:8: unknown tag 'PERSON' (expected O, or B-, I-, E-, S- followed by a type)" },
	{ "tag type too long", { .src = "Angela\tB-ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVW\n" },
	  "src.conll:1:8: unknown tag 'B-ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKL...' (expected O, or B-, I-, E-, S- followed by a type)" },
	{ "one column", { .src = "Angela\tB-PER\nMerkel\n" },
	  "src.conll:2:7: only one column (expected a token and a tag separated by a tab or space)" },
	{ "column count changes", { .src = "Angela\tB-PER\nMerkel NNP\tI-PER\n" },
	  "src.conll:2: 3 columns, but line 1 has 2 (expected the same columns on every line; a token with a space in it?)" },
	{ "invalid utf-8 in source", { .src = "Angela\tB-PER\nMer\xffkel\tI-PER\n" },
	  "src.conll:2:4: invalid UTF-8 byte 0xff at byte offset 16 of the file (expected UTF-8 text)" },
	{ "overlong utf-8", { .src = "A\xc0\xafz\tO\n" },
	  "src.conll:1:2: invalid UTF-8 byte 0xc0 at byte offset 1 of the file (expected UTF-8 text)" },
	{ "truncated utf-8 at end of file", { .src = "Angela\tB-PER\nM\xc3" },
	  "src.conll:2:2: invalid UTF-8 byte 0xc3 at byte offset 14 of the file (expected UTF-8 text)" },
	{ "iob2 forced, I- opens", { .src = "Angela\tB-PER\n\nThe\tO\nUN\tI-ORG\n", .scheme = FORCE(SCHEME_IOB2),
	  .tgt = "a\nb c\n", .fwd = "\n\n", .rev = "\n\n", .gold = "a\tO\n\nb\tO\nc\tO\n", .ner = "a\tO\n\nb\tO\nc\tO\n",
	  .bt = "a\nb\n", .sbt = "\n\n", .btt = "\n\n" },
	  "src.conll:4:4: I-ORG after O opens an entity (expected IOB2 opens entities with B-ORG; or use --repair)" },
	/* the scheme is judged when the source ends: the other files must agree up to there */
	{ "mixed iob1 and iob2", { .src = "Angela\tB-PER\n\nThe\tO\nUN\tI-ORG\n",
	  .tgt = "a\nb c\n", .fwd = "\n\n", .rev = "\n\n", .gold = "a\tO\n\nb\tO\nc\tO\n", .ner = "a\tO\n\nb\tO\nc\tO\n",
	  .bt = "a\nb\n", .sbt = "\n\n", .btt = "\n\n" },
	  "src.conll:4: an I- tag opens an entity (IOB1 style) but line 1 opens one with B- (IOB2 style) "
	  "(expected one tag scheme: choose one with --scheme, or --repair)" },
	{ "bioes not closed", { .src = "Angela\tB-PER\nMerkel\tE-PER\nvisited\tO\nParis\tS-LOC\n.\tO\n\n"
				       "The\tO\nUN\tB-ORG\nmet\tO\n.\tO\n" },
	  "src.conll:8:4: B-ORG after O is not closed (expected I-ORG or E-ORG next; or use --repair)" },
	{ "io forced, B- seen", { .src = SRC, .scheme = FORCE(SCHEME_IO) },
	  "src.conll:1:8: B-PER after the sentence start is not an IO tag (expected I-PER or O; or use --repair)" },
	{ "iob1 forced, B- after O", { .src = SRC, .scheme = FORCE(SCHEME_IOB1) },
	  "src.conll:1:8: B-PER after the sentence start does not follow an entity of its type "
	  "(expected IOB1 uses B- only between two adjacent PER entities; or use --repair)" },
	{ "no sentences", { .src = "", .tgt = "", .fwd = "", .rev = "", .gold = "", .ner = "", .bt = "", .sbt = "", .btt = "" },
	  "src.conll: no sentences (expected at least one)" },
	{ "only a docstart", { .src = "-DOCSTART- -X- O O\n\n", .tgt = "", .fwd = "", .rev = "", .gold = "", .ner = "",
	  .bt = "", .sbt = "", .btt = "" },
	  "src.conll: no sentences (expected at least one)" },
	{ "target ends early", { .tgt = "Angela Merkel besuchte Paris .\n" },
	  "tgt.txt:2: file ends after 1 sentence but src.conll has more (expected one line per sentence; "
	  "src.conll:7 starts sentence 2)" },
	{ "target has more lines", { .tgt = "Angela Merkel besuchte Paris .\nDie UN tagte .\nnoch eins\n" },
	  "tgt.txt:3: more sentences than src.conll, which has 2 (expected one per source sentence)" },
	{ "target invalid utf-8", { .tgt = "Angela Merkel besuchte Paris .\nDie \xe2\x82 tagte .\n" },
	  "tgt.txt:2:5: invalid UTF-8 byte 0xe2 at byte offset 35 of the file (expected UTF-8 text)" },
	{ "alignment ends early", { .fwd = "0-0\n" },
	  "fwd.align:2: file ends after 1 sentence but src.conll has more (expected one line per sentence; "
	  "src.conll:7 starts sentence 2)" },
	{ "alignment has more lines", { .fwd = "0-0\n0-0\n0-0\n" },
	  "fwd.align:3: more lines than src.conll has sentences (2; expected one line per sentence)" },
	{ "source index out of range", { .fwd = "0-0 9-1\n0-0\n" },
	  "fwd.align:1:5: link '9-1': source index 9 is out of range (the source has 5 tokens); sentence 1 starts at src.conll:1" },
	{ "target index out of range", { .fwd = "0-0\n0-4\n" },
	  "fwd.align:2:1: link '0-4': target index 4 is out of range (the target has 4 tokens); sentence 2 starts at src.conll:7" },
	{ "duplicate link", { .fwd = "0-0 1-1 1-1\n0-0\n" },
	  "fwd.align:1: duplicate link '1-1' (expected each link once)" },
	{ "not a link", { .fwd = "0-0 1:1\n0-0\n" },
	  "fwd.align:1:5: bad link '1:1' (expected 'i-j': two non-negative integers joined by '-')" },
	{ "negative index", { .fwd = "-1-0\n0-0\n" },
	  "fwd.align:1:1: bad link '-1-0' (expected 'i-j': two non-negative integers joined by '-')" },
	{ "weight out of range", { .fwd = "0-0:2\n0-0\n" },
	  "fwd.align:1:1: link '0-0:2' has a bad weight (expected a number from 0 to 1 after ':')" },
	{ "weight not a number", { .fwd = "0-0:abc\n0-0\n" },
	  "fwd.align:1:1: link '0-0:abc' has a bad weight (expected a number from 0 to 1 after ':')" },
	{ "alignment with a utf-8 dash", { .fwd = "0\xe2\x80\x93" "0\n0-0\n" },
	  "fwd.align:1:1: bad link '0\xe2\x80\x93" "0' (expected 'i-j': two non-negative integers joined by '-')" },
	{ "reverse alignment out of range", { .rev = "0-0\n7-0\n" },
	  "rev.align:2:1: link '7-0': source index 7 is out of range (the source has 4 tokens); sentence 2 starts at src.conll:7" },
	{ "reverse alignment ends early", { .rev = "0-0\n" },
	  "rev.align:2: file ends after 1 sentence but src.conll has more (expected one line per sentence; "
	  "src.conll:7 starts sentence 2)" },
	{ "zero in a one-based file", { .one_based = 1, .fwd = "1-1 0-2\n1-1\n" },
	  "fwd.align:1:5: link '0-2' has index 0 (expected 1-based indices, as --one-based says)" },
	{ "target-first file out of range", { .reverse = 1, .fwd = "0-0 5-1\n0-0\n" },
	  "fwd.align:1:5: link '5-1': target index 5 is out of range (the target has 5 tokens); sentence 1 starts at src.conll:1" },
	{ "gold token differs", { .gold = "Angela\tB-PER\nMerkel\tI-PER\nbesuchte\tO\nBerlin\tB-LOC\n.\tO\n\n"
					 "Die\tO\nUN\tB-ORG\ntagte\tO\n.\tO\n" },
	  "gold.conll:4:8: token 'Berlin' differs from target token 4 'Paris' in tgt.txt (expected the same tokens)" },
	{ "gold token count differs", { .gold = "Angela\tB-PER\nMerkel\tI-PER\n\nDie\tO\nUN\tB-ORG\ntagte\tO\n.\tO\n" },
	  "gold.conll:1: sentence has 2 tokens but the target in tgt.txt has 5 (expected the same tokens)" },
	{ "gold unknown tag", { .gold = "Angela\tB-PER\nMerkel\tI-PER\nbesuchte\tO\nParis\tLOC\n.\tO\n\n"
				       "Die\tO\nUN\tB-ORG\ntagte\tO\n.\tO\n" },
	  "gold.conll:4:7: unknown tag 'LOC' (expected O, or B-, I-, E-, S- followed by a type)" },
	{ "gold ends early", { .gold = "Angela\tB-PER\nMerkel\tI-PER\nbesuchte\tO\nParis\tB-LOC\n.\tO\n" },
	  "gold.conll:6: file ends after 1 sentence but src.conll has more (expected one line per sentence; "
	  "src.conll:7 starts sentence 2)" },
	{ "ner bad probability", { .ner = "Angela\tB-PER\t1.7\nMerkel\tI-PER\nbesuchte\tO\nParis\tB-LOC\n.\tO\n\n"
					  "Die\tO\nUN\tB-ORG\ntagte\tO\n.\tO\n" },
	  "ner.conll:1:14: bad probability '1.7' (expected a number from 0 to 1, or TAG=P,TAG=P)" },
	{ "ner bad tag in probability", { .ner = "Angela\tB-PER\tPER=0.5\nMerkel\tI-PER\nbesuchte\tO\nParis\tB-LOC\n.\tO\n\n"
						 "Die\tO\nUN\tB-ORG\ntagte\tO\n.\tO\n" },
	  "ner.conll:1:14: bad probability 'PER=0.5' (expected a number from 0 to 1, or TAG=P,TAG=P)" },
	{ "ner four columns", { .ner = "Angela\tB-PER\t0.5\tx\nMerkel\tI-PER\nbesuchte\tO\nParis\tB-LOC\n.\tO\n\n"
					"Die\tO\nUN\tB-ORG\ntagte\tO\n.\tO\n" },
	  "ner.conll:1:18: 4 columns (expected token, tag and an optional probability)" },
	{ "ner unknown tag", { .ner = "Angela\tB-PER\nMerkel\tI-PER\nbesuchte\tO\nParis\tB-LOC\n.\tOUT\n\n"
				      "Die\tO\nUN\tB-ORG\ntagte\tO\n.\tO\n" },
	  "ner.conll:5:3: unknown tag 'OUT' (expected O, or B-, I-, E-, S- followed by a type)" },
	{ "back-translation ends early", { .bt = "Angela Merkel visited Paris .\n" },
	  "bt.txt:2: file ends after 1 sentence but src.conll has more (expected one line per sentence; "
	  "src.conll:7 starts sentence 2)" },
	{ "source to back-translation out of range", { .bt = "Angela Merkel visited Paris .\nThe UN met\n" },
	  "src-bt.align:2:13: link '3-3': target index 3 is out of range (the target has 3 tokens); sentence 2 starts at src.conll:7" },
	{ "back-translation to target out of range", { .btt = "0-0 1-1 2-2 3-3 4-4\n0-0 4-1\n" },
	  "bt-tgt.align:2:5: link '4-1': source index 4 is out of range (the source has 4 tokens); sentence 2 starts at src.conll:7" },
	{ "jsonl without tokens", { .jsonl = 1, .src = "{\"ner_tags\": [\"O\"]}\n" },
	  "src.jsonl:1:1: no \"tokens\" member (expected {\"tokens\": [...], \"ner_tags\": [...]})" },
	{ "jsonl without tags", { .jsonl = 1, .src = "{\"tokens\": [\"a\"]}\n" },
	  "src.jsonl:1: sentence has no tags (expected \"ner_tags\" for every token)" },
	{ "jsonl tag count", { .jsonl = 1, .src = "{\"tokens\": [\"a\", \"b\"], \"ner_tags\": [\"O\"]}\n" },
	  "src.jsonl:1:24: \"ner_tags\" has 1 items but \"tokens\" has 2 (expected one tag per token)" },
	{ "jsonl integer tags without names", { .jsonl = 1, .src = "{\"tokens\": [\"a\"], \"ner_tags\": [1]}\n" },
	  "src.jsonl:1:32: integer tag 1 (expected string tags, or --label-names to name the integers)" },
	{ "jsonl integer tag out of range", { .jsonl = 1, .labels = "PER,LOC",
	  .src = "{\"tokens\": [\"a\"], \"ner_tags\": [5]}\n" },
	  "src.jsonl:1:32: integer tag 5 is out of range (expected 0 to 4: --label-names names 5 tags)" },
	{ "jsonl trailing comma", { .jsonl = 1, .src = "{\"tokens\": [\"a\",], \"ner_tags\": [\"O\"]}\n" },
	  "src.jsonl:1:17: unexpected ']' (expected a token string)" },
	{ "jsonl token with a space", { .jsonl = 1, .src = "{\"tokens\": [\"a b\"], \"ner_tags\": [\"O\"]}\n" },
	  "src.jsonl:1:13: token 'a b' contains whitespace (expected tokens without spaces)" },
	{ "jsonl empty token", { .jsonl = 1, .src = "{\"tokens\": [\"\"], \"ner_tags\": [\"O\"]}\n" },
	  "src.jsonl:1:13: empty token (expected at least one character)" },
	{ "jsonl lone surrogate", { .jsonl = 1, .src = "{\"tokens\": [\"\\ud800x\"], \"ner_tags\": [\"O\"]}\n" },
	  "src.jsonl:1:14: unexpected '\\' (expected a low surrogate \\uDC00..\\uDFFF after a high one)" },
	{ "jsonl garbage after the object", { .jsonl = 1, .src = "{\"tokens\": [\"a\"], \"ner_tags\": [\"O\"]} x\n" },
	  "src.jsonl:1:38: unexpected 'x' (expected the end of the line after the object)" },
	{ "jsonl array instead of object", { .jsonl = 1, .src = "[\"a\"]\n" },
	  "src.jsonl:1:1: unexpected '[' (expected a JSON object '{' per line)" },
	{ "jsonl unterminated string", { .jsonl = 1, .src = "{\"tokens\": [\"a\n" },
	  "src.jsonl:1:15: line ends too early (expected '\"' to close the string)" },
	{ "jsonl duplicate member", { .jsonl = 1, .src = "{\"tokens\": [\"a\"], \"tokens\": [\"a\"]}\n" },
	  "src.jsonl:1:19: 'tokens' appears twice (expected each member once)" },
	{ "jsonl deep nesting", { .jsonl = 1, .src = "{\"x\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
				   "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}\n" },
	  "src.jsonl:1:71: unexpected '[' (expected less than 64 levels of nesting)" },
	{ "jsonl bad escape", { .jsonl = 1, .src = "{\"tokens\": [\"a\\q\"], \"ner_tags\": [\"O\"]}\n" },
	  "src.jsonl:1:15: unexpected '\\' (expected one of the escapes \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uHHHH)" },
	{ "jsonl NUL escape", { .jsonl = 1, .src = "{\"tokens\": [\"\\u0000\"], \"ner_tags\": [\"O\"]}\n" },
	  "src.jsonl:1:14: unexpected '\\' (expected no NUL character (\\u0000) in text)" },
};

START_TEST(bad_input_is_refused)
{
	const struct bad_case *c = &bad_cases[_i];
	struct ferry_err err = { 0 };
	struct import_result res;
	struct stat sb;

	enter_tmpdir();
	int rc = run(&c->f, "p.ferry", &res, &err);
	ck_assert_msg(rc == -1, "%s: import succeeded", c->name);
	ck_assert_msg(strcmp(err.msg, c->msg) == 0, "%s:\n got  %s\n want %s", c->name, err.msg, c->msg);
	ck_assert_msg(err.code == EX_DATAERR, "%s: exit code %d", c->name, err.code);
	ck_assert_msg(stat("p.ferry", &sb) != 0, "%s: a failed import left a project behind", c->name);
	ck_assert_int_eq(system("ls | grep -c 'p.ferry' > count.txt || true"), 0);
	char *count = read_file("count.txt", NULL);
	ck_assert_str_eq(count, "0\n");    /* no temporary file left either */
	free(count);
	leave_tmpdir();
}
END_TEST

/* The same bad inputs appended to an existing project leave it as it was. */
START_TEST(bad_append_leaves_project_unchanged)
{
	const struct bad_case *c = &bad_cases[_i];
	static const struct files good = { 0 };
	struct ferry_err err = { 0 };
	size_t n1, n2;

	enter_tmpdir();
	ck_assert_int_eq(run(&good, "p.ferry", NULL, &err), 0);
	char *before = read_file("p.ferry", &n1);
	ck_assert_int_eq(run(&c->f, "p.ferry", NULL, &err), -1);
	ck_assert_str_eq(err.msg, c->msg);
	char *after = read_file("p.ferry", &n2);
	ck_assert_msg(n1 == n2 && memcmp(before, after, n1) == 0, "%s: project changed", c->name);
	free(before);
	free(after);
	leave_tmpdir();
}
END_TEST

static int64_t
count_rows(const char *project)
{
	struct ferry_err err;
	ferry_store *st;
	int64_t n;

	ck_assert_int_eq(store_open(&st, project, STORE_READONLY, &err), 0);
	n = store_pair_count(st, &err);
	store_close(st, NULL);
	return n;
}

START_TEST(valid_import_and_append)
{
	struct files f = { 0 };
	struct ferry_err err = { 0 };
	struct import_result res;

	enter_tmpdir();
	ck_assert_int_eq(run(&f, "p.ferry", &res, &err), 0);
	ck_assert_int_eq(res.pairs, 2);
	ck_assert_int_eq(res.first_id, 1);
	ck_assert_int_eq(res.scheme, SCHEME_IOB2);
	ck_assert_int_eq(run(&f, "p.ferry", &res, &err), 0);
	ck_assert_int_eq(res.first_id, 3);
	ck_assert_int_eq(count_rows("p.ferry"), 4);
	f.jsonl = 1;
	ck_assert_int_eq(run(&f, "p.ferry", &res, &err), 0);
	ck_assert_int_eq(count_rows("p.ferry"), 6);
	leave_tmpdir();
}
END_TEST

/* The project's kept tag set (meta "labels"), after an import of project p. */
static void
assert_kept_labels(const char *project, const char *want)
{
	ferry_store *st;
	struct ferry_err err = { 0 };
	struct buf got = BUF_INIT;

	ck_assert_int_eq(store_open(&st, project, STORE_READONLY, &err), 0);
	ck_assert_int_eq(store_setting_get(st, "labels", &got, &err), want ? 1 : 0);
	if (want)
		ck_assert_str_eq(buf_cstr(&got), want);
	store_close(st, NULL);
	buf_release(&got);
}

/*
 * The tag set an import keeps is what its entities and gold hold: the
 * first import's, the union with what an append brings, and a scan of
 * every pair when the project kept none (made before it did).
 */
START_TEST(tag_set_kept_across_imports)
{
	struct files f = { 0 };
	struct files g = { .src = "Kim\tB-MISC\nran\tO\n", .tgt = "Kim rannte\n", .fwd = "0-0 1-1\n",
			   .rev = "0-0 1-1\n", .gold = "Kim\tB-DATE\nrannte\tO\n", .ner = "Kim\tO\nrannte\tO\n",
			   .bt = "Kim ran\n", .sbt = "0-0 1-1\n", .btt = "0-0 1-1\n" };
	struct files h = g;
	struct ferry_err err = { 0 };
	struct import_result res;

	enter_tmpdir();
	ck_assert_int_eq(run(&f, "p.ferry", &res, &err), 0);
	assert_kept_labels("p.ferry", "LOC\nORG\nPER");
	ck_assert_int_eq(run(&g, "p.ferry", &res, &err), 0);
	assert_kept_labels("p.ferry", "DATE\nLOC\nMISC\nORG\nPER");
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open("p.ferry", &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "DELETE FROM meta WHERE key = 'labels'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_kept_labels("p.ferry", NULL);
	h.src = "Kim\tB-EVT\nran\tO\n";
	ck_assert_int_eq(run(&h, "p.ferry", &res, &err), 0);
	assert_kept_labels("p.ferry", "DATE\nEVT\nLOC\nMISC\nORG\nPER");
	leave_tmpdir();
}
END_TEST

START_TEST(repair_counts)
{
	struct files f = { .scheme = FORCE(SCHEME_IOB2), .repair = 1,
		.src = "Angela\tI-PER\nMerkel\tI-PER\nvisited\tO\nParis\tI-LOC\n.\tFOO\n\nThe\tO\nUN\tB-ORG\nmet\tO\n.\tO\n" };
	struct ferry_err err = { 0 };
	struct import_result res;

	enter_tmpdir();
	ck_assert_int_eq(run(&f, "p.ferry", &res, &err), 0);
	ck_assert_int_eq(res.repaired, 3);
	leave_tmpdir();
}
END_TEST

START_TEST(conflicting_languages_refused)
{
	struct files f = { 0 };
	struct import_opts o;
	struct ferry_err err = { 0 };
	size_t n1, n2;

	enter_tmpdir();
	write_inputs(&f);
	import_opts_init(&o);
	o.project = "p.ferry";
	o.src = "src.conll";
	o.tgt = "tgt.txt";
	o.align = "fwd.align";
	o.src_lang = "en";
	o.tgt_lang = "de";
	o.quiet = 1;
	ck_assert_int_eq(import_run(&o, NULL, &err), 0);
	char *before = read_file("p.ferry", &n1);
	o.tgt_lang = "sw";
	ck_assert_int_eq(import_run(&o, NULL, &err), -1);
	ck_assert_str_eq(err.msg, "p.ferry: this import's target language 'sw' conflicts with the project's 'de' "
			 "(expected the same target language in every import of a project)");
	o.tgt_lang = "de";
	o.align_rev = "rev.align";
	o.sym = SYM_INTERSECT;
	ck_assert_int_eq(import_run(&o, NULL, &err), 0);    /* first symmetrised import sets it */
	o.sym = SYM_UNION;
	ck_assert_int_eq(import_run(&o, NULL, &err), -1);
	ck_assert_str_eq(err.msg, "p.ferry: this import's symmetrisation 'union' conflicts with the project's "
			 "'intersect' (expected the same symmetrisation in every import of a project)");
	o.sym = SYM_INTERSECT;
	o.tokenize = 1;
	ck_assert_int_eq(import_run(&o, NULL, &err), -1);
	ck_assert_str_eq(err.msg, "p.ferry: this import's target tokenisation 'icu' conflicts with the project's "
			 "'spaces' (expected the same target tokenisation in every import of a project)");
	char *after = read_file("p.ferry", &n2);
	ck_assert_int_eq(count_rows("p.ferry"), 4);
	(void)before;
	(void)after;
	free(before);
	free(after);
	leave_tmpdir();
}
END_TEST

START_TEST(not_a_project_refused)
{
	struct files f = { 0 };
	struct ferry_err err = { 0 };
	size_t n;

	enter_tmpdir();
	write_file("p.ferry", "hello, I am a text file, not a database at all, but long enough\n");
	ck_assert_int_eq(run(&f, "p.ferry", NULL, &err), -1);
	ck_assert_str_eq(err.msg, "p.ferry: not a ferry project (not an SQLite database)");
	ck_assert_int_eq(err.code, EX_DATAERR);
	char *s = read_file("p.ferry", &n);
	ck_assert_str_eq(s, "hello, I am a text file, not a database at all, but long enough\n");
	free(s);
	leave_tmpdir();
}
END_TEST

START_TEST(missing_input_file)
{
	struct import_opts o;
	struct ferry_err err = { 0 };

	enter_tmpdir();
	import_opts_init(&o);
	o.project = "p.ferry";
	o.src = "nope.conll";
	o.tgt = "tgt.txt";
	o.align = "fwd.align";
	o.quiet = 1;
	ck_assert_int_eq(import_run(&o, NULL, &err), -1);
	ck_assert_str_eq(err.msg, "nope.conll: cannot open: No such file or directory");
	ck_assert_int_eq(err.code, EX_NOINPUT);
	leave_tmpdir();
}
END_TEST

Suite *
import_suite(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("bad input");
	TCase *ok = tcase_create("valid input");
	int n = (int)(sizeof bad_cases / sizeof *bad_cases);

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, bad_input_is_refused, 0, n);
	tcase_add_loop_test(tc, bad_append_leaves_project_unchanged, 0, n);
	tcase_add_test(ok, valid_import_and_append);
	tcase_add_test(ok, repair_counts);
	tcase_add_test(ok, tag_set_kept_across_imports);
	tcase_add_test(ok, conflicting_languages_refused);
	tcase_add_test(ok, not_a_project_refused);
	tcase_add_test(ok, missing_input_file);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, ok);
	return s;
}
