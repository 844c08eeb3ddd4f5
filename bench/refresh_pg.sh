#!/bin/bash
# make bench, PostgreSQL: terrain refresh into a PostgreSQL store, fresh and
# again with nothing changed, beside bench/refresh.sh's SQLite figures.  The
# server is a throwaway one started here as the tests start theirs
# (tests/pgserver.c): Debian's initdb and pg_ctl, a cluster in a temporary
# folder, no TCP, the Unix socket in that folder; run as the user postgres
# when we are root (initdb refuses root); stopped and removed on exit.
# Usage: bench/refresh_pg.sh TERRAIN DIR
set -eu
bin=$1
dir=$2/refresh_pg
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
	echo "refresh into PostgreSQL: skipped (no server binaries: apt-get install postgresql)"
	exit 0
fi
rm -rf "$dir"
mkdir -p "$dir"
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
	>"$dir/initdb.log"
"${as[@]}" "$bindir/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -s \
	-o "-c listen_addresses= -c unix_socket_directories=$pg -p $port" start
"$bindir/psql" -q "postgresql:///postgres?host=$pg&port=$port&user=postgres" \
	-c 'CREATE DATABASE terrain'
url="postgresql:///terrain?host=$pg&port=$port&user=postgres"
# every région when this terrain has --all, else Auvergne-Rhône-Alpes as
# bench/refresh.sh
if "$bin" refresh --help | grep -q -- '--all'; then scope=(--all); else scope=(--region 84); fi
target=5
for run in first again; do
	/usr/bin/time -f '%e %M' -o "$dir/time.$run" env TERRAIN_STORE="$url" \
		"$bin" -q refresh "${scope[@]}" --output "$dir/out" >/dev/null
	read -r wall rss <"$dir/time.$run"
	ok=$(awk -v w="$wall" -v t="$target" 'BEGIN{print (w < t) ? "met" : "MISSED"}')
	printf 'refresh %s into PostgreSQL (%s run): %6.2f s wall, peak RSS %d MB; target under %d s: %s\n' \
		"${scope[*]}" "$run" "$wall" $((rss / 1024)) "$target" "$ok"
done
printf 'refresh %s into PostgreSQL: %s rows in indicators.csv, database %s\n' "${scope[*]}" \
	"$(($(wc -l <"$dir/out/indicators.csv") - 1))" \
	"$("$bindir/psql" -Atq "$url" -c "SELECT pg_size_pretty(pg_database_size('terrain'))")"
