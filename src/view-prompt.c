/*
 * view-prompt.c — the prompt line at the bottom of the pair view (search,
 * filter, a new label typed in the label picker, `:` commands) and the
 * `:` commands themselves.
 *
 * The commands are one table (name, argument, help text, handler): the
 * parser, the help view's list of commands and the message for an
 * unknown one all come from it.
 */
#include <stdlib.h>
#include <string.h>

#include "view-int.h"

/* ---- the `:` commands ------------------------------------------------------ */

struct command {
	const char *name;      /* as typed; "" for :N, where the number is the command */
	const char *alias;     /* another name for it, or NULL */
	const char *arg;       /* the argument's name in lists; NULL: takes none; "[NAME]": may be left out */
	const char *help;
	/* Run with the argument (or the whole line for :N): UI_* flags, UI_UNHANDLED when it is not this command. */
	int (*run)(struct ui *u, const struct command *c, const char *arg, struct ferry_err *err);
	enum pair_status status;   /* the status the status commands set */
};

/* :N goes to pair N, if the line is a number. */
static int
cmd_goto(struct ui *u, const struct command *c, const char *line, struct ferry_err *err)
{
	char *end;

	(void)c;
	if (line[0] < '0' || line[0] > '9')
		return UI_UNHANDLED;
	long long id = strtoll(line, &end, 10);
	if (*end != '\0')
		return UI_UNHANDLED;
	return redraw_unless_error(review_goto_id(u->r, id, err));
}

/* Progress of :match pending, to whoever drives the UI. */
static void
match_progress(size_t done, size_t total, void *arg)
{
	struct ui *u = arg;

	if (u->progress)
		u->progress(u, done, total);
}

/* :match pending */
static int
cmd_match_pending(struct ui *u, const struct command *c, const char *arg, struct ferry_err *err)
{
	(void)c;
	(void)arg;
	return redraw_unless_error(review_match_pending(u->r, match_progress, u, err));
}

/* :accept-above X */
static int
cmd_accept_above(struct ui *u, const struct command *c, const char *arg, struct ferry_err *err)
{
	char *end;
	int estimated = strncmp(arg, "p=", 2) == 0;
	double x = strtod(arg + 2 * estimated, &end);

	(void)c;
	if (*end || end == arg + 2 * estimated) {
		review_say(u->r, 1, ":accept-above needs a number, e.g. :accept-above 0.9 (a score) or "
			   ":accept-above p=0.95 (an estimated precision)");
		return UI_REDRAW;
	}
	if (!(x >= 0 && x <= 1)) {
		review_say(u->r, 1, ":accept-above: scores and precisions are from 0 to 1 (expected e.g. "
			   ":accept-above 0.9 or :accept-above p=0.95)");
		return UI_REDRAW;
	}
	return redraw_unless_error(review_accept_above(u->r, x, estimated, err));
}

/* :take N or :take NAME: adjudication takes a reviewer's version */
static int
cmd_take(struct ui *u, const struct command *c, const char *arg, struct ferry_err *err)
{
	char *end;
	long k = strtol(arg, &end, 10);

	(void)c;
	while (*arg == ' ')
		arg++;
	if (*arg == '\0') {
		review_say(u->r, 1, ":take needs a version's number or a reviewer's name, e.g. :take 1");
		return UI_REDRAW;
	}
	if (*end == '\0' && end != arg)
		return redraw_unless_error(review_take(u->r, k > 0 ? (size_t)k - 1 : FERRY_VERSIONS_MAX, err));
	return redraw_unless_error(review_take_named(u->r, arg, err));
}

/* :skip, :reject, :pending */
static int
cmd_status(struct ui *u, const struct command *c, const char *arg, struct ferry_err *err)
{
	(void)arg;
	return redraw_unless_error(review_set_status(u->r, c->status, err));
}

/* :flag [TEXT]: flagged, TEXT the reason */
static int
cmd_flag(struct ui *u, const struct command *c, const char *arg, struct ferry_err *err)
{
	(void)c;
	while (*arg == ' ')
		arg++;
	return redraw_unless_error(review_flag(u->r, arg, err));
}

/* :filter F */
static int
cmd_filter(struct ui *u, const struct command *c, const char *arg, struct ferry_err *err)
{
	(void)c;
	return redraw_unless_error(review_set_filter(u->r, arg, err));
}

/* :q */
static int
cmd_quit(struct ui *u, const struct command *c, const char *arg, struct ferry_err *err)
{
	(void)u;
	(void)c;
	(void)arg;
	(void)err;
	return UI_QUIT;
}

static const struct command commands[] = {
	{ .name = "", .arg = "N", .run = cmd_goto,
	  .help = "go to pair N (#N in the title bar), if the filter lists it" },
	{ .name = "match pending", .run = cmd_match_pending,
	  .help = "re-run the matcher on every pending pair of the project" },
	{ .name = "accept-above", .arg = "X|p=P", .run = cmd_accept_above,
	  .help = "accept every pending pair whose projections all score X or more, or (p=P) whose estimated "
		  "precision is P or more, 0-1 (one undo step)" },
	{ .name = "flag", .arg = "[TEXT]", .run = cmd_flag,
	  .help = "set the pair's status to flagged, TEXT its reason (shown on the pair, in ferry log and export)" },
	{ .name = "take", .arg = "N|NAME", .run = cmd_take,
	  .help = "adjudicating: make reviewer version N (or NAME's) the shared one (T opens :take)" },
	{ .name = "skip", .run = cmd_status, .status = STATUS_SKIPPED, .help = "set the pair's status to skipped" },
	{ .name = "reject", .run = cmd_status, .status = STATUS_REJECTED,
	  .help = "set the pair's status to rejected (the whole pair, unlike x)" },
	{ .name = "pending", .run = cmd_status, .status = STATUS_PENDING,
	  .help = "set the pair's status back to pending" },
	{ .name = "filter", .arg = "F", .run = cmd_filter, .help = "set the filter, as f does" },
	{ .name = "q", .alias = "quit", .run = cmd_quit, .help = "end the session" },
};

#define NCOMMANDS (sizeof commands / sizeof *commands)

/* The commands as typed, from the table. */
void
commands_list(struct buf *out, const char *sep)
{
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct command *c = &commands[i];
		buf_addf(out, "%s:%s%s%s", i ? sep : "", c->name, c->arg && c->name[0] ? " " : "",
			 c->arg ? c->arg : "");
	}
}

/* The argument of line for command c, or NULL when line is not c. */
static const char *
command_arg(const struct command *c, const char *line)
{
	size_t n = strlen(c->name);

	if (n == 0)
		return line;
	if (c->arg == NULL || (c->arg[0] == '[' && strcmp(line, c->name) == 0))
		return strcmp(line, c->name) == 0 || (c->alias && strcmp(line, c->alias) == 0) ? "" : NULL;
	return strncmp(line, c->name, n) == 0 && line[n] == ' ' ? line + n + 1 : NULL;
}

/* Run a `:` line (leading spaces ignored). */
static int
run_command(struct ui *u, const char *line, struct ferry_err *err)
{
	struct buf known = BUF_INIT;

	while (*line == ' ')
		line++;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const char *arg = command_arg(&commands[i], line);
		int f = arg ? commands[i].run(u, &commands[i], arg, err) : UI_UNHANDLED;
		if (f != UI_UNHANDLED)
			return f;
	}
	commands_list(&known, ", ");
	review_say(u->r, 1, "unknown command ':%s' (expected %s)", line, buf_cstr(&known));
	buf_release(&known);
	return UI_REDRAW;
}

/* ---- the prompt line ------------------------------------------------------- */

/* / searches the tokens (nothing typed: the last search again). */
static int
submit_search(struct ui *u, const char *in, struct ferry_err *err)
{
	return redraw_unless_error(review_find(u->r, in, err));
}

/* f sets the filter. */
static int
submit_filter(struct ui *u, const char *in, struct ferry_err *err)
{
	return redraw_unless_error(review_set_filter(u->r, in, err));
}

/* A label typed after : in the label picker (t, or + for a new span): the picker checks it. */
static int
submit_label(struct ui *u, const char *in, struct ferry_err *err)
{
	return labels_typed(u, in, err);
}

/* What the prompt line reads before the input, and what Enter does with it. */
static const struct {
	const char *text;
	int (*submit)(struct ui *u, const char *in, struct ferry_err *err);
} prompts[PROMPT_KIND_COUNT] = {
	[PROMPT_SEARCH]  = { "/", submit_search },
	[PROMPT_COMMAND] = { ":", run_command },
	[PROMPT_FILTER]  = { "filter: ", submit_filter },
	[PROMPT_LABEL]   = { "new label: ", submit_label },
	[PROMPT_ADD]     = { "label of the new span: ", submit_label },
};

/* The prompt line takes the keys. */
void
prompt_open(struct ui *u, enum prompt_kind k, const char *init)
{
	u->mode = MODE_PROMPT;
	u->prompt = k;
	snprintf(u->input, sizeof u->input, "%s", init ? init : "");
	u->input_len = strlen(u->input);
}

/* The prompt, the input and the cursor after it. */
void
prompt_draw(const struct ui *u, struct screen *s, int y)
{
	int w = screen_str(s, y, 0, s->cols, prompts[u->prompt].text, ELEM_STATUS);

	w += screen_text(s, y, w, s->cols - w, u->input, u->input_len, ELEM_STATUS);
	s->cur_y = y;
	s->cur_x = w < s->cols ? w : s->cols - 1;
}

/* Append a typed character to the input as UTF-8. */
static void
input_add(struct ui *u, int key)
{
	struct buf typed = BUF_INIT;

	key_label(key, &typed);
	if (key == '<' || key == ' ') {
		buf_reset(&typed);
		buf_addc(&typed, (char)key);
	}
	if (u->input_len + typed.len < sizeof u->input) {
		memcpy(u->input + u->input_len, typed.s, typed.len);
		u->input_len += typed.len;
		u->input[u->input_len] = '\0';
	}
	buf_release(&typed);
}

/* Take the last character (not byte) back out of the input. */
static void
input_erase(struct ui *u)
{
	while (u->input_len > 0 && ((unsigned char)u->input[u->input_len - 1] & 0xC0) == 0x80)
		u->input_len--;
	if (u->input_len > 0)
		u->input_len--;
	u->input[u->input_len] = '\0';
}

/* Type, erase, submit or cancel. */
int
prompt_request(struct ui *u, const struct request *rq, struct ferry_err *err)
{
	char in[sizeof u->input];

	switch (rq->act) {
	case ACT_CANCEL:
		u->mode = MODE_NORMAL;
		break;
	case ACT_SUBMIT:
		snprintf(in, sizeof in, "%s", u->input);
		u->mode = MODE_NORMAL;
		return prompts[u->prompt].submit(u, in, err);
	case ACT_ERASE:
		input_erase(u);
		break;
	case ACT_TYPE:
		input_add(u, rq->arg);
		break;
	default:
		break;
	}
	return UI_REDRAW;
}
