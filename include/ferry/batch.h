/*
 * batch.h — one read → work → write pipeline over batches of items.
 *
 * A reader fills a batch of items, N threads work on its items, a single
 * writer stores the batch (typically in one transaction), while the next
 * batch is read and the one before it written:
 *
 *   round k:   work batch k  |  write batch k-1  |  read batch k+1
 *
 * (with BATCH_READ_THREAD the reader runs up to four batches ahead, so
 * a slow write or a slow read is not waited for at once: batch.c).
 * Items are worked by index, each into its own place (the item itself),
 * so what is written does not depend on the number of threads, and
 * batches are written in the order they were read.  The caller's
 * callbacks do the reading, working and writing on an opaque context;
 * the pipeline owns the threads and the batches' memory.
 *
 * Where each step runs: work runs in the worker threads and in the
 * calling thread, which joins in once it has written and read.  Write
 * always runs in the calling thread.  Read runs in the calling thread,
 * after the write of the same round (reader and writer may share one
 * database connection), or with BATCH_READ_THREAD in a thread of its own
 * at the same time as the write (a reader of files that touch no
 * database).  The callbacks of one step never run at the same time as
 * each other, except work on the items of one batch.
 *
 * Errors: the run stops at the first step that fails, checked each round
 * in the order write, read, work; nothing more is written after it (the
 * batch being worked when a read fails is dropped).  When several items
 * of one batch fail, the error of the earliest item is the one returned,
 * whichever thread met it, so the message does not depend on the thread
 * count either.
 */
#ifndef FERRY_BATCH_H
#define FERRY_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "ferry/err.h"

struct batch {
	void   *items;     /* cap items of batch_ops.item_size bytes: zeroed at first, then reused */
	size_t  n;         /* items read into it */
	size_t  cap;       /* the batch size */
	int64_t seq;       /* 0 for the first batch read, then 1, 2, ... */
	int64_t mark;      /* the reader's note, e.g. the last id or byte it covers (for progress) */
};

/* Item i of batch b. */
static inline void *
batch_item(const struct batch *b, size_t i, size_t item_size)
{
	return (char *)b->items + i * item_size;
}

struct batch_ops {
	size_t item_size;
	/*
	 * Read up to b->cap items into b->items and set b->n (which may stay
	 * 0: an empty batch is still a batch).  Returns 1 for a batch, 0 at
	 * the end of the input (b->n is then ignored), -1 with err set.
	 */
	int  (*read)(void *ctx, struct batch *b, struct ferry_err *err);
	/*
	 * Work on item i of b with a worker's state; 0, or -1 with err set.
	 * Runs in several threads at once, on different items of one batch.
	 * NULL: the items go from reader to writer as they are.
	 */
	int  (*work)(void *ctx, void *worker, struct batch *b, size_t i, struct ferry_err *err);
	/* Store the worked batch b; 0 or -1 with err set.  Never called for an empty batch. */
	int  (*write)(void *ctx, struct batch *b, struct ferry_err *err);
	/*
	 * After each round, with the batch just worked (its write comes in
	 * the next round).  Non-zero cancels: that batch is still written,
	 * nothing more is read, and batch_run() returns BATCH_CANCELLED.
	 * May be NULL.
	 */
	int  (*progress)(void *ctx, const struct batch *b);
	/* A worker's state, one per thread (the calling thread's included); both may be NULL. */
	void *(*worker_new)(void *ctx);
	void (*worker_free)(void *ctx, void *worker);
	/* The last thing each thread the pipeline started does (per-thread caches); may be NULL. */
	void (*thread_end)(void *ctx);
	/* Free what an item holds (every item of every batch, once, at the end); may be NULL. */
	void (*item_release)(void *ctx, void *item);
};

/* batch_run() flags. */
#define BATCH_READ_THREAD 1u   /* read in a thread of its own, ahead, at the same time as the write */

/* What batch_run() returns besides 0 and -1. */
#define BATCH_CANCELLED 1

/* One thread per CPU online: at least 1, at most max (the default of the commands that work in threads). */
int batch_cpu_threads(int max);

/*
 * Run the pipeline to the end of the input: batches of `size` items,
 * worked in `threads` threads (1: all in the calling thread).  Returns 0,
 * BATCH_CANCELLED, or -1 with err set by the step that failed.
 */
int batch_run(const struct batch_ops *ops, void *ctx, size_t size, int threads, unsigned flags,
	      struct ferry_err *err);

#endif
