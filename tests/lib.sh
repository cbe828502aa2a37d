# tests/lib.sh — what the test scripts share.  Set `suite` (the work
# directory's name) and source this file; it sets here, top, exp, work and
# the binaries (FERRY, SQLEXEC, GEN, each overridable from the
# environment), removes the work directory on exit (redefine cleanup to do
# more), and counts with ok, bad and golden.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
FERRY=${FERRY:-$top/ferry}
SQLEXEC=${SQLEXEC:-$top/build/sqlexec}
GEN=${GEN:-$top/build/gen}
exp=$here/expected
work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-$suite-XXXXXX")
cleanup() { rm -rf "$work"; }
trap 'cleanup' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# golden NAME FILE: FILE equals expected/NAME; UPDATE=1 rewrites expected/NAME
golden() {
	[ "${UPDATE:-0}" = 1 ] && cp "$2" "$exp/$1"
	if cmp -s "$2" "$exp/$1"; then ok; else bad "$1 differs from its golden file"; diff "$exp/$1" "$2" | head -10; fi
}
