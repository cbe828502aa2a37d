# 30-open.sh — how a project file is opened (issue 11, items 9, 10, 12):
# read-only projects (file, directory, both, a read-only mount) are read
# by the reading commands and refused up front by the writing ones; a
# write-ahead log that cannot be read is refused, not skipped; shards read
# one snapshot while another process writes; a project name is a plain
# path, never an SQLite URI or ":memory:"; a full disk is said so.
# Sourced by run.sh (t_code, t_err, t_same, import_sample, as_nobody);
# everything is below $work/open, whose names start with op_.
op=$work/open
mkdir -p "$op" && chmod 777 "$op" && cd "$op" || exit 70

# op_read NAME PROJECT: stats, export, log and eval read PROJECT as nobody, as they read base.ferry
op_read() {
	for c in stats export log eval; do
		t_code "$1: $c" 0 as_nobody $FERRY $c "$2"
		[ "$c" = stats ] && sed -i 1d "$work/out"      # its first line names the project
		t_same "$1: $c output" "$work/out" "$op/base.$c"
	done
}
# op_refused NAME PROJECT [RUN...]: every writing command says PROJECT is read-only, exit 77, and leaves it alone
op_refused() {
	n=$1 p=$2; shift 2
	cp "$p" "$op/before.ferry"
	t_code "$n: match" 77 "$@" $FERRY match "$p" -q
	t_err "$n: match" "ferry: $p: the project is read-only ("
	t_code "$n: review" 77 "$@" $FERRY review "$p" --keys "$op/keys"
	t_err "$n: review" "ferry: $p: the project is read-only ("
	t_code "$n: import" 77 "$@" $FERRY import "$p" --src "$S/en-de/src.conll" --tgt "$S/en-de/tgt.txt" \
		--align "$S/en-de/fwd.align" -q
	t_err "$n: import" "ferry: $p: the project is read-only ("
	t_code "$n: merge" 77 "$@" $FERRY merge "$p" "$op/base-part.ferry"
	t_err "$n: merge" "ferry: $p: the project is read-only ("
	t_same "$n: project unchanged" "$p" "$op/before.ferry"
}

import_sample base.ferry --tgt-gold "$S/en-de/tgt-gold.conll" && $FERRY match base.ferry -q &&
	$FERRY match base.ferry -q --output base-part.ferry || bad "open: cannot set up base.ferry"
chmod 644 base-part.ferry
printf 'a' >keys
for c in stats export log eval; do $FERRY $c base.ferry >"base.$c"; done
sed -i 1d base.stats

# item 10: a read-only file in a writable directory, a writable file in a
# read-only directory, both; reading works, writing is refused up front
for m in ro-file:444:777 ro-dir:666:555 ro-both:444:555; do
	d=${m%%:*} fm=${m#*:}; fm=${fm%:*} dm=${m##*:}
	mkdir "$d" && cp base.ferry "$d/p.ferry" && chmod "$fm" "$d/p.ferry" && chmod "$dm" "$d"
	op_read "read-only ($d)" "$d/p.ferry"
	t_code "read-only ($d): match --output" 0 as_nobody $FERRY match "$d/p.ferry" -q --output "$op/$d.part"
	op_refused "read-only ($d)" "$d/p.ferry" as_nobody
	[ "$dm" = 555 ] && { [ "$(ls "$d")" = p.ferry ] && ok || bad "read-only ($d): files left in $d: $(ls "$d")"; }
done

# the read-only directory with a project whose name needs escaping in a URI
mkdir ro-name && cp base.ferry 'ro-name/a?b#c%41 d.ferry' && chmod 555 ro-name
op_read "read-only (URI characters)" 'ro-name/a?b#c%41 d.ferry'
op_read "read-only (absolute path)" "$op/ro-name/a?b#c%41 d.ferry"
op_read "read-only (path after //)" "/$op/ro-name/a?b#c%41 d.ferry"

# a log with changes not yet in the project file: read when its index
# (-shm) is there, refused when it is not (never silently skipped)
mkdir walx && cp base.ferry walx/p.ferry
"$SQLEXEC" walx/p.ferry "UPDATE pair SET status = 1 WHERE id = 1;
	WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c" >/dev/null 2>&1 &
op_pid=$!
i=0
while [ ! -s walx/p.ferry-wal ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -9 "$op_pid"; wait "$op_pid" 2>/dev/null
[ -s walx/p.ferry-wal ] && [ -f walx/p.ferry-shm ] && ok || bad "read-only: no write-ahead log made"
cp -r walx walx-rw && $FERRY stats walx-rw/p.ferry | sed 1d >walx.stats
chmod 555 walx
t_code "read-only with a log: stats" 0 as_nobody $FERRY stats walx/p.ferry
sed -i 1d "$work/out"
t_same "read-only with a log: stats sees the logged change" "$work/out" walx.stats
if cmp -s walx.stats base.stats; then bad "read-only with a log: the change is not in the stats"; else ok; fi
chmod 755 walx && rm walx/p.ferry-shm && chmod 555 walx
for c in stats export log; do
	t_code "read-only, log without index: $c" 75 as_nobody $FERRY $c walx/p.ferry
	t_err "read-only, log without index: $c" "ferry: walx/p.ferry: the project is being written (walx/p.ferry-wal holds"
done
t_code "read-only, log without index: match --output" 75 as_nobody $FERRY match walx/p.ferry -q --output "$op/walx.part"
t_err "read-only, log without index: match --output" "ferry: walx/p.ferry: the project is being written ("
# the log is next to the file a symlink names: looked for there
ln -s walx/p.ferry walx-link.ferry
t_code "read-only, log without index, through a symlink" 75 as_nobody $FERRY stats walx-link.ferry
t_err "read-only, log without index, through a symlink" "ferry: walx-link.ferry: the project is being written ("
t_err "read-only, log without index, through a symlink" "walx/p.ferry-wal holds"
chmod 755 walx

# a read-only mount, as root (a private mount namespace, when this system allows one)
mkdir mnt && cp base.ferry mnt/p.ferry
# op_ro_mount CMD...: run CMD with mnt/ remounted read-only
op_ro_mount() { unshare -m sh -c 'mount --bind mnt mnt && mount -o remount,bind,ro mnt && exec "$@"' sh "$@"; }
if op_ro_mount true 2>/dev/null; then
	for c in stats export log eval; do
		t_code "read-only mount: $c" 0 op_ro_mount $FERRY $c mnt/p.ferry
		[ "$c" = stats ] && sed -i 1d "$work/out"
		t_same "read-only mount: $c output" "$work/out" "base.$c"
	done
	op_refused "read-only mount" mnt/p.ferry op_ro_mount
	t_err "read-only mount" "Read-only file system"
else
	echo "harden: 30-open: no private mount namespace here, read-only mount not tested"
fi

# item 9: shards read one snapshot while another process writes.  The
# writer grows and shrinks the reviewer column of pairs 1-5000, row by
# row (moving them between pages, checkpointing after every commit), and
# match reads none of it, so every part of shard 1/2 must be the one a
# quiet project gives: merged into the final project, the same export
mkdir shard && "$GEN" 10000 11 shard >/dev/null &&
	$FERRY import w.ferry -q --src shard/src.conll --tgt shard/tgt.txt --align shard/fwd.align \
		--align-rev shard/rev.align && $FERRY match w.ferry -q || bad "shards: cannot set up w.ferry"
op_sql="PRAGMA wal_autocheckpoint = 1;"
for i in 0 1 2 3 4; do
	op_sql="$op_sql UPDATE pair SET reviewer = CASE WHEN reviewer IS NULL THEN hex(zeroblob(150 + abs(random() % 100)))
		END WHERE id > $((i * 1000)) AND id <= $((i * 1000 + 1000));"
done
( while [ ! -f shard/stop ]; do "$SQLEXEC" w.ferry "$op_sql" >/dev/null 2>>shard/writer.err || break; done ) &
op_pid=$!
i=1
while [ $i -le 10 ]; do
	t_code "shards under a writer: run $i" 0 $FERRY match w.ferry -q --shard 1/2 --min-score 0.3 \
		--output "shard/part$i.ferry"
	i=$((i + 1))
done
touch shard/stop; wait "$op_pid"
[ -s shard/writer.err ] && bad "shards: the writer failed: $(head -3 shard/writer.err)" || ok
$FERRY export w.ferry >shard/w.export
$FERRY match w.ferry -q --shard 1/2 --min-score 0.3 --output shard/ref.ferry && cp w.ferry shard/m.ferry &&
	$FERRY merge shard/m.ferry shard/ref.ferry 2>/dev/null && $FERRY export shard/m.ferry >shard/ref.export
if cmp -s shard/ref.export shard/w.export; then bad "shards: merging a part changes nothing"; else ok; fi
i=1
while [ $i -le 10 ]; do
	if [ -f "shard/part$i.ferry" ]; then
		cp w.ferry shard/m.ferry
		t_code "shards under a writer: merge part $i" 0 $FERRY merge shard/m.ferry "shard/part$i.ferry"
		$FERRY export shard/m.ferry >shard/m.export
		t_same "shards under a writer: part $i is the quiet one" shard/m.export shard/ref.export
	fi
	i=$((i + 1))
done
rm -f w.ferry shard/m.ferry

# item 12: project names SQLite would take for a URI, an in-memory
# database or a query are plain file names
mkdir names && cd names || exit 70
for n in 'file:x.ferry' ':memory:' 'q?x.ferry' 'h#x.ferry' 'pc%41.ferry' 'sp ace.ferry' './-x.ferry' 'file:'; do
	t_code "name '$n': import" 0 import_sample "$n"
	[ -f "$n" ] && ok || bad "name '$n': import did not make the file '$n': $(ls)"
	t_code "name '$n': match" 0 $FERRY match "$n" -q
	t_code "name '$n': stats" 0 $FERRY stats "$n"
	t_code "name '$n': export" 0 $FERRY export "$n"
	t_same "name '$n': export output" "$work/out" "$op/base.export"
done
for n in x.ferry q h pcA.ferry; do
	[ -e "$n" ] && bad "names: a stray file '$n'" || ok
done
cd "$op" || exit 70

# item 12: a full disk (a small tmpfs in a private mount namespace)
mkdir full
# op_full CMD...: run CMD with full/ a tmpfs holding p.ferry (read once) and no space left
op_full() {
	unshare -m sh -c 'mount -t tmpfs -o size=400k tmpfs full && cp base.ferry full/p.ferry &&
		"$1" stats full/p.ferry >/dev/null && { dd if=/dev/zero of=full/fill bs=4k 2>/dev/null; true; } &&
		shift && exec "$@"' sh "$FERRY" "$@"
}
if op_full true 2>/dev/null; then
	t_code "full disk: review" 74 op_full $FERRY review full/p.ferry --keys keys
	t_err "full disk: review" "ferry: full/p.ferry: the disk is full ("
	t_code "full disk: match" 74 op_full $FERRY match full/p.ferry -q
	t_err "full disk: match" "ferry: full/p.ferry: the disk is full ("
	t_code "full disk: import" 74 op_full $FERRY import full/p.ferry --src "$S/en-de/src.conll" \
		--tgt "$S/en-de/tgt.txt" --align "$S/en-de/fwd.align" -q
	t_err "full disk: import" "ferry: full/p.ferry: the disk is full ("
else
	echo "harden: 30-open: no tmpfs in a private mount namespace here, the full disk not tested"
fi
cd "$work" || exit 70
