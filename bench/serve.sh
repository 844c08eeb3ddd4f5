#!/bin/bash
# make bench: terrain serve under load.  A study of Roubaix (59512) made by
# `terrain init` and `terrain run` in a workspace under WORKDIR, then
# `terrain serve` on a free loopback port and LOAD (bench/serve_load.c,
# libcurl multi): 50 concurrent clients asking its portrait page for 10 s.
# Prints the requests, errors and latency percentiles; fails on an error.
#
#   bash bench/serve.sh TERRAIN LOAD WORKDIR [CLIENTS SECONDS]
set -eu
bin=$(realpath "$1") load=$2 work=$3 clients=${4:-50} seconds=${5:-10}
ws=$work/serve-ws
rm -rf "$ws" "$work/serve-xdg"
mkdir -p "$ws" "$work/serve-xdg"
export XDG_DATA_HOME=$work/serve-xdg XDG_CACHE_HOME=$work/serve-xdg TERRAIN_DATE=2026-12-01
"$bin" -q init "$ws/roubaix" --territory 59512 --author bench >/dev/null
(cd "$ws/roubaix" && "$bin" -q run >/dev/null)
fifo=$work/serve.out
rm -f "$fifo"
"$bin" serve --port 0 --workspace "$ws" >"$fifo" 2>"$work/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
url=
for _ in $(seq 100); do
	url=$(sed -n 's|.*open \(http://[^ ]*\)/ in your browser.*|\1|p' "$fifo")
	[ -n "$url" ] && break
	sleep 0.1
done
[ -n "$url" ] || { echo "bench serve: terrain serve printed no address" >&2; exit 1; }
echo "terrain serve: $clients clients on $url/study/roubaix/portrait for $seconds s (target: p99 under 100 ms)"
"$load" "$url/study/roubaix/portrait" "$clients" "$seconds"
