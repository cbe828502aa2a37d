/*
 * store-ckpt.c — checkpoints of a long write run in a thread of their own.
 *
 * SQLite checkpoints the log in the committing thread, in the commit
 * that takes the log past wal_autocheckpoint pages: it syncs the log,
 * copies its pages into the project and syncs the project.  In a match
 * run that thread is the pipeline's writer, and the workers waited for
 * it: 11% of a 200k-pair greedy match went in those syncs (synchronous
 * off made it 0.89 of the time, with the same CPU time).
 *
 * Here the writer's connection checkpoints nothing itself.  A hook on
 * each of its commits (sqlite3_wal_hook, which replaces the automatic
 * one) wakes a thread once the log holds its checkpoint size (4 MiB,
 * set_modes) or more, and that thread runs a passive checkpoint on a
 * connection of its own: it copies what the log holds while the writer
 * goes on writing, and never waits for a lock.  It is what SQLite's own
 * checkpoint does, in another thread, so a kill at any point leaves
 * what a kill leaves today; one that fails (busy with another
 * process's, or the disk full) is left for the next, as SQLite leaves
 * its own.  Once the checkpointer has caught up, the writer's next
 * transaction starts the log over from its head, so the log stays near
 * that size.  Should it not catch up (a writer that does nothing but
 * commit), a commit that finds the log CKPT_LAG times that long waits
 * for a checkpoint begun after it: the next transaction finds the log
 * all copied and starts it over, so the log never grows much past
 * CKPT_LAG times it.  The last connection to close checkpoints what is
 * left, as before.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "ferry/mem.h"
#include "store-int.h"

/* How many times its checkpoint size the log may grow before a commit waits for the checkpointer. */
#define CKPT_LAG 4

struct store_ckpt {
	sqlite3        *db;        /* the checkpointer's own connection */
	pthread_t       thread;
	pthread_mutex_t mu;
	pthread_cond_t  go;
	pthread_cond_t  done;      /* a checkpoint is over */
	unsigned long   begun;     /* checkpoints begun, and the last one over (under mu) */
	unsigned long   over;
	int             want;      /* a checkpoint is due (under mu) */
	int             quit;      /* the run is over (under mu) */
	int             pages;     /* the log length that makes one due */
};

/* After each commit of the writer's connection: wake the checkpointer once the log is long enough. */
static int
on_commit(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct store_ckpt *c = arg;

	(void)db;
	(void)name;
	if (frames >= c->pages) {
		pthread_mutex_lock(&c->mu);
		c->want = 1;
		pthread_cond_signal(&c->go);
		/* too far behind: wait for one that copies this commit too */
		for (unsigned long after = c->begun; frames >= CKPT_LAG * c->pages && c->over <= after;)
			pthread_cond_wait(&c->done, &c->mu);
		pthread_mutex_unlock(&c->mu);
	}
	return SQLITE_OK;
}

/* The checkpointer: a passive checkpoint each time one is due, until the run is over. */
static void *
checkpointer(void *arg)
{
	struct store_ckpt *c = arg;

	pthread_mutex_lock(&c->mu);
	for (;;) {
		while (!c->want && !c->quit)
			pthread_cond_wait(&c->go, &c->mu);
		if (c->quit)
			break;
		c->want = 0;
		unsigned long n = ++c->begun;
		pthread_mutex_unlock(&c->mu);
		/* busy or failed: the pages stay in the log for the next one */
		(void)sqlite3_wal_checkpoint_v2(c->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&c->mu);
		c->over = n;
		pthread_cond_broadcast(&c->done);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

int
store_ckpt_start(ferry_store *st, struct ferry_err *err)
{
	struct store_ckpt *c;
	struct buf name = BUF_INIT;
	int64_t sync = 1;
	char sql[64];

	if (st->ckpt || (st->flags & (STORE_READONLY | STORE_BULK)))
		return 0;
	if (db_query_int(st, "PRAGMA synchronous", &sync, err) < 0)
		return -1;
	c = xcalloc(1, sizeof *c);
	c->pages = st->wal_pages;
	db_file_name(st->path, &name);
	int rc = sqlite3_open_v2(buf_cstr(&name), &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	buf_release(&name);
	/* its syncs as the writer's would be (a durable run's included) */
	snprintf(sql, sizeof sql, "PRAGMA synchronous = %d", (int)sync);
	if (rc != SQLITE_OK || sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		rc = err_set(err, EX_IOERR, "%s: cannot open the project a second time: %s", st->path,
			     c->db ? sqlite3_errmsg(c->db) : "out of memory");
		sqlite3_close(c->db);
		free(c);
		return rc;
	}
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->go, NULL);
	pthread_cond_init(&c->done, NULL);
	if (pthread_create(&c->thread, NULL, checkpointer, c) != 0) {
		/* no thread: SQLite's own checkpoints, as before */
		pthread_mutex_destroy(&c->mu);
		pthread_cond_destroy(&c->go);
		pthread_cond_destroy(&c->done);
		sqlite3_close(c->db);
		free(c);
		return 0;
	}
	st->ckpt = c;
	sqlite3_wal_hook(st->db, on_commit, c);
	return 0;
}

void
store_ckpt_stop(ferry_store *st)
{
	struct store_ckpt *c = st->ckpt;

	if (c == NULL)
		return;
	/* the writer's own checkpoints again, for whatever it commits after */
	sqlite3_wal_autocheckpoint(st->db, st->wal_pages);
	pthread_mutex_lock(&c->mu);
	c->quit = 1;
	pthread_cond_signal(&c->go);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->thread, NULL);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->go);
	pthread_cond_destroy(&c->done);
	sqlite3_close(c->db);
	free(c);
	st->ckpt = NULL;
}
