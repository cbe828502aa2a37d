#!/bin/sh
# The layer check must fail on every kind of breach and pass what is
# allowed: each case plants one #include into a small made-up tree and
# compares what tests/layers/layers.sh says, and its exit status, with
# the expected line.  The real tree is checked by `make layers`.
set -u
suite=layers
. "$(dirname "$0")/../lib.sh"
LAYERS=$here/layers.sh

# case NAME FILE LINE EXPECTED: FILE (under a fresh tree) holds LINE;
# the check prints EXPECTED (empty: nothing, exit 0) with exit 1
case_() {
	name=$1 file=$2 line=$3 want=$4
	t=$work/$name
	mkdir -p "$t/src" "$t/include/ferry"
	printf '/* ok */\n#include <stdio.h>\n#include "ferry/mem.h"\n' >"$t/src/mem.c"
	mkdir -p "$(dirname "$t/$file")"
	printf '/* planted */\n#include <string.h>\n%s\n' "$line" >"$t/$file"
	out=$("$LAYERS" "$t" 2>&1); rc=$?
	if [ -z "$want" ]; then
		if [ $rc -eq 0 ] && [ -z "$out" ]; then ok; else bad "$name: allowed include refused (exit $rc): $out"; fi
	elif [ $rc -eq 1 ] && [ "$out" = "$want" ]; then ok
	else bad "$name: exit $rc, said: $out (expected: $want)"; fi
}

case_ sqlite-in-review src/review.c '#include <sqlite3.h>' \
	'layers: src/review.c:3: includes <sqlite3.h>: SQL is spoken only in src/store*.c'
case_ sqlite-in-header include/ferry/store.h '#include <sqlite3.h>' \
	'layers: include/ferry/store.h:3: includes <sqlite3.h>: SQL is spoken only in src/store*.c'
case_ sqlite-in-store-part src/store-part.c '#include <sqlite3.h>' ''
case_ glpk-in-match src/match.c '#include <glpk.h>' \
	'layers: src/match.c:3: includes <glpk.h>: GLPK is called only in src/match-solve.c'
case_ glpk-in-cmd src/cmd-match.c '  #  include <glpk.h>' \
	'layers: src/cmd-match.c:3: includes <glpk.h>: GLPK is called only in src/match-solve.c'
case_ glpk-in-solver src/match-solve.c '#include <glpk.h>' ''
case_ curses-in-view src/view-pair.c '#include <curses.h>' \
	'layers: src/view-pair.c:3: includes <curses.h>: curses is called only in src/tty*.c'
case_ ncursesw-in-screen src/screen.c '#include <ncursesw/ncurses.h>' \
	'layers: src/screen.c:3: includes <ncursesw/ncurses.h>: curses is called only in src/tty*.c'
case_ term-in-ui src/ui.c '#include <term.h>' \
	'layers: src/ui.c:3: includes <term.h>: curses is called only in src/tty*.c'
case_ curses-in-tty src/tty.c '#include <curses.h>' ''
case_ icu-in-keymap src/keymap.c '#include <unicode/ustring.h>' \
	'layers: src/keymap.c:3: includes <unicode/ustring.h>: ICU is called only in src/text*.c'
case_ icu-in-text-cells src/text-cells.c '#include <unicode/ubidi.h>' ''
case_ store-in-view src/view-pair.c '#include "ferry/store.h"' \
	'layers: src/view-pair.c:3: includes "ferry/store.h": views read the model through review.h, never the store'
case_ cli-in-ui src/ui.c '#include "ferry/cli.h"' \
	'layers: src/ui.c:3: includes "ferry/cli.h": command-line helpers are for the front ends (cmd-*.c, main.c); engines and views get hooks'
case_ cli-in-import src/import.c '#include "ferry/cli.h"' \
	'layers: src/import.c:3: includes "ferry/cli.h": command-line helpers are for the front ends (cmd-*.c, main.c); engines and views get hooks'
case_ cli-in-cmd src/cmd-stats.c '#include "ferry/cli.h"' ''
case_ store-in-review src/review.c '#include "ferry/store.h"' ''
case_ store-in-score src/match-score.c '#include "ferry/store.h"' \
	'layers: src/match-score.c:3: includes "ferry/store.h": the matcher works on plain structs: no store, command line or UI'
case_ screen-in-match-h include/ferry/match.h '#include "ferry/screen.h"' \
	'layers: include/ferry/match.h:3: includes "ferry/screen.h": the matcher works on plain structs: no store, command line or UI'
case_ store-in-match-run src/match-run.c '#include "ferry/store.h"' ''
case_ store-int-outside src/review.c '#include "store-int.h"' \
	'layers: src/review.c:3: includes "store-int.h": store-int.h is private to src/store*.c'
case_ match-int-outside src/cmd-match.c '#include "match-int.h"' \
	'layers: src/cmd-match.c:3: includes "match-int.h": match-int.h is private to src/match*.c'
case_ match-int-inside src/match-heur.c '#include "match-int.h"' ''

echo "layer check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
