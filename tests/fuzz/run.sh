#!/bin/sh
# make fuzz: run each target of tests/fuzz/targets.c under libFuzzer for
# SECONDS seconds, from its seeds and every input that ever failed, with
# ASan and UBSan; an input slower than 1 s, above 2 GB of memory, a crash,
# a leak or a sanitizer report fails the run and is kept under
# tests/fuzz/regressions/TARGET/ (make check replays that folder).
# Usage: tests/fuzz/run.sh FUZZER SECONDS WORKDIR TARGET...
set -u
fuzzer=$1
seconds=$2
work=$3
shift 3
failed=""
for t in "$@"; do
	corpus=$work/corpus/$t
	regress=tests/fuzz/regressions/$t
	mkdir -p "$corpus" "$regress"
	# the target's seed folder, as tests/fuzz/targets.c names it
	seeds=$(sed -n "s|^ *{\"$t\", [a-z_]*, \"\([^\"]*\)\"},|\1|p" tests/fuzz/targets.c)
	# and its dictionary, if it has one
	dict=""
	[ -f "tests/fuzz/dict/$t.dict" ] && dict="-dict=tests/fuzz/dict/$t.dict"
	echo "fuzz: $t for $seconds s (seeds: $seeds)"
	# shellcheck disable=SC2086 # $dict is one word or none
	if ! FUZZ_TARGET=$t "$fuzzer" -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 \
		$dict -print_final_stats=1 -artifact_prefix="$regress/" "$corpus" "$seeds" "$regress" \
		>"$work/$t.log" 2>&1; then
		failed="$failed $t"
		tail -40 "$work/$t.log"
	fi
	grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|cov: [0-9]+' "$work/$t.log" |
		tail -3 | sed "s|^|fuzz: $t: |"
done
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed (the inputs are under tests/fuzz/regressions/)" >&2
	exit 1
fi
echo "fuzz: $# targets, no failure"
