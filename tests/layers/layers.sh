#!/bin/sh
# tests/layers/layers.sh [TOP] — the layer rules of doc/ARCHITECTURE.md,
# checked on the #include lines of TOP/src and TOP/include (default: the
# tree this script sits in).  A rule is "only" (files outside the path
# pattern may not include the header) or "never" (files matching it may
# not).  Each breach is reported as FILE:LINE and the exit status is 1.
# One awk over the sources: `make layers` runs it before `make check`.
set -u
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top" || exit 2

# kind :: header (regex on the include target) :: path (regex) :: the layer
rules='
only :: ^<sqlite3\.h>$ :: ^src/store(-[a-z]+)?\.[ch]$ :: SQL is spoken only in src/store*.c
only :: ^<glpk\.h>$ :: ^src/match-solve\.c$ :: GLPK is called only in src/match-solve.c
only :: ^<(n?curses|ncursesw/[a-z]+|term|panel|menu|form)\.h>$ :: ^src/tty(-[a-z]+)?\.c$ :: curses is called only in src/tty*.c
only :: ^<unicode/ :: ^src/text(-[a-z]+)?\.c$ :: ICU is called only in src/text*.c
never :: ^"ferry/store\.h"$ :: ^src/(ui|view-[a-z]+)\.c$ :: views read the model through review.h, never the store
only :: ^"ferry/cli\.h"$ :: ^src/(cli|main|cmd-[a-z-]+)\.c$ :: command-line helpers are for the front ends (cmd-*.c, main.c); engines and views get hooks
never :: ^"ferry/(store|cli|review|view|screen|tty|theme|keymap)\.h"$ :: ^src/match(-(links|score|solve|heur|opts|fuse))?\.c$|^include/ferry/match\.h$ :: the matcher works on plain structs: no store, command line or UI
only :: ^"store-int\.h"$ :: ^src/store(-[a-z]+)?\.c$ :: store-int.h is private to src/store*.c
only :: ^"match-int\.h"$ :: ^src/match(-[a-z]+)?\.c$ :: match-int.h is private to src/match*.c
only :: ^"import-int\.h"$ :: ^src/import(-[a-z]+)?\.c$ :: import-int.h is private to src/import*.c
'

find src include -name '*.[ch]' | LC_ALL=C sort | xargs awk -v rules="$rules" '
BEGIN {
	n = split(rules, lines, "\n")
	for (i = 1; i <= n; i++) {
		if (lines[i] == "") continue
		split(lines[i], f, " :: ")
		nr++; kind[nr] = f[1]; hdr[nr] = f[2]; path[nr] = f[3]; why[nr] = f[4]
	}
}
/^[ \t]*#[ \t]*include[ \t]*[<"]/ {
	t = $0
	sub(/^[ \t]*#[ \t]*include[ \t]*/, "", t)
	sub(/[ \t].*$/, "", t)
	for (i = 1; i <= nr; i++) {
		if (t !~ hdr[i]) continue
		inside = FILENAME ~ path[i]
		if ((kind[i] == "only" && !inside) || (kind[i] == "never" && inside)) {
			printf "layers: %s:%d: includes %s: %s\n", FILENAME, FNR, t, why[i]
			bad++
		}
	}
}
END { exit bad ? 1 : 0 }' || exit 1
