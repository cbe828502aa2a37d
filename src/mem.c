/* mem.c — allocation wrappers that abort cleanly on out-of-memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "ferry/mem.h"

static void (*die_hook)(void);

void
mem_set_die_hook(void (*hook)(void))
{
	die_hook = hook;
}

/* Restore whatever the hook restores, say why, and leave. */
static void
out_of_memory(size_t size)
{
	if (die_hook != NULL)
		die_hook();
	fprintf(stderr, "ferry: out of memory (allocating %zu bytes)\n", size);
	exit(EX_OSERR);
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		out_of_memory(size);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		out_of_memory(nmemb * size);
	return p;
}

void *
xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (p == NULL)
		out_of_memory(size);
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}
