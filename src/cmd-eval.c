/*
 * cmd-eval.c — `ferry eval`: projections against gold target labels.
 *
 * Gold comes from the project (imported with --tgt-gold) or from --gold
 * FILE, read in step with the pairs.  Predictions are the projections as
 * export writes them (overlaps resolved by the same scheme_proj_spans), so
 * what eval scores is exactly what export delivers.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "ferry/cli.h"
#include "ferry/eval.h"
#include "ferry/input.h"
#include "ferry/store.h"

static const char eval_help[] =
"usage: ferry eval PROJECT [--gold FILE] [--strict] [--json] [--status LIST]\n"
"                          [--per-source]\n"
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
"  --per-source   several sources: the F1 of each source's own projection and\n"
"                 of the fused one, side by side\n"
"  -h, --help     this text\n";

enum { OPT_GOLD = 256, OPT_STRICT, OPT_JSON, OPT_STATUS, OPT_PER_SOURCE };

static const struct option eval_options[] = {
	{ "gold", required_argument, NULL, OPT_GOLD },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "per-source", no_argument, NULL, OPT_PER_SOURCE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* A --gold FILE, read in step with the pairs. */
struct gold_file {
	const char      *path;
	int              strict;     /* seqeval's strict IOB2 decoding */
	struct sentreader r;
	struct sent      s;
	struct tag      *tags;
	size_t           tags_cap;
	struct spans     spans;      /* of the current sentence */
};

/* Gold spans of the next sentence of the --gold file, into g->spans. */
static int
file_gold(struct gold_file *g, const struct pair *p, struct ferry_err *err)
{
	char q[ERR_QUOTE_MAX];
	struct sentreader *r = &g->r;
	struct sent *s = &g->s;
	uint32_t i;
	int rc = sentreader_next(r, s, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_at(err, EX_DATAERR, r->in.path, r->in.lineno + 1, 0,
			      "file ends before pair %lld (expected one sentence per pair)", (long long)p->id);
	enum sent_cmp cmp = sent_cmp_tokens(s, &p->tgt, &i);
	if (cmp == SENT_OTHER_COUNT || s->tags.n != s->tokens.n)
		return err_at(err, EX_DATAERR, r->in.path, s->line, 0,
			      "sentence has %u tokens but pair %lld has %u target tokens (expected the same)",
			      s->tokens.n, (long long)p->id, p->tgt.n);
	if (cmp == SENT_OTHER_TOKEN) {
		size_t len;
		const char *t = toks_get(&s->tokens, i, &len);
		return err_at(err, EX_DATAERR, r->in.path, s->pos[i].line, 0,
			      "token '%s' differs from target token %u of pair %lld (expected the same tokens)",
			      err_quote(q, sizeof q, t, len), i + 1, (long long)p->id);
	}
	if (sent_parse_tags(s, r->in.path, 0, &g->tags, &g->tags_cap, NULL, err) < 0)
		return -1;
	spans_reset(&g->spans);
	if (g->strict)
		eval_decode_strict(g->tags, s->tags.n, &g->spans);
	else
		scheme_decode(g->tags, s->tags.n, &g->spans);
	return 0;
}

/* After the last pair, the --gold file must end too. */
static int
file_gold_end(struct gold_file *g, struct ferry_err *err)
{
	int more = sentreader_next(&g->r, &g->s, err);

	if (more > 0)
		return err_at(err, EX_DATAERR, g->path, g->s.line, 0,
			      "more sentences than the project has pairs (expected one per pair)");
	return more;
}

/* With --per-source: the project's sources, and one eval for each after the fused one. */
struct per_source {
	struct source_info *src;
	size_t n;
	struct eval ev[FERRY_SOURCES_MAX];
};

/* Score every pair of the project (in f) against gold from the project or g (each source too with per). */
static int
run_eval(const char *project, const struct store_filter *f, struct gold_file *g, struct eval *ev,
	 struct per_source *per, struct ferry_err *err)
{
	struct spans pred = { 0 };
	struct pair p = { 0 };
	ferry_store *st = NULL;
	store_iter *it = NULL;
	int rc = -1, got;

	if (store_open(&st, project, STORE_READONLY, err) < 0)
		return -1;
	if (per && store_sources(st, &per->src, &per->n, err) < 0)
		goto out;
	if (g) {
		struct sentreader_opts o = { .fmt = input_format_guess_tagged(g->path) };
		struct input_name name = { "--gold", g->path };
		if (input_check_names(&name, 1, project, err) < 0 || sentreader_open(&g->r, g->path, &o, err) < 0)
			goto out;
	}
	if (store_iter_open(st, f, LOAD_TEXT | LOAD_PROJ | LOAD_NO_VERSION | (g ? 0 : LOAD_GOLD) |
			    (per ? LOAD_SOURCES : 0), &it, err) < 0)
		goto out;
	while ((got = store_iter_next(it, &p, err)) > 0) {
		if (g) {
			if (file_gold(g, &p, err) < 0)
				goto out;
		} else if (!p.has_gold) {
			err_set(err, EX_DATAERR, "pair %lld has no gold target labels "
				"(import them with --tgt-gold, or give --gold FILE)", (long long)p.id);
			goto out;
		}
		scheme_proj_spans(&p.proj, &pred);
		eval_add(ev, g ? &g->spans : &p.gold, &pred);
		for (size_t k = 0; per && k < per->n; k++) {
			/* a single-source project's one source is its projection */
			if (per->n > 1)
				scheme_own_spans(&p.own, per->src[k].id, &pred);
			eval_add(&per->ev[k], g ? &g->spans : &p.gold, &pred);
		}
	}
	if (got < 0 || (g && file_gold_end(g, err) < 0))
		goto out;
	rc = 0;
out:
	store_iter_free(it);
	store_close(st, NULL);
	pair_release(&p);
	spans_release(&pred);
	return rc;
}

/* Options -> run_eval() -> the report on stdout. */
int
cmd_eval(int argc, char **argv)
{
	struct ferry_err err = { 0 };
	struct store_filter f = { 0 };
	struct gold_file g = { 0 };
	struct eval ev = { 0 };
	struct buf out = BUF_INIT;
	struct per_source per = { 0 };
	int json = 0, per_source = 0, c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", eval_options, NULL)) != -1) {
		switch (c) {
		case OPT_GOLD: g.path = optarg; break;
		case OPT_STRICT: g.strict = 1; break;
		case OPT_JSON: json = 1; break;
		case OPT_PER_SOURCE: per_source = 1; break;
		case OPT_STATUS:
			if (status_parse_list(optarg, &f.status_mask) < 0)
				return cli_usage_error("eval", "unknown --status '%s'", optarg);
			break;
		case 'h': fputs(eval_help, stdout); return 0;
		default: return cli_usage_error("eval", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("eval", "one PROJECT expected");
	if (g.strict && !g.path)
		return cli_usage_error("eval", "--strict reads --gold FILE in seqeval's strict IOB2 mode "
				       "(imported gold was checked at import)");
	if (g.path && f.status_mask)
		return cli_usage_error("eval", "--gold FILE holds every pair: it cannot be combined with --status");
	rc = run_eval(argv[optind], &f, g.path ? &g : NULL, &ev, per_source ? &per : NULL, &err);
	if (rc == 0) {
		if (per_source) {
			const char *names[FERRY_SOURCES_MAX];
			double rel[FERRY_SOURCES_MAX];
			for (size_t k = 0; k < per.n; k++) {
				names[k] = per.src[k].lang;
				rel[k] = per.src[k].reliability;
			}
			eval_report_sources(per.ev, names, rel, per.n, &ev, json, &out);
		} else
			eval_report(&ev, json, &out);
		fputs(buf_cstr(&out), stdout);
	}
	for (size_t k = 0; k < FERRY_SOURCES_MAX; k++)
		eval_release(&per.ev[k]);
	free(per.src);
	sentreader_close(&g.r);
	sent_release(&g.s);
	spans_release(&g.spans);
	free(g.tags);
	eval_release(&ev);
	buf_release(&out);
	return rc < 0 ? cli_fail(&err) : 0;
}
