#!/bin/sh
# asset-log end to end: every event and what it does to the register,
# every refusal leaving register and journal byte for byte alone, a
# department's move from a CSV, history and holder, check and rebuild,
# the reports (summary, missing, overdue with notices), depreciation, a
# tampered journal, and events a dead writer left uncommitted.  The
# expected files in tests/data/asset-log were worked out by hand (the
# depreciation figures are explained in tests/unit/test_depreciation.c).
. "$TOP/tests/e2e/lib.sh"
D="$DATA/asset-log"
export OFFICEADM_CONFIG="$D/officeadm.ini"
cp "$D/register.csv" reg.csv
AL="asset-log -r reg.csv"
TODAY="--today 2026-12-01"

run asset-log --version
check_status "version exits 0" 0
check_grep "version names the program" '^asset-log (officeadm)' "$T/out"
run asset-log --help
check_status "help exits 0" 0
run asset-log frobnicate
check_status "unknown command is status 2" 2
run asset-log summary
check_status "no register is status 2" 2
check_grep "no register is explained" 'give -r REGISTER' "$T/err"

# Reports on the register as it comes.
run $AL summary
check_status "summary" 0
check_same "summary: count and value per department, custodian, class, status" \
	"$D/summary.expected" "$T/out"
run $AL missing
check_status "missing assets are findings (status 1)" 1
check_same "missing lists the lost assets and their value" "$D/missing.expected" "$T/out"
run $AL depreciation --from 2026-01 --to 2026-03 --by-department
check_status "depreciation" 0
check_same "depreciation per department and month (government, same month)" \
	"$D/depreciation.expected" "$T/out"

# A refused first event leaves no journal behind.
run $AL return $TODAY BGS-2026-0001-O
check_status "a refused first event is status 2" 2
check "and leaves no journal" test ! -e reg.csv.journal
check "nor a state file" test ! -e reg.csv.journal.state
check "and the register as it was" cmp -s "$D/register.csv" reg.csv

# transfer
run $AL transfer $TODAY --date 2026-11-02 --department 信息中心 --custodian 王五 \
	--location 201室 BGS-2026-0002-M
check_status "transfer" 0
check_grep "transfer changes department, custodian and location" \
	'^BGS-2026-0002-M,惠普激光打印机,办公设备,fixed,3600.00,2026-02-01,3,信息中心,王五,201室,在用,2026-06-28$' reg.csv
grep -v '^BGS-2026-0002-M' "$D/register.csv" >others.before
grep -v '^BGS-2026-0002-M' reg.csv >others.after
check_same "transfer leaves the other rows alone" others.before others.after
check "the journal is created mode 600" test "$(stat -c %a reg.csv.journal)" = 600
check_grep "the journal starts with its header" \
	'^seq,time,date,tag,event,actor,department,custodian,location,status,from_department,' reg.csv.journal
check_grep "each run ends with a commit record" '^2,[-0-9 :]*,,,commit,asset-log,' reg.csv.journal

# lend, overdue with notices, return
run $AL lend $TODAY --by 王秘书 --date 2026-11-03 --to 陈静 --borrower-department 财务科 \
	--due 2026-11-20 BGS-2026-0001-O
check_status "lend" 0
check_grep "lend sets the status, in the register's words" '^BGS-2026-0001-O,.*,301室,借出,' reg.csv
run $AL overdue --as-of 2026-11-25 --notices notices
check_status "an overdue loan is a finding (status 1)" 1
check_same "overdue lists the loan past its due date" "$D/overdue.expected" "$T/out"
check_grep "the notice goes to the borrowing department's head" \
	'^To: =?UTF-8?B?5p2O57qi5qKF?= <lihm@example.gov.cn>$' notices/CWK.txt
check_grep "the notice names the borrower" '借用人：陈静' notices/CWK.txt
check_grep "recipients lists the notice" "$(printf '^CWK.txt\tlihm@example.gov.cn\t李红梅\t财务科$')" \
	notices/recipients
run $AL overdue --as-of 2026-11-20
check_status "a loan due today is not overdue" 0
check_same "nothing overdue: silent, for cron" /dev/null "$T/out"
run $AL return $TODAY --date 2026-11-26 BGS-2026-0001-O
check_status "return" 0
check_grep "return restores in-use" '^BGS-2026-0001-O,.*,301室,在用,' reg.csv
run $AL overdue --as-of 2026-12-01
check_status "returned: nothing overdue" 0

# repair and back, disposal of a missing asset (盘亏)
run $AL repair $TODAY --date 2026-11-27 XXZX-2026-0001-3
check_status "repair" 0
check_grep "repair sets 维修" '^XXZX-2026-0001-3,.*,机房,维修,' reg.csv
run $AL repaired $TODAY --date 2026-11-28 XXZX-2026-0001-3
check_status "repaired" 0
check_grep "repaired restores 在用" '^XXZX-2026-0001-3,.*,机房,在用,' reg.csv
run $AL dispose $TODAY --date 2026-11-29 --method 报废 --reason 盘亏 --approver 周局长 \
	--document 示行服〔2026〕21号 XXZX-2026-0002-1
check_status "dispose" 0
check_grep "dispose sets 报废" '^XXZX-2026-0002-1,.*,机房,报废,' reg.csv
check_grep "the journal keeps method, reason, approver and document" \
	',dispose,,信息中心,陈晓东,机房,disposed,信息中心,陈晓东,机房,missing,,,,scrap,盘亏,周局长,示行服〔2026〕21号,,' reg.csv.journal

# Refusals: status 2, a message, nothing changed.
cp reg.csv reg.before
cp reg.csv.journal journal.before
refuse() {
	_name=$1 _re=$2
	shift 2
	run "$@"
	check_status "$_name: status 2" 2
	check_grep "$_name: says why" "$_re" "$T/err"
	check "$_name: register untouched" cmp -s reg.before reg.csv
	check "$_name: journal untouched" cmp -s journal.before reg.csv.journal
}
refuse "return of an asset not lent" 'cannot return "BGS-2026-0002-M": it is not lent' \
	$AL return $TODAY BGS-2026-0002-M
refuse "repaired of an asset not in repair" 'it is not in repair' \
	$AL repaired $TODAY BGS-2026-0002-M
refuse "transfer of a disposed asset" 'cannot transfer "XXZX-2026-0002-1": it was disposed of' \
	$AL transfer $TODAY --location 仓库 XXZX-2026-0002-1
refuse "unknown tag" 'unknown tag "NOPE-1"' $AL transfer $TODAY --location 仓库 NOPE-1
refuse "unknown department" 'unknown department "财务处" (did you mean "财务科")' \
	$AL transfer $TODAY --department 财务处 BGS-2026-0002-M
refuse "a transfer that changes nothing" 'changes nothing' \
	$AL transfer $TODAY --custodian 王五 BGS-2026-0002-M
refuse "a date in the future" 'in the future' \
	$AL transfer $TODAY --date 2026-12-02 --custodian 赵六 BGS-2026-0002-M
refuse "a date before the tag's last event" 'before its last event (2026-11-02)' \
	$AL transfer $TODAY --date 2026-11-01 --custodian 赵六 BGS-2026-0002-M
refuse "lend without a due date" 'without a due date' $AL lend $TODAY --to 陈静 BGS-2026-0002-M
refuse "dispose without the approval document" 'without the approval document number' \
	$AL dispose $TODAY --method 出售 --reason 老旧 --approver 周局长 BGS-2026-0002-M
refuse "an option that does not belong to the event" '--department belongs to transfer, not to return' \
	$AL return $TODAY --department 办公室 BGS-2026-0001-O
refuse "two tags, the second illegal: neither recorded" 'cannot transfer "XXZX-2026-0002-1"' \
	$AL transfer $TODAY --location 仓库 BGS-2026-0001-O XXZX-2026-0002-1
refuse "a batch from CSV with an illegal row" 'move-bad.csv:3: cannot transfer "XXZX-2026-0002-1"' \
	$AL apply $TODAY "$D/move-bad.csv"
refuse "the register as the report's output" 'cannot also take the output' \
	$AL summary -o reg.csv

# A department's move from a CSV.
run $AL apply $TODAY "$D/move.csv"
check_status "apply a CSV of events" 0
check_grep "apply moved the first asset" '^BGS-2026-0001-O,.*,信息中心,王五,201室,在用,' reg.csv
check_grep "apply moved the second asset" '^BGS-2026-0003-K,.*,信息中心,王五,201室,在用,' reg.csv

# History and holder (the record time column left out: it is the clock's).
run $AL history BGS-2026-0001-O
check_status "history" 0
cut -d, -f1,3- "$T/out" >history.out
check_same "history lists the tag's events with before and after" "$D/history.expected" history.out
run $AL holder --date 2026-11-10 BGS-2026-0001-O
check_status "holder" 0
check_same "holder on a date in a loan names the borrower" "$D/holder.expected" "$T/out"
run $AL history NOPE-1
check_status "history of a tag without events is status 2" 2

# check and rebuild
run $AL check
check_status "check: register and journal agree" 0
check_same "check: agreement is silent" /dev/null "$T/out"
run $AL check -o check.csv
check_grep "check -o writes the header all the same" '^tag,column,journal,register,detail$' check.csv
cp reg.csv reg.good
sed -i 's/^\(BGS-2026-0003-K,.*\),王五,/\1,赵六,/' reg.csv
run $AL check
check_status "check: a hand edit is a finding (status 1)" 1
check_grep "check names tag, column and both values" '^BGS-2026-0003-K,custodian,王五,赵六,journal record 14$' "$T/out"
run $AL rebuild -o rebuilt.csv
check_status "rebuild" 0
check_same "rebuild from the journal undoes the hand edit" reg.good rebuilt.csv
cp reg.good reg.csv

# Depreciation stops with the disposal (government: not in the month it leaves).
run $AL depreciation --from 2026-10 --to 2026-11
check_status "depreciation per asset" 0
check_grep "the disposed switch depreciates until the month before disposal" \
	'^XXZX-2026-0002-1,交换机,信息中心,计算机设备,straight-line,2026-10,111.11,' "$T/out"
check "and not in the month it is disposed of" sh -c "! grep -q '^XXZX-2026-0002-1,.*,2026-11,' '$T/out'"
check "low-value items are not depreciated" sh -c "! grep -q '^BGS-2026-0003-K' '$T/out'"
check_grep "an asset counts where it was that month: October in 办公室" \
	'^BGS-2026-0002-M,惠普激光打印机,办公室,办公设备,straight-line,2026-10,100.00,' "$T/out"
check_grep "and November, after its transfer on 11-02, in 信息中心" \
	'^BGS-2026-0002-M,惠普激光打印机,信息中心,办公设备,straight-line,2026-11,100.00,' "$T/out"

# The last batch cut off is found by the state file.
check "the state file is mode 600" test "$(stat -c %a reg.csv.journal.state)" = 600
cp reg.csv.journal journal.good
head -n -2 journal.good >reg.csv.journal
run $AL history BGS-2026-0001-O
check_status "records removed at the end: status 2" 2
check_grep "records removed at the end: says so" 'records were removed at the end' "$T/err"
cp journal.good reg.csv.journal

# A tampered journal is refused with its line.
cp reg.csv.journal journal.good
sed -i '4s/王秘书/李秘书/' reg.csv.journal
run $AL history BGS-2026-0001-O
check_status "a changed journal record is status 2" 2
check_grep "the chain names the line" 'reg.csv.journal:4: the hash chain breaks here' "$T/err"
cp journal.good reg.csv.journal

# A journal larger than the 4 MiB window it is read through (25,000 events
# from the benchmark's generator, whose chain Python computes): it reads
# whole, and a damaged record past the first window is named by its line.
mkdir big
python3 "$TOP/bench/asset-log/gen.py" 3125 25000 big/reg.csv big/j.journal
check "the generated journal is past the window" test "$(stat -c %s big/j.journal)" -gt 5000000
BIG="$BIN/asset-log -c $T/empty.ini -r big/reg.csv -j big/j.journal"
: >"$T/empty.ini"
run $BIG check
check_status "a 5 MB journal agrees with its register" 0
check "and check finds nothing" test ! -s "$T/out"
cp big/j.journal big/good
sed -i '24000s/职工/职员/' big/j.journal
run $BIG check
check_status "a record changed past the window: status 2" 2
check_grep "named by its line" 'j.journal:24000: the hash chain breaks here' "$T/err"
cp big/good big/j.journal
sed -i '24001s/办公室/\xff/' big/j.journal
run $BIG check
check_status "invalid UTF-8 past the window: status 2" 2
check_grep "named by its own line (the CSV reader's message)" 'j.journal:24001: invalid UTF-8' "$T/err"
cp big/good big/j.journal
sed -i '24002s/,王秘书,/,王"秘书,/' big/j.journal
run $BIG check
check_status "a stray quote past the window: status 2" 2
check_grep "named by its line" 'j.journal:24002: quote inside unquoted field 6' "$T/err"
cp big/good big/j.journal
sed -i '24003s/^/\n/' big/j.journal
run $BIG check
check_status "an empty line: status 2" 2
check_grep "named by its line" 'j.journal:24003: an empty line' "$T/err"
cp big/good big/j.journal

# A department typed in another case is recorded as the register spells it,
# so that the summary counts it once.
mkdir dcase
cat >dcase/reg.csv <<'EOF2'
tag,name,category,department,custodian,location,value,acquired,status
A0000001,desk,furniture,General Office,Zhang,101,1200,2026-01-05,in use
A0000002,chair,furniture,Finance,Li,102,300,2026-01-05,in use
EOF2
DC="$BIN/asset-log -c $T/empty.ini -r dcase/reg.csv -j dcase/j.csv"
run $DC transfer --today 2026-02-01 --department finance A0000001
check_status "a transfer to 'finance' is taken" 0
check_grep "the register gets the register's spelling" '^A0000001,desk,furniture,Finance,' dcase/reg.csv
check_grep "and so does the journal" '^1,[^,]*,2026-02-01,A0000001,transfer,[^,]*,Finance,Zhang,101,in-use,General Office,' dcase/j.csv
run $DC transfer --today 2026-02-02 --department 'general office' A0000001
check_status "a department the register no longer names is unknown" 2
check_grep "and says so" 'unknown department "general office"' "$T/err"
printf '[departments]\nGeneral Office = BGS\nFinance = CWK\n' >dcase/d.ini
run $BIN/asset-log -c dcase/d.ini -r dcase/reg.csv -j dcase/j.csv transfer --today 2026-02-02 --department 'FINANCE' A0000002
check_status "with [departments] too" 2
check_grep "a transfer to the department it is in changes nothing" 'changes nothing' "$T/err"
run $BIN/asset-log -c dcase/d.ini -r dcase/reg.csv -j dcase/j.csv lend --today 2026-02-02 --to Wang --borrower-department 'FINANCE' --due 2026-03-01 A0000002
check_status "a loan with [departments]" 0
check_grep "records the borrower's department as the register spells it" '^[0-9]*,[^,]*,2026-02-02,A0000002,lend,.*,Wang,Finance,2026-03-01,' dcase/j.csv

# A writer killed between its two journal writes: readers leave the events
# out and say so; the next writer commits them (the register shows them).
cp reg.csv.journal.state state.before
run $AL transfer $TODAY --location 202室 BGS-2026-0002-M
check_status "one more transfer" 0
head -n -1 reg.csv.journal >j.tmp && cat j.tmp >reg.csv.journal
cp state.before reg.csv.journal.state
run $AL check
check_status "check reports uncommitted events (status 1)" 1
check_grep "check says how many and where" 'never committed' "$T/out"
check_grep "and warns" 'warning: 1 events at the end were never committed' "$T/err"
run $AL transfer $TODAY --location 203室 BGS-2026-0002-M
check_status "the next writer settles them" 0
run $AL check
check_status "then all is committed and agrees" 0

# kill -9 at any moment: whatever a killed run left (a register renamed but
# no commit, events without a renamed register, a temporary file), the next
# run settles it, and register and journal agree.
cp "$D/register.csv" k.csv
i=0
while [ $i -lt 40 ]; do
	asset-log -r k.csv transfer $TODAY --date 2026-11-01 --location "K$i" BGS-2026-0002-M \
		>/dev/null 2>&1 &
	pid=$!
	sleep "0.0$((i % 10))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	i=$((i + 1))
done
run asset-log -r k.csv transfer $TODAY --date 2026-11-02 --location 最后 BGS-2026-0002-M
check_status "after 40 kill -9, the next run records" 0
run asset-log -r k.csv check
check_status "after 40 kill -9, register and journal agree" 0
check_grep "and the last event is in the register" '^BGS-2026-0002-M,.*,最后,在用,' k.csv
check "no temporary file is left" sh -c '! ls k.csv.tmp.* >/dev/null 2>&1'

done_testing
