#!/bin/sh
# inventory-diff end to end: the example stock-take (examples/stocktake/),
# whose findings, summary, notices and updated register were worked out by
# hand in tests/data/inventory-diff/; then bad input, which must be exit 2
# with FILE:LINE and leave every file as it was.
. "$TOP/tests/e2e/lib.sh"
D="$DATA/inventory-diff"
cp "$TOP/examples/stocktake/register.csv" "$TOP/examples/stocktake/team-a.csv" \
   "$TOP/examples/stocktake/team-b.txt" .
cp "$D/officeadm.ini" .

run inventory-diff register.csv team-a.csv team-b.txt
check_status "findings: exit 1" 1
check_same "findings: every status, register order then scans" "$D/expected.csv" "$T/out"

run inventory-diff --summary register.csv team-a.csv team-b.txt
check_status "summary: exit 1" 1
check_same "summary: counts per department and status" "$D/summary.csv" "$T/out"

# The same through standard input.  Scan files are read in the order of
# their names, and "-" sorts before team-a.csv: team-b's findings come
# first (expected-first.csv, worked out from expected.csv by hand).
run sh -c 'cat team-b.txt | inventory-diff register.csv team-a.csv -'
sed 's/team-b\.txt:/<stdin>:/g' "$D/expected-first.csv" > expected-stdin.csv
check_same "scans on standard input" expected-stdin.csv "$T/out"

# A register and scans given as named pipes (as bash's <(...) gives them)
# are read into memory to be read twice, not taken for changed files.
mkfifo reg.fifo scan.fifo
cat register.csv >reg.fifo &
cat team-b.txt >scan.fifo &
run inventory-diff reg.fifo team-a.csv scan.fifo
wait
check_status "named pipes: exit 1" 1
sed 's/team-b\.txt:/scan.fifo:/g' "$D/expected-first.csv" > expected-fifo.csv
check_same "named pipes: the same findings" expected-fifo.csv "$T/out"

# GB18030 register: rows are read again sequentially, same findings.
iconv -f UTF-8 -t GB18030 register.csv > register-gb.csv
run inventory-diff register-gb.csv team-a.csv team-b.txt
check_same "GB18030 register gives the same findings" "$D/expected.csv" "$T/out"

# --all adds ok rows: 3 found as registered, 1 disposed and not scanned
# (BGS-2024-0001-E, scanned in two rooms, is a duplicate, not ok).
run inventory-diff --all register.csv team-a.csv team-b.txt
check "all: 4 ok rows" test "$(grep -c '^ok,' "$T/out")" -eq 4
check_grep "all: disposed and not scanned is ok" '^ok,XXZX-2024-0003-5,.*,"disposed, not scanned"$' "$T/out"
check "all: findings in the same order" sh -c "grep -v '^ok,' '$T/out' | cmp -s - '$D/expected.csv'"

run inventory-diff --excel -o excel.csv register.csv team-a.csv team-b.txt
check_status "excel: exit 1" 1
check "excel: BOM and CRLF" sh -c "head -c 3 excel.csv | od -An -tx1 | grep -q 'ef bb bf' && head -1 excel.csv | grep -q \"$(printf '\r')\$\""
check "excel: nothing on stdout" test ! -s "$T/out"

# Notices: only 办公室 has missing or moved assets.
run inventory-diff -c officeadm.ini --notices notices register.csv team-a.csv team-b.txt
check_status "notices: exit 1" 1
check_same "notices: the letter to 办公室" "$D/BGS.txt" notices/BGS.txt
check_same "notices: recipients for cron" "$D/recipients" notices/recipients
check "notices: one letter only" test "$(ls notices | wc -l)" -eq 2

# Two departments without codes whose names make the same file name
# ("a/b" and "a_b"): two letters, neither overwriting the other.
printf 'tag,name,department\nT-1,桌子,a/b\nT-2,椅子,a_b\n' >clash.csv
printf 'tag\nT-9\n' >clash-scan.csv
run inventory-diff --notices clash clash.csv clash-scan.csv
check_status "notice names: exit 1" 1
check "notice names: two letters and the recipients" test "$(ls clash | wc -l)" -eq 3
check_grep "notice names: no e-mail address is -, not an empty field" '^a_b.txt	-	-	a/b$' clash/recipients
check_grep "notice names: a/b keeps its own letter" '桌子' clash/a_b.txt
check_grep "notice names: a_b gets a_b-2.txt" '椅子' clash/a_b-2.txt
check_grep "notice names: recipients name both files" '^a_b-2.txt' clash/recipients

# The line of examples/crontab, as cron runs it: sh -c with cron's
# minimal environment (no OFFICEADM_CONFIG, no locale, PATH=/usr/bin:/bin
# plus a directory with the command and a stand-in for mail(1) that logs
# "subject|address|lines of the body").  财务科 has a head but no e-mail
# address: its letter must not be mailed to the head's name.
mkdir -p cron/scans cron/bin
cp register.csv cron/register.csv
cp team-a.csv team-b.txt cron/scans/
printf '[departments]\n办公室 = BGS, 王建国, wangjg@example.org\n财务科 = CWK, 李红梅\n' > cron/officeadm.ini
# Team a's scan of CWK-2024-0003-U left out: 财务科 gets a letter.
grep -v '206室' team-a.csv > cron/scans/team-a.csv
printf '#!/bin/sh\necho "$2|$3|$(wc -l)" >> "$MAILLOG"\n' > cron/bin/mail
chmod +x cron/bin/mail
ln -s "$BIN/inventory-diff" cron/bin/inventory-diff
cmd=$(grep -v '^#' "$TOP/examples/crontab" | grep 'inventory-diff' | cut -d' ' -f6- |
	sed "s|/srv/officeadm/assets|$T/cron|")
check "crontab: no % in the command (cron would end it there)" sh -c "! printf '%s' \"\$1\" | grep -q %" sh "$cmd"
env -i HOME="$T" LOGNAME=cron SHELL=/bin/sh PATH="$T/cron/bin:/usr/bin:/bin" MAILLOG="$T/mail.log" \
	/bin/sh -c "$cmd"
printf '资产盘点差异 办公室|wangjg@example.org|11\n' > mail-want.log
check_same "crontab: one mail, to 办公室's head, none to a name" mail-want.log mail.log
check_grep "crontab: 财务科's letter is listed with - for its address" '^CWK.txt	-	李红梅	财务科$' cron/notices/recipients
manline=$(sed -n '/^0 7 \* \* 1 cd /p' "$TOP/man/inventory-diff.1" | sed 's/\\e/\\/g')
check "crontab: inventory-diff(1) shows the same line" test "$manline" = "$(grep -v '^#' "$TOP/examples/crontab" | grep inventory-diff)"
check_grep "crontab: the findings file" '^moved,BGS-2024-0003-A,.*,303室,' cron/盘点差异.csv

# --update: reconciled register; a second run changes no byte.
cp register.csv reg.csv
run inventory-diff --update reg.csv --relocate register.csv team-a.csv team-b.txt
check_status "update: exit 1" 1
check_same "update: last_audit, status, relocated location" "$D/updated.csv" reg.csv
cp reg.csv reg-first.csv
run inventory-diff --update reg.csv --relocate reg.csv team-a.csv team-b.txt
check_same "update: idempotent in place" reg-first.csv reg.csv
run inventory-diff --update again.csv --relocate reg.csv team-a.csv team-b.txt
check_same "update: idempotent to another file" reg-first.csv again.csv
# Findings that cannot be written (standard output on a full device):
# exit 2, and the register is not rewritten.
if [ -w /dev/full ]; then
	cp register.csv reg.csv
	inventory-diff --update reg.csv register.csv team-a.csv team-b.txt >/dev/full 2>"$T/err"
	status=$?
	check_status "update with findings to a full stdout: exit 2" 2
	check_same "update with findings to a full stdout: register unchanged" register.csv reg.csv
fi
# Notices that cannot be written (the directory is a file): exit 2, and the
# register is not rewritten.
cp register.csv reg.csv
printf 'x\n' > notafile
run inventory-diff -c officeadm.ini -n notafile --update reg.csv register.csv team-a.csv team-b.txt
check_status "update with unwritable notices: exit 2" 2
check_same "update with unwritable notices: register unchanged" register.csv reg.csv
# -o naming the register being updated would replace it with the findings.
run inventory-diff -o reg.csv --update reg.csv register.csv team-a.csv team-b.txt
check_status "-o naming the --update register: exit 2" 2
check_same "-o naming the --update register: register unchanged" register.csv reg.csv
run inventory-diff --update norel.csv register.csv team-a.csv team-b.txt
check_grep "update without --relocate keeps the location" '^BGS-2024-0003-A,会议桌,家具,3800.00,办公室,王强,302会议室,在用,2026-06-28,' norel.csv
run inventory-diff --update dated.csv --date 2026-07-01 register.csv team-a.csv team-b.txt
check_grep "update: --date sets last_audit" '^XXZX-2024-0001-9,.*,2026-07-01,$' dated.csv

# A register without status and last_audit gets both columns.
printf 'tag,location\nBGS-2024-0001-E,301\nBGS-2024-0002-C,301\n' > small.csv
printf 'BGS-2024-0001-E\n' > small-scan.txt
run inventory-diff --update small-out.csv --date 2026-06-30 small.csv small-scan.txt
printf 'tag,location,last_audit,status\nBGS-2024-0001-E,301,2026-06-30,\nBGS-2024-0002-C,301,,missing\n' > small-want.csv
check_same "update: adds last_audit and status" small-want.csv small-out.csv

# Nothing to report: exit 0, nothing on standard output (cron mails only
# what is printed); a file named by -o gets the header.
printf 'BGS-2024-0001-E\nBGS-2024-0002-C\n' > all-scan.txt
run inventory-diff small.csv all-scan.txt
check_status "no findings: exit 0" 0
check "no findings: nothing on standard output" test ! -s "$T/out"
check "no findings: nothing on standard error" test ! -s "$T/err"
run inventory-diff -o nothing.csv small.csv all-scan.txt
check "no findings: -o file holds the header" test "$(wc -l < nothing.csv)" -eq 1

# Errors: exit 2, FILE:LINE, no file changed.
cp register.csv keep.csv
run inventory-diff --update keep.csv "$D/dup-register.csv" team-a.csv
check_status "duplicate register tag: exit 2" 2
check_grep "duplicate register tag names both lines" 'dup-register.csv:4: duplicate tag "BGS-2024-0001-E" (also on line 2)' "$T/err"
check "error leaves the register alone" cmp -s keep.csv register.csv
check "error leaves no temporary file" sh -c '! ls | grep -q "\.tmp\."'
run inventory-diff "$D/notag-register.csv" team-a.csv
check_status "register without tag column: exit 2" 2
check_grep "register without tag column: message" 'notag-register.csv:1: .*tag' "$T/err"
run inventory-diff -o never.csv register.csv "$D/unterminated.csv"
check_status "unterminated quote in a scan: exit 2" 2
check_grep "unterminated quote: file and line" 'unterminated.csv:2: ' "$T/err"
check "no output file on error" test ! -e never.csv
run inventory-diff register.csv "$D/emptytag.csv"
check_grep "empty tag: file and line" 'emptytag.csv:3: empty tag' "$T/err"
run inventory-diff register.csv "$D/twofields.txt"
check_status "plain list with two fields: exit 2" 2
check_grep "plain list with two fields: message" 'twofields.txt:1: more than one field' "$T/err"
run inventory-diff register.csv "$D/baddate.csv"
check_grep "bad scanned_at: file and line" 'baddate.csv:2: scanned_at "28/06/2026" is not a date' "$T/err"
run inventory-diff register.csv missing-file.csv
check_status "unreadable scan: exit 2" 2
run inventory-diff --relocate register.csv team-a.csv
check_status "--relocate without --update: usage" 2
run inventory-diff - -
check_status "standard input twice: exit 2" 2
run inventory-diff --version
check_status "--version: exit 0" 0
check_grep "--version names the command" '^inventory-diff (officeadm) ' "$T/out"
done_testing
