#!/bin/bash
# make bench, part 3: what a command costs before its own work, loading the
# bundled tables (the geography, the census, the BDM series; Filosofi and
# the social tables when indicators are computed).  Each command 10 times;
# the median wall and CPU (user + system) time.  Usage: bench/load.sh
# TERRAIN DIR
set -eu
bin=$1
dir=$2/load
rm -rf "$dir"
mkdir -p "$dir"
echo "load bench: load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

# LABEL CMD...: the median of 10 runs
timed() {
	local label=$1
	shift
	: >"$dir/times"
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		rm -f "$dir"/store.db*
		/usr/bin/time -f '%e %U %S' -a -o "$dir/times" env TERRAIN_STORE="$dir/store.db" \
			"$@" >/dev/null
	done
	local n w c
	n=$(wc -l <"$dir/times")
	w=$(cut -d' ' -f1 "$dir/times" | sort -n | sed -n "$(((n + 1) / 2))p")
	c=$(awk '{ print $2 + $3 }' "$dir/times" | sort -n | sed -n "$(((n + 1) / 2))p")
	printf '%-38s %6.2f s wall (CPU %5.2f s), median of %d\n' "$label" "$w" "$c" "$n"
}

timed "territory show 38185" "$bin" territory show 38185
timed "indicators -t 38185" "$bin" indicators -t 38185
timed "refresh --region 06 (empty store)" "$bin" -q refresh --region 06 --output "$dir/out"
