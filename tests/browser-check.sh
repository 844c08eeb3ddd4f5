#!/bin/sh
# make browser-check: open the example's note.html in headless Chromium,
# fail on any console message (the note has no script: a message is an
# error, a blocked or missing resource; Chromium logs console.error and
# console.log alike as INFO:CONSOLE), and save a screenshot of the first
# page.
# The check first proves it can fail: a page that logs an error must be
# caught, or the check itself is broken.
#
#   tests/browser-check.sh NOTE.html OUTDIR
set -eu
note=$1
out=$2
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
	echo "browser-check: chromium not found (Debian: apt-get install chromium)" >&2
	exit 1
fi
mkdir -p "$out"
abs() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s/%s\n' "$(pwd)" "$1" ;; esac; }

# open URL, screenshot to PNG, console log to LOG; 0 when no warning or error
open_page() {
	"$chromium" --headless=new --no-sandbox --disable-gpu --no-first-run \
		--enable-logging=stderr --v=0 --virtual-time-budget=5000 \
		--window-size=794,1123 --screenshot="$2" "$1" 2>"$3" >/dev/null || true
	! grep -qE ':CONSOLE[:(]|Uncaught|Failed to load resource' "$3"
}

bad="$out/bad.html"
printf '<!DOCTYPE html><html><body><script>console.error("browser-check self-test")</script></body></html>\n' >"$bad"
if open_page "file://$(abs "$bad")" "$out/bad.png" "$out/bad.log"; then
	echo "browser-check: a page logging an error was not caught (see $out/bad.log): the check is broken" >&2
	exit 1
fi
if ! open_page "file://$(abs "$note")" "$out/note-page1.png" "$out/note.log"; then
	echo "browser-check: $note logged errors in Chromium:" >&2
	grep -E 'CONSOLE|Uncaught|Failed to load' "$out/note.log" >&2 || true
	exit 1
fi
if [ ! -s "$out/note-page1.png" ]; then
	echo "browser-check: no screenshot of $note" >&2
	exit 1
fi
echo "browser-check: $note opened without console errors; first page: $out/note-page1.png"
