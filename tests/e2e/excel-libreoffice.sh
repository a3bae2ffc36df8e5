#!/bin/sh
# excel-libreoffice.sh - `--excel` output opened by a real spreadsheet.
#
# Cells that a spreadsheet takes for a formula (= + - @, tab, CR at the
# start) come from the data people type; with --excel every command writes
# them with a leading ' (CSV injection guard).  Here LibreOffice (Debian
# libreoffice-calc-nogui) converts each command's --excel output headless,
# with formula evaluation switched on, to xlsx and back to CSV: no cell may
# become a formula, and every dangerous cell must come back as the text
# written.  A control file without the guard shows that the same
# conversion does evaluate formulas, so the test can fail.
. "${TOP:-.}/tests/e2e/lib.sh"

SOFFICE=$(command -v soffice || command -v libreoffice || true)
if [ -z "$SOFFICE" ]; then
	ok "LibreOffice conversion # SKIP soffice not installed (Debian libreoffice-calc-nogui; make deps-test installs it)"
	exit 0
fi
if ! command -v unzip >/dev/null 2>&1; then
	ok "LibreOffice conversion # SKIP unzip not installed"
	exit 0
fi

AT="asset-tag --today 2026-11-28"
# CSV import: comma, quote, UTF-8, from line 1, standard cells, language
# en-US, quoted fields not forced to text, no special numbers, ..., all
# sheets, and token 13: evaluate formulas.
INFILTER="CSV:44,34,76,1,,1033,false,false,false,false,false,-1,true"
lo() {
	HOME="$T/lohome" "$SOFFICE" -env:UserInstallation="file://$T/loprofile" \
		--headless --norestore --infilter="$INFILTER" "$@" >"$T/lo.log" 2>&1
}

# ---- outputs of every command with --excel ----
printf 'tag,name,category,value,acquired,department,custodian,location,status\n' >reg.csv
cat >items.csv <<'EOF'
name,category,value,acquired,department,custodian,location
"=HYPERLINK(""http://evil.example/"",""click"")",furniture,100,2026-11-20,@SUM(1),+1+1,-2+3
=1+1,furniture,200,2026-11-20,Office,"	Tab",=2*3
EOF
run $AT -x -o at.csv items.csv
check_status "asset-tag -x" 0
run $AT -r reg.csv items.csv
check_status "asset-tag -r (a register holding formula-looking cells)" 0
printf 'BGS-X\n' >scan.txt
run inventory-diff -x -o id.csv reg.csv scan.txt
check_status "inventory-diff -x" 1
cat >docs.csv <<'EOF'
direction,type,title,issuer,ref,urgency,secrecy,received
收文,通知,=1+1,-2+3,@ref,,,2026-11-23
EOF
run doc-route -j j.csv register --at "2026-11-23 08:00" docs.csv
check_status "doc-route register" 0
run doc-route -j j.csv status --excel -o dr.csv
check_status "doc-route status --excel" 0
if [ -f "$TOP/examples/meetings/people.csv" ] && [ -f "$TOP/examples/meetings/rooms.csv" ]; then
	cat >req.csv <<'EOF'
id,title,duration,required,priority,earliest,latest
=1+1,=2*3,1h,赵志刚,1,2026-05-06,2026-05-08
EOF
	run meeting-sched -p "$TOP/examples/meetings/people.csv" -r "$TOP/examples/meetings/rooms.csv" \
		-x -o ms.csv req.csv
	check_status "meeting-sched -x" 0
fi

for f in at.csv id.csv dr.csv ms.csv; do
	[ -f "$f" ] || continue
	check "$f starts with a UTF-8 BOM" test "$(head -c 3 "$f" | od -An -tx1 | tr -d ' ')" = efbbbf
	check "$f ends its lines with CRLF" test "$(head -1 "$f" | od -An -c | grep -c '\\r')" -eq 1
done
# The control: the same kind of cells without the guard.
printf 'a,b\n=1+1,=2*3\n' >control.csv
# Numbers are not formulas: a plain -300 or -12.50 is written bare, so the
# spreadsheet reads a number; -1+2 beside them is still guarded.
cat >adj.csv <<'EOF'
name,category,value,acquired,department,custodian,location,adjust
Chair,furniture,300.00,2026-11-20,Office,Li Na,Room 1,-300
Desk,furniture,300.00,2026-11-20,Office,Li Na,Room 1,-12.50
Lamp,furniture,300.00,2026-11-20,Office,Li Na,Room 1,-1+2
EOF
run $AT -x -o num.csv adj.csv
check_status "asset-tag -x with signed numbers" 0
check_grep "num.csv: -300 written bare" ',-300,' num.csv
check_grep "num.csv: -1+2 guarded" ",'-1+2," num.csv

# Codes are not numbers: a serial number 000123, a room 0301, a 20-digit
# code and 1E5 would become 123, 301, 1.23456789012346E+19 and 100000 in a
# spreadsheet.  With -x asset-tag writes such cells of code columns as
# ="000123" (text in Excel and LibreOffice); amounts (原值 05200.00, the
# unit price, life) stay numbers.  The rejects (--skip-bad with -x) too:
# corrected in Excel and tagged again, they must keep their zeros.
cat >codes-in.csv <<'EOF'
资产名称,资产类别,原值,购置日期,使用部门,序列号,存放地点,备注
打印机,办公设备,1200,2026-03-02,办公室,000123,0301,12345678901234567890
电脑,电子设备,05200.00,2026-03-02,办公室,1E5,301,0
台灯,家具,-5,2026-03-02,办公室,007,0301,
EOF
run $AT -x --skip-bad rej.csv -o codes.csv codes-in.csv
check_status "asset-tag -x with codes (one row rejected)" 1
check_grep "codes.csv: 000123 written as =\"000123\"" ',"=""000123""","=""0301""","=""12345678901234567890""",' codes.csv
check_grep "codes.csv: 1E5 kept as text, 301 and 0 bare" ',05200.00,2026-03-02,办公室,"=""1E5""",301,0,' codes.csv
check_grep "rejects with -x: 007 and 0301 kept as text, -5 bare" ',-5,2026-03-02,办公室,"=""007""","=""0301""",' rej.csv
run $AT --skip-bad rej-plain.csv -o codes-plain.csv codes-in.csv
check_grep "without -x: 000123 written as it is" ',000123,0301,12345678901234567890,' codes-plain.csv
# inventory-diff -x: the room 0301 and the custodian's staff number 007
# of a missing asset stay text too.
printf 'tag,name,custodian,location\nBGS-2024-0001-E,台式机,007,0301\nBGS-2024-0002-C,打印机,李娜,301\n' >codereg.csv
printf 'BGS-2024-0002-C\n' >codescan.txt
run inventory-diff -x -o idcodes.csv codereg.csv codescan.txt
check_status "inventory-diff -x with codes" 1
check_grep "idcodes.csv: 007 and 0301 written as text" '^missing,BGS-2024-0001-E,台式机,,"=""007""","=""0301""",' idcodes.csv
# The control: the same codes written bare lose their zeros.
printf 'a,b\n000123,0301\n' >control-codes.csv

# ---- convert with LibreOffice ----
files=$(ls at.csv id.csv dr.csv ms.csv num.csv control.csv codes.csv rej.csv idcodes.csv control-codes.csv 2>/dev/null)
# shellcheck disable=SC2086
lo --convert-to xlsx --outdir xlsx $files
check "LibreOffice converts every file to xlsx" test "$(ls xlsx/*.xlsx 2>/dev/null | wc -l)" -eq "$(echo $files | wc -w)"
# shellcheck disable=SC2086
lo --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' --outdir back $files

formulas() {
	unzip -p "$1" xl/worksheets/sheet1.xml 2>/dev/null | grep -o '<f[ >][^<]*' | head -3
}
check "control: LibreOffice evaluates an unguarded =1+1 (the test can fail)" \
	test -n "$(formulas xlsx/control.xlsx)"
check "control: the unguarded =1+1 comes back as 2" grep -q '^2,6' back/control.csv

for f in at id dr ms; do
	[ -f "$f.csv" ] || continue
	got=$(formulas "xlsx/$f.xlsx")
	if [ -z "$got" ] && [ -f "xlsx/$f.xlsx" ]; then
		ok "$f.csv in LibreOffice: no cell is a formula"
	else
		not_ok "$f.csv in LibreOffice: formula cells: $got"
	fi
	check_grep "$f.csv in LibreOffice: =1+1 stays text" "'=1+1\\|'=2\\*3" "back/$f.csv"
	check "$f.csv in LibreOffice: no cell computed to 2 or 6" \
		sh -c "! grep -Eq '(^|,)(2|6)(,|\$)' back/$f.csv"
done
check_grep "asset-tag: the HYPERLINK cell stays text" "'=HYPERLINK" back/at.csv
check_grep "inventory-diff: @SUM(1) stays text" "'@SUM(1)" back/id.csv
check_grep "inventory-diff: +1+1 stays text" "'+1+1" back/id.csv
check_grep "doc-route: -2+3 stays text" "'-2+3" back/dr.csv

# Both ways: in the sheet -300 and -12.5 are number cells (no t="s" or
# t="str"), and -1+2 is text, not a formula and not 1.
cells() { unzip -p "$1" xl/worksheets/sheet1.xml 2>/dev/null | grep -o '<c [^>]*>\(<f>[^<]*</f>\)\?<v>[^<]*</v>' ; }
cells xlsx/num.xlsx >num.cells
check "num.csv in LibreOffice: -300 is a number cell" \
	sh -c "grep '<v>-300</v>' num.cells | grep -qv 't=\"s'"
check "num.csv in LibreOffice: -12.50 is a number cell" \
	sh -c "grep '<v>-12.5</v>' num.cells | grep -qv 't=\"s'"
check "num.csv in LibreOffice: no formula" test -z "$(formulas xlsx/num.xlsx)"
check_grep "num.csv in LibreOffice: -1+2 stays text" "'-1+2" back/num.csv

# Codes: the control loses its zeros; asset-tag's codes come back as
# written, and its only formulas are those text literals.
check "control: LibreOffice reads a bare 000123 as 123 (the test can fail)" grep -q '^123,301$' back/control-codes.csv
cells xlsx/codes.xlsx >codes.cells
check_grep "codes.csv in LibreOffice: 000123 stays 000123" ',"000123","0301","12345678901234567890",' back/codes.csv
check_grep "codes.csv in LibreOffice: 1E5 stays text, 05200.00 is the number 5200" '^"[^"]*","电脑","电子设备",5200,.*,"1E5",301,0,' back/codes.csv
check "codes.csv in LibreOffice: every formula is a text literal of digits" \
	sh -c "unzip -p xlsx/codes.xlsx xl/worksheets/sheet1.xml | grep -o '<f[ >][^<]*' | grep -v '>&quot;[0-9Ee]*&quot;\$' | { ! grep -q .; }"
check "codes.csv in LibreOffice: 原值 1200 is a number cell" \
	sh -c "grep '<v>1200</v>' codes.cells | grep -qv 't=\"s'"
check_grep "rejects in LibreOffice: 007 and 0301 stay text" '"007","0301"' back/rej.csv
check_grep "inventory-diff in LibreOffice: 007 and 0301 stay text" '^"missing","BGS-2024-0001-E","台式机",,"007","0301",' back/idcodes.csv
check "num.csv in LibreOffice: -1+2 not computed to 1" sh -c "! grep -q ',1,low-value' back/num.csv"

done_testing
