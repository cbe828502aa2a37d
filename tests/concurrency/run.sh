#!/bin/sh
# Concurrency: 2, then 4, scripted reviewers edit one project at the same
# time (EDITS accepts each, default 1000), pairs of them on the same pairs,
# while `ferry match` re-matches the whole project in a loop.  Then:
#  - every reviewer and every match run exits 0, nothing says "locked";
#  - each reviewer's edits are saved or refused as changed by someone else
#    (reported to it), never lost to a busy project;
#  - no lost update: the log holds exactly the edits each reviewer saved,
#    and every edited pair is in the state its last log entry recorded;
#  - PRAGMA integrity_check is ok.
set -u
suite=conc
. "$(dirname "$0")/../lib.sh"
SQL=$SQLEXEC
EDITS=${EDITS:-1000}
total_saved=0 total_refused=0 total_matches=0 total_lost=0
cd "$work" || exit 1
q() { "$SQL" "$1" "$2" 2>&1; }

mkdir gen && "$GEN" 1200 11 gen >/dev/null || exit 1
$FERRY import base.ferry -q --src gen/src.conll --tgt gen/tgt.txt --align gen/fwd.align \
	--align-rev gen/rev.align && $FERRY match base.ferry -q || exit 1

# a stays on the pair: the keys move on themselves, so pairs of reviewers meet
printf 'accept-advances off\n' >review.conf
for n in 2 4; do
	rm -f p.ferry p.ferry-wal p.ferry-shm stop
	cp base.ferry p.ferry
	# reviewers 1 and 2 start at pair 1, 3 and 4 at pair 101: two on each pair
	k=1
	while [ $k -le $n ]; do
		start=$(( (k - 1) / 2 * 100 + 1 ))
		awk -v s="$start" -v e="$EDITS" 'BEGIN { printf ":%d<Enter>", s; for (i = 0; i < e; i++) printf "a]" }' >keys$k
		k=$((k + 1))
	done
	# the matcher, again and again until the reviewers are done
	( m=0; while [ ! -f stop ]; do $FERRY match p.ferry -q 2>>match.err || echo "exit $?" >>match.err; m=$((m + 1)); done
	  echo "$m" >matches ) &
	mpid=$!
	k=1 pids=
	while [ $k -le $n ]; do
		FERRY_USER=rev$k $FERRY review p.ferry --config review.conf --keys keys$k --timing >/dev/null 2>err$k &
		pids="$pids $!"
		k=$((k + 1))
	done
	k=1
	for pid in $pids; do
		wait "$pid"; code=$?
		[ "$code" = 0 ] && ok || bad "$n reviewers: reviewer $k exit $code: $(cat err$k)"
		k=$((k + 1))
	done
	touch stop; wait "$mpid"
	[ -s match.err ] && bad "$n reviewers: ferry match failed: $(head -3 match.err)" || ok
	rm -f match.err
	total_matches=$((total_matches + $(cat matches)))
	grep -il "locked" err* >/dev/null && bad "$n reviewers: a \"database is locked\" failure" || ok
	k=1
	while [ $k -le $n ]; do
		line=$(grep "edits:" err$k)
		saved=$(echo "$line" | sed 's/.*edits: \([0-9]*\) saved.*/\1/')
		refused=$(echo "$line" | sed 's/.* \([0-9]*\) refused.*/\1/')
		busy=$(echo "$line" | sed 's/.* \([0-9]*\) not done.*/\1/')
		[ "$((saved + refused))" = "$EDITS" ] && [ "$busy" = 0 ] && ok ||
			bad "$n reviewers: reviewer $k: $line (expected $EDITS saved or refused)"
		logged=$(q p.ferry "SELECT count(*) FROM log WHERE user = 'rev$k'")
		[ "$logged" = "$saved" ] && ok || bad "$n reviewers: reviewer $k saved $saved edits, the log holds $logged"
		total_saved=$((total_saved + saved)) total_refused=$((total_refused + refused))
		k=$((k + 1))
	done
	# every edited pair is as its last log entry left it: status and pins
	lost=$(q p.ferry "SELECT count(*) FROM (SELECT pair, max(id) AS last FROM log WHERE user LIKE 'rev%' GROUP BY pair) l
		JOIN log g ON g.id = l.last JOIN pair p ON p.id = l.pair
		WHERE json_extract(g.after, '\$.status') <> p.status
		   OR json(json_extract(g.after, '\$.pins')) <> (SELECT json_group_array(json_array(kind, coalesce(entity, 0),
			coalesce(start, 0), coalesce(stop, 0), coalesce(label, ''))) FROM (SELECT * FROM pin WHERE pair = l.pair ORDER BY id))")
	[ "$lost" = 0 ] && ok || bad "$n reviewers: $lost pairs are not as their last saved edit left them (lost updates)"
	# and no edit was decided on a view older than the last saved edit made
	stale=$(q p.ferry "SELECT count(*) FROM log a JOIN log b ON b.pair = a.pair AND b.id = (SELECT min(id) FROM log
		WHERE pair = a.pair AND id > a.id AND user LIKE 'rev%') WHERE a.user LIKE 'rev%' AND b.seen < a.made")
	[ "$stale" = 0 ] && ok || bad "$n reviewers: $stale edits were based on a view older than the last saved edit (lost updates)"
	total_lost=$((total_lost + lost + stale))
	ic=$(q p.ferry "PRAGMA integrity_check")
	[ "$ic" = ok ] && ok || bad "$n reviewers: integrity_check says $ic"
	echo "concurrency: $n reviewers x $EDITS edits + $(cat matches) match runs: $(grep -h 'edits:' err* | sed 's/ferry: edits: //' | tr '\n' ';')"
done

echo "concurrency: $total_saved edits saved, $total_refused refused and reported, $total_matches match runs," \
	"$total_lost lost updates; $pass passed, $fail failed"
[ "$fail" = 0 ]
