#!/bin/sh
# make layers: every #include "../DIR/x.h" must point down the layers
#   core <- ingest <- analysis <- report <- pipeline <- web <- cli
# where report/ reads results, never sources: it includes core/ and analysis/
# but not ingest/ (DESIGN.md).  A folder may include its own files.
# Usage: tests/layers.sh [ROOT]   (ROOT: the source tree, default .)
# Prints each wrong edge as FILE:LINE: DIR/ includes UP/x.h and exits 1.
root=${1:-.}
allowed() {
	case $1 in
	core) echo "core" ;;
	ingest) echo "core ingest" ;;
	analysis) echo "core ingest analysis" ;;
	report) echo "core analysis report" ;;
	pipeline) echo "core ingest analysis report pipeline" ;;
	web) echo "core ingest analysis report pipeline web" ;;
	cli) echo "core ingest analysis report pipeline web cli" ;;
	esac
}
tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp"' EXIT
bad=0
for dir in core ingest analysis report pipeline web cli; do
	[ -d "$root/$dir" ] || continue
	ok=$(allowed "$dir")
	for f in "$root/$dir"/*.c "$root/$dir"/*.h; do
		[ -f "$f" ] || continue
		grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"\.\./' "$f" |
			sed 's|^\([0-9]*\):.*"\.\./\([^/"]*\)/\([^"]*\)".*|\1 \2 \3|' >"$tmp"
		while read -r line up name; do
			case " $ok " in
			*" $up "*) ;;
			*)
				echo "${f#"$root"/}:$line: $dir/ includes $up/$name (expected only $ok)"
				bad=1
				;;
			esac
		done <"$tmp"
	done
done
if [ "$bad" = 1 ]; then
	echo "make layers: includes point up the layers (core <- ingest <- analysis <- report <- pipeline <- web <- cli)" >&2
	exit 1
fi
echo "make layers: every include points down (core <- ingest <- analysis <- report <- pipeline <- web <- cli)"
