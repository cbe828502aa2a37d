#!/bin/sh
# Long lines (part of make bench): the time per token of an import must not
# grow with the length of a sentence.  The same 1,000,000 tokens are
# imported as sentences of 100, 1,000 and 10,000 tokens (the most a
# sentence may have), as a JSONL and as a CoNLL source, each with a
# token-line target and both alignment directions (symmetrised); then one
# JSONL line of 100,000, 1,000,000 and 8,000,000 tokens (56 MB, below the
# 64 MiB line limit), which ferry refuses at token 10,001, must be refused
# in time proportional to its bytes.  Times are CPU seconds (user +
# system: the wall time of a corpus that fits one batch loses the overlap
# of reading and writing), the fastest of three runs.  Exits 1 when a
# ratio passes LONGLINE_MAX_RATIO (default 3): linear code keeps them near
# 1, a quadratic path makes the first one 100.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
FERRY=${FERRY:-$top/ferry}
max=${LONGLINE_MAX_RATIO:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# corpus DIR LEN COUNT: COUNT sentences of LEN tokens, one entity every ten tokens
corpus() {
	mkdir -p "$1"
	awk -v d="$1" -v L="$2" -v N="$3" 'BEGIN {
		for (s = 0; s < N; s++) {
			printf "{\"tokens\": [" >(d "/src.jsonl")
			for (i = 0; i < L; i++)
				printf "%s\"w%d\"", (i ? ", " : ""), i % 97 >(d "/src.jsonl")
			printf "], \"ner_tags\": [" >(d "/src.jsonl")
			for (i = 0; i < L; i++)
				printf "%s\"%s\"", (i ? ", " : ""), (i % 10 ? "O" : "B-PER") >(d "/src.jsonl")
			print "]}" >(d "/src.jsonl")
			for (i = 0; i < L; i++) {
				printf "w%d\t%s\n", i % 97, (i % 10 ? "O" : "B-PER") >(d "/src.conll")
				printf "%sv%d", (i ? " " : ""), i % 89 >(d "/tgt.txt")
				printf "%s%d-%d", (i ? " " : ""), i, i >(d "/fwd.align")
				printf "%s%d-%d", (i ? " " : ""), i, (i + 1) % L >(d "/rev.align")
			}
			print "" >(d "/src.conll"); print "" >(d "/tgt.txt")
			print "" >(d "/fwd.align"); print "" >(d "/rev.align")
		}
	}'
}

# best CMD...: the least CPU time (user + system) of three runs, in seconds (the exit status is ignored)
best() {
	b=
	for _ in 1 2 3; do
		rm -f "$tmp/p.ferry"
		/usr/bin/time -f "%U %S" -o "$tmp/time" "$@" >/dev/null 2>&1 || :
		b=$(tail -1 "$tmp/time" | awk -v a="$b" '{ t = $1 + $2; print (a == "" || t < a) ? t : a }')
	done
	echo "$b"
}

status=0
# check WHAT RATIO: the ratio against the bound
check() {
	if awk -v r="$2" -v m="$max" 'BEGIN { exit !(r > m) }'; then
		echo "long lines: $1: ratio $2 is over $max: something is not linear"
		status=1
	fi
}

total=1000000
for fmt in jsonl conll; do
	first=
	for len in 100 1000 10000; do
		d=$tmp/c$len
		[ -d "$d" ] || corpus "$d" "$len" $((total / len))
		secs=$(best "$FERRY" import "$tmp/p.ferry" -q --src "$d/src.$fmt" --tgt "$d/tgt.txt" \
			--align "$d/fwd.align" --align-rev "$d/rev.align")
		[ -n "$first" ] || first=$secs
		ratio=$(awk -v s="$secs" -v f="$first" 'BEGIN { printf "%.2f", (f > 0 ? s / f : 1) }')
		printf 'long lines: import %-5s %8d tokens in sentences of %5d: %6.2f s, %6.3f us/token, x%s\n' \
			"$fmt" "$total" "$len" "$secs" "$(awk -v s="$secs" -v n="$total" 'BEGIN { print s * 1e6 / n }')" "$ratio"
	done
	check "import $fmt, sentences of 10,000 against 100" "$ratio"
done

# one line of N tokens, refused at token 10,001: time per byte
first=
for n in 100000 1000000 8000000; do
	awk -v n="$n" 'BEGIN { printf "{\"tokens\": ["; for (i = 0; i < n; i++) printf "%s\"w%d\"", (i ? ", " : ""), i % 97
		print "]}" }' >"$tmp/line.jsonl"
	bytes=$(wc -c <"$tmp/line.jsonl")
	secs=$(best "$FERRY" import "$tmp/p.ferry" -q --src "$tmp/line.jsonl" --tgt "$tmp/c100/tgt.txt" \
		--align "$tmp/c100/fwd.align")
	"$FERRY" import "$tmp/p.ferry" -q --src "$tmp/line.jsonl" --tgt "$tmp/c100/tgt.txt" \
		--align "$tmp/c100/fwd.align" 2>"$tmp/err" && { echo "long lines: a line of $n tokens was imported"; status=1; }
	per=$(awk -v s="$secs" -v b="$bytes" 'BEGIN { print s * 1e9 / b }')
	[ "$n" != 1000000 ] || first=$per
	printf 'long lines: refuse a JSONL line of %7d tokens (%8d bytes): %6.2f s, %5.2f ns/byte: %s\n' \
		"$n" "$bytes" "$secs" "$per" "$(sed 's/^ferry: [^ ]*: //' "$tmp/err" | cut -c1-60)"
done
check "refusal, 8,000,000 tokens against 1,000,000, per byte" \
	"$(awk -v p="$per" -v f="$first" 'BEGIN { printf "%.2f", (f > 0 ? p / f : 1) }')"
exit $status
