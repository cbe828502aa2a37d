/*
 * mem.h — allocation that never returns NULL, and growable arrays.
 *
 * Every allocation in ferry goes through these.  On out-of-memory they run
 * the registered die hook (the UI uses it to restore the terminal), print a
 * message and exit with EX_OSERR; callers therefore never test for NULL.
 */
#ifndef FERRY_MEM_H
#define FERRY_MEM_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* The caller owns the returned copy. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Run before the process dies of an allocation failure (at most one hook). */
void mem_set_die_hook(void (*hook)(void));

/*
 * Grow an array so that it holds at least `need` elements:
 *   VEC_GROW(p, cap, need) with `p` a pointer, `cap` a size_t lvalue.
 * Capacity doubles, so appending n elements costs O(n) in all.
 */
#define VEC_GROW(p, cap, need)                                            \
	do {                                                              \
		if ((need) > (cap)) {                                     \
			size_t vec_new_ = (cap) ? (cap) * 2 : 8;          \
			while (vec_new_ < (need))                         \
				vec_new_ *= 2;                            \
			(p) = xrealloc((p), vec_new_ * sizeof(*(p)));     \
			(cap) = vec_new_;                                 \
		}                                                         \
	} while (0)

#endif
