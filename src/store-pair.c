/*
 * store-pair.c — pairs in and out of the project: adding them (import),
 * walking them in order with their entities, gold, projections and pins
 * (every command), decoding the stored columns (any thread), replacing
 * projections (match, review) and the lists of pair ids a review walks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/align.h"
#include "ferry/mem.h"
#include "store-int.h"

/*
 * The statement that inserts the next rows of a multi-row INSERT, left
 * rows to go: first + k - 1 inserts k (enum stmt_id), up to SPAN_ROWS_MAX;
 * their count into *k.
 */
static sqlite3_stmt *
rows_stmt(ferry_store *st, enum stmt_id first, size_t left, size_t *k, struct ferry_err *err)
{
	*k = left < SPAN_ROWS_MAX ? left : SPAN_ROWS_MAX;
	return db_stmt(st, (enum stmt_id)(first + (int)*k - 1), err);
}

/*
 * Insert the spans of a pair (entities or gold), up to SPAN_ROWS_MAX in
 * a statement (rows_stmt): a statement's own cost was most of a row's.
 * The rows of one INSERT get their row ids in order, each one
 * more than the largest before (a rowid table without AUTOINCREMENT whose
 * ids are far from 2^63), so the k ids of a statement end at the last one
 * inserted; they go to ids.
 */
static int
add_spans(ferry_store *st, enum stmt_id id, int64_t pair, const struct spans *sp,
	  int64_t *ids, struct ferry_err *err)
{
	for (size_t i = 0, k; i < sp->n; i += k) {
		sqlite3_stmt *s = rows_stmt(st, id, sp->n - i, &k, err);
		if (s == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, pair);
		for (size_t j = 0; j < k; j++) {
			const struct span *v = &sp->v[i + j];
			sqlite3_bind_int64(s, (int)(2 + 3 * j), v->start);
			sqlite3_bind_int64(s, (int)(3 + 3 * j), v->end);
			sqlite3_bind_text(s, (int)(4 + 3 * j), v->label, -1, SQLITE_STATIC);
		}
		if (db_step_done(st, s, "adding an entity", err) < 0)
			return -1;
		int64_t last = sqlite3_last_insert_rowid(st->db);
		for (size_t j = 0; ids && j < k; j++)
			ids[i + j] = last - (int64_t)(k - 1 - j);
	}
	return 0;
}

/* The links store_pair_add writes in column c of pair p, NULL when it writes none. */
static const struct links *
written_links(const struct pair *p, enum pair_col c)
{
	switch (c) {
	case COL_FWD:    return &p->fwd;
	case COL_REV:    return p->has_rev ? &p->rev : NULL;
	case COL_SRC_BT: return p->has_bt ? &p->src_bt : NULL;
	case COL_BT_TGT: return p->has_bt ? &p->bt_tgt : NULL;
	default:         return NULL;
	}
}

void
store_pair_encode(struct pair *p)
{
	struct buf room = { .s = p->raw.text, .len = 0, .cap = p->raw.cap };

	p->raw.encoded = 0;
	for (int c = 0; c < COL_COUNT; c++) {
		const struct links *l = written_links(p, (enum pair_col)c);
		if (l == NULL)
			continue;
		p->raw.off[c] = room.len;
		align_encode(l, &room);
		p->raw.n[c] = room.len - p->raw.off[c];
		p->raw.encoded |= 1u << c;
	}
	p->raw.text = room.s;
	p->raw.cap = room.cap;
	p->raw.len = room.len;
}

/* Bind column c's links as parameter i: encoded already (store_pair_encode), or now in room. */
static void
bind_links(sqlite3_stmt *s, int i, const struct pair *p, enum pair_col c, struct buf *room)
{
	if (p->raw.encoded & (1u << c))
		sqlite3_bind_blob(s, i, p->raw.text + p->raw.off[c], (int)p->raw.n[c], SQLITE_STATIC);
	else
		db_bind_links(s, i, written_links(p, c), room);
}

/*
 * Append a pair with its entities and gold.  Its links are stored in
 * binary form (align_encode); the symmetrised ones are not stored at all
 * (a column of no bytes) but made again when the pair is read: from fwd
 * and rev by the project's recorded method, or fwd itself without rev,
 * just as import made them.
 */
int
store_pair_add(ferry_store *st, struct pair *p, struct ferry_err *err)
{
	sqlite3_stmt *s = db_stmt(st, ST_PAIR_ADD, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, p->src.text ? p->src.text : "", (int)p->src.len, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, p->tgt.text ? p->tgt.text : "", (int)p->tgt.len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, p->src.n);
	sqlite3_bind_int64(s, 4, p->tgt.n);
	if (p->has_bt)
		sqlite3_bind_text(s, 5, p->bt.text ? p->bt.text : "", (int)p->bt.len, SQLITE_STATIC);
	bind_links(s, 6, p, COL_FWD, &st->fwd);
	if (p->has_rev)
		bind_links(s, 7, p, COL_REV, &st->rev);
	sqlite3_bind_zeroblob(s, 8, 0);
	if (p->has_bt) {
		bind_links(s, 9, p, COL_SRC_BT, &st->src_bt);
		bind_links(s, 10, p, COL_BT_TGT, &st->bt_tgt);
	}
	if (p->has_ner) {
		sqlite3_bind_text(s, 11, p->ner_tags.text ? p->ner_tags.text : "", (int)p->ner_tags.len, SQLITE_STATIC);
		sqlite3_bind_text(s, 12, p->ner_probs.text ? p->ner_probs.text : "", (int)p->ner_probs.len, SQLITE_STATIC);
	}
	sqlite3_bind_int(s, 13, p->has_gold);
	if (db_step_done(st, s, "adding a pair", err) < 0)
		return -1;
	p->id = sqlite3_last_insert_rowid(st->db);
	VEC_GROW(p->ent_ids, p->ent_ids_cap, p->ents.n);
	if (add_spans(st, ST_ENTITY_ADD, p->id, &p->ents, p->ent_ids, err) < 0)
		return -1;
	return add_spans(st, ST_GOLD_ADD, p->id, &p->gold, NULL, err);
}

/* The number of pairs (the last id: ids are 1..N). */
int64_t
store_pair_count(ferry_store *st, struct ferry_err *err)
{
	sqlite3_stmt *s = db_stmt(st, ST_PAIR_COUNT, err);
	int64_t n = -1;

	if (s == NULL)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	else
		db_err(st, sqlite3_errcode(st->db), "counting pairs", err);
	sqlite3_reset(s);
	return n;
}

/*
 * Iteration is a merge join: one ordered cursor over the pairs and one per
 * child table (entities, gold, projections), each ordered by pair; the
 * children are advanced in step, so a whole export reads each table once.
 */
enum child { CH_ENT, CH_GOLD, CH_PROJ, CH_PIN, CH_COUNT };

struct store_iter {
	ferry_store  *st;
	unsigned      load;
	int           sym_method;           /* the project's symmetrisation, -1: none recorded */
	sqlite3_stmt *pairs;
	sqlite3_stmt *child[CH_COUNT];
	int           child_row[CH_COUNT];  /* 1: the cursor holds an unread row */
	struct source_cursor *sources;      /* LOAD_SOURCES on a project that has them */
	int           done;                 /* the last pair was read: SQLite would start over */
};

static const char *const child_sql[CH_COUNT] = {
	"SELECT pair, start, stop, label, id FROM entity WHERE pair BETWEEN ?1 AND ?2 ORDER BY pair, start",
	"SELECT pair, start, stop, label FROM gold WHERE pair BETWEEN ?1 AND ?2 ORDER BY pair, start",
	"SELECT pair, start, stop, label, coalesce(entity, 0), score, margin, method, origin, support "
	"FROM projection WHERE pair BETWEEN ?1 AND ?2 ORDER BY pair, start",
	"SELECT pair, coalesce(start, 0), coalesce(stop, 1), coalesce(label, ''), coalesce(entity, 0), "
	"kind, id FROM pin WHERE pair BETWEEN ?1 AND ?2 ORDER BY pair, id",
};

/*
 * The pair query, from its version, its two texts and the rest of its
 * columns (pair_sql): the version from pair_version where a pair has a
 * row (schema 6), pair.version before and in a layer's view, or none
 * (LOAD_NO_VERSION: 0, no look-up for each pair); with one side's text
 * alone and no version as well, the other columns are not even read, nor
 * the back-translation's with LOAD_NO_BT.
 */
static const char pairs_sql[] =
	"SELECT id, status, %s, %s, %s, %s, %s, %s, %s, has_gold, nsrc, ntgt FROM %s "
	"WHERE id BETWEEN ?1 AND ?2 AND (?3 = 0 OR (?3 >> status) & 1) ORDER BY id";

/* The pair query for st and load into sql (room for pairs_sql and its longest pieces). */
static void
pair_sql(const ferry_store *st, unsigned load, char *sql, size_t room)
{
	int none = (load & LOAD_NO_VERSION) != 0, joined = !none && SHARED_VERSIONS(st);
	int one_side = none && (load & (LOAD_SRC_ONLY | LOAD_TGT_ONLY)) && !(load & (LOAD_ALIGN | LOAD_NER));
	int no_bt = one_side || (load & LOAD_NO_BT);

	snprintf(sql, room, pairs_sql, none ? "0" : joined ? "coalesce(v.version, 0)" : "version",
		 one_side && (load & LOAD_TGT_ONLY) ? "NULL" : "src", one_side && (load & LOAD_SRC_ONLY) ? "NULL" : "tgt",
		 no_bt ? "NULL" : "bt", one_side ? "NULL, NULL, NULL" : "align_fwd, align_rev, align_sym",
		 no_bt ? "NULL, NULL" : "align_src_bt, align_bt_tgt", one_side ? "NULL, NULL" : "ner_tags, ner_probs",
		 joined ? "pair p LEFT JOIN pair_version v ON v.pair = p.id" : "pair");
}

static const char proj_sql_v2[] =
	"SELECT pair, start, stop, label, coalesce(entity, 0), score, margin, method, origin, 0 "
	"FROM projection WHERE pair BETWEEN ?1 AND ?2 ORDER BY pair, start";

/* Open the pair cursor and one cursor per child table the load asks for. */
int
store_iter_open(ferry_store *st, const struct store_filter *f, unsigned load,
		store_iter **out, struct ferry_err *err)
{
	static const unsigned child_load[CH_COUNT] = { LOAD_ENTS, LOAD_GOLD, LOAD_PROJ, LOAD_PINS };
	struct store_filter all = { 0, 0, 0 };
	store_iter *it = xcalloc(1, sizeof *it);
	int rc;

	if (f == NULL)
		f = &all;
	it->st = st;
	it->load = load;
	if (store_sym_method(st, &it->sym_method, err) < 0) {
		free(it);
		*out = NULL;
		return -1;
	}
	int64_t from = f->from > 0 ? f->from : 1, to = f->to > 0 ? f->to : INT64_MAX;
	char sql[sizeof pairs_sql + 256];
	pair_sql(st, load, sql, sizeof sql);
	rc = sqlite3_prepare_v2(st->db, sql, -1, &it->pairs, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(it->pairs, 1, from);
	sqlite3_bind_int64(it->pairs, 2, to);
	sqlite3_bind_int64(it->pairs, 3, f->status_mask);
	for (int c = 0; c < CH_COUNT; c++) {
		if (!(load & child_load[c]))
			continue;
		/* a project read as it is, older than the support column, has none */
		rc = sqlite3_prepare_v2(st->db, c == CH_PROJ && !HAS_SOURCES(st) ? proj_sql_v2 : child_sql[c], -1,
					&it->child[c], NULL);
		if (rc != SQLITE_OK)
			goto fail;
		sqlite3_bind_int64(it->child[c], 1, from);
		sqlite3_bind_int64(it->child[c], 2, to);
		it->child_row[c] = -1;   /* not stepped yet */
	}
	if ((load & LOAD_SOURCES) && HAS_SOURCES(st) &&
	    (it->sources = source_cursor_open(st, from, to, (load & LOAD_PROJ) != 0, err)) == NULL) {
		store_iter_free(it);
		*out = NULL;
		return -1;
	}
	*out = it;
	return 0;
fail:
	db_err(st, rc, "reading pairs", err);
	store_iter_free(it);
	*out = NULL;
	return -1;
}

void
store_iter_pause(store_iter *it)
{
	sqlite3_reset(it->pairs);
	for (int c = 0; c < CH_COUNT; c++)
		if (it->child[c])
			sqlite3_reset(it->child[c]);
	if (it->sources)
		source_cursor_pause(it->sources);
	it->done = 1;
}

int
store_iter_seek(store_iter *it, int64_t from, int64_t to, struct ferry_err *err)
{
	from = from > 0 ? from : 1;
	to = to > 0 ? to : INT64_MAX;
	it->done = 0;
	sqlite3_reset(it->pairs);
	sqlite3_bind_int64(it->pairs, 1, from);
	sqlite3_bind_int64(it->pairs, 2, to);
	for (int c = 0; c < CH_COUNT; c++) {
		if (it->child[c] == NULL)
			continue;
		sqlite3_reset(it->child[c]);
		sqlite3_bind_int64(it->child[c], 1, from);
		sqlite3_bind_int64(it->child[c], 2, to);
		it->child_row[c] = -1;
	}
	if (it->sources) {
		source_cursor_free(it->sources);
		if ((it->sources = source_cursor_open(it->st, from, to, (it->load & LOAD_PROJ) != 0, err)) == NULL)
			return -1;
	}
	return 0;
}

/* Finalize the cursors of an iterator and free it. */
void
store_iter_free(store_iter *it)
{
	if (it == NULL)
		return;
	sqlite3_finalize(it->pairs);
	for (int c = 0; c < CH_COUNT; c++)
		sqlite3_finalize(it->child[c]);
	source_cursor_free(it->sources);
	free(it);
}

/* Decode a stored link column (trusted to be well-formed, but checked). */
static int
decode_links(const struct pair *p, int c, uint32_t nsrc, uint32_t ntgt, const char *path,
	     struct links *out, struct ferry_err *err)
{
	const struct pair_raw *r = &p->raw;
	struct ferry_err why;

	links_reset(out);
	if (r->off[c] == SIZE_MAX)
		return 0;
	/* no file line to name: the decoder says what is wrong, this says where */
	if (db_links_decode(r->text + r->off[c], r->n[c], r->bin[c], nsrc, ntgt, out, &why) < 0)
		return err_set(err, EX_DATAERR, "%s: pair %lld holds a damaged alignment (%s)",
			       path, (long long)p->id, why.msg);
	return 0;
}

/* The symmetrised links: stored (older projects), or made as import made them. */
static int
decode_sym(struct pair *p, const char *path, struct ferry_err *err)
{
	const struct pair_raw *r = &p->raw;

	if (!(r->bin[COL_SYM] && r->n[COL_SYM] == 0))
		return decode_links(p, COL_SYM, p->src.n, p->tgt.n, path, &p->sym, err);
	if (!p->has_rev) {
		links_copy(&p->sym, &p->fwd);
		return 0;
	}
	if (r->no_sym)
		return 0;
	if (r->sym_method < 0 || r->sym_method >= SYM_COUNT)
		return err_set(err, EX_DATAERR, "%s: pair %lld has reverse links but the project records no "
			       "symmetrisation (meta symmetrize)", path, (long long)p->id);
	align_symmetrize(&p->fwd, &p->rev, p->src.n, p->tgt.n, (enum symmetrize)r->sym_method, &p->sym);
	return 0;
}

/* A pair holds got tokens of a column where the project records want. */
static int
count_differs(const struct pair *p, uint32_t got, uint32_t want, const char *path, struct ferry_err *err)
{
	return err_set(err, EX_DATAERR, "%s: pair %lld holds %u tokens where the project records %u", path,
		       (long long)p->id, got, want);
}

/* Tokens of column c; the count must be the one the project records. */
static int
decode_toks(const struct pair *p, int c, struct toks *out, uint32_t want, const char *path,
	    struct ferry_err *err)
{
	const struct pair_raw *r = &p->raw;

	toks_reset(out);
	if (r->off[c] == SIZE_MAX)
		return 0;
	toks_set_joined(out, r->text + r->off[c], r->n[c]);
	if (want != UINT32_MAX && out->n != want)
		return count_differs(p, out->n, want, path, err);
	return 0;
}

int
store_pair_joined(const struct pair *p, int source, const char *path, const char **s, size_t *len,
		  uint32_t *n, struct ferry_err *err)
{
	const struct pair_raw *r = &p->raw;
	int c = source ? COL_SRC : COL_TGT;
	uint32_t want = source ? r->nsrc : r->ntgt;

	*s = "";
	*len = 0;
	*n = 0;
	if (r->off[c] == SIZE_MAX)
		return 0;
	*s = r->text + r->off[c];
	*len = r->n[c];
	/* as toks_set_joined splits: a token, then one after every space but a final one */
	if (*len > 0) {
		if ((*s)[*len - 1] == ' ')
			--*len;
		*n = 1;
		for (size_t i = 0; i < *len; i++)
			*n += (*s)[i] == ' ';
	}
	return *n == want ? 0 : count_differs(p, *n, want, path, err);
}

/* Decode the columns store_iter_next() left in p->raw. */
int
store_pair_decode(struct pair *p, const char *path, struct ferry_err *err)
{
	unsigned load = p->raw.load;

	p->raw.load = 0;
	if (load & (LOAD_TEXT | LOAD_ALIGN)) {
		if (decode_toks(p, COL_SRC, &p->src, p->raw.nsrc, path, err) < 0 ||
		    decode_toks(p, COL_TGT, &p->tgt, p->raw.ntgt, path, err) < 0 ||
		    decode_toks(p, COL_BT, &p->bt, UINT32_MAX, path, err) < 0)
			return -1;
	}
	if (load & LOAD_ALIGN) {
		if (decode_links(p, COL_FWD, p->src.n, p->tgt.n, path, &p->fwd, err) < 0 ||
		    decode_links(p, COL_REV, p->src.n, p->tgt.n, path, &p->rev, err) < 0 ||
		    decode_sym(p, path, err) < 0 ||
		    decode_links(p, COL_SRC_BT, p->src.n, p->bt.n, path, &p->src_bt, err) < 0 ||
		    decode_links(p, COL_BT_TGT, p->bt.n, p->tgt.n, path, &p->bt_tgt, err) < 0)
			return -1;
	}
	if ((load & LOAD_NER) && p->has_ner) {
		if (decode_toks(p, COL_NER_TAGS, &p->ner_tags, p->raw.ntgt, path, err) < 0 ||
		    decode_toks(p, COL_NER_PROBS, &p->ner_probs, p->raw.ntgt, path, err) < 0)
			return -1;
	}
	return 0;
}

/* A pin row: its entity id becomes an index into p->ents. */
static int
load_pin(store_iter *it, sqlite3_stmt *s, struct pair *p, int64_t start, int64_t stop,
	 struct ferry_err *err)
{
	size_t len;
	const char *label = db_col_text(s, 3, &len);
	const char *kind = (const char *)sqlite3_column_text(s, 5);
	int64_t entity = sqlite3_column_int64(s, 4);
	struct pin *pin;

	VEC_GROW(p->pins.v, p->pins.cap, p->pins.n + 1);
	pin = &p->pins.v[p->pins.n];
	memset(pin, 0, sizeof *pin);
	pin->kind = pin_kind_stored(kind);
	pin->entity = -1;
	for (size_t i = 0; i < p->ents.n && p->ent_ids; i++)
		if (p->ent_ids[i] == entity)
			pin->entity = (int)i;
	if (pin->kind != PIN_ADD && pin->entity < 0)
		return 0;        /* the entity is gone: the pin no longer applies */
	if (pin->kind != PIN_NONE && (start < 0 || stop <= start || stop > p->raw.ntgt))
		return err_set(err, EX_DATAERR, "%s: pair %lld holds a damaged pin", it->st->path, (long long)p->id);
	pin->start = (uint32_t)start;
	pin->end = (uint32_t)stop;
	str_copy_cut(pin->label, sizeof pin->label, label, len);
	pin->id = sqlite3_column_int64(s, 6);
	p->pins.n++;
	return 0;
}

/* Advance child cursor c to pair id and collect its rows into p. */
static int
load_child(store_iter *it, int c, struct pair *p, struct ferry_err *err)
{
	sqlite3_stmt *s = it->child[c];
	size_t len;

	for (;;) {
		if (it->child_row[c] != 1) {
			if (it->child_row[c] == 0)
				return 0;        /* exhausted */
			int rc = sqlite3_step(s);
			if (rc == SQLITE_DONE) {
				it->child_row[c] = 0;
				return 0;
			}
			if (rc != SQLITE_ROW)
				return db_err(it->st, rc, "reading entities", err);
			it->child_row[c] = 1;
		}
		int64_t pair = sqlite3_column_int64(s, 0);
		if (pair > p->id)
			return 0;
		it->child_row[c] = -1;  /* consumed: step next time */
		if (pair < p->id)
			continue;
		int64_t start = sqlite3_column_int64(s, 1), stop = sqlite3_column_int64(s, 2);
		if (c == CH_PIN) {
			if (load_pin(it, s, p, start, stop, err) < 0)
				return -1;
			continue;
		}
		uint32_t ntok = c == CH_ENT ? p->raw.nsrc : p->raw.ntgt;
		if (start < 0 || stop <= start || stop > ntok)
			return err_set(err, EX_DATAERR, "%s: pair %lld holds a damaged span %lld-%lld",
				       it->st->path, (long long)p->id, (long long)start, (long long)stop);
		const char *label = db_col_text(s, 3, &len);
		struct spans *dst = c == CH_ENT ? &p->ents : c == CH_GOLD ? &p->gold : NULL;
		if (c == CH_ENT && (it->load & LOAD_DIGEST))
			p->digest += digest_entity(sqlite3_column_int64(s, 4), start, stop, label, len);
		if (dst) {
			spans_push(dst, (uint32_t)start, (uint32_t)stop, label, len);
			if (c == CH_ENT) {
				VEC_GROW(p->ent_ids, p->ent_ids_cap, p->ents.n);
				p->ent_ids[p->ents.n - 1] = sqlite3_column_int64(s, 4);
			}
			continue;
		}
		VEC_GROW(p->proj.v, p->proj.cap, p->proj.n + 1);
		struct proj *pr = &p->proj.v[p->proj.n++];
		memset(pr, 0, sizeof *pr);
		pr->span.start = (uint32_t)start;
		pr->span.end = (uint32_t)stop;
		str_copy_cut(pr->span.label, sizeof pr->span.label, label, len);
		pr->entity = sqlite3_column_int64(s, 4);
		pr->score = sqlite3_column_double(s, 5);
		pr->margin = sqlite3_column_double(s, 6);
		const char *method = db_col_text(s, 7, &len);
		str_copy_cut(pr->method, sizeof pr->method, method, len);
		pr->by_reviewer = sqlite3_column_int(s, 8);
		pr->support = (uint32_t)sqlite3_column_int64(s, 9);
	}
}

/* The next pair: its row, its raw columns and its children. */
int
store_iter_next(store_iter *it, struct pair *p, struct ferry_err *err)
{
	sqlite3_stmt *s = it->pairs;
	size_t len;
	const char *t;

	if (it->done)
		return 0;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		it->done = 1;
		return 0;
	}
	if (rc != SQLITE_ROW)
		return db_err(it->st, rc, "reading pairs", err);
	pair_reset(p);
	p->id = sqlite3_column_int64(s, 0);
	int status = sqlite3_column_int(s, 1);
	p->status = (status >= 0 && status < STATUS_COUNT) ? (enum pair_status)status : STATUS_PENDING;
	p->version = sqlite3_column_int64(s, 2);
	p->has_gold = sqlite3_column_int(s, 13);
	p->has_bt = sqlite3_column_type(s, 5) != SQLITE_NULL;
	p->has_rev = sqlite3_column_type(s, 7) != SQLITE_NULL;
	p->has_ner = sqlite3_column_type(s, 11) != SQLITE_NULL;
	int64_t nsrc = sqlite3_column_int64(s, 14), ntgt = sqlite3_column_int64(s, 15);
	if (nsrc < 0 || ntgt < 0 || nsrc > UINT32_MAX || ntgt > UINT32_MAX)
		return err_set(err, EX_DATAERR, "%s: pair %lld records %lld source and %lld target tokens",
			       it->st->path, (long long)p->id, (long long)nsrc, (long long)ntgt);
	p->raw.nsrc = (uint32_t)nsrc;
	p->raw.ntgt = (uint32_t)ntgt;
	p->raw.load = it->load & (LOAD_TEXT | LOAD_ALIGN | LOAD_NER);
	p->raw.sym_method = it->sym_method;
	p->raw.no_sym = (it->load & LOAD_NO_SYM) != 0;
	/* the columns are copied as they are; decoding is store_pair_decode's */
	for (int c = 0; c < COL_COUNT; c++) {
		int col = 3 + c;
		int want = c <= COL_BT ? (it->load & (LOAD_TEXT | LOAD_ALIGN)) != 0
			 : c <= COL_BT_TGT ? (it->load & LOAD_ALIGN) != 0 : (it->load & LOAD_NER) != 0;
		if (c <= COL_BT && !(it->load & LOAD_ALIGN) && (it->load & (LOAD_SRC_ONLY | LOAD_TGT_ONLY)))
			want = c == (it->load & LOAD_SRC_ONLY ? COL_SRC : COL_TGT);
		p->raw.off[c] = SIZE_MAX;
		p->raw.n[c] = 0;
		p->raw.bin[c] = 0;
		if (!want || sqlite3_column_type(s, col) == SQLITE_NULL)
			continue;
		int bin;
		t = db_col_links(s, col, &len, &bin);
		p->raw.bin[c] = (unsigned char)bin;
		VEC_GROW(p->raw.text, p->raw.cap, p->raw.len + len + 1);
		memcpy(p->raw.text + p->raw.len, t, len);
		p->raw.off[c] = p->raw.len;
		p->raw.n[c] = len;
		p->raw.len += len;
		p->raw.text[p->raw.len++] = '\0';
	}
	if (it->load & LOAD_DIGEST) {
		size_t ns, nt;
		const char *src = db_col_text(s, 3, &ns), *tgt = db_col_text(s, 4, &nt);
		p->digest = digest_text(src, ns, tgt, nt);
	}
	for (int c = 0; c < CH_COUNT; c++)
		if (it->child[c] && load_child(it, c, p, err) < 0)
			return -1;
	if (it->sources && source_cursor_load(it->sources, p, err) < 0)
		return -1;
	if (it->load & LOAD_DIGEST)
		p->digest = digest_end(p->digest);
	if (!(it->load & LOAD_DEFER) && store_pair_decode(p, it->st->path, err) < 0)
		return -1;
	return 1;
}

/* Bind projection p's columns after its pair (entity to support), from parameter c on. */
static void
bind_proj(sqlite3_stmt *s, int c, const struct proj *p)
{
	if (p->entity > 0)
		sqlite3_bind_int64(s, c, p->entity);
	sqlite3_bind_int64(s, c + 1, p->span.start);
	sqlite3_bind_int64(s, c + 2, p->span.end);
	sqlite3_bind_text(s, c + 3, p->span.label, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, c + 4, p->score);
	sqlite3_bind_double(s, c + 5, p->margin);
	sqlite3_bind_text(s, c + 6, p->method, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, c + 7, p->by_reviewer);
	sqlite3_bind_int64(s, c + 8, p->support);
}

/*
 * The queued projections (store_projections_first) into the table, in
 * the order they were queued, so that their row ids are those one pair's
 * statements after another's would give: QUEUED_ROWS_MAX a statement, the
 * rest too when all (else they wait for more).
 */
int
store_queued_flush(ferry_store *st, int all, struct ferry_err *err)
{
	size_t done = 0;

	while (st->nqueued - done >= QUEUED_ROWS_MAX || (all && done < st->nqueued)) {
		size_t k = st->nqueued - done < QUEUED_ROWS_MAX ? st->nqueued - done : QUEUED_ROWS_MAX;
		sqlite3_stmt *s = db_stmt(st, (enum stmt_id)(ST_PROJ_ROWS + (int)k - 1), err);
		if (s == NULL)
			return -1;
		for (size_t r = 0; r < k; r++) {
			sqlite3_bind_int64(s, (int)(10 * r) + 1, st->queued[done + r].pair);
			bind_proj(s, (int)(10 * r) + 2, st->queued[done + r].p);
		}
		if (db_step_done(st, s, "writing projections", err) < 0)
			return -1;
		done += k;
	}
	memmove(st->queued, st->queued + done, (st->nqueued - done) * sizeof *st->queued);
	st->nqueued -= done;
	return 0;
}

/* Bump pair id's version if it is still at version: 1 bumped, 0 stale, -1 error. */
static int
bump_version(ferry_store *st, int64_t id, int64_t version, struct ferry_err *err)
{
	/* a pair never changed has no row in pair_version: version 0, its first row an upsert */
	int first = SHARED_VERSIONS(st) && version == 0;
	sqlite3_stmt *s = db_stmt(st, first ? ST_PAIR_FIRST : SHARED_VERSIONS(st) ? ST_PAIR_BUMP : ST_PAIR_BUMP_OLD, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (!first)
		sqlite3_bind_int64(s, 2, version);
	/* counted as total changes: a layer's pair is a view, whose trigger makes the change */
	int64_t before = sqlite3_total_changes64(st->db);
	if (db_step_done(st, s, "updating a pair", err) < 0)
		return -1;
	return sqlite3_total_changes64(st->db) != before;
}

int
store_projections_first(ferry_store *st, int64_t id, const struct projs *pj, struct ferry_err *err)
{
	if (!SHARED_VERSIONS(st))
		return store_projections_replace(st, id, 0, 1, pj, err);
	int w = bump_version(st, id, 0, err);
	if (w <= 0)
		return w;
	VEC_GROW(st->queued, st->queued_cap, st->nqueued + pj->n);
	for (size_t i = 0; i < pj->n; i++)
		st->queued[st->nqueued++] = (struct queued_proj){ id, &pj->v[i] };
	return st->nqueued >= QUEUED_ROWS_MAX && store_queued_flush(st, 0, err) < 0 ? -1 : 1;
}

/* Replace a pair's projections if it is still at version. */
int
store_projections_replace(ferry_store *st, int64_t id, int64_t version, int none_before, const struct projs *pj,
			  struct ferry_err *err)
{
	sqlite3_stmt *s;

	/* what is queued goes first, in order */
	if (st->nqueued && store_queued_flush(st, 1, err) < 0)
		return -1;
	int w = bump_version(st, id, version, err);
	if (w <= 0)
		return w;
	if (!none_before) {
		if ((s = db_stmt(st, ST_PROJ_DEL, err)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, id);
		if (db_step_done(st, s, "replacing projections", err) < 0)
			return -1;
	}
	/* up to SPAN_ROWS_MAX rows a statement, as add_spans */
	for (size_t i = 0, k; i < pj->n; i += k) {
		if ((s = rows_stmt(st, ST_PROJ_ADD, pj->n - i, &k, err)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, id);
		for (size_t j = 0; j < k; j++)
			bind_proj(s, (int)(9 * j) + 2, &pj->v[i + j]);
		if (db_step_done(st, s, "writing projections", err) < 0)
			return -1;
	}
	return 1;
}

int
store_pair_scores(ferry_store *st, int64_t pair, double **sm, size_t *cap, size_t *n, struct ferry_err *err)
{
	sqlite3_stmt *s = db_stmt(st, ST_PAIR_SCORES, err);
	int rc;

	*n = 0;
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, pair);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		VEC_GROW(*sm, *cap, 2 * *n + 2);
		(*sm)[2 * *n] = sqlite3_column_double(s, 0);
		(*sm)[2 * *n + 1] = sqlite3_column_double(s, 1);
		(*n)++;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : db_err(st, rc, "reading projections", err);
}

/* Step s to the end, collecting its first column; finalizes s. */
static int
collect_ids(ferry_store *st, sqlite3_stmt *s, int64_t **ids, size_t *n, struct ferry_err *err)
{
	size_t cap = 0;
	int rc;

	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		VEC_GROW(*ids, cap, *n + 1);
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_err(st, rc, "listing pairs", err);
}


struct keyed {
	uint64_t key;
	int64_t  id;
};

static int
keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	return x->key < y->key ? -1 : x->key > y->key ? 1 : (x->id > y->id) - (x->id < y->id);
}

/* ORDER_SAMPLE: the pending pairs (the first of ids) shuffled by the project's identity. */
static int
sample_order(ferry_store *st, int64_t *ids, size_t n, struct ferry_err *err)
{
	struct buf pid = BUF_INIT;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t npend = 0;
	sqlite3_stmt *s = db_stmt(st, ST_PAIR_STATUS, err);

	if (s == NULL || store_setting_get(st, "project_id", &pid, err) < 0) {
		buf_release(&pid);
		return -1;
	}
	for (size_t i = 0; i < pid.len; i++)
		seed = mix64(seed ^ (unsigned char)pid.s[i]);
	buf_release(&pid);
	/* the pending pairs come first: find where they end */
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		sqlite3_bind_int64(s, 1, ids[mid]);
		int rc = sqlite3_step(s), pending = rc == SQLITE_ROW && sqlite3_column_int64(s, 0) == STATUS_PENDING;
		sqlite3_reset(s);
		if (rc != SQLITE_ROW)
			return db_err(st, rc, "listing pairs", err);
		if (pending)
			lo = mid + 1;
		else
			hi = mid;
	}
	npend = lo;
	struct keyed *k = xcalloc(npend + 1, sizeof *k);
	for (size_t i = 0; i < npend; i++)
		k[i] = (struct keyed){ mix64(seed ^ (uint64_t)ids[i]), ids[i] };
	qsort(k, npend, sizeof *k, keyed_cmp);
	for (size_t i = 0; i < npend; i++)
		ids[i] = k[i].id;
	free(k);
	return 0;
}

/* The ids a review walks, filtered and ordered. */
int
store_review_ids(ferry_store *st, unsigned status_mask, const char *label, double score_below,
		 enum review_order order, int64_t **ids, size_t *n, struct ferry_err *err)
{
	/* the ranked orders rank what is left to decide, the pending pairs
	   with entities (those without a matcher's projection as -1, first);
	   every other pair sorts after them all (1e300), in corpus order.
	   One expression, so each pair's subqueries run once */
#define RANKED(col) "coalesce(CASE WHEN p.status = 0 THEN coalesce((SELECT min(" col ") FROM projection " \
		"WHERE pair = p.id AND origin = 0), CASE WHEN EXISTS (SELECT 1 FROM entity WHERE pair = p.id) " \
		"THEN -1 END) END, 1e300), id"
	static const char *const orders[ORDER_COUNT] = { "id", RANKED("margin"), RANKED("score"),
							 "CASE WHEN status = 0 THEN 0 ELSE 1 END, id" };
#undef RANKED
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s;
	int rc;

	/* everything in corpus order: the ids are 1..N, no need to read them */
	int64_t max = 0, count = -1;
	if (status_mask == 0 && !(label && *label) && score_below < 0 && order == ORDER_CORPUS &&
	    (db_query_int(st, "SELECT coalesce(max(id), 0) FROM pair", &max, err) < 0 ||
	     db_query_int(st, "SELECT count(*) FROM pair", &count, err) < 0))
		return -1;
	if (count == max) {
		*ids = xrealloc(*ids, ((size_t)max + 1) * sizeof **ids);
		for (int64_t i = 0; i < max; i++)
			(*ids)[i] = i + 1;
		*n = (size_t)max;
		buf_release(&sql);
		return 0;
	}
	/* the status index holds every id: read it rather than the big rows
	   (one status is one range of it; a mask test would scan it all) */
	int one = status_mask && !(status_mask & (status_mask - 1));
	/* a layer's pairs are a view, which has no index to name */
	buf_addf(&sql, one ? "SELECT id FROM pair p %s WHERE status = ?1" : "SELECT id FROM pair p %s WHERE "
		 "(?1 = 0 OR (?1 >> status) & 1)", st->layer ? "" : "INDEXED BY pair_status");
	if (label && *label)
		buf_adds(&sql, " AND (EXISTS (SELECT 1 FROM entity WHERE pair = p.id AND label = ?2) OR "
			 "EXISTS (SELECT 1 FROM projection WHERE pair = p.id AND label = ?2))");
	if (score_below >= 0)
		buf_adds(&sql, " AND EXISTS (SELECT 1 FROM projection WHERE pair = p.id AND score < ?3 "
			 "AND entity IS NOT NULL)");
	buf_addf(&sql, " ORDER BY %s", orders[order]);
	rc = sqlite3_prepare_v2(st->db, buf_cstr(&sql), -1, &s, NULL);
	buf_release(&sql);
	if (rc != SQLITE_OK)
		return db_err(st, rc, "listing pairs", err);
	sqlite3_bind_int64(s, 1, one ? __builtin_ctz(status_mask) : (int64_t)status_mask);
	if (label && *label)
		sqlite3_bind_text(s, 2, label, -1, SQLITE_STATIC);
	if (score_below >= 0)
		sqlite3_bind_double(s, 3, score_below);
	if (collect_ids(st, s, ids, n, err) < 0)
		return -1;
	return order == ORDER_SAMPLE ? sample_order(st, *ids, *n, err) : 0;
}

/* Pairs reviewed and in all. */
int
store_progress(ferry_store *st, int64_t *reviewed, int64_t *total, struct ferry_err *err)
{
	int64_t pending = STATUS_PENDING;

	/* ids are positions 1..N, so the last id is the count; both queries
	   are index searches, not scans (31 ms a keystroke at 1M pairs) */
	/* ids are 1..N; a layer's pairs (a share of them) are counted */
	if (db_query_int(st, st->layer ? "SELECT count(*) FROM pair" : "SELECT coalesce(max(id), 0) FROM pair", total,
			 err) < 0)
		return -1;
	return db_query_int_bound(st, "SELECT count(*) FROM pair WHERE status > ?1", &pending, reviewed, err);
}

/* Pending pairs whose source contains text. */
int
store_pairs_containing(ferry_store *st, const char *text, int64_t **ids, size_t *n, struct ferry_err *err)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT id FROM pair WHERE status = ?2 AND instr(src, ?1) > 0 ORDER BY id",
				    -1, &s, NULL);

	if (rc != SQLITE_OK)
		return db_err(st, rc, "searching pairs", err);
	sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, STATUS_PENDING);
	return collect_ids(st, s, ids, n, err);
}

