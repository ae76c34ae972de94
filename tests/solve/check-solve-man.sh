#!/bin/sh
# check-solve-man.sh — jintong-solve.1 renders without a warning and names
# every option jintong-solve --help shows.
#
#   tests/solve/check-solve-man.sh path/to/jintong-solve tools/solve/jintong-solve.1
#
# Exits 0 when both hold, 1 naming what does not, 77 (skipped) without groff.
set -u
solver=$1
page=$2
if ! command -v groff >/dev/null 2>&1; then
	echo "groff is not installed (Debian: apt-get install groff-base); skipping"
	exit 77
fi
failures=0
warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
if [ -n "$warnings" ]; then
	echo "FAIL: $page: groff -man -Tutf8 -ww:"
	echo "$warnings" | sed 's/^/    /'
	failures=$((failures + 1))
fi
help=$("$solver" --help) || { echo "FAIL: $solver --help failed"; exit 1; }
plain=$(sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\&//g' "$page")
for opt in $(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
	if ! printf '%s\n' "$plain" | grep -Eq -- "(^|[^a-z-])$opt([^a-z-]|\$)"; then
		echo "FAIL: $page: option '$opt' of jintong-solve --help is not documented"
		failures=$((failures + 1))
	fi
done
[ $failures -eq 0 ] || exit 1
echo "jintong-solve.1 renders cleanly and documents every option"
