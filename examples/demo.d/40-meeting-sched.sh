# meeting-sched: the office arranges the week after the May Day holiday
# (2026-05-06 to 05-11; Saturday 05-09 is a working day, 调休) for the
# bureau's leaders.  Rooms come from [rooms] of examples/officeadm.ini;
# people, busy times and 赵志刚's own calendar (weekly study on Wednesday
# mornings, a trip on 05-11) from examples/meetings/.  Sourced by
# examples/demo.sh with $EXAMPLES, $WORK and OFFICEADM_CONFIG set.
M="$EXAMPLES/meetings"

echo "-- place the week's requests by priority; one cannot be placed (exit 1)"
SOURCE_DATE_EPOCH=1777852800 meeting-sched -p "$M/people.csv" -b "$M/busy.csv" \
	-i "$M/zhaozg.ics" --ics 领导周会议安排.ics -u 未安排.csv -o 领导周会议安排.csv \
	"$M/requests.csv" || [ $? -eq 1 ]
cat 领导周会议安排.csv
echo "-- what could not be placed, and why"
cat 未安排.csv
echo "-- the invitations (first event)"
sed -n '/^BEGIN:VEVENT/,/^END:VEVENT/p' 领导周会议安排.ics | head -20

echo "-- when are 赵志刚, 钱丽华 and 孙建军 all free for an hour, 05-11 to 05-12?"
meeting-sched -p "$M/people.csv" -b "$M/busy.csv" -i "$M/zhaozg.ics" \
	--free 赵志刚,钱丽华,孙建军 --within 2026-05-11..2026-05-12 --duration 1h \
	"$M/requests.csv" || [ $? -eq 1 ]
