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
		'^asset-log: late.csv:7: value "abc" is not an amount in yuan$' "$T/err"
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

done_testing
