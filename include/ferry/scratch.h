/* scratch.h — temporary files written aside and renamed (or linked) into
 * place: named so that a later run can tell whose they are, removed when
 * the command fails, when a signal ends it, and — after a SIGKILL, a power
 * cut or a crash — by the next run on the same target.
 *
 * A temporary of TARGET is "TARGET.KIND-HOST-PID.tmp" (plus the side files
 * SQLite may give it: -journal, -wal, -shm).  HOST keeps two machines that
 * share a file system from judging each other's processes: a run removes
 * only the temporaries of its own host whose process is gone.
 */
#ifndef FERRY_SCRATCH_H
#define FERRY_SCRATCH_H

#include <stddef.h>
#include <sys/types.h>

#include "ferry/err.h"

/* Write into path[cap] the temporary name of target for kind ("import",
 * "export", "part"); -1 if it does not fit. */
int scratch_name(char *path, size_t cap, const char *target, const char *kind);

/* Begin a temporary for target: sweep what dead runs of kind left (the
 * count is returned), name this run's into tmp[cap], hold it and clear
 * any file of that name.  -1 (EX_USAGE, "SHOWN: path too long") when the
 * name does not fit. */
int scratch_start(const char *target, const char *kind, const char *shown, char *tmp, size_t cap, int *slot,
		  struct ferry_err *err);

/* Remove path and its side files when a SIGINT, SIGTERM or SIGHUP ends the
 * process (or the process dies of out-of-memory) until scratch_forget;
 * returns a slot, or -1 when every slot is taken (then nothing is
 * removed on a signal, which is never worse than before). */
int scratch_hold(const char *path);

/* path of slot has become the real file (or is gone): no longer remove it. */
void scratch_forget(int slot);

/* Remove path and its side files now. */
void scratch_remove(const char *path);

/* Remove the temporaries of kind that earlier runs on target left behind
 * on this host (their process no longer exists); each is reported through
 * note (if not NULL) with its name.  Returns how many were removed. */
int scratch_sweep(const char *target, const char *kind, void (*note)(const char *path));

/*
 * Where outputs go.  scratch_same_file: 1 when a and b both exist and are
 * one file (by any name: a symbolic link, a hard link; st_dev and st_ino
 * decide), 0 otherwise.  scratch_not_project: refuse an output that is
 * the project itself (EX_CANTCREAT, "OUT: is the project file (expected
 * another output path)"); 0 when it is not or does not exist yet.
 */
int scratch_same_file(const char *a, const char *b);
int scratch_not_project(const char *output, const char *project, struct ferry_err *err);

/* Where a new file named path goes, into out[cap]: path itself, or, when
 * path is a symbolic link to nothing yet, the file it points to (as a
 * shell's > would create it).  -1 (err) for a loop or a name too long. */
int scratch_follow(const char *path, char *out, size_t cap, struct ferry_err *err);

/* Where an output file OUT (-o OUT) of a command reading project goes,
 * into path[cap]: refused when it is the project or a side file of it;
 * a symbolic link followed (a dangling one too); for an existing regular
 * file its mode in *mode (to keep) and *direct 0 (write a temporary and
 * rename it over), for anything else (a device, a FIFO) *direct 1 (write
 * it directly). */
int scratch_target(const char *project, const char *output, char *path, size_t cap, int *direct,
		   mode_t *mode, struct ferry_err *err);

/* Put the complete temporary tmp in place as the new file target: synced
 * to the disk first, then linked, so an existing target (made meanwhile)
 * is never replaced; tmp is removed either way.  Where the file system
 * has no hard links, renamed when target is still absent.  -1 with errno
 * (EEXIST: target exists). */
int scratch_publish(const char *tmp, const char *target);

#endif
