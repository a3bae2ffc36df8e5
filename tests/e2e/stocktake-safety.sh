#!/bin/sh
# inventory-diff must not damage the register quietly (issue 12): no scans,
# foreign separators, lent and repair, the order of the scan files, the
# register's encoding and words, per-file encodings, scan dates, header
# aliases, Excel's empty rows and columns.  Every refusal is exit 2 with
# the file (and line) named and the register unchanged.
. "$TOP/tests/e2e/lib.sh"

# Ten assets; tags from examples/stocktake (check characters worked there).
cat > reg.csv <<'CSV'
tag,name,department,location,status,last_audit
BGS-2024-0001-E,PC,Office,R301,in-use,2025-12-20
BGS-2024-0002-C,Printer,Office,R301,in-use,2025-12-20
BGS-2024-0003-A,Table,Office,R302,in-use,2025-12-20
BGS-2024-0004-8,Projector,Office,R302,lent,2025-12-20
CWK-2024-0001-Y,Safe,Finance,R205,repair,2025-12-20
CWK-2024-0002-W,Shredder,Finance,R205,in-use,2025-12-20
CWK-2024-0003-U,Laptop,Finance,R206,missing,2025-06-30
XXZX-2024-0001-9,Switch,IT,Server room,in-use,2025-12-20
XXZX-2024-0002-7,Server,IT,Server room,in-use,2025-12-20
XXZX-2024-0003-5,Monitor,IT,Server room,in-use,2025-06-30
CSV
cp reg.csv orig.csv
cat > most.csv <<'CSV'
tag,location,scanned_at
BGS-2024-0001-E,R301,2026-06-28
BGS-2024-0002-C,R301,2026-06-28
BGS-2024-0003-A,R302,2026-06-28
CWK-2024-0002-W,R205,2026-06-28
XXZX-2024-0001-9,Server room,2026-06-29
XXZX-2024-0002-7,Server room,2026-06-29
XXZX-2024-0003-5,Server room,2026-06-29
CSV

# ---- item 2: no scans; too many missing ----
: > empty.csv
run inventory-diff -u reg.csv reg.csv empty.csv
check_status "empty scan file: exit 2" 2
check_grep "empty scan file: says there are no scans" 'empty.csv: no scans: the file holds no tag' "$T/err"
check_same "empty scan file: register unchanged" orig.csv reg.csv
run sh -c 'inventory-diff -u reg.csv reg.csv < /dev/null'
check_status "standard input at its end: exit 2" 2
check_same "standard input at its end: register unchanged" orig.csv reg.csv
run inventory-diff reg.csv most.csv empty.csv
check_status "one empty scan file among others: findings" 1
check_grep "one empty scan file among others: warned" '^inventory-diff: empty.csv: warning: no scans in this file' "$T/err"
printf 'tag\nBGS-2024-0001-E\n' > one.csv
run inventory-diff -u reg.csv reg.csv one.csv
check_status "update marking 6 of 10 missing: exit 2" 2
check_grep "update marking 6 of 10 missing: says so" 'reg.csv: 6 of the register.s 10 assets (60%) would be marked missing' "$T/err"
check_same "update marking 6 of 10 missing: register unchanged" orig.csv reg.csv
run inventory-diff -u out.csv --force reg.csv one.csv
check_status "--force: the update is written" 1
check "--force: 6 more assets missing, 7 in all" test "$(grep -c ',missing,' out.csv)" -eq 7
printf '[stocktake]\nmax_missing_share = 80\n' > share.ini
run inventory-diff -c share.ini -u out2.csv reg.csv one.csv
check_status "max_missing_share = 80 allows 60%" 1

# ---- item 3: tab- and semicolon-separated exports ----
printf 'tag\tlocation\nBGS-2024-0003-A\tR303\n' > tab.tsv
run inventory-diff -a reg.csv most.csv tab.tsv
check_grep "tab-separated scan with a header is read" '^duplicate,BGS-2024-0003-A,.*R302 and R303' "$T/out"
printf 'BGS-2024-0001-E\t\nBGS-2024-0002-C\t\n' > tabs.txt
run inventory-diff reg.csv most.csv tabs.txt
check "plain list with trailing tabs: no misread" sh -c "! grep -q '^misread' '$T/out'"
printf 'BGS-2024-0001-E;R301\nBGS-2024-0002-C;R301\n' > semi.txt
run inventory-diff reg.csv semi.txt
check_status "semicolon list with two fields: exit 2" 2
check_grep "semicolon list: says what to do" 'semi.txt:1: more than one field in a plain list of tags (semicolon-separated; .*header line' "$T/err"
printf 'BGS-2024-0001-E\nBGS-2024-0002-C\tR301\n' > mixed.txt
run inventory-diff reg.csv mixed.txt
check_status "a tab inside a plain list: exit 2" 2
check_grep "a tab inside a plain list: file and line" 'mixed.txt:2: a tab inside a tag' "$T/err"

# ---- item 4: lent and repair ----
printf 'tag,location\nBGS-2024-0004-8,R302\n' > lent.csv
run inventory-diff -u out4.csv --force reg.csv most.csv lent.csv
check_grep "repair, not scanned: a finding of its own" '^repair,CWK-2024-0001-Y,.*in repair, not scanned' "$T/out"
check_grep "lent but found: returned" '^returned,BGS-2024-0004-8,.*registered as lent, found' "$T/out"
check_grep "update keeps repair" '^CWK-2024-0001-Y,Safe,Finance,R205,repair,2025-12-20$' out4.csv
check_grep "update: lent found keeps lent, audited" '^BGS-2024-0004-8,Projector,Office,R302,lent,2026-06-29$' out4.csv
printf '资产编号,状态\nCWK-2024-0001-Y,维修\nBGS-2024-0001-E,在用\n' > zh.csv
printf 'tag\nBGS-2024-0001-E\n' > zh-scan.csv
run inventory-diff -u zh-out.csv zh.csv zh-scan.csv
check_grep "维修 is repair, not missing" '^CWK-2024-0001-Y,维修,' zh-out.csv

# ---- item 5: order of the scan files; a duplicate in two rooms ----
printf 'tag,location\nBGS-2024-0001-E,R301\n' > a.csv
printf 'tag,location\nBGS-2024-0001-E,R999\n' > b.csv
run inventory-diff reg.csv most.csv a.csv b.csv
cp "$T/out" ab.out
run inventory-diff reg.csv b.csv most.csv a.csv
check_same "the order of the scan files does not matter" ab.out "$T/out"
check_grep "conflicting duplicate reported" '^duplicate,BGS-2024-0001-E,.*R301 and R999' ab.out
check "conflicting duplicate: not moved" sh -c "! grep -q '^moved,BGS-2024-0001-E' ab.out"
run inventory-diff -u out5.csv -r --force reg.csv b.csv most.csv a.csv
check_grep "conflicting duplicate: not relocated" '^BGS-2024-0001-E,PC,Office,R301,' out5.csv

# ---- item 6: recovered and found elsewhere ----
printf 'tag,location\nCWK-2024-0003-U,R210\n' > rec.csv
run inventory-diff -u out6.csv -r --force reg.csv most.csv rec.csv
check_grep "recovered elsewhere: relocated and in use" '^CWK-2024-0003-U,Laptop,Finance,R210,in-use,2026-06-29$' out6.csv

# ---- item 8: the register's encoding, BOM, line ends, words ----
cat > zhreg.csv <<'CSV'
资产编号,资产名称,存放地点,状态
BGS-2024-0001-E,台式机,301室,在用
BGS-2024-0002-C,打印机,301室,
CSV
printf 'tag\nBGS-2024-0001-E\n' > s8.csv
sed 's/$/\r/' zhreg.csv | iconv -f UTF-8 -t GB18030 > gb.csv
run inventory-diff -u gb.csv gb.csv s8.csv
check_status "GB18030 register updated" 1
check "GB18030 register stays GB18030" sh -c "! iconv -f UTF-8 -t UTF-8 gb.csv >/dev/null 2>&1 && iconv -f GB18030 -t UTF-8 gb.csv > gb-utf8.csv"
check "GB18030 register keeps CRLF on every line" test "$(grep -c "$(printf '\r')\$" gb.csv)" -eq 3
check_grep "an empty status becomes 丢失 in a Chinese register; columns added in Chinese" '^BGS-2024-0002-C,打印机,301室,丢失,' gb-utf8.csv
check_grep "added column named in Chinese" '^资产编号,资产名称,存放地点,状态,上次盘点' gb-utf8.csv
printf '\357\273\277' > bom.csv
sed 's/$/\r/' zhreg.csv >> bom.csv
run inventory-diff -u bom.csv bom.csv s8.csv
check "UTF-8 register keeps its BOM" sh -c "head -c 3 bom.csv | od -An -tx1 | grep -q 'ef bb bf'"
check "UTF-8 register keeps CRLF" test "$(grep -c "$(printf '\r')\$" bom.csv)" -eq 3
printf 'tag,status\nBGS-2024-0001-E,in-use\nBGS-2024-0002-C,\n' > en.csv
run inventory-diff -u en.csv en.csv s8.csv
check_grep "an English register gets English words" '^BGS-2024-0002-C,missing,' en.csv

# ---- item 9: encoding per file ----
# GB18030 "3楼" (33 C2 A5) is also valid UTF-8 ("3¥").
printf 'tag,location\nBGS-2024-0001-E,3\302\245\n' > amb.csv
printf 'tag,location\nBGS-2024-0001-E,3楼\n' | iconv -f UTF-8 -t GB18030 > reg-amb.csv
cmp -s amb.csv reg-amb.csv
check "test data: the two files are the same bytes" test $? -eq 0
printf 'tag,location\nBGS-2024-0001-E,会议室\n' | iconv -f UTF-8 -t GB18030 > reggb.csv
run inventory-diff reggb.csv amb.csv
check_grep "ambiguous encoding: warned, naming file and line" '^inventory-diff: amb.csv:2: warning: encoding guessed' "$T/err"
run inventory-diff -e amb.csv=gb18030 reggb.csv amb.csv
check_grep "-e FILE=gb18030: read as 3楼" '^moved,BGS-2024-0001-E,,,,会议室,3楼,' "$T/out"
check "-e FILE=gb18030: no warning" test ! -s "$T/err"
printf 'tag,location\nBGS-2024-0001-E,会议室\n' > u8scan.csv
run inventory-diff -e gb18030 -e u8scan.csv=utf-8 reggb.csv u8scan.csv
check_status "-e gb18030 for all, utf-8 for one file: nothing to report" 0
run inventory-diff -e nosuch.csv=gb18030 reggb.csv u8scan.csv
check_status "-e naming no input: exit 2" 2
check_grep "-e naming no input: says so" 'nosuch.csv.*not one of the inputs' "$T/err"

# ---- item 10: scan dates ----
# A year after the day the test runs (a fixed year would be past one day).
future=$(TZ=Asia/Shanghai date -d '+1 year' +%F)
printf 'tag,scanned_at\nBGS-2024-0001-E,2026-06-28\nBGS-2024-0002-C,%s 10:00\n' "$future" > future.csv
run inventory-diff -u reg.csv --force reg.csv most.csv future.csv
check_status "scan dated after today: exit 2" 2
check_grep "scan dated after today: file and line" "future.csv:3: scanned_at $future is after today" "$T/err"
check_same "scan dated after today: register unchanged" orig.csv reg.csv
run inventory-diff -u out10.csv --force --date 2026-07-01 reg.csv most.csv future.csv
check_status "--date: a future scan is a warning" 1
check_grep "--date: warned" "future.csv:3: warning: scanned_at $future is after today" "$T/err"
check_grep "--date sets last_audit" '^BGS-2024-0001-E,.*,2026-07-01$' out10.csv
printf 'tag,scanned_at\nBGS-2024-0001-E,2026-01-02\n' > old.csv
run inventory-diff -u out10b.csv --force reg.csv most.csv old.csv
check_grep "a date far from the others: warned" 'old.csv:2: warning: scanned_at 2026-01-02 is 177 days from the other scans' "$T/err"
check_grep "a date far from the others: not the stock-take date" '^XXZX-2024-0001-9,.*,2026-06-29$' out10b.csv

# ---- items 19 and 20: header aliases; Barcode ----
printf '资产编号,所属部门,存放位置\nBGS-2024-0001-E,办公室,301室\n' > alias-reg.csv
printf '资产编号,盘点位置\nBGS-2024-0001-E,303室\n' > alias-scan.csv
run inventory-diff alias-reg.csv alias-scan.csv
check_grep "所属部门, 存放位置, 盘点位置: moved" '^moved,BGS-2024-0001-E,,办公室,,301室,303室,' "$T/out"
printf 'tag,房间\nBGS-2024-0001-E,303室\n' > room.csv
run inventory-diff alias-reg.csv room.csv
check_grep "unknown column named when location is missing" 'room.csv:1: warning: no location column .*"房间"' "$T/err"
printf 'Barcode\nBGS-2024-0001-E\n' > barcode.csv
run inventory-diff alias-reg.csv barcode.csv
check_status "one column headed Barcode: nothing to report" 0
printf '条形码\nBGS-2024-0001-E\n' > tiaoma.csv
run inventory-diff alias-reg.csv tiaoma.csv
check_status "one column headed 条形码: nothing to report" 0

# ---- item 23: Excel's empty rows and columns ----
printf 'tag,name,,\nBGS-2024-0001-E,PC,,\n,,,\nBGS-2024-0002-C,Printer,,\n' > xl.csv
printf 'tag,location,,\nBGS-2024-0001-E,,,\n,,,\n,,,,,\nBGS-2024-0002-C,,,\n' > xl-scan.csv
run inventory-diff xl.csv xl-scan.csv
check_status "bare-comma rows and empty columns: nothing to report" 0
check "bare-comma rows and empty columns: no message" test ! -s "$T/err"
run inventory-diff -u xl-out.csv xl.csv xl-scan.csv
check_grep "bare-comma rows dropped from the update" '^BGS-2024-0002-C,Printer,,,' xl-out.csv
check "update: three lines" test "$(wc -l < xl-out.csv)" -eq 3
done_testing
