/*
 * cmd-import.c — `ferry import`: the options, one import_run() (import.c),
 * the summary.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/align.h"
#include "ferry/cli.h"
#include "ferry/import.h"
#include "ferry/input.h"
#include "ferry/mem.h"
#include "ferry/scheme.h"

static const char import_help[] =
"usage: ferry import PROJECT --src FILE --tgt FILE [--align FILE] [OPTIONS]\n"
"\n"
"Create PROJECT, or append to it, from sentence-aligned files.\n"
"\n"
"inputs:\n"
"  --src FILE            labelled source: CoNLL or JSONL (by extension, or --src-format)\n"
"  --tgt FILE            target: one sentence per line, tokens split by spaces\n"
"                        (CoNLL or JSONL accepted; tags ignored)\n"
"  --align FILE          source-target word alignment, Pharaoh 'i-j' per line;\n"
"                        without it the pairs are aligned by ferry's aligner\n"
"                        (as 'ferry align' does; --bt is aligned too)\n"
"  --align-rev FILE      the reverse-direction alignment, symmetrised with --align\n"
"  --bt FILE             back-translation of the target, one sentence per line\n"
"  --align-src-bt FILE   alignment source -> back-translation\n"
"  --align-bt-tgt FILE   alignment back-translation -> target\n"
"  --tgt-gold FILE       gold target labels (CoNLL or JSONL), used only by eval\n"
"  --tgt-ner FILE        NER predictions on the target: token, tag, [probability]\n"
"\n"
"options:\n"
"  --scheme S            source (and gold) tag scheme: iob1, iob2, bioes (bilou), io;\n"
"                        detected when not given\n"
"  --repair              repair invalid tag sequences instead of failing (counted)\n"
"  --label-names LIST    names of integer JSONL tags: O,B-PER,I-PER,... or PER,ORG,...\n"
"  --tokenize            split --tgt (and --bt) at ICU word boundaries\n"
"  --symmetrize M        intersect, union, grow-diag, grow-diag-final,\n"
"                        grow-diag-final-and (default)\n"
"  --aligner NAME        what made the alignment files (ferry for ferry align's:\n"
"                        then ferry match picks the settings tuned to them)\n"
"  --reverse             alignment files are target-first ('j-i')\n"
"  --one-based           alignment indices start at 1\n"
"  --src-format F, --tgt-format F, --gold-format F   conll, jsonl or lines\n"
"  --src-lang L, --tgt-lang L    language codes (e.g. en, de), kept in the project\n"
"  -q, --quiet           no progress or repair counts on stderr\n"
"  -h, --help            this text\n"
"\n"
"ferry's aligner (without --align; see ferry align):\n";

enum {
	OPT_SRC = 256, OPT_TGT, OPT_ALIGN, OPT_ALIGN_REV, OPT_BT, OPT_ALIGN_SRC_BT,
	OPT_ALIGN_BT_TGT, OPT_TGT_GOLD, OPT_TGT_NER, OPT_SCHEME, OPT_REPAIR,
	OPT_LABEL_NAMES, OPT_TOKENIZE, OPT_SYM, OPT_REVERSE, OPT_ONE_BASED,
	OPT_SRC_FMT, OPT_TGT_FMT, OPT_GOLD_FMT, OPT_SRC_LANG, OPT_TGT_LANG,
	OPT_ALIGNER, OPT_MODEL,
};

static const struct option import_options[] = {
	{ "src", required_argument, NULL, OPT_SRC },
	{ "tgt", required_argument, NULL, OPT_TGT },
	{ "align", required_argument, NULL, OPT_ALIGN },
	{ "align-rev", required_argument, NULL, OPT_ALIGN_REV },
	{ "bt", required_argument, NULL, OPT_BT },
	{ "align-src-bt", required_argument, NULL, OPT_ALIGN_SRC_BT },
	{ "align-bt-tgt", required_argument, NULL, OPT_ALIGN_BT_TGT },
	{ "tgt-gold", required_argument, NULL, OPT_TGT_GOLD },
	{ "tgt-ner", required_argument, NULL, OPT_TGT_NER },
	{ "scheme", required_argument, NULL, OPT_SCHEME },
	{ "repair", no_argument, NULL, OPT_REPAIR },
	{ "label-names", required_argument, NULL, OPT_LABEL_NAMES },
	{ "tokenize", no_argument, NULL, OPT_TOKENIZE },
	{ "symmetrize", required_argument, NULL, OPT_SYM },
	{ "reverse", no_argument, NULL, OPT_REVERSE },
	{ "one-based", no_argument, NULL, OPT_ONE_BASED },
	{ "src-format", required_argument, NULL, OPT_SRC_FMT },
	{ "tgt-format", required_argument, NULL, OPT_TGT_FMT },
	{ "gold-format", required_argument, NULL, OPT_GOLD_FMT },
	{ "src-lang", required_argument, NULL, OPT_SRC_LANG },
	{ "tgt-lang", required_argument, NULL, OPT_TGT_LANG },
	{ "aligner", required_argument, NULL, OPT_ALIGNER },
	ALIGNER_GETOPT(OPT_MODEL),
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* What the options fill: the import's options and the aligner's. */
struct import_cmd {
	struct import_opts im;
	const char *label_list;
	struct aligner_args args;
};

/* Apply option c with argument arg; -1 to go on, else the exit code. */
static int
import_option(struct import_cmd *ic, int c, const char *arg)
{
	struct import_opts *im = &ic->im;
	const char **label_list = &ic->label_list;
	int v;

	if (c >= OPT_MODEL && c < OPT_MODEL + ALIGNER_NOPTS) {
		struct ferry_err err = { 0 };
		return aligner_args_set(&ic->args, c - OPT_MODEL, arg, &err) < 0 ?
			cli_usage_error("import", "%s", err.msg) : -1;
	}
	switch (c) {
	case OPT_SRC: im->src = arg; break;
	case OPT_TGT: im->tgt = arg; break;
	case OPT_ALIGN: im->align = arg; break;
	case OPT_ALIGN_REV: im->align_rev = arg; break;
	case OPT_BT: im->bt = arg; break;
	case OPT_ALIGN_SRC_BT: im->align_src_bt = arg; break;
	case OPT_ALIGN_BT_TGT: im->align_bt_tgt = arg; break;
	case OPT_TGT_GOLD: im->gold = arg; break;
	case OPT_TGT_NER: im->ner = arg; break;
	case OPT_SCHEME:
		if ((im->scheme = scheme_parse(arg)) < 0)
			return cli_usage_error("import", "unknown --scheme '%s' (expected iob1, iob2, bioes, bilou or io)", arg);
		break;
	case OPT_REPAIR: im->repair = 1; break;
	case OPT_LABEL_NAMES: *label_list = arg; break;
	case OPT_TOKENIZE: im->tokenize = 1; break;
	case OPT_SYM:
		if ((v = align_sym_parse(arg)) < 0)
			return cli_usage_error("import", "unknown --symmetrize '%s' (expected intersect, union, "
					       "grow-diag, grow-diag-final or grow-diag-final-and)", arg);
		im->sym = (enum symmetrize)v;
		break;
	case OPT_REVERSE: im->aopts.reverse = 1; break;
	case OPT_ONE_BASED: im->aopts.one_based = 1; break;
	case OPT_SRC_FMT: case OPT_TGT_FMT: case OPT_GOLD_FMT:
		if ((v = input_format_parse(arg)) < 0)
			return cli_usage_error("import", "unknown format '%s' (expected conll, jsonl or lines)", arg);
		*(c == OPT_SRC_FMT ? &im->src_fmt : c == OPT_TGT_FMT ? &im->tgt_fmt : &im->gold_fmt) =
			(enum input_format)v;
		break;
	case OPT_ALIGNER:
		if (!cli_name_ok(arg))
			return cli_usage_error("import", "bad --aligner '%s' (expected a name such as ferry, eflomal or "
					       "giza: letters, digits, '-' and '_')", arg);
		im->aligner_name = arg;
		break;
	case OPT_SRC_LANG: case OPT_TGT_LANG:
		if (!cli_name_ok(arg))
			return cli_usage_error("import", "bad language code '%s' (expected a code such as en, de or pt-BR)", arg);
		*(c == OPT_SRC_LANG ? &im->src_lang : &im->tgt_lang) = arg;
		break;
	case 'q': im->quiet = 1; break;
	case 'h': fputs(import_help, stdout); fputs(aligner_opts_help(), stdout); return 0;
	default: return cli_usage_error("import", "bad option");
	}
	return -1;
}

/* PROJECT, and the inputs that are required or go together; -1 to go on. */
static int
check_args(struct import_cmd *ic, int argc, char **argv)
{
	struct import_opts *im = &ic->im;
	int bt_links = im->align_src_bt || im->align_bt_tgt;

	if (optind != argc - 1)
		return cli_usage_error("import", optind >= argc ? "no PROJECT given" : "one PROJECT expected, got '%s' too",
				       optind < argc ? argv[optind + 1] : "");
	im->project = argv[optind];
	if (!im->src || !im->tgt)
		return cli_usage_error("import", "--src and --tgt are required");
	if (bt_links && !(im->bt && im->align_src_bt && im->align_bt_tgt))
		return cli_usage_error("import", "--bt, --align-src-bt and --align-bt-tgt go together");
	if (!im->align && (im->align_rev || bt_links || im->aopts.reverse || im->aopts.one_based))
		return cli_usage_error("import", "%s describes alignment files, but --align is not given (expected "
				       "--align too, or none of the alignment options to have ferry align)",
				       im->align_rev ? "--align-rev" : bt_links ? "--align-src-bt" :
				       im->aopts.reverse ? "--reverse" : "--one-based");
	if (!im->align && im->aligner_name)
		return cli_usage_error("import", "--aligner names what made the --align files (expected --align too)");
	if (im->align && ic->args.given)
		return cli_usage_error("import", "the aligner's options go without --align (the alignments are given)");
	struct ferry_err err = { 0 };
	if (aligner_args_check(&ic->args, &err) < 0)
		return cli_usage_error("import", "%s", err.msg);
	if (im->src_fmt == FMT_LINES)
		return cli_usage_error("import", "--src-format must be conll or jsonl");
	im->aligner = ic->args.o;
	im->bitext_src = ic->args.bitext_src;
	im->bitext_tgt = ic->args.bitext_tgt;
	im->nbitext = ic->args.nsrc;
	return -1;
}

/* Options -> import_run() -> the summary on stderr. */
int
cmd_import(int argc, char **argv)
{
	struct import_cmd ic = { .label_list = NULL };
	struct import_opts *im = &ic.im;
	struct import_result res;
	struct label_names labels = { 0 };
	struct ferry_err err = { 0 };
	int c, rc;

	import_opts_init(im);
	aligner_args_init(&ic.args);
	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", import_options, NULL)) != -1)
		if ((rc = import_option(&ic, c, optarg)) >= 0)
			goto out;
	if ((rc = check_args(&ic, argc, argv)) >= 0)
		goto out;
	if (ic.label_list && label_names_parse(&labels, ic.label_list, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	im->labels = &labels;
	struct progress prog = { .what = "import", .quiet = im->quiet };
	struct progress aprog = { .what = "align", .quiet = im->quiet };
	im->on_start = progress_hook_start;
	im->on_update = progress_hook_update;
	im->on_end = progress_hook_end;
	im->arg = &prog;
	im->aligner.on_start = progress_hook_start;
	im->aligner.on_update = progress_hook_update;
	im->aligner.arg = &aprog;
	rc = import_run(im, &res, &err);
	label_names_release(&labels);
	if (rc < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (res.stale)
		fprintf(stderr, "ferry: removed %d temporary file%s left by an interrupted import of %s\n",
			res.stale, res.stale == 1 ? "" : "s", im->project);
	if (!im->quiet) {
		if (res.repaired)
			fprintf(stderr, "ferry: repaired %ld tags\n", res.repaired);
		fprintf(stderr, "ferry: imported %lld pairs into %s (%s tags%s)\n", (long long)res.pairs,
			im->project, scheme_name((enum scheme)res.scheme), im->align ? "" : ", aligned by ferry");
	}
	rc = 0;
out:
	aligner_args_release(&ic.args);
	return rc;
}
