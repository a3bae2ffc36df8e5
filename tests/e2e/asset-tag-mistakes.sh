#!/bin/sh
# asset-tag and ordinary mistakes (issue 12): each one either does the
# right thing or stops with exit 2, a message naming file and line, and
# every file unchanged.  Expected tags are computed here with an awk copy
# of the MOD 37,36 check (tag.h), not taken from the program.
. "$TOP/tests/e2e/lib.sh"
D="$DATA/asset-tag"
CFG="$D/officeadm.ini"
export OFFICEADM_CONFIG="$CFG"
AT="asset-tag --today 2026-11-28"

check "awk check character agrees with the register's tags" \
	test "$(check_char BGS-2026-000007-)" = BGS-2026-000007-G

# ---- item 12: -r naming a register that does not exist ----
rm -f 台帐.csv
run $AT -r 台帐.csv "$D/new-r.csv"
check_status "item 12: -r with a missing register: exit 2" 2
check_grep "item 12: says so and names --create" '台帐.csv: no such register; --create' "$T/err"
check "item 12: no register created" test ! -e 台帐.csv
check "item 12: no lock file left" test ! -e 台帐.csv.lock
run $AT --create "$D/new-r.csv"
check_status "item 12: --create without -r is a usage error" 2
check_grep "item 12: --create without -r says so" 'create is for a new register: give it with -r' "$T/err"
run $AT --create -r 台帐.csv "$D/new-r.csv"
check_status "item 12: --create starts it" 0
check "item 12: --create: header and 4 rows" test "$(wc -l <台帐.csv)" -eq 5

# ---- item 7: --excel shapes the -o copy, never the register ----
cp "$D/register.csv" reg.csv
printf '资产名称,资产类别,原值,购置日期,使用部门,备注\n=1+1,家具,80,2026-03-01,办公室,-5\n' >formula.csv
run $AT -x -r reg.csv -o copy.csv formula.csv
check_status "item 7: -x -r" 0
check "item 7: register has no CR" sh -c '! grep -q "$(printf "\r")" reg.csv'
check "item 7: register has no BOM" sh -c '! head -c 3 reg.csv | od -An -tx1 | grep -q "ef bb bf"'
want=$(check_char BGS-2026-000008-)
check_grep "item 7: register row as typed, no formula guard" \
	"^$want,=1+1,家具,low-value,80,2026-03-01,5,办公室,,,in-use,,-5\$" reg.csv
check "item 7: -o copy starts with a BOM" sh -c "head -c 3 copy.csv | od -An -tx1 | grep -q 'ef bb bf'"
# The guard is for formulas: =1+1 gets it, the plain number -5 stays a number.
check_grep "item 7: -o copy has CRLF and the guard" "^$want,'=1+1,.*,-5$(printf '\r')\$" copy.csv
rm -f new-reg.csv
run $AT -x --create -r new-reg.csv formula.csv
check_status "item 7: -x --create -r" 0
check "item 7: a new register is plain too (no CR)" sh -c '! grep -q "$(printf "\r")" new-reg.csv'
check_grep "item 7: a new register is plain too (no BOM, no guard)" "^tag,资产名称" new-reg.csv
check_grep "item 7: a new register is plain too (no guard)" ",=1+1," new-reg.csv

# ---- item 13: tags with fewer sequence digits than {seq:N} count ----
cp "$D/register.csv" reg.csv
echo "$(check_char BGS-2026-0042-),旧椅子,家具,low-value,300,2026-01-05,5,办公室,王芳,301室,in-use,," >>reg.csv
printf '资产名称,资产类别,原值,购置日期,使用部门\n台灯,家具,80,2026-03-01,办公室\n' >one.csv
run $AT -r reg.csv one.csv
check_status "item 13: append after a 4-digit tag" 0
check_grep "item 13: numbering continues after 0042" "^$(check_char BGS-2026-000043-),台灯," reg.csv

# ---- item 14: separators and case do not make a new tag ----
cp "$D/register.csv" reg.csv
printf 'tag,资产名称,原值,使用部门\nbgs2026000001s,复印纸柜,80,办公室\n' >nohyphen.csv
run $AT -r reg.csv nohyphen.csv
check_status "item 14: a registered tag without hyphens: exit 2" 2
check_grep "item 14: it is already in the register" \
	'nohyphen.csv:2: tag "BGS2026000001S" is already in the register' "$T/err"
check_same "item 14: register unchanged" "$D/register.csv" reg.csv
t3=$(check_char BGS-2026-000003-)
printf 'tag,资产名称,原值,使用部门\n%s,甲,80,办公室\n%s,乙,80,办公室\n' \
	"$t3" "$(echo "$t3" | tr -d -)" >twice.csv
run $AT twice.csv
check_status "item 14: one tag twice, with and without hyphens: exit 2" 2
check_grep "item 14: duplicate named" 'twice.csv:3: duplicate tag .* (also on line 2)' "$T/err"
# A new tag is never one the register holds under other separators.
cp "$D/register.csv" reg.csv
echo "BGS2026000008$(check_char BGS2026000008 | cut -c14),旧柜,家具,low-value,300,2026-01-05,5,办公室,王芳,301室,in-use,," >>reg.csv
run $AT -r reg.csv one.csv
check_status "item 14: register holds BGS2026000008x" 0
check_grep "item 14: the new tag is 000009" "^$(check_char BGS-2026-000009-),台灯," reg.csv

# ---- item 11: a purchase list with quantity and unit price ----
# Ten chairs at 450 are ten low-value assets of 450 each, not one fixed
# asset of 4500; two computers at 5200 are two fixed assets.
printf '名称,类别,单价,数量,金额,购置日期,使用部门\n办公椅,家具,450,10,4500,2026-03-02,办公室\n电脑,电子设备,5200,2,10400,2026-03-02,办公室\n' >purchase.csv
cp "$D/register.csv" reg.csv
run $AT -r reg.csv purchase.csv
check_status "item 11: purchase list into the register" 0
{ cat "$D/register.csv"
  for i in $(seq 8 17); do
	echo "$(check_char "BGS-2026-$(printf %06d "$i")-"),办公椅,家具,low-value,450,2026-03-02,5,办公室,,,in-use,,"
  done
  for i in 18 19; do
	echo "$(check_char "BGS-2026-$(printf %06d "$i")-"),电脑,电子设备,fixed,5200,2026-03-02,3,办公室,,,in-use,,"
  done
} >reg.expected
check_same "item 11: ten chairs at 450 and two computers at 5200, one tag each" reg.expected reg.csv
# English headers and aliases: qty and unit_price; without a value column
# the unit price becomes the value column.
printf 'name,category,unit_price,qty,department\nchair,furniture,450,3,办公室\n' >purchase-en.csv
run $AT purchase-en.csv
check_status "item 11: qty and unit_price" 0
cat >purchase-en.expected <<EOF2
tag,name,category,value,department,class,acquired,life,status
$(check_char BGS-2026-000001-),chair,furniture,450,办公室,low-value,2026-11-28,5,in-use
$(check_char BGS-2026-000002-),chair,furniture,450,办公室,low-value,2026-11-28,5,in-use
$(check_char BGS-2026-000003-),chair,furniture,450,办公室,low-value,2026-11-28,5,in-use
EOF2
check_same "item 11: three rows, value = unit price, quantity consumed" purchase-en.expected "$T/out"
qbad() { # NAME HEADER ROW REGEX
	cp "$D/register.csv" reg.csv
	printf '%s\n%s\n' "$2" "$3" >qbad.csv
	run $AT -r reg.csv qbad.csv
	check_status "$1: exit 2" 2
	check_grep "$1: message" "$4" "$T/err"
	check_same "$1: register unchanged" "$D/register.csv" reg.csv
}
qbad "item 11: quantity without a unit price" '名称,类别,数量,金额,使用部门' '办公椅,家具,10,4500,办公室' \
	'qbad.csv:2: quantity 10 and no unit price column (单价, unit_price): is "4500" the total or each'
qbad "item 11: amount that is not quantity x unit price" '名称,类别,单价,数目,金额,使用部门' \
	'办公椅,家具,450,10,4000,办公室' \
	'qbad.csv:2: amount "4000" is neither quantity 10 x unit price 450 (4500.00) nor the unit price'
qbad "item 11: quantity not a whole number" '名称,类别,单价,quantity,使用部门' '办公椅,家具,450,2.5,办公室' \
	'qbad.csv:2: quantity "2.5" is not a whole number from 1 to 10000'
qbad "item 11: a tag with quantity 2" 'tag,名称,类别,单价,数量,使用部门' \
	"$(check_char BGS-2026-000100-),办公椅,家具,450,2,办公室" \
	'qbad.csv:2: a row with a tag is one asset, but its quantity is 2'

# ---- item 8: appended rows follow the register's style ----
# A register kept by Excel on Chinese Windows: GB18030, CRLF, Chinese
# header and words.  The rows appended are GB18030 with CRLF and say 在用
# and 低值易耗品 / 固定资产 like the rest.
zh_reg() {
	sed -e '1s/.*/资产编号,资产名称,资产类别,资产类型,原值,购置日期,使用年限,使用部门,责任人,存放地点,状态,上次盘点,备注/' \
	    -e 's/,in-use,/,在用,/; s/,disposed,/,报废,/; s/,fixed,/,固定资产,/; s/,low-value,/,低值易耗品,/' \
	    "$D/register.csv"
}
zh_reg | sed 's/$/\r/' | iconv -f UTF-8 -t GB18030 >gbreg.csv
cp gbreg.csv gbreg.orig
run $AT -r gbreg.csv "$D/new-r.csv"
check_status "item 8: append to a GB18030 CRLF register" 0
head -c "$(wc -c <gbreg.orig)" gbreg.csv >gbhead
check "item 8: what was there is unchanged" cmp -s gbreg.orig gbhead
check "item 8: still not UTF-8 (GB18030 kept)" sh -c '! iconv -f UTF-8 -t UTF-8 gbreg.csv >/dev/null 2>&1'
check "item 8: every line ends in CRLF" test "$(grep -c "$(printf '\r')\$" gbreg.csv)" -eq "$(wc -l <gbreg.csv)"
{ zh_reg
  echo "$(check_char BGS-2026-000008-),联想台式电脑,电子设备,固定资产,5200.00,2026-03-02,3,办公室,王芳,301室,在用,,"
  echo "$(check_char BGS-2026-000009-),办公椅,家具,低值易耗品,450,2026-03-02,5,办公室,王芳,301室,在用,,"
  echo "$(check_char CWK-2026-000001-),碎纸机,办公设备,固定资产,2000,2026-03-05,5,财务科,李明,205室,在用,,"
  echo "$(check_char XXZX-2025-000001-),交换机,电子设备,低值易耗品,1999.99,2025-12-30,3,信息中心,赵强,机房,在用,,"
} >gbreg.expected
iconv -f GB18030 -t UTF-8 gbreg.csv | tr -d '\r' >gbreg.utf8
check_same "item 8: rows in Chinese words, numbered after the register" gbreg.expected gbreg.utf8
# UTF-8 with a BOM and CRLF (Excel's "CSV UTF-8"), English words: CRLF, no second BOM.
{ printf '\357\273\277'; sed 's/$/\r/' "$D/register.csv"; } >bomreg.csv
cp bomreg.csv bomreg.orig
run $AT -r bomreg.csv "$D/new-r.csv"
check_status "item 8: append to a UTF-8 BOM CRLF register" 0
check "item 8: every line ends in CRLF (BOM register)" \
	test "$(grep -c "$(printf '\r')\$" bomreg.csv)" -eq "$(wc -l <bomreg.csv)"
check "item 8: one BOM only" test "$(grep -c "$(printf '\357\273\277')" bomreg.csv)" -eq 1
check_grep "item 8: English words stay English" "^$(check_char BGS-2026-000009-),办公椅,家具,low-value,450,.*,in-use,,$(printf '\r')\$" bomreg.csv

# ---- items 17, 18, 23: category, date range, Excel's date forms ----
bad() { # NAME CSV-ROW REGEX: one row after the usual header; exit 2, nothing changed
	cp "$D/register.csv" reg.csv
	rm -f o.csv
	printf '资产名称,资产类别,原值,购置日期,使用部门\n%s\n' "$2" >bad.csv
	run $AT -r reg.csv -o o.csv bad.csv
	check_status "$1: exit 2" 2
	check_grep "$1: message" "$3" "$T/err"
	check_same "$1: register unchanged" "$D/register.csv" reg.csv
	check "$1: no output file" test ! -e o.csv
}
bad "item 17: unknown category" '台灯,灯具类,1450,2026-03-01,办公室' \
	'bad.csv:2: unknown category "灯具类"'
bad "item 17: misspelt category suggests" '电脑,电子设被,1450,2026-03-01,办公室' \
	'bad.csv:2: unknown category "电子设被" (did you mean "电子设备"?)'
bad "item 18: acquired after today" '电脑,电子设备,1450,2026-11-29,办公室' \
	'bad.csv:2: acquisition date "2026-11-29" is after today (2026-11-28)'
bad "item 18: acquired before 1950" '电脑,电子设备,1450,1949-12-31,办公室' \
	'bad.csv:2: acquisition date "1949-12-31" is before 1950'
bad "item 23: an Excel serial date is explained" '电脑,电子设备,1450,46346,办公室' \
	'bad.csv:2: acquisition date "46346" is a number, not a date (an Excel serial date?): format the column as yyyy-mm-dd'
bad "item 23: month-first dates are refused" '电脑,电子设备,1450,11/20/2026,办公室' \
	'bad.csv:2: acquisition date "11/20/2026" is not a valid YYYY-MM-DD date'
cp "$D/register.csv" reg.csv
printf '资产名称,资产类别,原值,购置日期,使用部门\n台灯,家具,80,2026/3/1,办公室\n台灯,家具,80,2026年3月2日,办公室\n台灯,家具,80,2026.3.3,办公室\n' >excel-dates.csv
run $AT -r reg.csv excel-dates.csv
check_status "item 23: Excel's date forms accepted" 0
{ cat "$D/register.csv"
  echo "$(check_char BGS-2026-000008-),台灯,家具,low-value,80,2026-03-01,5,办公室,,,in-use,,"
  echo "$(check_char BGS-2026-000009-),台灯,家具,low-value,80,2026-03-02,5,办公室,,,in-use,,"
  echo "$(check_char BGS-2026-000010-),台灯,家具,low-value,80,2026-03-03,5,办公室,,,in-use,,"
} >reg.expected
check_same "item 23: written into the register as YYYY-MM-DD" reg.expected reg.csv

# ---- item 16: labels refuse bad and duplicate tags unless --force ----
good=$(check_char BGS-2026-000008-)
{ echo "tag,name"
  echo "$good,电脑"
  echo "BGS-2026-000009-X,打印机"       # wrong check character
  echo "打印机,打印机"                   # not a tag
  echo "$(echo "$good" | tr -d - | tr A-Z a-z),电脑"  # the first tag again, typed otherwise
} >lab.csv
rm -f l.pdf
run asset-tag label -o l.pdf lab.csv
check_status "item 16: bad tags: exit 2" 2
check_grep "item 16: wrong check character named" \
	"lab.csv:3: tag \"BGS-2026-000009-X\" has a wrong check character: expected '$(check_char BGS-2026-000009- | cut -c17)'" "$T/err"
check_grep "item 16: non-tag named" 'lab.csv:4: "打印机" is not a tag' "$T/err"
check_grep "item 16: duplicate named, whatever its separators and case" \
	"lab.csv:5: duplicate tag .* (also lab.csv:2)" "$T/err"
check_grep "item 16: nothing written, says how to force" "3 labels refused; nothing written (--force" "$T/err"
check "item 16: no PDF" test ! -e l.pdf
# (The non-tag 打印机 cannot be a Code 128 barcode at all: left out here.)
grep -v '^打印机' lab.csv >lab-force.csv
run asset-tag label --force -f zpl -o l.zpl lab-force.csv
check_status "item 16: --force prints them, exit 1" 1
check_grep "item 16: --force warns" "lab-force.csv:3: warning: tag" "$T/err"
check "item 16: --force: three labels" test "$(grep -c '^\^XA' l.zpl)" -eq 3
# A duplicate across two files of one run.
printf 'tag,name\n%s,电脑\n' "$good" >lab2.csv
run asset-tag label -f zpl lab2.csv lab2.csv
check_status "item 16: the same tag in two files: exit 2" 2
check_grep "item 16: the other file named" "lab2.csv:2: duplicate tag .* (also lab2.csv:2)" "$T/err"

# ---- labels for disposed assets (报废): left out, with a warning ----
# Labels are printed from the register too (a whole department's, after a
# move); an asset that was scrapped is gone, and its label would only be
# stuck on something else.  Each one is named by file and line; the others
# are printed; exit 1 (labels left out).  --force prints them with a warning.
d1=$(check_char BGS-2026-000011-) d2=$(check_char BGS-2026-000012-) d3=$(check_char BGS-2026-000013-)
printf '资产编号,资产名称,使用部门,状态\n%s,电脑,办公室,在用\n%s,打印机,办公室,报废\n%s,旧椅,办公室, disposed\n' \
	"$d1" "$d2" "$d3" >disp.csv
run asset-tag label -f zpl -o disp.zpl disp.csv
check_status "disposed: exit 1, labels left out" 1
check "disposed: one label, the asset in use" test "$(grep -c '^\^XA' disp.zpl)" -eq 1
check_grep "disposed: the label is the one in use" "$d1" disp.zpl
check "disposed: no label for the scrapped ones" sh -c "! grep -q -e '$d2' -e '$d3' disp.zpl"
check_grep "disposed: 报废 named with file and line" \
	"^asset-tag: disp.csv:3: warning: \"$d2\" is disposed (报废): no label (--force prints it)\$" "$T/err"
check_grep "disposed: disposed named with file and line" \
	"^asset-tag: disp.csv:4: warning: \"$d3\" is disposed: no label (--force prints it)\$" "$T/err"
run asset-tag label --force -f zpl -o disp-force.zpl disp.csv
check_status "disposed with --force: exit 1" 1
check "disposed with --force: three labels" test "$(grep -c '^\^XA' disp-force.zpl)" -eq 3
check_grep "disposed with --force: still warned" \
	"^asset-tag: disp.csv:3: warning: \"$d2\" is disposed (报废): labelled all the same (--force)\$" "$T/err"
grep -v 在用 disp.csv >disp-only.csv
rm -f disp-only.pdf
run asset-tag label -o disp-only.pdf disp-only.csv
check_status "only disposed assets: exit 2" 2
check_grep "only disposed assets: says why nothing is printed" \
	'^asset-tag: no labels to print: every row is a disposed asset (--force prints them)$' "$T/err"
check "only disposed assets: no PDF" test ! -e disp-only.pdf

# ---- item 15: ZPL Code 128 fits ^PW at 203 dpi ----
# tests/e2e/zpl_code128.py encodes each ^BC field the way the printer does
# (its own Code 128 table), checks that bars and quiet zones lie within
# ^PW, and renders the bars cut at ^PW for zbarimg to decode.
{ echo "tag,name,department"
  echo "$(check_char BGS-2026-000008-),电脑,办公室"
  echo "$(check_char XXZX-2026-000123-),交换机,信息中心"
} >zl.csv
cut -d, -f1 zl.csv | tail -n +2 >zl.want
for stock in roll50x30 roll60x40; do
	run asset-tag label -t $stock -o zl.zpl zl.csv
	check_status "item 15: ZPL on $stock" 0
	rm -rf zr && mkdir zr
	python3 "$TOP/tests/e2e/zpl_code128.py" zl.zpl zr >zl.geom
	check "item 15: $stock: both symbols with quiet zones within ^PW" \
		test "$(grep -c ' fits ' zl.geom)" -eq 2
	: >zl.got
	for f in zr/label1.pbm zr/label2.pbm; do zbarimg -q --raw "$f" 2>/dev/null >>zl.got; done
	check_same "item 15: $stock: the printer's bars decode to the tags" zl.want zl.got
done
# A tag no module fits: an error naming the stock, nothing written.
long=$(check_char ABCDEFGHIJKLMNOPQRSTUVWXYZ-ABCDEFGHIJKL-)
printf 'tag,name\n%s,x\n' "$long" >zlong.csv
rm -f zlong.zpl
run asset-tag label -t roll50x30 -o zlong.zpl zlong.csv
check_status "item 15: a tag too long for the stock: exit 2" 2
check_grep "item 15: says so" "zlong.csv:2: tag \"$long\" is too long for a Code 128 barcode on roll50x30" "$T/err"
check "item 15: no ZPL file" test ! -e zlong.zpl

# Excel's rows of bare commas and trailing empty columns.
printf '资产名称,资产类别,原值,购置日期,使用部门\n台灯,家具,80,2026/3/1,办公室\n,,,,\n台灯,家具,80,2026/3/1,办公室,,\n' >excel-rows.csv
run $AT excel-rows.csv
check_status "item 23: rows of bare commas skipped, trailing empty columns accepted" 0
check "item 23: two assets" test "$(tail -n +2 "$T/out" | wc -l)" -eq 2

# ---- item 24: a corrected rejects file goes back in ----
cp "$D/register.csv" reg.csv
run $AT -r reg.csv --skip-bad rej.csv "$D/bad-date.csv"
check_status "item 24: --skip-bad" 1
check_grep "item 24: rejects: the input's header and reason" \
	'^资产名称,资产类别,原值,购置日期,使用部门,责任人,存放地点,reason$' rej.csv
sed 's/2026-02-30/2026-02-28/' rej.csv >fixed.csv
run $AT -r reg.csv fixed.csv
check_status "item 24: the corrected rejects tagged into the register" 0
check_grep "item 24: the corrected row, without its reason" \
	"^$(check_char BGS-2026-000010-),书柜,家具,low-value,900,2026-02-28,5,办公室,王芳,301室,in-use,,\$" reg.csv
# Rejects of an older version (line and reason columns) too.
printf '资产名称,原值,使用部门,line,reason\n书柜,900,办公室,4,fixed\n' >old-rej.csv
run $AT old-rej.csv
check_status "item 24: old rejects with line and reason" 0
check_grep "item 24: line and reason dropped" '^tag,资产名称,原值,使用部门,class,acquired,life,status$' "$T/out"

# ---- item 24: two departments sharing a code ----
{ cat "$CFG"; echo "后勤科 = bgs"; } >dupcode.ini
cp "$D/register.csv" reg.csv
run $AT -c dupcode.ini -r reg.csv "$D/new-r.csv"
check_status "item 24: two departments with one code: exit 2" 2
check_grep "item 24: both config lines named" \
	'dupcode.ini:12: \[departments\] 后勤科 and 办公室 (line 9) share the code "bgs"' "$T/err"
check_same "item 24: register unchanged" "$D/register.csv" reg.csv

# ---- item 24: option errors name the program, not the subcommand ----
run asset-tag label --bogus
check_status "item 24: unknown label option: exit 2" 2
check_grep "item 24: the message starts asset-tag:" "^asset-tag: unrecognized option '--bogus'" "$T/err"
run asset-tag tag -s
check_grep "item 24: tag subcommand too" "^asset-tag: invalid option -- 's'" "$T/err"

# ---- item 24: asset-tag(1) quotes and SYNOPSIS ----
if command -v mandoc >/dev/null 2>&1; then
	mandoc -T utf8 "$TOP/man/asset-tag.1" | sed 's/.\x08//g' >man.txt
	# A quote opened inside another (Ql nested in Ql or Pq on one line) renders as
	# two opening quotes before a closing one.
	check "item 24: asset-tag(1) has no nested quotes" sh -c "! grep -q '‘[^’]*‘' man.txt"
	check_grep "item 24: asset-tag(1) SYNOPSIS has -h and -V" 'asset-tag -h | -V' man.txt
	check_grep "item 24: asset-tag(1) documents --create" '^ *--create' man.txt
	check_grep "item 24: asset-tag(1) documents --force" '^ *--force' man.txt
fi
# officeadm(7): the example labels the new rows, not the whole register.
check "item 24: officeadm(7) does not label the whole register" \
	sh -c "! grep -q '^asset-tag label .*register.csv' '$TOP/man/officeadm.7'"
check_grep "item 24: officeadm(7) labels the new rows" '^asset-tag label -o labels.pdf new.csv$' "$TOP/man/officeadm.7"
run asset-tag --help
check_grep "item 24: --help usage has -h and -V" 'asset-tag -h | -V' "$T/out"

done_testing
