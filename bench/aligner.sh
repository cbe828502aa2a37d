#!/bin/sh
# ferry's aligner on ../shared/data/europarl-dev/multi: align the whole
# 21,044-line bitext (en-de, en-es, en-it, both directions), take its
# first 300 lines (the dev pairs), import them with the dev source and
# target, run the default matcher and print strict span F1 against gold;
# then the one-step path (import without --align, trained on the same
# bitext) and the time of one language pair's alignment.
set -eu
. "$(dirname "$0")/common.sh"
m=$data/multi
B=$m/bitext

score() {   # score PROJECT -> micro F1
	"$FERRY" match "$1" -q ${MATCH_OPTS:-}
	"$FERRY" eval "$1" --json | sed 's/.*"micro":{[^}]*"f1":\([0-9.]*\).*/\1/'
}

two=""; one=""; efl=""
for l in de es it; do
	"$FERRY" align "$B/en.txt" "$B/$l.txt" --fwd "$tmp/$l.fwd" --rev "$tmp/$l.rev" -q
	head -300 "$tmp/$l.fwd" >"$tmp/$l.300.fwd"
	head -300 "$tmp/$l.rev" >"$tmp/$l.300.rev"
	"$FERRY" import "$tmp/two-$l.ferry" -q --src "$m/en.conll" --tgt "$m/$l.txt" --tgt-gold "$m/$l.conll" \
		--align "$tmp/$l.300.fwd" --align-rev "$tmp/$l.300.rev" --aligner ferry
	two="$two $(score "$tmp/two-$l.ferry")"
	"$FERRY" import "$tmp/one-$l.ferry" -q --src "$m/en.conll" --tgt "$m/$l.txt" --tgt-gold "$m/$l.conll" \
		--bitext-src "$B/en.txt" --bitext-tgt "$B/$l.txt"
	one="$one $(score "$tmp/one-$l.ferry")"
	"$FERRY" import "$tmp/efl-$l.ferry" -q --src "$m/en.conll" --tgt "$m/$l.txt" --tgt-gold "$m/$l.conll" \
		--align "$m/align/en-$l.fwd" --align-rev "$m/align/en-$l.rev"
	efl="$efl $(score "$tmp/efl-$l.ferry")"
done
row() { echo "$2" | awk -v n="$1" '{ printf "%-42s %s %s %s  %.4f\n", n, $1, $2, $3, ($1 + $2 + $3) / 3 }'; }
printf '%-42s %-6s %-6s %-6s  %s\n' "links (default matcher, strict span F1)" de es it mean
row "ferry align, whole bitext, first 300" "$two"
row "ferry import without --align (+ bitext)" "$one"
row "eflomal (../shared/data)" "$efl"
start=$(date +%s.%N)
"$FERRY" align "$B/en.txt" "$B/de.txt" --fwd "$tmp/t.fwd" --rev "$tmp/t.rev" -q
end=$(date +%s.%N)
awk -v a="$start" -v b="$end" 'BEGIN { printf "ferry align en-de, 21,044 lines, both directions: %.2f s\n", b - a }'
