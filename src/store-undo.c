/*
 * store-undo.c — the correction log and what undo needs from it: log
 * entries, the review states (struct undo_state) they keep before and
 * after a reviewer's action with their one JSON form, putting a state
 * back, and finding the entry to undo or redo.
 *
 * The JSON of a state is written here in C and read back with SQLite's
 * JSON functions.  Its text must stay what the first ferry wrote, when
 * SQLite's json_object() built it: integers as they are, pin kinds and
 * labels as SQLite quotes a string (state_string), and the lexicon
 * changes, which ferry always wrote itself, with buf_add_json.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ferry/mem.h"
#include "store-int.h"

/* log.undone */
enum { LOG_ACTIVE, LOG_UNDONE, LOG_FORGOTTEN /* undone, and a later action means no redo */ };

/* The user the log names: $FERRY_USER, $USER, the login name, or the uid. */
const char *
store_user(void)
{
	static char name[256];
	const char *u = getenv("FERRY_USER");
	struct passwd *pw;

	if (u && *u)
		return u;
	if (name[0])
		return name;
	if ((u = getenv("USER")) && *u)
		snprintf(name, sizeof name, "%s", u);
	else if ((pw = getpwuid(getuid())) != NULL)
		snprintf(name, sizeof name, "%s", pw->pw_name);
	else
		snprintf(name, sizeof name, "uid%ld", (long)getuid());
	return name;
}

/* Append a log entry (the pair's version the edit saw and made with it). */
int64_t
store_log_add(ferry_store *st, int64_t pair, const char *action, const char *before,
	      const char *after, struct ferry_err *err)
{
	sqlite3_stmt *s = db_stmt(st, SHARED_VERSIONS(st) ? ST_LOG_ADD : ST_LOG_ADD_OLD, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, store_user(), -1, SQLITE_STATIC);
	if (pair > 0)
		sqlite3_bind_int64(s, 2, pair);
	sqlite3_bind_text(s, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, before, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, after, -1, SQLITE_STATIC);
	if (pair > 0 && st->edit_seen >= 0)
		sqlite3_bind_int64(s, 6, st->edit_seen);
	if (st->layer)
		sqlite3_bind_text(s, 7, st->layer, -1, SQLITE_STATIC);
	if (db_step_done(st, s, "writing the log", err) < 0)
		return -1;
	return sqlite3_last_insert_rowid(st->db);
}

/* Append a reviewer action with its states in their JSON form. */
int64_t
store_log_action(ferry_store *st, int64_t pair, const char *action, const struct undo_state *before,
		 const struct undo_state *after, struct ferry_err *err)
{
	struct buf before_json = BUF_INIT, after_json = BUF_INIT;
	int64_t id;

	undo_state_format(before, &before_json);
	undo_state_format(after, &after_json);
	id = store_log_add(st, pair, action, buf_cstr(&before_json), buf_cstr(&after_json), err);
	buf_release(&before_json);
	buf_release(&after_json);
	return id;
}

/* Call fn for each log entry in order. */
int
store_log_each(ferry_store *st, int (*fn)(const struct log_entry *, void *), void *arg,
	       struct ferry_err *err)
{
	sqlite3_stmt *s = db_stmt(st, ST_LOG_EACH, err);
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct log_entry e = {
			.id = sqlite3_column_int64(s, 0),
			.time = (const char *)sqlite3_column_text(s, 1),
			.user = (const char *)sqlite3_column_text(s, 2),
			.pair = sqlite3_column_int64(s, 3),
			.action = (const char *)sqlite3_column_text(s, 4),
			.before = (const char *)sqlite3_column_text(s, 5),
			.after = (const char *)sqlite3_column_text(s, 6),
			.undone = sqlite3_column_int(s, 7),
		};
		if (fn(&e, arg) != 0)
			break;
	}
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : db_err(st, rc, "reading the log", err);
}

/*
 * The reason a flagged pair carries: the comment of the newest active
 * reviewer entry of pair, when it is a JSON string (a forged or damaged
 * entry reads as none).  1 with it in out, 0 when there is none.
 */
int
store_pair_comment(ferry_store *st, int64_t pair, struct buf *out, struct ferry_err *err)
{
	sqlite3_stmt *s = db_stmt(st, ST_PAIR_COMMENT, err);
	int rc, got = 0;

	buf_reset(out);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, pair);
	if (st->layer)
		sqlite3_bind_text(s, 2, st->layer, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_TEXT) {
		size_t len;
		const char *t = db_col_text(s, 0, &len);
		buf_add(out, t, len);
		got = 1;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_err(st, rc, "reading the log", err);
	return got;
}

/* Call fn(pair, comment, arg) for every flagged pair with a comment, by pair, in one pass over the log. */
int
store_comments_each(ferry_store *st, int (*fn)(int64_t, const char *, void *), void *arg, struct ferry_err *err)
{
	/* the entries of this handle's layer (a project older than layers has only the shared one) */
	static const char sql[] =
		"SELECT l.pair, json_extract(l.after, '$.comment') FROM log l JOIN pair p ON p.id = l.pair "
		"WHERE l.id IN (SELECT max(id) FROM log WHERE before IS NOT NULL AND undone = 0 AND pair > 0 %s "
		"GROUP BY pair) AND p.status = ?1 AND json_valid(l.after) AND json_type(l.after, '$.comment') = 'text' "
		"ORDER BY l.pair";
	char *q = sqlite3_mprintf(sql, HAS_LAYERS(st) ? "AND layer IS ?2" : "");
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, q, -1, &s, NULL);

	sqlite3_free(q);
	if (rc != SQLITE_OK)
		return db_err(st, rc, "reading the log", err);
	sqlite3_bind_int(s, 1, STATUS_FLAGGED);
	if (st->layer)
		sqlite3_bind_text(s, 2, st->layer, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (fn(sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1), arg) != 0)
			break;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_err(st, rc, "reading the log", err);
}

/* Append an empty pair state. */
struct pair_state *
undo_state_add(struct undo_state *u)
{
	VEC_GROW(u->items, u->cap_items, u->n_items + 1);
	struct pair_state *s = &u->items[u->n_items++];
	memset(s, 0, sizeof *s);
	return s;
}

/* Append a lexicon change. */
void
undo_state_learn(struct undo_state *u, const char *src, const char *tgt, const char *label, double count)
{
	VEC_GROW(u->lex, u->cap_lex, u->n_lex + 1);
	struct lex_delta *d = &u->lex[u->n_lex++];
	d->src = xstrdup(src);
	d->tgt = xstrdup(tgt);
	d->label = xstrdup(label);
	d->count = count;
}

/* A new pin at the end of s's; the label is copied. */
static void
pair_state_pin(struct pair_state *s, enum pin_kind kind, int64_t entity, int64_t start, int64_t stop,
	       const char *label, size_t label_len)
{
	VEC_GROW(s->pins, s->cap_pins, s->n_pins + 1);
	struct state_pin *p = &s->pins[s->n_pins++];
	p->kind = kind;
	p->entity = entity;
	p->start = start;
	p->stop = stop;
	p->label = xstrndup(label, label_len);
}

/* Free a pair state's pins. */
void
pair_state_release(struct pair_state *s)
{
	for (size_t i = 0; i < s->n_pins; i++)
		free(s->pins[i].label);
	free(s->pins);
	memset(s, 0, sizeof *s);
}

/* Free the items and lexicon changes of a state. */
void
undo_state_release(struct undo_state *u)
{
	for (size_t i = 0; i < u->n_items; i++)
		pair_state_release(&u->items[i]);
	free(u->items);
	for (size_t i = 0; i < u->n_lex; i++) {
		free(u->lex[i].src);
		free(u->lex[i].tgt);
		free(u->lex[i].label);
	}
	free(u->lex);
	free(u->comment);
	memset(u, 0, sizeof *u);
}

/* Same status and the same pins in the same order. */
int
pair_state_equal(const struct pair_state *a, const struct pair_state *b)
{
	if (a->status != b->status || a->n_pins != b->n_pins)
		return 0;
	for (size_t i = 0; i < a->n_pins; i++) {
		const struct state_pin *p = &a->pins[i], *q = &b->pins[i];
		if (p->kind != q->kind || p->entity != q->entity || p->start != q->start || p->stop != q->stop ||
		    strcmp(p->label, q->label) != 0)
			return 0;
	}
	return 1;
}

/*
 * A string as SQLite's JSON functions write one: '"' and '\' escaped,
 * \b \t \n \f \r, other control bytes as \u00XX, every other byte as it
 * is (even one that is not UTF-8).
 */
static void
state_string(struct buf *out, const char *s)
{
	static const char brief[0x20] = { ['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n', ['\f'] = 'f', ['\r'] = 'r' };

	buf_addc(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			buf_addc(out, '\\');
			buf_addc(out, (char)c);
		} else if (c < 0x20 && brief[c]) {
			buf_addc(out, '\\');
			buf_addc(out, brief[c]);
		} else if (c < 0x20) {
			buf_addf(out, "\\u%04x", c);
		} else {
			buf_addc(out, (char)c);
		}
	}
	buf_addc(out, '"');
}

/* {"status":S,"pins":[...] of one pair, without the closing brace (a "lex" may follow). */
static void
format_pair(const struct pair_state *s, struct buf *out)
{
	buf_addf(out, "{\"status\":%d,\"pins\":[", (int)s->status);
	for (size_t i = 0; i < s->n_pins; i++) {
		const struct state_pin *p = &s->pins[i];
		buf_adds(out, i ? ",[" : "[");
		state_string(out, pin_kind_name(p->kind));
		buf_addf(out, ",%lld,%lld,%lld,", (long long)p->entity, (long long)p->start, (long long)p->stop);
		state_string(out, p->label);
		buf_addc(out, ']');
	}
	buf_addc(out, ']');
}

/* ,"lex":[["src","tgt","label",count],...] when u made lexicon changes. */
static void
format_lex(const struct undo_state *u, struct buf *out)
{
	if (u->n_lex == 0)
		return;
	buf_adds(out, ",\"lex\":[");
	for (size_t i = 0; i < u->n_lex; i++) {
		const struct lex_delta *d = &u->lex[i];
		buf_adds(out, i ? ",[" : "[");
		buf_add_json(out, d->src, strlen(d->src));
		buf_addc(out, ',');
		buf_add_json(out, d->tgt, strlen(d->tgt));
		buf_addc(out, ',');
		buf_add_json(out, d->label, strlen(d->label));
		buf_addf(out, ",%.17g]", d->count);
	}
	buf_addc(out, ']');
}

/* The one JSON form of a state (see store.h). */
void
undo_state_format(const struct undo_state *u, struct buf *out)
{
	static const struct pair_state empty;

	if (!u->bulk) {
		format_pair(u->n_items ? &u->items[0] : &empty, out);
		if (u->comment && *u->comment) {
			buf_adds(out, ",\"comment\":");
			buf_add_json(out, u->comment, strlen(u->comment));
		}
	} else {
		buf_adds(out, "{\"bulk\":[");
		for (size_t i = 0; i < u->n_items; i++) {
			buf_addf(out, "%s[%lld,", i ? "," : "", (long long)u->items[i].pair);
			format_pair(&u->items[i], out);
			buf_adds(out, "}]");
		}
		buf_addc(out, ']');
	}
	format_lex(u, out);
	buf_addc(out, '}');
}

/* A status read from the project: one no ferry writes (a forged file) is pending, as the iterator reads it. */
static enum pair_status
stored_status(int64_t v)
{
	return v >= 0 && v < STATUS_COUNT ? (enum pair_status)v : STATUS_PENDING;
}

/* Read a pair's status and pins with ss and ps (bound to the pair already), in the order they were made. */
static int
state_read(ferry_store *st, sqlite3_stmt *ss, sqlite3_stmt *ps, int64_t pair, struct pair_state *out,
	   struct ferry_err *err)
{
	int rc = sqlite3_step(ss);

	pair_state_release(out);
	out->pair = pair;
	if (rc == SQLITE_ROW)
		out->status = stored_status(sqlite3_column_int64(ss, 0));
	sqlite3_reset(ss);
	if (rc == SQLITE_DONE)
		return err_set(err, EX_DATAERR, "%s: pair %lld is not in the project", st->path, (long long)pair);
	if (rc != SQLITE_ROW)
		return db_err(st, rc, "reading a pair's state", err);
	while ((rc = sqlite3_step(ps)) == SQLITE_ROW) {
		size_t len;
		const char *label = db_col_text(ps, 4, &len);
		pair_state_pin(out, pin_kind_stored((const char *)sqlite3_column_text(ps, 0)),
			       sqlite3_column_int64(ps, 1), sqlite3_column_int64(ps, 2), sqlite3_column_int64(ps, 3),
			       label, len);
	}
	sqlite3_reset(ps);
	return rc == SQLITE_DONE ? 0 : db_err(st, rc, "reading a pair's state", err);
}

int
store_pair_state(ferry_store *st, int64_t pair, struct pair_state *out, struct ferry_err *err)
{
	sqlite3_stmt *ss = db_stmt(st, ST_PAIR_STATUS, err), *ps = ss ? db_stmt(st, ST_PAIR_PINS, err) : NULL;

	if (ps == NULL)
		return -1;
	sqlite3_bind_int64(ss, 1, pair);
	sqlite3_bind_int64(ps, 1, pair);
	return state_read(st, ss, ps, pair, out, err);
}

int
store_layer_state(ferry_store *st, const char *layer, int64_t pair, struct pair_state *out, struct ferry_err *err)
{
	sqlite3_stmt *ss = NULL, *ps = NULL;
	int rc = sqlite3_prepare_v2(st->db, "SELECT coalesce((SELECT status FROM main.lpair WHERE layer = ?2 AND "
				    "pair = ?1), 0) FROM main.pair WHERE id = ?1", -1, &ss, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(st->db, "SELECT kind, coalesce(entity, 0), coalesce(start, 0), "
					"coalesce(stop, 0), coalesce(label, '') FROM main.lpin WHERE layer = ?2 AND "
					"pair = ?1 ORDER BY id", -1, &ps, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(ss);
		return db_err(st, rc, "reading a reviewer's layer", err);
	}
	sqlite3_bind_int64(ss, 1, pair);
	sqlite3_bind_text(ss, 2, layer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ps, 1, pair);
	sqlite3_bind_text(ps, 2, layer, -1, SQLITE_STATIC);
	rc = state_read(st, ss, ps, pair, out, err);
	sqlite3_finalize(ss);
	sqlite3_finalize(ps);
	return rc;
}

/* A state from the log that cannot be read: what was expected. */
static int
damaged(ferry_store *st, const char *expected, struct ferry_err *err)
{
	return err_set(err, EX_DATAERR, "%s: a review state in the log is damaged (expected %s)",
		       st->path, expected);
}

/* Done with a statement over a state's JSON: reset it and let go of the text it was bound to. */
static void
json_done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/* Step a statement over a state's JSON: SQLITE_ROW, SQLITE_DONE, or -1 (err; the statement is done). */
static int
step_json(ferry_store *st, sqlite3_stmt *s, struct ferry_err *err)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	rc = db_err(st, rc, "reading a review state", err);
	json_done(s);
	return rc;
}

/* The columns of ST_STATE_HEAD: the JSON types of a state and of its members, and its status. */
enum { HEAD_TYPE, HEAD_STATUS, HEAD_PINS, HEAD_LEX, HEAD_BULK };

/* 1 when column c names the JSON type `type`. */
static int
is_type(sqlite3_stmt *s, int c, const char *type)
{
	const char *t = (const char *)sqlite3_column_text(s, c);

	return t != NULL && strcmp(t, type) == 0;
}

/* 1 when column c names the JSON type `type` or is NULL (a member that is not there). */
static int
type_or_absent(sqlite3_stmt *s, int c, const char *type)
{
	return sqlite3_column_type(s, c) == SQLITE_NULL || is_type(s, c, type);
}

/* Check that json is an object whose members have their types; a single state's status goes to *status. */
static int
parse_head(ferry_store *st, const char *json, int single, enum pair_status *status, struct ferry_err *err)
{
	sqlite3_stmt *s = db_stmt(st, ST_STATE_HEAD, err);
	char bad[64] = "";
	int64_t v;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, json, -1, SQLITE_STATIC);
	switch (step_json(st, s, err)) {
	case -1:
		return -1;
	case SQLITE_DONE:
		snprintf(bad, sizeof bad, "a JSON object");
		break;
	default:
		v = sqlite3_column_int64(s, HEAD_STATUS);
		if (!is_type(s, HEAD_TYPE, "object"))
			snprintf(bad, sizeof bad, "a JSON object");
		else if (single && (sqlite3_column_type(s, HEAD_STATUS) != SQLITE_INTEGER || v < 0 ||
				    v >= STATUS_COUNT))
			snprintf(bad, sizeof bad, "a \"status\" from 0 to %d", STATUS_COUNT - 1);
		else if (!type_or_absent(s, HEAD_LEX, "array") ||
			 !type_or_absent(s, single ? HEAD_PINS : HEAD_BULK, "array"))
			snprintf(bad, sizeof bad, "%s and \"lex\" as arrays", single ? "\"pins\"" : "\"bulk\"");
		else if (single)
			*status = (enum pair_status)v;
	}
	json_done(s);
	return bad[0] ? damaged(st, bad, err) : 0;
}

/* The pins of a single state's json: [kind, entity, start, stop, label] each. */
static int
parse_pins(ferry_store *st, const char *json, struct pair_state *out, struct ferry_err *err)
{
	sqlite3_stmt *s = db_stmt(st, ST_STATE_PINS, err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, json, -1, SQLITE_STATIC);
	while ((rc = step_json(st, s, err)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(s, 1);
		int k = sqlite3_column_type(s, 1) == SQLITE_TEXT ? pin_kind_parse(kind) : -1;
		size_t len;
		const char *label = db_col_text(s, 5, &len);
		if (k < 0 || sqlite3_column_type(s, 2) != SQLITE_INTEGER ||
		    sqlite3_column_type(s, 3) != SQLITE_INTEGER || sqlite3_column_type(s, 4) != SQLITE_INTEGER ||
		    sqlite3_column_type(s, 5) != SQLITE_TEXT) {
			json_done(s);
			return damaged(st, "pins [kind, entity, start, stop, label]", err);
		}
		pair_state_pin(out, (enum pin_kind)k, sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3),
			       sqlite3_column_int64(s, 4), label, len);
	}
	json_done(s);
	return rc < 0 ? -1 : 0;
}

/* One pair's state {"status":S,"pins":[...]} into out. */
static int
parse_pair(ferry_store *st, const char *json, int64_t pair, struct pair_state *out, struct ferry_err *err)
{
	out->pair = pair;
	if (parse_head(st, json, 1, &out->status, err) < 0)
		return -1;
	return parse_pins(st, json, out, err);
}

/* The items [pair, state] of a bulk state's json. */
static int
parse_bulk(ferry_store *st, const char *json, struct undo_state *out, struct ferry_err *err)
{
	sqlite3_stmt *s = db_stmt(st, ST_STATE_BULK, err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, json, -1, SQLITE_STATIC);
	while ((rc = step_json(st, s, err)) == SQLITE_ROW) {
		const char *item = (const char *)sqlite3_column_text(s, 3);
		if (sqlite3_column_type(s, 1) != SQLITE_INTEGER || sqlite3_column_int64(s, 1) <= 0 ||
		    !is_type(s, 2, "object") || item == NULL) {
			json_done(s);
			return damaged(st, "bulk items [pair, state]", err);
		}
		if (parse_pair(st, item, sqlite3_column_int64(s, 1), undo_state_add(out), err) < 0) {
			json_done(s);
			return -1;
		}
	}
	json_done(s);
	return rc < 0 ? -1 : 0;
}

/* The lexicon changes [src, tgt, label, count] of a state's json. */
static int
parse_lex(ferry_store *st, const char *json, struct undo_state *out, struct ferry_err *err)
{
	sqlite3_stmt *s = db_stmt(st, ST_STATE_LEX, err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, json, -1, SQLITE_STATIC);
	while ((rc = step_json(st, s, err)) == SQLITE_ROW) {
		int t = sqlite3_column_type(s, 4);
		if (sqlite3_column_type(s, 1) != SQLITE_TEXT || sqlite3_column_type(s, 2) != SQLITE_TEXT ||
		    sqlite3_column_type(s, 3) != SQLITE_TEXT || (t != SQLITE_INTEGER && t != SQLITE_FLOAT)) {
			json_done(s);
			return damaged(st, "lexicon changes [src, tgt, label, count]", err);
		}
		undo_state_learn(out, (const char *)sqlite3_column_text(s, 1), (const char *)sqlite3_column_text(s, 2),
				 (const char *)sqlite3_column_text(s, 3), sqlite3_column_double(s, 4));
	}
	json_done(s);
	return rc < 0 ? -1 : 0;
}

/* Read a state from the log back into a struct. */
int
store_state_parse(ferry_store *st, const char *json, int64_t pair, struct undo_state *out,
		  struct ferry_err *err)
{
	enum pair_status unused;
	int rc;

	undo_state_release(out);
	out->bulk = pair <= 0;
	if (out->bulk)
		rc = parse_head(st, json, 0, &unused, err) < 0 || parse_bulk(st, json, out, err) < 0 ? -1 : 0;
	else
		rc = parse_pair(st, json, pair, undo_state_add(out), err);
	if (rc == 0)
		rc = parse_lex(st, json, out, err);
	if (rc < 0)
		undo_state_release(out);
	return rc;
}

/* Replace a pair's pins and status with a state's. */
int
store_state_restore(ferry_store *st, const struct pair_state *ps, struct ferry_err *err)
{
	sqlite3_stmt *s = db_stmt(st, ST_PINS_CLEAR, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ps->pair);
	if (db_step_done(st, s, "editing", err) < 0)
		return -1;
	for (size_t i = 0; i < ps->n_pins; i++) {
		const struct state_pin *p = &ps->pins[i];
		if ((s = db_stmt(st, ST_PIN_RESTORE, err)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, ps->pair);
		sqlite3_bind_text(s, 2, pin_kind_name(p->kind), -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, p->entity);
		sqlite3_bind_int64(s, 4, p->start);
		sqlite3_bind_int64(s, 5, p->stop);
		sqlite3_bind_text(s, 6, p->label, -1, SQLITE_STATIC);
		if (db_step_done(st, s, "editing", err) < 0)
			return -1;
	}
	if ((s = db_stmt(st, ST_STATUS_RESTORE, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ps->pair);
	sqlite3_bind_int64(s, 2, ps->status);
	return db_step_done(st, s, "editing", err);
}

/* Apply a state's lexicon changes, times sign. */
int
store_state_lexicon(ferry_store *st, const struct undo_state *u, int sign, struct ferry_err *err)
{
	for (size_t i = 0; i < u->n_lex; i++) {
		const struct lex_delta *d = &u->lex[i];
		if (store_lexicon_bump(st, d->src, d->tgt, d->label, d->count * sign, err) < 0)
			return -1;
	}
	return 0;
}

/* The log entry undo or redo takes next, with its states. */
int
store_undo_find(ferry_store *st, const char *user, int redo, int64_t *log_id, int64_t *pair,
		struct undo_state *state, struct undo_state *after, struct ferry_err *err)
{
	static const char *const sql[2] = {
		"SELECT id, pair, before, after FROM log WHERE user = ?1 AND undone = ?2 AND before IS NOT NULL "
		"AND layer IS ?3 ORDER BY id DESC LIMIT 1",
		"SELECT id, pair, after, after FROM log WHERE user = ?1 AND undone = ?2 AND before IS NOT NULL "
		"AND layer IS ?3 ORDER BY id ASC LIMIT 1",
	};
	struct buf state_json = BUF_INIT, after_json = BUF_INIT;
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql[redo != 0], -1, &s, NULL), found = 0;

	if (rc != SQLITE_OK)
		return db_err(st, rc, "reading the log", err);
	sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, redo ? LOG_UNDONE : LOG_ACTIVE);
	if (st->layer)
		sqlite3_bind_text(s, 3, st->layer, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		size_t len;
		const char *t;
		*log_id = sqlite3_column_int64(s, 0);
		*pair = sqlite3_column_int64(s, 1);
		t = db_col_text(s, 2, &len);
		buf_add(&state_json, t, len);
		t = db_col_text(s, 3, &len);
		buf_add(&after_json, t, len);
		found = 1;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		found = db_err(st, rc, "reading the log", err);
	else if (found && (store_state_parse(st, buf_cstr(&state_json), *pair, state, err) < 0 ||
			   store_state_parse(st, buf_cstr(&after_json), *pair, after, err) < 0)) {
		undo_state_release(state);
		found = -1;
	}
	buf_release(&state_json);
	buf_release(&after_json);
	return found;
}

/* What a log entry did, for saying what undo undid. */
int
store_log_action_name(ferry_store *st, int64_t log_id, char *out, size_t cap, struct ferry_err *err)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT action FROM log WHERE id = ?1", -1, &s, NULL);

	out[0] = '\0';
	if (rc != SQLITE_OK)
		return db_err(st, rc, "reading the log", err);
	sqlite3_bind_int64(s, 1, log_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		size_t len;
		const char *t = db_col_text(s, 0, &len);
		snprintf(out, cap, "%.*s", (int)len, t);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_err(st, rc, "reading the log", err);
	return 0;
}

/* Mark an entry undone or active again. */
int
store_log_mark(ferry_store *st, int64_t log_id, int undone, struct ferry_err *err)
{
	return db_run(st, "UPDATE log SET undone = ?2 WHERE id = ?1", err, "ii", log_id,
		      (int64_t)(undone ? LOG_UNDONE : LOG_ACTIVE));
}

/* A new action: the user's undone entries are no longer redoable. */
int
store_log_forget_redo(ferry_store *st, const char *user, struct ferry_err *err)
{
	return db_run(st, "UPDATE log SET undone = ?2 WHERE user = ?1 AND undone = ?3 AND layer IS ?4", err, "siis",
		      user, (int64_t)LOG_FORGOTTEN, (int64_t)LOG_UNDONE, st->layer);
}

int
store_bulk_accepted(ferry_store *st, int64_t **ids, size_t *n, struct ferry_err *err)
{
	/* every active entry of this layer (the shared state's: layer NULL) naming a pair, the bulk ones
	   once per pair they hold; of each pair's newest, those that were a bulk accept */
	const char *mine = HAS_LAYERS(st) ? "layer IS ?1" : "?1 IS NULL";
	char *sql = sqlite3_mprintf(
		"WITH e AS (SELECT id, pair, 0 AS bulk FROM main.log WHERE coalesce(pair, 0) > 0 AND undone = 0 AND %s"
		" UNION ALL SELECT l.id, json_extract(j.value, '$[0]'), 1 FROM main.log l, json_each(l.after, '$.bulk') j"
		" WHERE coalesce(l.pair, 0) = 0 AND l.action = 'accept-above' AND l.undone = 0 AND %s"
		" AND json_valid(l.after))"
		" SELECT pair FROM (SELECT pair, bulk, max(id) FROM e GROUP BY pair) WHERE bulk = 1 ORDER BY pair",
		mine, HAS_LAYERS(st) ? "l.layer IS ?1" : "?1 IS NULL");
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	size_t cap = 0;

	sqlite3_free(sql);
	*n = 0;
	if (rc != SQLITE_OK)
		return db_err(st, rc, "reading the log", err);
	if (st->layer)
		sqlite3_bind_text(s, 1, st->layer, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		VEC_GROW(*ids, cap, *n + 1);
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_err(st, rc, "reading the log", err);
}
