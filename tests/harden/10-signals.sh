# Interruptions (issue 11, item 11): a signal during a fresh import or an
# export -o leaves no temporary behind and no half-made output; after a
# SIGKILL the next run removes what the dead process left, but never the
# temporaries of a live process or of another host.

mkdir sig sig/g && "$GEN" 100000 3 sig/g >/dev/null || bad "gen failed"
host=$(hostname | tr './' '__')

# interrupt SIG FILE CMD...: start the program CMD, send SIG once FILE
# exists (the process is stopped while it is polled, so it cannot finish
# meanwhile); sets $code to the exit status, or 255 if CMD ended before
# FILE appeared.  A shell starts background jobs with SIGINT ignored;
# perl (Debian's perl-base is essential) gives it back its default.
interrupt() {
	sig=$1 file=$2; shift 2
	perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or exit 127' "$@" >/dev/null 2>"$work/err" &
	pid=$!
	code=255
	for _ in $(seq 400); do
		kill -STOP "$pid" 2>/dev/null || break
		if ls $file >/dev/null 2>&1; then
			kill "-$sig" "$pid"; kill -CONT "$pid"
			{ wait "$pid"; } 2>/dev/null; code=$?
			return
		fi
		kill -CONT "$pid"; sleep 0.005
	done
	{ wait "$pid"; } 2>/dev/null
}
g=sig/g
big="--src $g/src.conll --tgt $g/tgt.txt --align $g/fwd.align --align-rev $g/rev.align -q"
# left NAME GLOB: nothing matching GLOB is left
left() {
	if ls $2 >/dev/null 2>&1; then bad "$1: left $(ls $2 | tr '\n' ' ')"; else ok; fi
}

# --- SIGINT, SIGTERM, SIGHUP during a fresh import ------------------------
for s in 2 15 1; do   # SIGINT, SIGTERM, SIGHUP
	tries=0 code=255
	while [ $code = 255 ] && [ $tries -lt 5 ]; do
		rm -f sig/p.ferry*
		interrupt $s 'sig/p.ferry.import-*.tmp' $FERRY import sig/p.ferry $big
		tries=$((tries + 1))
	done
	want=$((128 + s))
	if [ $code = $want ]; then ok; else bad "import SIG$s: exit $code, want $want"; fi
	left "import SIG$s leaves no temporary" 'sig/p.ferry.import-*'
	left "import SIG$s makes no project" sig/p.ferry
done

# --- an ignored SIGHUP stays ignored (nohup): the import completes ---------
rm -f sig/p.ferry*
(trap '' HUP; interrupt 1 'sig/p.ferry.import-*.tmp' $FERRY import sig/p.ferry $big)
if [ -f sig/p.ferry ] && $FERRY stats sig/p.ferry >/dev/null 2>&1; then ok; else bad "an ignored SIGHUP ended the import"; fi
left "nohup import leaves no temporary" 'sig/p.ferry.import-*'

# --- SIGKILL: the next import removes the dead process's temporary --------
rm -f sig/p.ferry*
tries=0 code=255
while [ $code = 255 ] && [ $tries -lt 5 ]; do
	interrupt 9 'sig/p.ferry.import-*.tmp' $FERRY import sig/p.ferry $big
	tries=$((tries + 1))
done
if ls sig/p.ferry.import-"$host"-*.tmp >/dev/null 2>&1; then ok; else bad "SIGKILL left no temporary to find"; fi
dead=$(sh -c 'echo $$')
: >"sig/p.ferry.import-$host-$dead.tmp-journal"
: >"sig/p.ferry.import-$host-$$.tmp"              # a live process's (this shell)
: >"sig/p.ferry.import-otherhost-$dead.tmp"       # another machine's
t_code "import after a SIGKILL" 0 import_sample sig/p.ferry
t_err "import says what it removed" "ferry: removed 2 temporary files left by an interrupted import of sig/p.ferry"
left "the dead process's temporaries are gone" "sig/p.ferry.import-$host-$dead.tmp*"
n=$(ls sig/p.ferry.import-"$host"-* | wc -l)
if [ "$n" = 1 ]; then ok; else bad "the SIGKILLed import's temporary is still there"; fi
if [ -f "sig/p.ferry.import-$host-$$.tmp" ] && [ -f "sig/p.ferry.import-otherhost-$dead.tmp" ]; then ok
else bad "a live process's or another host's temporary was removed"; fi
rm -f sig/p.ferry*

# --- export -o: a signal keeps the old output and leaves no temporary -----
$FERRY import sig/big.ferry $big
echo "the old output" >sig/out.conll
for s in 2 15 1; do   # SIGINT, SIGTERM, SIGHUP
	tries=0 code=255
	while [ $code = 255 ] && [ $tries -lt 5 ]; do
		interrupt $s 'sig/out.conll.export-*.tmp' $FERRY export sig/big.ferry -o sig/out.conll
		tries=$((tries + 1))
	done
	want=$((128 + s))
	if [ $code = $want ]; then ok; else bad "export SIG$s: exit $code, want $want"; fi
	left "export SIG$s leaves no temporary" 'sig/out.conll.export-*'
	if [ "$(cat sig/out.conll)" = "the old output" ]; then ok; else bad "export SIG$s changed the old output"; fi
done
: >"sig/out.conll.export-$host-$dead.tmp"
t_code "export after a SIGKILL" 0 $FERRY export sig/big.ferry -o sig/out.conll
t_err "export says what it removed" "ferry: removed the temporary files an interrupted export to sig/out.conll left"
left "export removes the dead process's temporary" 'sig/out.conll.export-*'
$FERRY export sig/big.ferry >sig/want.conll
t_same "the export after a SIGKILL is whole" sig/want.conll sig/out.conll
