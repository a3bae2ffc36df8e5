#!/bin/sh
# faults.sh - the commands' writes under faults:
#
#   - kill -9 at many points of a register append (asset-tag -r), an
#     in-place update (inventory-diff -u REG REG), a journal append
#     (doc-route register) and a number assignment (doc-route number):
#     afterwards the file is the old one or the new one, never torn, and
#     the same command run again succeeds;
#   - a full disk, as a file size limit (ulimit -f with SIGXFSZ ignored, so
#     write fails with EFBIG) and as a small tmpfs (ENOSPC, when mount
#     works here): exit 2, a message, the old file intact;
#   - 8 asset-tag runs into one register at once: no duplicate tag, no row
#     lost; 8 doc-route number runs at once: 1..8 each given once;
#   - unwritable output, missing input, a directory where a file is
#     expected: exit 2 and a message naming the file.
. "${TOP:-.}/tests/e2e/lib.sh"

AT="asset-tag --today 2026-11-28"
NKILL=${NKILL:-15}

sum() { cksum <"$1"; }

# Milliseconds since the epoch (GNU date).
now_ms() { date +%s%3N; }

# kill_loop NAME PREPARE CMD: NKILL times runs PREPARE (restores the old
# files), starts CMD in the background, kills it with SIGKILL after a delay
# spread over the command's own running time, and checks that FILE ($f)
# is the old one ($old) or the new one ($new); then runs CMD again, which
# must succeed with exit status $want_status and leave the new file.
kill_loop() {
	_name=$1 _prep=$2 _cmd=$3
	# One clean run gives the new file and the running time.
	eval "$_prep"
	_t0=$(now_ms)
	eval "$_cmd" >/dev/null 2>&1
	_st=$?
	_t1=$(now_ms)
	new=$(sum "$f")
	if [ "$_st" -ne "$want_status" ] || [ "$new" = "$old" ]; then
		not_ok "$_name: a clean run (status $_st, want $want_status; file changed: $([ "$new" = "$old" ] && echo no || echo yes))"
		return
	fi
	_ms=$((_t1 - _t0 + 2))
	_bad=0 _killed=0 _i=0
	while [ "$_i" -lt "$NKILL" ]; do
		eval "$_prep"
		_delay=$((_ms * _i / NKILL))
		# exec: $! must be the command itself, not a shell around it.
		eval "exec $_cmd" >/dev/null 2>&1 &
		_pid=$!
		sleep "$(printf '0.%03d' "$_delay")" 2>/dev/null || sleep 0
		kill -9 "$_pid" 2>/dev/null
		wait "$_pid" 2>/dev/null
		[ $? -eq 137 ] && _killed=$((_killed + 1))
		_now=$(sum "$f")
		if [ "$_now" != "$old" ] && [ "$_now" != "$new" ]; then
			_bad=$((_bad + 1))
			echo "#   $_name: torn file after a kill at ${_delay} ms"
			cp "$f" "$T/torn.$_name.$_i"
		fi
		# The command run again succeeds (from the old file: exactly the new one).
		_was=$_now
		eval "$_cmd" >/dev/null 2>"$T/rerun.err"
		_st=$?
		if [ "$_st" -ne "$want_status" ] && ! { [ "$_was" = "$new" ] && [ -n "${rerun_after_new_may_fail:-}" ]; }; then
			_bad=$((_bad + 1))
			echo "#   $_name: run again after a kill at ${_delay} ms: status $_st"
			sed 's/^/#     /' "$T/rerun.err" | head -3
		elif [ "$_was" = "$old" ] && [ "$(sum "$f")" != "$new" ]; then
			_bad=$((_bad + 1))
			echo "#   $_name: run again after a kill at ${_delay} ms did not give the new file"
		fi
		_i=$((_i + 1))
	done
	if [ "$_bad" -eq 0 ]; then
		ok "$_name: $NKILL kills ($_killed mid-run, run ${_ms} ms): old or new file, run again succeeds"
	else
		not_ok "$_name: $_bad problems in $NKILL kills"
	fi
}

# ---- data ----
mkdir -p "$T/w" && cd "$T/w" || exit 2
printf 'tag,name,category,value,acquired,department,custodian,location,status\n' >empty-reg.csv
awk 'BEGIN { print "name,category,value,acquired,department,custodian,location"
	for (i = 1; i <= 20000; i++)
		printf "Desk %d,furniture,%d.00,2026-03-01,Office,Custodian %d,Room %d\n", i, 1000 + i, i % 50, 100 + i % 40 }' >items.csv
cp empty-reg.csv big-reg.csv
run $AT -r big-reg.csv items.csv
check_status "setup: a register of 20000 rows made by asset-tag" 0
printf 'name,category,value,acquired,department,custodian,location\n' >new.csv
for i in 1 2 3 4 5; do printf 'Chair %d,furniture,%d.00,2026-11-20,Office,Li Na,Room 301\n' "$i" $((300 + i)); done >>new.csv
awk -F, 'NR > 1 && NR % 97 == 0 { print $1 }' big-reg.csv >scan.txt

awk 'BEGIN { print "direction,type,title,issuer,ref,urgency,secrecy,received,code"
	for (i = 1; i <= 3000; i++) printf "收文,通知,关于第%d项工作的通知,市政府办公室,,,,2026-11-23,\n", i
	for (i = 1; i <= 8; i++) printf "发文,报告,关于第%d项工作的报告,市政府,,,,2026-11-23,示例办发\n", i }' >docs.csv
printf 'direction,type,title,issuer,ref,urgency,secrecy,received\n收文,函,关于商请协助的函,市统计局,,,,2026-11-24\n' >more-docs.csv
run doc-route -j base.journal register --at "2026-11-23 08:40" docs.csv
check_status "setup: a journal of 3008 documents" 0
ok=1
for d in 3001 3002 3003 3004 3005 3006 3007 3008; do
	for s in 审核 签发 复核; do
		doc-route -j base.journal step --at "2026-11-23 09:00" "$d" "$s" || ok=0
	done
done
check "setup: 8 outgoing documents at 复核" test "$ok" -eq 1

# ---- kill -9 ----
f=reg.csv
old=$(sum big-reg.csv)
want_status=0
kill_loop "asset-tag -r (register append)" 'cp big-reg.csv reg.csv' "$AT -r reg.csv new.csv"

f=upd.csv
old=$(sum big-reg.csv)
want_status=1
kill_loop "inventory-diff -u (in-place update)" 'cp big-reg.csv upd.csv' \
	'inventory-diff -d 2026-11-28 -f -u upd.csv upd.csv scan.txt'

f=j.journal
old=$(sum base.journal)
want_status=0
# After a kill that left the document registered, registering the same
# sheet again is refused (2) unless --again.
rerun_after_new_may_fail=1
kill_loop "doc-route register (journal append)" 'cp base.journal j.journal; cp base.journal.state j.journal.state' \
	'doc-route -j j.journal register --at "2026-11-24 08:40" more-docs.csv'
# After a kill that left the number given, giving it again is illegal (2).
kill_loop "doc-route number (number assignment)" 'cp base.journal j.journal; cp base.journal.state j.journal.state' \
	'doc-route -j j.journal number --at "2026-11-23 10:00" 3001'
unset rerun_after_new_may_fail
run doc-route -j j.journal status
check_status "the journal verifies after the kills" 0
n=$(ls | grep -c '\.tmp\.' || true)
[ "$n" -gt 0 ] && echo "#   $n temporary files left by killed writers (*.tmp.PID)"

# ---- full disk: file size limit ----
# The temporary copy of a 1.2 MB register passes 64 KiB (dash counts
# 512-byte blocks, bash 1024: either way under the file's size).
limited() {
	(trap '' XFSZ; ulimit -f 128 && exec "$@")
}
cp big-reg.csv reg.csv
old=$(sum reg.csv)
run limited $AT -r reg.csv new.csv
check_status "file size limit: asset-tag -r exits 2" 2
check_grep "file size limit: asset-tag names the register" 'reg\.csv' "$T/err"
check "file size limit: register intact" test "$(sum reg.csv)" = "$old"
run limited inventory-diff -f -u reg.csv reg.csv scan.txt
check_status "file size limit: inventory-diff -u exits 2" 2
check "file size limit: inventory-diff fails on the write, not the missing share" sh -c "! grep -q 'max_missing_share' '$T/err'"
check "file size limit: register intact after inventory-diff" test "$(sum reg.csv)" = "$old"
cp base.journal j.journal; cp base.journal.state j.journal.state
old=$(sum j.journal)
run limited doc-route -j j.journal register --at "2026-11-24 08:40" more-docs.csv
check_status "file size limit: doc-route journal append exits 2" 2
check "file size limit: journal intact" test "$(sum j.journal)" = "$old"
run limited inventory-diff -o out.csv big-reg.csv scan.txt
check_status "file size limit: -o output exits 2" 2
check "file size limit: no partial -o output" test ! -e out.csv
run inventory-diff big-reg.csv scan.txt
status_ok=$status
inventory-diff big-reg.csv scan.txt >/dev/full 2>"$T/err"
status=$?
check_status "stdout on a full device (/dev/full): exit 2" 2
check "the same run to a working stdout exits 1" test "$status_ok" -eq 1

# ---- full disk: a small tmpfs ----
mkdir small
if mount -t tmpfs -o size=8m tmpfs small 2>/dev/null; then
	trap 'umount "$T/w/small" 2>/dev/null; rm -rf "$T"' EXIT
	cp big-reg.csv small/reg.csv
	cp base.journal small/j.journal; cp base.journal.state small/j.journal.state
	dd if=/dev/zero of=small/filler bs=4k 2>/dev/null
	old=$(sum small/reg.csv)
	run $AT -r small/reg.csv new.csv
	check_status "full tmpfs: asset-tag -r exits 2" 2
	check_grep "full tmpfs: the message says the disk is full" 'space' "$T/err"
	check "full tmpfs: register intact" test "$(sum small/reg.csv)" = "$old"
	run inventory-diff -f -u small/reg.csv small/reg.csv scan.txt
	check_status "full tmpfs: inventory-diff -u exits 2" 2
	check_grep "full tmpfs: inventory-diff says the disk is full" 'space' "$T/err"
	check "full tmpfs: register intact after inventory-diff" test "$(sum small/reg.csv)" = "$old"
	old=$(sum small/j.journal)
	run doc-route -j small/j.journal register --at "2026-11-24 08:40" docs.csv
	check_status "full tmpfs: doc-route journal append exits 2" 2
	check "full tmpfs: journal intact" test "$(sum small/j.journal)" = "$old"
	check "full tmpfs: no temporary file left" test -z "$(ls small | grep '\.tmp\.')"
	rm -f small/filler
	run $AT -r small/reg.csv new.csv
	check_status "tmpfs with room again: asset-tag -r succeeds" 0
	umount small
else
	ok "full tmpfs # SKIP mount -t tmpfs not permitted here"
fi

# ---- concurrency ----
cp big-reg.csv reg.csv
for i in 1 2 3 4 5 6 7 8; do
	printf 'name,category,value,acquired,department,custodian,location\n' >"par$i.csv"
	for k in 1 2 3 4 5; do
		printf 'Item %d-%d,furniture,%d.00,2026-11-20,Office,Li Na,Room 30%d\n' "$i" "$k" $((100 * i + k)) "$i"
	done >>"par$i.csv"
done
pids=""
for i in 1 2 3 4 5 6 7 8; do
	$AT -r reg.csv "par$i.csv" >"par$i.out" 2>"par$i.err" &
	pids="$pids $!"
done
fails=0
for p in $pids; do wait "$p" || fails=$((fails + 1)); done
check "8 asset-tag -r at once: every run succeeds" test "$fails" -eq 0
check "8 asset-tag -r at once: 40 rows added" test "$(wc -l <reg.csv)" -eq $((20001 + 40))
dups=$(awk -F, 'NR > 1 { print $1 }' reg.csv | sort | uniq -d | head -3)
check "8 asset-tag -r at once: no duplicate tag" test -z "$dups"
for i in 1 2 3 4 5 6 7 8; do
	for k in 1 2 3 4 5; do grep -q "^[^,]*,Item $i-$k," reg.csv || echo "Item $i-$k"; done
done >lost
check "8 asset-tag -r at once: no row lost" test ! -s lost

cp base.journal j.journal; cp base.journal.state j.journal.state
for d in 3001 3002 3003 3004 3005 3006 3007 3008; do
	doc-route -j j.journal number --at "2026-11-23 10:00" "$d" >"num$d.out" 2>"num$d.err" &
done
wait
cat num*.out | sort >numbers
for n in 1 2 3 4 5 6 7 8; do printf '示例办发〔2026〕%d号\n' "$n"; done | sort >want
check_same "8 doc-route number at once: 1..8, each once" want numbers
run doc-route -j j.journal status
check_status "8 doc-route number at once: the journal verifies" 0

# ---- a register that changes while it is read ----
# A tag near the end is overwritten in place (same length) while
# inventory-diff runs.  Allowed: the findings of the old file, those of the
# new file, or exit 2 saying the file changed.  Never a mixture.
line=$(awk -F, 'NR == 19990 { print NR }' big-reg.csv)
off=$(head -n $((line - 1)) big-reg.csv | wc -c)
cp big-reg.csv changed.csv
printf 'ADM-2026-999999-Z' | dd of=changed.csv bs=1 seek="$off" conv=notrunc 2>/dev/null
awk -F, 'NR > 1 && NR % 3 == 0 { print $1 }' big-reg.csv >scan3.txt
inventory-diff big-reg.csv scan3.txt >want-old.csv
inventory-diff changed.csv scan3.txt >want-new.csv
if cmp -s want-old.csv want-new.csv; then
	not_ok "changing register: the change must change the findings"
else
	bad=0 outcomes=""
	for d in 0 2 4 6 8 10 15 20 30 40; do
		cp big-reg.csv live.csv
		inventory-diff live.csv scan3.txt >got.csv 2>got.err &
		pid=$!
		sleep "$(printf '0.%03d' "$d")"
		printf 'ADM-2026-999999-Z' | dd of=live.csv bs=1 seek="$off" conv=notrunc 2>/dev/null
		wait "$pid"
		st=$?
		if [ "$st" -eq 1 ] && cmp -s got.csv want-old.csv; then outcomes="$outcomes old"
		elif [ "$st" -eq 1 ] && cmp -s got.csv want-new.csv; then outcomes="$outcomes new"
		elif [ "$st" -eq 2 ] && grep -q 'changed' got.err; then outcomes="$outcomes changed"
		else
			bad=$((bad + 1))
			echo "#   after ${d} ms: status $st, $(head -1 got.err)"
		fi
	done
	check "a register changed in place while read: old, new or an error (got:$outcomes)" test "$bad" -eq 0
fi
# A register named by a pipe cannot be read twice: the run works or says so.
run sh -c 'inventory-diff /dev/fd/3 scan3.txt 3<big-reg.csv'
if [ "$status" -eq 1 ] && cmp -s "$T/out" want-old.csv; then
	ok "a register on a file descriptor: read"
elif [ "$status" -eq 2 ] && grep -q '/dev/fd/3' "$T/err"; then
	ok "a register on a file descriptor: exit 2, named ($(head -1 "$T/err"))"
else
	not_ok "a register on a file descriptor: status $status"
fi
run sh -c 'cat big-reg.csv | inventory-diff /dev/stdin scan3.txt'
if [ "$status" -eq 1 ] && cmp -s "$T/out" want-old.csv; then
	ok "a register on a pipe: read"
elif [ "$status" -eq 2 ] && [ -s "$T/err" ]; then
	ok "a register on a pipe: exit 2 with a message ($(head -1 "$T/err"))"
else
	not_ok "a register on a pipe: status $status"
fi

# ---- a busy lock ----
if command -v flock >/dev/null 2>&1; then
	printf '[general]\nlock_timeout = 1\n' >short.ini
	cp big-reg.csv reg.csv
	old=$(sum reg.csv)
	flock reg.csv.lock sleep 4 &
	sleep 0.3
	run asset-tag -c short.ini --today 2026-11-28 -r reg.csv new.csv
	check_status "a register locked by another process: asset-tag exits 2" 2
	check_grep "a busy lock is reported" 'locked' "$T/err"
	check "a busy lock: register intact" test "$(sum reg.csv)" = "$old"
	cp base.journal reg.journal; cp base.journal.state reg.journal.state
	flock reg.journal.lock sleep 3 &
	sleep 0.3
	run doc-route -c short.ini -j reg.journal step --at "2026-11-23 10:00" 1 登记
	check_status "a journal locked by another process: doc-route exits 2" 2
	wait
	run asset-tag -c short.ini --today 2026-11-28 -r reg.csv new.csv
	check_status "the lock released: asset-tag succeeds" 0
else
	ok "busy lock # SKIP flock(1) not installed"
fi

# ---- unwritable output, missing input, a directory for a file ----
mkdir adir
cp big-reg.csv reg.csv
old=$(sum reg.csv)
run inventory-diff -o nodir/out.csv reg.csv scan.txt
check_status "output into a missing directory: exit 2" 2
check_grep "output into a missing directory: named" 'nodir/out\.csv' "$T/err"
run inventory-diff -o reg.csv/out.csv reg.csv scan.txt
check_status "output under a file: exit 2" 2
run inventory-diff -o adir reg.csv scan.txt
check_status "output onto a directory: exit 2" 2
check "output onto a directory: the directory stays" test -d adir
mkfifo afifo
run inventory-diff -o afifo reg.csv scan.txt
check_status "output onto a FIFO (not a regular file): exit 2" 2
check "output onto a FIFO: the FIFO stays" test -p afifo
run inventory-diff missing.csv scan.txt
check_status "missing register: exit 2" 2
check_grep "missing register: named" 'missing\.csv' "$T/err"
run inventory-diff adir scan.txt
check_status "a directory as the register: exit 2" 2
check_grep "a directory as the register: named" 'adir' "$T/err"
run $AT -r adir new.csv
check_status "asset-tag -r onto a directory: exit 2" 2
run $AT -r reg.csv adir
check_status "asset-tag input is a directory: exit 2" 2
run $AT -r reg.csv missing.csv
check_status "asset-tag missing input: exit 2" 2
check "asset-tag errors leave the register" test "$(sum reg.csv)" = "$old"
run inventory-diff -n reg.csv reg.csv scan.txt
check_status "inventory-diff --notices into a file, not a directory: exit 2" 2
check "inventory-diff --notices into a file: the file stays" test "$(sum reg.csv)" = "$old"
run doc-route -j base.journal overdue --as-of 2027-01-01 --notices reg.csv
check_status "doc-route overdue --notices into a file, not a directory: exit 2" 2
run doc-route -j adir status
check_status "doc-route journal is a directory: exit 2" 2
run doc-route -j j.journal register missing.csv
check_status "doc-route missing documents file: exit 2" 2

# Permissions: as root every file is writable, so drop to nobody.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
	as_user() { "$@"; }
fi
mkdir ro && cp big-reg.csv ro/reg.csv && cp base.journal ro/j.journal && cp base.journal.state ro/j.journal.state && cp new.csv scan.txt ro/
chmod 755 ro && chmod 644 ro/* && chmod 711 "$T" "$T/w"
if as_user test -r ro/reg.csv && ! as_user test -w ro && as_user test -x "$BIN/asset-tag" &&
    as_user "$BIN/asset-tag" --version >/dev/null 2>&1; then
	old=$(sum ro/reg.csv)
	run as_user "$BIN/asset-tag" --today 2026-11-28 -r ro/reg.csv ro/new.csv
	check_status "read-only directory: asset-tag -r exits 2" 2
	check_grep "read-only directory: the message names the register" 'reg\.csv' "$T/err"
	check "read-only directory: register intact" test "$(sum ro/reg.csv)" = "$old"
	run as_user "$BIN/inventory-diff" -o ro/out.csv ro/reg.csv ro/scan.txt
	check_status "read-only directory: -o exits 2" 2
	run as_user "$BIN/doc-route" -j ro/j.journal step --at "2026-11-23 10:00" 1 登记
	check_status "read-only journal: doc-route step exits 2" 2
else
	ok "permissions # SKIP cannot run as an unprivileged user here"
fi

# A full standard output is status 2 and one message, not two (the
# command's own and cli_finish's).
if [ -w /dev/full ]; then
	export OFFICEADM_CONFIG="$TOP/examples/officeadm.ini"
	E="$TOP/examples"
	for cmd in "asset-tag $E/assets/new-items.csv" \
	           "asset-tag label -f zpl $E/assets/register.csv" \
	           "asset-tag label -f pdf $E/assets/register.csv" \
	           "inventory-diff $E/stocktake/register.csv $E/stocktake/team-a.csv" \
	           "inventory-diff --summary $E/stocktake/register.csv $E/stocktake/team-a.csv" \
	           "meeting-sched --help" "doc-route --version"; do
		# shellcheck disable=SC2086
		$cmd >/dev/full 2>"$T/err"
		status=$?
		name=$(echo "$cmd" | sed "s|$E/||g")
		check_status "$name >/dev/full: exit 2" 2
		prog=${cmd%% *}
		# (Lines of the program's own; a sanitizer build may add a report;
		# warnings, such as the sample register's disposed asset left
		# out of the labels, are not the error.)
		check "$name >/dev/full: one message, naming <stdout>" \
			sh -c "test \$(grep '^$prog: ' '$T/err' | grep -vc ': warning: ') -eq 1 && grep -q '^$prog: <stdout>' '$T/err'"
	done
	unset OFFICEADM_CONFIG
else
	ok "full stdout # SKIP no /dev/full"
fi

done_testing
