#!/bin/sh
# filesafety.sh - the shared file-safety rules of every command:
#
#   - no output (-o, -u, --notices, --skip-bad) may be one of the run's
#     inputs, by any name, hard link or symlink: exit 2, every file as it was;
#   - the outputs of one run (notices, -o, -u) are committed together: a
#     failure in a later one leaves the earlier ones as they were;
#   - a symlink planted by another user in a sticky world-writable
#     directory (/tmp) is never followed, nor a link of another user that
#     leads where that user could not write (run as root, links made by
#     nobody);
#   - a register or journal rewritten in place (truncated) while it is read
#     never kills the reader with SIGBUS: old findings, or "changed", exit 2;
#   - under `ulimit -f` (SIGXFSZ not ignored by the test) a command reports
#     "File too large", exits 2 and leaves no FILE.tmp.PID;
#   - lock files are 0600; a read-only directory gives the real cause;
#   - a full disk (64 KiB tmpfs) leaves no new journal, lock file or
#     notices directory behind;
#   - a full standard output (more than 4 kB written) is reported once.
. "${TOP:-.}/tests/e2e/lib.sh"

AT="asset-tag --today 2026-11-28"
sum() { cksum <"$1"; }

mkdir -p "$T/w" && cd "$T/w" || exit 2
printf 'tag,name,department,location,status\n' >reg.csv
for i in 1 2 3 4 5 6; do
	d=A; [ "$i" -gt 3 ] && d=B
	printf 'ADM-%04d,Desk %d,%s,Room %d,in-use\n' "$i" "$i" "$d" "$i"
done >>reg.csv
printf 'tag\nADM-0001\nADM-0004\n' >scans.csv
printf 'name,category,value,acquired,department,custodian,location\nChair,furniture,300.00,2026-11-20,Office,Li Na,Room 1\n' >items.csv

# ---- an output that is an input ----
cp reg.csv reg0.csv
cp scans.csv scans0.csv
ln -s scans.csv scans-link.csv
ln scans.csv scans-hard.csv
mkdir sub
nooutput() { # NAME: exit 2, a message naming the file, inputs unchanged
	check_status "$1: exit 2" 2
	check_grep "$1: says an output may not be an input" 'may not also be an output' "$T/err"
	check "$1: the register unchanged" cmp -s reg.csv reg0.csv
	check "$1: the scans unchanged" cmp -s scans.csv scans0.csv
}
run inventory-diff -o reg.csv reg.csv scans.csv
nooutput "inventory-diff -o REGISTER REGISTER scans"
run inventory-diff -o scans.csv reg.csv scans.csv
nooutput "inventory-diff -o SCANS REGISTER SCANS"
run inventory-diff -o scans-link.csv reg.csv scans.csv
nooutput "inventory-diff -o through a symlink to a scan file"
run inventory-diff -o sub/../scans.csv reg.csv scans.csv
nooutput "inventory-diff -o by another path to a scan file"
run inventory-diff -f -u scans-hard.csv reg.csv scans.csv
nooutput "inventory-diff -u onto a hard link of a scan file"
check_grep "the message names the input it would replace" '"scans.csv"' "$T/err"
run sh -c 'inventory-diff -o scans.csv reg.csv <scans.csv'
nooutput "inventory-diff -o onto the file on standard input"
mkdir nt
run inventory-diff -f -n nt -u reg.csv reg.csv scans.csv
check_status "inventory-diff -u REGISTER REGISTER (in place) still works" 1
cp reg0.csv reg.csv
cp items.csv items0.csv
run $AT -o X.csv --skip-bad X.csv items.csv
check_status "asset-tag -o X --skip-bad X: exit 2" 2
check "asset-tag -o X --skip-bad X: no X written" test ! -e X.csv
run $AT -o items.csv items.csv
check_status "asset-tag -o INPUT INPUT: exit 2" 2
check "asset-tag -o INPUT INPUT: the input unchanged" cmp -s items.csv items0.csv
printf '[general]\norganisation = test\n' >my.ini
cp my.ini my0.ini
run inventory-diff -c my.ini -o my.ini reg.csv scans.csv
check_status "inventory-diff -o onto its own config file: exit 2" 2
check "the config file unchanged" cmp -s my.ini my0.ini
printf 'tag,name,category,value,acquired,department,custodian,location,status\n' >areg.csv
run $AT -r areg.csv -o o.csv items.csv
check_status "asset-tag -r REGISTER (an input appended to) still works" 0

# ---- outputs committed together ----
# Two departments, A then B, each with a missing asset: notices A.txt and
# B.txt.  B.txt is a directory, so the run fails at the second notice: A.txt,
# the register (-u) and the findings (-o) must stay as they were.
cp reg0.csv reg.csv
rm -rf nt && mkdir nt nt/B.txt
echo "old notice" >nt/A.txt
echo "old findings" >f.csv
run inventory-diff -f -n nt -o f.csv -u reg.csv reg.csv scans.csv
check_status "a notice that cannot be written: exit 2" 2
check_grep "a notice that cannot be written: named" 'B\.txt' "$T/err"
check "an earlier notice is left as it was" grep -qx "old notice" nt/A.txt
check "the register is left as it was" cmp -s reg.csv reg0.csv
check "the findings file is left as it was" grep -qx "old findings" f.csv
check "no temporary file is left" test -z "$(find . -name '*.tmp.*')"
rmdir nt/B.txt
run inventory-diff -f -n nt -o f.csv -u reg.csv reg.csv scans.csv
check_status "the same run with room for B.txt: exit 1" 1
check "then A.txt is the new notice" grep -q 'ADM-0002' nt/A.txt
check "then B.txt is written" grep -q 'ADM-0005' nt/B.txt
cp reg0.csv reg.csv

# ---- symlinks of another user ----
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	chmod 755 "$T" "$T/w"
	mkdir sticky rootonly && chmod 1777 sticky && chmod 700 rootonly
	echo "root secret" >rootonly/secret && chmod 600 rootonly/secret
	cp rootonly/secret secret0
	as_nobody ln -s "$T/w/rootonly/secret" sticky/out.csv
	as_nobody ln -s "$T/w/rootonly/secret" sticky/reg.csv
	as_nobody mkdir sticky/nt
	as_nobody ln -s "$T/w/rootonly/secret" sticky/nt/recipients
	run inventory-diff -o sticky/out.csv reg.csv scans.csv
	check_status "root -o through nobody's link in a sticky directory: exit 2" 2
	check_grep "the refused link is named" 'sticky/out\.csv' "$T/err"
	check "the root-only file is intact" cmp -s rootonly/secret secret0
	run inventory-diff -f -u sticky/reg.csv reg.csv scans.csv
	check_status "root -u through nobody's link in a sticky directory: exit 2" 2
	check "the root-only file is intact after -u" cmp -s rootonly/secret secret0
	check "no lock file beside the root-only file" test ! -e rootonly/secret.lock
	run inventory-diff -n sticky/nt reg.csv scans.csv
	check_status "root --notices into a directory holding nobody's link: exit 2" 2
	check "the root-only file is intact after --notices" cmp -s rootonly/secret secret0
	# Not sticky, but nobody's own directory: a link of nobody's leading to
	# where nobody may not write is refused too.
	mkdir nobodys && chown 65534:65534 nobodys
	as_nobody ln -s "$T/w/rootonly/secret" nobodys/out.csv
	run inventory-diff -o nobodys/out.csv reg.csv scans.csv
	check_status "root -o through nobody's link to a root-only file: exit 2" 2
	check_grep "the message says that user may not write there" 'may not write' "$T/err"
	check "the root-only file is intact (2)" cmp -s rootonly/secret secret0
	# A link nobody could have written through is followed: to nobody's own file.
	as_nobody sh -c "echo x >'$T/w/nobodys/own.csv'"
	as_nobody ln -s "$T/w/nobodys/own.csv" sticky/own.csv
	run inventory-diff -o sticky/own.csv reg.csv scans.csv
	check_status "root -o through nobody's link in root's sticky directory, even to nobody's own file: exit 2" 2
	as_nobody ln -s own.csv nobodys/own-link.csv
	run inventory-diff -o nobodys/own-link.csv reg.csv scans.csv
	check_status "root -o through nobody's link to nobody's own file: followed" 1
	check "the file nobody owns took the findings" grep -q '^status,' nobodys/own.csv
	ln -s "$T/w/rootonly/secret" sticky/roots.csv
	run inventory-diff -o sticky/roots.csv reg.csv scans.csv
	check_status "root's own link in the sticky directory: followed" 1
	check "root's own link replaced the file it names" grep -q '^status,' rootonly/secret

	# ---- a read-only directory: the real cause ----
	mkdir ro && cp reg.csv ro/reg.csv && cp scans.csv items.csv ro/ && chmod 755 ro && chmod 644 ro/*
	run as_nobody "$BIN/asset-tag" --today 2026-11-28 -r ro/reg.csv ro/items.csv
	check_status "read-only directory: asset-tag -r exits 2" 2
	check_grep "read-only directory: the message says Permission denied" 'Permission denied' "$T/err"
	check "read-only directory: not \"No such file or directory\"" \
		sh -c "! grep -q 'No such file' '$T/err'"
	run as_nobody "$BIN/inventory-diff" -f -u ro/reg.csv ro/reg.csv ro/scans.csv
	check_status "read-only directory: inventory-diff -u exits 2" 2
	check_grep "read-only directory: -u says Permission denied" 'Permission denied' "$T/err"
else
	ok "links of another user # SKIP needs root and setpriv to act as nobody"
fi

# ---- lock files ----
rm -f areg.csv.lock
(umask 0; $AT -r areg.csv items.csv >/dev/null 2>&1)
check "a new lock file is mode 600 (umask 0)" test "$(stat -c %a areg.csv.lock)" = 600

# ---- files rewritten in place while read ----
awk 'BEGIN { print "tag,name,department,location,status"
	for (i = 1; i <= 300000; i++) printf "ADM-%07d,Desk %d,Office,Room 1,in-use\n", i, i }' >big.csv
awk -F, 'NR > 1 && NR % 2 == 0 { print $1 }' big.csv >half.txt
inventory-diff big.csv half.txt >want.csv
t0=$(date +%s%3N)
inventory-diff big.csv half.txt >/dev/null
ms=$(($(date +%s%3N) - t0 + 5))
bad=0 seen=""
for i in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do
	cp big.csv live.csv
	inventory-diff live.csv half.txt >got.csv 2>got.err &
	pid=$!
	# The reader goes back to the file for the rows it reports, late in
	# the run: most truncations fall there.
	sleep "$(printf '0.%03d' $((ms * (8 + i) / 28)))"
	: >live.csv
	wait "$pid"
	st=$?
	if [ "$st" -eq 1 ] && cmp -s got.csv want.csv; then seen="$seen old"
	elif [ "$st" -eq 2 ] && grep -q 'changed while it was being read' got.err; then seen="$seen changed"
	# Truncated before the reader opened it: the new, empty file, refused.
	elif [ "$st" -eq 2 ] && grep -q 'empty register' got.err; then seen="$seen new"
	else
		bad=$((bad + 1))
		echo "#   register truncated after $((ms * (8 + i) / 28)) ms: status $st $(head -c 80 got.err)"
	fi
done
check "a register truncated while read: never SIGBUS; old, \"changed\" or the new empty file refused (got:$seen)" test "$bad" -eq 0

awk 'BEGIN { print "direction,type,title,issuer,ref,urgency,secrecy,received,code"
	for (i = 1; i <= 40000; i++) printf "收文,通知,关于第%d项工作的通知,市政府办公室,,,,2026-11-23,\n", i }' >docs.csv
doc-route -j big.journal register --at "2026-11-23 08:40" docs.csv >/dev/null
t0=$(date +%s%3N)
doc-route -j big.journal status >/dev/null
ms=$(($(date +%s%3N) - t0 + 5))
bad=0
for i in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do
	cp big.journal live.journal
	doc-route -j live.journal status >/dev/null 2>got.err &
	pid=$!
	sleep "$(printf '0.%03d' $((ms * i / 20)))"
	: >live.journal
	wait "$pid"
	st=$?
	if [ "$st" -ge 128 ]; then
		bad=$((bad + 1))
		echo "#   journal truncated after $((ms * i / 20)) ms: killed, status $st"
	fi
done
check "a journal truncated while read: the reader is never killed" test "$bad" -eq 0

# ---- a file size limit, the signal not ignored by the test ----
# The commands themselves must ignore SIGXFSZ: the limit is set here in a
# subshell and nothing else.  1.3 MB of findings pass 64 KiB.
sizelimit() { (ulimit -f 128 && exec "$@"); }
run sizelimit inventory-diff -o big-out.csv big.csv half.txt
check_status "ulimit -f: inventory-diff -o exits 2, not killed by SIGXFSZ" 2
check_grep "ulimit -f: the message says File too large" 'File too large' "$T/err"
check "ulimit -f: no output file" test ! -e big-out.csv
check "ulimit -f: no temporary file left" test -z "$(ls | grep '\.tmp\.')"
printf 'tag,name,category,value,acquired,department,custodian,location,status\n' >big2.csv
awk 'BEGIN { print "name,category,value,acquired,department,custodian,location"
	for (i = 1; i <= 5000; i++) printf "Desk %d,furniture,1000.00,2026-03-01,Office,Li Na,Room %d\n", i, i }' >desks.csv
$AT -r big2.csv desks.csv >/dev/null
old=$(sum big2.csv)
run sizelimit $AT -r big2.csv items.csv
check_status "ulimit -f: asset-tag -r exits 2" 2
check_grep "ulimit -f: asset-tag says File too large" 'File too large' "$T/err"
check "ulimit -f: the register intact" test "$(sum big2.csv)" = "$old"
check "ulimit -f: no temporary register left" test -z "$(ls | grep '\.tmp\.')"

# ---- a full disk leaves nothing new ----
mkdir small
if mount -t tmpfs -o size=64k tmpfs small 2>/dev/null; then
	trap 'umount "$T/w/small" 2>/dev/null; rm -rf "$T"' EXIT
	dd if=/dev/zero of=small/filler bs=4k 2>/dev/null
	run doc-route -j small/new.journal register --at "2026-11-23 08:40" docs.csv
	check_status "full disk: doc-route register into a new journal exits 2" 2
	check "full disk: no new journal left behind" test ! -e small/new.journal
	check "full disk: no lock file left behind" test ! -e small/new.journal.lock
	run inventory-diff -n small/notices big.csv half.txt
	check_status "full disk: inventory-diff --notices exits 2" 2
	check "full disk: no notices directory left behind" test ! -e small/notices
	run inventory-diff -o small/out.csv big.csv half.txt
	check_status "full disk: -o exits 2" 2
	check "full disk: nothing new in the directory" test "$(ls small)" = filler
	umount small
else
	ok "full disk # SKIP mount -t tmpfs not permitted here"
fi

# ---- a full standard output is reported once ----
if [ -w /dev/full ]; then
	awk 'BEGIN { print "name,category,value,acquired,department,custodian,location"
		for (i = 1; i <= 300; i++) printf "Chair %d,furniture,300.00,2026-11-20,Office,Li Na,Room 1\n", i }' >many.csv
	for cmd in "$AT many.csv" "inventory-diff big.csv half.txt" "doc-route -j big.journal status"; do
		# shellcheck disable=SC2086
		check "${cmd%% *} writes over 4 kB" test "$($cmd 2>/dev/null | wc -c)" -gt 4096
		# shellcheck disable=SC2086
		$cmd >/dev/full 2>"$T/err"
		status=$?
		prog=${cmd%% *}
		check_status "${cmd%% *} (over 4 kB) >/dev/full: exit 2" 2
		check "${cmd%% *} (over 4 kB) >/dev/full: one message" \
			test "$(grep -c "^$prog: " "$T/err")" -eq 1
	done
else
	ok "full stdout # SKIP no /dev/full"
fi

# ---- closed standard descriptors ----
# With standard input closed (`<&-`), the next file opened would take
# descriptor 0: the -u lock file was read as the scans and, with --force,
# the whole register marked missing.  The commands open /dev/null there.
mkdir closed && cd closed || exit 2
cp "$TOP/examples/stocktake/register.csv" reg.csv
export OFFICEADM_CONFIG="$TOP/examples/officeadm.ini"
run sh -c 'inventory-diff -u out.csv --force reg.csv <&-'
check_status "standard input closed: no scans, exit 2" 2
check "standard input closed: no register written" test ! -e out.csv
check "standard input closed: no lock file read as a scan" sh -c "! grep -q 'misread' '$T/out'"
run sh -c 'inventory-diff -o found.csv reg.csv "$1" >&-' sh "$TOP/examples/stocktake/team-a.csv"
check "standard output closed: the findings file is a file of its own" test -s found.csv
check_grep "standard output closed: the findings have their header" '^status,tag,' found.csv
# getopt's messages name the command, not the path it was run by.
run "$BIN/inventory-diff" -q
check_status "an unknown option: exit 2" 2
check_grep "an unknown option: the message names the command" '^inventory-diff: ' "$T/err"
unset OFFICEADM_CONFIG
cd "$T" || exit 2

done_testing
