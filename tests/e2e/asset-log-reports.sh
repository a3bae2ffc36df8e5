#!/bin/sh
# asset-log's reports where they used to mislead: a register edited by hand
# (借出 typed into the status cell with no event), notices left from an
# earlier run after the loan came back, holder asked about the future, a
# report that fails late, COMMAND --help with nothing set up, the exit
# statuses the man page promises, and overdue --as-of a past day.  Every
# expected value here was worked out by hand from the register below.
. "$TOP/tests/e2e/lib.sh"
D="$DATA/asset-log"

# ---- COMMAND --help needs no register and no configuration ----
mkdir bare && cd bare || exit 2
printf 'not an ini file\n' >broken.ini
for sub in transfer lend return repair repaired dispose apply history holder check \
	rebuild summary overdue missing depreciation; do
	run asset-log "$sub" --help
	check_status "$sub --help with no register and no configuration" 0
	check_grep "$sub --help prints the usage on stdout" '^usage: asset-log ' "$T/out"
done
run asset-log -c broken.ini overdue --help
check_status "overdue --help with a broken configuration still helps" 0
run asset-log -c broken.ini overdue
check_status "but overdue itself with the broken configuration is status 2" 2
check_grep "naming the configuration's line" '^asset-log: broken.ini:1: ' "$T/err"
run asset-log summary
check_status "summary with no register is still status 2" 2
check_grep "and says how to name one" 'give -r REGISTER' "$T/err"
check "nothing was created by the --help runs" test "$(ls)" = broken.ini
cd "$T" || exit 2

# ---- a report that fails late leaves no partial output ----
# Row 7 (the last) has the value "abc": every report that sums values
# finds it only after the rows before it.  Depreciation used to have
# written five assets' months to stdout by then.
export OFFICEADM_CONFIG="$D/officeadm.ini"
cp "$D/register.csv" late.csv
echo 'ZZ-2026-0001-X,坏值,家具,fixed,abc,2026-01-15,5,办公室,李娜,301室,丢失,2026-06-28' >>late.csv
cp late.csv late.before
for rep in "depreciation --from 2026-01 --to 2026-03" "depreciation --by-department" \
	summary "summary --by-department" missing; do
	run asset-log -r late.csv $rep
	check_status "$rep with a bad value on the last row is status 2" 2
	check_same "$rep: nothing on stdout" /dev/null "$T/out"
	check_grep "$rep: the message names the register line" \
		'^asset-log: late.csv:7: value "abc" is not an amount in yuan (1234.50, ¥1,234.50, 1234.5元; at most two decimals, a fen)$' "$T/err"
	printf 'the report of last week\n' >old.csv
	cp old.csv old.before
	run asset-log -r late.csv $rep -o old.csv
	check_status "$rep -o with the bad row is status 2" 2
	check_same "$rep -o leaves the old file byte for byte" old.before old.csv
	check "$rep -o leaves no temporary file" test "$(ls old.csv*)" = old.csv
done
check_same "the register is as it was" late.before late.csv
check "and no journal appeared" test ! -e late.csv.journal
# The same reports on a good register still print (the buffer is written).
run asset-log -r "$D/register.csv" depreciation --from 2026-01 --to 2026-01
check_status "depreciation on the good register" 0
# 6000.00 over 6 years from 2026-01-15 (government basis: the month of
# acquisition counts): 600000 fen / 72 = 8333.3 -> 83.33.
check_grep "prints its rows" '^BGS-2026-0001-O,联想台式电脑,办公室,计算机设备,straight-line,2026-01,83.33,83.33,5916.67$' "$T/out"

# ---- holder: no future, --today, dates as Excel writes them ----
# BGS-2026-0001-O (办公室, 张伟, 301室) lent to 陈静 of 财务科 on 2026-11-03,
# back on 2026-11-26.
cp "$D/register.csv" h.csv
run asset-log -r h.csv lend --today 2026-12-01 --date 2026-11-03 --to 陈静 \
	--borrower-department 财务科 --due 2026-11-20 BGS-2026-0001-O
check_status "holder setup: lend" 0
run asset-log -r h.csv return --today 2026-12-01 --date 2026-11-26 BGS-2026-0001-O
check_status "holder setup: return" 0
cp h.csv h.before
cp h.csv.journal hj.before
run asset-log -r h.csv holder --today 2026-12-01 --date 2026-12-02 BGS-2026-0001-O
check_status "holder --date after --today is refused" 2
check_grep "the refusal names both days" \
	'^asset-log: --date 2026-12-02 is after today (2026-12-01): the journal cannot say who will hold it$' "$T/err"
check_same "and prints no row" /dev/null "$T/out"
run asset-log -r h.csv holder --date 2999-01-01 BGS-2026-0001-O
check_status "holder --date in 2999 is refused without --today too" 2
check_grep "naming the day" '^asset-log: --date 2999-01-01 is after today (' "$T/err"
run asset-log -r h.csv holder --today 2026-11-25 --date 2026-11-26 BGS-2026-0001-O
check_status "a --today in the past moves the limit with it" 2
printf '%s\n' 'tag,date,department,custodian,location,status,borrower,borrower_department,since' \
	'BGS-2026-0001-O,2026-11-05,办公室,张伟,301室,lent,陈静,财务科,2026-11-03' >lent.expected
for d in 2026-11-05 2026/11/5 2026-11-5 2026年11月5日 2026/11/05; do
	run asset-log -r h.csv holder --today 2026-12-01 --date "$d" BGS-2026-0001-O
	check_status "holder --date $d" 0
	check_same "holder --date $d is 2026-11-05: lent to 陈静 since 2026-11-03" lent.expected "$T/out"
done
run asset-log -r h.csv holder --today 2026年11月5日 BGS-2026-0001-O
check_status "holder --today 2026年11月5日 without --date" 0
check_same "answers for that day" lent.expected "$T/out"
printf '%s\n' 'tag,date,department,custodian,location,status,borrower,borrower_department,since' \
	'BGS-2026-0001-O,2026-12-01,办公室,张伟,301室,in-use,,,2026-11-26' >back.expected
run asset-log -r h.csv holder --today 2026/12/1 --date 2026-12-01 BGS-2026-0001-O
check_status "holder --date today itself is allowed" 0
check_same "back in 办公室 since the return of 2026-11-26" back.expected "$T/out"
run asset-log -r h.csv holder --today 2026-12-01 --date 2026-11-31 BGS-2026-0001-O
check_status "holder --date 2026-11-31 (no such day) is refused" 2
check_grep "as not a date" '^asset-log: --date "2026-11-31" is not a date' "$T/err"
run asset-log -r h.csv holder --today yesterday BGS-2026-0001-O
check_status "holder --today yesterday is refused" 2
check_grep "as not a date" '^asset-log: --today "yesterday" is not a date' "$T/err"
check_same "holder leaves the register alone" h.before h.csv
check_same "and the journal" hj.before h.csv.journal

# ---- a status typed into the register by hand ----
# Row 2 BGS-2026-0001-O is lent (record 1) and returned (record 3), then
# someone types 借出 into its cell in Excel; row 4 BGS-2026-0003-K and row 5
# XXZX-2026-0001-3 get 借出 and 维修 with no event at all.  Row 6's 丢失
# (XXZX-2026-0002-1) is what a stock-take writes outside the journal: not a
# difference.
cp "$D/register.csv" e.csv
run asset-log -r e.csv lend --today 2026-12-01 --date 2026-11-03 --to 陈静 \
	--borrower-department 财务科 --due 2026-11-20 BGS-2026-0001-O
check_status "hand edit setup: lend" 0
run asset-log -r e.csv return --today 2026-12-01 --date 2026-11-26 BGS-2026-0001-O
check_status "hand edit setup: return" 0
run asset-log -r e.csv check
check_status "before the hand edit check finds nothing" 0
check_same "and prints nothing" /dev/null "$T/out"
run asset-log -r e.csv overdue --as-of 2026-12-01
check_status "before the hand edit nothing is overdue" 0
sed -e 's/^\(BGS-2026-0001-O,.*\),在用,/\1,借出,/' \
	-e 's/^\(BGS-2026-0003-K,.*\),在用,/\1,借出,/' \
	-e 's/^\(XXZX-2026-0001-3,.*\),在用,/\1,维修,/' e.csv >e.edited && mv e.edited e.csv
check "the hand edit took (three cells)" test "$(grep -c '借出\|维修' e.csv)" = 3
cp e.csv e.before
cp e.csv.journal ej.before
cat >check.expected <<'END'
tag,column,journal,register,detail
BGS-2026-0001-O,status,in-use,借出,journal record 3
BGS-2026-0003-K,status,no-events,借出,no event in the journal: only a lend makes an asset lent (typed in by hand?)
XXZX-2026-0001-3,status,no-events,维修,no event in the journal: only a repair puts an asset in repair (typed in by hand?)
END
run asset-log -r e.csv check
check_status "check finds the hand-typed statuses (status 1)" 1
check_same "naming tag, the journal's value and the register's" check.expected "$T/out"
run asset-log -r e.csv overdue --as-of 2026-12-01
check_status "overdue with 借出 typed by hand is status 1, not silence" 1
check_grep "overdue warns about the asset with no event, at its register line" \
	'^asset-log: e.csv:4: warning: "BGS-2026-0003-K" is 借出 in the register but the journal has no loan of it: no due date is known, so overdue cannot judge it' "$T/err"
check_grep "and about the one the journal left in use" \
	'^asset-log: e.csv:2: warning: "BGS-2026-0001-O" is 借出 in the register but the journal has no loan of it (its last event, record 3, left it in-use): ' "$T/err"
check "the 维修 row is not an overdue matter" sh -c "! grep -q XXZX-2026-0001-3 '$T/err'"
check "two warnings, no more" test "$(wc -l <"$T/err")" = 2
check "no overdue rows (header only)" test "$(wc -l <"$T/out")" = 1
run asset-log -r e.csv overdue --as-of 2026-12-01 --notices en
check_status "with --notices the same status" 1
check "and no notice for a loan with no borrower known" test ! -e en/BGS.txt
check_same "check and overdue leave the register alone" e.before e.csv
check_same "and the journal" ej.before e.csv.journal

# ---- overdue --as-of a past day replays the loans of that day ----
# BGS-2026-0001-O: lent to 陈静 (财务科) 11-03 due 11-10, back 11-20, lent
# again to 赵六 (信息中心) 11-25 due 11-28.  BGS-2026-0002-M: lent to 王五
# (信息中心) 11-15 due 11-18, not back.  Rows sort by borrowing department
# (信息中心 before 财务科 in UTF-8 byte order), then due date.
cp "$D/register.csv" p.csv
P="asset-log -r p.csv"
$P lend --today 2026-12-01 --date 2026-11-03 --to 陈静 --borrower-department 财务科 \
	--due 2026-11-10 BGS-2026-0001-O &&
$P return --today 2026-12-01 --date 2026-11-20 BGS-2026-0001-O &&
$P lend --today 2026-12-01 --date 2026-11-25 --to 赵六 --borrower-department 信息中心 \
	--due 2026-11-28 BGS-2026-0001-O &&
$P lend --today 2026-12-01 --date 2026-11-15 --to 王五 --borrower-department 信息中心 \
	--due 2026-11-18 BGS-2026-0002-M
check "as-of setup: three loans and a return recorded" test $? = 0
cp p.csv p.before
cp p.csv.journal pj.before
H='tag,name,department,custodian,borrower,borrower_department,lent_on,due,days_overdue,value'
R1a='BGS-2026-0001-O,联想台式电脑,办公室,张伟,陈静,财务科,2026-11-03,2026-11-10'
R1b='BGS-2026-0001-O,联想台式电脑,办公室,张伟,赵六,信息中心,2026-11-25,2026-11-28'
R2='BGS-2026-0002-M,惠普激光打印机,办公室,李娜,王五,信息中心,2026-11-15,2026-11-18'
printf '%s\n' "$H" "$R1a,2,6000.00" >asof12.expected
printf '%s\n' "$H" "$R2,1,3600.00" "$R1a,9,6000.00" >asof19.expected
printf '%s\n' "$H" "$R2,4,3600.00" >asof22.expected
printf '%s\n' "$H" "$R2,13,3600.00" "$R1b,3,6000.00" >asof01.expected
run $P overdue --as-of 2026-11-12
check_status "--as-of 11-12: the first loan was late then (status 1)" 1
check_same "--as-of 11-12 lists it with 陈静, 2 days, though it came back later" asof12.expected "$T/out"
run $P overdue --as-of 2026/11/19
check_status "--as-of 2026/11/19" 1
check_same "--as-of 11-19: both loans of that day, the later loan of 0001 not yet made" \
	asof19.expected "$T/out"
run $P overdue --as-of 2026年11月22日
check_status "--as-of 2026年11月22日" 1
check_same "--as-of 11-22: 0001 is back (11-20), 0002 4 days late" asof22.expected "$T/out"
run $P overdue --as-of 2026-12-01
check_status "--as-of 12-01 (after every event)" 1
check_same "--as-of 12-01: the second loan of 0001 (赵六), 3 days" asof01.expected "$T/out"
run $P overdue --as-of 2026-11-08
check_status "--as-of 11-08: nothing due yet" 0
check_same "and nothing printed" /dev/null "$T/out"
run $P overdue --as-of 2026-11-19 --notices asof
check_status "--as-of 11-19 --notices" 1
check_grep "the notice of that day goes to 财务科 for 陈静's loan" '借用人：陈静' asof/CWK.txt
check_grep "and to 信息中心 for 王五's" '借用人：王五' asof/XXZX.txt
check "信息中心's notice does not name 赵六's later loan" sh -c "! grep -q 赵六 asof/XXZX.txt"
check_same "overdue --as-of leaves the register alone" p.before p.csv
check_same "and the journal" pj.before p.csv.journal

# ---- overdue --notices: notices of loans that came back do not stay ----
# 0001 lent to 陈静 (财务科, notice CWK.txt), 0002 to 王五 (信息中心,
# XXZX.txt), both due 11-20.  The directory also holds files that are not
# this command's: a README, a note that quotes the mark in its body, a
# 督办 notice of doc-route (another subject), a link named .txt; and a
# notice of an earlier version (subject 催还：, base64 5YKs6L+Y77ya, no
# mark) to 后勤服务中心 that nobody owes anything now.
cp "$D/register.csv" n.csv
N="asset-log -r n.csv"
$N lend --today 2026-12-01 --date 2026-11-03 --to 陈静 --borrower-department 财务科 \
	--due 2026-11-20 BGS-2026-0001-O &&
$N lend --today 2026-12-01 --date 2026-11-03 --to 王五 --borrower-department 信息中心 \
	--due 2026-11-20 BGS-2026-0002-M
check "notices setup: two loans" test $? = 0
mkdir nd
printf 'notices for the heads, sent by cron\n' >nd/README.txt
printf 'Subject: how it works\n\nEach notice has the line\nX-Officeadm-Notice: asset-log overdue\n' >nd/notes.txt
printf 'To: =?UTF-8?B?546L5Li75Lu7?= <wang@example.org>\nSubject: =?UTF-8?B?552j5Yqe?=\n\n督办\n' >nd/BGS.txt
printf 'Subject: =?UTF-8?B?5YKs6L+Y77ya5ZCO5Yuk?=\nMIME-Version: 1.0\n\n后勤服务中心：\n' >nd/HQFW.txt
ln -s README.txt nd/link.txt
mkdir keep && cp -P nd/README.txt nd/notes.txt nd/BGS.txt nd/link.txt keep/
same_others() {
	for f in README.txt notes.txt BGS.txt; do
		cmp -s "keep/$f" "nd/$f" || return 1
	done
	test "$(readlink nd/link.txt)" = README.txt
}
run $N overdue --as-of 2026-11-25 --notices nd
check_status "notices: two late loans (status 1)" 1
check "a notice for 财务科 and one for 信息中心" test -f nd/CWK.txt -a -f nd/XXZX.txt
check_grep "each notice carries the mark in its header" '^X-Officeadm-Notice: asset-log overdue$' nd/CWK.txt
check "the mark is before the empty line that ends the header" \
	sh -c "sed '/^\$/q' nd/XXZX.txt | grep -q '^X-Officeadm-Notice: asset-log overdue\$'"
check "the earlier version's notice to 后勤服务中心 is removed" test ! -e nd/HQFW.txt
check "the files that are not notices of asset-log are left byte for byte" same_others
printf 'XXZX.txt\tchen@example.gov.cn\t陈主任\t信息中心\nCWK.txt\tlihm@example.gov.cn\t李红梅\t财务科\n' >rcpt1.expected
check_same "recipients lists the two notices" rcpt1.expected nd/recipients
run $N return --today 2026-12-01 --date 2026-11-26 BGS-2026-0001-O
check_status "财务科's loan comes back" 0
run $N overdue --as-of 2026-11-27 --notices nd
check_status "one late loan left (status 1)" 1
check "财务科's old notice is gone" test ! -e nd/CWK.txt
check_grep "信息中心's notice stays, now 7 days" '已逾期 7 天' nd/XXZX.txt
printf 'XXZX.txt\tchen@example.gov.cn\t陈主任\t信息中心\n' >rcpt2.expected
check_same "recipients lists 信息中心 only" rcpt2.expected nd/recipients
check "the other files are still left alone" same_others
run $N return --today 2026-12-01 --date 2026-11-28 BGS-2026-0002-M
check_status "信息中心's loan comes back" 0
run $N overdue --as-of 2026-11-29 --notices nd
check_status "nothing late: status 0" 0
check_same "nothing on stdout" /dev/null "$T/out"
check "no notice of asset-log is left" test ! -e nd/XXZX.txt -a ! -e nd/CWK.txt
check_same "recipients is empty: no notice to send" /dev/null nd/recipients
check "and still the other files are left alone" same_others
check "no temporary files are left" sh -c "! ls nd | grep -q tmp"
run $N overdue --as-of 2026-11-29 --notices fresh
check_status "nothing late into a directory that does not exist" 0
check "does not create it" test ! -e fresh
# A failed run changes neither the notices nor the -o file.
run $N overdue --as-of 2026-11-25 --notices nd
check_status "as of 11-25 both loans were late again" 1
mkdir ndk && cp -p nd/* ndk/ 2>/dev/null
printf 'last report\n' >od.csv
cp od.csv od.before
run $N overdue --as-of 2026-11-29 --notices nd -o no/such/dir/od.csv
check_status "an -o in a missing directory is status 2" 2
check "and the old notices stay (nothing was committed)" test -f nd/CWK.txt -a -f nd/XXZX.txt
check_same "recipients as it was" ndk/recipients nd/recipients
printf 'not a directory\n' >plain
run $N overdue --as-of 2026-11-25 --notices plain -o od.csv
check_status "--notices naming a regular file is status 2" 2
check_grep "saying which" 'plain' "$T/err"
check_same "the -o file is left as it was" od.before od.csv
check "no temporary file beside it" test "$(ls od.csv*)" = od.csv

# ---- the exit statuses asset-log(1) promises, command by command ----
# (check's and overdue's 1 are proved above.)
cp "$D/register.csv" x.csv
X="asset-log -r x.csv"
run $X missing
check_status "missing: XXZX-2026-0002-1 is 丢失, so status 1" 1
check_grep "and it is listed with its value" '^XXZX-2026-0002-1,交换机,信息中心,陈晓东,机房,fixed,8000.00,2026-06-28$' "$T/out"
grep -v '^XXZX-2026-0002-1,' x.csv >nomiss.csv
run asset-log -r nomiss.csv missing
check_status "missing with nothing missing: status 0" 0
check_same "and silent" /dev/null "$T/out"
run $X summary
check_status "summary: status 0 (never 1)" 0
# 6000 + 3600 + 450 + 26000 + 8000 = 44050.00 over 5 assets.
check_grep "summary's total row" '^total,,,,5,44050.00$' "$T/out"
run $X lend --today 2026-12-01 --date 2026-11-03 --to 陈静 --borrower-department 财务科 \
	--due 2026-11-20 BGS-2026-0001-O
check_status "lend: status 0" 0
run $X transfer --today 2026-12-01 --date 2026-11-04 --location 202室 BGS-2026-0002-M
check_status "transfer: status 0" 0
run $X return --today 2026-12-01 BGS-2026-0003-K
check_status "a refused event: status 2" 2
run $X history BGS-2026-0003-K
check_status "history of a registered tag without events: status 0" 0
check "... the header alone" test "$(cat "$T/out")" = "$(head -1 x.csv.journal | sed 's/,chain$//')"
check "... which names the columns" test "$(cut -d, -f1-5 "$T/out")" = "seq,time,date,tag,event"
check_grep "... and a note saying so" '^asset-log: x.csv.journal: no events of "BGS-2026-0003-K" yet: its row in the register is all there is$' "$T/err"
run $X history BGS-2026-9999-X
check_status "history of a tag in neither file: status 2" 2
check_grep "saying so" '^asset-log: no events of "BGS-2026-9999-X" in x.csv.journal, and it is not in x.csv' "$T/err"
run $X history BGS-2026-0001-O
check_status "history: status 0" 0
run $X rebuild -o rb0.csv
check_status "rebuild when the register has every tag: status 0" 0
check_same "and the rebuilt register is the register" x.csv rb0.csv
grep -v '^BGS-2026-0001-O,' x.csv >short.csv
run asset-log -r short.csv -j x.csv.journal rebuild -o rb1.csv
check_status "rebuild when the journal names a tag the register lacks: status 1" 1
check_grep "the message counts it" '^asset-log: 1 tags of the journal are not in short.csv$' "$T/err"
check_same "the rest is rebuilt (nothing to change)" short.csv rb1.csv
run $X rebuild -o x.csv
check_status "rebuild over the register itself: status 2" 2
run $X check
check_status "check after recorded events only: status 0" 0
sed 's/^\(XXZX-2026-0001-3,.*\),在用,/\1,报废,/' x.csv >dep.csv
cp x.csv.journal dep.csv.journal
cp x.csv.journal.state dep.csv.journal.state 2>/dev/null
run asset-log -r dep.csv depreciation --from 2026-02 --to 2026-02
check_status "depreciation with an asset left out is still status 0" 0
check_grep "with a warning naming its line" \
	'^asset-log: dep.csv:5: warning: disposed with no disposal date in the journal: 1 asset left out' "$T/err"
run asset-log -r dep.csv check
check_status "报废 with no event is not a difference (disposed before the journal)" 0

done_testing
