#!/bin/sh
# config-repeat.sh - a key given twice in one section of officeadm.ini is
# an error naming both lines, for every command (iniparser alone would keep
# the last value and say nothing: a second holidays = line dropped 2026's
# 国庆).  A section given twice is merged; a key repeated across its parts
# is caught too.
. "${TOP:-.}/tests/e2e/lib.sh"

cat >rep.ini <<'INI'
[calendar]
holidays = 2026-10-01..2026-10-07
extra_workdays = 2026-10-10

[calendar]
holidays = 2027-01-01
INI
printf 'tag,name\n' >empty.csv
for cmd in "asset-tag -c rep.ini empty.csv" "inventory-diff -c rep.ini empty.csv empty.csv" \
	"doc-route -c rep.ini -j j.journal status" "meeting-sched -c rep.ini empty.csv"; do
	run $cmd
	check_status "${cmd%% *}: repeated key is status 2" 2
	check_grep "${cmd%% *}: both lines named" \
		'rep.ini:6: key "holidays" of \[calendar\] is given twice, on lines 2 and 6' "$T/err"
done
check "nothing written" test ! -e j.journal
done_testing
