/*
 * match-opts.c — the matcher's options as data.
 *
 * Every option of `struct match_opts` that a user can set is one row of
 * opt_table below: its command-line name, metavariable, type, where it
 * lives in the struct, default, range, whether and where it is kept in
 * the settings string, and its --help text.  From that one row come the
 * defaults (match_opts_init), the --help lines (match_opts_help), the
 * command line (match_opt_flag, match_opt_set: parsing with range errors)
 * and the settings string kept in a project (match_describe, read back by
 * match_parse_describe).  Adding an option is adding a row.
 *
 * The settings string is "key=value" items separated by spaces; the key
 * is the option's name with '-' written '_'.  Items come in the order of
 * the rows' `kept` rank, and an item whose option has no effect under the
 * others (mode unless method=heuristic, ...) is left out, so that one
 * setting has one string.  Reading it back is lenient on purpose, as it
 * always was: numbers go through atoi/strtod, and only the counts the
 * matcher cannot do without (n_proj, max_len: `guard`) are checked.
 *
 * Help texts are written as printed, continuation lines after '\n', with
 * three escapes: %v the option's default, %l the names of an enumerated
 * option's values with the default marked, %{name} the default of the
 * option `name` (for rows documented together, whose later rows have no
 * text of their own).
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/match.h"

/* One table of names for every enumerated option, in enum order. */
/* The most names an enumerated option has. */
enum { OPTION_NAMES_MAX = 5 };

static const char *const option_names[MOPT_COUNT][OPTION_NAMES_MAX] = {
	[MOPT_METHOD]     = { "heuristic", "greedy", "ilp" },
	[MOPT_MODE]       = { "elp", "general" },
	[MOPT_CONSTRAINT] = { "le", "eq", "ge" },
	[MOPT_BT_REFINE]  = { "none", "intersect", "union", "grow" },
	[MOPT_LINKS]      = { "sym", "fwd", "both" },
	[MOPT_FUSE]       = { "score", "vote" },
};

static const char *const score_names[SCORE_COUNT] = { "align", "surface", "lexicon", "ner" };

/*
 * The default weights are the best setting measured on europarl-dev
 * (bench/accuracy.sh), as are the defaults of --links, --one-way and
 * --min-score below: links of both directions with one-way links at a
 * quarter weight, the surface score at half the alignment's, and
 * candidates scoring 0.5 or less dropped.
 */
static const double default_weights[SCORE_COUNT] = { [SCORE_ALIGN] = 1.0, [SCORE_SURFACE] = 0.5 };

/* The largest weight: fused scores of many candidates must stay finite. */
#define WEIGHT_MAX 1e6

enum opt_type { OT_ENUM, OT_INT, OT_DOUBLE, OT_FLAG, OT_WEIGHTS };

struct opt_info {
	const char *name;          /* --name; the settings key with '-' as '_' */
	const char *arg;           /* metavariable in --help; NULL: takes no value */
	enum opt_type type;
	enum match_option names;   /* OT_ENUM: whose value names */
	size_t off;                /* where it lives in struct match_opts */
	double def, lo, hi;        /* default (an enum's value), range of numbers */
	int kept;                  /* rank in the settings string; 0: not kept */
	int (*applies)(const struct match_opts *o);   /* kept only then; NULL: always */
	int guard;                 /* read back, a value below lo is refused */
	int picks;                 /* chooses the method: given, the defaults for ferry's links do not apply */
	const char *help;          /* NULL: documented with the row before */
};

/* Whether an option matters under the others, for the settings string. */
static int
heuristic(const struct match_opts *o)
{
	return o->method == METHOD_HEURISTIC;
}

static int
general(const struct match_opts *o)
{
	return o->method == METHOD_HEURISTIC && o->mode == HEUR_GENERAL;
}

static int
both_links(const struct match_opts *o)
{
	return o->links == LINKS_BOTH;
}

static int
ner_used(const struct match_opts *o)
{
	return o->weights[SCORE_NER] > 0;
}

/* The fusion's options are kept only for a project with several sources. */
static int
fused(const struct match_opts *o)
{
	return o->fused;
}

static int
fused_scores(const struct match_opts *o)
{
	return o->fused && o->fuse == FUSE_SCORE;
}

/* Where --help texts start; a longer head puts its text on the next line. */
#define HELP_COLUMN 21

#define AT(field) offsetof(struct match_opts, field)

/* In --help and getopt order. */
static const struct opt_info opt_table[] = {
	{ .name = "method", .picks = 1, .arg = "M", .type = OT_ENUM, .names = MOPT_METHOD, .off = AT(method),
	  .def = METHOD_GREEDY, .kept = 1,
	  .help = "%l" },
	{ .name = "mode", .picks = 1, .arg = "M", .type = OT_ENUM, .names = MOPT_MODE, .off = AT(mode),
	  .def = HEUR_ELP, .kept = 2, .applies = heuristic,
	  .help = "heuristic mode: %l" },
	{ .name = "weights", .arg = "LIST", .type = OT_WEIGHTS, .off = AT(weights),
	  .kept = 7,
	  .help = "score weights (default %v; also lexicon,\nner; unnamed scores are 0)" },
	{ .name = "constraint", .arg = "C", .type = OT_ENUM, .names = MOPT_CONSTRAINT, .off = AT(constraint),
	  .def = CON_LE, .kept = 8,
	  .help = "projections per entity: %l n-proj" },
	{ .name = "n-proj", .arg = "N", .type = OT_INT, .off = AT(n_proj),
	  .def = 1, .lo = 1, .hi = 1000, .kept = 9, .guard = 1,
	  .help = "the n of --constraint (default %v)" },
	{ .name = "max-len", .arg = "N", .type = OT_INT, .off = AT(max_len),
	  .def = 10, .lo = 1, .hi = 1000, .kept = 10, .guard = 1,
	  .help = "longest candidate in tokens (default %v)" },
	{ .name = "min-score", .arg = "X", .type = OT_DOUBLE, .off = AT(min_score),
	  .def = 0.5, .lo = 0, .hi = 1e9, .kept = 11,
	  .help = "drop candidates whose weighted sum is X or less (before\nthe 0-1 scale of the scores shown; default %v)" },
	{ .name = "links", .arg = "L", .type = OT_ENUM, .names = MOPT_LINKS, .off = AT(links),
	  .def = LINKS_BOTH, .kept = 12,
	  .help = "%v (default): forward and reverse links, a link found in\n"
		  "one direction only weighted --one-way (pairs imported without\n"
		  "--align-rev use sym); sym: the import's symmetrised alignment;\n"
		  "fwd: the forward file alone" },
	{ .name = "one-way", .arg = "W", .type = OT_DOUBLE, .off = AT(one_way),
	  .def = 0.25, .lo = 0, .hi = 1, .kept = 13, .applies = both_links,
	  .help = "weight of a link found in one direction only (default %v)" },
	{ .name = "bt-refine", .arg = "M", .type = OT_ENUM, .names = MOPT_BT_REFINE, .off = AT(bt),
	  .def = BT_NONE, .kept = 14,
	  .help = "%l with the links\ncomposed through the back-translation" },
	{ .name = "ner-alpha", .arg = "A", .type = OT_DOUBLE, .off = AT(ner_alpha),
	  .def = 0.5, .lo = 0, .hi = 10, .kept = 15, .applies = ner_used,
	  .help = "length factor of the ner score (default %v)" },
	{ .name = "time-limit", .arg = "S", .type = OT_DOUBLE, .off = AT(ilp_time_limit),
	  .def = 1.0, .lo = 0.001, .hi = 3600,
	  .help = "ILP seconds per pair before falling back to greedy (default %v)" },
	/* heuristic --mode general: four options, one text */
	{ .name = "d", .picks = 1, .arg = "N", .type = OT_INT, .off = AT(merge_gap),
	  .def = 1, .lo = 0, .hi = 1000, .kept = 3, .applies = general,
	  .help = "heuristic general: merge gaps up to N tokens (%v), keep up\n"
		  "to N ranges per entity (%{k}), only links of both directions,\n"
		  "drop ranges with |t|/|s| below X (%{thr})" },
	{ .name = "k", .picks = 1, .arg = "N", .type = OT_INT, .off = AT(top_k),
	  .def = 1, .lo = 1, .hi = 1000, .kept = 4, .applies = general },
	{ .name = "only-i", .picks = 1, .type = OT_FLAG, .off = AT(only_i),
	  .def = 0, .kept = 5, .applies = general },
	{ .name = "thr", .picks = 1, .arg = "X", .type = OT_DOUBLE, .off = AT(len_ratio),
	  .def = 0.0, .lo = 0, .hi = 100, .kept = 6, .applies = general },
	/* several sources (match-fuse.c) */
	{ .name = "fuse", .arg = "F", .type = OT_ENUM, .names = MOPT_FUSE, .off = AT(fuse),
	  .def = FUSE_SCORE, .kept = 16, .applies = fused,
	  .help = "several sources: %l; score: every source's projection and\n"
		  "candidates, weighted by its reliability; vote: projections alone" },
	{ .name = "fuse-alpha", .arg = "A", .type = OT_DOUBLE, .off = AT(fuse_alpha),
	  .def = 0.5, .lo = 0, .hi = 1, .kept = 17, .applies = fused_scores,
	  .help = "score fusion: weight of a source's projection against its\ncandidates' scores (default %v)" },
	{ .name = "fuse-min", .arg = "X", .type = OT_DOUBLE, .off = AT(fuse_min),
	  .def = 0.4, .lo = 0, .hi = 1, .kept = 18, .applies = fused,
	  .help = "a fused span needs more support than X, on a 0-1 scale\n(default %v; vote: more than half with 0.5)" },
};

_Static_assert(sizeof opt_table / sizeof *opt_table == MATCH_OPT_COUNT, "MATCH_OPT_COUNT counts opt_table");

#undef AT

/* The field of option e in o, by its type. */
static int *
int_at(struct match_opts *o, const struct opt_info *e)
{
	return (int *)(void *)((char *)o + e->off);
}

static double *
double_at(struct match_opts *o, const struct opt_info *e)
{
	return (double *)(void *)((char *)o + e->off);
}

/* The enum fields are written through int: they must be that size. */
_Static_assert(sizeof(enum match_method) == sizeof(int) && sizeof(enum heur_mode) == sizeof(int) &&
	       sizeof(enum proj_constraint) == sizeof(int) && sizeof(enum bt_refine) == sizeof(int) &&
	       sizeof(enum link_source) == sizeof(int) && sizeof(enum fuse_mode) == sizeof(int),
	       "enumerated options are stored as int");

/* The value of option e in o: enums, ints and flags as numbers. */
static double
number_of(const struct match_opts *o, const struct opt_info *e)
{
	const char *at = (const char *)o + e->off;

	return e->type == OT_DOUBLE ? *(const double *)(const void *)at : *(const int *)(const void *)at;
}

/* ---- the enumerated options' names ------------------------------------------ */

/* Names of the enumerated options' values, both ways (see match.h). */
const char *
match_option_name(enum match_option k, int v)
{
	return option_names[k][v];
}

int
match_option_parse(enum match_option k, const char *name)
{
	for (int i = 0; i < OPTION_NAMES_MAX && option_names[k][i]; i++)
		if (strcmp(option_names[k][i], name) == 0)
			return i;
	return -1;
}

/* The name of a method, as projections record it. */
const char *
match_method_name(enum match_method m)
{
	return option_names[MOPT_METHOD][m];
}

/* "a, b or c", the default marked when mark >= 0. */
static void
add_names(struct buf *out, enum match_option k, int mark)
{
	int n = 0;

	while (n < OPTION_NAMES_MAX && option_names[k][n])
		n++;
	for (int i = 0; i < n; i++)
		buf_addf(out, "%s%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ", option_names[k][i],
			 i == mark ? " (default)" : "");
}

/* ---- values as text ------------------------------------------------------------ */

/* "align=1,surface=0.5": the weights above 0. */
static void
add_weights(struct buf *out, const double *w)
{
	for (int i = 0, n = 0; i < SCORE_COUNT; i++)
		if (w[i] > 0)
			buf_addf(out, "%s%s=%g", n++ ? "," : "", score_names[i], w[i]);
}

/* Option e's value in o, as the settings string writes it. */
static void
add_value(struct buf *out, const struct match_opts *o, const struct opt_info *e)
{
	switch (e->type) {
	case OT_ENUM: buf_adds(out, match_option_name(e->names, (int)number_of(o, e))); break;
	case OT_INT: case OT_FLAG: buf_addf(out, "%d", (int)number_of(o, e)); break;
	case OT_DOUBLE: buf_addf(out, "%g", number_of(o, e)); break;
	case OT_WEIGHTS: add_weights(out, o->weights); break;
	}
}

/* ---- defaults ------------------------------------------------------------------ */

/* Every row's default into o (the rest 0). */
void
match_opts_init(struct match_opts *o)
{
	memset(o, 0, sizeof *o);
	for (size_t i = 0; i < MATCH_OPT_COUNT; i++) {
		const struct opt_info *e = &opt_table[i];
		switch (e->type) {
		case OT_ENUM: case OT_INT: case OT_FLAG: *int_at(o, e) = (int)e->def; break;
		case OT_DOUBLE: *double_at(o, e) = e->def; break;
		case OT_WEIGHTS: memcpy(o->weights, default_weights, sizeof o->weights); break;
		}
	}
}

/* ---- help ---------------------------------------------------------------------- */

/* The row named name (its length given), or NULL. */
static const struct opt_info *
find_row(const char *name, size_t len)
{
	for (size_t i = 0; i < MATCH_OPT_COUNT; i++)
		if (strlen(opt_table[i].name) == len && memcmp(opt_table[i].name, name, len) == 0)
			return &opt_table[i];
	return NULL;
}

/* Help text t of row e, its escapes expanded, continuation lines indented. */
static void
add_help_text(struct buf *out, const struct opt_info *e, const char *t)
{
	struct match_opts d;

	match_opts_init(&d);
	for (; *t; t++) {
		const struct opt_info *other;
		const char *close;
		if (*t == '\n') {
			buf_addf(out, "\n%*s", HELP_COLUMN, "");
		} else if (t[0] == '%' && t[1] == 'v') {
			add_value(out, &d, e);
			t++;
		} else if (t[0] == '%' && t[1] == 'l') {
			add_names(out, e->names, (int)e->def);
			t++;
		} else if (t[0] == '%' && t[1] == '{' && (close = strchr(t, '}')) != NULL &&
			   (other = find_row(t + 2, (size_t)(close - t - 2))) != NULL) {
			add_value(out, &d, other);
			t = close;
		} else {
			buf_addc(out, *t);
		}
	}
	buf_addc(out, '\n');
}

/* The --help lines of every row: the head padded to HELP_COLUMN, then its text. */
void
match_opts_help(struct buf *out)
{
	for (size_t i = 0; i < MATCH_OPT_COUNT; i++) {
		const struct opt_info *e = &opt_table[i];
		size_t start = out->len;

		if (e->help == NULL)
			continue;          /* its text came with the row before */
		/* "  --d N, --k N, --only-i, --thr X": the rows documented with this one */
		buf_adds(out, "  ");
		for (size_t j = i; j < MATCH_OPT_COUNT && (j == i || opt_table[j].help == NULL); j++)
			buf_addf(out, "%s--%s%s%s", j > i ? ", " : "", opt_table[j].name, opt_table[j].arg ? " " : "",
				 opt_table[j].arg ? opt_table[j].arg : "");
		size_t head = out->len - start;
		if (head < HELP_COLUMN)
			buf_addf(out, "%*s", (int)(HELP_COLUMN - head), "");
		else
			buf_addf(out, "\n%*s", HELP_COLUMN, "");
		add_help_text(out, e, e->help);
	}
}

/* ---- the command line ------------------------------------------------------------ */

void
match_opts_for_ferry_links(struct match_opts *o)
{
	o->method = METHOD_HEURISTIC;
	o->mode = HEUR_GENERAL;
	o->merge_gap = 3;
}

/* Row i for a getopt table. */
const char *
match_opt_flag(int i, int *takes_value)
{
	*takes_value = opt_table[i].arg != NULL;
	return opt_table[i].name;
}

int
match_opt_picks_method(int i)
{
	return opt_table[i].picks;
}

/* A number in [lo, hi] (whole if asked), with the command line's messages. */
int
match_opt_number(const char *flag, const char *s, double lo, double hi, int whole, double *out,
		 struct ferry_err *err)
{
	char *end;
	double v = strtod(s, &end);

	if (*s == '\0' || *end || !(v >= lo && v <= hi))     /* NaN is in no range */
		return err_set(err, EX_USAGE, "%s '%s' is not a number from %g to %g", flag, s, lo, hi);
	if (whole && v != (int)v)
		return err_set(err, EX_USAGE, "'%s' is not a whole number", s);
	*out = v;
	return 0;
}

/* A command-line value into o by row i's type and range. */
int
match_opt_set(struct match_opts *o, int i, const char *value, struct ferry_err *err)
{
	const struct opt_info *e = &opt_table[i];
	char flag[32];
	double v;
	int k;

	snprintf(flag, sizeof flag, "--%s", e->name);
	switch (e->type) {
	case OT_ENUM:
		if ((k = match_option_parse(e->names, value)) < 0) {
			struct buf names = BUF_INIT;
			add_names(&names, e->names, -1);
			err_set(err, EX_USAGE, "unknown %s '%s' (expected %s)", flag, value, buf_cstr(&names));
			buf_release(&names);
			return -1;
		}
		*int_at(o, e) = k;
		return 0;
	case OT_INT: case OT_DOUBLE:
		if (match_opt_number(flag, value, e->lo, e->hi, e->type == OT_INT, &v, err) < 0)
			return -1;
		if (e->type == OT_INT)
			*int_at(o, e) = (int)v;
		else
			*double_at(o, e) = v;
		return 0;
	case OT_FLAG:
		*int_at(o, e) = 1;
		return 0;
	case OT_WEIGHTS:
		return match_parse_weights(o, value, err);
	}
	return -1;
}

/* "align=1,surface=0.5" into o->weights; unnamed scores are 0. */
int
match_parse_weights(struct match_opts *o, const char *spec, struct ferry_err *err)
{
	double w[SCORE_COUNT] = { 0 };
	const char *p = spec;

	while (*p) {
		size_t k = strcspn(p, ","), name_len;
		const char *eq = memchr(p, '=', k);
		char num[64], *end;
		int found = -1;

		name_len = eq ? (size_t)(eq - p) : k;
		for (int i = 0; i < SCORE_COUNT; i++)
			if (strlen(score_names[i]) == name_len && memcmp(score_names[i], p, name_len) == 0)
				found = i;
		if (found < 0 || !eq || k - name_len - 1 == 0 || k - name_len - 1 >= sizeof num)
			return err_set(err, EX_USAGE, "--weights: bad item '%.*s' (expected NAME=NUMBER with NAME "
				       "align, surface, lexicon or ner)", (int)k, p);
		memcpy(num, eq + 1, k - name_len - 1);
		num[k - name_len - 1] = '\0';
		w[found] = strtod(num, &end);
		if (*end || !(w[found] >= 0 && w[found] <= WEIGHT_MAX))
			return err_set(err, EX_USAGE, "--weights: bad number '%s' for %s (expected a number "
				       "from 0 to %g)", num, score_names[found], WEIGHT_MAX);
		p += k + (p[k] == ',');
	}
	if (w[SCORE_ALIGN] + w[SCORE_SURFACE] + w[SCORE_LEXICON] + w[SCORE_NER] <= 0)
		return err_set(err, EX_USAGE, "--weights: every weight is 0 (expected at least one score, "
			       "e.g. align=1)");
	memcpy(o->weights, w, sizeof w);
	return 0;
}

/* ---- the settings string ---------------------------------------------------------- */

/* The settings string: the kept rows that apply, by rank. */
void
match_describe(const struct match_opts *o, struct buf *out)
{
	size_t first = out->len;

	for (int rank = 1; rank <= MATCH_OPT_COUNT; rank++)
		for (size_t i = 0; i < MATCH_OPT_COUNT; i++) {
			const struct opt_info *e = &opt_table[i];
			if (e->kept != rank || (e->applies && !e->applies(o)))
				continue;
			if (out->len > first)
				buf_addc(out, ' ');
			for (const char *c = e->name; *c; c++)
				buf_addc(out, *c == '-' ? '_' : *c);
			buf_addc(out, '=');
			add_value(out, o, e);
		}
}

/* The kept row whose settings key is key, or NULL. */
static const struct opt_info *
find_key(const char *key)
{
	for (size_t i = 0; i < MATCH_OPT_COUNT; i++) {
		const char *n = opt_table[i].name, *k = key;
		if (!opt_table[i].kept)
			continue;
		while (*n && *k == (*n == '-' ? '_' : *n))
			n++, k++;
		if (*n == '\0' && *k == '\0')
			return &opt_table[i];
	}
	return NULL;
}

/* Read one settings item's value v into o: 0, 1 when it cannot be read, -1 with err set. */
static int
read_value(struct match_opts *o, const struct opt_info *e, const char *v, struct ferry_err *err)
{
	int k;

	switch (e->type) {
	case OT_ENUM:
		if ((k = match_option_parse(e->names, v)) < 0)
			return 1;
		*int_at(o, e) = k;
		return 0;
	case OT_INT: case OT_FLAG: *int_at(o, e) = atoi(v); return 0;
	case OT_DOUBLE: *double_at(o, e) = strtod(v, NULL); return 0;
	case OT_WEIGHTS: return match_parse_weights(o, v, err) < 0 ? -1 : 0;
	}
	return 1;
}

/* Read a settings string back over the defaults. */
int
match_parse_describe(struct match_opts *o, const char *desc, struct ferry_err *err)
{
	const char *p = desc;

	match_opts_init(o);
	while (*p) {
		while (*p == ' ')
			p++;
		size_t k = strcspn(p, " ");
		if (k == 0)
			break;
		char item[256], *eq;
		snprintf(item, sizeof item, "%.*s", (int)k, p);
		p += k;
		if ((eq = strchr(item, '=')) == NULL)
			goto bad;
		*eq = '\0';
		const struct opt_info *e = find_key(item);
		int rc = e ? read_value(o, e, eq + 1, err) : 1;
		if (rc < 0)
			return -1;
		if (rc > 0)
			goto bad;
	}
	for (size_t i = 0; i < MATCH_OPT_COUNT; i++)
		if (opt_table[i].guard && number_of(o, &opt_table[i]) < opt_table[i].lo)
			goto bad;
	return 0;
bad:
	return err_set(err, EX_DATAERR, "the project's match settings '%s' cannot be read", desc);
}
