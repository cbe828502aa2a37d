/*
 * sqlexec.c — a test tool: run SQL on a database with CHECK constraints
 * off, to forge the hostile project files a ferry must survive, and to
 * read a project's rows back in tests (printed with '|' between columns).
 * usage: sqlexec DB SQL
 */
#include <stdio.h>

#include <sqlite3.h>

static int
print_row(void *arg, int n, char **values, char **names)
{
	(void)arg;
	(void)names;
	for (int i = 0; i < n; i++)
		printf("%s%s", i ? "|" : "", values[i] ? values[i] : "NULL");
	printf("\n");
	return 0;
}

int
main(int argc, char **argv)
{
	sqlite3 *db;
	char *msg = NULL;

	if (argc != 3) {
		fprintf(stderr, "usage: sqlexec DB SQL\n");
		return 64;
	}
	if (sqlite3_open(argv[1], &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA ignore_check_constraints = ON; PRAGMA foreign_keys = OFF", NULL, NULL, &msg) ||
	    sqlite3_busy_timeout(db, 10000) != SQLITE_OK ||
	    sqlite3_exec(db, argv[2], print_row, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "sqlexec: %s\n", msg ? msg : sqlite3_errmsg(db));
		sqlite3_close(db);
		return 1;
	}
	sqlite3_close(db);
	return 0;
}
