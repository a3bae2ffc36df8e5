#!/bin/sh
# asset-log as a new office user meets it: tags typed loosely, names with a
# stray space, an events list and a register that Excel saved (GB18030,
# BOM, CRLF, dates 2026/11/3, bare-comma rows, trailing empty columns),
# two runs at once, the overdue line run as cron runs it, and warnings that
# say where to look.  Every expected value here was worked out by hand.
. "$TOP/tests/e2e/lib.sh"
EX="$TOP/examples"
export OFFICEADM_CONFIG="$EX/officeadm.ini"
TODAY="--today 2026-12-01"
fresh() { rm -f reg.csv reg.csv.*; cp "$EX/assets/register.csv" reg.csv; }
# The register's cell COL of TAG's row (the register is UTF-8 here).
cell() { awk -F, -v t="$1" -v c="$2" '$1 == t { print $c }' reg.csv; }

# A tag in lower case and without hyphens is the register's tag.
fresh
run asset-log -r reg.csv transfer $TODAY --date 2026-11-02 --custodian 王强 bgs20260001o
check_status "transfer of a tag typed bgs20260001o" 0
check "the register's row of BGS-2026-0001-O changed" test "$(cell BGS-2026-0001-O 9)" = 王强
check_grep "the journal names the tag as the register does" \
	'^1,[^,]*,2026-11-02,BGS-2026-0001-O,transfer,' reg.csv.journal
run asset-log -r reg.csv history bgs-2026-0001-o
check_status "history of a tag in lower case" 0
check_grep "history finds the event" '^1,.*,BGS-2026-0001-O,transfer,.*,王强,' "$T/out"
run asset-log -r reg.csv holder --date 2026-11-05 BGS20260001O
check_status "holder of a tag without hyphens" 0
check_grep "holder says who had it" '^BGS-2026-0001-O,2026-11-05,办公室,王强,' "$T/out"

# "Who had this laptop on 2026-03-01?": BGS-2026-0002-M (acquired
# 2026-01-12 by 办公室, 李娜) has no event yet, so the register answers; in
# 2025 it did not exist.
run asset-log -r reg.csv holder --date 2026-03-01 BGS-2026-0002-M
check_status "holder of an asset no event touched" 0
check_grep "the register answers, marked no-events" \
	'^BGS-2026-0002-M,2026-03-01,办公室,李娜,301室,in-use,,,no-events$' "$T/out"
run asset-log -r reg.csv holder --date 2025-03-01 BGS-2026-0002-M
check_status "holder before the acquisition is refused" 2
check_grep "the refusal names the register line and the acquisition date" \
	'reg.csv:4: "BGS-2026-0002-M" was acquired on 2026-01-12, after 2025-03-01' "$T/err"
run asset-log -r reg.csv holder --date 2026-03-01 XX-2026-0001-1
check_status "holder of an unknown tag" 2
check_grep "the unknown tag is called unknown" 'unknown tag "XX-2026-0001-1": not in reg.csv' "$T/err"

# A department typed or pasted with a trailing space is the department.
run asset-log -r reg.csv transfer $TODAY --date 2026-11-03 --department '财务科 ' \
	--custodian ' 钱芳' BGS-2026-0002-M
check_status "transfer to '财务科 '" 0
check "the register gets 财务科, not '财务科 '" test "$(cell BGS-2026-0002-M 8)" = 财务科
check "the custodian is trimmed too" test "$(cell BGS-2026-0002-M 9)" = 钱芳
run asset-log -r reg.csv summary
check "summary has one 财务科, no '财务科 '" sh -c "! grep -q '^财务科 ,' '$T/out'"

# An events list from Excel on Chinese Windows.
fresh
printf '\357\273\277资产编号,事项,日期,调入部门,责任人,存放地点,备注,,\r\n' > ev.txt
printf 'bgs-2026-0001-o,调拨,2026/11/3,信息中心,陈晓东,机房,值班用,,\r\n' >> ev.txt
printf ',,,,,,,,\r\n' >> ev.txt
printf 'CWK-2026-0001-7,变更地点,2026年11月4日,,,207室 ,,,\r\n' >> ev.txt
printf ',,,,,,,,\r\n' >> ev.txt
iconv -f UTF-8 -t GB18030 ev.txt > 搬迁.csv
run asset-log -r reg.csv apply $TODAY --by 王秘书 搬迁.csv
check_status "apply an Excel events list (GB18030, BOM, CRLF, blank rows, empty columns)" 0
check_grep "2026/11/3 is 2026-11-03" \
	'^1,[^,]*,2026-11-03,BGS-2026-0001-O,transfer,王秘书,信息中心,陈晓东,机房,' reg.csv.journal
check_grep "2026年11月4日 is 2026-11-04, the location trimmed" \
	'^2,[^,]*,2026-11-04,CWK-2026-0001-7,transfer,王秘书,财务科,钱芳,207室,' reg.csv.journal
check_grep "the blank rows made no events: commit of 2" '^3,.*,commit,.*,2,[0-9a-f]*$' \
	reg.csv.journal
fresh
printf 'tag,event,date,,\nBGS-2026-0001-O,repair,2026-11-03,,oops\n' > stray.csv
run asset-log -r reg.csv apply $TODAY stray.csv
check_status "a value under an unnamed column is refused" 2
check_grep "the refusal names file, line and column" \
	'stray.csv:2: "oops" in column 5, which has no name in the header' "$T/err"
check "nothing was journalled" test ! -e reg.csv.journal

# A register Excel saved again: dates 2026/1/12, GB18030, BOM, CRLF, 在用.
fresh
{ printf '\357\273\277'
  awk 'BEGIN { FS = OFS = "," }
       NR > 1 { split($6, d, "-"); $6 = d[1] "/" d[2] + 0 "/" d[3] + 0; sub(/^in-use$/, "在用", $11) }
       { print $0 "\r" }' "$EX/assets/register.csv"; } | iconv -f UTF-8 -t GB18030 > xl.csv
run asset-log -r xl.csv depreciation --from 2026-01 --to 2026-01
check_status "depreciation of the re-saved register" 0
# 5200.00 over 3 years, government basis: 520000 fen / 36 = 14444.4 -> 144.44.
check_grep "the PC (acquired 2026/1/12) depreciates 144.44 in January" \
	'^BGS-2026-0001-O,.*,2026-01,144.44,144.44,5055.56$' "$T/out"
run asset-log -r xl.csv transfer $TODAY --date 2025-12-31 --location 库房 BGS-2026-0001-O
check_status "an event before the acquisition 2026/1/12 is refused" 2
check_grep "the refusal says why" 'dated before its acquisition (2026/1/12, xl.csv:[0-9]*)' "$T/err"
run asset-log -r xl.csv lend $TODAY --date 2026-11-03 --to 陈静 --due 2026/11/20 BGS-2026-0002-M
check_status "lend with --due 2026/11/20" 0
iconv -f GB18030 -t UTF-8 xl.csv > xl.utf8
check "the re-saved register is still GB18030 (iconv reads it)" test -s xl.utf8
check_grep "the lent row says 借出 in the register's words, CRLF kept" \
	"^BGS-2026-0002-M,.*,借出,2026-06-28,$(printf '\r')\$" xl.utf8
check_grep "an unchanged row keeps 在用 and CRLF" \
	"^BGS-2026-0001-O,.*,在用,2026-06-28,$(printf '\r')\$" xl.utf8
check "the BOM (GB18030's 84 31 95 33) is kept" sh -c "head -c 4 xl.csv | od -An -tx1 | grep -q '84 31 95 33'"

# Depreciation warnings name the register's line (BGS-2026-0004-I, line 5,
# disposed before the journal began).
fresh
run asset-log -r reg.csv depreciation --from 2026-01 --to 2026-01
check_grep "the disposed asset without a date is named by its line" \
	'^asset-log: reg.csv:5: warning: disposed with no disposal date in the journal: 1 asset' \
	"$T/err"

# Two runs at once on one register: each waits for the other, neither
# mistakes the state file for the register (an inode the other freed).
fresh
bad=0
for round in 1 2 3 4; do
	for i in 1 2 3 4 5; do
		asset-log -r reg.csv transfer $TODAY --location "L$round$i" BGS-2026-0001-O 2>>race.err &
	done
	wait
done
check "parallel runs print nothing (no state-file warning)" test ! -s race.err
run asset-log -r reg.csv check
check_status "the register agrees with the journal after the parallel runs" 0
check_grep "20 transfers and 20 commits" '^40,' reg.csv.journal

# The overdue line run as cron runs it: no environment, no configuration
# found.  The notice can have no To: line, and the run must say so.
fresh
mkdir cron
cp "$EX/assets/register.csv" cron/reg.csv
(cd cron && asset-log -r reg.csv lend $TODAY --date 2026-11-03 --to 陈静 \
	--borrower-department 财务科 --due 2026-11-20 BGS-2026-0002-M)
run env -i PATH="$PATH" HOME="$T/cron" sh -c \
	'cd && asset-log -r reg.csv overdue --as-of 2026-11-25 --notices n >/dev/null'
check_status "overdue under cron finds the late loan" 1
check_grep "a notice without a recipient is warned about" \
	'no e-mail address for "财务科" in \[departments\] of the configuration (none found)' \
	"$T/err"
run env -i PATH="$PATH" HOME="$T/cron" OFFICEADM_CONFIG="$EX/officeadm.ini" sh -c \
	'cd && asset-log -r reg.csv overdue --as-of 2026-11-25 --notices n >/dev/null'
check_status "with the configuration, the same" 1
check "and no warning then" test ! -s "$T/err"
check_grep "the notice goes to the head of 财务科" '^To: .*<lihm@example.gov.cn>' cron/n/CWK.txt

# An option of another event is named, with the event it belongs to.
fresh
run asset-log -r reg.csv return --due 2026-12-01 BGS-2026-0001-O
check_status "return with --due is a usage error" 2
check_grep "the message names the option and its event" \
	'^asset-log: --due belongs to lend, not to return$' "$T/err"

# A disposal missing several parts names them all at once.
run asset-log -r reg.csv dispose $TODAY --method 报废 --approver 周明局长 BGS-2026-0001-O
check_status "a disposal without reason and document is refused" 2
check_grep "both missing parts are named in one message" \
	'without a reason (--reason, 原因), the approval document number (--document, 批准文号)$' \
	"$T/err"

# --help and the man page agree that apply's file is optional (stdin).
run asset-log --help
check_grep "help: apply [file]" 'apply \[common\] \[--encoding enc\] \[--again\] \[file\]' "$T/out"

done_testing
