#!/bin/sh
# inventory-diff as a new office user meets it: a half-yearly stock-take
# (资产盘点) of a register kept in Excel, scanner exports from two teams,
# ordinary mistakes.  Each check here failed before its fix.
. "$TOP/tests/e2e/lib.sh"

# Tags from examples/stocktake (check characters worked there).
cat > reg.csv <<'CSV'
资产编号,资产名称,使用部门,存放地点,状态,上次盘点
BGS-2024-0001-E,台式机,办公室,301室,在用,2026/6/28
BGS-2024-0002-C,打印机,办公室,301室,在用,2026年6月28日
BGS-2024-0003-A,会议桌,办公室,302会议室,在用,2026/6/28
CWK-2024-0001-Y,保险柜,财务科,205室,在用,2026/6/28
XXZX-2024-0001-9,核心交换机,信息中心,机房,在用,2026/6/28
XXZX-2024-0002-7,服务器,信息中心,机房,在用,2026/6/28
CSV
cp reg.csv orig.csv

# ---- tags typed without hyphens, in lower case, with spaces ----
printf 'BGS20240001E\nbgs-2024-0002-c   \nBGS 2024 0003 A\nCWK-2024-0001-Y\nxxzx202400019\nXXZX-2024-0002-7\n' > typed.txt
run inventory-diff reg.csv typed.txt
check_status "tags typed without hyphens or in lower case: nothing to report" 0
check "tags typed without hyphens: no surplus, no missing" test ! -s "$T/out"
run inventory-diff -u reg.csv --force reg.csv typed.txt
check "tags typed without hyphens: -u marks nothing missing" sh -c "! grep -q 丢失 reg.csv"
cp orig.csv reg.csv
printf 'tag\nBGS-2024-0001-E\nBGS20240001E\n' > dupreg.csv
run inventory-diff dupreg.csv typed.txt
check_status "a tag registered twice, once without hyphens: exit 2" 2
check_grep "a tag registered twice, once without hyphens: both lines" 'dupreg.csv:3: duplicate tag "BGS20240001E" (also on line 2 as "BGS-2024-0001-E"' "$T/err"

# ---- a status word the command does not know ----
printf '资产编号,状态\nBGS-2024-0001-E,已调拨\nBGS-2024-0002-C,闲置\nBGS-2024-0003-A,已调拨\nCWK-2024-0001-Y,在用\n' > words.csv
printf 'CWK-2024-0001-Y\n' > one.txt
run inventory-diff words.csv one.txt
check_status "unknown status: still compared" 1
check_grep "unknown status: warned with its first line and count" '^inventory-diff: words.csv:2: warning: status "已调拨" is not known (2 rows): taken as in use' "$T/err"
check "unknown status: one warning, 闲置 and 在用 are known" test "$(wc -l < "$T/err")" -eq 1

# ---- a scanner's export opened and saved again in Excel: its date forms ----
printf '条形码,盘点位置,盘点人,盘点时间\r\nBGS-2024-0001-E,301室,孙丽,2026/6/28 9:05\r\nBGS-2024-0002-C,301室,孙丽,2026年6月29日 10:30\r\nBGS-2024-0003-A,302会议室,孙丽,2026.6.29\r\n' > xl-a.csv
printf 'CWK-2024-0001-Y\nXXZX-2024-0001-9\nXXZX-2024-0002-7\n' > b.txt
run inventory-diff -u up.csv reg.csv xl-a.csv b.txt
check_status "Excel's 2026/6/28 9:05 and 2026年6月29日 in 盘点时间: read" 0
check_grep "Excel's date forms: the latest is the stock-take date" '^BGS-2024-0001-E,台式机,办公室,301室,在用,2026/6/29$' up.csv
printf 'tag,scanned_at\nBGS-2024-0001-E,46201\n' > serial.csv
run inventory-diff reg.csv serial.csv b.txt
check_status "a serial number in scanned_at: exit 2" 2
check_grep "a serial number in scanned_at: says how to fix it" 'serial.csv:2: scanned_at "46201" is not a date and time .*format the column as yyyy-mm-dd hh:mm' "$T/err"

# ---- -u on a read-only register ----
cp orig.csv ro.csv
chmod 444 ro.csv
run inventory-diff -u ro.csv ro.csv typed.txt
check_status "-u on a read-only register: exit 2" 2
check_grep "-u on a read-only register: says so" '^inventory-diff: ro.csv: read-only: --update leaves it as it is' "$T/err"
check_same "-u on a read-only register: unchanged" orig.csv ro.csv
check "-u on a read-only register: still read-only" test "$(stat -c %a ro.csv)" = 444
check "-u on a read-only register: no findings written" test ! -s "$T/out"

# ---- --help says what the man page says ----
run inventory-diff --help
MAN="$TOP/man/inventory-diff.1"
grep -o -e '--[a-z]*' "$T/out" | sort -u > help-opts
grep -o '^\.It Fl [a-zA-Z] , Fl -[a-z]*' "$MAN" | sed 's/.*Fl -/--/' | sort -u > man-opts
check_same "--help and inventory-diff(1) list the same long options" man-opts help-opts
check_grep "--help: notices only for missing or moved assets, as the man page says" 'notice per department with missing or moved assets' "$T/out"
check_grep "inventory-diff(1): the notices directory's parent must exist" 'its parent directory must exist' "$MAN"
run inventory-diff -n nowhere/notes reg.csv typed.txt
check_status "--notices into a missing parent directory: exit 2" 2

# ---- the register as Excel keeps it: GB18030, CRLF, 上次盘点 as 2026/6/28 ----
sed 's/$/\r/' orig.csv | iconv -f UTF-8 -t GB18030 > xl.csv
cp xl.csv xl-orig.csv
run inventory-diff -u xl.csv xl.csv xl-a.csv b.txt
check_status "Excel register updated" 0
iconv -f GB18030 -t UTF-8 xl.csv | tr -d '\r' > xl-utf8.csv
check_grep "上次盘点 written as the register writes it (2026/6/29)" '^BGS-2024-0001-E,台式机,办公室,301室,在用,2026/6/29$' xl-utf8.csv
check "no ISO date among the register's 2026/6/28 dates" sh -c "! grep -q '2026-06-29' xl-utf8.csv"
printf 'tag,last_audit\nBGS-2024-0001-E,2026年6月28日\nBGS-2024-0002-C,\n' > cjk-audit.csv
printf 'BGS-2024-0001-E\nBGS-2024-0002-C\n' > two.txt
run inventory-diff -d 2026-12-03 -u cjk-audit.csv cjk-audit.csv two.txt
check_grep "上次盘点 in 2026年6月28日 form stays in that form" '^BGS-2024-0002-C,2026年12月3日,$' cjk-audit.csv
printf 'tag,last_audit\nBGS-2024-0001-E,2026/06/28\nBGS-2024-0002-C,2026/12/31\n' > pad-audit.csv
run inventory-diff -d 2026-12-03 -u pad-audit.csv pad-audit.csv two.txt
check_grep "2026/06/28 form: written with leading zeros" '^BGS-2024-0002-C,2026/12/03,$' pad-audit.csv
SOFFICE=$(command -v soffice || command -v libreoffice || true)
if [ -n "$SOFFICE" ]; then
	# LibreOffice opens both as Excel's Chinese CSV (GB18030 = 85, comma,
	# quote) and saves UTF-8 CSV: the date cells are the same kind of cell.
	HOME="$T/lohome" "$SOFFICE" -env:UserInstallation="file://$T/loprofile" --headless \
		--norestore --infilter="CSV:44,34,85,1" \
		--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' --outdir lo \
		xl-orig.csv xl.csv > lo.log 2>&1
	check_grep "LibreOffice: the register reads as Chinese" '^"资产编号","资产名称","使用部门","存放地点","状态","上次盘点"$' lo/xl.csv
	check_grep "LibreOffice: the new 上次盘点 is a cell like the old ones" '^"BGS-2024-0001-E","台式机","办公室","301室","在用","2026/6/29"$' lo/xl.csv
	check_grep "LibreOffice: an untouched row is as before" '^"BGS-2024-0001-E","台式机","办公室","301室","在用","2026/6/28"$' lo/xl-orig.csv
else
	ok "LibreOffice check # SKIP soffice not installed"
fi

# ---- Excel's "Unicode Text" save: UTF-16 with a BOM, tab-separated ----
printf '条形码\t盘点位置\r\nBGS-2024-0001-E\t301室\r\n' | iconv -f UTF-8 -t UTF-16 > u16.txt
run inventory-diff reg.csv u16.txt
check_status "UTF-16 scan: exit 2" 2
check_grep "UTF-16 scan: named as such, with the way out" '^inventory-diff: u16.txt:1: UTF-16 text .*iconv -f UTF-16 -t UTF-8' "$T/err"

# ---- the workbook named instead of its CSV export ----
printf 'PK\003\004\024\000\000\000\010\000' > team-a.xlsx
run inventory-diff reg.csv team-a.xlsx
check_status "an xlsx scan file: exit 2" 2
check_grep "an xlsx scan file: says it is a workbook, not CSV" '^inventory-diff: team-a.xlsx:1: a spreadsheet workbook (xlsx' "$T/err"
printf '\320\317\021\340\241\261\032\341\000\000' > 台账.xls
run inventory-diff 台账.xls typed.txt
check_grep "an xls register: says it is a workbook, not CSV" '^inventory-diff: 台账.xls:1: a spreadsheet workbook (xls' "$T/err"

# ---- tags pasted from a document: no-break space, Unicode hyphens ----
printf 'BGS-2024-0001-E\302\240\nBGS\342\200\2202024\342\200\2230002\342\200\224C\nBGS-2024-0003-A\nCWK-2024-0001-Y\nXXZX-2024-0001-9\nXXZX-2024-0002-7\n' > pasted.txt
run inventory-diff reg.csv pasted.txt
check_status "no-break space and Unicode hyphens in tags: nothing to report" 0

# ---- no scan files, typed at a terminal: say where the scans are read from ----
if command -v script >/dev/null 2>&1; then
	script -qec "inventory-diff reg.csv" /dev/null < /dev/null > tty.out 2>&1
	check_grep "no scan files at a terminal: says it reads the scans from it" 'reading the scans from the terminal' tty.out
else
	ok "terminal note # SKIP script(1) not installed"
fi
run sh -c 'inventory-diff reg.csv < /dev/null'
check "no scan files, standard input not a terminal: no such note" sh -c "! grep -q 'from the terminal' '$T/err'"

# ---- --notices naming a file ----
cp orig.csv notes.csv
printf 'BGS-2024-0001-E\n' > few.txt
run inventory-diff -n notes.csv reg.csv few.txt
check_status "--notices naming a file: exit 2" 2
check_grep "--notices naming a file: says it is not a directory" '^inventory-diff: notes.csv: not a directory' "$T/err"
check_same "--notices naming a file: the file is left alone" orig.csv notes.csv

# ---- --notices for a department the config does not know ----
cat > depts.ini <<'INI'
[departments]
办公室 = BGS, 王建国, wangjg@example.gov.cn
后勤服务中心 = HQFW, 刘洋, liuy@example.gov.cn
财务科 = CWK, 李红梅
INI
printf '资产编号,使用部门,存放地点\nBGS-2024-0001-E,后勤中心,101\nBGS-2024-0002-C,办公室,301\nBGS-2024-0003-A,,301\nCWK-2024-0001-Y,财务科,205\n' > dreg.csv
printf 'XXZX-2024-0001-9\n' > other.txt
run inventory-diff -c depts.ini -n dn dreg.csv other.txt
check_status "--notices with unknown departments: findings" 1
check_grep "a department not in [departments]: warned, with the closest name" '^inventory-diff: dreg.csv: warning: department "后勤中心" is not in \[departments\]: its notice (1 asset) reaches nobody; closest: 后勤服务中心' "$T/err"
check_grep "a department without e-mail: warned" '^inventory-diff: dreg.csv: warning: department "财务科" has no e-mail address' "$T/err"
check_grep "assets without a department: warned" '^inventory-diff: dreg.csv: warning: 1 missing or moved asset has no department' "$T/err"
check "a known department with an address: no warning" sh -c "! grep -q '\"办公室\"' '$T/err'"
run inventory-diff -c depts.ini dreg.csv other.txt
check "without --notices: no such warnings" sh -c "! grep -q 'department' '$T/err'"

# ---- a scanner list whose blank last line has spaces ----
printf 'BGS-2024-0001-E\r\nBGS-2024-0002-C  \r\nBGS-2024-0003-A\r\nCWK-2024-0001-Y\r\nXXZX-2024-0001-9\r\nXXZX-2024-0002-7\r\n   \r\n' > blankend.txt
run inventory-diff reg.csv blankend.txt
check_status "a blank last line of spaces: nothing to report" 0
printf '条码,位置\nBGS-2024-0001-E,301室\n  ,  \n' > blankrow.csv
run inventory-diff reg.csv blankrow.csv typed.txt
check_status "a CSV row of blanks: skipped like a row of bare commas" 1
check "a CSV row of blanks: no message" test ! -s "$T/err"
printf '条码,位置\nBGS-2024-0001-E,301室\n,302室\n' > notag.csv
run inventory-diff reg.csv notag.csv
check_grep "a scan row without a tag: says what to do" '^inventory-diff: notag.csv:3: empty tag (a row without a tag: fill it in, or delete the row)' "$T/err"

done_testing
