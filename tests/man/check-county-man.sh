#!/bin/sh
# check-county-man.sh — jintong-county(1) renders without a warning and names
# every command and option `jintong-county --help` prints, and the help
# names every option the page documents.
#
#   JINTONG_COUNTY=path/to/jintong-county tests/man/check-county-man.sh tools/sim/jintong-county.1
#
# Exits 0 when all hold, 1 naming each that does not, 77 (skipped) without groff.
set -u
page=$1
if ! command -v groff >/dev/null 2>&1; then
	echo "groff is not installed (Debian: apt-get install groff-base); skipping"
	exit 77
fi
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
export ASAN_OPTIONS
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

warnings=$(groff -man -ww -Tutf8 "$page" 2>&1 >/dev/null)
[ -z "$warnings" ] || fail "groff warns about $page: $warnings"

help=$("$JINTONG_COUNTY" --help) || fail "jintong-county --help failed"
# The page's source with \- as - and font changes gone.
text=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$page")

for opt in $(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
	printf '%s\n' "$text" | grep -q -- "$opt" || fail "the page does not name $opt"
done
for cmd in generate apply demand compare yardsticks book; do
	printf '%s\n' "$help" | grep -q "jintong-county $cmd" || fail "--help does not name $cmd"
	printf '%s\n' "$text" | grep -q "^\.BI* $cmd" || fail "the page has no entry for $cmd"
done
for opt in $(printf '%s\n' "$text" | grep -o -- '^\.BI --[a-z][a-z-]*' | sed 's/^\.BI //' | sort -u); do
	printf '%s\n' "$help" | grep -q -- "$opt" || fail "--help does not name $opt"
done
[ "$failures" -eq 0 ] || exit 1
echo "jintong-county(1) and --help agree"
