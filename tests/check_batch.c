/* check_batch.c — the read → work → write pipeline (src/batch.c). */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_ferry.h"
#include "ferry/batch.h"

struct item {
	long in, out;
	char *held;                /* something to release */
};

/* Numbers 0..n-1 in batches, squared by the workers, written in order. */
struct job {
	long n, pos;
	long fail_read_at;         /* read fails at the batch starting here; -1 never */
	long fail_work[2];         /* these items fail their work; -1 none */
	long fail_write_batch;     /* the write of this batch (seq) fails; -1 never */
	long cancel_after;         /* progress cancels after this many rounds; -1 never */
	long empty_batch;          /* this batch (seq) comes out empty; -1 none */
	long *written;
	size_t nwritten, writes;
	long rounds;
	atomic_int workers, thread_ends, released;
	atomic_int reads;          /* batches read */
	long ends, after_error;    /* reads at or after the end, after a failed read */
	int failed;
	long stall_write;          /* the write of this batch (seq) waits for the reader to be this far; -1 never */
	int stall_until, seen_ahead;
};

static int
read_nums(void *ctx, struct batch *b, struct ferry_err *err)
{
	struct job *j = ctx;
	struct item *v = b->items;

	j->after_error += j->failed;
	if (j->pos >= j->n) {
		j->ends++;
		return 0;
	}
	if (j->pos == j->fail_read_at) {
		j->failed = 1;
		return err_set(err, EX_DATAERR, "read failed at %ld", j->pos);
	}
	atomic_fetch_add(&j->reads, 1);
	b->mark = j->pos;
	if (b->seq == j->empty_batch)
		return 1;
	while (b->n < b->cap && j->pos < j->n) {
		if (v[b->n].held == NULL)
			v[b->n].held = malloc(8);
		v[b->n++].in = j->pos++;
	}
	return 1;
}

static int
square(void *ctx, void *worker, struct batch *b, size_t i, struct ferry_err *err)
{
	struct job *j = ctx;
	struct item *it = &((struct item *)b->items)[i];

	ck_assert_ptr_nonnull(worker);
	if (it->in == j->fail_work[0] || it->in == j->fail_work[1])
		return err_set(err, EX_DATAERR, "item %ld failed", it->in);
	it->out = it->in * it->in;
	return 0;
}

static int
write_nums(void *ctx, struct batch *b, struct ferry_err *err)
{
	struct job *j = ctx;
	const struct item *v = b->items;

	ck_assert_uint_gt(b->n, 0);
	if (b->seq == j->stall_write) {
		/* up to 20 s, as long as the reader takes to get that far */
		for (int k = 0; k < 20000 && atomic_load(&j->reads) < j->stall_until; k++)
			usleep(1000);
		j->seen_ahead = atomic_load(&j->reads);
	}
	if (b->seq == j->fail_write_batch)
		return err_set(err, EX_IOERR, "write failed");
	j->written = realloc(j->written, (j->nwritten + b->n) * sizeof *j->written);
	for (size_t i = 0; i < b->n; i++)
		j->written[j->nwritten++] = v[i].out;
	j->writes++;
	return 0;
}

static int
count_round(void *ctx, const struct batch *b)
{
	struct job *j = ctx;

	(void)b;
	return ++j->rounds == j->cancel_after;
}

static void *
worker_new(void *ctx)
{
	struct job *j = ctx;

	atomic_fetch_add(&j->workers, 1);
	return malloc(1);
}

static void
worker_free(void *ctx, void *w)
{
	struct job *j = ctx;

	atomic_fetch_sub(&j->workers, 1);
	free(w);
}

static void
thread_end(void *ctx)
{
	struct job *j = ctx;

	atomic_fetch_add(&j->thread_ends, 1);
}

static void
release(void *ctx, void *item)
{
	struct job *j = ctx;
	struct item *it = item;

	atomic_fetch_add(&j->released, 1);
	free(it->held);
}

static const struct batch_ops ops = {
	.item_size = sizeof(struct item), .read = read_nums, .work = square, .write = write_nums,
	.progress = count_round, .worker_new = worker_new, .worker_free = worker_free,
	.thread_end = thread_end, .item_release = release,
};

static void
job_init(struct job *j, long n)
{
	memset(j, 0, sizeof *j);
	j->n = n;
	j->fail_read_at = j->fail_work[0] = j->fail_work[1] = -1;
	j->fail_write_batch = j->cancel_after = j->empty_batch = j->stall_write = -1;
}

START_TEST(every_item_in_order)
{
	/* 1, 2 and 5 threads, with and without a reader thread: the same output */
	for (int threads = 1; threads <= 5; threads += threads == 2 ? 3 : 1)
		for (unsigned flags = 0; flags <= BATCH_READ_THREAD; flags++) {
			struct job j;
			struct ferry_err err = { 0 };
			job_init(&j, 1000);
			ck_assert_int_eq(batch_run(&ops, &j, 64, threads, flags, &err), 0);
			ck_assert_uint_eq(j.nwritten, 1000);
			for (long i = 0; i < 1000; i++)
				ck_assert_int_eq(j.written[i], i * i);
			ck_assert_uint_eq(j.writes, 16);      /* 15 full batches and 40 */
			ck_assert_int_eq(j.rounds, 16);
			ck_assert_int_eq(atomic_load(&j.workers), 0);
			/* the batches: one read, worked, written; with a reader thread four read ahead */
			ck_assert_int_eq(atomic_load(&j.released), (flags ? 6 : 3) * 64);
			free(j.written);
		}
}
END_TEST

START_TEST(empty_batches_are_not_written)
{
	struct job j;
	struct ferry_err err = { 0 };

	job_init(&j, 30);
	j.empty_batch = 1;
	ck_assert_int_eq(batch_run(&ops, &j, 10, 3, 0, &err), 0);
	ck_assert_uint_eq(j.nwritten, 30);
	ck_assert_uint_eq(j.writes, 3);
	ck_assert_int_eq(j.rounds, 4);
	free(j.written);
	job_init(&j, 0);
	ck_assert_int_eq(batch_run(&ops, &j, 10, 2, BATCH_READ_THREAD, &err), 0);
	ck_assert_uint_eq(j.writes, 0);
	ck_assert_int_eq(j.rounds, 0);
}
END_TEST

START_TEST(the_earliest_failing_item_is_reported)
{
	for (int threads = 1; threads <= 4; threads++) {
		struct job j;
		struct ferry_err err = { 0 };
		job_init(&j, 100);
		j.fail_work[0] = 57;
		j.fail_work[1] = 45;
		ck_assert_int_eq(batch_run(&ops, &j, 20, threads, 0, &err), -1);
		ck_assert_str_eq(err.msg, "item 45 failed");
		ck_assert_int_eq(err.code, EX_DATAERR);
		/* the batches before it were written, its own batch was not */
		ck_assert_uint_eq(j.nwritten, 40);
		ck_assert_int_eq(atomic_load(&j.workers), 0);
		free(j.written);
	}
}
END_TEST

START_TEST(nothing_is_written_after_a_failure)
{
	for (unsigned flags = 0; flags <= BATCH_READ_THREAD; flags++) {
		struct job j;
		struct ferry_err err = { 0 };
		/* the read of batch 3 fails while batch 2 is worked: 2 is dropped */
		job_init(&j, 100);
		j.fail_read_at = 30;
		ck_assert_int_eq(batch_run(&ops, &j, 10, 2, flags, &err), -1);
		ck_assert_str_eq(err.msg, "read failed at 30");
		ck_assert_uint_eq(j.nwritten, 20);
		ck_assert_int_eq(j.after_error, 0);       /* nothing is read after a failed read */
		free(j.written);
		/* a failed write stops the run, even though reading goes on */
		job_init(&j, 100);
		j.fail_write_batch = 1;
		ck_assert_int_eq(batch_run(&ops, &j, 10, 3, flags, &err), -1);
		ck_assert_str_eq(err.msg, "write failed");
		ck_assert_int_eq(err.code, EX_IOERR);
		ck_assert_uint_eq(j.nwritten, 10);
		free(j.written);
	}
}
END_TEST

/*
 * The reader thread reads ahead while a write is slow: batch 0's write
 * (in round 1) waits, and meanwhile batches 2 to 5 are read besides 0
 * and 1; one at a time, only batch 2 would be.  It reads to the end
 * once, and no more.
 */
START_TEST(the_reader_reads_ahead_of_a_slow_write)
{
	struct job j;
	struct ferry_err err = { 0 };

	job_init(&j, 100);
	j.stall_write = 0;
	j.stall_until = 6;
	ck_assert_int_eq(batch_run(&ops, &j, 10, 2, BATCH_READ_THREAD, &err), 0);
	ck_assert_int_eq(j.seen_ahead, 6);
	ck_assert_uint_eq(j.nwritten, 100);
	for (long i = 0; i < 100; i++)
		ck_assert_int_eq(j.written[i], i * i);
	ck_assert_int_eq(j.ends, 1);
	free(j.written);
	/* without a reader thread, one batch ahead */
	job_init(&j, 100);
	j.stall_write = 0;
	j.stall_until = 2;
	ck_assert_int_eq(batch_run(&ops, &j, 10, 2, 0, &err), 0);
	ck_assert_int_eq(j.seen_ahead, 2);
	ck_assert_int_eq(j.ends, 1);
	free(j.written);
}
END_TEST

START_TEST(a_cancelled_run_writes_what_it_worked)
{
	struct job j;
	struct ferry_err err = { 0 };

	job_init(&j, 100);
	j.cancel_after = 3;
	ck_assert_int_eq(batch_run(&ops, &j, 10, 2, BATCH_READ_THREAD, &err), BATCH_CANCELLED);
	ck_assert_uint_eq(j.nwritten, 30);
	ck_assert_int_eq(j.written[29], 29 * 29);
	free(j.written);
}
END_TEST

START_TEST(threads_end_with_the_callers_cleanup)
{
	struct job j;
	struct ferry_err err = { 0 };

	/* 2 worker threads that work all 3 batches, and the reader thread */
	job_init(&j, 30);
	ck_assert_int_eq(batch_run(&ops, &j, 10, 3, BATCH_READ_THREAD, &err), 0);
	ck_assert_int_eq(atomic_load(&j.thread_ends), 2 + 1);
	ck_assert_uint_eq(j.nwritten, 30);
	free(j.written);
	/* a failing write ends the run: the workers end all the same */
	job_init(&j, 30);
	j.fail_write_batch = 1;
	ck_assert_int_eq(batch_run(&ops, &j, 10, 3, 0, &err), -1);
	ck_assert_int_eq(atomic_load(&j.thread_ends), 2);
	free(j.written);
}
END_TEST

Suite *
batch_suite(void)
{
	Suite *s = suite_create("batch");
	TCase *tc = tcase_create("pipeline");

	tcase_add_test(tc, every_item_in_order);
	tcase_add_test(tc, empty_batches_are_not_written);
	tcase_add_test(tc, the_earliest_failing_item_is_reported);
	tcase_add_test(tc, nothing_is_written_after_a_failure);
	tcase_add_test(tc, the_reader_reads_ahead_of_a_slow_write);
	tcase_add_test(tc, a_cancelled_run_writes_what_it_worked);
	tcase_add_test(tc, threads_end_with_the_callers_cleanup);
	suite_add_tcase(s, tc);
	return s;
}
