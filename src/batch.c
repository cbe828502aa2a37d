/*
 * batch.c — the read → work → write pipeline (see batch.h for the contract).
 *
 * Three batches rotate: while batch k is worked, batch k-1 is written and
 * batch k+1 read.  Work is shared out item by item: each thread claims
 * the next unclaimed index of the batch with one atomic add, so a slow
 * item does not hold up a whole share, and each result lands in its own
 * item.  The worker threads live for the whole run: each round wakes them
 * for its batch (a round number under a mutex) and the calling thread,
 * once it has written and read, works too and then waits until every
 * worker is done with the batch.  Threads started afresh for every batch
 * were first run only when the scheduler next balanced the CPUs, up to 3
 * ms into a 4 ms round; a woken one is placed on an idle CPU at once.
 * With one thread the batch is worked at once, before the write and read
 * of its round.
 *
 * The optional reader thread lives for the whole run and reads one batch
 * per request, handed over under a mutex: the calling thread asks for
 * batch k+1 at the start of round k and waits for it at the end.
 */
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "ferry/batch.h"
#include "ferry/mem.h"

/* One batch being read, one worked, one written. */
#define BATCHES_IN_FLIGHT 3

struct pipeline;

/* One thread's share of the work, with its state and its first error. */
struct worker {
	pthread_t thread;
	int started;
	struct pipeline *pl;
	void *state;
	int rc;
	size_t err_at;             /* the item of the error, to report the earliest */
	struct ferry_err err;
};

struct pipeline {
	const struct batch_ops *ops;
	void *ctx;
	int threads;
	struct worker *wk;
	struct batch *working;     /* the batch being worked */
	/* its next unclaimed item, on a cache line of its own: every claim
	   writes it, and the fields around it are read for every item */
	alignas(64) atomic_size_t next;
	char after_next[64 - sizeof(atomic_size_t)];
	int64_t seq;               /* of the next batch read */
	/* the worker threads (wk[1..threads)), under pool_mu */
	pthread_mutex_t pool_mu;
	pthread_cond_t pool_go;    /* a round to work, or the end */
	pthread_cond_t pool_done;  /* the last worker left the round */
	unsigned long round;       /* the round to work: workers wait for it to change */
	int out;                   /* workers still in the round */
	int pool_quit;
	int pooled;                /* workers started */
	/* BATCH_READ_THREAD */
	int has_reader;
	pthread_t reader;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *to_read;     /* a request to the reader; NULL when it is idle */
	int quit, read_rc;
	struct ferry_err read_err;
};

/* Claim and work items of the current batch until none is left or one fails. */
static void
work_items(struct worker *w)
{
	struct pipeline *pl = w->pl;
	struct batch *b = pl->working;

	for (size_t i; w->rc == 0 && (i = atomic_fetch_add(&pl->next, 1)) < b->n; )
		if (pl->ops->work(pl->ctx, w->state, b, i, &w->err) < 0) {
			w->rc = -1;
			w->err_at = i;
		}
}

/* A worker thread: its share of each round until the end, then the caller's per-thread cleanup. */
static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct pipeline *pl = w->pl;
	unsigned long seen = 0;

	pthread_mutex_lock(&pl->pool_mu);
	for (;;) {
		while (pl->round == seen && !pl->pool_quit)
			pthread_cond_wait(&pl->pool_go, &pl->pool_mu);
		if (pl->pool_quit)
			break;
		seen = pl->round;
		pthread_mutex_unlock(&pl->pool_mu);
		work_items(w);
		pthread_mutex_lock(&pl->pool_mu);
		if (--pl->out == 0)
			pthread_cond_signal(&pl->pool_done);
	}
	pthread_mutex_unlock(&pl->pool_mu);
	if (pl->ops->thread_end)
		pl->ops->thread_end(pl->ctx);
	return NULL;
}

/* Start the worker threads (threads - 1 of them); one that cannot start leaves its share to the others. */
static void
pool_start(struct pipeline *pl)
{
	pthread_mutex_init(&pl->pool_mu, NULL);
	pthread_cond_init(&pl->pool_go, NULL);
	pthread_cond_init(&pl->pool_done, NULL);
	if (pl->ops->work == NULL)
		return;
	for (int t = 1; t < pl->threads; t++) {
		pl->wk[t].started = pthread_create(&pl->wk[t].thread, NULL, worker_main, &pl->wk[t]) == 0;
		pl->pooled += pl->wk[t].started;
	}
}

/* End the worker threads (after any round in flight: work_finish has waited for it). */
static void
pool_stop(struct pipeline *pl)
{
	pthread_mutex_lock(&pl->pool_mu);
	pl->pool_quit = 1;
	pthread_cond_broadcast(&pl->pool_go);
	pthread_mutex_unlock(&pl->pool_mu);
	for (int t = 1; t < pl->threads; t++)
		if (pl->wk[t].started)
			pthread_join(pl->wk[t].thread, NULL);
	pthread_mutex_destroy(&pl->pool_mu);
	pthread_cond_destroy(&pl->pool_go);
	pthread_cond_destroy(&pl->pool_done);
}

/* Start working on b: at once with one thread, else by waking the workers. */
static void
work_start(struct pipeline *pl, struct batch *b)
{
	pl->working = b;
	atomic_store(&pl->next, 0);
	for (int t = 0; t < pl->threads; t++)
		pl->wk[t].rc = 0;
	if (pl->ops->work == NULL || b->n == 0)
		return;
	if (pl->threads == 1) {
		work_items(&pl->wk[0]);
		return;
	}
	if (pl->pooled == 0)
		return;           /* no worker could start: work_finish does it all */
	pthread_mutex_lock(&pl->pool_mu);
	pl->out = pl->pooled;
	pl->round++;
	pthread_cond_broadcast(&pl->pool_go);
	pthread_mutex_unlock(&pl->pool_mu);
}

/* Join in, wait for every worker to leave the round, and report the earliest item's error. */
static int
work_finish(struct pipeline *pl, struct ferry_err *err)
{
	size_t first = 0;
	int rc = 0;

	if (pl->ops->work == NULL)
		return 0;
	if (pl->threads > 1 && pl->working->n > 0) {
		work_items(&pl->wk[0]);
		pthread_mutex_lock(&pl->pool_mu);
		while (pl->out > 0)
			pthread_cond_wait(&pl->pool_done, &pl->pool_mu);
		pthread_mutex_unlock(&pl->pool_mu);
	}
	for (int t = 0; t < pl->threads; t++) {
		struct worker *w = &pl->wk[t];
		if (w->rc < 0 && (rc == 0 || w->err_at < first)) {
			*err = w->err;
			first = w->err_at;
			rc = -1;
		}
	}
	return rc;
}

/* Read into b in this thread. */
static int
read_here(struct pipeline *pl, struct batch *b, struct ferry_err *err)
{
	b->n = 0;
	b->seq = pl->seq++;
	int rc = pl->ops->read(pl->ctx, b, err);
	if (rc <= 0)
		b->n = 0;
	return rc;
}

/* The reader thread: one batch per request until told to quit. */
static void *
reader_main(void *arg)
{
	struct pipeline *pl = arg;

	pthread_mutex_lock(&pl->mu);
	for (;;) {
		while (pl->to_read == NULL && !pl->quit)
			pthread_cond_wait(&pl->cv, &pl->mu);
		if (pl->to_read == NULL)
			break;
		struct batch *b = pl->to_read;
		pthread_mutex_unlock(&pl->mu);
		int rc = read_here(pl, b, &pl->read_err);
		pthread_mutex_lock(&pl->mu);
		pl->read_rc = rc;
		pl->to_read = NULL;
		pthread_cond_broadcast(&pl->cv);
	}
	pthread_mutex_unlock(&pl->mu);
	if (pl->ops->thread_end)
		pl->ops->thread_end(pl->ctx);
	return NULL;
}

/* With a reader thread, ask it for b; without, nothing yet (read_finish reads). */
static void
read_start(struct pipeline *pl, struct batch *b)
{
	if (!pl->has_reader)
		return;
	pthread_mutex_lock(&pl->mu);
	pl->to_read = b;
	pthread_cond_broadcast(&pl->cv);
	pthread_mutex_unlock(&pl->mu);
}

/* The outcome of reading b: read now, or wait for the reader thread. */
static int
read_finish(struct pipeline *pl, struct batch *b, struct ferry_err *err)
{
	if (!pl->has_reader)
		return read_here(pl, b, err);
	pthread_mutex_lock(&pl->mu);
	while (pl->to_read != NULL)
		pthread_cond_wait(&pl->cv, &pl->mu);
	pthread_mutex_unlock(&pl->mu);
	if (pl->read_rc < 0)
		*err = pl->read_err;
	return pl->read_rc;
}

/* Stop the reader thread (after any read in flight). */
static void
reader_stop(struct pipeline *pl)
{
	pthread_mutex_lock(&pl->mu);
	while (pl->to_read != NULL)
		pthread_cond_wait(&pl->cv, &pl->mu);
	pl->quit = 1;
	pthread_cond_broadcast(&pl->cv);
	pthread_mutex_unlock(&pl->mu);
	pthread_join(pl->reader, NULL);
}

/*
 * The rounds: work batch cur, write batch prev, read batch next; see
 * batch.h for the order errors are met in.  *working tells the caller
 * whether workers are still out when this returns early.
 */
static int
rounds(struct pipeline *pl, struct batch *b, int *working, struct ferry_err *err)
{
	const struct batch_ops *ops = pl->ops;
	int cur = 0, prev = BATCHES_IN_FLIGHT - 1, more, cancelled = 0;

	read_start(pl, &b[cur]);
	if ((more = read_finish(pl, &b[cur], err)) < 0)
		return -1;
	while (more > 0) {
		int next = (cur + 1) % BATCHES_IN_FLIGHT;
		work_start(pl, &b[cur]);
		*working = 1;
		read_start(pl, &b[next]);
		if (b[prev].n > 0 && ops->write(pl->ctx, &b[prev], err) < 0)
			return -1;
		b[prev].n = 0;
		if ((more = read_finish(pl, &b[next], err)) < 0)
			return -1;
		*working = 0;
		if (work_finish(pl, err) < 0)
			return -1;
		prev = cur;
		cur = next;
		if (ops->progress && ops->progress(pl->ctx, &b[prev]) != 0) {
			cancelled = 1;
			break;
		}
	}
	if (b[prev].n > 0 && ops->write(pl->ctx, &b[prev], err) < 0)
		return -1;
	return cancelled ? BATCH_CANCELLED : 0;
}

/* Set up workers, batches and the reader thread, run the rounds, tear down. */
int
batch_run(const struct batch_ops *ops, void *ctx, size_t size, int threads, unsigned flags,
	  struct ferry_err *err)
{
	struct pipeline pl = { .ops = ops, .ctx = ctx, .threads = threads < 1 ? 1 : threads };
	struct batch b[BATCHES_IN_FLIGHT];
	int rc = -1, working = 0;

	pl.wk = xcalloc((size_t)pl.threads, sizeof *pl.wk);
	for (int t = 0; t < pl.threads; t++) {
		pl.wk[t].pl = &pl;
		pl.wk[t].state = ops->worker_new ? ops->worker_new(ctx) : NULL;
	}
	for (int k = 0; k < BATCHES_IN_FLIGHT; k++)
		b[k] = (struct batch){ .items = xcalloc(size, ops->item_size), .cap = size };
	pool_start(&pl);
	if (flags & BATCH_READ_THREAD) {
		pthread_mutex_init(&pl.mu, NULL);
		pthread_cond_init(&pl.cv, NULL);
		pl.has_reader = pthread_create(&pl.reader, NULL, reader_main, &pl) == 0;
		if (!pl.has_reader) {
			err_set(err, EX_OSERR, "cannot start a reader thread");
			goto out;
		}
	}
	rc = rounds(&pl, b, &working, err);
	if (working) {
		struct ferry_err ignored;
		work_finish(&pl, &ignored);        /* never leave a worker in a round */
	}
out:
	pool_stop(&pl);
	if (pl.has_reader)
		reader_stop(&pl);
	if (flags & BATCH_READ_THREAD) {
		pthread_mutex_destroy(&pl.mu);
		pthread_cond_destroy(&pl.cv);
	}
	for (int k = 0; k < BATCHES_IN_FLIGHT; k++) {
		for (size_t i = 0; ops->item_release && i < size; i++)
			ops->item_release(ctx, batch_item(&b[k], i, ops->item_size));
		free(b[k].items);
	}
	for (int t = 0; t < pl.threads; t++)
		if (ops->worker_free)
			ops->worker_free(ctx, pl.wk[t].state);
	free(pl.wk);
	return rc;
}

int
batch_cpu_threads(int max)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	return cpus < 1 ? 1 : cpus > max ? max : (int)cpus;
}
