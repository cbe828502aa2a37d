/*
 * keymap.h — keys, actions and their bindings.
 *
 * Actions come from one X-macro that also carries their help text, so the
 * help screen is generated from the table and cannot drift.  Keys are
 * Unicode code points, ASCII control codes (Ctrl-R is 0x12) or the KEY_*
 * values below; they are named as tmux names them ("<Enter>", "<C-r>").
 * Default bindings are a table; $XDG_CONFIG_HOME/ferry/config may rebind:
 *
 *     # comment
 *     bind KEY ACTION        e.g.  bind <C-n> pair-next
 *     unbind KEY
 *     mouse on|off
 *     accept-advances on|off   a accepts and goes to the next pending pair (on)
 *     theme NAME
 */
#ifndef FERRY_KEYMAP_H
#define FERRY_KEYMAP_H

#include <stddef.h>

#include "ferry/buf.h"
#include "ferry/err.h"

/*
 * Keys that are not characters, above every Unicode code point (tmux's
 * KEYC_ names; curses has its own KEY_ ones, which only tty.c sees).
 */
enum {
	KEYC_BASE = 0x110000,
	KEYC_ENTER = KEYC_BASE, KEYC_ESCAPE, KEYC_TAB, KEYC_BTAB, KEYC_UP, KEYC_DOWN, KEYC_LEFT,
	KEYC_RIGHT, KEYC_PGUP, KEYC_PGDN, KEYC_HOME, KEYC_END, KEYC_BSPACE, KEYC_DELETE, KEYC_F1,
	KEYC_RESIZE, KEYC_MOUSE, KEYC_LAST
};

#define KEYC_CTRL(c) ((c) & 0x1f)

/*
 * The bindable actions, in help order: id, name (for `bind`), the word
 * for it in the key hints of the bottom row (NULL: not there), help text.
 */
#define FERRY_ACTIONS(X) \
	X(CURSOR_LEFT,   "cursor-left",   NULL,     "move the token cursor left on screen (in right-to-left text: on to the next word)") \
	X(CURSOR_RIGHT,  "cursor-right",  NULL,     "move the token cursor right on screen (in right-to-left text: back a word)") \
	X(CURSOR_NEXT,   "cursor-next",   NULL,     "cursor to the next span, entity-aligned or unaligned word") \
	X(CURSOR_PREV,   "cursor-prev",   NULL,     "token cursor to the previous stop") \
	X(CURSOR_FIRST,  "cursor-first",  NULL,     "token cursor to the first token of the target") \
	X(CURSOR_LAST,   "cursor-last",   NULL,     "token cursor to the last token of the target") \
	X(ENTITY_NEXT,   "entity-next",   NULL,     "select the next entity") \
	X(ENTITY_PREV,   "entity-prev",   NULL,     "select the previous entity") \
	X(PAIR_NEXT,     "pair-next",     NULL,     "go to the next pair") \
	X(PAIR_PREV,     "pair-prev",     NULL,     "go to the previous pair") \
	X(PENDING_NEXT,  "pending-next",  NULL,     "go to the next pending pair") \
	X(PENDING_PREV,  "pending-prev",  NULL,     "go to the previous pending pair") \
	X(FIRST,         "first",         NULL,     "go to the first pair") \
	X(LAST,          "last",          NULL,     "go to the last pair") \
	X(ACCEPT,        "accept",        "accept", "accept the pair and go to the next pending one") \
	X(REJECT,        "reject",        "reject", "reject the selected projection") \
	X(CHOOSE,        "choose",        "alt",    "take alternative 1-9 for the selected entity") \
	X(EDIT,          "edit",          "edit",   "edit the span: h/l move its start, H/L its end (as on screen), t its label, Enter keeps, Esc cancels") \
	X(LABEL,         "label",         "label",  "relabel the selected projection: t, then the label's key") \
	X(DELETE,        "delete",        NULL,     "delete the selected projection") \
	X(ADD,           "add",           "add",    "add a span by hand at the token cursor") \
	X(NO_COUNTERPART,"no-counterpart","none",   "mark the selected entity as having no counterpart") \
	X(RERUN,         "rerun",         NULL,     "re-run the matcher on this pair") \
	X(UNDO,          "undo",          "undo",   "undo the last action") \
	X(REDO,          "redo",          NULL,     "redo what was undone") \
	X(SEARCH,        "search",        "search", "search tokens") \
	X(SEARCH_NEXT,   "search-next",   NULL,     "next search match") \
	X(SEARCH_PREV,   "search-prev",   NULL,     "previous search match") \
	X(FILTER,        "filter",        "filter", "filter: all, a status, label=L or score<X") \
	X(ORDER,         "order",         "order",  "cycle the order: corpus, least margin, least score") \
	X(TAKE,          "take",          NULL,     "adjudicating: take a reviewer's version (:take N or NAME)") \
	X(COMMAND,       "command",       NULL,     "command line: :N, :match pending, :accept-above X, :flag, :skip") \
	X(ALIGN_VIEW,    "align-view",    NULL,     "cycle the alignment view: off, links, matrix (# both directions, + one only)") \
	X(REDRAW,        "redraw",        NULL,     "redraw the screen") \
	X(HELP,          "help",          "help",   "show or hide this help") \
	X(QUIT,          "quit",          "quit",   "quit")

enum action {
#define X(id, name, hint, help) ACT_##id,
	FERRY_ACTIONS(X)
#undef X
	ACT_COUNT,
	/* on fixed keys, neither bindable nor in the help: */
	ACT_RESIZE = ACT_COUNT,          /* the terminal changed size (every mode) */
	ACT_SPAN_START_LEFT,             /* the span editor: h <Left>, l <Right>, H, L */
	ACT_SPAN_START_RIGHT,
	ACT_SPAN_END_LEFT,
	ACT_SPAN_END_RIGHT,
	ACT_SUBMIT,                      /* span editor, prompt, label picker: <Enter> */
	ACT_CANCEL,                      /* span editor, prompt, label picker: <Escape> */
	ACT_ERASE,                       /* prompt: <BSpace> */
	ACT_TYPE,                        /* prompt, label picker: a character typed (the request's arg) */
	ACT_SCROLL_DOWN,                 /* help: j <Down>; label picker: <Down> <Tab> */
	ACT_SCROLL_UP,                   /* help: k <Up>; label picker: <Up> <BTab> */
	ACT_NONE = -1
};

/*
 * Which keys apply: the bindings (defaults and config) in the pair view,
 * fixed keys in the span editor, on the prompt line, in the help and in
 * the label picker (whose letters are the labels' own: ACT_TYPE).
 */
enum key_mode { KEYMODE_NORMAL, KEYMODE_SPAN, KEYMODE_PROMPT, KEYMODE_HELP, KEYMODE_LABEL };

/*
 * A key resolved to what it asks for (tig's enum request).  arg is the
 * alternative a digit names for ACT_CHOOSE ('3' is 3) and the character
 * for ACT_TYPE; 0 otherwise.
 */
struct request {
	enum action act;
	int arg;
};

const char *action_name(enum action a);
const char *action_help(enum action a);
/* The word for a in the bottom row's key hints, or NULL. */
const char *action_hint(enum action a);
/* Returns the action or ACT_NONE. */
enum action action_parse(const char *name);

struct keymap {
	enum action *map;        /* one entry per key slot (keymap.c) */
	size_t       cap;
	size_t       chars_end;  /* the character slots ever bound are below this */
	int          mouse;
	int          accept_advances;    /* config accept-advances, on by default */
	char         theme[64];
};

/* The default bindings. */
void keymap_init(struct keymap *km);
void keymap_release(struct keymap *km);
/* What a key is bound to in the pair view, or ACT_NONE. */
enum action keymap_lookup(const struct keymap *km, int key);
/* What a key asks for in mode m (ACT_NONE: nothing). */
struct request keymap_resolve(const struct keymap *km, enum key_mode m, int key);
/* The keys bound to action a, as "h <Left>", into out. */
void keymap_keys_of(const struct keymap *km, enum action a, struct buf *out);

/*
 * Apply a config file's text (named `file` in messages).  Bad lines are
 * errors with FILE:LINE:COL.  Returns 0 or -1.
 */
int keymap_load(struct keymap *km, const char *text, size_t len, const char *file,
		struct ferry_err *err);

/* Parse one key name ("x", "<C-r>", "<Enter>", "<lt>"); length consumed or 0. */
size_t key_parse(const char *s, size_t len, int *key);
/* The tmux-style name of a key, into out. */
void key_label(int key, struct buf *out);

/*
 * Parse a --keys script: characters stand for themselves, <Name> for
 * special keys, newlines are ignored.  Keys are appended to *keys.
 */
int keys_parse_script(const char *text, size_t len, const char *file, int **keys, size_t *n,
		      struct ferry_err *err);

#endif
