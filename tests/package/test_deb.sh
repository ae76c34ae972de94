#!/usr/bin/env bash
# The Debian package, installed and run as a county's IT office would.
#
# Builds it with tools/package (or takes $JINTONG_DEB) and checks its
# contents.  Then, as root only, installs it on this machine with dpkg,
# starts the daemon with the command line of the installed systemd unit as
# the "jintong" user against a fresh database in the test cluster
# ($JINTONG_TEST_PG), checks that it becomes ready and migrates the database
# by itself, stops it with SIGTERM, removes and purges the package, and
# checks that nothing is left.
#
# Exit 77 (skipped) when not root, without a test cluster, or when Jintong
# is already installed here (by a package or by hand): it never replaces an
# installation it did not make.

# shellcheck disable=SC2317 # functions called from traps and check
set -uo pipefail

root=${JINTONG_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
PGBIN=/usr/lib/postgresql/15/bin
psql_bin=$PGBIN/psql
[ -x "$psql_bin" ] || psql_bin=psql

failures=0
say() { printf 'test_deb: %s\n' "$*"; }
ok() { printf 'ok   %s\n' "$*"; }
bad() { printf 'FAIL %s\n' "$*"; failures=$((failures + 1)); }
check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}
skip() { say "skipped: $*"; exit 77; }
abort() { bad "$*"; exit 1; }
quiet() { "$@" >/dev/null 2>&1; }

# --- the package file -------------------------------------------------------

if [ -n "${JINTONG_DEB:-}" ]; then
	deb=$JINTONG_DEB
	say "using $deb"
else
	say "building the package with tools/package"
	deb=$("$root/tools/package" | tail -n 1) || abort "tools/package failed"
fi
[ -f "$deb" ] || abort "no package file: $deb"

version=$(dpkg-deb -f "$deb" Version)
contents=$(dpkg-deb -c "$deb" | awk '{ print $NF }' | sed 's|^\./|/|')
for f in /usr/sbin/jintongd /usr/bin/jintong /usr/bin/jintong-sim /usr/bin/jintong-solve \
	/usr/lib/systemd/system/jintongd.service /etc/jintong/jintongd.conf.sample \
	/usr/share/jintong/sql/001_fleet.sql /usr/share/doc/jintong/copyright; do
	check "package contains $f" grep -qx "$f" <<<"$contents"
done
check "package does not contain /etc/jintong/jintongd.conf" \
	test -z "$(grep -x /etc/jintong/jintongd.conf <<<"$contents")"
check "package owner is root" test -z "$(dpkg-deb -c "$deb" | awk '$2 != "root/root"')"
ctl=$(mktemp -d)
dpkg-deb -e "$deb" "$ctl/DEBIAN"
check "conffiles is the sample only" \
	test "$(cat "$ctl/DEBIAN/conffiles" 2>/dev/null)" = /etc/jintong/jintongd.conf.sample
for field in Package Version Architecture Maintainer Depends Description; do
	check "control has $field" test -n "$(dpkg-deb -f "$deb" "$field")"
done
check "Architecture is $(dpkg --print-architecture)" \
	test "$(dpkg-deb -f "$deb" Architecture)" = "$(dpkg --print-architecture)"
rm -rf "$ctl"

# --- installing it on this machine ---------------------------------------------

[ "$(id -u)" -eq 0 ] || skip "installing the package needs root (the package file was checked)"
[ -n "${JINTONG_TEST_PG:-}" ] || skip "JINTONG_TEST_PG is not set (run through tests/run)"

status=$(dpkg-query -W -f='${db:Status-Abbrev}' jintong 2>/dev/null || true)
case "$status" in
"" | un*) ;;
*) skip "a package named jintong is already on this machine ($status); not touching it" ;;
esac
for f in /usr/sbin/jintongd /usr/bin/jintong /etc/jintong/jintongd.conf; do
	[ ! -e "$f" ] || skip "$f exists outside dpkg; not replacing it"
done
getent passwd jintong >/dev/null && skip "a user named jintong exists; purging would remove it"
getent group jintong >/dev/null && skip "a group named jintong exists; purging would remove it"

db=jt_deb_$$
tmp=$(mktemp -d)
chmod 0755 "$tmp"
installed=0
ru_pid=
dpid=

admin_sql() { "$psql_bin" -X -q -v ON_ERROR_STOP=1 "$JINTONG_TEST_PG" -c "$1"; }
db_sql() { "$psql_bin" -X -qAt -v ON_ERROR_STOP=1 "$JINTONG_TEST_PG dbname=$db" -c "$1"; }

cleanup() {
	if [ -n "$dpid" ] && kill -0 "$dpid" 2>/dev/null; then
		kill -KILL "$dpid" 2>/dev/null
	fi
	[ -z "$ru_pid" ] || wait "$ru_pid" 2>/dev/null
	if [ "$installed" -eq 1 ]; then
		dpkg --purge jintong >/dev/null 2>&1 || say "cleanup: dpkg --purge jintong failed"
	fi
	admin_sql "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT

# Installation.
installed=1
if ! dpkg -i "$deb" >"$tmp/dpkg-i.log" 2>&1; then
	cat "$tmp/dpkg-i.log"
	abort "dpkg -i $deb"
fi
ok "dpkg -i $(basename "$deb")"
check "dpkg says jintong $version is installed" \
	test "$(dpkg-query -W -f='${db:Status-Abbrev}${Version}' jintong)" = "ii $version"
mapfile -t listed < <(dpkg -L jintong)
for f in /usr/sbin/jintongd /usr/bin/jintong /etc/jintong/jintongd.conf.sample; do
	check "dpkg -L lists $f" grep -qx "$f" < <(printf '%s\n' "${listed[@]}")
done
unit=$(printf '%s\n' "${listed[@]}" | grep -E '/systemd/system/jintongd\.service$' | head -n 1)
check "dpkg -L lists the systemd unit ($unit)" test -n "$unit"
missing=0
for f in "${listed[@]}"; do [ -e "$f" ] || { say "missing: $f"; missing=1; }; done
check "every file dpkg lists is in place (${#listed[@]})" test "$missing" -eq 0
check "user jintong exists" quiet getent passwd jintong
check "group jintong exists" quiet getent group jintong
no_login() {
	case "$(getent passwd jintong | cut -d: -f7)" in
	*/nologin | */false) [ ! -e /var/lib/jintong ] ;;
	*) return 1 ;;
	esac
}
check "user jintong has no login shell and no home made" no_login
check "/etc/jintong/jintongd.conf exists" test -f /etc/jintong/jintongd.conf
check "/etc/jintong/jintongd.conf is 0640 root:jintong" \
	test "$(stat -c '%a %U %G' /etc/jintong/jintongd.conf)" = "640 root jintong"
check "/etc/jintong/jintongd.conf is the sample" \
	cmp -s /etc/jintong/jintongd.conf /etc/jintong/jintongd.conf.sample
check "/usr/bin/jintong --version says $version" \
	test "$(/usr/bin/jintong --version)" = "jintong $version"
check "/usr/sbin/jintongd --version says $version" \
	test "$(/usr/sbin/jintongd --version)" = "jintongd $version"
if command -v systemd-analyze >/dev/null 2>&1 && [ -n "$unit" ]; then
	out=$(cd / && systemd-analyze verify --man=no "$unit" 2>&1)
	check "systemd-analyze verify $unit" test -z "$out"
	[ -z "$out" ] || printf '%s\n' "$out"
fi

# The daemon, started as the unit starts it.
exec_line=$(sed -n 's/^ExecStart=//p' "$unit" | head -n 1)
exec_line=${exec_line#"${exec_line%%[!@:+!-]*}"} # systemd's prefixes (-, @, +, …)
read -ra cmd <<<"$exec_line"
check "ExecStart= runs /usr/sbin/jintongd ($exec_line)" test "${cmd[0]:-}" = /usr/sbin/jintongd
check "the unit runs as User=jintong" grep -qx 'User=jintong' "$unit"
check "--check-config as user jintong accepts the installed configuration" \
	quiet runuser -u jintong -- "${cmd[@]}" --check-config

admin_sql "CREATE DATABASE $db" >/dev/null || abort "cannot create database $db"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
say "starting: runuser -u jintong -- ${cmd[*]} (database $db, listen 127.0.0.1:$port)"
(cd / && exec runuser -u jintong -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	"JINTONG_DATABASE=$JINTONG_TEST_PG dbname=$db" "JINTONG_LISTEN=127.0.0.1:$port" \
	"${cmd[@]}") >"$tmp/jintongd.log" 2>&1 &
ru_pid=$!
# runuser waits for the daemon as its child; signals go to the daemon itself.
for _ in $(seq 50); do
	dpid=$(pgrep -P "$ru_pid" | head -n 1)
	[ -z "$dpid" ] || break
	sleep 0.1
done
[ -n "$dpid" ] || { cat "$tmp/jintongd.log"; abort "jintongd did not start"; }
ready=0
for _ in $(seq 150); do
	if curl -fsS -o /dev/null "$url/readyz" 2>/dev/null; then ready=1; break; fi
	kill -0 "$dpid" 2>/dev/null || break
	sleep 0.2
done
if [ "$ready" -ne 1 ]; then
	cat "$tmp/jintongd.log"
	abort "jintongd did not answer 200 on /readyz within 30 s"
fi
ok "jintongd is ready ($url/readyz)"
check "jintongd runs as user jintong" test "$(ps -o user= -p "$dpid" | tr -d ' ')" = jintong
migrations=$(db_sql "SELECT count(*) FROM schema_migration" 2>/dev/null)
check "migrations applied on first start (schema_migration has ${migrations:-no} rows)" \
	test "${migrations:-0}" -gt 0
cli_refused() {
	JINTONG_TOKEN=wrong /usr/bin/jintong --url "$url" vehicle list >/dev/null 2>&1
	[ $? -eq 5 ]
}
check "/usr/bin/jintong reaches it (a wrong operator token: exit 5, not authorised)" cli_refused
kill -TERM "$dpid"
wait "$ru_pid"
rc=$?
ru_pid=
check "SIGTERM: jintongd exits 0 (status $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$tmp/jintongd.log"
dpid=

# Installing again (an upgrade) keeps the operators' file.
echo '# changed by the operator' >>/etc/jintong/jintongd.conf
dpkg -i "$deb" >"$tmp/dpkg-i2.log" 2>&1 || { cat "$tmp/dpkg-i2.log"; bad "dpkg -i again"; }
check "installing again keeps the operators' /etc/jintong/jintongd.conf" \
	grep -qx '# changed by the operator' /etc/jintong/jintongd.conf

# Removing keeps configuration and user; purging removes them.
dpkg -r jintong >"$tmp/dpkg-r.log" 2>&1 || { cat "$tmp/dpkg-r.log"; bad "dpkg -r jintong"; }
check "dpkg -r removes /usr/sbin/jintongd" test ! -e /usr/sbin/jintongd
check "dpkg -r keeps /etc/jintong/jintongd.conf" test -f /etc/jintong/jintongd.conf
check "dpkg -r keeps user jintong" quiet getent passwd jintong
dpkg --purge jintong >"$tmp/dpkg-purge.log" 2>&1 || { cat "$tmp/dpkg-purge.log"; bad "dpkg --purge jintong"; }
installed=0
check "dpkg --purge: jintong is no longer known to dpkg" \
	test -z "$(dpkg-query -W -f='${db:Status-Abbrev}' jintong 2>/dev/null | grep -v '^un')"
left=0
for f in "${listed[@]}"; do
	if [ -f "$f" ] || [ -L "$f" ]; then say "left: $f"; left=1; fi
done
check "dpkg --purge: every file of the package is gone" test "$left" -eq 0
check "dpkg --purge: /etc/jintong is gone" test ! -e /etc/jintong
check "dpkg --purge: user jintong is gone" test -z "$(getent passwd jintong)"
check "dpkg --purge: group jintong is gone" test -z "$(getent group jintong)"

if [ "$failures" -gt 0 ]; then
	say "$failures checks failed"
	exit 1
fi
say "all checks passed"
exit 0
