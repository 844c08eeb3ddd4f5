#!/bin/bash
# make bench: time `terrain census aggregate` against the tools a user would
# pick instead, on one task over a GENERATED FD_INDCVI-shaped file (see
# gen_indcvi.py): the weighted count (sum of IPONDI) and the number of
# records of the 15+ active (AGEREV >= 15, TACT 11 or 12), by DEPT and SEXE.
#
#   bash bench/run.sh TERRAIN FILE WORKDIR
#
# Each tool runs on the file once the page cache holds it (two `cat`s first).
# terrain, cat and DuckDB run 3 times and keep their best wall time (they are
# short, so noise from other jobs matters most to them); mlr, gawk and
# datamash run once.  Wall time and peak RSS come from GNU time (%e, %M: the
# largest process of a pipeline).  Results are compared across tools: same
# groups, same counts, weights within 1e-9 relative (the other tools sum in
# double; terrain sums exactly).
set -u
bin=$1 file=$2 work=$3
export LC_ALL=C
mkdir -p "$work"
out=$work/results
rm -rf "$out"
mkdir -p "$out"
size=$(stat -c %s "$file")
mb=$(awk -v s="$size" 'BEGIN { printf "%.0f", s / 1e6 }')
rows=$(($(wc -l < "$file") - 1))
echo "bench: $file: $mb MB, $rows records, $(head -1 "$file" | tr ';' '\n' | wc -l) columns"
echo "bench: $(nproc) cores; load average now $(cut -d' ' -f1-3 /proc/loadavg)"

if [ ! -x /usr/bin/time ]; then
	echo "bench: GNU time (/usr/bin/time) is missing: apt-get install time" >&2
	exit 1
fi

col() { head -1 "$file" | tr ';' '\n' | grep -nx "$1" | cut -d: -f1; }
A=$(col AGEREV) T=$(col TACT) D=$(col DEPT) S=$(col SEXE) W=$(col IPONDI)
filter='NR > 1 && $a + 0 >= 15 && ($t == "11" || $t == "12")'

declare -a names cmds reps
add() { names+=("$1"); cmds+=("$2"); reps+=("$3"); }
add "cat (floor)" "cat '$file' > /dev/null" 3
add "terrain" "'$bin' census aggregate '$file' --by DEPT,SEXE --where 'AGEREV >= 15 AND TACT IN (11, 12)' | tail -n +2 | tr , ';'" 3
if [ -d "$work/node_modules/@duckdb/node-api" ] && command -v node > /dev/null; then
	add "duckdb (node-api)" "NODE_PATH='$work/node_modules' node '$(dirname "$0")/duckdb.cjs' '$file'" 3
else
	echo "bench: skipping DuckDB (needs node and npm: @duckdb/node-api is installed by make bench when they are present)"
fi
if command -v mlr > /dev/null; then
	# Miller reads "015" as text (a leading zero could be octal) but "105" as a
	# number: strip the zeros of the text before int().  Its heap grows far
	# beyond its live data unless its Go runtime is given a limit (GOMEMLIMIT:
	# 2 GB for 200 000 records without one); the limit also makes it faster.
	add "mlr" "GOMEMLIMIT=1GiB mlr --icsv --ifs ';' --ocsv --ofs ';' --headerless-csv-output filter 'int(sub(string(\$AGEREV), \"^0+([0-9])\", \"\\1\")) >= 15 && (\$TACT == 11 || \$TACT == 12)' then stats1 -a count,sum -f IPONDI -g DEPT,SEXE '$file'" 1
else
	echo "bench: skipping mlr (apt-get install miller)"
fi
if command -v gawk > /dev/null; then
	add "gawk" "gawk -F';' -v a=$A -v t=$T -v d=$D -v s=$S -v w=$W '$filter { k = \$d \";\" \$s; n[k]++; x[k] += \$w } END { for (k in n) printf \"%s;%d;%.6f\\n\", k, n[k], x[k] }' '$file'" 1
	if command -v datamash > /dev/null; then
		add "gawk | datamash" "gawk -F';' -v OFS=';' -v a=$A -v t=$T -v d=$D -v s=$S -v w=$W '$filter { print \$d, \$s, \$w }' '$file' | datamash -t';' -s -g 1,2 count 3 sum 3 --format '%.6f'" 1
	else
		echo "bench: skipping datamash (apt-get install datamash)"
	fi
else
	echo "bench: skipping gawk and datamash (apt-get install gawk datamash)"
fi

cat "$file" > /dev/null
cat "$file" > /dev/null
declare -a wall rss
for i in "${!names[@]}"; do
	best="" bestrss=""
	for ((r = 0; r < ${reps[$i]}; r++)); do
		if ! /usr/bin/time -f "%e %M" -o "$out/time" bash -c "${cmds[$i]}" > "$out/$i.raw" 2> "$out/$i.err"; then
			echo "bench: ${names[$i]} failed: $(tail -1 "$out/$i.err")" >&2
			best="" && break
		fi
		read -r e m < <(tail -1 "$out/time")
		if [ -z "$best" ] || awk -v a="$e" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$e bestrss=$m
		fi
	done
	wall[$i]=$best rss[$i]=$bestrss
	# one line per group: DEPT;SEXE;records;weight with 6 decimals, sorted
	awk -F';' 'NF >= 4 { printf "%s;%s;%d;%.6f\n", $1, $2, $3, $4 }' "$out/$i.raw" | sort > "$out/$i.txt"
done

ref=1 # terrain
printf '\n%-20s %9s %9s %13s %14s\n' tool "wall s" "MB/s" "peak RSS MB" "time/terrain"
for i in "${!names[@]}"; do
	if [ -z "${wall[$i]}" ]; then
		printf '%-20s %9s\n' "${names[$i]}" failed
		continue
	fi
	awk -v n="${names[$i]}" -v w="${wall[$i]}" -v r="${rss[$i]}" -v t="${wall[$ref]}" -v s="$size" \
		'BEGIN { printf "%-20s %9.2f %9.0f %13.1f %14.2f\n", n, w, s / 1e6 / (w > 0 ? w : 0.001), r / 1024, w / (t > 0 ? t : 0.001) }'
done

echo
equal=1
for i in "${!names[@]}"; do
	[ "$i" = 0 ] || [ "$i" = "$ref" ] || [ -z "${wall[$i]}" ] && continue
	if awk -F';' 'NR == FNR { n[$1 ";" $2] = $3; w[$1 ";" $2] = $4; next }
		{ k = $1 ";" $2; seen[k] = 1
		  if (!(k in n) || n[k] != $3) { bad++; next }
		  d = w[k] - $4; if (d < 0) d = -d; m = $4 < 0 ? -$4 : $4
		  if (d > 1e-9 * m + 1e-6) bad++ }
		END { for (k in n) if (!(k in seen)) bad++; exit bad > 0 }' "$out/$ref.txt" "$out/$i.txt"; then
		echo "results: ${names[$i]} equals terrain ($(wc -l < "$out/$i.txt") groups)"
	else
		echo "results: ${names[$i]} DIFFERS from terrain (see $out/$ref.txt and $out/$i.txt)"
		equal=0
	fi
done

echo
verdict() { if awk "BEGIN { exit !($2) }"; then echo "target met:     $1"; else echo "target NOT met: $1"; fi; }
idx() {
	for i in "${!names[@]}"; do
		if [ "${names[$i]}" = "$1" ] && [ -n "${wall[$i]}" ]; then echo "$i"; fi
	done
}
t=${wall[$ref]}
i=$(idx "duckdb (node-api)"); [ -n "$i" ] && verdict "faster than DuckDB (${wall[$i]} s vs $t s)" "$t < ${wall[$i]}"
i=$(idx mlr); [ -n "$i" ] && verdict "at least 5 times faster than mlr ($(awk -v a="${wall[$i]}" -v b="$t" 'BEGIN { printf "%.1f", a / b }') times)" "${wall[$i]} >= 5 * $t"
i=$(idx gawk); [ -n "$i" ] && verdict "at least 5 times faster than gawk ($(awk -v a="${wall[$i]}" -v b="$t" 'BEGIN { printf "%.1f", a / b }') times)" "${wall[$i]} >= 5 * $t"
verdict "within 3 times the cat floor ($(awk -v a="$t" -v b="${wall[0]}" 'BEGIN { printf "%.2f", a / b }') times)" "$t <= 3 * ${wall[0]}"
verdict "peak RSS under 64 MB ($(awk -v r="${rss[$ref]}" 'BEGIN { printf "%.1f", r / 1024 }') MB)" "${rss[$ref]} < 64 * 1024"
[ "$equal" = 1 ] && echo "target met:     results equal across tools" || echo "target NOT met: results equal across tools"
