#!/bin/bash
# make bench, part 2: terrain refresh.
#  1. --region 84 (every commune, EPCI and département of Auvergne-Rhône-Alpes)
#     on a fresh store, then again with nothing changed (target under 10 s);
#  2. --all (every région, every level, France: 36 360 territories) into a
#     fresh store, then again with nothing changed (target under 5 s each),
#     on SQLite and, side by side, on PostgreSQL when TERRAIN_BENCH_PG_URL
#     names a database the bench may fill (postgresql://...; skipped
#     otherwise);
#  3. a small région (06, Mayotte: 23 territories) on an empty store and on
#     the all-France store of 2 (target under 0.1 s: what a région costs does
#     not grow with the store).
# Wall time, CPU time (user + system: on a machine shared with other jobs
# the wall time includes waiting for a processor) and peak RSS of each, and
# the load average before the runs.  Usage: bench/refresh.sh TERRAIN DIR
set -eu
bin=$1
dir=$2/refresh
rm -rf "$dir"
mkdir -p "$dir"
echo "refresh bench: load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

# one timed run: LABEL TARGET STORE ARGS...
timed() {
	local label=$1 target=$2 store=$3
	shift 3
	/usr/bin/time -f '%e %U %S %M' -o "$dir/time" env TERRAIN_STORE="$store" \
		"$bin" -q refresh "$@" >/dev/null
	read -r wall user sys rss <"$dir/time"
	ok=$(awk -v w="$wall" -v t="$target" 'BEGIN{print (w < t) ? "met" : "MISSED"}')
	printf '%-38s %6.2f s wall (CPU %5.2f + %4.2f s), peak RSS %4d MB; target under %s s: %s\n' \
		"$label" "$wall" "$user" "$sys" $((rss / 1024)) "$target" "$ok"
}

for run in first again; do
	timed "refresh reg:84 ($run run, sqlite)" 10 "$dir/store.db" --region 84 --output "$dir/out"
done
printf 'refresh reg:84: %s rows in indicators.csv, store %s MB\n' \
	"$(($(wc -l <"$dir/out/indicators.csv") - 1))" "$(($(du -cm "$dir"/store.db* | tail -1 | cut -f1)))"

for run in fresh again; do
	timed "refresh --all ($run, sqlite)" 5 "$dir/all.db" --all --output "$dir/all"
done
printf 'refresh --all: %s rows in indicators.csv, store %s MB\n' \
	"$(($(wc -l <"$dir/all/indicators.csv") - 1))" "$(($(du -cm "$dir"/all.db* | tail -1 | cut -f1)))"
# the PostgreSQL back end, side by side: the same runs into the database of
# TERRAIN_BENCH_PG_URL (emptied of terrain's tables first by the caller)
if [ -n "${TERRAIN_BENCH_PG_URL:-}" ]; then
	for run in fresh again; do
		timed "refresh --all ($run, postgresql)" 5 "$TERRAIN_BENCH_PG_URL" --all \
			--output "$dir/all-pg"
	done
	if cmp -s "$dir/all/indicators.csv" "$dir/all-pg/indicators.csv"; then
		echo "refresh --all: the same indicators.csv from both back ends"
	else
		echo "refresh --all: indicators.csv DIFFERS between the back ends"
	fi
else
	echo "refresh --all (postgresql): skipped (set TERRAIN_BENCH_PG_URL=postgresql://...)"
fi

timed "refresh reg:06 (empty store)" 0.1 "$dir/small.db" --region 06 --output "$dir/small"
timed "refresh reg:06 (all-France store)" 0.1 "$dir/all.db" --region 06 --output "$dir/small"
