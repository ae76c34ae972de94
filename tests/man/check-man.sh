#!/bin/sh
# check-man.sh — the manual pages render without a warning and say what the
# programs say.
#
#   JINTONGD=path/to/jintongd JINTONG=path/to/jintong \
#       tests/man/check-man.sh daemon/jintongd.8 tools/jintong/jintong.1
#
# Checks:
#   * groff renders each page with every warning on (-ww) and prints none;
#   * jintongd.8 documents, under CONFIGURATION, every setting
#     `jintongd --print-config` prints, in the same order and no others, each
#     with the default it prints and "Needs a restart." exactly when it
#     says the setting needs one;
#   * jintongd.8 names every option `jintongd --help` shows;
#   * jintong.1 has an entry for every GROUP COMMAND `jintong --help` lists,
#     names every option of the program and of each command, and every exit
#     status `jintong --help` lists.
# Exits 0 when all hold, 1 naming each that does not, 77 (skipped) without groff.
set -u

if [ $# -ne 2 ] || [ -z "${JINTONGD:-}" ] || [ -z "${JINTONG:-}" ]; then
	echo "usage: JINTONGD=... JINTONG=... $0 jintongd.8 jintong.1" >&2
	exit 2
fi
daemon_page=$1
cli_page=$2

if ! command -v groff >/dev/null 2>&1; then
	echo "groff is not installed (Debian: apt-get install groff-base); skipping"
	exit 77
fi

# Sanitizer builds: a leak at exit is not what this test is about.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
export ASAN_OPTIONS
# The programs read settings from the environment; none may leak in.
for v in $(env | sed -n 's/^\(JINTONG_[A-Za-z0-9_]*\)=.*/\1/p'); do
	unset "$v"
done

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# The source of a page as plain words: no font changes, \- as -, no \& or \%.
plain() {
	sed -e 's/\\f[BIRP]//g' -e 's/\\f\[[A-Z]*\]//g' -e 's/\\-/-/g' \
	    -e 's/\\&//g' -e 's/\\%//g' -e 's/\\~/ /g' "$1"
}

# Lines of a section of plain(): from ".SH NAME" to the next ".SH".
section() {
	plain "$1" | awk -v want="$2" '
		/^\.SH/ { s = $0; sub(/^\.SH +/, "", s); gsub(/"/, "", s); on = (s == want); next }
		on'
}

# --- rendering -------------------------------------------------------------
for page in "$daemon_page" "$cli_page"; do
	if [ ! -r "$page" ]; then
		fail "$page: cannot read it"
		continue
	fi
	groff -man -Tutf8 -ww -z "$page" >"$tmp/warnings" 2>&1
	rc=$?
	if [ $rc -ne 0 ] || [ -s "$tmp/warnings" ]; then
		fail "$page: groff -man -Tutf8 -ww (status $rc):"
		sed 's/^/    /' "$tmp/warnings"
	fi
done

# --- jintongd.8 against jintongd ---------------------------------------------
if ! "$JINTONGD" --print-config >"$tmp/config" 2>"$tmp/err"; then
	fail "$JINTONGD --print-config failed:"
	sed 's/^/    /' "$tmp/err"
fi
if ! "$JINTONGD" --help >"$tmp/dhelp" 2>"$tmp/err"; then
	fail "$JINTONGD --help failed:"
	sed 's/^/    /' "$tmp/err"
fi

# name, default, restart (yes/no) of each setting, in the program's order:
#   # meaning (default: 127.0.0.1:8470; needs a restart to change)
#   listen = "127.0.0.1:8470"
awk '
	/^# / {
		c = $0
		def = c; sub(/.*\(default: /, "", def); sub(/[;)].*/, "", def)
		restart = index(c, "needs a restart") ? "yes" : "no"
		next
	}
	/^[a-z][a-z0-9_]* = / { print $1, def, restart; def = "?"; restart = "no" }
' "$tmp/config" >"$tmp/want"
if [ ! -s "$tmp/want" ]; then
	fail "$JINTONGD --print-config printed no settings"
fi

# The same from the page: each ".TP" then ".B name" under CONFIGURATION; its
# default is the word after "Default:", and it needs a restart when its text
# says "Needs a restart".
section "$daemon_page" CONFIGURATION | awk '
	function flush() {
		if (name != "")
			print name, (def == "" ? "?" : def), (restart ? "yes" : "no")
		name = ""; def = ""; restart = 0; text = ""
	}
	/^\.(TP|PP|P|LP|SS|SH)( |$)/ { flush(); tp = ($1 == ".TP"); next }
	tp && /^\.B [a-z][a-z0-9_]*$/ { name = $2; tp = 0; next }
	{
		tp = 0
		if (name == "")
			next
		line = $0
		sub(/^\.[A-Z]+ */, "", line)
		gsub(/"/, "", line)
		text = text " " line
		if (def == "" && match(text, /Default: *[^ ]+/)) {
			def = substr(text, RSTART, RLENGTH)
			sub(/^Default: */, "", def)
			sub(/[.,;]$/, "", def)
		}
		if (index(text, "Needs a restart"))
			restart = 1
	}
	END { flush() }
' >"$tmp/have"

cut -d' ' -f1 "$tmp/want" >"$tmp/want.names"
cut -d' ' -f1 "$tmp/have" >"$tmp/have.names"
while read -r name def restart; do
	line=$(grep -m1 "^$name " "$tmp/have")
	if [ -z "$line" ]; then
		fail "$daemon_page: setting '$name' (default: $def) is not documented under CONFIGURATION; its meaning, from --print-config:"
		grep -B1 "^$name = " "$tmp/config" | head -1 | sed 's/^/    /'
		continue
	fi
	set -- $line
	if [ "$2" != "$def" ]; then
		fail "$daemon_page: setting '$name' says 'Default: $2', jintongd says $def"
	fi
	if [ "$3" != "$restart" ]; then
		if [ "$restart" = yes ]; then
			fail "$daemon_page: setting '$name' needs a restart to change; say 'Needs a restart.'"
		else
			fail "$daemon_page: setting '$name' changes on SIGHUP, but the page says it needs a restart"
		fi
	fi
done <"$tmp/want"
while read -r name; do
	grep -qx "$name" "$tmp/want.names" ||
		fail "$daemon_page: setting '$name' is documented but jintongd --print-config has no such setting"
done <"$tmp/have.names"
if [ -s "$tmp/want.names" ] && ! cmp -s "$tmp/want.names" "$tmp/have.names"; then
	if [ "$(sort "$tmp/want.names")" = "$(sort "$tmp/have.names")" ]; then
		fail "$daemon_page: settings are not in --print-config's order:" \
			"$(tr '\n' ' ' <"$tmp/want.names")"
	fi
fi

plain "$daemon_page" >"$tmp/daemon.plain"
for opt in $(grep -o -- '--[a-z][a-z-]*' "$tmp/dhelp" | sort -u); do
	grep -Eq -- "(^|[^a-z-])$opt([^a-z-]|\$)" "$tmp/daemon.plain" ||
		fail "$daemon_page: option '$opt' of jintongd --help is not documented"
done

# --- jintong.1 against jintong --------------------------------------------
if ! "$JINTONG" --help >"$tmp/chelp" 2>"$tmp/err"; then
	fail "$JINTONG --help failed:"
	sed 's/^/    /' "$tmp/err"
fi
plain "$cli_page" >"$tmp/cli.plain"

# "  vehicle add    register a vehicle"
sed -n 's/^  \([a-z][a-z-]*\) \([a-z][a-z-]*\)  .*/\1 \2/p' "$tmp/chelp" >"$tmp/commands"
if [ ! -s "$tmp/commands" ]; then
	fail "$JINTONG --help lists no GROUP COMMAND lines"
fi
while read -r group command; do
	grep -Eq "^\.B jintong $group $command( |\$)" "$tmp/cli.plain" ||
		fail "$cli_page: 'jintong $group $command' has no entry (.TP / .B jintong $group $command ...) under COMMANDS"
	"$JINTONG" "$group" "$command" --help >"$tmp/cmdhelp" 2>&1 ||
		fail "$JINTONG $group $command --help failed"
	for opt in $(sed -n '/^Options:/,/^$/p' "$tmp/cmdhelp" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -Eq -- "(^|[^a-z-])$opt([^a-z-]|\$)" "$tmp/cli.plain" ||
			fail "$cli_page: option '$opt' of 'jintong $group $command' is not documented"
	done
done <"$tmp/commands"

for opt in $(sed -n '/^Options/,/^$/p' "$tmp/chelp" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
	grep -Eq -- "(^|[^a-z-])$opt([^a-z-]|\$)" "$tmp/cli.plain" ||
		fail "$cli_page: option '$opt' of jintong --help is not documented"
done

# "Exit status:" then "  0  success", ...
section "$cli_page" "EXIT STATUS" >"$tmp/cli.exit"
for code in $(sed -n '/^Exit status:/,/^$/s/^  \([0-9][0-9]*\)  .*/\1/p' "$tmp/chelp"); do
	awk -v c="$code" 'prev == ".TP" && $0 == ".B " c { found = 1 } { prev = $0 } END { exit !found }' \
		"$tmp/cli.exit" ||
		fail "$cli_page: exit status $code of jintong --help is not under EXIT STATUS"
done

if [ $failures -ne 0 ]; then
	echo "$failures problem(s): the manual pages and the programs disagree"
	exit 1
fi
echo "manual pages render cleanly and match jintongd and jintong"
