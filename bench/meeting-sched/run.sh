#!/bin/sh
# meeting-sched quality and scale benchmark (run by `make bench`).
#
# Quality: 5 random instances (30 meetings, 40 people, 5 rooms, 5 days of
# 16 half-hour slots, busy blocks, windows, optional attendees) from gen.py;
# meeting-sched places them; check.py (independent, python3) verifies every
# hard constraint and recomputes the objective; lp.py writes the same
# objective as an integer program that CBC solves to optimality; the CBC
# solution goes through check.py too.  Scale: 800 meetings, 40 people,
# 5 rooms, 72 days.  Data under $BENCH_TMP/meeting-sched.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$here/../../build/bin}
D=${BENCH_TMP:-/tmp/officeadm-bench}/meeting-sched
mkdir -p "$D"
export TZ=Asia/Shanghai LC_ALL=C.UTF-8
unset OFFICEADM_CONFIG
fail=0

run_ms() { # dir
	( cd "$1" && "$BIN/meeting-sched" -v -c officeadm.ini -p people.csv -r rooms.csv \
		-b busy.csv -o schedule.csv requests.csv 2>ms.err ) || [ $? -eq 1 ]
}

echo "| instance | meeting-sched | CBC optimum | gap | check (violations) | meeting-sched s | CBC s |"
echo "| --- | ---: | ---: | ---: | --- | ---: | ---: |"
for seed in 1 2 3 4 5; do
	d=$D/q$seed
	python3 "$here/gen.py" "$seed" "$d"
	t0=$(date +%s.%N)
	run_ms "$d"
	t1=$(date +%s.%N)
	ours=$(python3 "$here/check.py" "$d/instance.json" "$d/schedule.csv") || fail=1
	python3 "$here/lp.py" "$d/instance.json" "$d/model.lp"
	t2=$(date +%s.%N)
	cbc "$d/model.lp" solve solu "$d/cbc.sol" >"$d/cbc.log" 2>&1
	t3=$(date +%s.%N)
	head -1 "$d/cbc.sol" | grep -q '^Optimal' || { echo "CBC did not prove optimality on q$seed"; fail=1; }
	python3 "$here/sol2csv.py" "$d/instance.json" "$d/cbc.sol" >"$d/cbc.csv"
	theirs=$(python3 "$here/check.py" "$d/instance.json" "$d/cbc.csv") || fail=1
	o=$(echo "$ours" | awk '{print $4}')
	v=$(echo "$ours" | awk '{print $2}')
	c=$(echo "$theirs" | awk '{print $4}')
	lpobj=$(head -1 "$d/cbc.sol" | awk '{print $NF}')
	awk -v a="$lpobj" -v b="$c" 'BEGIN { exit !(a + 0 == b + 0) }' ||
		{ echo "model and checker disagree on q$seed: $lpobj vs $c"; fail=1; }
	gap=$(awk -v o="$o" -v c="$c" 'BEGIN { printf "%.2f%%", c ? 100 * (o - c) / c : 0 }')
	awk -v o="$o" -v c="$c" 'BEGIN { exit !(o <= c * 1.01) }' || fail=1
	printf '| q%s | %s | %s | %s | %s | %.2f | %.2f |\n' "$seed" "$o" "$c" "$gap" "$v" \
		"$(echo "$t1 - $t0" | bc)" "$(echo "$t3 - $t2" | bc)"
done

echo
echo "| scale instance | requests | placed | violations | objective | wall s | max RSS MB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
d=$D/scale
python3 "$here/gen.py" 800 "$d" --meetings 800 --people 40 --rooms 5 --days 72
( cd "$d" && /usr/bin/time -f '%e %M' -o time.txt "$BIN/meeting-sched" -c officeadm.ini \
	-p people.csv -r rooms.csv -b busy.csv -o schedule.csv requests.csv 2>ms.err ) || [ $? -eq 1 ]
res=$(python3 "$here/check.py" "$d/instance.json" "$d/schedule.csv") || fail=1
read -r wall rss <"$d/time.txt"
printf '| 800 meetings, 40 people, 5 rooms, 72 days | 800 | %s | %s | %s | %s | %s |\n' \
	"$(echo "$res" | awk '{print $NF}')" "$(echo "$res" | awk '{print $2}')" \
	"$(echo "$res" | awk '{print $4}')" "$wall" "$((rss / 1024))"
awk -v w="$wall" 'BEGIN { exit !(w < 10) }' || { echo "scale run took $wall s"; fail=1; }
exit $fail
