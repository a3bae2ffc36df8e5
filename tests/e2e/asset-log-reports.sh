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

done_testing
