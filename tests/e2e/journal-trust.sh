#!/bin/sh
# The doc-route journal can be trusted (issue 13, items 1-5): the writer
# refuses what its reader would reject; a complete last record without its
# line end is kept, a torn one moved aside, a journal shorter than its state
# file refused; every record is hash-chained and `verify` names the first
# bad line and column, never a title; an old journal is sealed once; the
# same sheet is not registered twice; --at is checked.
. "$TOP/tests/e2e/lib.sh"
D="$DATA/doc-route"
export OFFICEADM_CONFIG="$D/officeadm.ini"
SECRET=绝密事项甲

fresh() {
	rm -f test.journal test.journal.*
	doc-route register --at "2026-11-23 08:30" --by 王秘书 "$D/docs.csv" >/dev/null
	doc-route step --at "2026-11-23 09:00" 1 登记 >/dev/null
	doc-route step --at "2026-11-23 09:05" 2 登记 >/dev/null
}

# ---- 1. one validation for writer and reader ----
fresh
cp test.journal before
for opt in --note --by --department; do
	run doc-route step --at "2026-11-24 09:00" $opt "$(printf '\265\347\273\260')" 1 催办
	check_status "$opt in GBK is refused" 2
	check_grep "$opt in GBK: the message names the option" "^doc-route: test.journal: document 1: $opt: invalid UTF-8 at byte 1; nothing recorded$" "$T/err"
	run doc-route step --at "2026-11-24 09:00" $opt "$(printf 'a\001b')" 1 催办
	check_status "$opt with a control character is refused" 2
done
check "refused notes leave the journal alone" cmp -s before test.journal
run doc-route status
check_status "the journal still reads" 0
# A title longer than the journal's 1 MiB, read with a raised max_field.
printf '[general]\nmax_field = 3000000\n[doc-route]\njournal = test.journal\n' >big.ini
{ echo 'direction,type,title'; printf 'in,notice,'; head -c 1100000 /dev/zero | tr '\0' 'x'; echo; } >big.csv
run doc-route -c big.ini register --at "2026-11-24 08:00" big.csv
check_status "a title longer than the journal takes is refused" 2
check_grep "... saying so" 'title: longer than the journal.s 1048576 bytes; nothing recorded' "$T/err"
check "... and the journal is left alone" cmp -s before test.journal
# Tab and line breaks become spaces, and read back so.
doc-route step --at "2026-11-24 09:00" --note "$(printf '一\t二\n三')" 1 催办
run doc-route log 1
check_grep "a note with tab and line break reads back with spaces" ',催办,,,一 二 三,' "$T/out"

# ---- 2. the end of the journal ----
fresh
head -c -1 test.journal >cut && cat cut >test.journal
run doc-route status
check_status "a complete last record without its line end reads" 0
check_grep "... and is kept (document 2 numbered)" '^2,收文〔2026〕2号,' "$T/out"
run doc-route step --at "2026-11-23 09:10" 3 审核
check_status "the next step appends after it" 0
check_grep "... the kept record got its line end" '^6,2026-11-23 09:05,2,登记,.*,[0-9a-f]\{64\}$' test.journal
check_grep "... before the new one" '^7,2026-11-23 09:10,3,审核,' test.journal
run doc-route verify
check_status "... and the journal verifies" 0
run doc-route number --at "2026-11-23 10:00" 1
check_status "document 1 cannot be numbered again" 2
# A torn record: reported by readers, moved aside by the next writer.
printf '9,2026-11-23 10:00,1,初审,王' >>test.journal
lines=$(wc -l <test.journal)
run doc-route status
check_status "a torn last record: readers go on" 0
check_grep "... and say where it is" "^doc-route: test.journal:$((lines + 1)): warning: an incomplete last record" "$T/err"
run doc-route verify
check_status "verify reports a torn last record" 2
run doc-route step --at "2026-11-23 11:00" 1 初审
check_status "the next step is recorded" 0
check_grep "... and says where the torn record went" "test.journal:$((lines + 1)): warning: an incomplete last record (a writer died mid-write) was moved to test.journal.torn-" "$T/err"
check "the torn record is kept aside, byte for byte" sh -c 'test "$(cat test.journal.torn-*)" = "9,2026-11-23 10:00,1,初审,王"'
run doc-route verify
check_status "then the journal verifies" 0
# The last line removed: the state file knows there was one more.
cp test.journal full
sed '$d' full >test.journal
run doc-route status
check_status "a journal shorter than its state is refused" 2
check_grep "... saying records were removed" 'test.journal: the journal has 7 records but its state file says 8: records were removed at the end' "$T/err"
sed '$d' full | sed '$d' >test.journal
run doc-route number --at "2026-11-23 12:00" 2
check_status "no number is given on a shortened journal" 2
mv full test.journal
rm test.journal.state
run doc-route status
check_status "without its state file the journal reads" 0
check_grep "... with a warning that truncation cannot be seen" 'warning: no state file test.journal.state' "$T/err"
run doc-route verify
check_status "... and verify says so" 2
doc-route step --at "2026-11-23 12:00" 1 拟办
check "the next write restores the state file" test -f test.journal.state

# ---- 3. tamper evidence ----
fresh
run doc-route verify
check_status "verify: a sound journal is 0" 0
check_same "verify is silent" /dev/null "$T/out"
run doc-route verify --last
check_grep "verify --last prints the last seq and chain value" '^6 [0-9a-f]\{64\}$' "$T/out"
# The chain, checked with sha256sum alone (chain.h): seed = SHA-256 of the
# header; each value = SHA-256(previous value as hex, record up to its last comma).
prev=$(head -n 1 test.journal | tr -d '\n' | sha256sum | cut -c1-64)
good=yes
tail -n +2 test.journal >records
while IFS= read -r line; do
	body=$(printf '%s' "$line" | head -c -64)
	want=$(printf '%s%s' "$prev" "$body" | sha256sum | cut -c1-64)
	[ "$want" = "${line##*,}" ] || good=no
	prev=$want
done <records
check "every chain value is SHA-256(previous value, record), by sha256sum" test "$good" = yes
check "verify --last prints the last value" grep -q " $prev\$" "$T/out"
# Edits a person might make: a deadline, an actor, a time.
sed '3s/2026-11-24,/2026-11-30,/' test.journal >edit.journal
run doc-route -j edit.journal verify
check_status "an edited deadline is found" 2
check_grep "... by line and column" '^doc-route: edit.journal:3: column 24 (chain): the chain value does not match' "$T/err"
check "... without the classified title" sh -c "! grep -q '$SECRET' '$T/err'"
run doc-route -j edit.journal overdue --as-of 2026-12-01
check_status "... and every report refuses it" 2
sed '2s/,王秘书,/,李秘书,/' test.journal >edit.journal
run doc-route -j edit.journal verify
check_grep "an edited actor is found" '^doc-route: edit.journal:2: column 24' "$T/err"
sed '7s/09:05/09:06/' test.journal >edit.journal
run doc-route -j edit.journal verify
check_grep "an edited time is found" '^doc-route: edit.journal:7: column 24' "$T/err"
# Every byte, one bit flipped: the read fails and names the line (or the
# state file), and no message shows the classified title.
size=$(wc -c <test.journal)
mkdir flips
python3 -c 'import sys
d = open("test.journal", "rb").read()
for i in range(0, len(d), 5):
    e = bytearray(d); e[i] ^= 1
    open("flips/%d.journal" % i, "wb").write(e)'
missed=0
shown=0
for f in flips/*.journal; do
	cp test.journal.state "$f.state"
	doc-route -j "$f" status >/dev/null 2>flip.err && missed=$((missed + 1))
	grep -q "$SECRET" flip.err && shown=$((shown + 1))
done
check "every 5th of the $size bytes changed is detected" test "$missed" -eq 0
check "no message shows the classified title" test "$shown" -eq 0
# An old journal (no chain column): read with a warning, not written, sealed once.
cut -d, -f1-23 test.journal >old.journal
sed -i '1s/.*/seq,time,doc,step,actor,department,note,direction,type,title,issuer,ref,urgency,secrecy,received,deadline,keywords,code,number,lead,co,leader,circulate/' old.journal
cp old.journal old.copy
run doc-route -j old.journal status
check_status "an old journal reads" 0
check_grep "... with a warning" 'old.journal: warning: an old journal without the chain column' "$T/err"
run doc-route -j old.journal step --at "2026-11-23 10:00" 1 初审
check_status "... but is not written to" 2
check_grep "... saying how to upgrade it" 'run "doc-route verify --seal" once' "$T/err"
run doc-route -j old.journal verify
check_status "verify: an old journal cannot be verified" 2
run doc-route -j old.journal verify --seal
check_status "verify --seal upgrades it" 0
check_grep "... and names the old file kept" 'the old file is kept as old.journal.unchained' "$T/err"
check "the old file is kept unchanged" cmp -s old.copy old.journal.unchained
check_grep "the state file records the sealing" '^sealed .* from old.journal.unchained (6 records)$' old.journal.state
run doc-route -j old.journal verify
check_status "the sealed journal verifies" 0
run doc-route -j old.journal step --at "2026-11-23 10:00" 1 初审
check_status "and takes steps" 0

# ---- 4. the same sheet twice ----
fresh
cp test.journal before
run doc-route register --at "2026-11-23 10:00" "$D/docs.csv"
check_status "registering the same sheet twice is refused" 2
check_grep "... naming the document it repeats" 'registered already as document 1 (same 来文机关 and 来文字号): use --again' "$T/err"
check "... and the journal is left alone" cmp -s before test.journal
run doc-route register --again --at "2026-11-23 10:00" "$D/docs.csv"
check_status "--again registers it once more" 0
check_grep "... as new documents" '^5,' "$T/out"

# ---- 5. --at checked ----
fresh
cp test.journal before
# Ten years from now, whatever the date the test runs on (a fixed 2036
# would be in the past one day).
later=$(date -d '+10 years' '+%Y-%m-%d 10:00')
run doc-route step --at "$later" 1 初审
check_status "a step dated ten years ahead ($later) is refused" 2
check_grep "... as in the future" 'is in the future' "$T/err"
run doc-route step --at "2026-11-23 08:50" 1 初审
check_status "a step before the document's last step is refused" 2
check_grep "... naming the last step" 'comes before its last step (登记 at 2026-11-23 09:00)' "$T/err"
run doc-route step --at "2025-11-23 09:10" 3 审核
check_status "a year typo is refused" 2
doc-route step --at "2026-11-23 09:10" 3 审核
doc-route step --at "2026-11-23 09:10" 3 签发
doc-route step --at "2026-11-23 09:10" 3 复核
run doc-route number --at "2025-11-23 09:20" 3
check_status "a year typo on 登记 (测试发〔2025〕) is refused" 2
run doc-route register --at "2025-11-23 09:00" --again "$D/docs.csv"
check_status "registering in a year before the documents' date is refused" 2
check_grep "... naming the date" "is in a year before the document's date 2026-11-23" "$T/err"
run doc-route register --at "2026-11-22 09:00" --again "$D/docs.csv"
check_status "a day before the documents' date: registered" 0
check_grep "... with a warning" "warning: document 5: 签收 at 2026-11-22 09:00 comes before the document's date 2026-11-23" "$T/err"
printf '[doc-route]\njournal = test.journal\nfuture_minutes = 0\n' >nofuture.ini
now=$(date -d '+5 minutes' '+%Y-%m-%d %H:%M')
run doc-route -c nofuture.ini step --at "$now" 4 审核
check_status "future_minutes = 0 refuses a step 5 minutes ahead" 2

done_testing
