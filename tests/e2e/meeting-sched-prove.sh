#!/bin/sh
# meeting-sched --prove: the exact model solved by GLPK.  On the hand-worked
# week it proves the hand-worked schedule optimal; on a schedule the greedy
# pass gets wrong it outputs the optimum worked out by hand; on a random
# tight instance where CBC proved the optimum (150751, by
# bench/meeting-sched/lp.py) it reaches that optimum, checked by the
# independent checker of bench/.
. "$TOP/tests/e2e/lib.sh"
D="$DATA/meeting-sched"
P="$DATA/meeting-sched-prove"

run meeting-sched --help
check_grep "help lists --prove" '--prove ' "$T/out"
check_grep "help lists --prove-seconds" '--prove-seconds N' "$T/out"
run meeting-sched --prove-seconds 0 "$D/requests.csv"
check_status "--prove-seconds 0 is status 2" 2
run meeting-sched --prove-seconds 1x "$D/requests.csv"
check_status "--prove-seconds 1x is status 2" 2
run meeting-sched --prove --free 张三 --within 2026-03-02 --duration 1h
check_status "--prove with --free is status 2" 2

# The hand-worked week of meeting-sched.sh: its schedule (F = 80044, A5 can
# never be placed) is the optimum, and --prove keeps it.
run meeting-sched -c "$D/officeadm.ini" -p "$D/people.csv" -b "$D/busy.csv" --from 2026-03-02 \
	-o schedule.csv -v --prove "$D/requests.csv"
check_status "hand-worked week with --prove: status 1 (A5 unplaced)" 1
check_same "hand-worked week: the same schedule" "$D/expected.csv" schedule.csv
check_grep "hand-worked week: optimum proven" \
	'^meeting-sched: prove: objective 80044; optimum 80044 (proven, [0-9.]* s); gap of the heuristic 0.00%$' \
	"$T/err"
check_grep "hand-worked week: A5 is reported" '"A5" not placed: ' "$T/err"
check "hand-worked week: A5 keeps the search's reason (it can never be placed)" \
	sh -c "! grep -q 'A5\" not placed: left out by --prove' '$T/err'"

# The greedy pass alone (search_seconds = 0) places R1 (priority 1, any
# time on Monday) at 08:30, where R2 (priority 2, 08:30-09:30 only) needs
# 甲 too: R2 is left out, F = 10000 * 2^3 = 80000.  The optimum, by hand:
# R2 at 08:30, R1 at 09:30 (4 grid steps of 15 minutes, (6-1)*4 = 20).
cat >greedy.ini <<'EOF'
[meetings]
search_seconds = 0
[rooms]
小会议室 = 6
EOF
cat >greedy.csv <<'EOF'
id,title,duration,required,priority,earliest,latest
R1,预算会,1h,甲,1,2026-03-02,2026-03-02
R2,审计会,1h,甲;乙,2,2026-03-02 08:30,2026-03-02 09:30
EOF
cat >greedy-expected.csv <<'EOF'
id,title,date,start,end,room,attendees,optional_absent
R2,审计会,2026-03-02,08:30,09:30,小会议室,甲;乙,
R1,预算会,2026-03-02,09:30,10:30,小会议室,甲,
EOF
run meeting-sched -c greedy.ini -v -o greedy-out.csv greedy.csv
check_status "greedy alone leaves R2 out" 1
check_grep "greedy objective 80000" '^meeting-sched: objective 80000 ' "$T/err"
run meeting-sched -c greedy.ini -v --prove --ics greedy.ics -u greedy-unplaced.csv \
	-o greedy-out.csv greedy.csv
check_status "--prove places both: status 0" 0
check_same "--prove outputs the optimum worked by hand" greedy-expected.csv greedy-out.csv
check_grep "--prove reports the optimum and the heuristic's gap" \
	'^meeting-sched: prove: objective 80000; optimum 20 (proven, [0-9.]* s); gap of the heuristic 99.97%; the output is the optimal schedule$' \
	"$T/err"
check_grep "-v reports the optimum's objective" '^meeting-sched: objective 20 (unplaced 0' "$T/err"
check "the invitations hold R2" grep -q '^SUMMARY:审计会' greedy.ics
check "the unplaced list is empty" test "$(wc -l <greedy-unplaced.csv)" -eq 1

# A random tight instance (bench/meeting-sched/gen.py 17 DIR --meetings 20
# --rooms 2 --days 3 --people 20 --tight 1): CBC proves the optimum 150765
# on `lp.py --exclusive` (an optional attendee present at one meeting at a
# time, the rule of issue 14; with the rule before it, 150751).  The
# checker recomputes F independently.
cp "$P"/*.csv "$P/officeadm.ini" .
run meeting-sched -c officeadm.ini -p people.csv -r rooms.csv -b busy.csv -v -o heur.csv requests.csv
heur=$(sed -n 's/^meeting-sched: objective \([0-9]*\) .*/\1/p' "$T/err")
run meeting-sched -c officeadm.ini -p people.csv -r rooms.csv -b busy.csv -v --prove \
	-o proved.csv requests.csv
check_status "tight instance: some requests unplaced, status 1" 1
opt=$(sed -n 's/^meeting-sched: prove: objective [0-9]*; optimum \([0-9]*\) (proven.*/\1/p' "$T/err")
check "tight instance: optimum 150765 proven" test "$opt" = 150765
check "the heuristic alone is no better than the optimum" test "${heur:-0}" -ge "${opt:-0}"
res=$(python3 "$TOP/bench/meeting-sched/check.py" "$P/instance.json" proved.csv)
check "tight instance: the checker finds no violation and F = the optimum" \
	test "$(echo "$res" | awk '{print $2, $4}')" = "0 $opt"
check_grep "tight instance: left-out requests have a reason" '" not placed: ' "$T/err"

done_testing
