/* cmd-stats.c — `ferry stats`: the counts of a project, read-only. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ferry/cli.h"
#include "ferry/quality.h"
#include "ferry/store.h"

static const char stats_help[] =
"usage: ferry stats PROJECT [--json]\n"
"\n"
"Counts of pairs, tokens, entities, projections and links, review progress,\n"
"a histogram of projection scores, the project's settings, and an estimate\n"
"of the precision of what nobody has reviewed yet, calibrated on the pairs\n"
"reviewed so far, with its reliability diagram (see ferry(1), ESTIMATE).\n"
"\n"
"  --json       one JSON object instead of text\n"
"  -h, --help   this text\n";

/* Text from the project, printed for a terminal: control characters and
   broken UTF-8 a damaged or hostile file may hold come out as \xNN. */
static const char *
safe(struct buf *b, const char *s)
{
	buf_reset(b);
	buf_add_safe(b, s, strlen(s), SIZE_MAX);
	return buf_cstr(b);
}

/* Bins of the score histogram, 0.1 wide; the last holds 0.9 and above. */
#define HIST_BINS ((int)(sizeof ((struct store_stats *)0)->hist / sizeof ((struct store_stats *)0)->hist[0]))

/* "what    total: LABEL n, LABEL n" */
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

/* ,"key":{"LABEL":n,...} */
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

/* The counts as one JSON object. */
static void
stats_json(const char *project, const struct store_stats *s, const struct quality *q, const char *qerr)
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
	for (int i = 0; i < HIST_BINS; i++)
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
	buf_addc(&b, '}');
	if (s->n_sources > 1) {
		buf_adds(&b, ",\"sources\":[");
		for (size_t i = 0; i < s->n_sources; i++) {
			const struct source_info *si = &s->sources[i];
			buf_addf(&b, "%s{\"id\":%d,\"lang\":", i ? "," : "", si->id);
			buf_add_json(&b, si->lang, strlen(si->lang));
			buf_addf(&b, ",\"pairs\":%lld,\"entities\":%lld,\"aligner\":", (long long)si->pairs,
				 (long long)si->entities);
			buf_add_json(&b, si->aligner, strlen(si->aligner));
			if (si->reliability >= 0)
				buf_addf(&b, ",\"reliability\":%.4f", si->reliability);
			buf_addc(&b, '}');
		}
		buf_addc(&b, ']');
	}
	buf_adds(&b, ",\"estimate\":");
	if (*qerr) {
		buf_adds(&b, "{\"ok\":false,\"error\":");
		buf_add_json(&b, qerr, strlen(qerr));
		buf_addc(&b, '}');
	} else {
		quality_report(q, 1, &b);
	}
	buf_adds(&b, "}\n");
	fputs(buf_cstr(&b), stdout);
	buf_release(&b);
}

/* The counts as text, one line per subject. */
static void
stats_text(const char *project, const struct store_stats *s, const struct quality *q, const char *qerr)
{
	int64_t reviewed = s->pairs - s->status[STATUS_PENDING];

	printf("%-14s %s\n", "project", project);
	printf("%-14s %lld\n", "pairs", (long long)s->pairs);
	printf("%-14s %lld source, %lld target\n", "tokens", (long long)s->src_tokens, (long long)s->tgt_tokens);
	printf("%-14s %lld forward, %lld symmetrised; reverse alignment for %lld pairs\n", "links",
	       (long long)s->links_fwd, (long long)s->links_sym, (long long)s->with_rev);
	struct buf a = BUF_INIT, b = BUF_INIT;
	for (size_t i = 0; s->n_sources > 1 && i < s->n_sources; i++) {
		const struct source_info *si = &s->sources[i];
		printf("%-14s %d %s: %lld pairs, %lld entities, links %s", i ? "" : "sources", si->id,
		       safe(&a, si->lang), (long long)si->pairs, (long long)si->entities, safe(&b, si->aligner));
		if (si->reliability >= 0)
			printf(", reliability %.4f", si->reliability);
		putchar('\n');
	}
	buf_release(&a);
	buf_release(&b);
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
	for (int i = 0; i < HIST_BINS; i++)
		printf(" %.1f%s:%lld", (double)i / HIST_BINS, i == HIST_BINS - 1 ? "+" : "", (long long)s->hist[i]);
	printf("\n%-14s %lld entries, lexicon %lld entries\n", "log", (long long)s->log_entries,
	       (long long)s->lexicon);
	struct buf k = BUF_INIT, v = BUF_INIT;
	for (size_t i = 0; i + 1 < s->n_settings; i += 2)
		printf("%-14s %s = %s\n", i ? "" : "settings", safe(&k, s->settings[i]), safe(&v, s->settings[i + 1]));
	buf_release(&k);
	buf_release(&v);
	if (*qerr) {
		printf("estimate: none (the pairs could not be read for it: %s)\n", safe(&k, qerr));
	} else {
		quality_report(q, 0, &k);
		fputs(buf_cstr(&k), stdout);
	}
	buf_release(&k);
}

/* PROJECT [--json] -> store_stats() -> text or JSON. */
int
cmd_stats(int argc, char **argv)
{
	struct ferry_err err = { 0 };
	struct store_stats s;
	struct quality q = { 0 };
	ferry_store *st;
	const char *project;
	int json = 0, rc = cli_report_args(argc, argv, "stats", stats_help, &json, &project);

	if (rc >= 0)
		return rc;
	if (store_open(&st, project, STORE_READONLY, &err) < 0)
		return cli_fail(&err);
	rc = store_stats(st, &s, &err);
	if (rc == 0) {
		/* a damaged pair leaves the counts standing: only the estimate is missing, and says why */
		char qerr[sizeof err.msg] = "";
		if (quality_of_project(st, &q, &err) < 0 && err.code != EX_TEMPFAIL) {
			snprintf(qerr, sizeof qerr, "%s", err.msg);
			err_clear(&err);
		}
		rc = err.code ? -1 : 0;
		if (rc == 0 && json)
			stats_json(project, &s, &q, qerr);
		else if (rc == 0)
			stats_text(project, &s, &q, qerr);
		store_stats_release(&s);
		quality_release(&q);
	}
	store_close(st, NULL);
	return rc < 0 ? cli_fail(&err) : 0;
}
