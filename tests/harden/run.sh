#!/bin/sh
# Hardening suite (issue 11): outputs that are inputs, interruptions and
# leftovers, foreign parts, shards under a writer, pipes and FIFOs for
# every input, read-only projects, unusual project names, config paths.
# Each area is one file, tests/harden/*.sh, sourced in name order; each
# uses ok/bad from tests/lib.sh and works below $work.  Read-only cases
# run as the user nobody through setpriv, since root ignores permissions.
set -u
suite=harden
. "$(dirname "$0")/../lib.sh"
S=$top/sample-corpora
cd "$work" || exit 70
chmod 755 "$work"

# t_code NAME WANT CMD...: the command exits with WANT (output in $work/out, $work/err)
t_code() {
	name=$1 want=$2; shift 2
	"$@" >"$work/out" 2>"$work/err"; got=$?
	if [ "$got" = "$want" ]; then ok; else bad "$name: exit $got, want $want"; head -5 "$work/err"; fi
}
# t_err NAME TEXT: the last command's standard error holds TEXT
t_err() {
	if grep -qF -- "$2" "$work/err"; then ok; else bad "$1: stderr lacks '$2'"; head -5 "$work/err"; fi
}
# t_same NAME A B: two files are byte for byte equal
t_same() {
	if cmp -s "$2" "$3"; then ok; else bad "$1: $2 and $3 differ"; fi
}
# import_sample PROJECT [extra options]: the en-de sample with its alignments
import_sample() {
	p=$1; shift
	$FERRY import "$p" --src "$S/en-de/src.conll" --tgt "$S/en-de/tgt.txt" \
		--align "$S/en-de/fwd.align" --align-rev "$S/en-de/rev.align" -q "$@"
}
# as_nobody CMD...: run CMD as an unprivileged user (permissions apply)
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

for f in "$here"/[0-9]*.sh; do
	[ -f "$f" ] || continue
	. "$f"
done

echo "harden: $pass passed, $fail failed"
[ "$fail" = 0 ]
