#!/bin/sh
# meeting-sched as a new secretary uses it: requests typed in Excel (its
# date forms, empty rows, a file that lost its rows), leaders' calendars
# exported from Outlook and Google, and a careless command line.  Each
# check failed on the code before its fix.
. "$TOP/tests/e2e/lib.sh"
EX="$TOP/examples"
C="-c $EX/officeadm.ini"
P="$EX/meetings/people.csv"

# ---- Excel's date forms ----
# A date column in Excel on Chinese Windows is saved as 2026/5/7 (or as
# 2026年5月7日 with the long date format), a date-time as 2026/5/6 9:00.
# They were refused ("not a date or date-time"); they mean what they say.
cat >xl.csv <<'EOF'
编号,议题,时长,参会人员,优先级,最早,最晚,开始时间
X1,甲,1小时,钱丽华,1,2026/5/7,2026/5/7,
X2,乙,90分钟,孙建军,1,2026年5月8日,2026年5月8日,
X3,丙,1小时,周敏,1,,,2026/5/6 9:00
X4,丁,1.5h,赵志刚,1,2026/5/11 14:00,2026/5/11 15:30:00,
EOF
printf '人员,开始,结束\n钱丽华,2026/5/7 8:30,2026/5/7 12:00\n孙建军,2026年5月8日,2026年5月8日 10:00\n' >xl-busy.csv
run meeting-sched $C -p "$P" -b xl-busy.csv xl.csv
check_status "Excel dates: all placed" 0
# By hand: 钱丽华 is busy on the morning of 05-07, so X1 starts at 14:00;
# 孙建军 until 10:00 on 05-08; X3 stays where it was fixed; X4 fills its
# window 14:00..15:30 exactly.
cat >xl-want.csv <<'EOF'
X3,丙,2026-05-06,09:00,10:00
X1,甲,2026-05-07,14:00,15:00
X2,乙,2026-05-08,10:00,11:30
X4,丁,2026-05-11,14:00,15:30
EOF
cut -d, -f1-5 "$T/out" | tail -n +2 >xl-got.csv
check_same "Excel dates: 2026/5/7, 2026年5月8日, 2026/5/6 9:00 read as dates" xl-want.csv xl-got.csv
# A date cell saved as a number (a column formatted as 常规) cannot be
# read: the message says what it is.
sed 's#2026/5/11 14:00#46148#' xl.csv >serial.csv
run meeting-sched $C -p "$P" serial.csv
check_status "Excel day number: status 2" 2
check_grep "Excel day number: says so, with its line" \
	'serial.csv:5: earliest "46148" is a spreadsheet day number, not a date' "$T/err"
# Month first is ambiguous and stays refused; a fixed start needs a time.
sed 's#2026/5/6 9:00#5/6/2026 9:00#' xl.csv >us.csv
run meeting-sched $C -p "$P" us.csv
check_grep "month-first date refused with its line" 'us.csv:4: start "5/6/2026 9:00" is not a date-time' "$T/err"
sed 's#2026/5/6 9:00#2026/5/6#' xl.csv >notime.csv
run meeting-sched $C -p "$P" notime.csv
check_grep "fixed start without a time refused" 'notime.csv:4: start "2026/5/6" is not a date-time' "$T/err"

# ---- a requests file without requests ----
# A header alone (the rows were lost when saving, or a filter hid them)
# was an empty schedule with status 0 -- and with --previous it cancelled
# every meeting of the week, silently.
head -1 "$EX/meetings/requests.csv" >hdr.csv
SOURCE_DATE_EPOCH=1777600000 meeting-sched $C -p "$P" --ics week.ics -o week.csv \
	"$EX/meetings/requests.csv" 2>/dev/null
run meeting-sched $C -p "$P" --previous week.ics --ics week2.ics --cancel cancel.ics \
	--today 2026-05-05 -o week2.csv hdr.csv
check_status "header-only requests: status 2" 2
check_grep "header-only requests: says there are none" 'hdr.csv: no requests below the header' "$T/err"
check "header-only requests: no cancellations written" test ! -e cancel.ics
# Rows of bare commas (Excel's formatted empty cells) are no requests
# either; below real rows they are skipped, not "empty id".
{ cat hdr.csv; echo ',,,,,,,,,,,'; } >commas.csv
run meeting-sched $C -p "$P" commas.csv
check_grep "bare-comma rows alone: no requests" 'commas.csv: no requests below the header' "$T/err"
{ cat "$EX/meetings/requests.csv"; echo ',,,,,,,,,,,'; echo ' , ,,,,,,,,,,'; } >trailing.csv
{ cat "$EX/meetings/busy.csv"; echo ',,'; } >busy-commas.csv
run meeting-sched $C -p "$P" -b busy-commas.csv -o trailing-out.csv trailing.csv
check_status "trailing bare-comma rows are skipped" 0
run meeting-sched $C -p "$P" -b "$EX/meetings/busy.csv" -o plain-out.csv "$EX/meetings/requests.csv"
check_same "trailing bare-comma rows change nothing" plain-out.csv trailing-out.csv

# ---- all-day events marked free ----
# Outlook and Google save an all-day event as free (TRANSP:TRANSPARENT)
# unless someone sets it to busy: a leader's trip entered that way left him
# free for meetings, without a word.  Transparent stays not busy (RFC 5545),
# but the all-day ones are now reported; a timed transparent event (a
# reminder) is not.
printf '%s\r\n' 'BEGIN:VCALENDAR' 'VERSION:2.0' 'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN' \
	'BEGIN:VEVENT' 'UID:trip' 'DTSTAMP:20260420T000000Z' 'DTSTART;VALUE=DATE:20260507' \
	'DTEND;VALUE=DATE:20260509' 'SUMMARY:赴省厅汇报（出差）' 'TRANSP:TRANSPARENT' \
	'X-MICROSOFT-CDO-BUSYSTATUS:FREE' 'END:VEVENT' \
	'BEGIN:VEVENT' 'UID:duty' 'DTSTAMP:20260420T000000Z' 'DTSTART;VALUE=DATE:20260415' \
	'DTEND;VALUE=DATE:20260416' 'RRULE:FREQ=WEEKLY' 'SUMMARY:值班' 'TRANSP:TRANSPARENT' 'END:VEVENT' \
	'BEGIN:VEVENT' 'UID:note' 'DTSTAMP:20260420T000000Z' \
	'DTSTART;TZID=China Standard Time:20260506T080000' \
	'DTEND;TZID=China Standard Time:20260506T120000' 'SUMMARY:阅文' 'TRANSP:TRANSPARENT' 'END:VEVENT' \
	'END:VCALENDAR' >zhao-outlook.ics
printf '编号,议题,时长,参会人员,优先级,最早,最晚\nT1,汇报,1小时,赵志刚,1,2026-05-07,2026-05-08\n' >trip.csv
run meeting-sched $C -p "$P" --busy-of 赵志刚 zhao-outlook.ics trip.csv
check_status "free all-day events: still not busy (status 0)" 0
check_grep "free all-day events: meeting on the trip day, as the file says" '^T1,汇报,2026-05-07,08:30,' "$T/out"
# By hand: in the window (05-07 .. 05-08) the trip is the only one (the
# weekly duty falls on 05-06 and 05-13); its UID is on line 5.
check_grep "free all-day events: warned with the first, its line and a count" \
	'zhao-outlook.ics:5: warning: 1 all-day event marked free (TRANSP:TRANSPARENT' "$T/err"
check_grep "free all-day events: the first named" 'the first "赴省厅汇报（出差）" on 2026-05-07' "$T/err"
check "free timed event: not reported" test "$(grep -c 'warning' "$T/err")" -eq 1
# A week with the duty twice and the trip: three, the first the duty.
printf '编号,议题,时长,参会人员,优先级,最早,最晚
T1,汇报,1小时,赵志刚,1,2026-05-06,2026-05-13
' >trip2.csv
run meeting-sched $C -p "$P" --busy-of 赵志刚 zhao-outlook.ics trip2.csv
check_grep "free all-day events: recurrences counted in the window" \
	'zhao-outlook.ics:14: warning: 3 all-day events marked free.*the first "值班" on 2026-05-06' "$T/err"

# ---- --busy-of without the person ----
# "--busy-of zhao.ics requests.csv" took zhao.ics for the person and the
# requests for his calendar, then waited for requests on standard input.
run meeting-sched $C --busy-of zhao-outlook.ics trip.csv </dev/null
check_status "--busy-of FILE alone: usage error" 2
check_grep "--busy-of FILE alone: says the person comes first" \
	'--busy-of "zhao-outlook.ics": a person, then the file' "$T/err"
run meeting-sched $C trip.csv --busy-of 赵志刚 -p "$P" </dev/null
check_status "--busy-of PERSON then an option: usage error" 2
check_grep "--busy-of PERSON then an option: says what it needs" '--busy-of needs PERSON and FILE' "$T/err"

# ---- a misspelt name in busy.csv, without a people file ----
# With -p the row of 赵志钢 (for 赵志刚) is skipped with a warning; without
# it the row was taken for a new person, silently, and 赵志刚 stayed free.
{ cat "$EX/meetings/busy.csv"; echo '赵志钢,2026-05-06 08:30,2026-05-06 12:00'; echo '赵志钢,2026-05-07,2026-05-07'; } >busy-typo.csv
run meeting-sched $C -b busy-typo.csv "$EX/meetings/requests.csv"
check_grep "busy row of a name in no request: warned with line and count" \
	'busy-typo.csv:6: warning: "赵志钢" is in no request: 2 busy rows for nobody being planned' "$T/err"
check "busy rows of people in the requests: no warning" test "$(grep -c warning "$T/err")" -eq 1

# ---- withdrawing a meeting of a published calendar ----
# Without addresses the invitations are a METHOD:PUBLISH calendar; a
# meeting dropped on the re-run was "cancelled" with METHOD:CANCEL without
# ORGANIZER or ATTENDEE, which RFC 5546 (3.2.5) does not allow.  A
# published calendar withdraws an event by publishing it with
# STATUS:CANCELLED.  The re-run is on 2026-05-05, before the week (--today),
# so that the test means the same whatever the date it runs on.
grep -v '^organizer' "$EX/officeadm.ini" >noorg.ini
cut -d, -f1 "$P" >people-nomail.csv
awk -F, 'BEGIN { OFS = "," } { $11 = ""; print }' "$EX/meetings/requests.csv" >req-pub.csv
grep -v '^HY-10,' req-pub.csv >req-pub2.csv
SOURCE_DATE_EPOCH=1777600000 meeting-sched -c noorg.ini -p people-nomail.csv --ics pub.ics \
	-o pub.csv req-pub.csv 2>/dev/null
check_grep "no addresses: a published calendar" '^METHOD:PUBLISH' pub.ics
run env SOURCE_DATE_EPOCH=1777700000 meeting-sched -c noorg.ini -p people-nomail.csv \
	--previous pub.ics --ics pub2.ics --cancel pubc.ics --today 2026-05-05 -o pub2.csv \
	req-pub2.csv
check_status "published re-run: all placed" 0
check "published withdrawal: no METHOD:CANCEL" test "$(grep -c '^METHOD:CANCEL' pubc.ics)" -eq 0
check_grep "published withdrawal: METHOD:PUBLISH" '^METHOD:PUBLISH' pubc.ics
check_grep "published withdrawal: STATUS:CANCELLED" '^STATUS:CANCELLED' pubc.ics
check_grep "published withdrawal: HY-10" '^X-OFFICEADM-ID:HY-10' pubc.ics
check "published withdrawal: no ATTENDEE" test "$(grep -c '^ATTENDEE' pubc.ics)" -eq 0
if command -v khal >/dev/null 2>&1; then
	mkdir -p khal/cal
	printf '[calendars]\n[[work]]\npath = %s/khal/cal\ntype = calendar\n[locale]\ntimeformat = %%H:%%M\ndateformat = %%Y-%%m-%%d\nlongdateformat = %%Y-%%m-%%d\ndatetimeformat = %%Y-%%m-%%d %%H:%%M\nlongdatetimeformat = %%Y-%%m-%%d %%H:%%M\nlocal_timezone = Asia/Shanghai\ndefault_timezone = Asia/Shanghai\n' "$T" >khal/config
	for f in pub.ics pub2.ics pubc.ics; do
		khal -c khal/config import --batch -a work "$f" >/dev/null 2>&1
	done
	khal -c khal/config list --format '{start-date},{start-time},{title},{status}' \
		2026-05-06 2026-05-13 2>/dev/null | grep '^2026' | sed 's/ *$//' | sort >khal.txt
	# The new schedule, confirmed, and HY-10 as it was, cancelled.
	{ tail -n +2 pub2.csv | awk -F, '{ print $3 "," $4 "," $2 ",CONFIRMED" }'
	  awk -F, '$1 == "HY-10" { print $3 "," $4 "," $2 ",CANCELLED" }' pub.csv; } | sort >khal-want.txt
	check "published withdrawal: the schedule is non-empty" test -s pub2.csv
	check_same "published withdrawal: khal ends with the new schedule and HY-10 cancelled" \
		khal-want.txt khal.txt
fi

run meeting-sched --help
check_grep "--help names Excel's dates" '2026/5/6 9:00' "$T/out"

done_testing
