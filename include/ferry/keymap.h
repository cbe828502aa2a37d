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
 *     theme NAME
 */
#ifndef FERRY_KEYMAP_H
#define FERRY_KEYMAP_H

#include <stddef.h>

#include "ferry/buf.h"
#include "ferry/err.h"

enum {
	KEY_BASE = 0x110000,
	KEY_ENTER_ = KEY_BASE, KEY_ESCAPE, KEY_TAB_, KEY_BTAB_, KEY_UP_, KEY_DOWN_, KEY_LEFT_,
	KEY_RIGHT_, KEY_PGUP, KEY_PGDN, KEY_HOME_, KEY_END_, KEY_BSPACE, KEY_DELETE, KEY_F1_,
	KEY_RESIZE_, KEY_MOUSE_, KEY_LAST_
};

#define KEY_CTRL(c) ((c) & 0x1f)

#define FERRY_ACTIONS(X) \
	X(CURSOR_LEFT,   "cursor-left",   "move the token cursor left") \
	X(CURSOR_RIGHT,  "cursor-right",  "move the token cursor right") \
	X(ENTITY_NEXT,   "entity-next",   "select the next entity") \
	X(ENTITY_PREV,   "entity-prev",   "select the previous entity") \
	X(PAIR_NEXT,     "pair-next",     "go to the next pair") \
	X(PAIR_PREV,     "pair-prev",     "go to the previous pair") \
	X(PENDING_NEXT,  "pending-next",  "go to the next pending pair") \
	X(PENDING_PREV,  "pending-prev",  "go to the previous pending pair") \
	X(FIRST,         "first",         "go to the first pair") \
	X(LAST,          "last",          "go to the last pair") \
	X(ACCEPT,        "accept",        "accept the pair as projected") \
	X(REJECT,        "reject",        "reject the selected projection") \
	X(CHOOSE,        "choose",        "take alternative 1-9 for the selected entity") \
	X(EDIT,          "edit",          "edit the span: h/l move its start, H/L its end, Enter keeps, Esc cancels") \
	X(LABEL,         "label",         "change the label of the selected projection") \
	X(DELETE,        "delete",        "delete the selected projection") \
	X(ADD,           "add",           "add a span by hand at the token cursor") \
	X(NO_COUNTERPART,"no-counterpart","mark the selected entity as having no counterpart") \
	X(RERUN,         "rerun",         "re-run the matcher on this pair") \
	X(UNDO,          "undo",          "undo the last action") \
	X(REDO,          "redo",          "redo what was undone") \
	X(SEARCH,        "search",        "search tokens") \
	X(SEARCH_NEXT,   "search-next",   "next search match") \
	X(SEARCH_PREV,   "search-prev",   "previous search match") \
	X(FILTER,        "filter",        "filter: all, a status, label=L or score<X") \
	X(ORDER,         "order",         "cycle the order: corpus, least margin, least score") \
	X(COMMAND,       "command",       "command line: :N, :match pending, :accept-above X, :flag, :skip") \
	X(ALIGN_VIEW,    "align-view",    "cycle the alignment view: off, links, matrix") \
	X(REDRAW,        "redraw",        "redraw the screen") \
	X(HELP,          "help",          "show or hide this help") \
	X(QUIT,          "quit",          "quit")

enum action {
#define X(id, name, help) ACT_##id,
	FERRY_ACTIONS(X)
#undef X
	ACT_COUNT, ACT_NONE = -1
};

const char *action_name(enum action a);
const char *action_help(enum action a);
/* Returns the action or ACT_NONE. */
enum action action_parse(const char *name);

struct keymap {
	enum action *map;        /* one entry per key below KEY_LAST_ ... sparse */
	size_t       cap;
	int          mouse;
	char         theme[64];
};

/* The default bindings. */
void keymap_init(struct keymap *km);
void keymap_release(struct keymap *km);
enum action keymap_lookup(const struct keymap *km, int key);
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
