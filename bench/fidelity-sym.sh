#!/bin/sh
# Symmetrisation fidelity: ferry's grow-diag-final-and and intersection of
# forward.txt and reverse.txt must equal align.txt and intersect.txt of
# ../shared/data/europarl-dev (made with the reference tools) on every
# sentence.  Prints the agreement per language; exits 1 on any mismatch.
set -eu
. "$(dirname "$0")/common.sh"
status=0
for l in de es it; do
	d=$data/en-$l
	for m in grow-diag-final-and:align.txt intersect:intersect.txt; do
		method=${m%%:*} ref=${m#*:}
		"$FERRY" import "$tmp/p.ferry" -q --src "$d/src.conll" --tgt "$d/tgt.txt" \
			--align "$d/forward.txt" --align-rev "$d/reverse.txt" --symmetrize "$method"
		sqlite3 "$tmp/p.ferry" "SELECT align_sym FROM pair ORDER BY id" >"$tmp/sym" 2>/dev/null ||
			python3 -c "import sqlite3,sys; [print(r[0]) for r in sqlite3.connect(sys.argv[1]).execute('SELECT align_sym FROM pair ORDER BY id')]" "$tmp/p.ferry" >"$tmp/sym"
		# compare as sets of links per line
		same=$(paste -d'|' "$d/$ref" "$tmp/sym" | awk -F'|' '{
			n = split($1, a, " "); m = split($2, b, " "); delete s; ok = (n == m)
			for (i = 1; i <= n; i++) s[a[i]] = 1
			for (i = 1; i <= m; i++) if (!(b[i] in s)) ok = 0
			t += ok } END { print t "/" NR }')
		echo "en-$l $method: $same sentences identical to $ref"
		case $same in "${same#*/}/${same#*/}") ;; *) status=1 ;; esac
		rm -f "$tmp/p.ferry"
	done
done
exit $status
