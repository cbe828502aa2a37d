/*
 * check_review.c — the review session's edits without a terminal: two
 * sessions on one project (a stale screen), what a reviewed pair keeps,
 * edits with a new label as one undo step, accepting and moving on, a
 * flag's reason.
 * Projects are made from sample-corpora/en-de, as the UI tests make them.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_ferry.h"
#include "ferry/import.h"
#include "ferry/match-run.h"
#include "ferry/review.h"

/* A matched project of the en-de sample, in the current (temporary) directory. */
static void
sample_project(const char *sample, const char *project)
{
	char src[PATH_MAX + 32], tgt[PATH_MAX + 32], fwd[PATH_MAX + 32], rev[PATH_MAX + 32];
	struct import_opts io;
	struct match_run_opts mo = { 0 };
	struct match_run_totals t;
	struct ferry_err err = { 0 };

	snprintf(src, sizeof src, "%s/src.conll", sample);
	snprintf(tgt, sizeof tgt, "%s/tgt.txt", sample);
	snprintf(fwd, sizeof fwd, "%s/fwd.align", sample);
	snprintf(rev, sizeof rev, "%s/rev.align", sample);
	import_opts_init(&io);
	io.project = project;
	io.src = src;
	io.tgt = tgt;
	io.align = fwd;
	io.align_rev = rev;
	io.quiet = 1;
	ck_assert_msg(import_run(&io, NULL, &err) == 0, "import: %s", err.msg);
	match_opts_init(&mo.o);
	mo.project = project;
	mo.threads = 1;
	ck_assert_msg(match_run(&mo, &t, &err) == 0, "match: %s", err.msg);
}

/* Enter a temporary directory holding p.ferry, the en-de sample matched. */
static void
enter_project(void)
{
	char sample[PATH_MAX];

	ck_assert(realpath("../sample-corpora/en-de", sample) != NULL);
	enter_tmpdir();
	sample_project(sample, "p.ferry");
}

/* How many log entries the project holds. */
static int
count_entry(const struct log_entry *e, void *arg)
{
	(void)e;
	(*(int *)arg)++;
	return 0;
}

static int
log_count(struct review *r)
{
	struct ferry_err err = { 0 };
	int n = 0;

	ck_assert_int_eq(store_log_each(r->st, count_entry, &n, &err), 0);
	return n;
}

/* Pair id's status and pins as the project holds them, as text. */
static void
state_text(struct review *r, int64_t id, char *out, size_t cap)
{
	struct pair_state s = { 0 };
	struct ferry_err err = { 0 };
	struct buf b = BUF_INIT;

	ck_assert_int_eq(store_pair_state(r->st, id, &s, &err), 0);
	buf_addf(&b, "%d", (int)s.status);
	for (size_t i = 0; i < s.n_pins; i++)
		buf_addf(&b, " %d:%lld:%lld-%lld:%s", (int)s.pins[i].kind, (long long)s.pins[i].entity,
			 (long long)s.pins[i].start, (long long)s.pins[i].stop, s.pins[i].label);
	snprintf(out, cap, "%s", buf_cstr(&b));
	buf_release(&b);
	pair_state_release(&s);
}

static void
open_at(struct review *r, int64_t pair)
{
	struct ferry_err err = { 0 };

	ck_assert_msg(review_open(r, "p.ferry", NULL, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(review_goto_id(r, pair, &err), 0);
	ck_assert_int_eq(r->p.id, pair);
}

/* ---- a stale screen: every action is refused and says so -------------------- */

/* One reviewer action, as the keys call it. */
struct action {
	const char *name;
	int (*run)(struct review *r, struct ferry_err *err);
};

static int act_choose(struct review *r, struct ferry_err *err) { return review_choose(r, 2, err); }
static int act_span(struct review *r, struct ferry_err *err)
{
	const struct proj *pr = review_projection(r, r->entity);
	return review_set_span(r, r->entity, pr->span.start, pr->span.end - 1, NULL, err);
}
static int act_relabel(struct review *r, struct ferry_err *err)
{
	const struct proj *pr = review_projection(r, r->entity);
	return review_set_span(r, r->entity, pr->span.start, pr->span.end, "MISC", err);
}
static int act_edit_label(struct review *r, struct ferry_err *err)
{
	const struct proj *pr = review_projection(r, r->entity);
	return review_edit_span(r, pr->span.start, pr->span.end - 1, "MISC", err);
}
static int act_add(struct review *r, struct ferry_err *err) { return review_add(r, 0, 1, "EVT", err); }
static int act_flag(struct review *r, struct ferry_err *err) { return review_set_status(r, STATUS_FLAGGED, err); }
static int act_skip(struct review *r, struct ferry_err *err) { return review_set_status(r, STATUS_SKIPPED, err); }
static int act_reject_pair(struct review *r, struct ferry_err *err)
{
	return review_set_status(r, STATUS_REJECTED, err);
}
static int act_pending(struct review *r, struct ferry_err *err) { return review_set_status(r, STATUS_PENDING, err); }

static const struct action actions[] = {
	{ "a", review_accept }, { "x", review_reject }, { "2", act_choose }, { "e", act_span },
	{ "t", act_relabel }, { "e with a label", act_edit_label }, { "d", review_delete }, { "+", act_add },
	{ "!", review_no_counterpart }, { "r", review_rerun }, { ":flag", act_flag }, { ":skip", act_skip },
	{ ":reject", act_reject_pair }, { ":pending", act_pending },
};

START_TEST(stale_edit_refused)
{
	const struct action *a = &actions[_i];
	struct review alice, bob;
	struct ferry_err err = { 0 };
	char before[512], after[512];
	int is_error;

	enter_project();
	open_at(&bob, 2);
	bob.accept_advances = 1;
	open_at(&alice, 2);
	ck_assert_int_eq(review_rerun(&alice, &err), 0);           /* a new version, the same state */
	state_text(&alice, 2, before, sizeof before);
	int logged = log_count(&alice);
	ck_assert_msg(a->run(&bob, &err) == 1, "%s: not refused (%s)", a->name, bob.message);
	const char *msg = review_message(&bob, &is_error);
	ck_assert_msg(strstr(msg, "pair 2 was changed by someone else: reloaded, nothing lost") != NULL,
		      "%s said: %s", a->name, msg);
	ck_assert(is_error);
	state_text(&alice, 2, after, sizeof after);
	ck_assert_str_eq(after, before);
	ck_assert_int_eq(log_count(&alice), logged);
	int64_t saved, refused, busy;
	review_edit_counts(&bob, &saved, &refused, &busy);
	ck_assert_int_eq(saved, 0);
	ck_assert_int_eq(refused, 1);
	ck_assert_int_eq(bob.p.id, 2);                             /* no moving on after a refusal */
	ck_assert_int_eq(bob.p.version, alice.p.version);          /* reloaded */
	/* the same action on the reloaded screen is saved */
	ck_assert_msg(a->run(&bob, &err) == 0, "%s: %s", a->name, bob.message);
	ck_assert(strstr(review_message(&bob, &is_error), "changed by someone else") == NULL);
	review_close(&alice);
	review_close(&bob);
	leave_tmpdir();
}
END_TEST

/* d on a span added by hand, on a stale screen. */
START_TEST(stale_delete_added)
{
	struct review alice, bob;
	struct ferry_err err = { 0 };
	int is_error;

	enter_project();
	open_at(&bob, 2);
	ck_assert_int_eq(review_add(&bob, 0, 1, "EVT", &err), 0);
	open_at(&alice, 2);
	ck_assert_int_eq(review_rerun(&alice, &err), 0);
	review_set_cursor(&bob, 0);
	ck_assert_int_eq(review_delete(&bob, &err), 1);
	ck_assert(strstr(review_message(&bob, &is_error), "was changed by someone else") != NULL);
	review_close(&alice);
	review_close(&bob);
	leave_tmpdir();
}
END_TEST

/* ---- a reviewed pair is decided as a whole ---------------------------------- */

/* Does every entity of the pair on screen have an accept or none pin? */
static int
all_decided(const struct review *r)
{
	for (size_t e = 0; e < r->p.ents.n; e++) {
		int has = 0;
		for (size_t i = 0; i < r->p.pins.n; i++)
			has |= r->p.pins.v[i].entity == (int)e &&
			       (r->p.pins.v[i].kind == PIN_ACCEPT || r->p.pins.v[i].kind == PIN_NONE);
		if (!has)
			return 0;
	}
	return 1;
}

START_TEST(reviewed_pair_pinned)
{
	struct review r;
	struct ferry_err err = { 0 };

	enter_project();
	/* pair 10: fixing one entity of three keeps the other two */
	open_at(&r, 10);
	ck_assert_uint_eq(r.p.ents.n, 3);
	ck_assert(!all_decided(&r));
	ck_assert_int_eq(review_choose(&r, 2, &err), 0);
	ck_assert(all_decided(&r));
	for (size_t i = 0; i < r.p.proj.n; i++)
		ck_assert(r.p.proj.v[i].by_reviewer);
	ck_assert_int_eq(review_undo(&r, 0, &err), 0);             /* undo takes all of it back */
	ck_assert_uint_eq(r.p.pins.n, 0);
	/* pair 9: accepting pins "none" on the entity with no projection */
	ck_assert_int_eq(review_goto_id(&r, 9, &err), 0);
	ck_assert_int_eq(review_accept(&r, &err), 0);
	ck_assert(all_decided(&r));
	ck_assert(review_no_counterpart_pinned(&r, 1));
	ck_assert_int_eq(r.p.status, STATUS_ACCEPTED);
	/* accepting it again leaves it accepted (its "none" pin is no correction) */
	ck_assert_int_eq(review_accept(&r, &err), 0);
	ck_assert_int_eq(r.p.status, STATUS_ACCEPTED);
	/* a flag decides nothing: nothing is pinned */
	ck_assert_int_eq(review_goto_id(&r, 12, &err), 0);
	ck_assert_int_eq(review_set_status(&r, STATUS_FLAGGED, &err), 0);
	ck_assert_uint_eq(r.p.pins.n, 0);
	review_close(&r);
	leave_tmpdir();
}
END_TEST

/* ---- a new span and a new label in one step --------------------------------- */

START_TEST(edit_span_with_label)
{
	struct review r;
	struct ferry_err err = { 0 };
	char before[512], after[512];

	enter_project();
	open_at(&r, 2);
	state_text(&r, 2, before, sizeof before);
	int logged = log_count(&r);
	const struct proj *pr = review_projection(&r, 0);
	uint32_t start = pr->span.start, end = pr->span.end;
	ck_assert_str_eq(pr->span.label, "ORG");
	ck_assert_int_eq(review_edit_span(&r, start, end - 1, "MISC", &err), 0);
	pr = review_projection(&r, 0);
	ck_assert_uint_eq(pr->span.start, start);
	ck_assert_uint_eq(pr->span.end, end - 1);
	ck_assert_str_eq(pr->span.label, "MISC");
	ck_assert_int_eq(log_count(&r), logged + 1);                /* one action */
	state_text(&r, 2, after, sizeof after);
	ck_assert_str_ne(after, before);
	ck_assert_int_eq(review_undo(&r, 0, &err), 0);              /* one undo takes both back */
	state_text(&r, 2, after, sizeof after);
	ck_assert_str_eq(after, before);
	pr = review_projection(&r, 0);
	ck_assert_uint_eq(pr->span.end, end);
	ck_assert_str_eq(pr->span.label, "ORG");
	/* without a label it keeps the one it shows */
	ck_assert_int_eq(review_edit_span(&r, start, end - 1, NULL, &err), 0);
	ck_assert_str_eq(review_projection(&r, 0)->span.label, "ORG");
	review_close(&r);
	leave_tmpdir();
}
END_TEST

/* ---- accept and move on ------------------------------------------------------ */

START_TEST(accept_advances)
{
	struct review r;
	struct ferry_err err = { 0 };
	int is_error;

	enter_project();
	open_at(&r, 1);
	r.accept_advances = 1;
	ck_assert_int_eq(review_accept(&r, &err), 0);
	ck_assert_int_eq(r.p.id, 2);
	ck_assert_str_eq(review_message(&r, &is_error), "pair 1 accepted; next pending: pair 2");
	/* reviewed pairs are passed over */
	ck_assert_int_eq(review_goto_id(&r, 4, &err), 0);
	ck_assert_int_eq(review_set_status(&r, STATUS_SKIPPED, &err), 0);
	ck_assert_int_eq(review_goto_id(&r, 3, &err), 0);
	ck_assert_int_eq(review_accept(&r, &err), 0);
	ck_assert_int_eq(r.p.id, 5);
	/* after the last pair, from the top of the list */
	ck_assert_int_eq(review_goto_id(&r, 40, &err), 0);
	ck_assert_int_eq(review_accept(&r, &err), 0);
	ck_assert_int_eq(r.p.id, 2);
	ck_assert_str_eq(review_message(&r, &is_error),
			 "pair 40 accepted; next pending: pair 2 (from the top of the list)");
	/* in the filter's list: only skipped pairs, none of them pending */
	ck_assert_int_eq(review_set_filter(&r, "skipped", &err), 0);
	ck_assert_int_eq(r.p.id, 4);
	ck_assert_int_eq(review_accept(&r, &err), 0);
	ck_assert_int_eq(r.p.id, 4);
	ck_assert_str_eq(review_message(&r, &is_error), "pair 4 accepted; no pending pair left in the list");
	/* off: a stays on the pair */
	ck_assert_int_eq(review_set_filter(&r, "all", &err), 0);
	r.accept_advances = 0;
	ck_assert_int_eq(review_goto_id(&r, 6, &err), 0);
	ck_assert_int_eq(review_accept(&r, &err), 0);
	ck_assert_int_eq(r.p.id, 6);
	ck_assert_str_eq(review_message(&r, &is_error), "pair 6 accepted");
	review_close(&r);
	leave_tmpdir();
}
END_TEST

/* The next pending pair far away: past the pairs asked one by one, the pending ids are read at once. */
START_TEST(pending_far_away)
{
	struct review r;
	struct ferry_err err = { 0 };
	int is_error;

	enter_project();
	open_at(&r, 1);
	ck_assert_int_eq(store_begin(r.st, &err), 0);
	for (int64_t id = 2; id <= 39; id++)
		ck_assert_int_eq(store_status_set(r.st, id, STATUS_SKIPPED, &err), 0);
	ck_assert_int_eq(store_commit(r.st, &err), 0);
	ck_assert_int_eq(review_next_pending(&r, 1, &err), 1);
	ck_assert_int_eq(r.p.id, 40);
	ck_assert_int_eq(review_next_pending(&r, -1, &err), 1);
	ck_assert_int_eq(r.p.id, 1);
	ck_assert_int_eq(review_next_pending(&r, -1, &err), 0);
	ck_assert_str_eq(review_message(&r, &is_error), "no pending pair before this one");
	r.accept_advances = 1;
	ck_assert_int_eq(review_accept(&r, &err), 0);
	ck_assert_int_eq(r.p.id, 40);
	ck_assert_int_eq(review_accept(&r, &err), 0);
	ck_assert_int_eq(r.p.id, 40);
	ck_assert_str_eq(review_message(&r, &is_error), "pair 40 accepted; no pending pair left in the list");
	review_close(&r);
	leave_tmpdir();
}
END_TEST

/* ---- a flag's reason ---------------------------------------------------------- */

/* store_comments_each() into "PAIR:TEXT;" */
static int
comment_text(int64_t pair, const char *text, void *arg)
{
	buf_addf(arg, "%lld:%s;", (long long)pair, text);
	return 0;
}

static const char *
all_comments(struct review *r, struct buf *b)
{
	struct ferry_err err = { 0 };

	buf_reset(b);
	ck_assert_int_eq(store_comments_each(r->st, comment_text, b, &err), 0);
	return buf_cstr(b);
}

START_TEST(flag_reason)
{
	struct review r, other;
	struct ferry_err err = { 0 };
	struct buf b = BUF_INIT;
	int is_error;

	enter_project();
	open_at(&r, 3);
	ck_assert_int_eq(review_flag(&r, "the date is wrong", &err), 0);
	ck_assert_str_eq(review_message(&r, &is_error), "pair 3 flagged: the date is wrong");
	ck_assert_str_eq(review_comment(&r), "the date is wrong");
	open_at(&other, 3);                                         /* another session sees it */
	ck_assert_str_eq(review_comment(&other), "the date is wrong");
	review_close(&other);
	ck_assert_int_eq(review_rerun(&r, &err), 0);                /* what leaves it flagged keeps it */
	ck_assert_int_eq(review_flag(&r, NULL, &err), 0);
	ck_assert_str_eq(review_comment(&r), "the date is wrong");
	ck_assert_int_eq(review_flag(&r, "fine after all?", &err), 0);
	ck_assert_int_eq(review_goto_id(&r, 5, &err), 0);
	ck_assert_int_eq(review_flag(&r, "", &err), 0);             /* no reason */
	ck_assert_str_eq(review_message(&r, &is_error), "pair 5 flagged (:flag TEXT gives a reason)");
	ck_assert_str_eq(review_comment(&r), "");
	ck_assert_str_eq(all_comments(&r, &b), "3:fine after all?;");
	ck_assert_int_eq(review_undo(&r, 0, &err), 0);              /* pair 5's flag */
	ck_assert_int_eq(review_undo(&r, 0, &err), 0);              /* pair 3's new reason: the old one is back */
	ck_assert_int_eq(r.p.id, 3);
	ck_assert_str_eq(review_comment(&r), "the date is wrong");
	ck_assert_int_eq(review_accept(&r, &err), 0);               /* another status: no reason */
	ck_assert_str_eq(review_comment(&r), "");
	ck_assert_str_eq(all_comments(&r, &b), "");
	buf_release(&b);
	review_close(&r);
	leave_tmpdir();
}
END_TEST

Suite *
review_suite(void)
{
	Suite *s = suite_create("review");
	TCase *tc = tcase_create("edits");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, stale_edit_refused, 0, (int)(sizeof actions / sizeof *actions));
	tcase_add_test(tc, stale_delete_added);
	tcase_add_test(tc, reviewed_pair_pinned);
	tcase_add_test(tc, edit_span_with_label);
	tcase_add_test(tc, accept_advances);
	tcase_add_test(tc, pending_far_away);
	tcase_add_test(tc, flag_reason);
	suite_add_tcase(s, tc);
	return s;
}
