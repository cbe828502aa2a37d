/*
 * batch.c — the read → work → write pipeline (see batch.h for the contract).
 *
 * The batches rotate: while batch k is worked, batch k-1 is written and
 * batch k+1 read (and, with a reader thread, the ones after it).  Work
 * is shared out item by item: each thread claims the next unclaimed
 * index of the batch with one atomic add, so a slow item does not hold
 * up a whole share, and each result lands in its own item.  The worker
 * threads live for the whole run: each round wakes them for its batch (a
 * round number under a mutex) and the calling thread, once it has
 * written and read, works too and then waits until every
 * worker is done with the batch.  Threads started afresh for every batch
 * were first run only when the scheduler next balanced the CPUs, up to 3
 * ms into a 4 ms round; a woken one is placed on an idle CPU at once.
 * With one thread the batch is worked at once, before the write and read
 * of its round.
 *
 * The optional reader thread lives for the whole run and reads the
 * batches asked for, in order (two counts under a mutex), up to
 * READ_AHEAD batches ahead of the one worked: in round k the calling
 * thread asks for batch k + READ_AHEAD and waits for batch k+1 at the
 * end.  A round whose write takes long (a burst of pages to disk) thus
 * leaves the reader reading, and one whose read takes long finds batches
 * read already; with one batch ahead the two waited for each other every
 * round (a large import idled 15% of both threads' time).  Each batch
 * keeps its own read outcome, met when its round comes, so errors come
 * in the same order as when read one at a time; after the end or an
 * error nothing more is read.
 */
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "ferry/batch.h"
#include "ferry/mem.h"

/* Batches read ahead with a reader thread (without one: the next one only). */
#define READ_AHEAD 4
/* Those, the one worked and the one written. */
#define BATCHES_MAX (READ_AHEAD + 2)

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
	struct batch *b;           /* the batches, nb of them */
	int nb, ahead;             /* ahead: batches asked for beyond the one worked */
	int read_rc[BATCHES_MAX];  /* each batch's read outcome (batch_ops.read) */
	struct ferry_err read_err[BATCHES_MAX];
	int read_over;             /* a read ended the input or failed: read no more */
	long met;                  /* batches whose read outcome the rounds have taken */
	/* BATCH_READ_THREAD: batch i of the run is b[i % nb], asked for and read in order */
	int has_reader;
	pthread_t reader;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	long asked, read;          /* batches asked for and read so far, under mu */
	int quit;
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

/* Read into batch k in this thread: its outcome into pl->read_rc[k]; none after the end or an error. */
static void
read_here(struct pipeline *pl, int k)
{
	struct batch *b = &pl->b[k];

	b->n = 0;
	if (pl->read_over) {
		pl->read_rc[k] = 0;
		return;
	}
	b->seq = pl->seq++;
	int rc = pl->ops->read(pl->ctx, b, &pl->read_err[k]);
	if (rc <= 0) {
		b->n = 0;
		pl->read_over = 1;
	}
	pl->read_rc[k] = rc;
}

/* The reader thread: the batches asked for, in order, until told to quit. */
static void *
reader_main(void *arg)
{
	struct pipeline *pl = arg;

	pthread_mutex_lock(&pl->mu);
	for (;;) {
		while (pl->read == pl->asked && !pl->quit)
			pthread_cond_wait(&pl->cv, &pl->mu);
		if (pl->quit)
			break;
		int k = (int)(pl->read % pl->nb);
		pthread_mutex_unlock(&pl->mu);
		read_here(pl, k);
		pthread_mutex_lock(&pl->mu);
		pl->read++;
		pthread_cond_broadcast(&pl->cv);
	}
	pthread_mutex_unlock(&pl->mu);
	if (pl->ops->thread_end)
		pl->ops->thread_end(pl->ctx);
	return NULL;
}

/* With a reader thread, ask it for the next batch in order; without, nothing yet. */
static void
read_start(struct pipeline *pl)
{
	if (!pl->has_reader)
		return;
	pthread_mutex_lock(&pl->mu);
	pl->asked++;
	pthread_cond_broadcast(&pl->cv);
	pthread_mutex_unlock(&pl->mu);
}

/* The outcome of reading the next batch in order: read now, or wait for the reader thread. */
static int
read_finish(struct pipeline *pl, struct ferry_err *err)
{
	int k = (int)(pl->met++ % pl->nb);

	if (!pl->has_reader) {
		read_here(pl, k);
	} else {
		pthread_mutex_lock(&pl->mu);
		while (pl->read < pl->met)
			pthread_cond_wait(&pl->cv, &pl->mu);
		pthread_mutex_unlock(&pl->mu);
	}
	if (pl->read_rc[k] < 0)
		*err = pl->read_err[k];
	return pl->read_rc[k];
}

/* Stop the reader thread: what is asked for and not yet begun is dropped, a read in flight ends first. */
static void
reader_stop(struct pipeline *pl)
{
	pthread_mutex_lock(&pl->mu);
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
rounds(struct pipeline *pl, int *working, struct ferry_err *err)
{
	const struct batch_ops *ops = pl->ops;
	struct batch *b = pl->b;
	int nb = pl->nb, cur = 0, prev = nb - 1, more, cancelled = 0;

	/* batches 0 .. ahead - 1 at first; then each round asks for the one
	   ahead beyond them, which the round before wrote (cur - 2) */
	for (int k = 0; k < pl->ahead; k++)
		read_start(pl);
	if ((more = read_finish(pl, err)) < 0)
		return -1;
	while (more > 0) {
		int next = (cur + 1) % nb;
		work_start(pl, &b[cur]);
		*working = 1;
		read_start(pl);   /* batch cur + ahead */
		if (b[prev].n > 0 && ops->write(pl->ctx, &b[prev], err) < 0)
			return -1;
		b[prev].n = 0;
		if ((more = read_finish(pl, err)) < 0)
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
	struct batch b[BATCHES_MAX];
	int rc = -1, working = 0;

	pl.wk = xcalloc((size_t)pl.threads, sizeof *pl.wk);
	for (int t = 0; t < pl.threads; t++) {
		pl.wk[t].pl = &pl;
		pl.wk[t].state = ops->worker_new ? ops->worker_new(ctx) : NULL;
	}
	pl.ahead = (flags & BATCH_READ_THREAD) ? READ_AHEAD : 1;
	pl.nb = pl.ahead + 2;
	pl.b = b;
	for (int k = 0; k < pl.nb; k++)
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
	rc = rounds(&pl, &working, err);
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
	for (int k = 0; k < pl.nb; k++) {
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
