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
. "$here/rule.sh"

sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }

run_ms() { # dir
	( cd "$1" && "$BIN/meeting-sched" -v -c officeadm.ini -p people.csv -r rooms.csv \
		-b busy.csv -o schedule.csv requests.csv 2>ms.err ) || [ $? -eq 1 ]
}

# quality NAME SEED [GEN-OPTIONS]: one instance, meeting-sched against CBC; prints a row.
quality() {
	name=$1
	seed=$2
	shift 2
	d=$D/$name
	rm -rf "$d"
	python3 "$here/gen.py" "$seed" "$d" "$@"
	t0=$(date +%s.%N)
	run_ms "$d"
	t1=$(date +%s.%N)
	ours=$(python3 "$here/check.py" "$d/instance.json" "$d/schedule.csv") || fail=1
	python3 "$here/lp.py" "$d/instance.json" "$d/model.lp" $LP_RULE
	t2=$(date +%s.%N)
	cbc "$d/model.lp" ${CBC_SEC:+sec "$CBC_SEC"} solve solu "$d/cbc.sol" >"$d/cbc.log" 2>&1
	t3=$(date +%s.%N)
	proven=yes
	head -1 "$d/cbc.sol" | grep -q '^Optimal' || proven=no
	if [ $proven = no ] && [ -z "${CBC_SEC:-}" ]; then
		echo "CBC did not prove optimality on $name"
		fail=1
	fi
	python3 "$here/sol2csv.py" "$d/instance.json" "$d/cbc.sol" >"$d/cbc.csv"
	theirs=$(python3 "$here/check.py" "$d/instance.json" "$d/cbc.csv") || fail=1
	lpobj=$(head -1 "$d/cbc.sol" | awk '{print $NF}')
	c=$(echo "$theirs" | awk '{print $4}')
	awk -v a="$lpobj" -v b="$c" 'BEGIN { exit !(a + 0 == b + 0) }' ||
		{ echo "model and checker disagree on $name: $lpobj vs $c"; fail=1; }
	[ $proven = yes ] || name="$name (CBC stopped at ${CBC_SEC} s: its best, not proven)"
	echo "$ours" "$theirs" "$(sub "$t1" "$t0")" "$(sub "$t3" "$t2")" | awk -v n="$name" '{
		o = $4; u = $6; c = $18; cu = $20
		printf "| %s | %d | %d | %.2f%% | %d + %d | %d + %d | %.2f%% | %d | %.2f | %.2f |\n", n, o, c,
		    c ? 100 * (o - c) / c : 0, u, o - u, cu, c - cu,
		    c - cu ? 100 * ((o - u) - (c - cu)) / (c - cu) : 0, $2, $(NF - 1), $NF
	}'
	gap_ok=$(echo "$ours $theirs" | awk '{ print ($4 <= $18 * 1.01) ? 1 : 0 }')
}

echo "Quality: the shape of the issue (30 meetings, 40 people, 5 rooms, 5 days of 16 slots)."
echo
echo "| instance | meeting-sched F | CBC optimum | gap | meeting-sched unplaced + soft | CBC unplaced + soft | soft gap | violations | meeting-sched s | CBC s |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for seed in 1 2 3 4 5; do
	quality q$seed "$seed"
	[ "$gap_ok" = 1 ] || fail=1
done
# The tight family can keep CBC busy for up to 15 minutes an instance: opt in.
if [ "${MS_BENCH_TIGHT:-0}" = 1 ]; then
	echo
	echo "Tight instances (50 meetings, 4 rooms, 1-3 optional attendees, 2-6 busy blocks a person,"
	echo "windows of 1-2 days): reported, not asserted."
	echo
	echo "| instance | meeting-sched F | CBC optimum | gap | meeting-sched unplaced + soft | CBC unplaced + soft | soft gap | violations | meeting-sched s | CBC s |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for seed in 1 2 3 4 5; do
		CBC_SEC=900 quality t$seed "$seed" --meetings 50 --rooms 4 --tight 1
	done
fi
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
