#!/bin/bash
# make bench, part 2: terrain refresh --region 84 (every commune, EPCI and
# département of Auvergne-Rhône-Alpes) on a fresh store, then again with
# nothing changed: wall time and peak RSS against the target (under 10 s on
# a 2-core machine).  Usage: bench/refresh.sh TERRAIN DIR
set -eu
bin=$1
dir=$2/refresh
rm -rf "$dir"
mkdir -p "$dir"
target=10
for run in first again; do
	/usr/bin/time -f '%e %M' -o "$dir/time.$run" env TERRAIN_STORE="$dir/store.db" \
		"$bin" -q refresh --region 84 --output "$dir/out" >/dev/null
	read -r wall rss <"$dir/time.$run"
	ok=$(awk -v w="$wall" -v t="$target" 'BEGIN{print (w < t) ? "met" : "MISSED"}')
	printf 'refresh reg:84 (%s run): %6.2f s wall, peak RSS %d MB; target under %d s: %s\n' \
		"$run" "$wall" $((rss / 1024)) "$target" "$ok"
done
printf 'refresh reg:84: %s rows in indicators.csv, store %s MB\n' \
	"$(($(wc -l <"$dir/out/indicators.csv") - 1))" "$(($(stat -c %s "$dir/store.db") / 1048576))"
