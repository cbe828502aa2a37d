/*
 * keymap.c — actions, key names, default bindings, the fixed keys of the
 * span editor, prompt and help, the config file.
 *
 * The bindings are one array indexed by key slot: characters of the Basic
 * Multilingual Plane (below SLOT_SPECIAL) as themselves, then the KEYC_
 * keys.  Characters above the BMP (emoji) cannot be bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/conf.h"
#include "ferry/keymap.h"
#include "ferry/mem.h"
#include "ferry/text.h"

static const char *const act_names[ACT_COUNT] = {
#define X(id, name, hint, help) name,
	FERRY_ACTIONS(X)
#undef X
};

static const char *const act_hints[ACT_COUNT] = {
#define X(id, name, hint, help) hint,
	FERRY_ACTIONS(X)
#undef X
};

static const char *const act_help[ACT_COUNT] = {
#define X(id, name, hint, help) help,
	FERRY_ACTIONS(X)
#undef X
};

enum { SLOT_SPECIAL = 0x10000, SLOT_COUNT = SLOT_SPECIAL + (KEYC_LAST - KEYC_BASE) };

/* The name of a bindable action, as `bind` takes it. */
const char *
action_name(enum action a)
{
	return a >= 0 && a < ACT_COUNT ? act_names[a] : "none";
}

/* The help text of a bindable action. */
const char *
action_help(enum action a)
{
	return a >= 0 && a < ACT_COUNT ? act_help[a] : "";
}

/* The word of an action in the key hints, NULL for most. */
const char *
action_hint(enum action a)
{
	return a >= 0 && a < ACT_COUNT ? act_hints[a] : NULL;
}

/* A bindable action by name. */
enum action
action_parse(const char *name)
{
	for (int i = 0; i < ACT_COUNT; i++)
		if (strcmp(act_names[i], name) == 0)
			return (enum action)i;
	return ACT_NONE;
}

static const struct { const char *name; int key; } key_names[] = {
	{ "Enter", KEYC_ENTER }, { "Escape", KEYC_ESCAPE }, { "Tab", KEYC_TAB }, { "BTab", KEYC_BTAB },
	{ "Up", KEYC_UP }, { "Down", KEYC_DOWN }, { "Left", KEYC_LEFT }, { "Right", KEYC_RIGHT },
	{ "PageUp", KEYC_PGUP }, { "PageDown", KEYC_PGDN }, { "PgUp", KEYC_PGUP }, { "PgDn", KEYC_PGDN },
	{ "Home", KEYC_HOME }, { "End", KEYC_END }, { "BSpace", KEYC_BSPACE }, { "DC", KEYC_DELETE },
	{ "F1", KEYC_F1 }, { "Space", ' ' }, { "lt", '<' },
};

/* A key name at s: its length, or 0. */
size_t
key_parse(const char *s, size_t len, int *key)
{
	if (len == 0)
		return 0;
	if (s[0] == '<') {
		const char *end = memchr(s, '>', len);
		if (end && end > s + 1) {
			size_t n = (size_t)(end - s - 1);
			const char *name = s + 1;
			if (n == 3 && name[0] == 'C' && name[1] == '-' && name[2] >= 'a' && name[2] <= 'z') {
				*key = KEYC_CTRL(name[2]);
				return n + 2;
			}
			for (size_t i = 0; i < sizeof key_names / sizeof *key_names; i++)
				if (strlen(key_names[i].name) == n && memcmp(key_names[i].name, name, n) == 0) {
					*key = key_names[i].key;
					return n + 2;
				}
			return 0;
		}
		*key = '<';
		return 1;
	}
	/* one well-formed UTF-8 character, not a control one: those have
	   names (<Tab>, <C-x>, <Escape>) */
	size_t n = utf8_seq_len(s, len), i = 0;
	if (n == 0)
		return 0;
	int32_t cp = text_utf8_next(s, n, &i);
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	*key = cp;
	return n;
}

/* The name of a key: <Name>, <C-x>, or the character as UTF-8. */
void
key_label(int key, struct buf *out)
{
	for (size_t i = 0; i < sizeof key_names / sizeof *key_names; i++)
		if (key_names[i].key == key && key != '<') {
			buf_addf(out, "<%s>", key_names[i].name);
			return;
		}
	if (key == '<') {
		buf_adds(out, "<lt>");
	} else if (key < 0x20) {
		buf_addf(out, "<C-%c>", key + 'a' - 1);
	} else {
		buf_add_utf8(out, (unsigned long)key);
	}
}

/* The slot of a key in the bindings, or -1 for a key that cannot be bound. */
static long
key_slot(int key)
{
	if (key < 0 || (key >= SLOT_SPECIAL && key < KEYC_BASE) || key >= KEYC_LAST)
		return -1;
	return key >= KEYC_BASE ? SLOT_SPECIAL + (long)(key - KEYC_BASE) : (long)key;
}

/* The key of a slot. */
static int
slot_key(size_t slot)
{
	return slot >= SLOT_SPECIAL ? KEYC_BASE + (int)(slot - SLOT_SPECIAL) : (int)slot;
}

/* Bind a key (ACT_NONE unbinds it); keys that cannot be bound are ignored. */
static void
bind(struct keymap *km, int key, enum action a)
{
	long slot = key_slot(key);

	if (slot < 0)
		return;
	km->map[slot] = a;
	if (slot < SLOT_SPECIAL && (size_t)slot >= km->chars_end)
		km->chars_end = (size_t)slot + 1;
}

/* The binding of a key. */
enum action
keymap_lookup(const struct keymap *km, int key)
{
	long slot = key_slot(key);

	return slot >= 0 && (size_t)slot < km->cap ? km->map[slot] : ACT_NONE;
}

/* The fixed keys of a mode other than the pair view's. */
struct fixed_key {
	int key;
	enum action a;
};

static const struct fixed_key span_keys[] = {
	{ 't', ACT_LABEL },
	{ 'h', ACT_SPAN_START_LEFT }, { KEYC_LEFT, ACT_SPAN_START_LEFT },
	{ 'l', ACT_SPAN_START_RIGHT }, { KEYC_RIGHT, ACT_SPAN_START_RIGHT },
	{ 'H', ACT_SPAN_END_LEFT }, { 'L', ACT_SPAN_END_RIGHT }, { KEYC_ESCAPE, ACT_CANCEL },
	{ KEYC_ENTER, ACT_SUBMIT }, { '\r', ACT_SUBMIT }, { '\n', ACT_SUBMIT }, { 0, ACT_NONE },
};

static const struct fixed_key prompt_keys[] = {
	{ KEYC_ESCAPE, ACT_CANCEL }, { KEYC_ENTER, ACT_SUBMIT }, { '\r', ACT_SUBMIT }, { '\n', ACT_SUBMIT },
	{ KEYC_BSPACE, ACT_ERASE }, { 0x7f, ACT_ERASE }, { 0x08, ACT_ERASE }, { 0, ACT_NONE },
};

static const struct fixed_key help_keys[] = {
	{ 'j', ACT_SCROLL_DOWN }, { KEYC_DOWN, ACT_SCROLL_DOWN },
	{ 'k', ACT_SCROLL_UP }, { KEYC_UP, ACT_SCROLL_UP }, { 0, ACT_NONE },
};

static const struct fixed_key label_keys[] = {
	{ KEYC_ESCAPE, ACT_CANCEL }, { KEYC_ENTER, ACT_SUBMIT }, { '\r', ACT_SUBMIT }, { '\n', ACT_SUBMIT },
	{ KEYC_DOWN, ACT_SCROLL_DOWN }, { KEYC_TAB, ACT_SCROLL_DOWN },
	{ KEYC_UP, ACT_SCROLL_UP }, { KEYC_BTAB, ACT_SCROLL_UP }, { 0, ACT_NONE },
};

/* A key in a fixed table. */
static enum action
fixed_lookup(const struct fixed_key *t, int key)
{
	for (; t->key; t++)
		if (t->key == key)
			return t->a;
	return ACT_NONE;
}

/* A key to a request: the resize first, then the keys of the mode. */
struct request
keymap_resolve(const struct keymap *km, enum key_mode m, int key)
{
	struct request rq = { ACT_NONE, 0 };

	if (key == KEYC_RESIZE) {
		rq.act = ACT_RESIZE;
		return rq;
	}
	switch (m) {
	case KEYMODE_NORMAL:
		rq.act = keymap_lookup(km, key);
		if (rq.act == ACT_CHOOSE)
			rq.arg = key - '0';
		break;
	case KEYMODE_SPAN:
		rq.act = fixed_lookup(span_keys, key);
		break;
	case KEYMODE_PROMPT:
		rq.act = fixed_lookup(prompt_keys, key);
		if (rq.act == ACT_NONE && key >= 0x20 && key < KEYC_BASE) {
			rq.act = ACT_TYPE;
			rq.arg = key;
		}
		break;
	case KEYMODE_HELP:
		rq.act = fixed_lookup(help_keys, key);
		break;
	case KEYMODE_LABEL:
		rq.act = fixed_lookup(label_keys, key);
		if (rq.act == ACT_NONE && key > 0x20 && key < KEYC_BASE) {
			rq.act = ACT_TYPE;
			rq.arg = key;
		}
		break;
	}
	return rq;
}

/* The default bindings (tig's, vi's and less's habits). */
void
keymap_init(struct keymap *km)
{
	static const struct { int key; enum action a; } defaults[] = {
		{ 'h', ACT_CURSOR_LEFT }, { KEYC_LEFT, ACT_CURSOR_LEFT },
		{ 'l', ACT_CURSOR_RIGHT }, { KEYC_RIGHT, ACT_CURSOR_RIGHT },
		{ 'w', ACT_CURSOR_NEXT }, { 'b', ACT_CURSOR_PREV }, { '0', ACT_CURSOR_FIRST }, { '$', ACT_CURSOR_LAST },
		{ 'j', ACT_ENTITY_NEXT }, { KEYC_DOWN, ACT_ENTITY_NEXT }, { KEYC_TAB, ACT_ENTITY_NEXT },
		{ 'k', ACT_ENTITY_PREV }, { KEYC_UP, ACT_ENTITY_PREV }, { KEYC_BTAB, ACT_ENTITY_PREV },
		{ ']', ACT_PAIR_NEXT }, { KEYC_PGDN, ACT_PAIR_NEXT },
		{ '[', ACT_PAIR_PREV }, { KEYC_PGUP, ACT_PAIR_PREV },
		{ '}', ACT_PENDING_NEXT }, { '{', ACT_PENDING_PREV },
		{ 'g', ACT_FIRST }, { KEYC_HOME, ACT_FIRST }, { 'G', ACT_LAST }, { KEYC_END, ACT_LAST },
		{ 'a', ACT_ACCEPT }, { 'x', ACT_REJECT },
		{ '1', ACT_CHOOSE }, { '2', ACT_CHOOSE }, { '3', ACT_CHOOSE }, { '4', ACT_CHOOSE },
		{ '5', ACT_CHOOSE }, { '6', ACT_CHOOSE }, { '7', ACT_CHOOSE }, { '8', ACT_CHOOSE },
		{ '9', ACT_CHOOSE },
		{ 'e', ACT_EDIT }, { 't', ACT_LABEL }, { 'd', ACT_DELETE }, { '+', ACT_ADD },
		{ '!', ACT_NO_COUNTERPART }, { 'r', ACT_RERUN }, { 'u', ACT_UNDO },
		{ KEYC_CTRL('r'), ACT_REDO }, { '/', ACT_SEARCH }, { 'n', ACT_SEARCH_NEXT },
		{ 'N', ACT_SEARCH_PREV }, { 'f', ACT_FILTER }, { 'o', ACT_ORDER }, { ':', ACT_COMMAND },
		{ 'T', ACT_TAKE },
		{ 'm', ACT_ALIGN_VIEW }, { KEYC_CTRL('l'), ACT_REDRAW }, { '?', ACT_HELP },
		{ KEYC_F1, ACT_HELP }, { 'q', ACT_QUIT },
	};

	memset(km, 0, sizeof *km);
	km->cap = SLOT_COUNT;
	km->map = xmalloc(km->cap * sizeof *km->map);
	for (size_t i = 0; i < km->cap; i++)
		km->map[i] = ACT_NONE;
	for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++)
		bind(km, defaults[i].key, defaults[i].a);
	snprintf(km->theme, sizeof km->theme, "default");
	km->accept_advances = 1;
}

/* Free the bindings. */
void
keymap_release(struct keymap *km)
{
	free(km->map);
	memset(km, 0, sizeof *km);
}

/* The slot after `slot` worth looking at: past the last character ever bound come the KEYC_ keys. */
static size_t
next_slot(const struct keymap *km, size_t slot)
{
	return slot + 1 == km->chars_end ? SLOT_SPECIAL : slot + 1;
}

/*
 * The keys of an action in slot order, 1-9 as one.  Only the character
 * slots that were ever bound are looked at: the hints and the help ask
 * on every redraw, and the BMP has 65,536 slots.
 */
void
keymap_keys_of(const struct keymap *km, enum action a, struct buf *out)
{
	int any = 0, digits = 0;

	for (int d = '1'; d <= '9'; d++)
		digits += keymap_lookup(km, d) == a;
	if (digits == 9) {
		buf_adds(out, "1-9");
		any = 1;
	}
	for (size_t slot = 0; slot < km->cap; slot = next_slot(km, slot)) {
		if (km->map[slot] != a || (digits == 9 && slot >= '1' && slot <= '9'))
			continue;
		if (any++)
			buf_addc(out, ' ');
		key_label(slot_key(slot), out);
	}
}

/* bind KEY ACTION */
static int
conf_bind(struct keymap *km, const struct conf_line *l, struct ferry_err *err)
{
	char name[64];
	size_t n;
	const char *w = conf_field(l, 1, &n);
	int key;

	if (key_parse(w, n, &key) != n)
		return conf_error(l, 1, err, "unknown key", "a character or a name such as <Enter> or <C-r>");
	w = conf_field(l, 2, &n);
	snprintf(name, sizeof name, "%.*s", (int)n, w);
	enum action a = action_parse(name);
	if (a == ACT_NONE)
		return conf_error(l, 2, err, "unknown action", "one listed by ? in ferry review");
	bind(km, key, a);
	return 0;
}

/* One line of the keys config. */
static int
conf_keymap_line(void *arg, const struct conf_line *l, struct ferry_err *err)
{
	struct keymap *km = arg;
	size_t nf = l->f->n, n = 0;
	const char *w = nf > 1 ? conf_field(l, 1, &n) : NULL;
	int key;

	if (conf_is(l, 0, "bind") && nf == 3)
		return conf_bind(km, l, err);
	if (conf_is(l, 0, "unbind") && nf == 2) {
		if (key_parse(w, n, &key) != n)
			return conf_error(l, 1, err, "unknown key", "a character or a name such as <Enter>");
		bind(km, key, ACT_NONE);
	} else if (conf_is(l, 0, "mouse") && nf == 2 && (conf_is(l, 1, "on") || conf_is(l, 1, "off"))) {
		km->mouse = conf_is(l, 1, "on");
	} else if (conf_is(l, 0, "accept-advances") && nf == 2 && (conf_is(l, 1, "on") || conf_is(l, 1, "off"))) {
		km->accept_advances = conf_is(l, 1, "on");
	} else if (conf_is(l, 0, "theme") && nf == 2 && n < sizeof km->theme) {
		snprintf(km->theme, sizeof km->theme, "%.*s", (int)n, w);
	} else {
		return conf_error(l, CONF_WHOLE_LINE, err, "cannot read",
				  "bind KEY ACTION, unbind KEY, mouse on|off, accept-advances on|off or theme NAME");
	}
	return 0;
}

/* Apply a config file, line by line. */
int
keymap_load(struct keymap *km, const char *text, size_t len, const char *file, struct ferry_err *err)
{
	return conf_parse(text, len, file, conf_keymap_line, km, err);
}

/* The keys of a --keys script. */
int
keys_parse_script(const char *text, size_t len, const char *file, int **keys, size_t *n,
		  struct ferry_err *err)
{
	size_t i = 0, cap = 0;
	long line = 1, col = 1;
	char quoted[ERR_QUOTE_MAX];

	*keys = NULL;
	*n = 0;
	while (i < len) {
		int key;
		if (text[i] == '\n' || (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')) {
			i += text[i] == '\r' ? 2 : 1;
			line++;
			col = 1;
			continue;
		}
		size_t k = key_parse(text + i, len - i, &key);
		if (k == 0) {
			const char *end = memchr(text + i, '>', len - i);
			size_t l = text[i] == '<' && end ? (size_t)(end - (text + i)) + 1 : 1;
			free(*keys);
			*keys = NULL;
			*n = 0;
			return err_at(err, EX_DATAERR, file, line, col,
				      "unknown key '%s' (expected a character, <lt> for '<', or a tmux key name "
				      "such as <Enter> or <C-r>)", err_quote(quoted, sizeof quoted, text + i, l));
		}
		VEC_GROW(*keys, cap, *n + 1);
		(*keys)[(*n)++] = key;
		i += k;
		col++;
	}
	return 0;
}
