#!/bin/sh
# asset-tag as a new office user meets it: purchase lists exported from
# Excel (GB18030, CRLF, Chinese headers, total rows, ¥ and thousands
# separators), typos and the rejects loop.  Each check failed before its fix.
. "$TOP/tests/e2e/lib.sh"
CFG="$TOP/examples/officeadm.ini"
export OFFICEADM_CONFIG="$CFG"
AT="asset-tag --today 2026-11-28"

check "awk check character agrees with the sample register" \
	test "$(check_char BGS-2026-0001-)" = BGS-2026-0001-O

# gbk FILE: converts the UTF-8 text on stdin to GB18030 with CRLF line ends
# (Excel's "CSV (逗号分隔)" on Chinese Windows) into FILE.
gbk() { iconv -f utf-8 -t gb18030 | sed 's/$/\r/' >"$1"; }

# ---- the rejects file is written as the input was (Excel opens it) ----
gbk list.csv <<'CSV'
资产名称,资产类别,数量,单价,购置日期,使用部门,责任人,存放地点
办公椅,家具,2,450,2026/11/3,财务科,李红梅,205室
打印纸,耗材,5,25,2026/11/5,办公室,张伟,301室
CSV
run $AT --skip-bad rej.csv -o new.csv list.csv
check_status "rejects: one bad row, exit 1" 1
check "rejects: GB18030 like the input" sh -c 'iconv -f gb18030 -t utf-8 rej.csv >rej.utf8 && ! iconv -f utf-8 -t utf-8 rej.csv >/dev/null 2>&1'
check_grep "rejects: the row and its reason" '^打印纸,耗材,5,25,2026/11/5,办公室,张伟,301室,"line 3: unknown category ""耗材""' rej.utf8
check "rejects: CRLF like the input" sh -c '[ "$(grep -c "$(printf "\r")\$" rej.csv)" -eq 2 ]'
# corrected in the spreadsheet (still GB18030) and fed back
sed 's/耗材/办公设备/' rej.utf8 | tr -d '\r' | gbk fixed.csv
run $AT -o new2.csv fixed.csv
check_status "rejects: the corrected file is tagged" 0
check "rejects: five assets from the corrected row" test "$(grep -c ',打印纸,' new2.csv)" -eq 5

# ---- amounts in Excel's currency and accounting formats ----
gbk money.csv <<'CSV'
资产名称,资产类别,数量,单价,金额,购置日期,使用部门
笔记本电脑,电子设备,2,"8,999.00","17,998.00",2026/11/3,办公室
碎纸机,办公设备,1,¥1280,¥1280,2026/11/5,人事科
办公椅,家具,10.00,４５０,"4,500.00",2026/11/5,财务科
CSV
run $AT money.csv
check_status "amounts: 1,280.00, ¥1280, full-width and 10.00 accepted" 0
check_grep "amounts: 8,999.00 is written 8999.00" "^$(check_char BGS-2026-0001-),笔记本电脑,电子设备,8999.00,2026-11-03,办公室,fixed,3,in-use$" "$T/out"
check_grep "amounts: ¥1280 is written 1280 and is fixed (threshold 1000)" "^$(check_char RSK-2026-0001-),碎纸机,办公设备,1280,2026-11-05,人事科,fixed,5,in-use$" "$T/out"
check "amounts: quantity 10.00 makes ten chairs at 450" test "$(grep -c ',办公椅,家具,450,2026-11-05,财务科,low-value,5,in-use$' "$T/out")" -eq 10
printf 'name,value,department\n台灯,"1,28",办公室\n水壶,,办公室\n柜子,"1.200,50",办公室\n' >money-bad.csv
run $AT money-bad.csv
check_status "amounts: 1,28 and an empty value refused" 2
check_grep "amounts: 1,28 is not a number" 'money-bad.csv:2: value "1,28" is not a non-negative decimal number' "$T/err"
check_grep "amounts: an empty value says so" 'money-bad.csv:3: value is empty$' "$T/err"
check_grep "amounts: 1.200,50 is not a number" 'money-bad.csv:4: value "1.200,50"' "$T/err"

# ---- the total row at the foot of a purchase list (合计) ----
gbk total.csv <<'CSV'
序号,资产名称,资产类别,数量,单价,金额,购置日期,使用部门,备注,,
1,办公椅,家具,2,450,900,2026/11/3,财务科,,,
2,文件柜,家具,1,1200,1200,2026/11/3,财务科,合计,,
,,,,,,,,,,
合计,,,3,,"2,100.00",,,,,
CSV
run $AT total.csv
check_status "total row: skipped, the assets tagged" 0
check_grep "total row: a warning names file and line" '^asset-tag: total.csv:5: warning: skipped the total row (合计): it is not an asset$' "$T/err"
check "total row: three assets, no fourth" test "$(grep -c '^CWK-2026-' "$T/out")" -eq 3
# (序号 numbers the rows written: the two chairs are 1 and 2, the cabinet 3.)
check_grep "total row: a named asset whose note says 合计 is kept" "^$(check_char CWK-2026-0003-),3,文件柜," "$T/out"
printf 'name,value,department\n合 计,"2,100.00",\n' >total2.csv
run $AT total2.csv
check_status "total row: 合 计 in the name column, skipped" 0
check_grep "total row: 合 计 named" 'total2.csv:2: warning: skipped the total row (合计)' "$T/err"

# ---- one spelling of each department and category in the register ----
printf '资产名称,资产类别,原值,使用部门\n椅子,家具 ,450,财务科 \n台灯,家具,80,信息中心\343\200\200\n桌子, furniture,900, Finance \n' >spell.csv
cp "$TOP/examples/assets/register.csv" reg.csv
run $AT -r reg.csv spell.csv
check_status "spelling: tagged into the register" 0
check_grep "spelling: 财务科 without its trailing space" "^$(check_char CWK-2026-0002-),椅子,家具,low-value,450,2026-11-28,5,财务科,,,in-use,,$" reg.csv
check_grep "spelling: 信息中心 without its ideographic space" "^$(check_char XXZX-2026-0002-),台灯,家具,low-value,80,2026-11-28,5,信息中心,,,in-use,,$" reg.csv
check_grep "spelling: Finance trimmed, its case kept" "^$(check_char FIN-2026-0001-),桌子,furniture,low-value,900,2026-11-28,5,Finance,,,in-use,,$" reg.csv
printf 'name,category,value,department\n打印纸,耗材,25,ＢＧＳ\n' >code.csv
run $AT code.csv
check_status "spelling: a department's code and an unknown category refused" 2
check_grep "spelling: the code is named as 办公室's" 'code.csv:2: unknown department "ＢＧＳ" (BGS is the code of 办公室: write the department.s name)' "$T/err"
check_grep "spelling: an unknown category with nothing close lists the categories" 'code.csv:2: unknown category "耗材" (categories: 电子设备, 办公设备, 家具, .*\[categories\]' "$T/err"

# ---- dates as Excel exports a date-time cell, and full-width digits ----
printf 'name,value,acquired,department\n电脑,5000,2026/11/3 0:00,办公室\n打印机,3000,2026-11-04 00:00:00,办公室\n扫描仪,2000,２０２６／１１／５,办公室\n' >dt.csv
run $AT dt.csv
check_status "dates: date-times and full-width digits read" 0
check_grep "dates: 2026/11/3 0:00 is 2026-11-03" ',电脑,5000,2026-11-03,办公室,' "$T/out"
check_grep "dates: 2026-11-04 00:00:00 is 2026-11-04" ',打印机,3000,2026-11-04,办公室,' "$T/out"
check_grep "dates: ２０２６／１１／５ is 2026-11-05" ',扫描仪,2000,2026-11-05,办公室,' "$T/out"
printf 'name,value,acquired,department\n电脑,5000,2026/11/3 24:00,办公室\n' >dt-bad.csv
run $AT dt-bad.csv
check_status "dates: an impossible time refused" 2
check_grep "dates: says which date" 'dt-bad.csv:2: acquisition date "2026/11/3 24:00"' "$T/err"

# ---- -r with a misspelt register: the file meant is named ----
cp "$TOP/examples/assets/register.csv" 资产台账.csv
cp 资产台账.csv before.csv
run $AT -r 资产台帐.csv spell.csv
check_status "typo: 台帐 for 台账 is exit 2" 2
check_grep "typo: the register meant is named" '^asset-tag: 资产台帐.csv: no such register (did you mean 资产台账.csv?); --create starts a new one$' "$T/err"
check "typo: nothing created" test ! -e 资产台帐.csv
check_same "typo: the real register untouched" before.csv 资产台账.csv
mkdir sub && cp 资产台账.csv sub/
run $AT -r sub/资产台帐.csv spell.csv
check_grep "typo: in another directory too" 'sub/资产台帐.csv: no such register (did you mean sub/资产台账.csv?)' "$T/err"

# ---- labels from Excel: empty rows skipped; a list not tagged yet named ----
printf 'tag,name\n%s,电脑\n,,\n%s,椅子\n\n' "$(check_char BGS-2026-0005-)" "$(check_char BGS-2026-0006-)" >lab.csv
run asset-tag label -f zpl lab.csv
check_status "labels: a row of bare commas is skipped" 0
check "labels: two labels" test "$(grep -c '^^XA' "$T/out")" -eq 2
run asset-tag label -o l.pdf money.csv
check_status "labels: an untagged purchase list is exit 2" 2
check_grep "labels: says to tag it first" 'money.csv:1: no tag column (tag, 资产编号): labels are printed from tagged rows; tag these first (asset-tag -o new.csv money.csv)' "$T/err"
check "labels: no PDF" test ! -e l.pdf

# ---- a misspelt subcommand, two input files ----
run asset-tag lable lab.csv
check_status "usage: asset-tag lable is exit 2" 2
check_grep "usage: the subcommand is named" '^asset-tag: unknown subcommand "lable" (label or tag)$' "$T/err"
run asset-tag money.csv total.csv
check_status "usage: two input files is exit 2" 2
check_grep "usage: says one input file" '^asset-tag: one input file at most, not 2' "$T/err"

# ---- a UTF-8 byte order mark before GB18030 text ----
{ printf '\357\273\277'; cat money.csv; } >bomgb.csv
run $AT bomgb.csv
check_status "BOM+GB18030: read as GB18030" 0
check_grep "BOM+GB18030: the Chinese is right" ',笔记本电脑,电子设备,8999.00,2026-11-03,办公室,fixed,3,in-use$' "$T/out"
run $AT -e gb18030 bomgb.csv
check_status "BOM+GB18030: -e gb18030 drops the mark" 0
check_grep "BOM+GB18030: -e gb18030, the header is right" '^tag,资产名称,资产类别,' "$T/out"
{ printf '\357\273\277资产名称,原值\n'; printf '\377\376,1\n'; } >bombad.csv
run $AT bombad.csv
check_status "BOM+neither: still an error" 2
check_grep "BOM+neither: the UTF-8 error" 'bombad.csv:2: invalid UTF-8 byte sequence' "$T/err"

# ---- -r: a value in a column without a name is not lost quietly ----
cp "$TOP/examples/assets/register.csv" r5.csv
cp r5.csv r5.before
printf '资产名称,原值,使用部门,,\n椅子,450,办公室,,\n桌子,900,办公室,靠窗,\n' >unnamed.csv
run $AT -r r5.csv unnamed.csv
check_status "unnamed column: exit 2" 2
check_grep "unnamed column: its line and value" 'unnamed.csv:3: column 4 has no name in the header but holds "靠窗"' "$T/err"
check_same "unnamed column: the register unchanged" r5.before r5.csv
printf '资产名称,原值,使用部门,,\n椅子,450,办公室,,\n' >unnamed-empty.csv
run $AT -r r5.csv unnamed-empty.csv
check_status "unnamed column: empty, as Excel exports it, is dropped" 0
printf '供应商,资产名称,原值,使用部门\n联想,椅子,450,办公室\n' >serial.csv
run $AT -r r5.csv serial.csv
check_grep "unknown column: says it may be deleted from the input" 'serial.csv:1: column "供应商" is not in the register "r5.csv"; add it to the register.s header first, or delete it from the input' "$T/err"

# ---- asset-tag label without -o at a terminal: no PDF into it ----
if command -v script >/dev/null 2>&1; then
	printf 'tag,name\n%s,电脑\n' "$(check_char BGS-2026-0005-)" >lab1.csv
	script -qc "asset-tag label lab1.csv; echo status=\$?" /dev/null >tty.out 2>&1
	check_grep "terminal: the PDF is refused, status 2" '^status=2' tty.out
	check_grep "terminal: says to give -o" 'the labels are a PDF, not for the terminal: give -o labels.pdf' tty.out
	check "terminal: no PDF bytes" sh -c '! grep -aq "%PDF" tty.out'
	run sh -c 'asset-tag label lab1.csv | head -c 5'
	check_grep "terminal: a pipe still gets the PDF" '^%PDF-' "$T/out"
else
	ok "# SKIP script(1) not installed: no terminal test"
fi

# ---- nothing to do: said, not silent ----
printf 'tag,name\n' >labhdr.csv
run asset-tag label -o hdr.pdf labhdr.csv
check_status "no rows: labels are exit 2" 2
check_grep "no rows: says so" '^asset-tag: no labels to print: the file holds no rows$' "$T/err"
check "no rows: no empty PDF" test ! -e hdr.pdf
printf '资产名称,原值,使用部门\n' >taghdr.csv
cp r5.csv r5.before
run $AT -r r5.csv taghdr.csv
check_status "no rows: tagging a header is exit 0" 0
check_grep "no rows: a warning names the file" '^asset-tag: taghdr.csv: warning: no rows to tag; the register is unchanged$' "$T/err"
check_same "no rows: the register unchanged" r5.before r5.csv

# ---- -r: a register with a total row at its foot (Excel-kept) ----
{ cat "$TOP/examples/assets/register.csv"; echo ',,,,,,,,,,,,'; echo '合计,,,,"214,100.00",,,,,,,,'; } |
	gbk rtotal.csv
cp rtotal.csv rtotal.before
printf '资产名称,原值,使用部门\n椅子,450,办公室\n' >one.csv
run $AT -r rtotal.csv one.csv
check_status "register total: exit 2" 2
check_grep "register total: names the line" '^asset-tag: rtotal.csv:10: the register has a total row (合计): new rows would go below it' "$T/err"
check_same "register total: the register unchanged" rtotal.before rtotal.csv

# ---- -r: a register kept with a 序号 (row number) column ----
# The new rows go on from the highest number (41 after 40), whatever the
# purchase list numbers its own rows (1, 2: they used to be copied, and a
# register without them got an empty cell); each item of a quantity gets
# a number of its own.  GB18030 with CRLF, as Excel keeps it.
gbk xh.csv <<'CSV'
序号,资产编号,资产名称,资产类别,原值,购置日期,使用部门,状态
39,BGS-2026-0001-O,台式电脑,电子设备,5200.00,2026-01-12,办公室,在用
40,BGS-2026-0002-M,打印机,办公设备,3600.00,2026-02-01,办公室,在用
CSV
gbk xh-new.csv <<'CSV'
序号,资产名称,资产类别,数量,单价,购置日期,使用部门
1,办公椅,家具,2,450,2026/11/3,办公室
2,碎纸机,办公设备,1,800,2026/11/3,办公室
CSV
run $AT -r xh.csv xh-new.csv
check_status "序号: appended" 0
check "序号: silent" test ! -s "$T/err"
iconv -f gb18030 -t utf-8 xh.csv | tr -d '\r' | tail -n 3 | cut -d, -f1,3 >xh.got
printf '41,办公椅\n42,办公椅\n43,碎纸机\n' >xh.want
check_same "序号: 41, 42, 43 after the register's 40, not the list's 1, 1, 2" xh.want xh.got
# Rows an older version appended with an empty 序号 are pointed out, and
# the numbering goes on from the highest all the same.
gbk xh2.csv <<'CSV'
序号,资产编号,资产名称,原值,使用部门
1,BGS-2026-0001-O,台式电脑,5200.00,办公室
,BGS-2026-0002-M,打印机,3600.00,办公室
CSV
printf '资产名称,原值,使用部门\n椅子,450,办公室\n' >xh-one.csv
run $AT -r xh2.csv xh-one.csv
check_status "序号 with an empty cell: appended (exit 0)" 0
check_grep "序号 with an empty cell: a warning names the line" \
	'^asset-tag: xh2.csv:3: warning: 序号 is empty or not a whole number on 1 row (here empty): the new rows are numbered from 2, after the highest$' "$T/err"
check "序号 with an empty cell: the new row is 2" \
	test "$(iconv -f gb18030 -t utf-8 xh2.csv | tr -d '\r' | tail -n 1 | cut -d, -f1,3)" = "2,椅子"
# A register without the column: the list's own 序号 is not carried (it
# numbers the list), no longer an error.
printf 'tag,name,value,department\n' >nox.csv
printf '序号,name,value,department\n1,椅子,450,办公室\n' >nox-new.csv
run $AT -r nox.csv nox-new.csv
check_status "序号 in the list only: appended" 0
check "序号 in the list only: not carried" test "$(tail -n 1 nox.csv | cut -d, -f2-)" = "椅子,450,办公室"

done_testing
