/* cmd-stats.c — `ferry stats` and `ferry log`: read-only reports. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ferry/cli.h"
#include "ferry/store.h"

static const char stats_help[] =
"usage: ferry stats PROJECT [--json]\n"
"\n"
"Counts of pairs, tokens, entities, projections and links, review progress,\n"
"a histogram of projection scores and the project's settings.\n"
"\n"
"  --json       one JSON object instead of text\n"
"  -h, --help   this text\n";

static const char log_help[] =
"usage: ferry log PROJECT [--json]\n"
"\n"
"The project's history: imports, matcher runs and every reviewer action,\n"
"oldest first, with time (UTC), user, pair and before/after states.\n"
"\n"
"  --json       a JSON array instead of text\n"
"  -h, --help   this text\n";

static const struct option report_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Parse PROJECT [--json]; returns -1 to go on, else an exit code. */
static int
report_args(int argc, char **argv, const char *cmd, const char *help, int *json,
	    const char **project)
{
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", report_options, NULL)) != -1) {
		switch (c) {
		case 'j': *json = 1; break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage_error(cmd, "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(cmd, "one PROJECT expected");
	*project = argv[optind];
	return -1;
}

/* Text from the project, printed for a terminal: control characters and
   broken UTF-8 a damaged or hostile file may hold come out as \xNN. */
static const char *
safe(struct buf *b, const char *s)
{
	buf_reset(b);
	buf_add_safe(b, s, strlen(s), SIZE_MAX);
	return buf_cstr(b);
}

static void
labels_text(const char *what, const struct label_count *l, size_t n, int64_t total)
{
	struct buf b = BUF_INIT;

	printf("%-14s %lld", what, (long long)total);
	for (size_t i = 0; i < n; i++)
		printf("%s%s %lld", i ? ", " : ": ", safe(&b, l[i].label), (long long)l[i].count);
	printf("\n");
	buf_release(&b);
}

static void
labels_json(struct buf *b, const char *key, const struct label_count *l, size_t n)
{
	buf_addf(b, ",\"%s\":{", key);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addc(b, ',');
		buf_add_json(b, l[i].label, strlen(l[i].label));
		buf_addf(b, ":%lld", (long long)l[i].count);
	}
	buf_addc(b, '}');
}

static void
stats_json(const char *project, const struct store_stats *s)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "{\"project\":");
	buf_add_json(&b, project, strlen(project));
	buf_addf(&b, ",\"pairs\":%lld,\"src_tokens\":%lld,\"tgt_tokens\":%lld,"
		 "\"with_reverse_alignment\":%lld,\"with_back_translation\":%lld,"
		 "\"with_gold\":%lld,\"with_ner\":%lld,\"links_forward\":%lld,\"links_symmetrised\":%lld,"
		 "\"entities\":%lld,\"gold_entities\":%lld,\"projections\":%lld,\"by_reviewer\":%lld",
		 (long long)s->pairs, (long long)s->src_tokens, (long long)s->tgt_tokens,
		 (long long)s->with_rev, (long long)s->with_bt, (long long)s->with_gold,
		 (long long)s->with_ner, (long long)s->links_fwd, (long long)s->links_sym,
		 (long long)s->entities, (long long)s->gold, (long long)s->projections,
		 (long long)s->by_reviewer);
	labels_json(&b, "entity_labels", s->ent_labels, s->n_ent_labels);
	labels_json(&b, "gold_labels", s->gold_labels, s->n_gold_labels);
	labels_json(&b, "projection_labels", s->proj_labels, s->n_proj_labels);
	buf_adds(&b, ",\"status\":{");
	for (int i = 0; i < STATUS_COUNT; i++)
		buf_addf(&b, "%s\"%s\":%lld", i ? "," : "", status_name((enum pair_status)i),
			 (long long)s->status[i]);
	buf_addf(&b, "},\"reviewed\":%lld,\"score_histogram\":[",
		 (long long)(s->pairs - s->status[STATUS_PENDING]));
	for (int i = 0; i < 10; i++)
		buf_addf(&b, "%s%lld", i ? "," : "", (long long)s->hist[i]);
	buf_addf(&b, "],\"log_entries\":%lld,\"lexicon_entries\":%lld,\"settings\":{",
		 (long long)s->log_entries, (long long)s->lexicon);
	for (size_t i = 0; i + 1 < s->n_settings; i += 2) {
		if (i)
			buf_addc(&b, ',');
		buf_add_json(&b, s->settings[i], strlen(s->settings[i]));
		buf_addc(&b, ':');
		buf_add_json(&b, s->settings[i + 1], strlen(s->settings[i + 1]));
	}
	buf_adds(&b, "}}\n");
	fputs(buf_cstr(&b), stdout);
	buf_release(&b);
}

static void
stats_text(const char *project, const struct store_stats *s)
{
	int64_t reviewed = s->pairs - s->status[STATUS_PENDING];

	printf("%-14s %s\n", "project", project);
	printf("%-14s %lld\n", "pairs", (long long)s->pairs);
	printf("%-14s %lld source, %lld target\n", "tokens", (long long)s->src_tokens, (long long)s->tgt_tokens);
	printf("%-14s %lld forward, %lld symmetrised; reverse alignment for %lld pairs\n", "links",
	       (long long)s->links_fwd, (long long)s->links_sym, (long long)s->with_rev);
	printf("%-14s %lld pairs\n", "back-transl.", (long long)s->with_bt);
	printf("%-14s %lld pairs\n", "ner preds", (long long)s->with_ner);
	labels_text("entities", s->ent_labels, s->n_ent_labels, s->entities);
	labels_text("gold", s->gold_labels, s->n_gold_labels, s->gold);
	labels_text("projections", s->proj_labels, s->n_proj_labels, s->projections);
	printf("%-14s %lld of %lld pairs (%.1f%%)", "reviewed", (long long)reviewed, (long long)s->pairs,
	       s->pairs ? 100.0 * (double)reviewed / (double)s->pairs : 0.0);
	for (int i = 0; i < STATUS_COUNT; i++)
		printf("%s%s %lld", i ? ", " : ": ", status_name((enum pair_status)i), (long long)s->status[i]);
	printf("\n%-14s", "scores");
	for (int i = 0; i < 10; i++)
		printf(" %.1f%s:%lld", i / 10.0, i == 9 ? "+" : "", (long long)s->hist[i]);
	printf("\n%-14s %lld entries, lexicon %lld entries\n", "log", (long long)s->log_entries,
	       (long long)s->lexicon);
	struct buf k = BUF_INIT, v = BUF_INIT;
	for (size_t i = 0; i + 1 < s->n_settings; i += 2)
		printf("%-14s %s = %s\n", i ? "" : "settings", safe(&k, s->settings[i]), safe(&v, s->settings[i + 1]));
	buf_release(&k);
	buf_release(&v);
}

int
cmd_stats(int argc, char **argv)
{
	struct ferry_err err = { 0 };
	struct store_stats s;
	ferry_store *st;
	const char *project;
	int json = 0, rc = report_args(argc, argv, "stats", stats_help, &json, &project);

	if (rc >= 0)
		return rc;
	if (store_open(&st, project, STORE_READONLY, &err) < 0)
		return cli_fail(&err);
	if (store_stats(st, &s, &err) < 0) {
		store_close(st, NULL);
		return cli_fail(&err);
	}
	if (json)
		stats_json(project, &s);
	else
		stats_text(project, &s);
	store_stats_release(&s);
	store_close(st, NULL);
	return 0;
}

struct log_out {
	int json;
	int64_t n;
	struct buf b;
};

static int
log_row(const struct log_entry *e, void *arg)
{
	struct log_out *o = arg;

	buf_reset(&o->b);
	if (o->json) {
		buf_addf(&o->b, "%s{\"id\":%lld,\"time\":", o->n ? ",\n" : "[\n", (long long)e->id);
		buf_add_json(&o->b, e->time, strlen(e->time));
		buf_adds(&o->b, ",\"user\":");
		buf_add_json(&o->b, e->user, strlen(e->user));
		if (e->pair)
			buf_addf(&o->b, ",\"pair\":%lld,\"action\":", (long long)e->pair);
		else
			buf_adds(&o->b, ",\"pair\":null,\"action\":");
		buf_add_json(&o->b, e->action, strlen(e->action));
		buf_addf(&o->b, ",\"before\":%s,\"after\":%s,\"undone\":%s}",
			 e->before ? e->before : "null", e->after ? e->after : "null",
			 e->undone ? "true" : "false");
	} else {
		buf_addf(&o->b, "%lld\t", (long long)e->id);
		buf_add_safe(&o->b, e->time, strlen(e->time), SIZE_MAX);
		buf_addc(&o->b, '\t');
		buf_add_safe(&o->b, e->user, strlen(e->user), SIZE_MAX);
		buf_addc(&o->b, '\t');
		if (e->pair)
			buf_addf(&o->b, "pair %lld", (long long)e->pair);
		else
			buf_addc(&o->b, '-');
		buf_addc(&o->b, '\t');
		buf_add_safe(&o->b, e->action, strlen(e->action), SIZE_MAX);
		buf_adds(&o->b, e->undone ? " (undone)" : "");
		if (e->before) {
			buf_addc(&o->b, '\t');
			buf_add_safe(&o->b, e->before, strlen(e->before), SIZE_MAX);
			buf_adds(&o->b, " ->");
		}
		if (e->after) {
			buf_addc(&o->b, '\t');
			buf_add_safe(&o->b, e->after, strlen(e->after), SIZE_MAX);
		}
		buf_addc(&o->b, '\n');
	}
	fputs(buf_cstr(&o->b), stdout);
	o->n++;
	return 0;
}

int
cmd_log(int argc, char **argv)
{
	struct ferry_err err = { 0 };
	struct log_out o = { 0 };
	ferry_store *st;
	const char *project;
	int rc = report_args(argc, argv, "log", log_help, &o.json, &project);

	if (rc >= 0)
		return rc;
	if (store_open(&st, project, STORE_READONLY, &err) < 0)
		return cli_fail(&err);
	rc = store_log_each(st, log_row, &o, &err);
	store_close(st, NULL);
	buf_release(&o.b);
	if (rc < 0)
		return cli_fail(&err);
	if (o.json)
		fputs(o.n ? "\n]\n" : "[]\n", stdout);
	return 0;
}
