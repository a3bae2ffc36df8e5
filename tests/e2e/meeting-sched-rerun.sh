#!/bin/sh
# meeting-sched --previous: a re-run moves only what changed.  The example
# week is sent; then HY-10 is withdrawn and HY-06 may not start before
# 2026-05-08.  The re-run must cancel HY-10 and move HY-06, and leave every
# other meeting where it was, with its SEQUENCE unchanged (issue: HY-04,
# HY-08, HY-09 moved and got SEQUENCE:1 before move_cost).  A meeting that
# started before --today stays where it was; nothing is placed before it.
. "$TOP/tests/e2e/lib.sh"
E="$TOP/examples"
M="$E/meetings"
ms() { run meeting-sched -c "${INI:-$E/officeadm.ini}" -p "$M/people.csv" -b "$M/busy.csv" \
	--from 2026-05-06 "$@"; }

run meeting-sched --help
check_grep "help lists --today" '--today DATETIME' "$T/out"

ms -o s1.csv --ics week.ics "$M/requests.csv"
check_status "first run: status 0" 0
# The changed batch: HY-10 deleted, HY-06's earliest 2026-05-07 -> 2026-05-08.
grep -v '^HY-10,' "$M/requests.csv" |
	awk -F, 'BEGIN { OFS = "," } $1 == "HY-06" { $7 = "2026-05-08" } { print }' >r2.csv
check "HY-06's earliest is changed" grep -q '^HY-06,.*,一般,2026-05-08,2026-05-09,' r2.csv
check "HY-06 was on 2026-05-07 in the first run" grep -q '^HY-06,[^,]*,2026-05-07,' s1.csv

ms -o s2.csv --ics week2.ics --previous week.ics --cancel c.ics --today 2026-05-05 -v r2.csv
check_status "re-run: status 0" 0
# The sequence of each event of an iCalendar file, as "ID SEQ" lines.
seqs() { awk '/^BEGIN:VEVENT/ { id = ""; sq = "" } /^X-OFFICEADM-ID:/ { id = $0 }
	/^SEQUENCE:/ { sq = $0 } /^END:VEVENT/ { sub(/^X-OFFICEADM-ID:/, "", id);
	sub(/^SEQUENCE:/, "", sq); print id, sq }' "$1" | tr -d '\r' | sort; }
seqs week2.ics >seq2
for id in HY-01 HY-02 HY-03 HY-04 HY-05 HY-07 HY-08 HY-09 HY-11 HY-12; do
	check "$id keeps its date, time and room" \
		sh -c "grep '^$id,' s1.csv >a; grep '^$id,' s2.csv >b; test -s a && cmp -s a b"
	check "$id keeps SEQUENCE 0" grep -qx "$id 0" seq2
done
check "HY-06 moved to 2026-05-08 or 2026-05-09" grep -q '^HY-06,[^,]*,2026-05-0[89],' s2.csv
check "HY-06 gets SEQUENCE 1" grep -qx 'HY-06 1' seq2
check "only HY-06 gets a raised SEQUENCE" test "$(grep -c ' [1-9]' seq2)" -eq 1
check "HY-10 is not in the new invitations" sh -c "! grep -q '^HY-10 ' seq2"
check "HY-10 is cancelled" sh -c "tr -d '\r' <c.ics | grep -qx 'X-OFFICEADM-ID:HY-10' &&
	tr -d '\r' <c.ics | grep -qx 'STATUS:CANCELLED' && test \"\$(grep -c '^BEGIN:VEVENT' c.ics)\" -eq 1"
check_grep "-v counts the move cost of HY-06 (1000)" \
	'^meeting-sched: objective [0-9]* (.*moved 1000); 11 requests, 0 not placed$' "$T/err"

# --prove: the exact model has the same move cost (else "internal error").
ms -o s3.csv --ics week3.ics --previous week.ics --cancel c3.ics --today 2026-05-05 --prove r2.csv
check_status "re-run with --prove: status 0" 0
check_grep "--prove with --previous proves the re-run optimal" \
	'^meeting-sched: prove: objective [0-9]*; optimum [0-9]* (proven, [0-9.]* s); gap of the heuristic 0.00%$' \
	"$T/err"
check_same "--prove keeps the same schedule" s2.csv s3.csv

# Wednesday's re-run at 09:00: what started is kept even when its request
# no longer allows it (HY-03 may now start on 2026-05-08 only).
awk -F, 'BEGIN { OFS = "," } $1 == "HY-03" { $7 = "2026-05-08" } { print }' r2.csv >r3.csv
ms -o s4.csv --ics week4.ics --previous week.ics --cancel c4.ics --today '2026-05-06 09:30' r3.csv
check_status "re-run at 09:30 on Wednesday: status 0" 0
check "HY-03 (started 09:00) is kept at its place" \
	sh -c "grep '^HY-03,' s1.csv >a; grep '^HY-03,' s4.csv >b; cmp -s a b"
check_grep "HY-03 kept is reported" \
	'^meeting-sched: r3.csv:4: "HY-03" started before now (2026-05-06 09:00, 局长办公室, in week.ics): kept there, not moved$' \
	"$T/err"

# With moving free (move_cost = 0), HY-06 may start on 2026-05-06 again, but
# the re-run is at 2026-05-07 12:00: it is not placed before then.
sed "s/^move_cost = .*/move_cost = 0/" "$E/officeadm.ini" >free.ini
awk -F, 'BEGIN { OFS = "," } $1 == "HY-06" { $7 = "2026-05-06" } { print }' r2.csv >r5.csv
INI=free.ini ms -o s5.csv --ics week5.ics --previous week.ics --cancel c5.ics \
	--today '2026-05-07 12:00' r5.csv
check_status "re-run at 12:00 on Thursday: status 0" 0
# Before 12:00 are only the meetings that had started, where they were.
awk -F, 'NR > 1 && ($3 < "2026-05-07" || ($3 == "2026-05-07" && $4 < "12:00"))' s5.csv >early
check "meetings before 2026-05-07 12:00: only the 6 that had started" \
	test "$(wc -l <early)" -eq 6
check "... each where it was" sh -c "grep -vxFf s1.csv early | (! grep .)"
check "HY-06 is at or after 2026-05-07 12:00" \
	sh -c "grep -q '^HY-06,[^,]*,2026-05-07,1[2-7]:\|^HY-06,[^,]*,2026-05-0[89],' s5.csv"

# --invitations DIR: one message per meeting, to send by itself.  The
# combined file held the week's twelve meetings (twelve UIDs) in one
# METHOD:REQUEST, which clients and servers take for one meeting
# (SabreDAV refuses it, Thunderbird looks up the first event) and which
# would go to everyone of every meeting.  A first run: one REQUEST per placed meeting, one VEVENT each.
ms -o i1.csv --ics iw.ics --invitations inv1 "$M/requests.csv"
check_status "--invitations: status 0" 0
check "--invitations: one file per placed meeting" \
	test "$(ls inv1 | wc -l)" -eq "$(tail -n +2 i1.csv | wc -l)"
for f in inv1/*.ics; do
	id=$(basename "$f" .ics)
	check "$id.ics: one VEVENT, METHOD:REQUEST, its own id" sh -c "
		test \"\$(grep -c '^BEGIN:VEVENT' $f)\" -eq 1 &&
		tr -d '\r' <$f | grep -qx 'METHOD:REQUEST' &&
		tr -d '\r' <$f | grep -qx 'X-OFFICEADM-ID:$id'"
done
check "--invitations: the combined file is written as before" \
	test "$(grep -c '^BEGIN:VEVENT' iw.ics)" -eq 12
# The re-run of the changed batch: only what is to be sent -- HY-06 moved
# (SEQUENCE 1) and HY-10's cancellation; no --cancel file needed.
ms -o i2.csv --ics iw2.ics --previous iw.ics --invitations inv2 --today 2026-05-05 r2.csv
check_status "--invitations re-run: status 0" 0
ls inv2 >inv2.list
printf 'HY-06.ics\nHY-10.cancel.ics\n' >inv2.want
check_same "--invitations re-run: the moved meeting and the cancellation only" inv2.want inv2.list
check "HY-06.ics: SEQUENCE 1" sh -c "tr -d '\r' <inv2/HY-06.ics | grep -qx 'SEQUENCE:1'"
check "HY-10.cancel.ics: METHOD:CANCEL of HY-10 alone" sh -c "
	tr -d '\r' <inv2/HY-10.cancel.ics | grep -qx 'METHOD:CANCEL' &&
	tr -d '\r' <inv2/HY-10.cancel.ics | grep -qx 'X-OFFICEADM-ID:HY-10' &&
	test \"\$(grep -c '^BEGIN:VEVENT' inv2/HY-10.cancel.ics)\" -eq 1"
# A directory with files in it: they would be mailed again; refused, and
# nothing is written.
ms -o i3.csv --ics iw3.ics --previous iw.ics --invitations inv2 --today 2026-05-05 r2.csv
check_status "--invitations into a directory with files: status 2" 2
check_grep "--invitations into a directory with files: said" \
	'inv2: --invitations: the directory holds files' "$T/err"
check "--invitations refused: no output" sh -c "test ! -e i3.csv && test ! -e iw3.ics"
run meeting-sched --invitations inv4 "$M/requests.csv"
check_status "--invitations without --ics: status 2" 2

# Nothing to cancel: the same requests again.  An empty CANCEL was written
# silently (a calendar with no event, mailed by cron); now it is said, and
# a cancellation file left by an earlier run is removed, not sent again.
cp c.ics stale-c.ics
ms -o s7.csv --ics week7.ics --previous week.ics --cancel stale-c.ics --today 2026-05-05 \
	"$M/requests.csv"
check_status "nothing to cancel: status 0" 0
check_grep "nothing to cancel: said" \
	'^meeting-sched: stale-c.ics: warning: nothing to cancel: every meeting of week.ics is placed again; no cancellations written (the file of an earlier run is removed)$' \
	"$T/err"
check "nothing to cancel: the earlier cancellation file is gone" test ! -e stale-c.ics
ms -o s8.csv --ics week8.ics --previous week.ics --cancel none.ics --today 2026-05-05 \
	"$M/requests.csv"
check "nothing to cancel: no empty calendar written" test ! -e none.ics
check_grep "nothing to cancel, no earlier file: said" \
	'^meeting-sched: none.ics: warning: nothing to cancel: every meeting of week.ics is placed again; no cancellations written$' \
	"$T/err"

# A room of the previous invitations taken out of the rooms: HY-07 (sent
# for 2026-05-06 10:30 in 第二会议室) had started by 11:00, HY-10 (2026-05-07
# 08:30, 第二会议室) had not.  Both were dropped without a word: HY-07 was
# moved to after --today, as if it had not been held.  Now each is
# reported; the started one keeps its time, the other is placed again.
printf 'name,capacity\n局长办公室,6\n第一会议室,30\n多功能厅,80\n' >rooms3.csv
ms -r rooms3.csv -o s9.csv --ics week9.ics --previous week.ics --cancel c9.ics \
	--today '2026-05-06 11:00' "$M/requests.csv"
check_status "room gone: status 0" 0
check_grep "room gone, started: reported" \
	'requests.csv:8: warning: "HY-07" started before now (2026-05-06 10:30, in week.ics) in room "第二会议室", which is not among the rooms now: kept at its time, in the smallest free room that fits$' \
	"$T/err"
check_grep "room gone, not started: reported" \
	'requests.csv:11: warning: "HY-10" was sent for 2026-05-07 08:30 (in week.ics) in room "第二会议室", which is not among the rooms now: placed again$' \
	"$T/err"
check_grep "room gone, started: HY-07 keeps its time in another room" \
	'^HY-07,[^,]*,2026-05-06,10:30,12:00,第一会议室,' s9.csv
check "room gone: HY-10 placed again" grep -q '^HY-10,[^,]*,2026-05-0[789],' s9.csv
check "room gone: 第二会议室 is in no meeting" sh -c "! grep -q 第二会议室 s9.csv"

run meeting-sched --today 2026-05-05 "$M/requests.csv"
check_status "--today without --previous: status 2" 2
ms -o s6.csv --ics week6.ics --previous week.ics --cancel c6.ics --today tuesday r2.csv
check_status "--today that is no date: status 2" 2
check "--today that is no date: no output" test ! -e s6.csv

done_testing
