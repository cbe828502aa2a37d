#!/bin/sh
# Hostile project files: a matched sample project is forged with SQL
# (tests/hostile/sqlexec, CHECK constraints off) into one damaged or
# malicious variant per case, and every command is run on it.  No command
# may crash or fail other than with a message and exit 65; nothing it
# writes to the terminal (messages, stats, log, eval, the review screen)
# may hold an escape sequence.  What each command did is compared with
# tests/hostile/expected/CASE.  Files that are not ferry projects at all
# must be refused with a clear message.  UPDATE=1 rewrites golden files.
set -u
suite=hostile
. "$(dirname "$0")/../lib.sh"
SQL=$SQLEXEC
S=$top/sample-corpora/en-de
# no ESC, BEL, CSI (C1) or other C0 control but tab and newline
term_safe() {
	LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$1" && return 1
	LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$1" && return 1
	return 0
}

cd "$work" || exit 1
cp "$S/tgt-gold.conll" gold.conll
$FERRY import base.ferry -q --src "$S/src.conll" --tgt "$S/tgt.txt" --align "$S/fwd.align" \
	--align-rev "$S/rev.align" --tgt-gold "$S/tgt-gold.conll" && $FERRY match base.ferry -q || exit 1
printf 'a]a]' >accept.keys
FERRY_USER=alice $FERRY review base.ferry --keys accept.keys >/dev/null || exit 1
printf ']]]]j]]l]]]]]]]]]]]]]' >walk.keys
printf ']]a]]]r]a]]a]]a]u]]]]' >edit.keys

# run_all CASE: every command on h.ferry; exit codes and first message lines to CASE.got
run_all() {
	: >"$1.got"
	for c in "stats" "stats --json" "log" "log --json" "export" "export --side source" \
		 "export --what gold --format jsonl" "eval --gold gold.conll" "match" \
		 "review --keys walk.keys --dump-screen --size 80x24" "review --keys edit.keys --dump-screen --size 100x30"; do
		# shellcheck disable=SC2086
		FERRY_USER=bob $FERRY $c h.ferry >out.txt 2>err.txt
		code=$?
		printf '%s -> exit %s %s\n' "$c" "$code" "$(head -1 err.txt)" >>"$1.got"
		[ "$code" = 0 ] || [ "$code" = 65 ] || bad "$1: '$c' exit $code: $(head -3 err.txt)"
		term_safe err.txt || bad "$1: '$c' wrote a control character in its message"
		case $c in export*) ;; *) term_safe out.txt || bad "$1: '$c' wrote a control character to the terminal" ;; esac
	done
}

hostile() {   # hostile CASE SQL [BASE]
	cp "${3:-base.ferry}" h.ferry
	rm -f h.ferry-wal h.ferry-shm
	"$SQL" h.ferry "$2" || { bad "$1: cannot forge: $2"; return; }
	run_all "$1"
	golden "$1" "$1.got"
}

E="char(27)"
hostile label-escapes "UPDATE entity SET label = $E || ']0;pwned' || char(7) WHERE id = 1;
	UPDATE projection SET label = $E || '[2J' WHERE id = 1; UPDATE gold SET label = $E || '[31mPER' WHERE pair = 2"
hostile label-sql "UPDATE entity SET label = 'x''); DROP TABLE pair;--' WHERE id = 2;
	UPDATE projection SET method = 'heuristic''; DELETE FROM log;--' WHERE id = 2"
hostile token-escapes "UPDATE pair SET tgt = $E || '[2J' || substr(tgt, instr(tgt, ' ')) WHERE id = 1;
	UPDATE pair SET src = 'A' || $E || ']52;c;cHduZWQ=' || char(7) || substr(src, instr(src, ' ')) WHERE id = 2"
hostile broken-utf8 "UPDATE pair SET src = CAST(x'fffe41' AS TEXT) || substr(src, instr(src, ' ')) WHERE id = 2;
	UPDATE entity SET label = CAST(x'c0af' AS TEXT) WHERE id = 3"
hostile negative-offsets "UPDATE projection SET start = -5, stop = -1 WHERE id = 1; UPDATE entity SET start = -3 WHERE id = 4"
hostile huge-offsets "UPDATE entity SET stop = 9223372036854775807 WHERE id = 3;
	UPDATE gold SET stop = 4294967297 WHERE pair = 5"
hostile huge-token-counts "UPDATE pair SET nsrc = 4294967296000 WHERE id = 3; UPDATE pair SET ntgt = -7 WHERE id = 6"
hostile token-count-mismatch "UPDATE pair SET ntgt = ntgt + 3 WHERE id = 4"
hostile broken-alignments "UPDATE pair SET align_fwd = '0-0 garbage 99999-1', align_sym = '1-' WHERE id = 5;
	UPDATE pair SET align_sym = '0-999' WHERE id = 6; UPDATE pair SET align_rev = x'00ff' WHERE id = 7"
# schema 5's binary links: cut short, out of range, and made links with no method recorded
hostile broken-binary-links "UPDATE pair SET align_fwd = x'0080' WHERE id = 5;
	UPDATE pair SET align_rev = x'0080ff0f00' WHERE id = 6"
hostile no-symmetrisation "DELETE FROM meta WHERE key = 'symmetrize'"
hostile bad-status "UPDATE pair SET status = 99 WHERE id = 7; UPDATE pair SET status = -1 WHERE id = 8"
hostile bad-pins "INSERT INTO pin(pair, entity, kind, start, stop, label) VALUES (8, NULL, 'evil', -3, 1000000000, $E || 'x');
	INSERT INTO pin(pair, entity, kind, start, stop, label) VALUES (9, 424242, 'accept', 0, 1, 'PER');
	INSERT INTO pin(pair, entity, kind, start, stop, label) VALUES (10, NULL, 'add', 2, 1, 'LOC')"
hostile bad-log "INSERT INTO log(time, user, pair, action, before, after) VALUES
	('t' || $E || '[5m', $E || '[31mmallory', 1, 'accept' || $E, '{bad json', 'null'),
	('2026', 'bob', 999999, 'edit', '{\"status\": 9, \"pins\": [{\"kind\": 7}]}', '[]')"
hostile bad-lexicon "INSERT INTO lexicon VALUES ($E || 'a', 'b' || char(7), $E || 'L', 2), ('x', 'y', 'PER', -99)"
hostile bad-settings "UPDATE meta SET value = 'method=ilp' || $E || '[2J weights=align=1e308' WHERE key = 'match'"
hostile huge-token "UPDATE pair SET tgt = tgt || ' ' || hex(randomblob(600000)), ntgt = ntgt + 1 WHERE id = 9"
hostile orphan-rows "INSERT INTO entity(pair, start, stop, label) VALUES (99999, 0, 1, 'PER');
	INSERT INTO projection(pair, entity, start, stop, label, method) VALUES (3, 99999, 0, 1, 'LOC', 'x');
	DELETE FROM entity WHERE id = 5"
hostile overlapping-projections "INSERT INTO projection(pair, entity, start, stop, label, method)
	SELECT pair, entity, start, stop, label, method FROM projection WHERE pair = 1"
hostile empty-sentence "UPDATE pair SET tgt = '', ntgt = 0, align_fwd = '', align_sym = '', align_rev = '' WHERE id = 11"
hostile versions "INSERT OR REPLACE INTO pair_version VALUES (1, -1), (2, 9223372036854775807);
	UPDATE pair SET version = 7 WHERE id = 3"
# the reasons of flagged pairs (:flag TEXT) live in the log: escapes, not a string, not JSON
hostile bad-comments "UPDATE pair SET status = 4 WHERE id IN (1, 2, 3);
	UPDATE log SET after = json_set(after, '\$.comment', $E || '[2J' || char(7) || 'x') WHERE pair = 1;
	INSERT INTO log(time, user, pair, action, before, after) VALUES
	('t', 'bob', 2, 'flagged', '{\"status\":0,\"pins\":[]}', '{\"status\":4,\"pins\":[],\"comment\":[1,{\"a\":2}]}'),
	('t', 'bob', 3, 'flagged', '{\"status\":0,\"pins\":[]}', '{\"comment\": ')"
# the tag set and a reviewer's place (meta rows of review sessions): escapes,
# empty lines, a label longer than any, a place that is no place
hostile bad-tag-set "INSERT OR REPLACE INTO meta VALUES ('labels', $E || '[2J' || char(10) || char(10) ||
	hex(randomblob(300)) || char(10) || 'PER' || char(7) || char(10) || 'LOC');
	INSERT OR REPLACE INTO meta VALUES ('place:bob', 'pair=-1 ' || hex(randomblob(9000)) || ' label=' || $E)"
printf 't<Down><Down>' >pick.keys
FERRY_USER=bob $FERRY review h.ferry --keys pick.keys --dump-screen --resume >out.txt 2>err.txt && ok || bad "bad-tag-set: the picker: $(head -2 err.txt)"
term_safe out.txt && ok || bad "bad-tag-set: the picker wrote a control character"

# --- several sources: damaged sources, sentences, links, entities and languages ------
cp base.ferry mbase.ferry
$FERRY add-source mbase.ferry -q --src "$S/src.conll" --src-lang en2 --align "$S/fwd.align" --align-rev "$S/rev.align" &&
	$FERRY match mbase.ferry -q || exit 1
hostile bad-sources "UPDATE xsource SET nsrc = nsrc + 2 WHERE pair = 3;
	UPDATE xsource SET align_fwd = '0-999 garbage' WHERE pair = 4; UPDATE xsource SET align_sym = x'00ff' WHERE pair = 5;
	UPDATE xentity SET stop = 999 WHERE pair = 6; UPDATE xentity SET source = 7 WHERE pair = 7;
	UPDATE source SET lang = $E || '[31men2' || char(7), reliability = -3 WHERE id = 1;
	INSERT INTO sprojection VALUES (8, 1, -4, 2, 'PER', 0.5); UPDATE projection SET support = -1 WHERE pair = 9" mbase.ferry
hostile source-lang-escapes "UPDATE source SET lang = $E || ']0;pwned' || char(7), aligner = $E || '[2J' WHERE id = 1;
	UPDATE meta SET value = $E || '[31men' WHERE key = 'src_lang'" mbase.ferry

# --- files that are not ferry projects --------------------------------------------
: >empty.ferry
printf 'Angela\tB-PER\n' >text.ferry
head -c 65536 /dev/urandom >random.ferry 2>/dev/null || dd if=/dev/zero of=random.ferry bs=1024 count=64 2>/dev/null
"$SQL" other.ferry "CREATE TABLE t(x); INSERT INTO t VALUES (1)"
mkdir dir.ferry
cp base.ferry newer.ferry; "$SQL" newer.ferry "PRAGMA user_version = 99"
head -c 16384 base.ferry >truncated.ferry
$FERRY match base.ferry -q --output part.ferry
: >notproj.got
for f in empty.ferry text.ferry other.ferry dir.ferry newer.ferry truncated.ferry part.ferry missing.ferry; do
	for c in stats export match "review --keys walk.keys"; do
		cp "$f" keep 2>/dev/null
		# shellcheck disable=SC2086
		$FERRY $c "$f" >out.txt 2>err.txt
		code=$?
		printf '%s %s -> exit %s %s\n' "$c" "$f" "$code" "$(head -1 err.txt)" >>notproj.got
		[ "$code" = 65 ] || [ "$code" = 66 ] || [ "$code" = 74 ] || bad "'$c $f' exit $code"
		[ -f keep ] && { cmp -s keep "$f" || bad "'$c $f' changed the file"; rm -f keep; }
	done
done
# random bytes: only the exit code, the message names what SQLite saw
$FERRY stats random.ferry >/dev/null 2>err.txt; code=$?
[ "$code" = 65 ] && ok || bad "stats on random bytes: exit $code: $(cat err.txt)"
golden not-a-project notproj.got

# --- a project of schema 1 (before log.seen and log.made) ------------------------
cp base.ferry old.ferry
"$SQL" old.ferry "DROP TABLE pair_version; DROP TABLE assignment; DROP TABLE lprojection; DROP TABLE lpin; DROP TABLE lpair;
	ALTER TABLE log DROP COLUMN layer;
	DROP TABLE sprojection; DROP TABLE xentity; DROP TABLE xsource; DROP TABLE source;
	ALTER TABLE projection DROP COLUMN support;
	ALTER TABLE log DROP COLUMN seen; ALTER TABLE log DROP COLUMN made; PRAGMA user_version = 1"
cp old.ferry old-before.ferry
$FERRY stats old.ferry >/dev/null && $FERRY export old.ferry >/dev/null && $FERRY log old.ferry >/dev/null \
	&& ok || bad "read-only commands refuse a schema 1 project"
cmp -s old.ferry old-before.ferry && ok || bad "a read-only command changed a schema 1 project"
FERRY_USER=carol $FERRY review old.ferry --keys accept.keys >/dev/null && ok || bad "review cannot upgrade schema 1"
v=$("$SQL" old.ferry "PRAGMA user_version; SELECT count(*) FROM log WHERE user = 'carol' AND seen >= 0 AND made > seen")
[ "$v" = "$(printf '6\n2')" ] && ok || bad "schema 1 not upgraded to 6 with versions logged: $v"

# --- a real schema-2 project (made by the last ferry of schema 2: schema2.sql) -----
"$SQL" s2.ferry "$(cat "$top/tests/hostile/schema2.sql")" >/dev/null || bad "schema2.sql does not load"
cp s2.ferry s2-before.ferry
$FERRY stats s2.ferry | grep links >s2-links.txt
$FERRY export s2.ferry >s2.got && cmp -s s2.got "$top/tests/hostile/expected/schema2.conll" && ok \
	|| bad "schema 2, read as it is: the export differs from what its own ferry wrote"
$FERRY export s2.ferry --format jsonl >s2.got && cmp -s s2.got "$top/tests/hostile/expected/schema2.jsonl" && ok \
	|| bad "schema 2, read as it is: the JSONL export differs"
cmp -s s2.ferry s2-before.ferry && ok || bad "a read-only command changed a schema 2 project"
# the versions move to pair_version as they were (a review that only opens and quits migrates it)
"$SQL" s2.ferry "SELECT id, version FROM pair WHERE version <> 0" >s2-versions.txt
cp s2.ferry s2v.ferry; printf 'q' >quit.keys
$FERRY review s2v.ferry --keys quit.keys >/dev/null 2>&1 && "$SQL" s2v.ferry "SELECT pair, version FROM pair_version;
	SELECT count(*) FROM pair WHERE version <> 0" >s2v.got && printf '0\n' | cat s2-versions.txt - | cmp -s - s2v.got &&
	[ -s s2-versions.txt ] && ok || bad "schema 2 migrated: the pair versions did not move to pair_version"
$FERRY match s2.ferry -q && ok || bad "match cannot upgrade schema 2"
v=$("$SQL" s2.ferry "PRAGMA user_version; SELECT count(*) FROM source; SELECT count(*) FROM projection WHERE support <> 0")
[ "$v" = "$(printf '6\n0\n0')" ] && ok || bad "schema 2 not migrated to 6 as a single-source project: $v"
v=$("$SQL" s2.ferry "SELECT count(*) FROM pair WHERE typeof(align_fwd) <> 'blob' OR typeof(align_sym) <> 'blob'
	OR (align_rev IS NOT NULL AND typeof(align_rev) <> 'blob')")
[ "$v" = 0 ] && ok || bad "schema 2 migrated: $v pairs keep Pharaoh text links"
$FERRY stats s2.ferry | grep links | cmp -s - s2-links.txt && ok || bad "schema 2 migrated: the link counts changed"
$FERRY export s2.ferry >s2.got && cmp -s s2.got "$top/tests/hostile/expected/schema2.conll" && ok \
	|| bad "schema 2 migrated and matched again: the export changed"
FERRY_USER=ann $FERRY review s2.ferry --keys accept.keys >/dev/null && ok || bad "review of a migrated project"
$FERRY add-source s2.ferry -q --src s2-es.conll --src-lang es 2>err.txt && bad "add-source took a missing file" \
	|| ok

echo "hostile projects: $pass passed, $fail failed"
[ "$fail" = 0 ]
