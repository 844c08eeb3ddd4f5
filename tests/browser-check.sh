#!/bin/sh
# make browser-check: the golden territories' notes in headless Chromium.
#
#   tests/browser-check.sh TERRAIN OUTDIR EXAMPLE.ini CODE...
#
# The example project (EXAMPLE.ini) and one project per CODE, made by
# `terrain init` under OUTDIR/projects/, each reported in French and in
# English with TERRAIN_DATE fixed; each note.html and note.en.html is opened
# in headless Chromium twice:
#   - inside a measuring page (OUTDIR/measure.html, which reads the note in
#     an iframe: --allow-file-access-from-files) that prints the note's
#     height, the length of its body's text, how many of its images did
#     not load and by how many pixels it is wider than the A4 window: an
#     empty body, a missing image (Chromium logs no console message for an
#     image that is not there) or a table or chart wider than the page
#     fails;
#   - alone, in a window as tall as the note, for a full-page screenshot,
#     OUTDIR/<territory>-<lang>.png, with Chromium's log on stderr: any
#     console message fails (the note has no script: a message is an error,
#     a blocked or missing resource; Chromium logs console.error and
#     console.log alike as INFO:CONSOLE).
# The check first proves it can fail: a page that logs an error, a page
# with an empty body, a page with a missing image and a page wider than
# the window must all be caught, or the check itself is broken.
set -eu
terrain=$1
out=$2
example=$3
shift 3
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
	echo "browser-check: chromium not found (Debian: apt-get install chromium)" >&2
	exit 1
fi
abs() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s/%s\n' "$(pwd)" "$1" ;; esac; }
mkdir -p "$out/projects" "$out/logs"
out=$(abs "$out")
width=794 # A4 at 96 dpi

# the flags this machine needs (no network: no background connections)
browse() {
	"$chromium" --headless=new --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-quic --user-data-dir="$out/profile" --hide-scrollbars \
		--virtual-time-budget=5000 "$@"
}

# measure FILE LOG: prints "height=H text=N broken=B over=W" for the page FILE
measure() {
	cat >"$out/measure.html" <<EOF
<!DOCTYPE html><html><body><iframe id="f" src="file://$1" style="width:${width}px;height:400px;border:0"></iframe>
<script>
document.getElementById('f').onload = function () {
  var d = this.contentDocument, p = document.createElement('pre');
  var broken = 0;
  for (var i = 0; i < d.images.length; i++)
    if (!d.images[i].complete || !d.images[i].naturalWidth)
      broken++;
  p.textContent = 'height=' + d.documentElement.scrollHeight + ' text=' +
    (d.body ? d.body.innerText.trim().length : 0) + ' broken=' + broken + ' over=' +
    (d.documentElement.scrollWidth - d.documentElement.clientWidth);
  document.body.appendChild(p);
};
</script></body></html>
EOF
	browse --allow-file-access-from-files --dump-dom "file://$out/measure.html" 2>"$2" |
		grep -o 'height=[0-9]* text=[0-9]* broken=[0-9]* over=-*[0-9]*' || true
}

# check FILE PNG NAME: 0 when the page has text and logs nothing
check() {
	m=$(measure "$1" "$out/logs/$3.measure.log")
	height=${m#height=}
	height=${height%% *}
	text=${m#*text=}
	text=${text%% *}
	broken=${m#*broken=}
	broken=${broken%% *}
	over=${m#*over=}
	if [ -z "$m" ] || [ "$text" -eq 0 ]; then
		echo "browser-check: $1: empty body (${m:-not measured})" >&2
		return 1
	fi
	if [ "$broken" -ne 0 ]; then
		echo "browser-check: $1: $broken image(s) did not load" >&2
		return 1
	fi
	if [ "$over" -gt 0 ]; then
		echo "browser-check: $1: $over px wider than the $width px page" >&2
		return 1
	fi
	browse --enable-logging=stderr --v=0 --window-size="$width,$height" --screenshot="$2" \
		"file://$1" 2>"$out/logs/$3.log" >/dev/null || true
	if grep -qE ':CONSOLE[:(]|Uncaught|Failed to load resource' "$out/logs/$3.log"; then
		echo "browser-check: $1 logged errors in Chromium:" >&2
		grep -E 'CONSOLE|Uncaught|Failed to load' "$out/logs/$3.log" >&2 || true
		return 1
	fi
	if [ ! -s "$2" ]; then
		echo "browser-check: no screenshot of $1" >&2
		return 1
	fi
	echo "browser-check: $1: ${height} px high, not wider than the page, $text characters, every image loaded, no console message: $2"
}

# the check can fail
printf '<!DOCTYPE html><html><body><p>x</p><script>console.error("browser-check self-test")</script></body></html>\n' >"$out/bad.html"
printf '<!DOCTYPE html><html><head><title>empty</title></head><body> </body></html>\n' >"$out/empty.html"
printf '<!DOCTYPE html><html><body><p>x</p><img src="nowhere.png" alt="x"></body></html>\n' >"$out/missing.html"
printf '<!DOCTYPE html><html><body><table><tr><td style="min-width:2000px">x</td></tr></table></body></html>\n' >"$out/wide.html"
for bad in bad empty missing wide; do
	if check "$out/$bad.html" "$out/logs/$bad.png" "$bad" 2>/dev/null; then
		echo "browser-check: $out/$bad.html was not caught: the check is broken" >&2
		exit 1
	fi
done

# report DIR INI NAME: the notes of the project INI into DIR, checked
fail=0
report() {
	for lang in fr en; do
		TERRAIN_DATE=2026-11-29 "$terrain" -q report -c "$2" --output "$1" --lang "$lang" \
			>/dev/null
	done
	for lang in fr en; do
		sfx=
		[ "$lang" = en ] && sfx=.en
		note=$(ls "$1"/*/note$sfx.html)
		check "$note" "$out/$3-$lang.png" "$3-$lang" || fail=1
	done
}

report "$out/grenoble" "$(abs "$example")" grenoble
for code in "$@"; do
	name=$(printf '%s' "$code" | tr ':' '_')
	"$terrain" -q init "$out/projects/$name" --territory "$code" >/dev/null
	report "$out/projects/$name/out" "$out/projects/$name/terrain.ini" "$name"
done
exit $fail
