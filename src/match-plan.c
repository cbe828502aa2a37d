/*
 * match-plan.c — which sources a match uses and how: the project's
 * sources (store_sources), the ones --sources names, each source's
 * options (the defaults for ferry's links where its links are ferry's)
 * and weight (its recorded reliability), and matching one pair by that
 * plan: one source is match_pair as it always was; several are each
 * matched on their own and fused (match_fuse).  match_run(), the review
 * UI and `:match pending` all match through here, so a pair matched in
 * the UI is matched as `ferry match` matches it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/match-run.h"
#include "ferry/mem.h"

/* 1 when the source's links are ferry's aligner's. */
static int
ferry_links(const char *aligner)
{
	return strncmp(aligner, "ferry ", 6) == 0 || strcmp(aligner, "ferry") == 0;
}

/* Do the fusion's options or some source's satisfy uses? */
static int
plan_any(const struct match_plan *plan, int (*uses)(const struct match_opts *))
{
	if (uses(&plan->fuse))
		return 1;
	for (size_t k = 0; k < plan->n; k++)
		if (uses(&plan->o[k]))
			return 1;
	return 0;
}

static int
uses_sym(const struct match_opts *o)
{
	return o->links == LINKS_SYM;
}

static int
uses_bt(const struct match_opts *o)
{
	return o->bt != BT_NONE;
}

int
match_plan_needs_sym(const struct match_plan *plan)
{
	return plan_any(plan, uses_sym);
}

int
match_plan_needs_bt(const struct match_plan *plan)
{
	return plan_any(plan, uses_bt);
}

/* The sources named in list (comma-separated languages) as a bit mask of ids. */
static int
parse_sources(const char *list, const struct source_info *s, size_t n, uint32_t *use, struct ferry_err *err)
{
	const char *p = list;

	*use = 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		size_t i;
		for (i = 0; i < n; i++)
			if (strlen(s[i].lang) == len && strncmp(s[i].lang, p, len) == 0)
				break;
		if (i == n) {
			struct buf have = BUF_INIT;
			for (size_t k = 0; k < n; k++)
				buf_addf(&have, "%s%s", k ? ", " : "", s[k].lang[0] ? s[k].lang : "(unnamed)");
			err_set(err, EX_USAGE, "--sources: the project has no source '%.*s' (its sources: %s)", (int)len,
				p, buf_cstr(&have));
			buf_release(&have);
			return -1;
		}
		*use |= 1u << s[i].id;
		p += len;
		if (*p == ',')
			p++;
	}
	if (*use == 0)
		return err_set(err, EX_USAGE, "--sources: no source named (expected languages, e.g. en,es)");
	return 0;
}

int
match_plan_load(ferry_store *st, const struct match_opts *o, int method_chosen, const char *sources,
		struct match_plan *plan, struct ferry_err *err)
{
	struct source_info *s;
	size_t n;
	uint32_t use = ~0u;

	memset(plan, 0, sizeof *plan);
	if (store_sources(st, &s, &n, err) < 0)
		return -1;
	if (sources && parse_sources(sources, s, n, &use, err) < 0) {
		free(s);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!(use >> s[i].id & 1))
			continue;
		size_t k = plan->n++;
		plan->id[k] = s[i].id;
		snprintf(plan->lang[k], sizeof plan->lang[k], "%s", s[i].lang);
		plan->o[k] = *o;
		if (!method_chosen && ferry_links(s[i].aligner))
			match_opts_for_ferry_links(&plan->o[k]);
		plan->weight[k] = s[i].reliability > 0 ? s[i].reliability : 1;
	}
	plan->fuse = *o;
	if (!method_chosen && ferry_links(s[0].aligner))
		match_opts_for_ferry_links(&plan->fuse);
	plan->fused = n > 1;
	plan->fuse.fused = plan->fused;
	if (plan->n == 1 && plan->fused) {
		/* one source of several: its own projection, as it is */
		plan->fuse.fuse = FUSE_VOTE;
		plan->fuse.fuse_min = 0.5;
	}
	plan->single = plan->n == 1 && plan->id[0] == 0;
	free(s);
	return 0;
}

int
match_plan_pair(match_ws *ws, struct match_out *mos, const struct match_plan *plan, const struct pair *p,
		struct match_out *out, struct sprojs *own, uint32_t *present, struct ferry_err *err)
{
	struct fuse_source fs[FERRY_SOURCES_MAX];
	struct pair views[FERRY_SOURCES_MAX];
	size_t n = 0;

	if (own)
		own->n = 0;
	*present = 0;
	if (plan->single)
		return match_pair(ws, p, &plan->fuse, p->pins.v, p->pins.n, out, err);
	for (size_t k = 0; k < plan->n; k++) {
		if (pair_source_view(p, plan->id[k], &views[n]) < 0)
			continue;     /* the pair has no sentence of this source */
		if (match_pair(ws, &views[n], &plan->o[k], NULL, 0, &mos[n], err) < 0)
			return -1;
		for (size_t i = 0; own && i < mos[n].n; i++) {
			const struct match_proj *pr = &mos[n].v[i];
			VEC_GROW(own->v, own->cap, own->n + 1);
			struct sproj *sp = &own->v[own->n++];
			memset(sp, 0, sizeof *sp);
			sp->source = plan->id[k];
			sp->span.start = pr->start;
			sp->span.end = pr->end;
			memcpy(sp->span.label, pr->label, sizeof sp->span.label);
			sp->score = pr->score;
		}
		fs[n] = (struct fuse_source){ &views[n], &mos[n], plan->weight[k], plan->id[k] };
		*present |= 1u << plan->id[k];
		n++;
	}
	return match_fuse(ws, p, fs, n, &plan->fuse, p->pins.v, p->pins.n, out, err);
}

void
match_plan_describe(const struct match_plan *plan, struct buf *out)
{
	match_describe(&plan->fuse, out);
}

int
match_plan_project(ferry_store *st, struct match_opts *mo, struct lexicon *lex, struct match_plan *plan,
		   int *matched, struct ferry_err *err)
{
	struct buf desc = BUF_INIT;

	/* the settings of the last match run, else the defaults for these links */
	if (match_run_defaults(st, mo, err) < 0)
		return -1;
	int have = store_setting_get(st, "match", &desc, err);
	*matched = have > 0;
	if (have < 0 || (have > 0 && match_parse_describe(mo, buf_cstr(&desc), err) < 0)) {
		buf_release(&desc);
		return -1;
	}
	buf_release(&desc);
	if (store_lexicon_load(st, lex, err) < 0)
		return -1;
	mo->lexicon = lex;
	/* the sources the last match fused, with the options it kept */
	have = store_setting_get(st, "match_sources", &desc, err);
	int planned = have < 0 ? -1 : match_plan_load(st, mo, 1, have > 0 ? buf_cstr(&desc) : NULL, plan, err);
	buf_release(&desc);
	/* a recorded list that no longer names the project's sources (a damaged file): all of them */
	if (planned < 0 && have > 0 && err->code == EX_USAGE) {
		err_clear(err);
		planned = match_plan_load(st, mo, 1, NULL, plan, err);
	}
	return planned < 0 ? -1 : 0;
}
