#!/bin/bash
# make bench, refresh: bench/refresh.sh with its PostgreSQL runs side by
# side, into a throwaway server started here as the tests start theirs
# (tests/pgserver.c): Debian's initdb and pg_ctl, a cluster in a temporary
# folder, no TCP, the Unix socket in that folder, the server's default
# settings (fsync on); run as the user postgres when we are root (initdb
# refuses root); stopped and removed on exit.  With TERRAIN_BENCH_PG_URL set
# (a database of your own), or without the server binaries, refresh.sh runs
# as it is.  Usage: bench/refresh_pg.sh TERRAIN DIR
set -eu
bin=$1
bench=$2
here=$(dirname "$0")
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -n "${TERRAIN_BENCH_PG_URL:-}" ] || [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
	exec bash "$here/refresh.sh" "$bin" "$bench"
fi
pg=$(mktemp -d "${TMPDIR:-/tmp}/terrain-bench-pg.XXXXXX")
as=()
if [ "$(id -u)" = 0 ]; then
	chown postgres "$pg"
	as=(runuser -u postgres --)
fi
stop() {
	"${as[@]}" "$bindir/pg_ctl" -D "$pg/data" -m immediate -s stop >/dev/null 2>&1 || true
	rm -rf "$pg"
}
trap stop EXIT
port=$((20000 + RANDOM % 40000))
"${as[@]}" "$bindir/initdb" -D "$pg/data" -U postgres --auth=trust -E UTF8 --no-locale -N \
	>/dev/null
"${as[@]}" "$bindir/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -s \
	-o "-c listen_addresses= -c unix_socket_directories=$pg -p $port" start
"$bindir/psql" -q "postgresql:///postgres?host=$pg&port=$port&user=postgres" \
	-c 'CREATE DATABASE terrain'
url="postgresql:///terrain?host=$pg&port=$port&user=postgres"
TERRAIN_BENCH_PG_URL=$url bash "$here/refresh.sh" "$bin" "$bench"
echo "refresh --all (postgresql): database $("$bindir/psql" -Atq "$url" \
	-c "SELECT pg_size_pretty(pg_database_size('terrain'))")"
