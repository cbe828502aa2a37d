/*
 * cmd-eval.c — `ferry eval`: projections against gold target labels.
 *
 * Gold comes from the project (imported with --tgt-gold) or from --gold
 * FILE, read in step with the pairs.  Predictions are the projections as
 * export writes them (overlaps resolved the same way), so what eval scores
 * is exactly what export delivers.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/cli.h"
#include "ferry/eval.h"
#include "ferry/input.h"
#include "ferry/mem.h"
#include "ferry/store.h"

static const char eval_help[] =
"usage: ferry eval PROJECT [--gold FILE] [--strict] [--json] [--status LIST]\n"
"\n"
"Strict span precision, recall and F1 of the projections, micro-averaged\n"
"and per type, as seqeval computes them, with an error breakdown.\n"
"\n"
"  --gold FILE    gold target labels (CoNLL or JSONL, one sentence per pair);\n"
"                 default: the gold imported with --tgt-gold\n"
"  --strict       seqeval's strict IOB2 mode for --gold FILE (default: its\n"
"                 conlleval-style chunking)\n"
"  --json         one JSON object instead of the table\n"
"  --status LIST  only pairs in these review states\n"
"  -h, --help     this text\n";

enum { OPT_GOLD = 256, OPT_STRICT, OPT_JSON, OPT_STATUS };

static const struct option eval_options[] = {
	{ "gold", required_argument, NULL, OPT_GOLD },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Projections as export writes them: sorted, first of an overlap kept. */
static void
predicted(const struct pair *p, struct spans *out)
{
	spans_reset(out);
	for (size_t i = 0; i < p->proj.n; i++) {
		const struct span *s = &p->proj.v[i].span;
		if (out->n && s->start < out->v[out->n - 1].end)
			continue;
		spans_push(out, s->start, s->end, s->label, strlen(s->label));
	}
}

/* Gold spans of the next sentence of the --gold file. */
static int
file_gold(struct sentreader *r, struct sent *s, const struct pair *p, int strict, struct spans *out,
	  struct tag **tags, size_t *tags_cap, struct ferry_err *err)
{
	char q[ERR_QUOTE_MAX];
	int rc = sentreader_next(r, s, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_at(err, EX_DATAERR, r->in.path, r->in.lineno + 1, 0,
			      "file ends before pair %lld (expected one sentence per pair)", (long long)p->id);
	if (s->tokens.n != p->tgt.n || s->tags.n != s->tokens.n)
		return err_at(err, EX_DATAERR, r->in.path, s->line, 0,
			      "sentence has %u tokens but pair %lld has %u target tokens (expected the same)",
			      s->tokens.n, (long long)p->id, p->tgt.n);
	for (uint32_t i = 0; i < s->tokens.n; i++) {
		size_t la, lb;
		const char *a = toks_get(&s->tokens, i, &la), *b = toks_get(&p->tgt, i, &lb);
		if (la != lb || memcmp(a, b, la) != 0)
			return err_at(err, EX_DATAERR, r->in.path, s->pos[i].line, 0,
				      "token '%s' differs from target token %u of pair %lld (expected the same tokens)",
				      err_quote(q, sizeof q, a, la), i + 1, (long long)p->id);
	}
	VEC_GROW(*tags, *tags_cap, (size_t)s->tags.n + 1);
	for (uint32_t i = 0; i < s->tags.n; i++) {
		size_t len;
		const char *t = toks_get(&s->tags, i, &len);
		if (tag_parse(t, len, &(*tags)[i]) < 0)
			return err_at(err, EX_DATAERR, r->in.path, s->pos[i].line, s->pos[i].col,
				      "unknown tag '%s' (expected O, or B-, I-, E-, S- followed by a type)",
				      err_quote(q, sizeof q, t, len));
	}
	spans_reset(out);
	if (strict)
		eval_decode_strict(*tags, s->tags.n, out);
	else
		scheme_decode(*tags, s->tags.n, out);
	return 0;
}

int
cmd_eval(int argc, char **argv)
{
	struct ferry_err err = { 0 };
	struct store_filter f = { 0 };
	struct eval ev = { 0 };
	struct spans pred = { 0 }, gold = { 0 };
	struct sentreader r = { 0 };
	struct sent s = { 0 };
	struct pair p = { 0 };
	struct tag *tags = NULL;
	size_t tags_cap = 0;
	struct buf out = BUF_INIT;
	const char *gold_file = NULL;
	int json = 0, strict = 0, c, rc = -1, got;
	ferry_store *st = NULL;
	store_iter *it = NULL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", eval_options, NULL)) != -1) {
		switch (c) {
		case OPT_GOLD: gold_file = optarg; break;
		case OPT_STRICT: strict = 1; break;
		case OPT_JSON: json = 1; break;
		case OPT_STATUS:
			if (cli_parse_statuses(optarg, &f.status_mask) < 0)
				return cli_usage_error("eval", "unknown --status '%s'", optarg);
			break;
		case 'h': fputs(eval_help, stdout); return 0;
		default: return cli_usage_error("eval", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("eval", "one PROJECT expected");
	if (strict && !gold_file)
		return cli_usage_error("eval", "--strict reads --gold FILE in seqeval's strict IOB2 mode "
				       "(imported gold was checked at import)");
	if (gold_file && f.status_mask)
		return cli_usage_error("eval", "--gold FILE holds every pair: it cannot be combined with --status");
	if (store_open(&st, argv[optind], STORE_READONLY, &err) < 0)
		return cli_fail(&err);
	if (gold_file) {
		struct sentreader_opts o = { .fmt = FMT_AUTO };
		if (sentreader_open(&r, gold_file, &o, &err) < 0)
			goto out;
		if (r.o.fmt == FMT_LINES)
			r.o.fmt = FMT_CONLL;
	}
	if (store_iter_open(st, &f, LOAD_TEXT | LOAD_PROJ | (gold_file ? 0 : LOAD_GOLD), &it, &err) < 0)
		goto out;
	while ((got = store_iter_next(it, &p, &err)) > 0) {
		if (gold_file) {
			if (file_gold(&r, &s, &p, strict, &gold, &tags, &tags_cap, &err) < 0)
				goto out;
		} else if (!p.has_gold) {
			err_set(&err, EX_DATAERR, "pair %lld has no gold target labels "
				"(import them with --tgt-gold, or give --gold FILE)", (long long)p.id);
			goto out;
		}
		predicted(&p, &pred);
		eval_add(&ev, gold_file ? &gold : &p.gold, &pred);
	}
	if (got < 0)
		goto out;
	if (gold_file && !f.status_mask) {
		int more = sentreader_next(&r, &s, &err);
		if (more < 0)
			goto out;
		if (more > 0) {
			err_at(&err, EX_DATAERR, gold_file, s.line, 0,
			       "more sentences than the project has pairs (expected one per pair)");
			goto out;
		}
	}
	eval_report(&ev, json, &out);
	fputs(buf_cstr(&out), stdout);
	rc = 0;
out:
	store_iter_free(it);
	store_close(st, NULL);
	if (gold_file)
		sentreader_close(&r);
	sent_release(&s);
	pair_release(&p);
	spans_release(&pred);
	spans_release(&gold);
	free(tags);
	eval_release(&ev);
	buf_release(&out);
	return rc < 0 ? cli_fail(&err) : 0;
}
