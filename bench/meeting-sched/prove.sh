#!/bin/sh
# meeting-sched's heuristic, meeting-sched --prove (GLPK) and CBC on the
# same instances, in the same run (run by bench/meeting-sched/run.sh, or by
# hand: `make && sh bench/meeting-sched/prove.sh`).
#
# Instances from gen.py, tight family (1-3 optional attendees, 2-6 busy
# blocks a person, windows of 1-2 days):
#   20 meetings: 20 people, 2 rooms, 3 days, seeds 1-24
#   45 meetings: 40 people, 4 rooms, 5 days, seeds 1-3
#   100 meetings: 40 people, 5 rooms, 10 days, seeds 1-3
# For each: the heuristic alone (its F and processor time); --prove with
# --prove-seconds $PROVE_SEC (F of its output, the lower bound, proven or
# not, processor time of the whole run, the heuristic included); CBC on
# lp.py's model with the same wall-clock limit (F, bound, proven or not,
# processor time).  Times are processor seconds (user + system), which a
# loaded machine changes less than wall-clock time; the limits are
# wall-clock, for both solvers.  Every schedule goes through
# check.py; the run fails on a violation, on a checker/solver disagreement,
# or when --prove claims an optimum CBC contradicts.
# PROVE_SEC (default 120) bounds each solver; SIZES (default "20 45 100").
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$here/../../build/bin}
D=${BENCH_TMP:-/tmp/officeadm-bench}/meeting-sched-prove
PROVE_SEC=${PROVE_SEC:-120}
SIZES=${SIZES:-20 45 100}
mkdir -p "$D"
export TZ=Asia/Shanghai LC_ALL=C.UTF-8
unset OFFICEADM_CONFIG
fail=0
. "$here/rule.sh"

# Processor seconds (user + system) of the last timed command.
cpu() { tail -1 "$1" | awk '{ printf "%.2f", $1 + $2 }'; }

ms() { # dir output [options]
	d=$1
	o=$2
	shift 2
	( cd "$d" && /usr/bin/time -f '%U %S' -o "$o.time" "$BIN/meeting-sched" -v -c officeadm.ini \
		-p people.csv -r rooms.csv -b busy.csv -o "$o" "$@" requests.csv 2>"$o.err" ) ||
		[ $? -eq 1 ]
}

# F of a schedule by the independent checker; fails the run on a violation.
checked() { # instance.json schedule.csv
	res=$(python3 "$here/check.py" "$1" "$2")
	set -- $res
	[ "$2" = 0 ] || { echo "violations in $2" >&2; fail=1; }
	echo "$4"
}

row() { # name seed gen-options...
	name=$1
	seed=$2
	shift 2
	d=$D/$name
	rm -rf "$d"
	python3 "$here/gen.py" "$seed" "$d" "$@"
	n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["meetings"]))' "$d/instance.json")

	ms "$d" heur.csv
	hf=$(checked "$d/instance.json" "$d/heur.csv")
	hs=$(cpu "$d/heur.csv.time")

	ms "$d" prove.csv --prove-seconds "$PROVE_SEC"
	pf=$(checked "$d/instance.json" "$d/prove.csv")
	ps=$(cpu "$d/prove.csv.time")
	line=$(grep '^meeting-sched: prove:' "$d/prove.csv.err")
	case $line in
	*"(proven"*)
		pb=$(echo "$line" | sed 's/.*optimum \([0-9]*\) (proven.*/\1/')
		pp=yes ;;
	*"lower bound"*)
		pb=$(echo "$line" | sed 's/.*lower bound \([0-9]*\) .*/\1/')
		pp=no ;;
	*)
		echo "$name: $line" >&2
		pb=0
		pp=no
		fail=1 ;;
	esac

	python3 "$here/lp.py" "$d/instance.json" "$d/model.lp" $LP_RULE
	/usr/bin/time -f '%U %S' -o "$d/cbc.time" cbc "$d/model.lp" timeMode elapsed \
		sec "$PROVE_SEC" solve solu "$d/cbc.sol" >"$d/cbc.log" 2>&1 || true
	cs=$(cpu "$d/cbc.time")
	python3 "$here/sol2csv.py" "$d/instance.json" "$d/cbc.sol" >"$d/cbc.csv"
	cf=$(checked "$d/instance.json" "$d/cbc.csv")
	lpobj=$(head -1 "$d/cbc.sol" | awk '{printf "%d", $NF + 0.5}')
	[ "$lpobj" = "$cf" ] || { echo "$name: CBC says $lpobj, the checker $cf" >&2; fail=1; }
	if head -1 "$d/cbc.sol" | grep -q '^Optimal'; then
		cb=$cf
		cp=yes
	else
		cb=$(grep -o 'best possible [0-9.e+-]*' "$d/cbc.log" | tail -1 | awk '{printf "%d", $3 + 0.999999}')
		cp=no
	fi
	# A proven optimum must be at least every lower bound, and at most every schedule.
	if [ $pp = yes ] && { [ "$pf" -gt "$cf" ] || [ "$pf" -lt "$cb" ]; }; then
		echo "$name: --prove's optimum $pf contradicts CBC ($cf, bound $cb)" >&2
		fail=1
	fi
	if [ $cp = yes ] && [ "$cf" -gt "$pf" ]; then
		echo "$name: CBC's optimum $cf is above --prove's schedule $pf" >&2
		fail=1
	fi
	best=$pb
	[ "$cb" -gt "$best" ] && best=$cb
	awk -v n="$name" -v m="$n" -v hf="$hf" -v hs="$hs" -v pf="$pf" -v pb="$pb" -v pp="$pp" \
	    -v ps="$ps" -v cf="$cf" -v cb="$cb" -v cp="$cp" -v cs="$cs" -v best="$best" 'BEGIN {
		g = hf > 0 ? 100 * (hf - best) / hf : 0
		printf "| %s | %d | %d | %.2f%% | %s | %d | %d%s | %s | %d | %d%s | %s |\n", n, m, hf, g, hs,
		    pf, pb, pp == "yes" ? " (optimal)" : "", ps, cf, cb, cp == "yes" ? " (optimal)" : "", cs
	}'
}

echo "PROVE_SEC=$PROVE_SEC ${LP_RULE:+(lp.py $LP_RULE)}"
echo
echo "| instance | meetings | heuristic F | heuristic gap | heuristic s | --prove F | --prove bound | --prove s | CBC F | CBC bound | CBC s |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for size in $SIZES; do
	case $size in
	20) for seed in $(seq 1 24); do
		row "p20-$seed" "$seed" --meetings 20 --rooms 2 --days 3 --people 20 --tight 1
	    done ;;
	45) for seed in 1 2 3; do
		row "p45-$seed" "$seed" --meetings 45 --rooms 4 --tight 1
	    done ;;
	100) for seed in 1 2 3; do
		row "p100-$seed" "$seed" --meetings 100 --rooms 5 --days 10 --tight 1
	    done ;;
	esac
done
exit $fail
