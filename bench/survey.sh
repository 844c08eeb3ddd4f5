#!/bin/bash
# make bench: time `terrain survey analyze` on GENERATED surveys of 10^4, 10^5
# and 10^6 respondents with 20 strata and 10 000 clusters (50 respondents
# each), a weight, two numbers and two categories, by one group: wall time
# and peak RSS (GNU time %e, %M), best of 2 runs.  The data are made here
# under WORKDIR (not committed), with a fixed seed.
#
#   bash bench/survey.sh TERRAIN WORKDIR
set -u
bin=$1 work=$2
export LC_ALL=C
mkdir -p "$work"
cat >"$work/survey_cb.csv" <<'CB'
variable;type;labels;role
strate;integer;;stratum
grappe;text;;cluster
poids;decimal;;weight
age;integer;;
sexe;single;F|H;
statut;single;emploi|chomage|inactif;
revenu;decimal;;
CB
printf '%-10s %10s %10s\n' respondents seconds "peak MB"
for n in 10000 100000 1000000; do
	f=$work/survey_$n.csv
	[ -s "$f" ] || python3 - "$n" "$f" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(1)
st = ["emploi", "chomage", "inactif"]
with open(path, "w") as f:
    f.write("strate;grappe;poids;age;sexe;statut;revenu\n")
    for i in range(n):
        h, g = i % 20, (i // 50) % 10000
        f.write(f"{h};{h}-{g};{1 + 3 * rng.random():.4f};{rng.randint(18, 80)};"
                f"{rng.choice('FH')};{rng.choice(st)};{3000 * rng.random():.2f}\n")
PY
	best=
	for run in 1 2; do
		/usr/bin/time -f '%e %M' -o "$work/time" "$bin" survey analyze "$f" \
			--codebook "$work/survey_cb.csv" --by sexe --format csv >"$work/out_$n.csv" ||
			{ echo "terrain failed on $f"; exit 1; }
		read -r sec kb <"$work/time"
		if [ -z "$best" ] || awk -v a="$sec" -v b="$best" 'BEGIN{exit !(a < b)}'; then
			best=$sec mem=$kb
		fi
	done
	printf '%-10s %10s %10d\n' "$n" "$best" $((mem / 1024))
done
