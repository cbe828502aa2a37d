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

cd "$work" || exit 70
