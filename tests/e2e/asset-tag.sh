#!/bin/sh
# asset-tag end to end: tagging to stdout and into a register, bad input
# (exit 2, nothing written), --skip-bad, 8 concurrent runs on one register,
# and labels that scan (zbarimg) in PNG, plus PDF, SVG and ZPL output.
. "$TOP/tests/e2e/lib.sh"
D="$DATA/asset-tag"
CFG="$D/officeadm.ini"
export OFFICEADM_CONFIG="$CFG"

run asset-tag --help
check_status "--help exits 0" 0
check_grep "--help shows both subcommands" "asset-tag label" "$T/out"
run asset-tag -V
check_status "-V exits 0" 0
run asset-tag --bogus
check_status "unknown option is a usage error" 2

# ---- tagging to stdout ----
# Expected output worked out by hand: threshold 2000 (2000 itself is fixed,
# 1999.99 is not), life from the built-in categories, BGS/CWK/XXZX from
# [departments], each prefix numbered from 1, check characters per
# tests/unit/test_tag.c (consecutive numbers step the check back by 2).
run asset-tag "$D/new.csv"
check_status "tag new items" 0
check_same "tagged rows, defaults and class" "$D/new.expected.csv" "$T/out"
check "silent on success" test ! -s "$T/err"

run asset-tag tag -o "$T/tagged.csv" "$D/new.csv"
check_status "tag subcommand with -o" 0
check_same "-o writes the same" "$D/new.expected.csv" "$T/tagged.csv"

run asset-tag -x "$D/new.csv"
check_status "--excel" 0
check "--excel starts with a BOM" sh -c "head -c 3 '$T/out' | od -An -tx1 | grep -q 'ef bb bf'"
check "--excel ends lines with CRLF" sh -c "head -1 '$T/out' | od -An -c | grep -q '\\\\r'"

# Excel on Chinese Windows: GB18030 with CRLF, from standard input.
iconv -f UTF-8 -t GB18030 "$D/new.csv" | sed 's/$/\r/' >"$T/new-gb.csv"
run sh -c 'asset-tag <"$1"' sh "$T/new-gb.csv"
check_status "GB18030 with CRLF on stdin" 0
check_same "GB18030 input gives the same rows" "$D/new.expected.csv" "$T/out"

# ---- into a register ----
rm -f "$T/fresh.csv"
run asset-tag --create -r "$T/fresh.csv" "$D/new.csv"
check_status "a new register" 0
check_same "a new register gets the input's layout and a header" \
	"$D/new.expected.csv" "$T/fresh.csv"

cp "$D/register.csv" "$T/reg.csv"
run asset-tag -r "$T/reg.csv" "$D/new-r.csv"
check_status "append to the register" 0
check_same "numbering after the highest tag, disposed included" \
	"$D/register.expected.csv" "$T/reg.csv"
check "nothing on stdout with -r" test ! -s "$T/out"

# -r with -o - onto a full stdout: the write error is status 2, and status 2
# leaves the register as it was (a rerun would append the rows twice).
cp "$D/register.csv" "$T/reg.csv"
asset-tag -r "$T/reg.csv" -o - "$D/new-r.csv" >/dev/full 2>"$T/err"
status=$?
check_status "-r with stdout on /dev/full: exit 2" 2
check_same "-r with stdout on /dev/full: register unchanged" "$D/register.csv" "$T/reg.csv"

# The register changed by a program that takes no lock (a spreadsheet
# saving over it) between asset-tag reading it and appending: the input
# comes through a FIFO, so the register is read, then changed, then the
# input arrives.  Nothing is appended; the other program's row stays.
cp "$D/register.csv" "$T/reg.csv"
mkfifo "$T/in.fifo"
asset-tag -r "$T/reg.csv" "$T/in.fifo" >"$T/out" 2>"$T/err" &
pid=$!
exec 7>"$T/in.fifo"      # opens once asset-tag opens its end: the register is read
echo 'BWK-2026-000001-X,手工录入,办公设备,100,2026-11-01,保卫科,,,,,,' >>"$T/reg.csv"
cp "$T/reg.csv" "$T/reg.changed"
cat "$D/new-r.csv" >&7
exec 7>&-
wait $pid
status=$?
check_status "register changed while tagging: exit 2" 2
check_grep "register changed while tagging: said so" 'changed since it was read' "$T/err"
check_same "register changed while tagging: the other program's change kept, nothing appended" \
	"$T/reg.changed" "$T/reg.csv"

# -o or --skip-bad naming the register itself would replace the register
# with the new rows (or the rejects) after the append: refused, exit 2.
cp "$D/register.csv" "$T/reg.csv"
run asset-tag -r "$T/reg.csv" -o "$T/reg.csv" "$D/new-r.csv"
check_status "-o naming the register: exit 2" 2
check_same "-o naming the register: register unchanged" "$D/register.csv" "$T/reg.csv"
run asset-tag -r "$T/reg.csv" --skip-bad "$T/reg.csv" "$D/new-r.csv"
check_status "--skip-bad naming the register: exit 2" 2
check_same "--skip-bad naming the register: register unchanged" "$D/register.csv" "$T/reg.csv"

# ---- bad input: exit 2, message with line, register and output untouched ----
bad() { # NAME FILE REGEX
	cp "$D/register.csv" "$T/reg.csv"
	rm -f "$T/o.csv"
	run asset-tag -r "$T/reg.csv" -o "$T/o.csv" "$D/$2"
	check_status "$1: exit 2" 2
	check_grep "$1: message" "$3" "$T/err"
	check_same "$1: register unchanged" "$D/register.csv" "$T/reg.csv"
	check "$1: no output file" test ! -e "$T/o.csv"
}
bad "value not a number" bad-value.csv \
	'bad-value.csv:3: value "12元" is not a non-negative decimal number'
bad "negative value" bad-negative.csv \
	'bad-negative.csv:2: value "-5" is not a non-negative decimal number'
bad "impossible date" bad-date.csv \
	'bad-date.csv:4: acquisition date "2026-02-30" is not a valid YYYY-MM-DD date'
check_grep "impossible date: nothing written says so" "1 of 3 rows rejected; nothing written" "$T/err"
bad "unknown department" bad-dept.csv \
	'bad-dept.csv:2: unknown department "财物科" (did you mean "财务科"?)'
bad "duplicate tag in the input" bad-dup-input.csv \
	'bad-dup-input.csv:4: duplicate tag "BGS-2026-000003-O" (also on line 2)'
bad "tag already in the register" bad-dup-register.csv \
	'bad-dup-register.csv:2: tag "BGS-2026-000007-G" is already in the register'
bad "wrong check character" bad-check.csv \
	"bad-check.csv:2: tag \"BGS-2026-000003-P\" has a wrong check character: expected 'O'"
bad "column the register lacks" bad-column.csv \
	'bad-column.csv:1: column "供应商" is not in the register'

# A busy register: with lock_timeout = 0 the run gives up at once.
cp "$D/register.csv" "$T/reg.csv"
sed 's/^\[general\]$/&\nlock_timeout = 0/' "$CFG" >"$T/nowait.ini"
if command -v flock >/dev/null; then
	flock "$T/reg.csv.lock" sleep 3 &
	sleep 0.5
	run asset-tag -c "$T/nowait.ini" -r "$T/reg.csv" "$D/new-r.csv"
	check_status "busy register: exit 2" 2
	check_grep "busy register: says so" "locked" "$T/err"
	check_same "busy register: unchanged" "$D/register.csv" "$T/reg.csv"
	wait
fi

# ---- --skip-bad ----
cp "$D/register.csv" "$T/reg.csv"
run asset-tag -r "$T/reg.csv" --skip-bad "$T/rej.csv" "$D/bad-date.csv"
check_status "--skip-bad exits 1" 1
cat >"$T/rej.expected" <<'EOF'
资产名称,资产类别,原值,购置日期,使用部门,责任人,存放地点,reason
书柜,家具,900,2026-02-30,办公室,王芳,301室,"line 4: acquisition date ""2026-02-30"" is not a valid YYYY-MM-DD date"
EOF
check_same "--skip-bad: rejects with the input's header and a reason" "$T/rej.expected" "$T/rej.csv"
{ cat "$D/register.csv"; cat <<'EOF'
BGS-2026-000008-E,台灯,家具,low-value,80,2026-03-01,5,办公室,王芳,301室,in-use,,
BGS-2026-000009-C,台灯,家具,low-value,80,2026-03-01,5,办公室,王芳,301室,in-use,,
EOF
} >"$T/reg.expected"
check_same "--skip-bad: good rows appended" "$T/reg.expected" "$T/reg.csv"

# ---- 8 runs at once on one register ----
cp "$D/register.csv" "$T/reg.csv"
printf '%s\n' '资产名称,资产类别,原值,购置日期,使用部门' >"$T/five.csv"
for i in 1 2 3 4 5; do echo "台灯$i,家具,80,2026-03-01,办公室" >>"$T/five.csv"; done
for p in 1 2 3 4 5 6 7 8; do
	asset-tag -r "$T/reg.csv" "$T/five.csv" 2>"$T/err.$p" &
done
wait
check "8 concurrent runs: 45 rows" test "$(tail -n +2 "$T/reg.csv" | wc -l)" -eq 45
cut -d, -f1 "$T/reg.csv" | sort | uniq -d >"$T/dups"
check "8 concurrent runs: no duplicate tag" test ! -s "$T/dups"
# Sequences 8..47 each exactly once, every tag valid (asset-tag re-reads them).
seqs=$(grep '^BGS-2026-' "$T/reg.csv" | cut -d- -f3 | sed 's/^0*//' | sort -n | tr '\n' ' ')
want="1 2 7 $(seq 8 47 | tr '\n' ' ')"
check "8 concurrent runs: sequences 8 to 47" test "$seqs" = "$want"
printf 'tag,name,value,department\n' >"$T/retag.csv"
grep '^BGS-2026-' "$T/reg.csv" | cut -d, -f1 | sed 's/$/,x,1,办公室/' >>"$T/retag.csv"
run asset-tag "$T/retag.csv"
check_status "8 concurrent runs: every check character valid" 0

# ---- labels that scan ----
label_scan() { # NAME BARCODE TEMPLATE WANT-FILE
	run asset-tag label -b "$2" -t "$3" -o "$T/l.png" "$T/lab.csv"
	zbarimg -q --raw "$T/l.png" 2>/dev/null | sort >"$T/scanned"
	check_same "$1" "$4" "$T/scanned"
}
{ echo "tag,name,department,custodian,acquired"
  echo "BGS-2026-000008-E,联想ThinkCentre台式电脑（含显示器、键盘和鼠标，三年保修）,办公室,王芳,2026-03-02"; } >"$T/lab.csv"
echo "BGS-2026-000008-E" >"$T/want1"
if command -v zbarimg >/dev/null; then
	label_scan "Code 128 on a 60x40 roll label scans" code128 roll60x40 "$T/want1"
	label_scan "QR on a 60x40 roll label scans" qr roll60x40 "$T/want1"
	label_scan "Code 128 on a 50x30 roll label scans" code128 roll50x30 "$T/want1"
	label_scan "QR on a 50x30 roll label scans" qr roll50x30 "$T/want1"
	asset-tag "$D/new.csv" >"$T/lab.csv"
	cut -d, -f1 "$D/new.expected.csv" | tail -n +2 | sort >"$T/want4"
	label_scan "Code 128 sheet L7160: all four scan" code128 L7160 "$T/want4"
	label_scan "QR sheet L7163: all four scan" qr L7163 "$T/want4"
	label_scan "Code 128 sheet L7162: all four scan" code128 L7162 "$T/want4"
	# A custom 70 x 25 mm label from [labels].
	{ cat "$CFG"; printf '[labels]\nwidth = 70\nheight = 25\n'; } >"$T/custom.ini"
	run asset-tag label -c "$T/custom.ini" -t custom -o "$T/c.png" "$T/lab.csv"
	check_status "custom label size" 1
	zbarimg -q --raw "$T/c.png" 2>/dev/null | sort >"$T/scanned"
	sed -n 2p "$T/lab.csv" | cut -d, -f1 >"$T/want-first" # one label per page: the first
	check_same "custom 70x25 label scans" "$T/want-first" "$T/scanned"
else
	not_ok "zbarimg (Debian zbar-tools) is needed to check that labels scan"
fi

# Data Matrix: zbar does not read it; dmtxread (Debian dmtx-utils) does.
dm_scan() { # NAME TEMPLATE COUNT WANT-FILE [--dpi N]
	run asset-tag label -b datamatrix -t "$2" $5 -o "$T/dm.png" "$T/lab.csv"
	dmtxread -n -N "$3" "$T/dm.png" 2>/dev/null | sort >"$T/scanned"
	check_same "$1" "$4" "$T/scanned"
}
if command -v dmtxread >/dev/null; then
	{ echo "tag,name,department,custodian,acquired"
	  echo "BGS-2026-000008-E,联想ThinkCentre台式电脑（含显示器、键盘和鼠标，三年保修）,办公室,王芳,2026-03-02"; } >"$T/lab.csv"
	dm_scan "Data Matrix on a 60x40 roll label scans" roll60x40 1 "$T/want1"
	dm_scan "Data Matrix on a 50x30 roll label scans" roll50x30 1 "$T/want1"
	asset-tag "$D/new.csv" >"$T/lab.csv"
	cut -d, -f1 "$D/new.expected.csv" | tail -n +2 | sort >"$T/want4"
	dm_scan "Data Matrix sheet L7163 at 150 dpi: all four scan" L7163 4 "$T/want4" "--dpi 150"
else
	not_ok "dmtxread (Debian dmtx-utils) is needed to check that Data Matrix labels scan"
fi

# PDF: 25 labels on 21-position sheets make 2 pages; --skip 20 then 3 pages.
# (25 valid tags, made by asset-tag: labels refuse tags without a valid check character)
{ echo "name,value,department"; for i in $(seq 1 25); do echo "name $i,1,办公室"; done; } |
	asset-tag --today 2026-11-28 >"$T/many.csv"
run asset-tag label -o "$T/l.pdf" "$T/many.csv"
check_status "PDF sheet" 0
check "PDF is a PDF" sh -c "head -c 5 '$T/l.pdf' | grep -q '%PDF-'"
check_grep "25 labels on L7160: 2 pages" "/Count 2" "$T/l.pdf"
run asset-tag label --skip 20 -o "$T/l.pdf" "$T/many.csv"
check_grep "--skip 20: 1 + 21 + 3 labels, 3 pages" "/Count 3" "$T/l.pdf"
run asset-tag label -o "$T/l.png" "$T/many.csv"
check_status "PNG of a sheet with more labels than fit: exit 1" 1
check_grep "PNG: says what was left out" "4 labels left out" "$T/err"
run asset-tag label -f svg "$T/lab.csv"
check_status "SVG" 0
check_grep "SVG output" "<svg" "$T/out"

# ZPL: UTF-8, printer-drawn Code 128, ^ escaped in the data.
printf 'tag,name,department\nBGS-2026-000008-E,电脑^主机,办公室\n' >"$T/z.csv"
run asset-tag label -o "$T/l.zpl" "$T/z.csv"
check_status "ZPL" 0
check_grep "ZPL: ^CI28" '^\^CI28$' "$T/l.zpl"
# The tag in subset B with its digit runs in subset C (>5 switches to C,
# >6 back to B), so the printer's symbol width is known in advance.
check_grep "ZPL: Code 128 with the tag" '\^BCN.*\^FD>:BGS->52026>6->5000008>6-E\^FS' "$T/l.zpl"
check_grep "ZPL: ^ in the text sent as _5E" '电脑_5E主机' "$T/l.zpl"
run asset-tag label -b qr -f zpl "$T/z.csv"
check_grep "ZPL: QR drawn by the printer" '\^BQN,2,[0-9]*\^FH_\^FDMA,BGS-2026-000008-E\^FS' "$T/out"

run asset-tag label -t A4 "$T/z.csv"
check_status "unknown template: exit 2" 2
printf 'tag,name\n,nameless\n' >"$T/notag.csv"
run asset-tag label -o "$T/n.pdf" "$T/notag.csv"
check_status "label row without a tag: exit 2" 2
check_grep "label row without a tag: line" "notag.csv:2: empty tag" "$T/err"
check "label error: no output file" test ! -e "$T/n.pdf"

done_testing
