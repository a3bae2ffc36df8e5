#!/bin/sh
# What a new office user found asset-log would let through (session 5):
# an output (-o) over the journal's state file or a lock file, a register
# reached through a symlink starting a second journal, option text in GBK
# written into the journal, --today in the future, and a missing tag
# answered with the bare usage.  Each case: exit 2, the message, and every
# file byte for byte as it was.
. "$TOP/tests/e2e/lib.sh"
EX="$TOP/examples"
export OFFICEADM_CONFIG="$EX/officeadm.ini"
fresh() { rm -rf reg.csv reg.csv.* real 资产台账.csv; cp "$EX/assets/register.csv" reg.csv; }
snap() { cat reg.csv reg.csv.journal reg.csv.journal.state 2>/dev/null | sha256sum; }

# ---- -o over the journal's companions ----
fresh
run asset-log -r reg.csv transfer --today 2026-12-01 --location 206室 CWK-2026-0001-7
check_status "a first event" 0
before=$(snap)
for f in reg.csv.journal.state reg.csv.lock reg.csv.journal.lock; do
	cp "$f" "$f.copy" 2>/dev/null || : >"$f.copy"
	run asset-log -r reg.csv summary -o "$f"
	check_status "summary -o $f is refused" 2
	check "... and $f is as it was" cmp -s "$f" "$f.copy"
	rm -f "$f.copy"
done
run asset-log -r reg.csv summary -o reg.csv.journal.state
check_grep "the message says it is the state file, and of which journal" \
	'^asset-log: reg.csv.journal.state: is the state file of "reg.csv.journal" and may not also be an output; nothing written$' "$T/err"
run asset-log -r reg.csv summary -o reg.csv.lock
check_grep "a lock file is called the register's lock file" \
	'^asset-log: reg.csv.lock: is the lock file of "reg.csv" and may not also be an output' "$T/err"
run asset-log -r reg.csv rebuild -o reg.csv.journal.state
check_status "rebuild -o the state file is refused" 2
check "register, journal and state file unchanged" test "$(snap)" = "$before"
run asset-log -r reg.csv check
check_status "and the journal still checks clean" 0
# The journal still writes its own state file.
run asset-log -r reg.csv transfer --today 2026-12-01 --location 207室 CWK-2026-0001-7
check_status "the next event is recorded" 0
# Two events, each followed by its commit record.
check_grep "the state file counts both" '^records 4$' reg.csv.journal.state
# doc-route's journal has a state file too.
printf '[doc-route]\njournal = dr.journal\n' >dr.ini
printf 'direction,type,title\nin,notice,关于开展安全检查的通知\n' >docs.csv
run doc-route -c dr.ini register --at "2026-11-23 08:30" docs.csv
check_status "doc-route registers a document" 0
cp dr.journal.state dr.state.before
run doc-route -c dr.ini status -o dr.journal.state
check_status "doc-route status -o its journal's state file is refused" 2
check "... and the state file is as it was" cmp -s dr.journal.state dr.state.before

# ---- a register reached through a symlink has one journal ----
fresh
mkdir real && mv reg.csv real/ && ln -s real/reg.csv 资产台账.csv
run asset-log -r 资产台账.csv transfer --today 2026-12-01 --location 206室 CWK-2026-0001-7
check_status "an event through the link" 0
check "the journal is beside the register file, not the link" test -f real/reg.csv.journal
check "no journal named after the link" test ! -e 资产台账.csv.journal
run asset-log -r real/reg.csv transfer --today 2026-12-01 --location 207室 CWK-2026-0001-7
check_status "an event through the file's own name" 0
run asset-log -r real/reg.csv history CWK-2026-0001-7
check "history by either name has both events" test "$(grep -c ',CWK-2026-0001-7,transfer,' "$T/out")" = 2
run asset-log -r 资产台账.csv check
check_status "check through the link finds no difference" 0
rm -rf real 资产台账.csv

# ---- option text that is not UTF-8 ----
fresh
run asset-log -r reg.csv transfer --today 2026-12-01 --location 206室 CWK-2026-0001-7
before=$(snap)
gbk=$(printf '\325\305\310\375') # 张三 in GBK
for opt in --custodian --note --by --location --department; do
	run asset-log -r reg.csv transfer --today 2026-12-01 $opt "$gbk" BGS-2026-0001-O
	check_status "transfer $opt in GBK is refused" 2
	check_grep "... naming $opt" "^asset-log: $opt: the text is not UTF-8 (byte 1)" "$T/err"
done
run asset-log -r reg.csv lend --today 2026-12-01 --to "$gbk" --due 2026-12-20 BGS-2026-0001-O
check_status "lend --to in GBK is refused" 2
run asset-log -r reg.csv dispose --today 2026-12-01 --method 报废 --reason "$gbk" --approver 周局长 \
	--document 办财〔2026〕9号 BGS-2026-0001-O
check_status "dispose --reason in GBK is refused" 2
check_grep "... naming --reason" '^asset-log: --reason: the text is not UTF-8' "$T/err"
printf 'tag,event,location\nBGS-2026-0001-O,transfer,301室\n' >ev.csv
run asset-log -r reg.csv apply --today 2026-12-01 --by "$gbk" ev.csv
check_status "apply --by in GBK is refused" 2
check "register, journal and state file unchanged" test "$(snap)" = "$before"

# ---- --today may move today back, not forward ----
run asset-log -r reg.csv transfer --today 2207-12-06 --location 车库 CWK-2026-0001-7
check_status "--today in 2207 is refused" 2
check_grep "... saying --today may not move today forward" \
	'^asset-log: --today 2207-12-06 is after today ([0-9-]*): it may move today back, not forward$' "$T/err"
run asset-log -r reg.csv apply --today 2207-12-06 ev.csv
check_status "apply --today in 2207 is refused" 2
check "nothing changed" test "$(snap)" = "$before"

# ---- a missing tag is named, not answered with the bare usage ----
run asset-log -r reg.csv transfer --location 车库
check_status "transfer without a tag" 2
check_grep "... says a tag is missing" '^asset-log: transfer of what? give the tag of each asset$' "$T/err"
run asset-log -r reg.csv history
check_grep "history without a tag says so" '^asset-log: history takes one tag, not 0$' "$T/err"
run asset-log -r reg.csv apply a.csv b.csv
check_status "apply with two files" 2
check_grep "... says it reads one" '^asset-log: apply reads one list of events, not 2 files$' "$T/err"
check "nothing changed" test "$(snap)" = "$before"

# ---- recipients: an unknown field is "-", as inventory-diff writes it ----
fresh
printf '[departments]\n财务科 = CWK, 李红梅\n办公室 = BGS\n' >dept.ini
run asset-log -c dept.ini -r reg.csv lend --today 2026-12-01 --date 2026-11-01 --to 小李 \
	--borrower-department 财务科 --due 2026-11-10 CWK-2026-0001-7
check_status "a loan due 2026-11-10" 0
run asset-log -c dept.ini -r reg.csv overdue --as-of 2026-12-01 --notices nd
check_status "overdue finds it" 1
check_same "recipients: no e-mail known for 财务科, so '-', the head in her column" \
	"$(printf 'CWK.txt\t-\t李红梅\t财务科\n' >rcpt.expected; echo rcpt.expected)" nd/recipients
# The crontab's loop, as examples/crontab has it, mails nobody and mistakes
# no name for an address.
: >mailed
while IFS="$(printf '\t')" read -r f email head dept; do
	[ "$email" != - ] && echo "$email" >>mailed
done <nd/recipients
check "the crontab's loop takes no name for an address" test ! -s mailed

# ---- the README's examples run on the example register ----
fresh
al() {
	sub=$1; shift
	case $sub in
	transfer|lend|return|repair|repaired|dispose|apply) set -- --today 2026-12-01 "$@" ;;
	esac
	"$BIN/asset-log" -r reg.csv "$sub" "$@"
}
printf '资产编号,事项,调入部门,责任人\nXXZX-2026-0001-J,调拨,办公室,张伟\n' >搬迁.csv
awk '/^    asset-log -r 资产台账.csv transfer/ { on = 1 } on && /^$/ { exit } on' "$TOP/README.md" |
	sed 's/^    asset-log -r 资产台账.csv /al /; s/^        /    /' >readme.sh
check "the README's block of asset-log lines was found" test "$(grep -c '^al ' readme.sh)" -ge 12
n=0
while IFS= read -r line; do
	case $line in al\ *) ;; *) continue ;; esac
	# A line continued with a backslash: join the next one.
	while case $line in *\\) true ;; *) false ;; esac; do
		IFS= read -r more
		line="${line%\\}$more"
	done
	n=$((n + 1))
	eval "$line" >out.$n 2>err.$n
	st=$?
	if [ $st -le 1 ]; then ok "README line $n runs: ${line%%#*}"
	else not_ok "README line $n: ${line%%#*}: status $st"; sed 's/^/#   /' err.$n; fi
done <readme.sh
check "the README's history line lists lend, return and dispose" \
	test "$(grep -c ',BGS-2026-0002-M,\(lend\|return\|dispose\),' out.6)" = 3

# ---- status words: a loan the register contradicts, a word no rule knows ----
fresh
run asset-log -r reg.csv lend --today 2026-12-01 --date 2026-11-01 --to 小李 \
	--borrower-department 财务科 --due 2026-11-10 CWK-2026-0001-7
check_status "a loan due 2026-11-10" 0
# By hand in Excel: the safe written off, the PC "not found", the printer
# "维修中" (in repair, in the words offices use).
sed -i 's/^\(CWK-2026-0001-7,.*\),lent,/\1,报废,/; s/^\(BGS-2026-0001-O,.*\),in-use,/\1,未找到,/; s/^\(BGS-2026-0002-M,.*\),in-use,/\1,维修中,/' reg.csv
check "the three cells were edited" test "$(grep -c ',\(报废\|未找到\|维修中\),' reg.csv)" = 3
before=$(snap)
run asset-log -r reg.csv overdue --as-of 2026-12-01
check_status "the loan is still late by the journal" 1
check_grep "... and the register's 报废 is named at its line" \
	'^asset-log: reg.csv:6: warning: "CWK-2026-0001-7" is lent in the journal (to 小李, due 2026-11-10) but the register says "报废": the register was changed by hand' "$T/err"
check_grep "未找到 is named with its line and tag" \
	'^asset-log: reg.csv:3: warning: "BGS-2026-0001-O": status "未找到" is none of in-use' "$T/err"
check "维修中 is a status the rules know: no warning for it" sh -c "! grep -q 维修中 '$T/err'"
run asset-log -r reg.csv summary
check_status "summary still runs" 0
check_grep "summary warns of 未找到 too" 'reg.csv:3: warning: "BGS-2026-0001-O": status "未找到"' "$T/err"
check_grep "维修中 is counted as repair" '^办公室,李娜,fixed,repair,1,' "$T/out"
run asset-log -r reg.csv missing
check_grep "missing warns of 未找到 rather than passing it over" 'status "未找到" is none of' "$T/err"
check "the reports changed nothing" test "$(snap)" = "$before"

# ---- names pasted with a full-width or no-break space are the names ----
fresh
run asset-log -r reg.csv transfer --today 2026-12-01 --custodian "$(printf '王五\343\200\200')" \
	--location "$(printf '\302\240201室')" BGS-2026-0001-O
check_status "transfer to '王五　' at ' 201室'" 0
check_grep "the register gets 王五 and 201室, without the spaces" '^BGS-2026-0001-O,.*,王五,201室,' reg.csv

# ---- -o inside the notices directory: each command refuses it ----
fresh
run asset-log -r reg.csv lend --today 2026-12-01 --date 2026-11-01 --to 小李 \
	--borrower-department 财务科 --due 2026-11-10 CWK-2026-0001-7
run asset-log -r reg.csv overdue --as-of 2026-12-01 --notices nd
check_status "overdue writes its notices" 1
cp -r nd nd.before
for o in nd/recipients nd/CWK.txt ./nd/new.csv nd//x.csv; do
	run asset-log -r reg.csv overdue --as-of 2026-12-01 --notices nd -o "$o"
	check_status "asset-log overdue -o $o with --notices nd is refused" 2
done
check_grep "... saying why" '^asset-log: -o nd//x.csv is in the notices directory nd, whose files are replaced and removed by the notices: write the report elsewhere; nothing written$' "$T/err"
check "the notices are as they were" diff -r nd nd.before
check "and nothing new is there" test ! -e nd/new.csv -a ! -e nd/x.csv
mkdir sub
run asset-log -r reg.csv overdue --as-of 2026-12-01 --notices sub/../nd -o nd/y.csv
check_status "the directory by another spelling is refused too" 2
run asset-log -r reg.csv overdue --as-of 2026-12-01 --notices new -o new/a.csv
check_status "a notices directory not made yet, with -o in it, is refused" 2
check "and not made" test ! -e new
run asset-log -r reg.csv overdue --as-of 2026-12-01 --notices nd -o report.csv
check_status "-o beside the directory is fine" 1
check_grep "... and written" '^CWK-2026-0001-7,' report.csv
# inventory-diff and doc-route, the same.
cp "$TOP/examples/stocktake/register.csv" sreg.csv
run inventory-diff -n snd sreg.csv "$TOP/examples/stocktake/team-a.csv" "$TOP/examples/stocktake/team-b.txt"
check_status "inventory-diff writes notices" 1
cp snd/recipients srcp.before
run inventory-diff -n snd -o snd/recipients sreg.csv "$TOP/examples/stocktake/team-a.csv" "$TOP/examples/stocktake/team-b.txt"
check_status "inventory-diff -o into its notices directory is refused" 2
check_grep "... saying why" '^inventory-diff: -o snd/recipients is in the notices directory snd' "$T/err"
check "its recipients list is as it was" cmp -s srcp.before snd/recipients
printf '[doc-route]\njournal = dr2.journal\n' >dr2.ini
run doc-route -c dr2.ini overdue --notices dnd -o dnd/BGS.txt
check_status "doc-route overdue -o into its notices directory is refused" 2
check_grep "... saying why" '^doc-route: -o dnd/BGS.txt is in the notices directory dnd' "$T/err"

# ---- a stock-take's 丢失, then the write-off: check is clean again ----
fresh
run asset-log -r reg.csv transfer --today 2026-12-01 --custodian 王五 BGS-2026-0001-O
{ echo tag; cut -d, -f1 reg.csv | sed 1d | grep -v 'BGS-2026-0001-O\|BGS-2026-0004-I'; } >scans.csv
run inventory-diff -d 2026-12-02 -u reg.csv reg.csv scans.csv
check_status "the stock-take finds the PC missing" 1
check_grep "and -u marks it missing in the register" '^BGS-2026-0001-O,.*,王五,301室,missing,' reg.csv
run asset-log -r reg.csv check
check_status "check: the register says missing, the journal in use" 1
check_grep "... one row saying so" '^BGS-2026-0001-O,status,in-use,missing,journal record 1$' "$T/out"
run asset-log -r reg.csv dispose --today 2026-12-03 --method 报废 --reason 盘亏 --approver 周局长 \
	--document 示行服〔2026〕30号 BGS-2026-0001-O
check_status "the write-off is recorded" 0
check_grep "... with a warning that it starts from the register's missing" \
	'^asset-log: reg.csv: warning: "BGS-2026-0001-O": the register.s status is "missing" where the journal left "in-use": changed outside the journal (inventory-diff -u, or by hand); record 3 starts from the register.s value$' "$T/err"
run asset-log -r reg.csv check
check_status "check is clean again: register and journal agree" 0
check_same "... and silent, for cron" /dev/null "$T/out"
run asset-log -r reg.csv check --history
check_status "check --history still shows the change made outside the journal" 1
check_grep "... naming the record that started from it" \
	'^BGS-2026-0001-O,status,in-use,missing,changed outside the journal before record 3 (line 4)$' "$T/out"
run asset-log -r reg.csv summary --history
check_status "--history belongs to check alone" 2

# ---- depreciation: a life under the government guide's, an empty value ----
# Worked by hand, government straight-line from the month of acquisition:
# 家具 with no life cell takes the guide's 15 years: 3600.00 / 180 = 20.00;
# a life cell of 5 is used as written, 3600.00 / 60 = 60.00, with a
# warning (the guide sets at least 15 for 家具); 计算机设备 over 3 (the
# guide: 6): 7200.00 / 36 = 200.00; an empty 原值 is left out, named.
printf '资产编号,资产名称,资产类别,原值,购置日期,使用年限,使用部门\n' >dep.csv
printf 'BGS-2026-0001-O,会议桌,家具,3600,2026-02-09,,办公室\n' >>dep.csv
printf 'BGS-2026-0002-M,会议桌,家具,3600,2026-02-09,5,办公室\n' >>dep.csv
printf 'BGS-2026-0004-I,电脑,计算机设备,7200,2026-02-09,3,办公室\n' >>dep.csv
printf 'CWK-2026-0001-7,电脑,计算机设备,,2026-02-09,6,财务科\n' >>dep.csv
run asset-log -r dep.csv depreciation --from 2026-03 --to 2026-03
check_status "depreciation with warnings is still status 0" 0
check_grep "家具 over the guide's 15 years: 20.00" '^BGS-2026-0001-O,会议桌,办公室,家具,straight-line,2026-03,20.00,40.00,3560.00$' "$T/out"
check_grep "家具 over the cell's 5 years: 60.00" '^BGS-2026-0002-M,会议桌,办公室,家具,straight-line,2026-03,60.00,120.00,3480.00$' "$T/out"
check_grep "计算机设备 over 3 years: 200.00" '^BGS-2026-0004-I,电脑,办公室,计算机设备,straight-line,2026-03,200.00,400.00,6800.00$' "$T/out"
check_grep "a life under the guide's is named, with both lives" \
	'^asset-log: dep.csv:3: warning: "BGS-2026-0002-M": a life of 5 years, where the government guide (财会〔2017〕4号) sets at least 15 for 家具: depreciated over 5 as written (2 assets so, the first on this line)$' "$T/err"
check "the empty value is not depreciated as 0.00" sh -c "! grep -q '^CWK-2026-0001-7,' '$T/out'"
check_grep "... it is left out and named" \
	'^asset-log: dep.csv:5: warning: no value (原值): 1 asset left out, the first on this line$' "$T/err"
printf '[depreciation]\nbasis = enterprise\n' >ent.ini
run asset-log -c ent.ini -r dep.csv depreciation --from 2026-03 --to 2026-03
check "the enterprise basis has no such minimum: no warning of it" sh -c "! grep -q 'government guide' '$T/err'"

# ---- an acquisition date that is no date cannot vouch for an event's ----
fresh
sed -i 's/^\(BGS-2026-0001-O,[^,]*,[^,]*,[^,]*,[^,]*\),2026-01-12,/\1,46034,/' reg.csv
check_grep "the PC's acquisition date is an Excel day number now" '^BGS-2026-0001-O,.*,46034,' reg.csv
before=$(snap)
run asset-log -r reg.csv transfer --today 2026-12-01 --date 1990-01-01 --location 仓库 BGS-2026-0001-O
check_status "an event on an asset whose acquisition date is no date is refused" 2
check_grep "... naming the cell, its line, and what it looks like" \
	'^asset-log: "BGS-2026-0001-O": its acquisition date "46034" (reg.csv:3) is not a date (2026-01-12, 2026/1/12, 2026年1月12日; an Excel day number: format the column as a date): correct the cell' "$T/err"
check "nothing changed" test "$(snap)" = "$before"

# ---- the same list applied twice ----
# A loan and its return, a repair and its return from repair, all on one
# day: every event the rules allow again, so only the journal can tell.
fresh
printf '资产编号,事项,日期,借用人,归还日期\n' >d.csv
printf 'CWK-2026-0001-7,借出,2026/11/4,陈静,2026/11/10\n' >>d.csv
printf 'CWK-2026-0001-7,归还,2026/11/4,,\n' >>d.csv
printf 'bgs-2026-0001-o,送修,2026/11/5,,\n' >>d.csv
printf 'BGS-2026-0001-O,修复,2026/11/5,,\n' >>d.csv
run asset-log -r reg.csv apply --today 2026-12-01 d.csv
check_status "a list of a loan, its return, a repair and its end is recorded" 0
before=$(snap)
run asset-log -r reg.csv apply --today 2026-12-01 d.csv
check_status "the same list again is refused" 2
check_grep "... saying it looks applied before, and how to insist" \
	'^asset-log: d.csv:2: the lend of "CWK-2026-0001-7" on this line is already a record of that asset in the journal, the same event, day and values: was the list (or its start) applied before? nothing recorded (give --again to record it again)$' "$T/err"
check "nothing changed" test "$(snap)" = "$before"
# Yesterday's sheet with a row added: the old rows are a repeat all the
# same (their loan and return would be recorded twice), the new row or not.
cp d.csv d2.csv
printf 'GO-2026-0001-Q,借出,2026/11/5,钱七,2026/11/25\n' >>d2.csv
run asset-log -r reg.csv apply --today 2026-12-01 d2.csv
check_status "the list again with a row added is refused" 2
check_grep "... naming the first repeated row" '^asset-log: d2.csv:2: the lend of "CWK-2026-0001-7" on this line is already a record' "$T/err"
check "nothing changed" test "$(snap)" = "$before"
# The same with the row added for an asset already in the sheet: its new
# loan is its last row, so only its first row can tell.
cp d.csv d3.csv
printf 'CWK-2026-0001-7,借出,2026/11/5,钱七,2026/11/25\n' >>d3.csv
run asset-log -r reg.csv apply --today 2026-12-01 d3.csv
check_status "the list again with a new loan of a listed asset is refused" 2
check_grep "... naming its first row" '^asset-log: d3.csv:2: the lend of "CWK-2026-0001-7" on this line is already a record' "$T/err"
check "nothing changed" test "$(snap)" = "$before"
run asset-log -r reg.csv apply --today 2026-12-01 --again d.csv
check_status "--again records the list once more" 0
check "the journal has the loan twice" test "$(grep -c ',CWK-2026-0001-7,lend,' reg.csv.journal)" = 2
# A second loan and return on the same day, to someone else: a new list.
printf '资产编号,事项,日期,借用人,归还日期\nCWK-2026-0001-7,借出,2026/11/4,钱七,2026/11/10\nCWK-2026-0001-7,归还,2026/11/4,,\n' >again-today.csv
run asset-log -r reg.csv apply --today 2026-12-01 again-today.csv
check_status "a loan to another borrower on the same day and its return are recorded" 0
# A later loan of the same asset is a new list, not a repeat.
printf '资产编号,事项,日期,借用人,归还日期\nCWK-2026-0001-7,借出,2026/11/6,陈静,2026/11/10\n' >later.csv
run asset-log -r reg.csv apply --today 2026-12-01 later.csv
check_status "a loan on another day is not taken for a repeat" 0

# ---- asset-tag writes no value finer than a fen into the register ----
fresh
cp reg.csv reg.before
printf '资产名称,资产类别,数量,单价,购置日期,使用部门,责任人,存放地点\n笔记本电脑,电子设备,2,4999.995,2026-11-20,办公室,张伟,301室\n' >buy.csv
run asset-tag -r reg.csv buy.csv
check_status "a unit price of 4999.995 is refused" 2
check_grep "... naming its line and why" '^asset-tag: buy.csv:2: unit price "4999.995" is finer than a fen (two decimals)' "$T/err"
check "the register is unchanged" cmp -s reg.csv reg.before
sed -i 's/4999.995/4999.990/' buy.csv
run asset-tag -r reg.csv buy.csv
check_status "4999.990 (a fen, with a trailing zero) is taken" 0
run asset-log -r reg.csv summary
check_status "and asset-log reads the register it wrote" 0
check_grep "two laptops of 4999.99 each are counted" '^办公室,张伟,fixed,in-use,3,15199.98$' "$T/out"

# ---- a status column added to a Chinese register is Chinese ----
printf '资产编号,资产名称,资产类别,原值,购置日期,使用年限,使用部门,责任人,存放地点\nBGS-2026-0001-O,电脑,电子设备,5200,2026-01-12,3,办公室,张伟,301室\n' >zh.csv
run asset-log -r zh.csv lend --today 2026-12-01 --to 小李 --due 2026-12-20 BGS-2026-0001-O
check_status "a loan on a register without a status column" 0
check_grep "the column added is headed 状态" '^资产编号,资产名称,资产类别,原值,购置日期,使用年限,使用部门,责任人,存放地点,状态$' zh.csv
check_grep "and holds 借出" '^BGS-2026-0001-O,电脑,电子设备,5200,2026-01-12,3,办公室,张伟,301室,借出$' zh.csv
run asset-log -r zh.csv check
check_status "and reads back in agreement with the journal" 0

# ---- a list saved with tabs says so ----
printf 'tag\tevent\tlocation\nBGS-2026-0001-O\ttransfer\t302\n' >t.tsv
run asset-log -r zh.csv apply t.tsv
check_status "a tab-separated list is refused" 2
check_grep "... saying the header is one cell with tabs" ': the header is one cell with tabs in it: save the file as CSV with commas (逗号分隔)$' "$T/err"

# ---- "today" is the office's zone's, whatever zone the machine runs in ----
# The office 14 hours east of UTC, the machine 12 hours west: their dates
# always differ (26 hours apart), so the event's default date says whose.
fresh
printf '[calendar]\ntimezone = Etc/GMT-14\n' >east.ini
office=$(TZ=Etc/GMT-14 date +%F)
run env TZ=Etc/GMT+12 asset-log -c east.ini -r reg.csv transfer --location 303室 BGS-2026-0001-O
check_status "an event recorded by a machine in another zone" 0
check_grep "its date is the office's today, not the machine's" "^1,[^,]*,$office,BGS-2026-0001-O,transfer," reg.csv.journal
run env TZ=Etc/GMT+12 asset-log -c east.ini -r reg.csv holder --date "$office" BGS-2026-0001-O
check_status "holder --date the office's today is not 'after today'" 0

# ---- the value column under the names offices give it ----
printf '资产编号,资产名称,资产类型,原值（元）,使用部门,状态\nA1,电脑,fixed,7200.00,办公室,丢失\n' >v.csv
run asset-log -r v.csv summary
check_grep "原值（元） is the value column" '^total,,,,1,7200.00$' "$T/out"
printf '资产编号,资产名称,资产类型,账面原值,使用部门,状态\nA1,电脑,fixed,7200.00,办公室,丢失\n' >v.csv
run asset-log -r v.csv missing
check_grep "账面原值 too" '^total,1,,,,,7200.00,$' "$T/out"
printf '资产编号,资产名称,资产类型,原值（万元）,使用部门,状态\nA1,电脑,fixed,0.72,办公室,丢失\n' >v.csv
run asset-log -r v.csv missing
check_status "a value in 万元 is no value column: the report still runs" 1
check_grep "... and warns that every value counts as 0.00" \
	'^asset-log: v.csv:1: warning: no value column (原值, 原值(元), 资产原值, 账面原值, 金额, value ...): every value counts as 0.00; rename the column$' "$T/err"

# ---- one department typed in two cases is one department ----
fresh
run asset-log -r reg.csv lend --today 2026-12-01 --to A --due 2026-12-03 --date 2026-12-01 --borrower-department finance GO-2026-0001-Q
check_status "a loan to 'finance'" 0
run asset-log -r reg.csv lend --today 2026-12-01 --to B --due 2026-12-03 --date 2026-12-01 --borrower-department Finance CWK-2026-0001-7
check_status "a loan to 'Finance'" 0
run asset-log -r reg.csv overdue --as-of 2026-12-05 --notices fin
check_status "both late" 1
check "one notice for the one department" test "$(ls fin/*.txt | wc -l)" = 1
check "recipients has one line" test "$(wc -l <fin/recipients)" = 1
check "both loans name the department alike" test "$(cut -d, -f6 "$T/out" | sed 1d | sort -u | wc -l)" = 1

# ---- apply: 序号, a list with no rows, cells of another event ----
fresh
printf '序号,资产编号,事项,日期,存放地点\n1,XXZX-2026-0001-J,变更地点,2026-11-03,机房B\n' >s.csv
run asset-log -r reg.csv apply --today 2026-12-01 s.csv
check_status "a list with a 序号 column is taken (the column is the sheet's)" 0
check_grep "... and its event recorded" '^1,[^,]*,2026-11-03,XXZX-2026-0001-J,transfer,.*,机房B,' reg.csv.journal
before=$(snap)
printf '资产编号,事项,日期\r\n' >h.csv
run asset-log -r reg.csv apply --today 2026-12-01 h.csv
check_status "a header and no rows (a day with no changes) is done: status 0" 0
check_same "... silent, for cron" /dev/null "$T/err"
check "... and nothing recorded" test "$(snap)" = "$before"
printf '资产编号,事项,日期,借用人\nBGS-2026-0002-M,归还,2026-11-04,丙\n' >r.csv
run asset-log -r reg.csv apply --today 2026-12-01 r.csv
check_status "a borrower on a return row is refused" 2
check_grep "... naming the line, the column and both events" \
	'^asset-log: r.csv:2: column 4 (借用人) "丙" belongs to lend, not to return: clear the cell, or give the row.s event$' "$T/err"
printf '资产编号,事项,日期,存放地点,处置方式\nBGS-2026-0002-M,调拨,2026-11-04,仓库,出售\n' >m.csv
run asset-log -r reg.csv apply --today 2026-12-01 m.csv
check_status "a disposal method on a transfer row is refused" 2
check_grep "... saying the method is a disposal's" 'belongs to dispose, not to transfer' "$T/err"
check "nothing recorded by either" test "$(snap)" = "$before"

# ---- an option given twice; a lent asset the stock-take marked missing ----
fresh
before=$(snap)
run asset-log -r reg.csv transfer --today 2026-12-01 --location 301室 --location 302室 GO-2026-0001-Q
check_status "--location given twice with two places is refused" 2
check_grep "... naming both" '^asset-log: --location given twice ("301室" and "302室"): give it once$' "$T/err"
check "nothing changed" test "$(snap)" = "$before"
run asset-log -r reg.csv lend --today 2026-12-01 --date 2026-11-01 --to 甲 --due 2026-11-04 CWK-2026-0001-7
sed -i 's/^\(CWK-2026-0001-7,.*\),lent,/\1,丢失,/' reg.csv
run asset-log -r reg.csv return --today 2026-12-01 CWK-2026-0001-7
check_status "the return of an asset the register says is missing is refused" 2
check_grep "... saying what to do if it is back" 'is missing (the stock-take did not find it): if it is back, set its status cell back to what the journal has (asset-log check shows it), then record this$' "$T/err"
run asset-log -r reg.csv depreciation --from 2026/1 --to 2026年2月
check_status "depreciation months as Excel writes them" 0
check_grep "... January and February 2026 reported" ',2026-02,' "$T/out"

# ---- a category the government guide does not name is said, once ----
printf '资产编号,资产名称,资产类别,资产类型,原值,购置日期,使用年限,使用部门\nBGS-2026-0001-O,台式电脑,电子设备,fixed,7200,2026-01-05,3,办公室\nBGS-2026-0002-M,桌,furniture,fixed,7200,2026-01-05,5,办公室\n' >cat.csv
run asset-log -r cat.csv depreciation --from 2026-01 --to 2026-01
check_status "depreciation over categories of the office's own naming" 0
check_grep "... warns that their lives go unchecked, naming one and the way out" \
	'^asset-log: cat.csv:2: warning: 2 fixed assets in categories the government guide (财会〔2017〕4号) does not name, such as "电子设备" on this line: their lives are not checked against its least; name the guide.s life in \[depreciation.lives\] (电子设备 = 6)$' "$T/err"
check_grep "7200.00 over the cell's 3 years: 200.00 a month" '^BGS-2026-0001-O,.*,2026-01,200.00,' "$T/out"
printf '[depreciation.lives]\n电子设备 = 6\nfurniture = 15\n' >lives.ini
run asset-log -c lives.ini -r cat.csv depreciation --from 2026-01 --to 2026-01
check "named in [depreciation.lives]: no such warning" sh -c "! grep -q 'does not name' '$T/err'"

# ---- closed standard output and input (cron, >&- <&-) ----
fresh
run sh -c 'asset-log -r reg.csv summary >&-'
check_status "a report to a closed standard output is refused" 2
check_grep "... saying the output would be lost" '^asset-log: standard output is closed: the output would be lost; give -o FILE$' "$T/err"
run sh -c 'asset-log -r reg.csv summary -o s.csv >&-'
check_status "with -o it is written" 0
check_grep "... the file has the report" '^total,' s.csv
run sh -c 'asset-log -r reg.csv apply <&-'
check_status "apply with standard input closed and no file is refused" 2
check_grep "... saying to give the list" '^asset-log: no list of events: give it as a file' "$T/err"
run sh -c 'inventory-diff reg.csv "$1" >&-' sh "$TOP/examples/stocktake/team-a.csv"
check_status "another command's report to a closed output: refused too" 2

# ---- a list with several problems: all of them at once, nothing recorded ----
fresh
run asset-log -r reg.csv transfer --today 2026-12-01 --date 2026-11-01 --location 206室 CWK-2026-0001-7
check_status "a first event, so the journal exists" 0
before=$(snap)
# Form: a month 13, a misspelt event, a borrower on a return.
printf 'tag,event,date,location,borrower,due\nBGS-2026-0001-O,return,2026-11-20,,,\nBGS-2026-0002-M,lend,2026-13-20,,陈静,\nCWK-2026-0001-7,transfer,2026-11-20,207室,,\nBGS-2026-0001-X,tranfser,2026-11-20,208室,,\nXXZX-2026-0001-J,return,2026-11-21,,张三,\n' >form.csv
run asset-log -r reg.csv apply --today 2026-12-01 form.csv
check_status "three rows of bad form: refused" 2
check_grep "... the first, line 3" '^asset-log: form.csv:3: bad date "2026-13-20"' "$T/err"
check_grep "... the second, line 5" '^asset-log: form.csv:5: unknown event "tranfser"' "$T/err"
check_grep "... the third, line 6" '^asset-log: form.csv:6: column 5 (borrower) "张三" belongs to lend, not to return' "$T/err"
check_grep "... and the count, saying the events come after" '^asset-log: 3 rows of the wrong form: nothing recorded (the events are checked against the register once these are put right)$' "$T/err"
check "... every file as it was" test "$(snap)" = "$before"
# Against the register: a return of what is not lent (twice), a loan
# without its due date, a wrong check character; the good transfer on
# line 4 is checked but not recorded.
printf 'tag,event,date,location,borrower,due\nBGS-2026-0001-O,return,2026-11-20,,,\nBGS-2026-0002-M,lend,2026-11-20,,陈静,\nCWK-2026-0001-7,transfer,2026-11-20,207室,,\nBGS-2026-0001-X,transfer,2026-11-20,208室,,\nXXZX-2026-0001-J,return,2026-11-21,,,\n' >legal.csv
run asset-log -r reg.csv apply --today 2026-12-01 legal.csv
check_status "four refused events: refused" 2
check_grep "... line 2" '^asset-log: legal.csv:2: cannot return "BGS-2026-0001-O": it is not lent$' "$T/err"
check_grep "... line 3" '^asset-log: legal.csv:3: lend of "BGS-2026-0002-M" without a due date$' "$T/err"
check_grep "... line 5, with the tag it may have meant" '^asset-log: legal.csv:5: unknown tag "BGS-2026-0001-X".*did you mean "BGS-2026-0001-O"' "$T/err"
check_grep "... line 6" '^asset-log: legal.csv:6: cannot return "XXZX-2026-0001-J": it is not lent$' "$T/err"
check "... not the good line 4" sh -c "! grep -q 'legal.csv:4:' '$T/err'"
check_grep "... and the count" '^asset-log: 4 problems in all: nothing recorded$' "$T/err"
check "... every file as it was" test "$(snap)" = "$before"
# What the journal's own rules refuse is listed too: a transfer dated
# before the asset's last event (2026-11-01).
printf 'tag,event,date,location
CWK-2026-0001-7,transfer,2026-10-20,207室
BGS-2026-0001-O,return,2026-11-20,
' >order.csv
run asset-log -r reg.csv apply --today 2026-12-01 order.csv
check_status "an event before the last, and a return of what is not lent" 2
check_grep "... the first" '^asset-log: order.csv:2: transfer of "CWK-2026-0001-7" dated 2026-10-20, before its last event (2026-11-01)$' "$T/err"
check_grep "... the second" '^asset-log: order.csv:3: cannot return "BGS-2026-0001-O": it is not lent$' "$T/err"
# A row refused is as if not in the list: its return is then refused too.
printf 'tag,event,date,borrower,due\nBGS-2026-0002-M,lend,2026-11-20,陈静,\nBGS-2026-0002-M,return,2026-11-25,,\n' >chain.csv
run asset-log -r reg.csv apply --today 2026-12-01 chain.csv
check_status "a loan refused and its return" 2
check_grep "... the return follows from the refused loan" '^asset-log: chain.csv:3: cannot return "BGS-2026-0002-M": it is not lent$' "$T/err"
# One problem: said alone, as before, with no count.
printf 'tag,event,date\nBGS-2026-0001-O,return,2026-11-20\n' >one.csv
run asset-log -r reg.csv apply --today 2026-12-01 one.csv
check_status "one refused event" 2
check "... no count for a single problem" sh -c "! grep -q 'problems in all' '$T/err'"
check "... one line of message" test "$(wc -l <"$T/err")" -eq 1
# 25 problems: the first and 20 more shown, the rest counted.
{ echo 'tag,event,date'; i=0; while [ $i -lt 25 ]; do echo 'BGS-2026-0001-O,return,2026-13-20'; i=$((i + 1)); done; } >many.csv
run asset-log -r reg.csv apply --today 2026-12-01 many.csv
check_status "25 rows dated in a month 13" 2
check "... 21 of them shown" test "$(grep -c 'bad date' "$T/err")" -eq 21
check_grep "... the last shown is line 22" '^asset-log: many.csv:22: bad date' "$T/err"
check_grep "... the rest counted" '^asset-log: and 4 more problems not shown$' "$T/err"
check_grep "... and all of them" '^asset-log: 25 rows of the wrong form: nothing recorded' "$T/err"
check "... every file as it was" test "$(snap)" = "$before"

# ---- a space typed around a department is no new department ----
fresh
# 办公室 with a trailing space, a full-width space before it, a no-break
# space after: all three are the one 办公室 of the other rows.
nbsp=$(printf '\302\240')
sed -e '3s/,办公室,/,办公室 ,/' -e '4s/,办公室,/,　办公室,/' -e "5s/,办公室,/,办公室$nbsp,/" reg.csv >sp.csv
check "the test register has the three spellings" test "$(grep -c "办公室 ,\\|　办公室,\\|办公室$nbsp," sp.csv)" -eq 3
run asset-log -r sp.csv summary --by-department
check_status "summary of a register with spaces around names" 0
check "... one 办公室 total, not several" test "$(grep -c '办公室.*,\*,\*,\*,' "$T/out")" -eq 1
check_grep "... counting all three of its assets" '^办公室,\*,\*,\*,3,12100.00$' "$T/out"
run asset-log -r sp.csv lend --today 2026-12-01 --date 2026-11-20 --to 陈静 --due 2026-11-30 BGS-2026-0001-O
check_status "a loan of an asset whose cell has the space" 0
run asset-log -r sp.csv overdue --as-of 2026-12-01
check_grep "... the borrower's department is 办公室, without the space" '^BGS-2026-0001-O,.*,陈静,办公室,2026-11-20,' "$T/out"

# ---- overdue writes the value as an amount, as summary does ----
fresh
sed 's/,26000.00,/,"¥26,000.00",/' reg.csv >yen.csv
check "the test register has the value as Excel shows money" grep -q '"¥26,000.00"' yen.csv
run asset-log -r yen.csv lend --today 2026-12-01 --date 2026-11-02 --to 陈静 --due 2026-11-10 XXZX-2026-0001-J
check_status "a loan of the switch" 0
run asset-log -r yen.csv overdue --as-of 2026-12-01
check_status "overdue finds it late" 1
check_grep "... its value 26000.00, a number to a spreadsheet" '^XXZX-2026-0001-J,.*,2026-11-10,21,26000.00$' "$T/out"

# ---- holder and depreciation over an acquisition date Excel turned into a number ----
fresh
sed 's/,5200.00,2026-01-12,/,5200.00,46034,/' reg.csv >serial.csv
check "the test register has the day number" grep -q ',46034,' serial.csv
run asset-log -r serial.csv holder --date 2020-01-01 BGS-2026-0001-O
check_status "holder answers from the register" 0
check_grep "... warning that the acquisition could not be checked, and why" \
	'^asset-log: serial.csv:3: warning: "BGS-2026-0001-O": its acquisition date "46034" is not a date (an Excel day number: format the column as a date): whether it was acquired by 2020-01-01 is not checked$' "$T/err"
run asset-log -r serial.csv depreciation --from 2026-03 --to 2026-03
check_grep "depreciation names the day number as Excel's" \
	'^asset-log: serial.csv:3: warning: no valid acquisition date (.*45992 is Excel.s day number: format the column as a date): 1 fixed asset left out' "$T/err"

# ---- a file name one character off: the file it may have meant ----
fresh
cp reg.csv 资产台账.csv
run asset-log -r 资产台帐.csv summary
check_status "a register name with 帐 for 账 is not found" 2
check_grep "... and the message names the file beside it" '^asset-log: 资产台帐.csv: cannot open: .* (did you mean 资产台账.csv?)$' "$T/err"
run inventory-diff 资产台帐.csv "$EX/stocktake/team-a.csv"
check_status "inventory-diff the same" 2
check_grep "... with the same hint" '^inventory-diff: 资产台帐.csv: .* (did you mean 资产台账.csv?)$' "$T/err"
run asset-log -r 资产台帐.csv history BGS-2026-0001-O
check_grep "history, which can answer from the journal alone, warns with the hint" '^asset-log: 资产台帐.csv: warning: cannot open: .*; the journal alone answers (did you mean 资产台账.csv?)$' "$T/err"
run asset-log -r nothing-like-it.csv summary
check_status "a name like no file here" 2
check "... no hint then" sh -c "! grep -q 'did you mean' '$T/err'"

# ---- getopt's messages name the command and its subcommand ----
run asset-log apply -o x.csv
check_status "apply has no -o" 2
check_grep "... said by asset-log apply, not by apply" "^asset-log apply: invalid option -- 'o'$" "$T/err"

# ---- a space typed inside a Chinese event word ----
fresh
printf '资产编号,事项,日期,借用人,归还日期\nBGS-2026-0001-O,送 修,2026/11/5,,\nBGS-2026-0001-O,修　复,2026/11/6,,\nCWK-2026-0001-7, 借 出 ,2026/11/6,陈静,2026/11/20\n' >sp-ev.csv
run asset-log -r reg.csv apply --today 2026-12-01 sp-ev.csv
check_status "送 修, 修　复 and 借 出 are the events they say" 0
check_grep "... the repair recorded" ',BGS-2026-0001-O,repair,' reg.csv.journal
check_grep "... the loan recorded" ',CWK-2026-0001-7,lend,' reg.csv.journal
printf '资产编号,事项,日期\nBGS-2026-0001-O,送 货,2026/11/7\n' >sp-bad.csv
run asset-log -r reg.csv apply --today 2026-12-01 sp-bad.csv
check_status "送 货 is still no event" 2
check_grep "... named as typed" '^asset-log: sp-bad.csv:2: unknown event "送 货"' "$T/err"

# ---- inventory-diff names a register's total row as such ----
fresh
{ cat reg.csv; echo '合计,,,,214800.00,,,,,,,,'; } >tot.csv
cp tot.csv tot.before
run inventory-diff -u tot.csv tot.csv "$EX/stocktake/team-a.csv"
check_status "a register whose last row is 合计 is refused" 2
check_grep "... naming the total row, not an empty or unknown tag" '^inventory-diff: tot.csv:9: the register has a total row (合计): the stock-take would look for it as an asset' "$T/err"
check "... and -u left the register as it was" cmp -s tot.csv tot.before
{ cat reg.csv; echo ',,,,214800.00,,,合计：,,,,,'; } >tot2.csv
run inventory-diff tot2.csv "$EX/stocktake/team-a.csv"
check_grep "the word in another cell of a row without a tag too" '^inventory-diff: tot2.csv:9: the register has a total row (合计)' "$T/err"

# ---- Excel's day numbers named as such in options and in doc-route ----
fresh
run asset-log -r reg.csv lend --today 2026-12-01 --to 陈静 --due 46020 BGS-2026-0001-O
check_status "--due 46020 is refused" 2
check_grep "... as Excel's day number" '^asset-log: --due "46020" is not a date (.*46020 is Excel.s day number' "$T/err"
printf '[doc-route]\njournal = dr.journal\n' >dr.ini
printf 'direction,type,title,received\nin,notice,关于开展安全检查的通知,46000\n' >docs.csv
run doc-route -c dr.ini register --at "2026-11-23 08:30" docs.csv
check_status "doc-route: a received date of 46000 is refused" 2
check_grep "... as Excel's day number" '^doc-route: docs.csv:2: received date "46000" is not a date (.*an Excel day number: format the column as a date)$' "$T/err"

# ---- a value that a spreadsheet would run as a formula stays out of the register ----
fresh
before=$(snap)
run asset-log -r reg.csv transfer --today 2026-12-01 --custodian '=HYPERLINK("http://example.com","张伟")' BGS-2026-0001-O
check_status "a custodian starting with = is refused" 2
check_grep "... saying a spreadsheet would run it" "^asset-log: custodian \"=HYPERLINK(.*)\" for \"BGS-2026-0001-O\" would be run as a formula by a spreadsheet opening the register (it starts with '=')" "$T/err"
check "... the register as it was" test "$(snap)" = "$before"
printf 'tag,event,date,location\nBGS-2026-0001-O,transfer,2026-11-20,@SUM(1+1)\n' >f.csv
run asset-log -r reg.csv apply --today 2026-12-01 f.csv
check_status "a location starting with @ in a list is refused" 2
check_grep "... naming the line" "^asset-log: f.csv:2: location \"@SUM(1+1)\"" "$T/err"
run asset-log -r reg.csv transfer --today 2026-12-01 --location "-2+3+cmd|' /C calc'!A0" BGS-2026-0001-O
check_status "a location starting with - that calls a program is refused" 2
run asset-log -r reg.csv transfer --today 2026-12-01 --custodian '+86 13800000000' --location '@会议室' BGS-2026-0001-O
check_status "a phone number and an @ place are text, recorded" 0
check_grep "... in the register" '^BGS-2026-0001-O,.*,+86 13800000000,@会议室,' reg.csv

# ---- overdue on a past day: a loan late then and returned since is no hand edit ----
fresh
run asset-log -r reg.csv lend --today 2026-12-01 --date 2026-11-02 --to 陈静 --due 2026-11-10 BGS-2026-0002-M
run asset-log -r reg.csv return --today 2026-12-01 --date 2026-11-20 BGS-2026-0002-M
check_status "a loan, returned late" 0
run asset-log -r reg.csv overdue --as-of 2026-11-15
check_status "as of 11-15 it was late" 1
check_grep "... listed" '^BGS-2026-0002-M,.*,陈静,' "$T/out"
check "... with no warning that the register was changed by hand" sh -c "! grep -q 'changed by hand' '$T/err'"

# ---- a no-break space after a status or a tag ----
fresh
nbsp=$(printf '\302\240')
sed "3s/,in-use,/,in-use$nbsp,/" reg.csv >nb.csv
check "the test register has in-use and a no-break space" grep -q "in-use$nbsp," nb.csv
run asset-log -r nb.csv repair --today 2026-12-01 --date 2026-11-20 BGS-2026-0001-O
check_status "an event on it: the status is in-use" 0
printf 'tag,event,date\nBGS-2026-0001-O%s,repaired,2026-11-21\n' "$nbsp" >nb-list.csv
run asset-log -r nb.csv apply --today 2026-12-01 nb-list.csv
check_status "a list whose tag has a no-break space after it" 0

# ---- a journal named with -j one character off ----
fresh
cp reg.csv 资产台账.csv
run asset-log -r 资产台账.csv transfer --today 2026-12-01 --location 206室 CWK-2026-0001-7
check_status "a first event starts 资产台账.csv.journal" 0
before=$(cat 资产台账.csv 资产台账.csv.journal | sha256sum)
run asset-log -r 资产台账.csv -j 资产台帐.csv.journal transfer --today 2026-12-01 --location 207室 CWK-2026-0001-7
check_status "-j 资产台帐.csv.journal (帐 for 账) is refused" 2
check_grep "... naming the journal it may have meant" '^asset-log: 资产台帐.csv.journal: no such journal (did you mean 资产台账.csv.journal?)' "$T/err"
check "... no second journal started" test ! -e 资产台帐.csv.journal
check "... register and journal as they were" test "$(cat 资产台账.csv 资产台账.csv.journal | sha256sum)" = "$before"
run asset-log -r 资产台账.csv -j 资产台帐.csv.journal check
check_status "a report with it is refused too" 2

done_testing
