#!/bin/sh
# Crash safety: `ferry review --keys` and `ferry match` killed with SIGKILL
# at random moments (seeded: run i sleeps a fraction of an uninterrupted
# run's time drawn with seed i).  After every kill the project must pass
# PRAGMA integrity_check, hold every correction whose log entry was
# committed and nothing half applied, and, finished by running the same
# command again, end exactly as an uninterrupted run.
# The same for a reviewer's independent layer (ferry review --independent).
# REVIEW_KILLS, LAYER_KILLS and MATCH_KILLS set the runs (default 120 + 30 + 80).
set -u
suite=crash
. "$(dirname "$0")/../lib.sh"
SQL=$SQLEXEC
S=$top/sample-corpora/en-de
kills=0 midway=0
cd "$work" || exit 1

now_ms() { date +%s%3N; }
# delay SEED MS: a seeded fraction (0.1 to 1.1) of MS, in seconds
delay() { awk -v s="$1" -v ms="$2" 'BEGIN { srand(s); printf "%.3f", (0.1 + rand()) * ms / 1000 }'; }
rm_db() { rm -f "$1" "$1-wal" "$1-shm"; }
# kill_after SECONDS CMD...: start CMD, SIGKILL it after SECONDS (if still running)
kill_after() {
	d=$1; shift
	"$@" >/dev/null 2>&1 &
	pid=$!
	sleep "$d"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	kills=$((kills + 1))
}
q() { "$SQL" "$1" "$2" 2>&1; }   # q DB SQL: the rows

# --- review: accept (a) or reject (:reject) each of the 40 pairs in turn ------------
# (a stays on the pair: the keys move on themselves)
printf 'accept-advances off\n' >review.conf
$FERRY import rbase.ferry -q --src "$S/src.conll" --tgt "$S/tgt.txt" --align "$S/fwd.align" \
	--align-rev "$S/rev.align" && $FERRY match rbase.ferry -q || exit 1
i=1; : >edit.keys
while [ $i -le 40 ]; do
	if [ $((i % 3)) = 0 ]; then printf ':reject<Enter>]' >>edit.keys; else printf 'a]' >>edit.keys; fi
	i=$((i + 1))
done
state() { q "$1" "SELECT id, status FROM pair ORDER BY id"; $FERRY export "$1"; }
# fastest_ms N CMD...: the fastest of N runs of CMD, in ms
fastest_ms() {
	fn=$1 fbest=; shift
	while [ "$fn" -gt 0 ]; do
		t0=$(now_ms); "$@" >/dev/null || exit 1; t1=$(now_ms)
		{ [ -z "$fbest" ] || [ $((t1 - t0)) -lt "$fbest" ]; } && fbest=$((t1 - t0))
		fn=$((fn - 1))
	done
	echo "$fbest"
}
# the uninterrupted time, which the kill delays scale with: the fastest of
# three runs (one slow run made too many kills land after the end), made
# again every tenth kill (the other suites of make check share the cores,
# and their load comes and goes)
review_once() { rm_db rref.ferry; cp rbase.ferry rref.ferry; FERRY_USER=crash $FERRY review rref.ferry --config review.conf --keys edit.keys; }
review_ms=$(fastest_ms 3 review_once) || exit 1
review_ms0=$review_ms
state rref.ferry >rref.state

run=1
while [ $run -le "${REVIEW_KILLS:-120}" ]; do
	[ $((run % 10)) = 0 ] && { review_ms=$(fastest_ms 2 review_once) || exit 1; }
	rm_db r.ferry; cp rbase.ferry r.ferry
	FERRY_USER=crash kill_after "$(delay "$run" "$review_ms")" $FERRY review r.ferry --config review.conf --keys edit.keys
	ic=$(q r.ferry "PRAGMA integrity_check")
	[ "$ic" = ok ] || bad "review kill $run: integrity_check says $ic"
	# committed corrections: each logged pair carries its decision, the
	# edited pairs are exactly the logged ones, in script order, and no
	# pin or status exists without its log entry
	c=$(q r.ferry "SELECT
		(SELECT count(*) FROM pair WHERE status <> 0) = (SELECT count(*) FROM log WHERE user = 'crash'),
		(SELECT count(*) FROM log WHERE user = 'crash') = (SELECT coalesce(max(pair), 0) FROM log WHERE user = 'crash'),
		(SELECT count(*) FROM log l JOIN pair p ON p.id = l.pair WHERE l.user = 'crash' AND
			((l.action = 'accept' AND p.status NOT IN (1, 2)) OR (l.action = 'rejected' AND p.status <> 3)
			 OR coalesce((SELECT version FROM pair_version v WHERE v.pair = p.id), 0) <> l.made)),
		(SELECT count(*) FROM pin WHERE pair NOT IN (SELECT pair FROM log WHERE user = 'crash'))")
	[ "$c" = "1|1|0|0" ] && ok || bad "review kill $run: half-applied state ($c)"
	n=$(q r.ferry "SELECT count(*) FROM log WHERE user = 'crash'")
	[ "$n" -gt 0 ] && [ "$n" -lt 40 ] && midway=$((midway + 1))
	# finishing the session gives the uninterrupted result
	FERRY_USER=crash $FERRY review r.ferry --config review.conf --keys edit.keys >/dev/null 2>err.txt || bad "review kill $run: cannot resume: $(cat err.txt)"
	state r.ferry >r.state
	cmp -s r.state rref.state && ok || bad "review kill $run: resumed session differs from an uninterrupted one"
	run=$((run + 1))
done

# --- an independent reviewer's layer: the same script, in the layer ------------------
lstate() { q "$1" "SELECT pair, status FROM lpair WHERE layer = 'crash' AND status <> 0 ORDER BY pair"; $FERRY export "$1" --user crash; }
rm_db lref.ferry; cp rbase.ferry lref.ferry
FERRY_USER=crash $FERRY review lref.ferry --independent --config review.conf --keys edit.keys >/dev/null || exit 1
lstate lref.ferry >lref.state
run=1
while [ $run -le "${LAYER_KILLS:-30}" ]; do
	[ $((run % 10)) = 0 ] && { review_ms=$(fastest_ms 2 review_once) || exit 1; }
	rm_db l.ferry; cp rbase.ferry l.ferry
	FERRY_USER=crash kill_after "$(delay "$((run + 1000))" "$review_ms")" $FERRY review l.ferry --independent \
		--config review.conf --keys edit.keys
	ic=$(q l.ferry "PRAGMA integrity_check")
	[ "$ic" = ok ] || bad "layer kill $run: integrity_check says $ic"
	# the layer holds exactly its logged decisions; the shared state nothing
	c=$(q l.ferry "SELECT
		(SELECT count(*) FROM lpair WHERE layer = 'crash' AND status <> 0) =
			(SELECT count(*) FROM log WHERE user = 'crash' AND layer = 'crash'),
		(SELECT count(*) FROM log l JOIN lpair p ON p.pair = l.pair AND p.layer = 'crash' WHERE l.user = 'crash'
			AND ((l.action = 'accept' AND p.status NOT IN (1, 2)) OR (l.action = 'rejected' AND p.status <> 3))),
		(SELECT count(*) FROM lpin WHERE pair NOT IN (SELECT pair FROM log WHERE user = 'crash')),
		(SELECT count(*) FROM pair WHERE status <> 0) + (SELECT count(*) FROM pin)")
	[ "$c" = "1|0|0|0" ] && ok || bad "layer kill $run: half-applied state ($c)"
	n=$(q l.ferry "SELECT count(*) FROM log WHERE user = 'crash'")
	[ "$n" -gt 0 ] && [ "$n" -lt 40 ] && midway=$((midway + 1))
	FERRY_USER=crash $FERRY review l.ferry --independent --config review.conf --keys edit.keys >/dev/null 2>err.txt ||
		bad "layer kill $run: cannot resume: $(cat err.txt)"
	lstate l.ferry >l.state
	cmp -s l.state lref.state && ok || bad "layer kill $run: resumed session differs from an uninterrupted one"
	run=$((run + 1))
done

# --- match: 4,000 synthetic pairs, batches of 512 --------------------------------
mkdir gen && "$GEN" 4000 7 gen >/dev/null || exit 1
$FERRY import mbase.ferry -q --src gen/src.conll --tgt gen/tgt.txt --align gen/fwd.align --align-rev gen/rev.align || exit 1
match_once() { rm_db mref.ferry; cp mbase.ferry mref.ferry; $FERRY match mref.ferry -q; }
match_ms=$(fastest_ms 3 match_once) || exit 1
match_ms0=$match_ms
$FERRY export mref.ferry >mref.conll
run=1
while [ $run -le "${MATCH_KILLS:-80}" ]; do
	[ $((run % 10)) = 0 ] && { match_ms=$(fastest_ms 2 match_once) || exit 1; }
	rm_db m.ferry; cp mbase.ferry m.ferry
	kill_after "$(delay "$((run + 1000))" "$match_ms")" $FERRY match m.ferry -q
	ic=$(q m.ferry "PRAGMA integrity_check")
	[ "$ic" = ok ] || bad "match kill $run: integrity_check says $ic"
	# every pair holds either the uninterrupted run's projections (matched)
	# or none (not reached); the matched ones are a prefix of whole batches
	c=$(q m.ferry "ATTACH 'mref.ferry' AS r;
		CREATE TEMP TABLE st AS SELECT p.id,
			(SELECT group_concat(start || ':' || stop || ':' || label || ':' || score, ' ')
			 FROM (SELECT * FROM main.projection WHERE pair = p.id ORDER BY start)) AS got,
			(SELECT group_concat(start || ':' || stop || ':' || label || ':' || score, ' ')
			 FROM (SELECT * FROM r.projection WHERE pair = p.id ORDER BY start)) AS want
		FROM main.pair p;
		SELECT (SELECT count(*) FROM st WHERE got IS NOT NULL AND got IS NOT want) = 0,
			coalesce((SELECT max(id) FROM st WHERE got IS NOT NULL), 0) <
			coalesce((SELECT min(id) FROM st WHERE got IS NULL AND want IS NOT NULL), 1e18),
			coalesce((SELECT (max(id) - 1) / 512 FROM st WHERE got IS NOT NULL), -1) <
			coalesce((SELECT (min(id) - 1) / 512 FROM st WHERE got IS NULL AND want IS NOT NULL), 1e18),
			(SELECT count(*) FROM pair_version WHERE version > 0 AND pair >
				coalesce((SELECT min(id) FROM st WHERE got IS NULL AND want IS NOT NULL), 1e18))")
	[ "$c" = "1|1|1|0" ] && ok || bad "match kill $run: half-applied batch ($c)"
	n=$(q m.ferry "SELECT count(DISTINCT pair) FROM projection"); [ -n "${CRASH_DEBUG:-}" ] && echo "match kill $run: $n pairs"
	[ "$n" -gt 0 ] && [ "$n" -lt "$(q mref.ferry "SELECT count(DISTINCT pair) FROM projection")" ] &&
		midway=$((midway + 1))
	$FERRY match m.ferry -q 2>err.txt || bad "match kill $run: cannot match again: $(cat err.txt)"
	$FERRY export m.ferry >m.conll
	cmp -s m.conll mref.conll && ok || bad "match kill $run: the finished project differs from an uninterrupted run"
	run=$((run + 1))
done

# the test means something only if most kills land mid-run
[ $((midway * 2)) -ge "$kills" ] && ok || bad "only $midway of $kills kills landed mid-run"
echo "crash safety: $kills SIGKILLs, $midway of them mid-run (uninterrupted: review ${review_ms0} ms," \
	"match ${match_ms0} ms), $pass passed, $fail failed"
[ "$fail" = 0 ]
