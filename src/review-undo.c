/*
 * review-undo.c — undo and redo of a session's actions.
 *
 * Undo puts the "before" state of the user's newest active log entry
 * back (and takes its lexicon counts back out), redo the "after" of the
 * oldest undone one; each re-matches the pairs it touched, in one
 * transaction.  Undo is refused when the pair changed since the entry
 * (someone else's later work would be lost).
 */
#include <stdio.h>

#include "review-int.h"

/* Put each pair of a state back and re-match it. */
static int
restore(struct review *r, const struct undo_state *state, struct ferry_err *err)
{
	for (size_t i = 0; i < state->n_items; i++)
		if (store_state_restore(r->st, &state->items[i], err) < 0 ||
		    review_rematch(r, state->items[i].pair, 0, err) < 0)
			return -1;
	return 0;
}

/*
 * Undo is only safe while the pair is as the entry left it (its "after");
 * otherwise it would wipe someone's later work.  Redo would have to
 * compare with the entry's "before" and trusts the log's order instead.
 * 0 when changed, or on error (err->code set).
 */
static int
unchanged_since(struct review *r, const struct pair_state *after, struct ferry_err *err)
{
	struct pair_state now = { 0 };
	int same = store_pair_state(r->st, after->pair, &now, err) == 0 && pair_state_equal(&now, after);

	pair_state_release(&now);
	return same;
}

/* u (redo 0) and Ctrl-R (redo 1): the user's last action taken back, or put back. */
int
review_undo(struct review *r, int redo, struct ferry_err *err)
{
	struct undo_state state = { 0 }, after = { 0 };
	int64_t log_id, pair;
	char said[160];
	int rc;

	if (store_begin(r->st, err) < 0)
		return -1;
	rc = store_undo_find(r->st, store_user(), redo, &log_id, &pair, &state, &after, err);
	if (rc <= 0) {
		store_rollback(r->st);
		if (rc < 0)
			return -1;
		review_say(r, 1, "nothing to %s", redo ? "redo" : "undo");
		return 1;
	}
	if (pair > 0 && !redo && !unchanged_since(r, &after.items[0], err)) {
		store_rollback(r->st);
		undo_state_release(&state);
		undo_state_release(&after);
		if (err->code)
			return -1;
		r->edits_refused++;
		if (review_load_current(r, err) < 0)
			return -1;
		review_say(r, 1, "pair %lld was changed since (by someone else): %s refused, nothing lost",
			   (long long)pair, redo ? "redo" : "undo");
		return 1;
	}
	char action[64];
	size_t npairs = state.n_items;
	rc = store_log_action_name(r->st, log_id, action, sizeof action, err) < 0 || restore(r, &state, err) < 0 ||
	     store_state_lexicon(r->st, &after, redo ? 1 : -1, err) < 0 ||
	     store_log_mark(r->st, log_id, redo ? 0 : 1, err) < 0 || store_commit(r->st, err) < 0 ? -1 :
	     (review_quality_dirty(r, pair), 0);
	undo_state_release(&state);
	undo_state_release(&after);
	if (rc < 0) {
		store_rollback(r->st);
		return -1;
	}
	if (pair > 0 && pair != r->p.id)
		review_place(r, pair);
	/* say what was undone: the action, the pair and where it stands now */
	const char *done = redo ? "redone" : "undone";
	if (pair > 0)
		snprintf(said, sizeof said, "%s: %s of pair %lld", done, action, (long long)pair);
	else
		snprintf(said, sizeof said, "%s: %s of %zu pairs", done, action, npairs);
	if (review_saved(r, said, 1, err) < 0)
		return -1;
	if (!r->reload && pair > 0 && r->p.id == pair)
		review_say(r, 0, "%s (now %s)", said, status_name(r->p.status));
	else if (!r->reload && pair > 0)
		review_say(r, 0, "%s (not in the list)", said);
	return 0;
}
