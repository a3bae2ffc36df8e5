#!/bin/sh
# asset-log's journal as people and crashes leave it: a journal an editor
# saved again (CRLF, a BOM, no line end after the last record) is refused
# with a message saying so, by readers and writers alike, and no file is
# changed; a record a crash cut short is still left out by readers and cut
# off by the next writer; a journal lost, moved or emptied while its state
# file knows records is an error, not a fresh start.
. "$TOP/tests/e2e/lib.sh"
D="$DATA/asset-log"
export OFFICEADM_CONFIG="$D/officeadm.ini"
TODAY="--today 2026-12-01"
TAG=BGS-2026-0002-M

# A register with a journal of two committed transfers (four records).
mkdir base
cp "$D/register.csv" base/reg.csv
run asset-log -r base/reg.csv transfer $TODAY --date 2026-11-02 --location 201室 $TAG
check_status "setup: a first transfer" 0
# The register and state file after record 2, for a crash in the second.
cp base/reg.csv.journal.state base/state-after-2
cp base/reg.csv base/reg-after-2
run asset-log -r base/reg.csv transfer $TODAY --date 2026-11-03 --location 202室 $TAG
check_status "setup: a second transfer" 0
rm -f base/*.lock

# fresh: the register, journal and state file as base has them.
fresh() { rm -rf w && mkdir w && cp -p base/reg.csv base/reg.csv.journal base/reg.csv.journal.state w/; }
# snapshot / unchanged NAME: every file of w/, names and bytes, as before
# (lock files aside: they are made once and left in place, see lock.h).
files() { (cd w && ls -a | grep -v '\.lock$' && sha256sum $(ls | grep -v '\.lock$')); }
snapshot() { files >"$T/before"; }
unchanged() {
	files >"$T/after"
	check_same "$1: no file changed, none added" "$T/before" "$T/after"
}
writer() { run asset-log -r w/reg.csv transfer $TODAY --date 2026-11-04 --location 203室 $TAG; }
reader() { run asset-log -r w/reg.csv history $TAG; }

# editor_case NAME STATUS-RE: the writer and a reader refuse the journal
# as it is in w/, exit 2, with a message matching RE, and change nothing.
editor_case() {
	snapshot
	writer
	check_status "$1: a writer refuses (status 2)" 2
	check_grep "$1: the writer says what the editor did" "$2" "$T/err"
	check_grep "$1: and that nothing was changed" 'nothing was changed' "$T/err"
	unchanged "$1: writer"
	reader
	check_status "$1: a reader refuses (status 2)" 2
	check_grep "$1: the reader says what the editor did" "$2" "$T/err"
	check_same "$1: the reader writes nothing on stdout" /dev/null "$T/out"
	unchanged "$1: reader"
}

# ---- an editor's doing ----
fresh
sed 's/$/\r/' base/reg.csv.journal >w/reg.csv.journal
editor_case "CRLF" '^asset-log: w/reg.csv.journal:1: was saved by an editor: line ends are CRLF; .*dos2unix'

fresh
printf '\357\273\277' | cat - base/reg.csv.journal >w/reg.csv.journal
editor_case "BOM" '^asset-log: w/reg.csv.journal:1: was saved by an editor: it starts with a UTF-8 byte order mark (BOM); .*without BOM'

fresh
head -c -1 base/reg.csv.journal >w/reg.csv.journal
editor_case "no final line end" \
	'^asset-log: w/reg.csv.journal:5: was saved by an editor: the last record has no line end (it is whole and its hash chain holds, so it was not cut short by a crash); .*echo >>w/reg.csv.journal'

# The same without a state file: nothing else would notice the cut.
fresh
rm w/reg.csv.journal.state
head -c -1 base/reg.csv.journal >w/reg.csv.journal
editor_case "no final line end, no state file" 'w/reg.csv.journal:5: was saved by an editor: the last record has no line end'

# Notepad's way: CRLF and no line end at the end, all said at once.
fresh
sed 's/$/\r/' base/reg.csv.journal | head -c -2 >w/reg.csv.journal
editor_case "CRLF, no final line end" \
	'w/reg.csv.journal:1: was saved by an editor: line ends are CRLF and the last record has no line end; '

fresh
printf '\357\273\277' | cat - base/reg.csv.journal | sed 's/$/\r/' >w/reg.csv.journal
editor_case "BOM and CRLF" \
	'w/reg.csv.journal:1: was saved by an editor: it starts with a UTF-8 byte order mark (BOM) and line ends are CRLF; '

# Only the last lines saved with CRLF (pasted in): named at the first.
fresh
head -n 3 base/reg.csv.journal >w/reg.csv.journal
tail -n 2 base/reg.csv.journal | sed 's/$/\r/' >>w/reg.csv.journal
editor_case "CRLF from line 4" '^asset-log: w/reg.csv.journal:4: was saved by an editor: line ends are CRLF; '

# Only the last line saved with CRLF, and no line end after it.
fresh
head -n 4 base/reg.csv.journal >w/reg.csv.journal
tail -n 1 base/reg.csv.journal | sed 's/$/\r/' | head -c -1 >>w/reg.csv.journal
editor_case "a last line with CR and no LF" \
	'^asset-log: w/reg.csv.journal:5: was saved by an editor: line ends are CRLF and the last record has no line end; '

# A foreign CSV with CRLF (the wrong -j) is not taken for an edited journal.
fresh
printf 'a,b\r\nc,d\r\n' >w/reg.csv.journal
rm w/reg.csv.journal.state
reader
check_status "a foreign CRLF file as the journal: status 2" 2
check_grep "is not an asset journal, not an editor's doing" \
	'^asset-log: w/reg.csv.journal:1: not an asset journal: the header is not' "$T/err"

# Once put right as the message says, the journal reads and takes events.
fresh
head -c -1 base/reg.csv.journal >w/reg.csv.journal
echo >>w/reg.csv.journal
check "the message's fix gives the journal back byte for byte" cmp -s base/reg.csv.journal w/reg.csv.journal
writer
check_status "after the fix, the writer records" 0

# ---- a crash's doing: still handled as designed ----
# A record cut short (its chain value incomplete): readers leave it out,
# with a warning naming its line; the next writer cuts it off and records.
# (The register and state file are the run before's: the events are
# appended before the register is renamed and the state file written.)
torn() {
	fresh
	cp base/state-after-2 w/reg.csv.journal.state
	cp base/reg-after-2 w/reg.csv
	head -n 3 base/reg.csv.journal >w/reg.csv.journal
	sed -n 4p base/reg.csv.journal | head -c "$1" >>w/reg.csv.journal
}
torn 150
snapshot
reader
check_status "a torn last record: a reader reads the rest (status 0)" 0
check_grep "and warns, naming its line" \
	'^asset-log: w/reg.csv.journal:4: warning: the last record was cut short' "$T/err"
unchanged "a reader with a torn record"
writer
check_status "a torn last record: the next writer records" 0
head -n 3 w/reg.csv.journal >head3.after
head -n 3 base/reg.csv.journal >head3.before
check_same "the records before it are kept" head3.before head3.after
check "and the torn bytes are cut off: line 4 is the new event" \
	sh -c 'sed -n 4p w/reg.csv.journal | grep -q "^3,[^,]*,2026-11-04,BGS-2026-0002-M,transfer,"'
sed -n 4p base/reg.csv.journal | head -c 150 >torn.expected
check "the torn bytes are kept in one JOURNAL.torn-TIME file, mode 600" \
	test "$(ls w/reg.csv.journal.torn-* | wc -l)" = 1 -a "$(stat -c %a w/reg.csv.journal.torn-*)" = 600
check_same "and that file holds exactly the torn bytes" torn.expected "$(ls w/reg.csv.journal.torn-*)"
run asset-log -r w/reg.csv check
check_status "and journal and register agree" 0

# A record cut inside its chain value is torn, not an editor's: only a
# whole record whose chain holds is refused.
torn "$(($(sed -n 4p base/reg.csv.journal | wc -c) - 2))"
reader
check_status "a record cut inside its chain value is torn (status 0)" 0
check_grep "and named as cut short" 'w/reg.csv.journal:4: warning: the last record was cut short' "$T/err"
writer
check_status "and the next writer records" 0

# ---- a journal lost, moved or emptied ----
fresh
mv w/reg.csv.journal moved.journal
snapshot
writer
check_status "a missing journal whose state file knows records: a writer refuses (2)" 2
check_grep "it says the journal is lost, moved or emptied, naming it" \
	'^asset-log: w/reg.csv.journal: the journal is lost, moved or emptied: it does not exist, but its state file "w/reg.csv.journal.state" says it had 4 records' "$T/err"
unchanged "a missing journal, writer (no new journal)"
for cmd in "history $TAG" "holder $TAG" check overdue depreciation; do
	run asset-log -r w/reg.csv $cmd
	check_status "a missing journal: $cmd refuses (2)" 2
	check_grep "a missing journal: $cmd says it is lost" 'the journal is lost, moved or emptied' "$T/err"
done
unchanged "a missing journal, readers"
run asset-log -r w/reg.csv -j moved.journal check
check_status "named where it went (-j), it reads again" 0

fresh
: >w/reg.csv.journal
snapshot
writer
check_status "an emptied journal: a writer refuses (2)" 2
check_grep "it says the journal is lost, moved or emptied: it holds no record" \
	'^asset-log: w/reg.csv.journal: the journal is lost, moved or emptied: it holds no record, but its state file' "$T/err"
unchanged "an emptied journal"
reader
check_status "an emptied journal: a reader refuses (2)" 2

# The register shows a loan, which only a journal explains, and there is
# no journal and no state file (the register saved under a new name, say):
# lost, moved or emptied, for writers and readers alike.
rm -rf w && mkdir w
cp "$D/register.csv" w/reg.csv
run asset-log -r w/reg.csv lend $TODAY --date 2026-11-03 --to 陈静 --due 2026-12-20 BGS-2026-0001-O
check_status "setup: a loan" 0
cp w/reg.csv w/新台账.csv
rm -f w/*.lock
snapshot
run asset-log -r w/新台账.csv transfer $TODAY --date 2026-11-04 --location 203室 $TAG
check_status "a lent asset and no journal: a writer refuses (2)" 2
check_grep "it says the journal is lost, naming the register line, the journal and the tag" \
	'^asset-log: w/新台账.csv:2: the journal is lost, moved or emptied: "w/新台账.csv.journal" holds no record, but the register shows 1 asset lent (借出), the first (BGS-2026-0001-O) on this line' "$T/err"
check_grep "and what to do" 'put the journal back (or name it with asset-log -j)' "$T/err"
for cmd in check overdue depreciation "holder $TAG" "rebuild -o rebuilt.csv"; do
	run asset-log -r w/新台账.csv $cmd
	check_status "a lent asset and no journal: $cmd refuses (2)" 2
	check_grep "a lent asset and no journal: $cmd says it is lost" \
		'w/新台账.csv:2: the journal is lost, moved or emptied' "$T/err"
done
unchanged "a lent asset and no journal (no journal made)"
check "no rebuilt register written" test ! -e rebuilt.csv
run asset-log -r w/新台账.csv summary
check_status "summary, which reads only the register, still runs" 0
run asset-log -r w/新台账.csv -j w/reg.csv.journal check
check_status "named with -j, the journal explains the loan" 0
: >w/empty.journal
run asset-log -r w/新台账.csv -j w/empty.journal overdue
check_status "an empty journal explains nothing either (2)" 2

# Without a journal or a state file, a first event starts a journal.
rm -rf w && mkdir w && cp "$D/register.csv" w/reg.csv
writer
check_status "no journal and no state file: a first event starts one" 0
check "and the journal is there" test -s w/reg.csv.journal

# ---- a lock file this user may not open ----
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	me=$(getent passwd 65534 | cut -d: -f1)
	chmod 755 "$T"
	# The settings where that user can read them (a clone in /root is not).
	cp "$OFFICEADM_CONFIG" "$T/nobody.ini" && chmod 644 "$T/nobody.ini"
	fresh
	chmod 777 w && chmod 666 w/reg.csv w/reg.csv.journal w/reg.csv.journal.state
	: >w/reg.csv.lock && chmod 600 w/reg.csv.lock
	snapshot
	run as_nobody env OFFICEADM_CONFIG="$T/nobody.ini" "$BIN/asset-log" -r w/reg.csv \
		transfer $TODAY --date 2026-11-04 --location 203室 $TAG
	check_status "root's lock file, mode 600: another user's writer exits 2" 2
	check_grep "the message names the lock file, its owner, its mode and the user" \
		"^asset-log: w/reg.csv.lock: cannot open the lock file: it belongs to root, mode 600, and this run is user $me (Permission denied)" "$T/err"
	unchanged "another user's lock file"
	rm w/reg.csv.lock
	chmod 755 w
	run as_nobody env OFFICEADM_CONFIG="$T/nobody.ini" "$BIN/asset-log" -r w/reg.csv \
		transfer $TODAY --date 2026-11-04 --location 203室 $TAG
	check_status "a directory where the user may not make the lock file: exit 2" 2
	check_grep "the message names the directory, its owner, its mode and the user" \
		"^asset-log: w/reg.csv.lock: cannot create the lock file: its directory \"w\" belongs to root, mode 755, and this run is user $me (Permission denied)" "$T/err"
	chmod 700 "$T"
fi

# ---- shared locks: readers together, never with a writer ----
# A reader holds its locks until its output is written: a history of 2000
# events into a pipe nobody reads stops it half way, the locks held.
# Meanwhile other reports run (with lock_timeout = 0 they would fail at
# once on a busy lock), and a writer waits, or gives up and changes nothing.
fresh
sed 's/^\[general\]$/&\nlock_timeout = 0/' "$OFFICEADM_CONFIG" >nowait.ini
awk -v tag=$TAG 'BEGIN { print "tag,event,location"
	for (i = 1; i <= 2000; i++) printf "%s,transfer,Room %d\n", tag, i }' >many.csv
run asset-log -r w/reg.csv apply $TODAY --date 2026-11-04 many.csv
check_status "setup: 2000 transfers" 0
rm -f w/*.lock
snapshot
mkfifo hist.fifo
asset-log -r w/reg.csv history $TAG >hist.fifo 2>hist.err &
reader_pid=$!
exec 7<hist.fifo
i=0
while [ $i -lt 100 ] && ! grep -q "^pid $reader_pid " w/reg.csv.journal.lock 2>/dev/null; do
	sleep 0.05
	i=$((i + 1))
done
check "a reader holds the journal's lock (its line names it)" \
	grep -q "^pid $reader_pid asset-log since" w/reg.csv.journal.lock
check "and is still running, its output half written" kill -0 $reader_pid
for cmd in check summary "holder $TAG" depreciation "history $TAG"; do
	run asset-log -c nowait.ini -r w/reg.csv $cmd
	check_status "while a reader holds the locks, $cmd runs at once" 0
done
run asset-log -c nowait.ini -r w/reg.csv overdue --as-of 2026-12-01
check_status "and overdue too (nothing overdue)" 0
run asset-log -c nowait.ini -r w/reg.csv transfer $TODAY --date 2026-11-05 --location 203室 $TAG
check_status "while a reader holds the locks, a writer gives up (status 2)" 2
check_grep "and names the reader" "^asset-log: \"w/reg.csv\" is locked by pid $reader_pid (asset-log since " "$T/err"
unchanged "a writer refused by a reader"
# A writer that may wait: it waits for the reader, then records.
asset-log -r w/reg.csv transfer $TODAY --date 2026-11-05 --location 203室 $TAG 2>writer.err &
writer_pid=$!
sleep 0.5
unchanged "a waiting writer while the reader reads"
check "the writer is still waiting" kill -0 $writer_pid
cat <&7 >hist.out
exec 7<&-
wait $reader_pid
status=$?
check_status "the reader finishes" 0
check "with the whole history (2002 events and a header)" test "$(wc -l <hist.out)" -eq 2003
wait $writer_pid
status=$?
check_status "then the writer records" 0
check_grep "its event is in the journal" "^2006,[^,]*,2026-11-05,$TAG,transfer," w/reg.csv.journal
# And the other way: while a writer holds the register (flock(1) in its
# place), a report with lock_timeout = 0 gives up; a shared holder (a
# reader) does not stop it.
if command -v flock >/dev/null 2>&1; then
	flock w/reg.csv.lock sleep 1 &
	sleep 0.3
	run asset-log -c nowait.ini -r w/reg.csv summary
	check_status "while a writer holds the register, a report gives up (2)" 2
	check_grep "saying it is locked" '^asset-log: "w/reg.csv" is locked by ' "$T/err"
	check_same "and writes nothing on stdout" /dev/null "$T/out"
	wait
	flock -s w/reg.csv.lock sleep 1 &
	sleep 0.3
	run asset-log -c nowait.ini -r w/reg.csv summary
	check_status "another shared holder does not stop a report" 0
	run asset-log -c nowait.ini -r w/reg.csv transfer $TODAY --date 2026-11-05 --location 204室 $TAG
	check_status "but stops a writer (2)" 2
	wait
else
	ok "writer holding the lock # SKIP flock(1) not installed"
fi

# ---- a line break in an option: a journal record is one line ----
fresh
snapshot
nl='
'
for o in "transfer --note" "transfer --by" "transfer --location" "dispose --reason" \
	"dispose --approver" "dispose --document" "lend --to"; do
	ev=${o% *} opt=${o#* }
	case $ev in
	dispose) more="--method scrap --reason r --approver a --document d" ;;
	lend) more="--due 2026-12-20" ;;
	*) more="--location 204室" ;;
	esac
	more=$(echo "$more" | sed "s/$opt [^ ]*//") # once: twice is another refusal
	run asset-log -r w/reg.csv $ev $TODAY $more "$opt" "first line${nl}second line" $TAG
	check_status "$o with a line break is refused (2)" 2
	check_grep "$o: the message says why" \
		"^asset-log: $opt has a line break: a journal record is one line" "$T/err"
done
run asset-log -r w/reg.csv transfer $TODAY --location 204室 --note "$(printf 'a\rb')" $TAG
check_status "a carriage return in --note is refused too (2)" 2
printf 'tag,event,location\n%s,transfer,205室\n' $TAG >w-events.csv
run asset-log -r w/reg.csv apply $TODAY --by "王${nl}秘书" w-events.csv
check_status "apply --by with a line break is refused (2)" 2
check_grep "apply --by: the message says why" '^asset-log: --by has a line break' "$T/err"
unchanged "options with line breaks"
run asset-log -r w/reg.csv transfer $TODAY --location 204室 --note "one line" $TAG
check_status "the same on one line is recorded" 0

done_testing
