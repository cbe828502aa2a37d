/*
 * cmd-review.c — `ferry review`: the terminal UI, or its scripted twin.
 *
 * Interactive: ui_run_tty (ui.c) draws, reads a key, acts, draws again;
 * it starts where the reviewer left off and keeps the place at the end
 * (review-place.c).
 * Scripted (--keys FILE): the same over keys read from FILE, drawn into an in-memory screen
 * of --size COLSxROWS; --dump-screen prints the final screen, --timing
 * the time from each key to its finished redraw; the reviewer's place is
 * left alone (a script gives the same screen whoever ran what before)
 * unless --resume.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/cli.h"
#include "ferry/keymap.h"
#include "ferry/mem.h"
#include "ferry/review.h"
#include "ferry/theme.h"
#include "ferry/view.h"

static const char review_help[] =
"usage: ferry review PROJECT [OPTIONS]\n"
"\n"
"Review the projections pair by pair in the terminal (? lists the keys).\n"
"\n"
"  --theme NAME        colours: default, light, high-contrast, mono, solarized,\n"
"                      or a file in $XDG_CONFIG_HOME/ferry/themes\n"
"  --mono              attributes only, no colour (also when NO_COLOR is set)\n"
"  --config FILE       key bindings and options (default $XDG_CONFIG_HOME/ferry/config)\n"
"  --keys FILE         read keystrokes from FILE instead of the terminal\n"
"  --size COLSxROWS    screen size for --keys (default 100x30)\n"
"  --independent       review in your own layer ($FERRY_USER, else your login):\n"
"                      your decisions, pins and undo are yours, no one else\n"
"                      sees them (ferry agreement compares the layers); only\n"
"                      your share when ferry assign gave you one\n"
"  --adjudicate        curate: the shared state, with every reviewer's version\n"
"                      of the pair shown under it and the pairs they disagree\n"
"                      on first; T (:take N or NAME) takes a version, any edit\n"
"                      makes your own; ferry export writes the result\n"
"  --resume            with --keys: start where this reviewer left off and keep\n"
"                      the place at the end, as a session in the terminal does\n"
"  --dump-screen       with --keys: print the final screen\n"
"  --timing            with --keys: print keystroke-to-redraw times and how\n"
"                      many edits were saved, refused or not done on stderr\n"
"  -h, --help          this text\n";

enum { OPT_THEME = 256, OPT_MONO, OPT_CONFIG, OPT_KEYS, OPT_SIZE, OPT_DUMP, OPT_TIMING, OPT_RESUME, OPT_INDEPENDENT,
       OPT_ADJUDICATE };

static const struct option review_options[] = {
	{ "theme", required_argument, NULL, OPT_THEME },
	{ "mono", no_argument, NULL, OPT_MONO },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "keys", required_argument, NULL, OPT_KEYS },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "dump-screen", no_argument, NULL, OPT_DUMP },
	{ "timing", no_argument, NULL, OPT_TIMING },
	{ "resume", no_argument, NULL, OPT_RESUME },
	{ "independent", no_argument, NULL, OPT_INDEPENDENT },
	{ "adjudicate", no_argument, NULL, OPT_ADJUDICATE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Read a whole file; NULL and err filled when it cannot be read (what is
 * missing_ok and missing is no error: NULL with err unset). */
static char *
slurp(const char *path, const char *what, size_t *len, int missing_ok, struct ferry_err *err)
{
	char *text = buf_read_file(path, SIZE_MAX, len);

	if (text == NULL && !(missing_ok && errno == ENOENT))
		err_set(err, EX_NOINPUT, "%s: cannot read the %s: %s (expected a readable file)", path, what,
			strerror(errno));
	return text;
}

/* The config file: --config, or the default one if there is one.  An
 * explicit one that cannot be read is an error; a default one that is
 * there but cannot be read (or sits in a directory that cannot be
 * searched) is not, but it is said — in warn, for the status line and
 * stderr — rather than silently ignored. */
static int
load_config(struct keymap *km, const char *path, char *warn, size_t cap, struct ferry_err *err)
{
	char def[4096];
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	size_t len = 0;
	char *text;
	int rc;

	if (path == NULL) {
		if (xdg && *xdg)
			snprintf(def, sizeof def, "%s/ferry/config", xdg);
		else
			snprintf(def, sizeof def, "%s/.config/ferry/config", home ? home : ".");
		if ((text = slurp(def, "config", &len, 1, err)) == NULL) {
			if (err->code)
				snprintf(warn, cap, "%s; using the default key bindings", err->msg);
			err_clear(err);
			return 0;
		}
		path = def;
	} else if ((text = slurp(path, "config", &len, 0, err)) == NULL) {
		return -1;
	}
	rc = keymap_load(km, text, len, path, err);
	free(text);
	return rc;
}

/* qsort order of doubles. */
static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Scripted session: keys from a file, screen in memory. */
static int
run_script(struct ui *u, const char *keys_file, int cols, int rows, int dump, int timing,
	   struct ferry_err *err)
{
	struct screen s;
	size_t len, nkeys;
	int *keys, rc = 0;
	char *text = slurp(keys_file, "keys script", &len, 0, err);
	double *t;

	if (text == NULL)
		return -1;
	if (keys_parse_script(text, len, keys_file, &keys, &nkeys, err) < 0) {
		free(text);
		return -1;
	}
	free(text);
	screen_init(&s, cols, rows);
	t = xmalloc((nkeys + 1) * sizeof *t);
	ui_draw(u, &s);
	int settled = review_settle(u->r, err);
	if (settled < 0) {
		free(t);
		free(keys);
		screen_release(&s);
		return -1;
	}
	if (settled)
		ui_draw(u, &s);
	size_t i;
	for (i = 0; i < nkeys; i++) {
		double t0 = cli_now();
		int f = ui_key(u, keys[i], err);
		if (f < 0) {
			rc = -1;
			break;
		}
		ui_draw(u, &s);
		t[i] = cli_now() - t0;
		if (f & UI_QUIT) {
			i++;
			break;
		}
	}
	if (rc == 0 && dump)
		screen_dump(&s, stdout);
	if (rc == 0 && timing && i > 0) {
		qsort(t, i, sizeof *t, dcmp);
		fprintf(stderr, "ferry: %zu keys, keystroke to redraw: median %.3f ms, 90th percentile %.3f ms, "
			"max %.3f ms\n", i, t[i / 2] * 1e3, t[i * 9 / 10] * 1e3, t[i - 1] * 1e3);
		int64_t saved, refused, busy;
		review_edit_counts(u->r, &saved, &refused, &busy);
		fprintf(stderr, "ferry: edits: %lld saved, %lld refused (changed by someone else first), "
			"%lld not done (project busy)\n", (long long)saved, (long long)refused, (long long)busy);
	}
	free(t);
	free(keys);
	screen_release(&s);
	return rc;
}

/* ferry review: options, config, theme, project, then a session. */
int
cmd_review(int argc, char **argv)
{
	struct ferry_err err = { 0 };
	const char *theme = NULL, *config = NULL, *keys = NULL;
	int mono = 0, dump = 0, timing = 0, resume = 0, independent = 0, adjudicate = 0, cols = 100, rows = 30, c, rc;
	struct keymap km;
	struct theme th;
	struct review r;
	struct ui u;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", review_options, NULL)) != -1) {
		switch (c) {
		case OPT_THEME: theme = optarg; break;
		case OPT_MONO: mono = 1; break;
		case OPT_CONFIG: config = optarg; break;
		case OPT_KEYS: keys = optarg; break;
		case OPT_SIZE:
			if (sscanf(optarg, "%dx%d", &cols, &rows) != 2 || cols < 1 || rows < 1 || cols > 1000 || rows > 1000)
				return cli_usage_error("review", "bad --size '%s' (expected COLSxROWS, e.g. 100x30)", optarg);
			break;
		case OPT_DUMP: dump = 1; break;
		case OPT_TIMING: timing = 1; break;
		case OPT_RESUME: resume = 1; break;
		case OPT_INDEPENDENT: independent = 1; break;
		case OPT_ADJUDICATE: adjudicate = 1; break;
		case 'h': fputs(review_help, stdout); return 0;
		default: return cli_usage_error("review", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("review", "one PROJECT expected");
	if (independent && adjudicate)
		return cli_usage_error("review", "--independent and --adjudicate do not go together (a curator "
				       "works on the shared state)");
	if ((dump || timing || resume) && !keys)
		return cli_usage_error("review", "--dump-screen, --timing and --resume go with --keys FILE");
	keymap_init(&km);
	char warn[sizeof err.msg + 64] = "";
	if (load_config(&km, config, warn, sizeof warn, &err) < 0) {
		keymap_release(&km);
		return cli_fail(&err);
	}
	const char *no_color = getenv("NO_COLOR");
	int want_mono = mono;
	if (!theme && no_color && *no_color)
		mono = 1;               /* an explicit --theme wins over NO_COLOR */
	if (theme_load(&th, theme ? theme : km.theme, &err) < 0) {
		keymap_release(&km);
		return cli_fail(&err);
	}
	if (mono)
		theme_mono(&th);         /* --mono and NO_COLOR: attributes only */
	if (review_open(&r, argv[optind], independent ? store_user() : NULL, &err) < 0 ||
	    (adjudicate && review_adjudicate(&r, &err) < 0)) {
		review_close(&r);
		keymap_release(&km);
		return cli_fail(&err);
	}
	r.accept_advances = km.accept_advances;
	ui_init(&u, &r, &km);
	resume |= keys == NULL;
	rc = resume ? review_place_restore(&r, &err) : 0;
	if (warn[0]) {
		fprintf(stderr, "ferry: %s\n", warn);
		review_say(&r, 1, "%s", warn);
	}
	if (rc >= 0 && keys)
		rc = run_script(&u, keys, cols, rows, dump, timing, &err);
	else if (rc >= 0)
		rc = ui_run_tty(&u, &th, mono || want_mono, km.mouse, &err);
	if (rc >= 0 && resume && review_place_save(&r, &err) < 0) {
		fprintf(stderr, "ferry: your place was not kept: %s\n", err.msg);
		err_clear(&err);
	}
	review_close(&r);
	keymap_release(&km);
	return rc < 0 ? cli_fail(&err) : 0;
}
