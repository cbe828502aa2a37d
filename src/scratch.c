/* scratch.c — temporary files that never outlive their command.
 *
 * A command that writes a file aside (a fresh project, an export, a part)
 * holds its name here while it writes.  Three ways out are covered:
 *  - the command fails: it removes the file itself (scratch_remove);
 *  - a SIGINT, SIGTERM or SIGHUP ends it, or it exits (out of memory
 *    included) with the file still held: the handler or the atexit hook
 *    unlinks every held name — unlink is async-signal-safe, and every
 *    name, side files included, was formatted when it was held, so the
 *    handler formats nothing — and then lets the signal do what it would
 *    have done;
 *  - SIGKILL, a crash or a power cut, which nothing can catch: the name
 *    carries the host and the process id, and the next run on the same
 *    target removes the temporaries of its host whose process is gone
 *    (scratch_sweep).  Another host's files are never judged: a process id
 *    means nothing across machines that share a file system.
 * A signal the process ignores (nohup's SIGHUP) stays ignored.
 *
 * It also says where an output may go: never onto the project it is made
 * from (compared by device and inode, so no other name of it passes), and
 * a new file appears under its name only once complete, without ever
 * replacing one that appeared meanwhile (scratch_publish).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "ferry/scratch.h"

enum {
	SLOTS = 4,            /* files held at once: one per command is the rule */
	SIDES = 4,            /* the file, -journal, -wal, -shm */
	HOST_MAX = 64,
};

static const char *const side_suffix[SIDES] = { "", "-journal", "-wal", "-shm" };
static const int caught[] = { SIGINT, SIGTERM, SIGHUP };
#define NCAUGHT ((int)(sizeof caught / sizeof caught[0]))

static char held[SLOTS][SIDES][PATH_MAX];
static volatile sig_atomic_t in_use[SLOTS];
static struct sigaction before[NCAUGHT];
static int installed;

/* This host's name as it goes into a temporary's name: no '/' and no '.'. */
static void
host_name(char *out, size_t cap)
{
	if (gethostname(out, cap) < 0 || out[0] == '\0')
		snprintf(out, cap, "localhost");
	out[cap - 1] = '\0';
	for (char *c = out; *c; c++)
		if (*c == '/' || *c == '.')
			*c = '_';
}

/* The temporary name of target for kind. */
int
scratch_name(char *path, size_t cap, const char *target, const char *kind)
{
	char host[HOST_MAX];
	int n;

	host_name(host, sizeof host);
	n = snprintf(path, cap, "%s.%s-%s-%ld.tmp", target, kind, host, (long)getpid());
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Unlink every held file; safe in a signal handler. */
static void
remove_held(void)
{
	for (int s = 0; s < SLOTS; s++)
		if (in_use[s]) {
			for (int k = 0; k < SIDES; k++)
				unlink(held[s][k]);
			in_use[s] = 0;
		}
}

/* A fatal signal: remove what is held, then die of the signal as before. */
static void
on_fatal(int sig)
{
	int saved = errno;

	remove_held();
	for (int i = 0; i < NCAUGHT; i++)
		if (caught[i] == sig)
			sigaction(sig, &before[i], NULL);
	errno = saved;
	raise(sig);
}

/* Catch the fatal signals the process does not ignore, once. */
static void
install(void)
{
	struct sigaction sa;

	if (installed)
		return;
	installed = 1;
	atexit(remove_held);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < NCAUGHT; i++)
		sigaddset(&sa.sa_mask, caught[i]);
	for (int i = 0; i < NCAUGHT; i++) {
		sigaction(caught[i], NULL, &before[i]);
		if (before[i].sa_handler != SIG_IGN)
			sigaction(caught[i], &sa, NULL);
	}
}

/* Hold path (and its side files) for removal on a signal or exit. */
int
scratch_hold(const char *path)
{
	install();
	for (int s = 0; s < SLOTS; s++) {
		if (in_use[s])
			continue;
		for (int k = 0; k < SIDES; k++) {
			int n = snprintf(held[s][k], PATH_MAX, "%s%s", path, side_suffix[k]);
			if (n < 0 || n >= PATH_MAX)
				return -1;
		}
		in_use[s] = 1;
		return s;
	}
	return -1;
}

/* The file of slot is in place (or removed): let it be. */
void
scratch_forget(int slot)
{
	if (slot >= 0 && slot < SLOTS)
		in_use[slot] = 0;
}

/* Remove path and its side files. */
void
scratch_remove(const char *path)
{
	char side[PATH_MAX];

	for (int k = 0; k < SIDES; k++)
		if (snprintf(side, sizeof side, "%s%s", path, side_suffix[k]) < (int)sizeof side)
			unlink(side);
}

/* The process id of name if it is "BASE.KIND-HOST-PID.tmp" (side suffix
 * allowed) for this prefix "BASE.KIND-HOST-"; 0 if it is not. */
static long
temp_pid(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	char *end;
	long pid;

	if (strncmp(name, prefix, n) != 0)
		return 0;
	errno = 0;
	pid = strtol(name + n, &end, 10);
	if (errno || pid <= 0 || end == name + n || strncmp(end, ".tmp", 4) != 0)
		return 0;
	for (int k = 0; k < SIDES; k++)
		if (strcmp(end + 4, side_suffix[k]) == 0)
			return pid;
	return 0;
}

/* Sweep, name, hold: how every command begins its temporary. */
int
scratch_start(const char *target, const char *kind, const char *shown, char *tmp, size_t cap, int *slot,
	      struct ferry_err *err)
{
	int swept = scratch_sweep(target, kind, NULL);

	if (scratch_name(tmp, cap, target, kind) < 0) {
		tmp[0] = '\0';
		return err_set(err, EX_USAGE, "%s: path too long", shown);
	}
	*slot = scratch_hold(tmp);
	scratch_remove(tmp);
	return swept;
}

/* Remove the temporaries of kind on target whose process is gone. */
int
scratch_sweep(const char *target, const char *kind, void (*note)(const char *path))
{
	char dir[PATH_MAX], prefix[PATH_MAX], host[HOST_MAX], path[PATH_MAX];
	const char *slash = strrchr(target, '/'), *base = slash ? slash + 1 : target;
	struct dirent *e;
	DIR *d;
	int removed = 0;

	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (snprintf(dir, sizeof dir, "%.*s", (int)(slash - target) + (slash == target), target) >= (int)sizeof dir)
		return 0;
	host_name(host, sizeof host);
	if (snprintf(prefix, sizeof prefix, "%s.%s-%s-", base, kind, host) >= (int)sizeof prefix ||
	    (d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		long pid = temp_pid(e->d_name, prefix);
		if (pid == 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path)
			continue;
		if (unlink(path) == 0) {
			removed++;
			if (note)
				note(path);
		}
	}
	closedir(d);
	return removed;
}

/* Whether a and b are one existing file. */
int
scratch_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Whether path names side file suffix of project ("P-wal" beside P): the
 * same directory (by device and inode) and the name plus the suffix.
 * Side files come and go, so their own inode cannot decide. */
static int
is_side_file(const char *path, const char *project, const char *suffix)
{
	const char *ps = strrchr(path, '/'), *qs = strrchr(project, '/');
	const char *pb = ps ? ps + 1 : path, *qb = qs ? qs + 1 : project;
	char pd[PATH_MAX], qd[PATH_MAX];
	size_t n = strlen(qb);

	if (strncmp(pb, qb, n) != 0 || strcmp(pb + n, suffix) != 0)
		return 0;
	snprintf(pd, sizeof pd, "%.*s", ps ? (int)(ps - path) + (ps == path) : 1, ps ? path : ".");
	snprintf(qd, sizeof qd, "%.*s", qs ? (int)(qs - project) + (qs == project) : 1, qs ? project : ".");
	return scratch_same_file(pd, qd);
}

/* Refuse an output that is the project file or one of its side files. */
int
scratch_not_project(const char *output, const char *project, struct ferry_err *err)
{
	if (scratch_same_file(output, project))
		return err_set(err, EX_CANTCREAT, "%s: is the project file (expected another output path)", output);
	for (int k = 1; k < SIDES; k++)
		if (is_side_file(output, project, side_suffix[k]))
			return err_set(err, EX_CANTCREAT, "%s: is the project's %s file (expected another output path)",
				       output, side_suffix[k] + 1);
	return 0;
}

/* Follow the symbolic links of a new file's name to where it goes. */
int
scratch_follow(const char *path, char *out, size_t cap, struct ferry_err *err)
{
	char link[PATH_MAX], dir[PATH_MAX];
	struct stat sb;

	if (snprintf(out, cap, "%s", path) >= (int)cap)
		return err_set(err, EX_USAGE, "%s: path too long", path);
	for (int hops = 0; lstat(out, &sb) == 0 && S_ISLNK(sb.st_mode); hops++) {
		ssize_t n = readlink(out, link, sizeof link - 1);
		const char *slash = strrchr(out, '/');
		int len;
		if (n < 0 || hops == 16)
			return err_set(err, EX_CANTCREAT, "%s: cannot follow the symbolic link: %s", path,
				       n < 0 ? strerror(errno) : "too many levels");
		link[n] = '\0';
		/* a relative link is relative to its own directory */
		snprintf(dir, sizeof dir, "%.*s", link[0] != '/' && slash ? (int)(slash - out + 1) : 0, out);
		len = snprintf(out, cap, "%s%s", dir, link);
		if (len < 0 || (size_t)len >= cap)
			return err_set(err, EX_USAGE, "%s: path too long", path);
	}
	return 0;
}

/* fsync the file path names; 0 or -1 (errno). */
static int
sync_path(const char *path)
{
	int fd = open(path, O_RDONLY), rc, saved;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

/* Link a complete temporary into place, never over an existing file. */
int
scratch_publish(const char *tmp, const char *target)
{
	struct stat sb;
	int rc = sync_path(tmp), saved;

	if (rc == 0 && (rc = link(tmp, target)) < 0 && errno != EEXIST) {
		/* no hard links here (some network and FAT file systems) */
		if (lstat(target, &sb) == 0)
			errno = EEXIST;
		else if (errno == ENOENT)
			rc = rename(tmp, target);
	}
	saved = errno;
	scratch_remove(tmp);
	errno = saved;
	return rc;
}

/*
 * Where -o OUT goes.  An OUT that is the project itself (by any name: a
 * symlink, a hard link) or one of its side files is refused.  A symlink is
 * followed (a dangling one too), so the file it names is written and the
 * link stays.  A regular file is
 * replaced whole by a temporary file renamed over it, keeping its mode;
 * anything else (a device, a FIFO) is written directly.  *direct says
 * which; path gets the file to write or to rename over.
 */
int
scratch_target(const char *project, const char *output, char *path, size_t cap, int *direct,
	      mode_t *mode, struct ferry_err *err)
{
	struct stat out;

	*direct = 0;
	*mode = 0;
	if (scratch_not_project(output, project, err) < 0)
		return -1;
	if (stat(output, &out) < 0)                        /* a new file, perhaps */
		return scratch_follow(output, path, cap, err); /* through a dangling link */
	snprintf(path, cap, "%s", output);
	if (!S_ISREG(out.st_mode)) {
		*direct = 1;
		return 0;
	}
	*mode = out.st_mode & 07777;
	char *real = realpath(output, NULL);
	if (real != NULL) {
		snprintf(path, cap, "%s", real);
		free(real);
	}
	return 0;
}
