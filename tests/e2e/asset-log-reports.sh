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

done_testing
