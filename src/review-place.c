/*
 * review-place.c — where each reviewer left off: the pair on screen, the
 * filter and the order, kept in the project's settings (meta
 * "place:USER", USER as the log names them: $FERRY_USER, else the login
 * name), written when a session ends and read when the next one begins.
 *
 * One row written once a session, so keeping it costs nothing per key;
 * a session killed outright (SIGKILL, a power cut) keeps the place the
 * one before it left.  The value is one line a person can read:
 *
 *     pair=12 order=margin status=pending,flagged score<0.5 label=PER
 *
 * with the label last (a typed label=L filter may hold spaces).  A value
 * that cannot be read is ignored (the session starts at the first pair,
 * and says so): it is only a convenience.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/mem.h"
#include "review-int.h"

static const char *const order_words[ORDER_COUNT] = { "corpus", "margin", "score", "sample" };

/* The settings key of this reviewer's place: in the shared state, or in their own layer. */
static void
place_key(const struct review *r, struct buf *key)
{
	buf_addf(key, store_layer(r->st) ? "place-own:%s" : r->adjudicate ? "place-adjudicate:%s" : "place:%s",
		 store_user());
}

/* The place as one line (see the top of the file). */
static void
place_format(const struct review *r, struct buf *out)
{
	buf_addf(out, "pair=%lld order=%s", (long long)(r->nids ? r->ids[r->pos] : 0), order_words[r->order]);
	if (r->status_mask) {
		buf_adds(out, " status=");
		for (int i = 0, n = 0; i < STATUS_COUNT; i++)
			if (r->status_mask >> i & 1)
				buf_addf(out, "%s%s", n++ ? "," : "", status_name((enum pair_status)i));
	}
	if (r->score_below >= 0)
		buf_addf(out, " score<%.17g", r->score_below);
	if (r->label[0])
		buf_addf(out, " label=%s", r->label);
}

/* What a place says. */
struct place {
	int64_t pair;
	enum review_order order;
	unsigned status_mask;
	double score_below;
	char label[FERRY_LABEL_MAX];
};

/* Read one word "key=value" (or "score<x") of a place: 0, 1 for label= (the rest, the last), -1 when it is not one. */
static int
place_word(struct place *pl, const char *w, size_t n, const char *rest)
{
	char word[128], *end;

	if (strncmp(w, "label=", 6) == 0) {
		if (strlen(rest + 6) >= sizeof pl->label)
			return -1;
		snprintf(pl->label, sizeof pl->label, "%s", rest + 6);
		return 1;
	}
	if (n >= sizeof word)
		return -1;
	memcpy(word, w, n);
	word[n] = '\0';
	if (strncmp(word, "pair=", 5) == 0) {
		long long id = strtoll(word + 5, &end, 10);
		if (*end || end == word + 5 || id < 0)
			return -1;
		pl->pair = id;
	} else if (strncmp(word, "order=", 6) == 0) {
		int o = -1;
		for (int i = 0; i < ORDER_COUNT; i++)
			if (strcmp(word + 6, order_words[i]) == 0)
				o = i;
		if (o < 0)
			return -1;
		pl->order = (enum review_order)o;
	} else if (strncmp(word, "status=", 7) == 0) {
		if (status_parse_list(word + 7, &pl->status_mask) < 0)
			return -1;
	} else if (strncmp(word, "score<", 6) == 0) {
		double x = strtod(word + 6, &end);
		if (*end || end == word + 6 || !(x >= 0 && x <= 1))
			return -1;
		pl->score_below = x;
	} else {
		return -1;
	}
	return 0;
}

/* Parse a place; 0, or -1 when it cannot be read. */
static int
place_parse(const char *text, struct place *pl)
{
	memset(pl, 0, sizeof *pl);
	pl->score_below = -1;
	for (const char *p = text; *p; ) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, " ");
		int rc = place_word(pl, p, n, p);
		if (rc < 0)
			return -1;
		if (rc > 0)
			break;          /* label= takes the rest */
		p += n;
	}
	return 0;
}

/* Start where this reviewer left off (see review.h). */
int
review_place_restore(struct review *r, struct ferry_err *err)
{
	struct buf key = BUF_INIT, val = BUF_INIT, filter = BUF_INIT;
	struct place pl;
	int got;

	place_key(r, &key);
	got = store_setting_get(r->st, buf_cstr(&key), &val, err);
	buf_release(&key);
	if (got <= 0) {
		buf_release(&val);
		return got;
	}
	if (place_parse(buf_cstr(&val), &pl) < 0) {
		review_say(r, 1, "your place from the last session cannot be read: starting at the first pair");
		buf_release(&val);
		return 0;
	}
	buf_release(&val);
	r->status_mask = pl.status_mask;
	r->score_below = pl.score_below;
	r->order = pl.order;
	snprintf(r->label, sizeof r->label, "%s", pl.label);
	if (review_refresh(r, err) < 0)
		return -1;
	/* the pair, or (in corpus order) the next one listed when it no longer is */
	size_t pos = 0;
	int found = 0;
	for (size_t i = 0; i < r->nids && !found; i++)
		if (r->ids[i] == pl.pair || (r->order == ORDER_CORPUS && r->ids[i] > pl.pair))
			pos = i, found = 1;
	if (review_goto(r, pos, err) < 0)
		return -1;
	review_describe_filter(r, &filter);
	while (filter.len && filter.s[filter.len - 1] == ' ')
		filter.s[--filter.len] = '\0';
	review_say(r, 0, "back where %s left off: pair %lld%s (filter %s, order %s)", store_user(), (long long)pl.pair,
		   r->nids && r->ids[r->pos] == pl.pair ? "" : " is no longer listed, here is the next", buf_cstr(&filter),
		   review_order_name(r));
	buf_release(&filter);
	return 1;
}

/* Keep where this reviewer is, for the next session (see review.h). */
int
review_place_save(struct review *r, struct ferry_err *err)
{
	struct buf key = BUF_INIT, val = BUF_INIT;
	int rc;

	place_key(r, &key);
	place_format(r, &val);
	rc = store_setting_set(r->st, buf_cstr(&key), buf_cstr(&val), err);
	buf_release(&key);
	buf_release(&val);
	return rc;
}
