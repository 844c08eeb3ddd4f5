/* A real PostgreSQL server for the tests, started by the tests themselves:
 * Debian's postgresql binaries (initdb, pg_ctl under
 * /usr/lib/postgresql/VERSION/bin, the newest; $TERRAIN_PG_BINDIR instead
 * when set), a cluster in a new temporary folder under $TMPDIR (default
 * /tmp), no TCP listener at all (listen_addresses empty): clients reach it
 * only through the Unix socket in that folder, on a random port number.
 *
 * initdb and the server refuse to run as root: when the tests run as root,
 * they run as the user "postgres" (Debian's package creates it), through
 * fork, setgid and setuid; the folder is given to that user.  The cluster's
 * superuser is "postgres", local connections are trusted (the folder and
 * its socket are the only way in).
 *
 * A watchdog process holds the other end of a pipe from the test process:
 * when the test process ends, normally or not, it stops the server
 * (pg_ctl stop -m immediate) and removes the folder. */
#ifndef TERRAIN_TEST_PGSERVER_H
#define TERRAIN_TEST_PGSERVER_H

#include <stdbool.h>
#include <sys/types.h>

#include "../core/strbuf.h"

struct pgserver {
	char dir[256];	    /* the temporary folder: data/, the socket, server.log */
	int port;	    /* the socket's number: DIR/.s.PGSQL.PORT */
	char conninfo[512]; /* superuser URI to the database "terrain" */
	pid_t watchdog;	    /* -1 when none */
	int lifeline;	    /* write end of the watchdog's pipe; -1 when none */
	bool running;
};

enum pgserver_state {
	PGSERVER_RUNNING = 0,
	PGSERVER_SKIPPED, /* binaries absent and $CI unset: a loud message on stderr */
	PGSERVER_FAILED,  /* message on stderr; also binaries absent when $CI is set */
};

/* Whether the server binaries are there, or CI is set (where their
 * absence is a failure, not a skip): whether tests that need a server
 * should be registered. */
bool pgserver_wanted(void);

/* Start a server with an empty database "terrain".  pg is filled whatever
 * the outcome; pgserver_stop() is safe on it afterwards. */
enum pgserver_state pgserver_start(struct pgserver *pg);

/* Stop the server and remove its folder (nothing when not started). */
void pgserver_stop(struct pgserver *pg);

/* The URI of database db (NULL: "terrain") as user (NULL: "postgres"),
 * appended to out. */
void pgserver_url(const struct pgserver *pg, const char *db, const char *user, struct strbuf *out);

#endif
