/*
 * sqlexec.c — a test tool: run SQL on a database with CHECK constraints
 * off, to forge the hostile project files a ferry must survive.
 * usage: sqlexec DB SQL
 */
#include <stdio.h>

#include <sqlite3.h>

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
	    sqlite3_exec(db, argv[2], NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "sqlexec: %s\n", msg ? msg : sqlite3_errmsg(db));
		sqlite3_close(db);
		return 1;
	}
	sqlite3_close(db);
	return 0;
}
