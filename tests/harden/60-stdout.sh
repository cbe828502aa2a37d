# Standard output that cannot be written (issue 11, item 5), for the forms
# tests/cli does not cover: the --json forms of eval and stats, a review's
# --dump-screen and --timing, merge, and the usage text of every command.

if [ -w /dev/full ]; then
	mkdir so && import_sample so/p.ferry && $FERRY match so/p.ferry -q || bad "so: setup failed"
	$FERRY match so/p.ferry -q --output so/part || bad "so: no part"
	printf 'j\nq\n' >so/k.keys
	for c in "eval so/p.ferry --json --gold $S/en-de/tgt-gold.conll" "stats so/p.ferry --json" \
		"review so/p.ferry --keys so/k.keys --dump-screen" "review so/p.ferry --keys so/k.keys --dump-screen --timing" \
		"import --help" "match --help" "merge --help" "review --help" "export --help" "eval --help" \
		"stats --help" "log --help" "export so/p.ferry --format jsonl" "export so/p.ferry -o -"; do
		# shellcheck disable=SC2086
		$FERRY $c >/dev/full 2>"$work/err"; got=$?
		if [ $got = 74 ] && grep -q "^ferry: \(cannot write standard output\|.*write error\)" "$work/err"; then ok
		else bad "ferry $c >/dev/full: exit $got, $(head -2 "$work/err")"; fi
	done
fi
