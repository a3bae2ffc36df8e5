#!/bin/sh
# asset-log speed: replaying a generated journal of 1M events (125k assets,
# 8 events each, with their commit records) against its register, as
# `check`, `overdue` and `history` do, against the CSV reader alone reading
# the same journal (bench/doc-route/csvread.c).  Target: at most 2x the
# reader.  Also the time to record one batch of 10k events (`apply`), which
# rewrites the register once.  Each is run 5 times; the best wall time and
# the best CPU time (user + system) are shown; the ratio is of CPU times.
set -eu
: "${BENCH_TMP:=/tmp/officeadm-bench}"
: "${B:=build}"
: "${BIN:=$(pwd)/$B/bin}"
EVENTS=${ASSET_LOG_EVENTS:-1000000}
ASSETS=$((EVENTS / 8))
mkdir -p "$BENCH_TMP"
reg="$BENCH_TMP/asset-log-$EVENTS.csv"
jnl="$BENCH_TMP/asset-log-$EVENTS.journal"
[ -s "$jnl" ] && [ -s "$reg" ] || python3 bench/asset-log/gen.py "$ASSETS" "$EVENTS" "$reg" "$jnl"
: >"$BENCH_TMP/empty.ini"
cc -O2 -Ilibofficeadm bench/doc-route/csvread.c "$B/libofficeadm.a" -lcsv -liniparser \
	-o "$BENCH_TMP/asset-log-csvread"
size=$(stat -c %s "$jnl")
AL="$BIN/asset-log -c $BENCH_TMP/empty.ini -r $reg -j $jnl"

best() {
	bw=999999 bc=999999
	for i in 1 2 3 4 5; do
		/usr/bin/time -f '%e %U %S' -o "$BENCH_TMP/asset-log.time" "$@" >/dev/null || [ $? -eq 1 ]
		bw=$(tail -n 1 "$BENCH_TMP/asset-log.time" | awk -v b="$bw" '{print ($1<b)?$1:b}')
		bc=$(tail -n 1 "$BENCH_TMP/asset-log.time" | awk -v b="$bc" '{t=$2+$3; print (t<b)?t:b}')
	done
	echo "$bw $bc"
}

# The replay must agree with the register before the times mean anything.
$AL check >"$BENCH_TMP/asset-log.check" || { echo "check found differences"; exit 1; }
[ ! -s "$BENCH_TMP/asset-log.check" ] || { echo "check is not empty"; exit 1; }

printf '%-46s %7s %7s %9s\n' "$EVENTS events, $ASSETS assets, $((size / 1000000)) MB" wall cpu "cpu ratio"
set -- $(best "$BENCH_TMP/asset-log-csvread" "$jnl")
rw=$1 rc=$2
printf '%-46s %7.2f %7.2f %9s\n' "CSV reader alone (csvread FILE)" "$rw" "$rc" "1.00"
for cmd in check "overdue --as-of 2026-12-31" "history A0000042"; do
	# shellcheck disable=SC2086
	set -- $(best $AL $cmd)
	printf '%-46s %7.2f %7.2f %9.2f\n' "asset-log $cmd" "$1" "$2" "$(echo "$2 $rc" | awk '{print $1/$2}')"
done
echo "target: replay at most 2.00x the CPU of the reader alone"

# Recording: one batch of 10k transfers (of assets in use) into copies of the register
# and journal.
awk -F, 'NR > 1 && $11 == "in-use" && n++ < 10000 { print $1 ",transfer,2026-12-01,,,B" NR "室" }' "$reg" |
	sed '1i tag,event,date,department,custodian,location' >"$BENCH_TMP/asset-log-batch.csv"
cp "$reg" "$BENCH_TMP/asset-log-w.csv"
cp "$jnl" "$BENCH_TMP/asset-log-w.journal"
rm -f "$BENCH_TMP/asset-log-w.journal.state"
s=$(date +%s.%N)
"$BIN/asset-log" -c "$BENCH_TMP/empty.ini" -r "$BENCH_TMP/asset-log-w.csv" \
	-j "$BENCH_TMP/asset-log-w.journal" apply --today 2026-12-01 "$BENCH_TMP/asset-log-batch.csv"
e=$(date +%s.%N)
printf '%-46s %7.2f\n' "apply 10k events (journal read, register rewritten)" "$(echo "$e $s" | awk '{print $1-$2}')"
rm -f "$BENCH_TMP/asset-log-w.csv" "$BENCH_TMP/asset-log-w.journal" "$BENCH_TMP/asset-log-w.csv.lock" \
	"$BENCH_TMP/asset-log-w.journal.lock" "$BENCH_TMP/asset-log-w.journal.state"
