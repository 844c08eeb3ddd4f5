#define _XOPEN_SOURCE 700
#define _GNU_SOURCE   /* setgroups, pipe2 */
#include "pgserver.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The folder of initdb and pg_ctl, or false when there is none. */
static bool find_bindir(char *out, size_t cap)
{
	const char *env = getenv("TERRAIN_PG_BINDIR");
	if (env && *env) {
		char initdb[512];
		snprintf(out, cap, "%s", env);
		snprintf(initdb, sizeof(initdb), "%s/initdb", env);
		return access(initdb, X_OK) == 0;
	}
	glob_t g;
	bool found = false;
	/* glob sorts: the last is the newest version with at most two digits,
	 * which is what Debian ships */
	if (glob("/usr/lib/postgresql/*/bin/initdb", 0, NULL, &g) == 0 && g.gl_pathc) {
		snprintf(out, cap, "%s", g.gl_pathv[g.gl_pathc - 1]);
		char *slash = strrchr(out, '/');
		if (slash)
			*slash = '\0';
		found = true;
	}
	globfree(&g);
	return found;
}

/* Run argv (argv[0] a full path) as runner (NULL: ourselves), its output
 * appended to log; its exit status, or -1. */
static int run_as(const struct passwd *runner, const char *const argv[], const char *log)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* the runner first: the log is its file, pg_ctl -l appends to it */
		if (runner &&
		    (setgroups(0, NULL) || setgid(runner->pw_gid) || setuid(runner->pw_uid))) {
			fprintf(stderr, "cannot become %s: %s\n", runner->pw_name, strerror(errno));
			_exit(126);
		}
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		close(fd);
		int nul = open("/dev/null", O_RDONLY);
		if (nul >= 0)
			dup2(nul, 0);
		char *v[16]; /* execv's type: the same pointers, copied */
		size_t n = 0;
		for (; argv[n] && n < 15; n++)
			memcpy(&v[n], &argv[n], sizeof(v[n]));
		v[n] = NULL;
		execv(v[0], v);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The watchdog: wait for the test process to close its end (or die), then
 * stop the server and remove the folder. */
static void watchdog(const struct passwd *runner, const char *bindir, const char *dir, int fd)
{
	signal(SIGINT, SIG_IGN); /* a ^C to the tests must still clean up */
	signal(SIGTERM, SIG_IGN);
	char c;
	ssize_t r;
	do
		r = read(fd, &c, 1);
	while (r < 0 && errno == EINTR);
	char pgctl[512], data[300], log[300], pidfile[320];
	snprintf(pgctl, sizeof(pgctl), "%s/pg_ctl", bindir);
	snprintf(data, sizeof(data), "%s/data", dir);
	snprintf(log, sizeof(log), "%s/server.log", dir);
	snprintf(pidfile, sizeof(pidfile), "%s/postmaster.pid", data);
	if (access(pidfile, F_OK) == 0)
		run_as(
		    runner,
		    (const char *const[]){pgctl, "-D", data, "-m", "immediate", "-s", "stop", NULL},
		    log);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	_exit(0);
}

static void print_log(const char *dir)
{
	char path[300], line[512];
	snprintf(path, sizeof(path), "%s/server.log", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		fprintf(stderr, "  | %s", line);
	fclose(f);
}

bool pgserver_wanted(void)
{
	char bindir[256];
	const char *ci = getenv("CI");
	return (ci && *ci) || find_bindir(bindir, sizeof(bindir));
}

void pgserver_url(const struct pgserver *pg, const char *db, const char *user, struct strbuf *out)
{
	strbuf_addf(out, "postgresql:///%s?host=%s&port=%d&user=%s", db ? db : "terrain", pg->dir,
		    pg->port, user ? user : "postgres");
}

static enum pgserver_state failed(struct pgserver *pg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum pgserver_state failed(struct pgserver *pg, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "\npgserver: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (pg->dir[0])
		print_log(pg->dir);
	pgserver_stop(pg);
	return PGSERVER_FAILED;
}

enum pgserver_state pgserver_start(struct pgserver *pg)
{
	memset(pg, 0, sizeof(*pg));
	pg->watchdog = -1;
	pg->lifeline = -1;
	char bindir[256];
	const char *ci = getenv("CI");
	if (!find_bindir(bindir, sizeof(bindir))) {
		if (ci && *ci)
			return failed(pg, "%s",
				      "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/"
				      "initdb): CI is set, so the PostgreSQL tests fail; install "
				      "the Debian package postgresql");
		fprintf(stderr, "\n"
				"*** PostgreSQL tests SKIPPED: no server binaries under "
				"/usr/lib/postgresql/*/bin\n"
				"*** (install the Debian package postgresql; with CI set they fail "
				"instead)\n");
		return PGSERVER_SKIPPED;
	}
	const struct passwd *runner = NULL;
	struct passwd pwbuf;
	if (geteuid() == 0) {
		const struct passwd *p = getpwnam("postgres");
		if (!p)
			return failed(pg, "%s",
				      "running as root and there is no user \"postgres\" to run "
				      "the server as (initdb refuses root)");
		pwbuf = *p;
		runner = &pwbuf;
	}

	const char *base = getenv("TMPDIR");
	snprintf(pg->dir, sizeof(pg->dir), "%s/terrain-pg-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(pg->dir)) {
		pg->dir[0] = '\0';
		return failed(pg, "cannot make a temporary folder: %s", strerror(errno));
	}
	if (runner && chown(pg->dir, runner->pw_uid, runner->pw_gid))
		return failed(pg, "cannot give the folder to postgres: %s", strerror(errno));

	int fds[2];
	if (pipe2(fds, O_CLOEXEC))
		return failed(pg, "pipe: %s", strerror(errno));
	fflush(NULL);
	pg->watchdog = fork();
	if (pg->watchdog == 0) {
		close(fds[1]);
		watchdog(runner, bindir, pg->dir, fds[0]);
	}
	close(fds[0]);
	pg->lifeline = fds[1];
	if (pg->watchdog < 0) {
		pg->watchdog = -1;
		return failed(pg, "fork: %s", strerror(errno));
	}

	char initdb[300], pgctl[300], data[300], log[300], opts[600];
	snprintf(initdb, sizeof(initdb), "%s/initdb", bindir);
	snprintf(pgctl, sizeof(pgctl), "%s/pg_ctl", bindir);
	snprintf(data, sizeof(data), "%s/data", pg->dir);
	snprintf(log, sizeof(log), "%s/server.log", pg->dir);
	/* no TCP: the socket's number only names the socket file in our own
	 * folder, so any number is free; a random one all the same, so that a
	 * client left pointing at another test's folder never finds this one */
	pg->port = 20000 + (int)(((unsigned)getpid() * 2654435761u ^ (unsigned)time(NULL)) % 40000);
	snprintf(opts, sizeof(opts),
		 "-c listen_addresses= -c unix_socket_directories=%s -p %d -c fsync=off "
		 "-c synchronous_commit=off -c full_page_writes=off",
		 pg->dir, pg->port);
	if (run_as(runner,
		   (const char *const[]){initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E",
					 "UTF8", "--no-locale", "-N", NULL},
		   log) != 0)
		return failed(pg, "%s", "initdb failed:");
	if (run_as(runner,
		   (const char *const[]){pgctl, "-D", data, "-l", log, "-o", opts, "-w", "-t", "60",
					 "-s", "start", NULL},
		   log) != 0)
		return failed(pg, "%s", "the server did not start:");
	pg->running = true;

	struct strbuf url = STRBUF_INIT;
	pgserver_url(pg, "postgres", NULL, &url);
	PGconn *c = PQconnectdb(url.buf);
	strbuf_release(&url);
	PGresult *r = NULL;
	if (PQstatus(c) == CONNECTION_OK)
		r = PQexec(c, "CREATE DATABASE terrain");
	bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
	char msg[512];
	snprintf(msg, sizeof(msg), "%s", PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	if (!ok)
		return failed(pg, "cannot create the database terrain: %s", msg);
	struct strbuf sb = STRBUF_INIT;
	pgserver_url(pg, NULL, NULL, &sb);
	snprintf(pg->conninfo, sizeof(pg->conninfo), "%s", sb.buf);
	strbuf_release(&sb);
	return PGSERVER_RUNNING;
}

void pgserver_stop(struct pgserver *pg)
{
	if (pg->lifeline >= 0)
		close(pg->lifeline); /* the watchdog stops the server, removes the folder */
	pg->lifeline = -1;
	if (pg->watchdog > 0)
		while (waitpid(pg->watchdog, NULL, 0) < 0 && errno == EINTR)
			;
	pg->watchdog = -1;
	pg->running = false;
}
