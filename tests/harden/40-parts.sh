# Part files (issue 11, items 3, 11 and 1): a part carries the identity of
# its project and a digest of every pair it matched, and merge refuses a
# foreign or outdated part whole; match --output writes the part under a
# temporary name, so an interrupted run never blocks the next; neither
# the output of match nor a part of merge may be the project itself.

mkdir pt
sample_to() {   # sample_to PROJECT TGT [options]: the en-de sample with another target file
	p=$1 tgt=$2; shift 2
	$FERRY import "$p" --src "$S/en-de/src.conll" --tgt "$tgt" \
		--align "$S/en-de/fwd.align" --align-rev "$S/en-de/rev.align" -q "$@"
}
# the same shape (40 pairs, the same entities), one target token changed
sed '1s/Dienstag/Mittwoch/' "$S/en-de/tgt.txt" >pt/tgt2.txt
import_sample pt/a.ferry
sample_to pt/b.ferry pt/tgt2.txt
import_sample pt/twin.ferry                   # the same corpus, another project
cp pt/a.ferry pt/copy.ferry                   # a copy is the same project
cp pt/a.ferry pt/direct.ferry
$FERRY match pt/direct.ferry -q
$FERRY export pt/direct.ferry >pt/direct.conll

# --- item 3: a part of another project is refused, whole -------------------
t_code "match --output" 0 $FERRY match pt/a.ferry -q --output pt/a1.ferry
cp pt/b.ferry pt/b-before.ferry
t_code "a same-shape part of another project" 65 $FERRY merge pt/b.ferry pt/a1.ferry
t_err "it names the part" "ferry: pt/a1.ferry: made from another project than pt/b.ferry (expected a part of this project)"
t_same "a refused part changes nothing" pt/b-before.ferry pt/b.ferry
t_code "a part of a project of the same corpus" 65 $FERRY merge pt/twin.ferry pt/a1.ferry
t_err "the same corpus is another project" "ferry: pt/a1.ferry: made from another project than pt/twin.ferry"
# several parts: one foreign part and none is applied
$FERRY match pt/b.ferry -q --shard 1/2 --output pt/b1.ferry
t_code "a foreign part among good ones" 65 $FERRY merge pt/b.ferry pt/b1.ferry pt/a1.ferry
t_err "the foreign one is named" "ferry: pt/a1.ferry: made from another project than pt/b.ferry"
t_same "no part of a refused merge is applied" pt/b-before.ferry pt/b.ferry

# the project's own part and its copy's merge
t_code "a part of the project itself" 0 $FERRY merge pt/a.ferry pt/a1.ferry
t_err "all of it" "ferry: merged 40 pairs from 1 part"
$FERRY export pt/a.ferry >pt/a.conll
t_same "a merged part equals a direct match" pt/direct.conll pt/a.conll
t_code "a part into a copy of its project" 0 $FERRY merge pt/copy.ferry pt/a1.ferry
t_err "a copy takes it whole" "ferry: merged 40 pairs from 1 part"

# a copy whose pairs differ from the part's: the pair contents decide
cp pt/twin.ferry pt/e.ferry
cp pt/twin.ferry pt/f.ferry
import_sample pt/e.ferry                      # pairs 41-80
sample_to pt/f.ferry pt/tgt2.txt              # pairs 41-80, pair 41 another token
$FERRY match pt/e.ferry -q --shard 1/2 --output pt/e1.ferry
$FERRY match pt/e.ferry -q --shard 2/2 --output pt/e2.ferry
cp pt/f.ferry pt/f-before.ferry
t_code "a part of other pair contents" 65 $FERRY merge pt/f.ferry pt/e2.ferry
t_err "it names the pair" "ferry: pt/e2.ferry: made from other contents of pair 41 than pt/f.ferry holds (expected a part of this project as it is: match it again)"
t_code "a good part, then one of other contents" 65 $FERRY merge pt/f.ferry pt/e1.ferry pt/e2.ferry
t_same "neither is applied" pt/f-before.ferry pt/f.ferry
t_code "the pairs both copies share merge" 0 $FERRY merge pt/f.ferry pt/e1.ferry
t_err "the shared half" "ferry: merged 40 pairs from 1 part"

# a pair edited after its part was made: left alone and counted, as before
$FERRY match pt/twin.ferry -q --output pt/t1.ferry
printf 'a' >pt/keys
$FERRY review pt/twin.ferry --keys pt/keys >/dev/null 2>&1
t_code "a part after an edit" 0 $FERRY merge pt/twin.ferry pt/t1.ferry
t_err "the edited pair is left alone" "ferry: merged 39 pairs from 1 part; 1 changed since and left alone"

# a part that does not say where it comes from (made by an older ferry)
$FERRY match pt/b.ferry -q --output pt/old.ferry
"$SQLEXEC" pt/old.ferry "DELETE FROM meta WHERE key = 'project'" >/dev/null
t_code "a part without a project id" 65 $FERRY merge pt/b.ferry pt/old.ferry
t_err "is refused" "ferry: pt/old.ferry: made by an older ferry: it does not say which project and pair contents it was made from (expected a part of this ferry: match it again)"
t_same "and nothing changes" pt/b-before.ferry pt/b.ferry

# a project made before ferry gave projects an id is known by its first log entry
cp pt/b-before.ferry pt/noid.ferry
"$SQLEXEC" pt/noid.ferry "DELETE FROM meta WHERE key = 'project_id'" >/dev/null
cp pt/noid.ferry pt/noid-copy.ferry
$FERRY match pt/noid.ferry -q --output pt/noid1.ferry
t_code "a part of a project without an id" 0 $FERRY merge pt/noid-copy.ferry pt/noid1.ferry
t_err "merges into its copy" "ferry: merged 40 pairs from 1 part"
t_code "but not into another project" 65 $FERRY merge pt/twin.ferry pt/noid1.ferry
t_err "which is named" "ferry: pt/noid1.ferry: made from another project than pt/twin.ferry"

# --- item 1: the project is neither match's output nor one of merge's parts --
cp pt/a.ferry pt/a-before.ferry
ln -s a.ferry pt/a-sym.ferry
ln pt/a.ferry pt/a-hard.ferry
for out in pt/a.ferry pt/a-sym.ferry pt/a-hard.ferry; do
	t_code "match --output $out" 73 $FERRY match pt/a.ferry -q --output $out
	t_err "match --output $out says why" "ferry: $out: is the project file (expected another output path)"
done
t_same "match --output onto the project changes nothing" pt/a-before.ferry pt/a.ferry
for part in pt/a.ferry pt/a-sym.ferry pt/a-hard.ferry; do
	t_code "merge the project as its part $part" 65 $FERRY merge pt/a.ferry $part
	t_err "merge $part says why" "ferry: $part: is the project file (expected a part file of ferry match --output)"
done
ln pt/e1.ferry pt/e1-hard.ferry
t_code "one part twice" 64 $FERRY merge pt/f.ferry pt/e1.ferry pt/e1.ferry
t_err "says which" "ferry: pt/e1.ferry: given twice (expected each part once)"
t_code "one part under two names" 64 $FERRY merge pt/f.ferry pt/e1.ferry pt/e1-hard.ferry
t_err "says which" "ferry: pt/e1-hard.ferry: the same file as pt/e1.ferry (expected each part once)"
t_same "refused parts change nothing" pt/a-before.ferry pt/a.ferry
t_code "an existing part is kept" 73 $FERRY match pt/a.ferry -q --output pt/a1.ferry
t_err "and named" "ferry: pt/a1.ferry: exists already (expected a new part file)"
ln -s nowhere.ferry pt/dangling.ferry
t_code "a dangling symlink as the part" 0 $FERRY match pt/a.ferry -q --output pt/dangling.ferry
if [ -L pt/dangling.ferry ] && [ -f pt/nowhere.ferry ]; then ok; else bad "the part did not go where the link points"; fi

# --- item 11: an interrupted match --output does not block its re-run -------
mkdir pt/g && "$GEN" 30000 5 pt/g >/dev/null || bad "gen failed"
$FERRY import pt/big.ferry --src pt/g/src.conll --tgt pt/g/tgt.txt --align pt/g/fwd.align \
	--align-rev pt/g/rev.align -q
# part_interrupt SIG CMD...: as 10-signals.sh's interrupt, on the part's temporary
part_interrupt() {
	sig=$1; shift
	perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or exit 127' "$@" >/dev/null 2>"$work/err" &
	pid=$!
	code=255
	for _ in $(seq 400); do
		kill -STOP "$pid" 2>/dev/null || break
		if ls pt/big.part.part-*.tmp >/dev/null 2>&1; then
			kill "-$sig" "$pid"; kill -CONT "$pid"
			{ wait "$pid"; } 2>/dev/null; code=$?
			return
		fi
		kill -CONT "$pid" 2>/dev/null; sleep 0.005
	done
	{ wait "$pid"; } 2>/dev/null
}
for s in 2 15 1 9; do   # SIGINT, SIGTERM, SIGHUP, SIGKILL
	tries=0 code=255
	while [ $code = 255 ] && [ $tries -lt 5 ]; do
		rm -f pt/big.part pt/big.part.part-*
		part_interrupt $s $FERRY match pt/big.ferry --threads 1 --output pt/big.part
		tries=$((tries + 1))
	done
	want=$((128 + s))
	if [ $code = $want ]; then ok; else bad "match --output SIG$s: exit $code, want $want"; fi
	if [ -e pt/big.part ]; then bad "match --output SIG$s left a part"; else ok; fi
	if [ $s = 9 ]; then
		if ls pt/big.part.part-*.tmp >/dev/null 2>&1; then ok; else bad "SIGKILL left no temporary to find"; fi
	elif ls pt/big.part.part-* >/dev/null 2>&1; then
		bad "match --output SIG$s left $(ls pt/big.part.part-* | tr '\n' ' ')"
	else ok; fi
	t_code "match --output after SIG$s" 0 $FERRY match pt/big.ferry -q --output pt/big.part
	if [ $s = 9 ]; then
		t_err "the re-run says what it removed" "ferry: removed 1 temporary file left by an interrupted match --output to pt/big.part"
	fi
	if ls pt/big.part.part-* >/dev/null 2>&1; then bad "a temporary outlived the re-run after SIG$s"; else ok; fi
done
t_code "the re-run's part merges" 0 $FERRY merge pt/big.ferry pt/big.part
t_err "whole" "ferry: merged 30000 pairs from 1 part"

# --- part names are plain file names too; outputs never a project's side file
mkdir pn && import_sample pn/p.ferry && (
	cd pn || exit 1
	t_code "a part named file:x" 0 $FERRY match p.ferry -q --output file:x
	t_code "a part named :memory:" 0 $FERRY match p.ferry -q --output :memory:
	if [ -s file:x ] && [ -s :memory: ]; then ok; else bad "the parts named file:x and :memory: are not files"; fi
	t_code "merge file:x" 0 $FERRY merge p.ferry file:x
	t_err "merge file:x merges" "ferry: merged 40 pairs from 1 part"
	for side in wal shm journal; do
		t_code "export -o P-$side" 73 $FERRY export p.ferry -o p.ferry-$side
		t_err "export -o P-$side says why" "ferry: p.ferry-$side: is the project's $side file (expected another output path)"
		t_code "match --output P-$side" 73 $FERRY match p.ferry -q --output ./p.ferry-$side
	done
	echo "$pass $fail" >../pn.count
)
read p2 f2 <pn.count; pass=$p2 fail=$f2
ln -s made.conll pn/dangling.conll
t_code "export -o onto a dangling symlink" 0 $FERRY export pn/p.ferry -o pn/dangling.conll
if [ -L pn/dangling.conll ] && [ -s pn/made.conll ]; then ok; else bad "export -o replaced a dangling symlink"; fi
