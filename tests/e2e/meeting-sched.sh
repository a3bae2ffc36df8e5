#!/bin/sh
# meeting-sched end to end: a schedule worked out by hand (holiday, 调休
# Saturday, fixed meeting, optional attendee, unplaced with its reason),
# free slots, the invitations imported by khal and calcurse, bad input,
# a random instance verified by the independent checker of bench/, and the
# example week of the bureau's leaders.
. "$TOP/tests/e2e/lib.sh"
D="$DATA/meeting-sched"
EX="$TOP/examples"
C="-c $D/officeadm.ini"

run meeting-sched --version
check_status "version exits 0" 0
check_grep "version names the program" '^meeting-sched (officeadm)' "$T/out"
run meeting-sched --help
check_status "help exits 0" 0
check_grep "help lists --free" '--free PEOPLE' "$T/out"
run meeting-sched --bogus
check_status "unknown option is status 2" 2

# The hand-worked schedule (expected.csv): A1 waits for 张三 until 09:30;
# A2 (15 seats) goes to the large room at 14:00 as A1 has the morning;
# A6 is fixed on Tuesday 08:30, so A3 (赵六) follows at 10:00; A4 on the
# 调休 Saturday; A5 asks for the Wednesday holiday only.
run meeting-sched $C -p "$D/people.csv" -b "$D/busy.csv" --from 2026-03-02 \
	-u unplaced.csv --ics publish.ics -o schedule.csv -v "$D/requests.csv"
check_status "an unplaced request is status 1" 1
check_same "schedule sorted by time" "$D/expected.csv" schedule.csv
check_same "unplaced CSV with reason" "$D/expected-unplaced.csv" unplaced.csv
check_grep "unplaced on stderr with file and line" \
	'^meeting-sched: .*requests.csv:6: "A5" not placed: no working day between 2026-03-04 00:00 and 2026-03-05 00:00' "$T/err"
# 10 (A1: 5 * 2) + 28 (A2: 4 * 7) + 6 (A3: 2 * 3) + 80000 (A5, priority 2).
check_grep "objective as worked by hand" '^meeting-sched: objective 80044 ' "$T/err"
# A6 names only 赵六, who has no address: no invitation can be sent for it
# (RFC 5546 REQUEST needs ORGANIZER and ATTENDEE), so the calendar is a
# METHOD:PUBLISH without ATTENDEE lines, and the command says so.
check_grep "no organizer address: METHOD:PUBLISH" '^METHOD:PUBLISH' publish.ics
check "PUBLISH has no ATTENDEE line" test "$(grep -c '^ATTENDEE' publish.ics)" -eq 0
check "PUBLISH has no METHOD:REQUEST" test "$(grep -c '^METHOD:REQUEST' publish.ics)" -eq 0
check_grep "PUBLISH is reported" 'publish.ics: warning: 1 meetings have no organizer address and 1 no attendee address: written as METHOD:PUBLISH' "$T/err"
check_grep "PUBLISH names the people in DESCRIPTION" '^DESCRIPTION:出席: 赵六' publish.ics

# With an address for 赵六 every meeting can be sent: METHOD:REQUEST, and
# 李四 (no address here) is left out of three meetings.
run meeting-sched $C -p "$D/people-mail.csv" -b "$D/busy.csv" --from 2026-03-02 \
	--ics week.ics -o schedule-mail.csv "$D/requests.csv"
check_status "invitations: status 1 (A5)" 1
check_same "the same schedule with other addresses" "$D/expected.csv" schedule-mail.csv
check_grep "attendees without e-mail are reported" '3 attendee entries have no e-mail' "$T/err"
check "every event of a REQUEST has an ORGANIZER" \
	test "$(grep -c '^ORGANIZER' week.ics)" -eq "$(grep -c '^BEGIN:VEVENT' week.ics)"

# The invitations cannot be written (file size limit, SIGXFSZ ignored, so
# write(2) fails with EFBIG): status 2, and the schedule -o FILE keeps its
# old content too.
echo old >sched-old.csv
cp sched-old.csv sched-lim.csv
(trap '' XFSZ; ulimit -f 2; meeting-sched $C -p "$D/people.csv" -b "$D/busy.csv" \
	--from 2026-03-02 --ics lim.ics -o sched-lim.csv "$D/requests.csv" >"$T/out" 2>"$T/err")
status=$?
check_status "--ics over the file size limit: exit 2" 2
check_same "--ics over the file size limit: -o file unchanged" sched-old.csv sched-lim.csv
check "--ics over the file size limit: no invitations file" test ! -e lim.ics

# The same requests as Excel on Chinese Windows saves them: GB18030, CRLF.
iconv -f UTF-8 -t GB18030 "$D/requests.csv" | sed 's/$/\r/' >requests-gb.csv
run meeting-sched $C -p "$D/people.csv" -b "$D/busy.csv" --from 2026-03-02 requests-gb.csv
check_status "GB18030 input" 1
check_same "GB18030 and CRLF give the same schedule" "$D/expected.csv" "$T/out"

# Stable UIDs: the same requests give the same calendar (DTSTAMP fixed).
SOURCE_DATE_EPOCH=1772409600 meeting-sched $C -p "$D/people-mail.csv" -b "$D/busy.csv" \
	--from 2026-03-02 --ics a.ics "$D/requests.csv" >/dev/null 2>&1
SOURCE_DATE_EPOCH=1772409600 meeting-sched $C -p "$D/people-mail.csv" -b "$D/busy.csv" \
	--from 2026-03-02 --ics b.ics "$D/requests.csv" >/dev/null 2>&1
check_same "same input, same invitations" a.ics b.ics
# Next week's batch has an A1 too: another meeting, so another UID (the
# UID of this week's A1 must not be reused, or the client would move it).
sed 's/2026-03-0\([2-7]\)/2026-03-1\1/g' "$D/requests.csv" >requests-next.csv
SOURCE_DATE_EPOCH=1772409600 meeting-sched $C -p "$D/people-mail.csv" \
	--from 2026-03-09 --ics next.ics requests-next.csv >/dev/null 2>&1
uid_a1() { awk '/^UID:/ { u = $0 } /^X-OFFICEADM-ID:A1/ { print u }' "$1"; }
check "UIDs differ between batches" test -n "$(uid_a1 a.ics)" -a "$(uid_a1 a.ics)" != "$(uid_a1 next.ics)"
check "UIDs are unique in a batch" test "$(grep '^UID:' a.ics | sort -u | wc -l)" -eq 5
printf '[calendar]\nholidays = 2026-03-04\nextra_workdays = 2026-03-07\n[meetings]\ngrain = 30\nsearch_seconds = 0.5\nuid_domain = bgt.example.gov.cn\n[rooms]\n小会议室 = 6\n大会议室 = 20\n' >dom.ini
SOURCE_DATE_EPOCH=1772409600 meeting-sched -c dom.ini -p "$D/people-mail.csv" -b "$D/busy.csv" \
	--from 2026-03-02 --ics dom.ics "$D/requests.csv" >/dev/null 2>&1
check "[meetings] uid_domain is the UIDs' domain" \
	test "$(grep -c '^UID:[0-9a-f]\{16\}@bgt.example.gov.cn' dom.ics)" -eq 5
check_grep "DTSTAMP from SOURCE_DATE_EPOCH" '^DTSTAMP:20260302T000000Z' a.ics
check_grep "METHOD:REQUEST" '^METHOD:REQUEST' week.ics
check_grep "event in the calendar's zone" '^DTSTART;TZID=Asia/Shanghai:20260307T083000' week.ics
check_grep "VTIMEZONE present" '^TZID:Asia/Shanghai' week.ics
check_grep "optional attendee" 'ROLE=OPT-PARTICIPANT' week.ics
check "five events" test "$(grep -c '^BEGIN:VEVENT' week.ics)" -eq 5
check "every line ends in CRLF" test "$(grep -vc "$(printf '\r')\$" week.ics)" -eq 0
check "no line longer than 75 octets" \
	test "$(LC_ALL=C awk '{ sub(/\r$/, ""); if (length($0) > 75) n++ } END { print n + 0 }' week.ics)" -eq 0
check "lines are valid UTF-8" iconv -f UTF-8 -t UTF-8 week.ics -o /dev/null

# Real clients import it.
if command -v khal >/dev/null 2>&1; then
	mkdir -p khal/cal
	cat >khal/config <<EOF
[calendars]
[[work]]
path = $T/khal/cal
type = calendar
[locale]
local_timezone = Asia/Shanghai
default_timezone = Asia/Shanghai
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
EOF
	run khal -c khal/config import --batch -a work week.ics
	check_status "khal imports the invitations" 0
	check "khal stored five events" test "$(ls khal/cal | wc -l)" -eq 5
	run khal -c khal/config list 2026-03-07 2026-03-08
	check_grep "khal shows the Saturday meeting at 08:30" '08:30-09:30 周末加班协调会' "$T/out"
else
	not_ok "khal is not installed (Debian package khal)"
fi
if command -v calcurse >/dev/null 2>&1; then
	mkdir calcurse
	run calcurse -D calcurse -i week.ics
	check_status "calcurse imports the invitations" 0
	check_grep "calcurse: five appointments, nothing skipped" '5 apps / 0 events / 0 todos / 0 skipped' "$T/out"
else
	not_ok "calcurse is not installed (Debian package calcurse)"
fi

# A re-run of the batch: A1 moves to Thursday, A4 is withdrawn.  With the
# previous invitations, every meeting keeps its UID, the moved one (A1) gets
# SEQUENCE:1, the others keep 0 (A2 stays on Monday 14:00: A1's 09:30
# would save it (6-2)*(7-2) = 20 of lateness on the 30-minute grid, less
# than move_cost 1000;
# before move_cost it moved there and was sent again), and A4 is
# cancelled (RFC 5546: METHOD:CANCEL, same UID, SEQUENCE raised,
# STATUS:CANCELLED).  Without --cancel the run refuses: nothing is written.
run meeting-sched $C -p "$D/people-mail.csv" -b "$D/busy.csv" --from 2026-03-02 --today 2026-03-01 \
	--previous week.ics --ics week2.ics -o sched2.csv "$D/requests-2.csv"
check_status "a dropped meeting without --cancel is status 2" 2
check_grep "the dropped meeting is reported" '1 meetings of week.ics are no longer placed: name a --cancel FILE' "$T/err"
check "nothing written without --cancel" test ! -e week2.ics -a ! -e sched2.csv
run meeting-sched $C -p "$D/people-mail.csv" -b "$D/busy.csv" --from 2026-03-02 --today 2026-03-01 \
	--previous week.ics --ics week.ics "$D/requests-2.csv"
check_status "--previous may not be the new --ics" 2
run meeting-sched $C -p "$D/people-mail.csv" -b "$D/busy.csv" --from 2026-03-02 --today 2026-03-01 \
	--previous week.ics --ics week2.ics --cancel cancel.ics -o sched2.csv "$D/requests-2.csv"
check_status "re-run: status 1 (A5)" 1
seq_of() { awk -v id="$2" '/^BEGIN:VEVENT/ { s = ""; u = "" } /^SEQUENCE:/ { s = $0 } /^UID:/ { u = $0 }
	$0 == "X-OFFICEADM-ID:" id "\r" { i = 1 } /^END:VEVENT/ { if (i) print u " " s; i = 0 }' "$1" | tr -d '\r'; }
check "A1 keeps its UID" test "$(uid_a1 week.ics)" = "$(uid_a1 week2.ics)"
check "moved A1: SEQUENCE 1" test "$(seq_of week2.ics A1 | sed 's/.* //')" = SEQUENCE:1
check "unchanged A2: SEQUENCE 0, same UID" test "$(seq_of week2.ics A2)" = "$(seq_of week.ics A2)"
check "unchanged A2: Monday 14:00 as before" grep -q '^A2,全体会议,2026-03-02,14:00,16:00,大会议室,' sched2.csv
check "unchanged A3: SEQUENCE 0, same UID" test "$(seq_of week2.ics A3)" = "$(seq_of week.ics A3)"
check_grep "the cancellation is METHOD:CANCEL" '^METHOD:CANCEL' cancel.ics
check "A4 cancelled with its UID and SEQUENCE 1" \
	test "$(seq_of cancel.ics A4)" = "$(seq_of week.ics A4 | sed 's/SEQUENCE:0/SEQUENCE:1/')"
check_grep "the cancellation says STATUS:CANCELLED" '^STATUS:CANCELLED' cancel.ics
check "only A4 is cancelled" test "$(grep -c '^BEGIN:VEVENT' cancel.ics)" -eq 1
run meeting-sched $C -p "$D/people-mail.csv" -b "$D/busy.csv" --from 2026-03-02 --today 2026-03-01 \
	--previous week.ics --batch other --ics week3.ics --cancel c3.ics "$D/requests-2.csv"
check_status "--previous of another batch is status 2" 2

# The clients end with exactly the new schedule.  khal updates by UID and
# SEQUENCE and marks the cancelled meeting; calcurse knows no UID (every
# import adds), so its items of the first batch are purged by the hashes
# calcurse printed when importing them, then the new invitations imported.
awk -F, 'NR > 1 { print $3 " " $4 "-" $5 " " $2 }' sched2.csv | sort >want2.txt
check "the new schedule has four meetings" test "$(wc -l <want2.txt)" -eq 4
if command -v khal >/dev/null 2>&1; then
	mkdir -p khal2/cal
	sed "s|path = .*|path = $T/khal2/cal|" khal/config >khal2/config
	khal -c khal2/config import --batch -a work week.ics >/dev/null 2>&1
	khal -c khal2/config import --batch -a work week2.ics >/dev/null 2>&1
	run khal -c khal2/config import --batch -a work cancel.ics
	check_status "khal imports the cancellation" 0
	khal -c khal2/config list --format '{start-date} {start-time}-{end-time} {cancelled}{title}' \
		2026-03-01 2026-03-09 >khal2.txt 2>&1
	grep -v 'CANCELLED' khal2.txt | grep '^2026' | sort >got2.txt
	check_same "khal: exactly the new schedule" want2.txt got2.txt
	check_grep "khal: the withdrawn meeting is cancelled" \
		'^2026-03-07 08:30-09:30 CANCELLED 周末加班协调会' khal2.txt
else
	not_ok "khal is not installed (Debian package khal)"
fi
if command -v calcurse >/dev/null 2>&1; then
	mkdir cc2
	calcurse -D cc2 -i week.ics --dump-imported --format-apt '%(hash)\n' >hashes.txt 2>/dev/null
	check "calcurse: five items imported first" test "$(grep -c '^[0-9a-f]\{40\}$' hashes.txt)" -eq 5
	for h in $(grep '^[0-9a-f]\{40\}$' hashes.txt); do
		calcurse -D cc2 -P --filter-hash "$h" >/dev/null 2>&1
	done
	calcurse -D cc2 -i week2.ics >/dev/null 2>&1
	calcurse -D cc2 -Q --from 03/01/2026 --days 9 --format-apt '%(start:%Y-%m-%d %H:%M)-%(end:%H:%M) %m\n' \
		2>/dev/null | grep '^2026' | sort >got2cc.txt
	check_same "calcurse: exactly the new schedule" want2.txt got2cc.txt
else
	not_ok "calcurse is not installed (Debian package calcurse)"
fi

# Fixed meetings are checked: a holiday, a night, through lunch, a double
# booking, a busy time; each conflict on its line, status 1, and the
# meetings keep their places.  F2 (8 hours from 20:00) ends 04:00 the next
# day in the CSV as in the invitations.
run meeting-sched $C -p "$D/people-mail.csv" -b "$D/busy.csv" --ics fixed.ics -o fixed.csv "$D/fixed.csv"
check_status "fixed meetings in conflict: status 1" 1
check_grep "fixed on a holiday" 'fixed.csv:2: fixed "F1": 2026-03-04 is not a working day' "$T/err"
check_grep "fixed at night" 'fixed.csv:3: fixed "F2": 2026-03-02 20:00-2026-03-03 04:00 is outside office hours' "$T/err"
check_grep "fixed through lunch" 'fixed.csv:4: fixed "F3": 2026-03-02 11:00-14:30 runs through a break' "$T/err"
check_grep "fixed double booking" 'fixed.csv:6: fixed "F5": 赵六 is also at fixed meeting "F4" (2026-03-03 09:00-10:00)' "$T/err"
check_grep "fixed during a busy time" 'fixed.csv:7: fixed "F6": 张三 is busy 2026-03-02 08:30-09:30' "$T/err"
check "F7 has no conflict" test "$(grep -c '"F7"' "$T/err")" -eq 0
check "all seven fixed meetings kept" test "$(tail -n +2 fixed.csv | wc -l)" -eq 7
check_grep "F2 ends the next day at 04:00 in the CSV" '^F2,通宵值守,2026-03-02,20:00,2026-03-03 04:00,' fixed.csv
check_grep "F2 ends the next day at 04:00 in the invitations" '^DTEND;TZID=Asia/Shanghai:20260303T040000' fixed.ics

# Busy data that matches nobody is reported: a typo and a stranger in
# busy.csv (file:line, count), an Outlook export without ATTENDEE (count),
# until --busy-of says whose calendar it is.  Outlook's Windows zone names
# are read: Tokyo 15:00 is 14:00 here, Berlin 07:00 (winter) is 14:00.
run meeting-sched $C -p "$D/people-mail.csv" -b "$D/busy-typo.csv" --free 张三 \
	--within 2026-03-02..2026-03-03 --duration 30
check_grep "busy.csv typo named with its line and count" \
	'busy-typo.csv:3: warning: "张叁" is not in the people file: 2 busy rows ignored' "$T/err"
check_grep "busy.csv stranger named" 'busy-typo.csv:5: warning: "外单位" is not in the people file: 1 busy row ignored' "$T/err"
run meeting-sched $C -p "$D/people-mail.csv" -i "$D/outlook.ics" --free 张三 \
	--within 2026-03-02..2026-03-03 --duration 30
check_grep "an export without ATTENDEE is reported" \
	'outlook.ics: warning: 3 of 3 busy times name no known person .* --busy-of PERSON' "$T/err"
run meeting-sched $C -p "$D/people-mail.csv" --busy-of 张三 "$D/outlook.ics" --free 张三 \
	--within 2026-03-02..2026-03-03 --duration 30
check_status "--busy-of: free slots found" 0
check "--busy-of: no warning" test ! -s "$T/err"
printf 'date,start,end,minutes\n2026-03-02,15:00,17:30,150\n2026-03-03,08:30,12:00,210\n2026-03-03,16:00,17:30,90\n' >want-free.csv
check_same "--busy-of: Beijing, Tokyo and Berlin times all block 张三" want-free.csv "$T/out"
run meeting-sched $C -p "$D/people-mail.csv" -i "$D/badtz.ics" --free 张三 \
	--within 2026-03-02..2026-03-03 --duration 30
check_status "an unknown TZID is status 2" 2
check_grep "an unknown TZID names its line" 'badtz.ics:18: unknown time zone TZID "Mars Standard Time"' "$T/err"
run meeting-sched $C --busy-of 张三
check_status "--busy-of without FILE is status 2" 2

# A window before 1970 or longer than max_window is refused with its line.
printf 'id,duration,required,earliest,latest\nOLD,1h,张三,1969-03-03,1969-03-04\n' >old.csv
run meeting-sched $C old.csv
check_status "a window before 1970 is status 2" 2
check_grep "before 1970: named, not an internal error" 'old.csv:2: the window starts before 1970-01-01' "$T/err"
printf 'id,duration,required,earliest,latest\nFAR,1h,张三,2026-03-02,9999-12-31\n' >far.csv
run meeting-sched $C far.csv
check_status "a window to 9999 is status 2" 2
check_grep "a window to 9999 is refused" 'far.csv:2: the window 2026-03-02 00:00 .. 9999-12-31 23:59 is longer than \[meetings\] max_window (366 days)' "$T/err"
run meeting-sched $C --free 张三 --within 2026-03-02..9999-12-31 --duration 30
check_status "--within to 9999 is status 2" 2
check_grep "--within to 9999 is refused" 'longer than \[meetings\] max_window (366 days)' "$T/err"

# Free slots of 张三 and 李四 on Monday, an hour or more: with the placed
# meetings (A1 09:30-10:30, A2 14:00-16:00) and without.
run meeting-sched $C -p "$D/people.csv" -b "$D/busy.csv" --from 2026-03-02 \
	--free 张三,李四 --within 2026-03-02 --duration 1h "$D/requests.csv"
check_status "free slots found" 0
check_same "free slots around the schedule" "$D/expected-free.csv" "$T/out"
run meeting-sched $C -b "$D/busy.csv" --free "张三;李四" --within 2026-03-02..2026-03-02 --duration 60
check_same "free slots around busy times only" "$D/expected-free-busy-only.csv" "$T/out"
run meeting-sched $C --free 张三 --within 2026-03-04 --duration 30
check_status "no free slot on a holiday is status 1" 1
run meeting-sched $C --free 张三 --within 2026-03-02
check_status "--free without --duration is status 2" 2

# Bad input: message with file and line, status 2, no output file.
run meeting-sched $C -o bad.csv "$D/bad-room.csv"
check_status "unknown room is status 2" 2
check_grep "unknown room names file and line" 'bad-room.csv:2: unknown room "不存在的会议室"' "$T/err"
check "no output file on status 2" test ! -e bad.csv
run meeting-sched $C -o bad.csv --ics bad.ics "$D/bad-quote.csv"
check_status "unterminated quote is status 2" 2
check_grep "unterminated quote names the file" 'bad-quote.csv:3' "$T/err"
check "no invitations on status 2" test ! -e bad.ics
run meeting-sched $C -p "$D/people.csv" "$D/requests.csv" --from 2026-03-02 -i "$D/people.csv"
check_status "a CSV given as iCalendar is status 2" 2
check_grep "not iCalendar" 'people.csv:1: not an iCalendar file' "$T/err"

run meeting-sched $C -r "$D/bad-rooms.csv" -o bad.csv "$D/requests.csv"
check_status "a room listed twice is status 2" 2
check_grep "room listed twice names file and line" 'bad-rooms.csv:4: room "小会议室" listed twice' "$T/err"

# Excel output: BOM and CRLF.
run meeting-sched $C -x -p "$D/people.csv" -b "$D/busy.csv" --from 2026-03-02 "$D/requests.csv"
check "--excel starts with a BOM" test "$(head -c 3 "$T/out" | od -An -tx1 | tr -d ' ')" = efbbbf
check "--excel ends lines in CRLF" test "$(grep -c "$(printf '\r')\$" "$T/out")" -eq 6

# A random instance from the benchmark's generator, verified by its
# independent checker (every hard constraint, and the objective recomputed).
if command -v python3 >/dev/null 2>&1; then
	python3 "$TOP/bench/meeting-sched/gen.py" 42 inst
	echo "search_seconds = 0.3" >>inst/officeadm.ini
	(cd inst && meeting-sched -v -c officeadm.ini -p people.csv -r rooms.csv -b busy.csv \
		-o schedule.csv requests.csv 2>ms.err)
	check "random instance: checker finds no hard violation" \
		sh -c 'python3 "$1" inst/instance.json inst/schedule.csv >/dev/null' _ \
		"$TOP/bench/meeting-sched/check.py"
	ours=$(sed -n 's/^meeting-sched: objective \([0-9]*\) .*/\1/p' inst/ms.err)
	theirs=$(python3 "$TOP/bench/meeting-sched/check.py" inst/instance.json inst/schedule.csv | awk '{print $4}')
	check "random instance: the checker's objective is meeting-sched's" test "$ours" = "$theirs"
else
	not_ok "python3 is needed for the independent checker"
fi

# The example week of the bureau's leaders (Chinese), as the demo runs it.
run meeting-sched -c "$EX/officeadm.ini" -p "$EX/meetings/people.csv" -b "$EX/meetings/busy.csv" \
	-i "$EX/meetings/zhaozg.ics" --ics leaders.ics -o leaders.csv "$EX/meetings/requests.csv"
check_status "example week: one request cannot be placed" 1
check_grep "HY-12 blocked by 赵志刚's trip (all-day event in his calendar)" \
	'"HY-12" not placed: 赵志刚 is busy at every possible time in the window' "$T/err"
check "example week: eleven meetings placed" test "$(tail -n +2 leaders.csv | wc -l)" -eq 11
check_grep "the fixed meeting stays at 08:30 on the first day" \
	'^HY-01,节后工作调度会,2026-05-06,08:30,09:00,第一会议室,' leaders.csv
check "no meeting of 赵志刚 on Wednesday 09:00-10:00 (weekly study, RRULE)" \
	test -z "$(awk -F, '$3 == "2026-05-06" && $4 < "10:00" && $5 > "09:00" && $7 ~ /赵志刚/' leaders.csv)"
if command -v calcurse >/dev/null 2>&1; then
	mkdir calcurse2
	run calcurse -D calcurse2 -i leaders.ics
	check_grep "calcurse imports the example week" '11 apps / 0 events / 0 todos / 0 skipped' "$T/out"
fi
done_testing
