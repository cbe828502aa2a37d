#!/bin/sh
# ELP fidelity: `ferry match --method heuristic --mode elp` must give the
# same entities as the Easy Label Projection reference output on every
# sentence of ../shared/data/europarl-dev, for align.txt and intersect.txt.
# Entities are read with seqeval's default (conlleval) chunking on both
# sides.  Prints the agreement; exits 1 on any difference.
set -eu
. "$(dirname "$0")/common.sh"
status=0

# entities FILE: one line per sentence, its chunks as start-end-type
entities() {
	awk 'function flush() { if (open) { out = out " " start "-" i "-" type; open = 0 } }
	     NF == 0 { if (seen) { i = n; flush(); print out; out = ""; n = 0; seen = 0 } next }
	     { seen = 1; tag = $NF; i = n
	       if (tag == "O") flush()
	       else { p = substr(tag, 1, 1); t = substr(tag, 3)
	              if (!(p == "I" && open && t == type)) { flush(); open = 1; start = n; type = t } }
	       n++ }
	     END { if (seen) { i = n; flush(); print out } }' "$1"
}

for l in de es it; do
	d=$data/en-$l
	for a in align intersect; do
		ref=$d/ref-elp.$([ $a = align ] && echo gdfa || echo intersect).conll
		"$FERRY" import "$tmp/p.ferry" -q --src "$d/src.conll" --tgt "$d/tgt.txt" --align "$d/$a.txt"
		"$FERRY" match "$tmp/p.ferry" -q --method heuristic --mode elp
		"$FERRY" export "$tmp/p.ferry" >"$tmp/out.conll"
		entities "$tmp/out.conll" >"$tmp/a"
		entities "$ref" >"$tmp/b"
		same=$(paste -d'|' "$tmp/a" "$tmp/b" | awk -F'|' '$1 == $2 { s++ } END { print s + 0 "/" NR }')
		echo "en-$l $a.txt: $same sentences with the reference's entities"
		case $same in "${same#*/}/${same#*/}") ;; *) status=1 ;; esac
		rm -f "$tmp/p.ferry"
	done
done
exit $status
