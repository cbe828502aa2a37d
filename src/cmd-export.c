/*
 * cmd-export.c — `ferry export`: CoNLL or JSONL out of a project.
 *
 * Output to -o FILE goes to a temporary beside it first (scratch.h: removed
 * on failure and on a signal, swept by the next run after a SIGKILL) and
 * is renamed into place only when complete, so a failed or interrupted
 * export never leaves half a file behind.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ferry/cli.h"
#include "ferry/mem.h"
#include "ferry/scheme.h"
#include "ferry/scratch.h"
#include "ferry/store.h"

static const char export_help[] =
"usage: ferry export PROJECT [OPTIONS]\n"
"\n"
"Write the project's sentences with their labels.\n"
"\n"
"  --format F       conll (default: token TAB tag, blank line after each sentence)\n"
"                   or jsonl ({\"id\": N, \"tokens\": [...], \"ner_tags\": [...]})\n"
"  --side S         target (default) or source\n"
"  --what W         projections (default for the target) or gold\n"
"  --scheme S       iob2 (default), bioes or iob1\n"
"  --status LIST    only pairs in these review states, comma-separated:\n"
"                   pending, accepted, fixed, rejected, flagged, skipped\n"
"  -o, --output F   write to F instead of standard output\n"
"  -h, --help       this text\n";

enum { OPT_FORMAT = 256, OPT_SIDE, OPT_WHAT, OPT_SCHEME, OPT_STATUS };

static const struct option export_options[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "side", required_argument, NULL, OPT_SIDE },
	{ "what", required_argument, NULL, OPT_WHAT },
	{ "scheme", required_argument, NULL, OPT_SCHEME },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Room for the -o path and the temporary file's suffix. */
#define EXPORT_PATH_MAX 4096

/* What to export, and the buffers reused from pair to pair. */
struct export {
	int jsonl, source, gold;
	enum scheme scheme;
	unsigned status_mask;
	FILE *out;
	struct buf tags, line;
	size_t *offs;
	size_t offs_cap;
	struct spans keep;
};

/* The spans written for p: source entities, target gold or projections. */
static const struct spans *
written_spans(struct export *ex, const struct pair *p)
{
	if (ex->source)
		return &p->ents;
	if (ex->gold)
		return &p->gold;
	scheme_proj_spans(&p->proj, &ex->keep);
	return &ex->keep;
}

/* One pair as a CoNLL sentence or a JSONL line. */
static int
write_pair(struct export *ex, const struct pair *p, struct ferry_err *err)
{
	const struct toks *tok = ex->source ? &p->src : &p->tgt;
	const struct spans *sp = written_spans(ex, p);

	if (!ex->source && ex->gold && !p->has_gold)
		return err_set(err, EX_DATAERR, "pair %lld has no gold target labels "
			       "(import them with --tgt-gold, or export --what projections)", (long long)p->id);
	VEC_GROW(ex->offs, ex->offs_cap, (size_t)tok->n + 1);
	scheme_encode(ex->scheme, sp->v, sp->n, tok->n, &ex->tags, ex->offs);
	buf_reset(&ex->line);
	if (ex->jsonl) {
		buf_addf(&ex->line, "{\"id\": %lld, \"tokens\": [", (long long)p->id);
		for (uint32_t i = 0; i < tok->n; i++) {
			size_t len;
			const char *t = toks_get(tok, i, &len);
			if (i)
				buf_add(&ex->line, ", ", 2);
			buf_add_json(&ex->line, t, len);
		}
		buf_adds(&ex->line, "], \"ner_tags\": [");
		for (uint32_t i = 0; i < tok->n; i++) {
			const char *t = ex->tags.s + ex->offs[i];
			if (i)
				buf_add(&ex->line, ", ", 2);
			buf_add_json(&ex->line, t, strlen(t));
		}
		buf_adds(&ex->line, "]}\n");
	} else {
		for (uint32_t i = 0; i < tok->n; i++) {
			/* tags stand one after another, each with its NUL */
			size_t len, end = i + 1 < tok->n ? ex->offs[i + 1] : ex->tags.len;
			const char *t = toks_get(tok, i, &len);
			buf_add(&ex->line, t, len);
			buf_addc(&ex->line, '\t');
			buf_add(&ex->line, ex->tags.s + ex->offs[i], end - ex->offs[i] - 1);
			buf_addc(&ex->line, '\n');
		}
		buf_addc(&ex->line, '\n');
	}
	if (fwrite(ex->line.s, 1, ex->line.len, ex->out) != ex->line.len)
		return err_set(err, EX_IOERR, "write error: %s", strerror(errno));
	return 0;
}

/* Write every selected pair; -o FILE appears only once complete. */
static int
run_export(struct export *ex, const char *project, const char *output, struct ferry_err *err)
{
	struct store_filter f = { .status_mask = ex->status_mask };
	ferry_store *st = NULL;
	store_iter *it = NULL;
	struct pair p = { 0 };
	char tmp[EXPORT_PATH_MAX + 96] = "", target[EXPORT_PATH_MAX];
	int rc = -1, got, direct = 0, held = -1;
	mode_t mode = 0;

	if (store_open(&st, project, STORE_READONLY, err) < 0)
		return -1;
	unsigned load = LOAD_TEXT | (ex->source ? LOAD_ENTS : ex->gold ? LOAD_GOLD : LOAD_PROJ);
	if (store_iter_open(st, &f, load, &it, err) < 0)
		goto out;
	ex->out = stdout;
	if (output && strcmp(output, "-") == 0)
		output = NULL;
	if (output && scratch_target(project, output, target, sizeof target, &direct, &mode, err) < 0)
		goto out;
	if (output) {
		/* a regular file is written under a temporary name, anything else directly */
		if (!direct) {
			if (scratch_sweep(target, "export", NULL) > 0)
				fprintf(stderr, "ferry: removed the temporary files an interrupted export to %s left\n",
					output);
			if (scratch_name(tmp, sizeof tmp, target, "export") < 0) {
				err_set(err, EX_USAGE, "%s: path too long", output);
				goto out;
			}
			held = scratch_hold(tmp);
		}
		if ((ex->out = fopen(direct ? output : tmp, "w")) == NULL) {
			ex->out = stdout;
			tmp[0] = '\0';
			err_set(err, EX_CANTCREAT, "%s: cannot create: %s", output, strerror(errno));
			goto out;
		}
		if (mode && fchmod(fileno(ex->out), mode) < 0) {
			err_set(err, EX_CANTCREAT, "%s: cannot keep its mode: %s", output, strerror(errno));
			goto out;
		}
	}
	while ((got = store_iter_next(it, &p, err)) > 0) {
		if (write_pair(ex, &p, err) < 0)
			goto out;
	}
	if (got < 0)
		goto out;
	if (fflush(ex->out) != 0 || ferror(ex->out)) {
		err_set(err, EX_IOERR, "%s: write error: %s", output ? output : "stdout", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (ex->out != stdout && fclose(ex->out) != 0 && rc == 0)
		rc = err_set(err, EX_IOERR, "%s: write error: %s", output, strerror(errno));
	if (tmp[0] && rc == 0 && rename(tmp, target) < 0)
		rc = err_set(err, EX_CANTCREAT, "%s: cannot create: %s", output, strerror(errno));
	if (tmp[0] && rc < 0)
		unlink(tmp);
	scratch_forget(held);
	pair_release(&p);
	store_iter_free(it);
	store_close(st, NULL);
	return rc;
}

/* Options -> run_export(). */
int
cmd_export(int argc, char **argv)
{
	struct export ex = { .scheme = SCHEME_IOB2 };
	struct ferry_err err = { 0 };
	const char *output = NULL, *what = NULL;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", export_options, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (strcmp(optarg, "conll") == 0) ex.jsonl = 0;
			else if (strcmp(optarg, "jsonl") == 0) ex.jsonl = 1;
			else return cli_usage_error("export", "unknown --format '%s' (expected conll or jsonl)", optarg);
			break;
		case OPT_SIDE:
			if (strcmp(optarg, "target") == 0) ex.source = 0;
			else if (strcmp(optarg, "source") == 0) ex.source = 1;
			else return cli_usage_error("export", "unknown --side '%s' (expected target or source)", optarg);
			break;
		case OPT_WHAT:
			if (strcmp(optarg, "projections") != 0 && strcmp(optarg, "gold") != 0)
				return cli_usage_error("export", "unknown --what '%s' (expected projections or gold)", optarg);
			what = optarg;
			break;
		case OPT_SCHEME:
			rc = scheme_parse(optarg);
			if (rc < 0 || rc == SCHEME_IO)
				return cli_usage_error("export", "unknown --scheme '%s' (expected iob2, bioes or iob1)", optarg);
			ex.scheme = (enum scheme)rc;
			break;
		case OPT_STATUS:
			if (status_parse_list(optarg, &ex.status_mask) < 0)
				return cli_usage_error("export", "unknown --status '%s' (expected pending, accepted, "
						       "fixed, rejected, flagged or skipped)", optarg);
			break;
		case 'o': output = optarg; break;
		case 'h': fputs(export_help, stdout); return 0;
		default: return cli_usage_error("export", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("export", "one PROJECT expected");
	ex.gold = what ? strcmp(what, "gold") == 0 : ex.source;
	if (ex.source && !ex.gold)
		return cli_usage_error("export", "the source side has gold entities, not projections (use --what gold)");
	rc = run_export(&ex, argv[optind], output, &err);
	buf_release(&ex.tags);
	buf_release(&ex.line);
	free(ex.offs);
	spans_release(&ex.keep);
	return rc < 0 ? cli_fail(&err) : 0;
}
