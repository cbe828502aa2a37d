/* cmd-log.c — `ferry log`: a project's history, read-only. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ferry/cli.h"
#include "ferry/store.h"

static const char log_help[] =
"usage: ferry log PROJECT [--json]\n"
"\n"
"The project's history: imports, matcher runs and every reviewer action,\n"
"oldest first, with time (UTC), user, pair and before/after states.\n"
"\n"
"  --json       a JSON array instead of text\n"
"  -h, --help   this text\n";

/* Where `ferry log` is in its output. */
struct log_out {
	int json;
	int64_t n;
	struct buf b;
};

/* Append '\t' and s, escaped for a terminal. */
static void
add_field(struct buf *b, const char *s)
{
	buf_addc(b, '\t');
	buf_add_safe(b, s, strlen(s), SIZE_MAX);
}

/* One log entry: an element of the JSON array, or a line of tab-separated fields. */
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
		buf_addf(&o->b, "%lld", (long long)e->id);
		add_field(&o->b, e->time);
		add_field(&o->b, e->user);
		if (e->pair)
			buf_addf(&o->b, "\tpair %lld", (long long)e->pair);
		else
			buf_adds(&o->b, "\t-");
		add_field(&o->b, e->action);
		buf_adds(&o->b, e->undone ? " (undone)" : "");
		if (e->before) {
			add_field(&o->b, e->before);
			buf_adds(&o->b, " ->");
		}
		if (e->after)
			add_field(&o->b, e->after);
		buf_addc(&o->b, '\n');
	}
	fputs(buf_cstr(&o->b), stdout);
	o->n++;
	return 0;
}

/* PROJECT [--json] -> every log entry, oldest first. */
int
cmd_log(int argc, char **argv)
{
	struct ferry_err err = { 0 };
	struct log_out o = { 0 };
	ferry_store *st;
	const char *project;
	int rc = cli_report_args(argc, argv, "log", log_help, &o.json, &project);

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
