#!/bin/sh
# doc-route speed: `status` and `overdue` over a generated journal of 1M
# records (100k documents) against the CSV reader alone reading the same
# file (bench/doc-route/csvread.c).  Target: each at most 1.5x the reader.
# Each is run 5 times; the best wall time and the best CPU time (user +
# system) are shown, and the ratio is of CPU times.
set -eu
: "${BENCH_TMP:=/tmp/officeadm-bench}"
: "${B:=build}"
: "${BIN:=$(pwd)/$B/bin}"
DOCS=${DOC_ROUTE_DOCS:-100000}
mkdir -p "$BENCH_TMP"
data="$BENCH_TMP/doc-route-$DOCS-chained.journal"
# Generated without the chain column, then sealed (doc-route(1), JOURNAL):
# the runs read a hash-chained journal, as doc-route writes it.
if [ ! -s "$data" ]; then
	rm -f "$data".*
	awk -v DOCS="$DOCS" -f bench/doc-route/gen_journal.awk >"$data"
	"$BIN/doc-route" -j "$data" verify --seal 2>/dev/null
fi
chmod 600 "$data"
: >"$BENCH_TMP/empty.ini"
cc -O2 -Ilibofficeadm bench/doc-route/csvread.c "$B/libofficeadm.a" -lcsv -liniparser \
	-o "$BENCH_TMP/doc-route-csvread"
size=$(stat -c %s "$data")
events=$(($(wc -l <"$data") - 1))

# best of 5 runs of "$@": "WALL CPU" in seconds, each the minimum over the
# runs; CPU is user + system time, which other jobs on a shared machine
# disturb far less than wall time.
best() {
	bw=999999 bc=999999
	for i in 1 2 3 4 5; do
		/usr/bin/time -f '%e %U %S' -o "$BENCH_TMP/doc-route.time" "$@" >/dev/null || [ $? -eq 1 ]
		# (the last line: time adds one before it on a non-zero status)
		bw=$(tail -n 1 "$BENCH_TMP/doc-route.time" | awk -v b="$bw" '{print ($1<b)?$1:b}')
		bc=$(tail -n 1 "$BENCH_TMP/doc-route.time" | awk -v b="$bc" '{t=$2+$3; print (t<b)?t:b}')
	done
	echo "$bw $bc"
}

# The runs must see the whole journal before the times mean anything.
rows=$("$BIN/doc-route" -c "$BENCH_TMP/empty.ini" -j "$data" status | wc -l)
[ "$rows" -eq $((DOCS + 1)) ] || { echo "status printed $rows lines, want $((DOCS + 1))"; exit 1; }

printf '%-46s %7s %7s %9s\n' "$events records, $DOCS documents, $((size / 1000000)) MB" wall cpu "cpu ratio"
set -- $(best "$BENCH_TMP/doc-route-csvread" "$data")
rw=$1 rc=$2
printf '%-46s %7.2f %7.2f %9s\n' "CSV reader alone (csvread FILE)" "$rw" "$rc" "1.00"
set -- $(best "$BENCH_TMP/doc-route-csvread" -m "$data")
printf '%-46s %7.2f %7.2f %9.2f\n' "CSV reader alone, mapped (csvread -m FILE)" "$1" "$2" \
	"$(echo "$2 $rc" | awk '{print $1/$2}')"
for cmd in status "status --open" "overdue --as-of 2026-12-31" "overdue --as-of 2026-06-30 --soon 5"; do
	# shellcheck disable=SC2086
	set -- $(best "$BIN/doc-route" -c "$BENCH_TMP/empty.ini" -j "$data" $cmd)
	printf '%-46s %7.2f %7.2f %9.2f\n' "doc-route $cmd" "$1" "$2" "$(echo "$2 $rc" | awk '{print $1/$2}')"
done
echo "target: doc-route at most 1.50x the CPU reader alone"
