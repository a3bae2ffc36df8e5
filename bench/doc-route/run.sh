#!/bin/sh
# doc-route speed: `status` and `overdue` over a generated journal of 1M
# records (100k documents) against the CSV reader alone reading the same
# file (bench/doc-route/csvread.c).  Target: each at most 1.5x the reader.
# Each is run 5 times; the best wall time counts.
set -eu
: "${BENCH_TMP:=/tmp/officeadm-bench}"
: "${B:=build}"
: "${BIN:=$(pwd)/$B/bin}"
DOCS=${DOC_ROUTE_DOCS:-100000}
mkdir -p "$BENCH_TMP"
data="$BENCH_TMP/doc-route-$DOCS.journal"
[ -s "$data" ] || awk -v DOCS="$DOCS" -f bench/doc-route/gen_journal.awk >"$data"
chmod 600 "$data"
: >"$BENCH_TMP/empty.ini"
cc -O2 -Ilibofficeadm bench/doc-route/csvread.c "$B/libofficeadm.a" -lcsv -liniparser \
	-o "$BENCH_TMP/doc-route-csvread"
size=$(stat -c %s "$data")
events=$(($(wc -l <"$data") - 1))

best() { # best of 5 wall-clock seconds of "$@"
	b=999999
	for i in 1 2 3 4 5; do
		s=$(date +%s.%N)
		"$@" >/dev/null || [ $? -eq 1 ]
		e=$(date +%s.%N)
		b=$(echo "$e $s $b" | awk '{t=$1-$2; print (t<$3)?t:$3}')
	done
	echo "$b"
}

# The runs must see the whole journal before the times mean anything.
rows=$("$BIN/doc-route" -c "$BENCH_TMP/empty.ini" -j "$data" status | wc -l)
[ "$rows" -eq $((DOCS + 1)) ] || { echo "status printed $rows lines, want $((DOCS + 1))"; exit 1; }

printf '%-44s %8s %8s %8s\n' "doc-route ($events records, $DOCS documents, $((size / 1000000)) MB)" seconds "x reader" "x mapped"
r=$(best "$BENCH_TMP/doc-route-csvread" "$data")
printf '%-44s %8.3f %8s\n' "CSV reader alone (csvread FILE)" "$r" "1.00"
m=$(best "$BENCH_TMP/doc-route-csvread" -m "$data")
printf '%-44s %8.3f %8.2f\n' "CSV reader alone, mapped (csvread -m FILE)" "$m" "$(echo "$m $r" | awk '{print $1/$2}')"
for cmd in status "status --open" "overdue --as-of 2026-12-31" "overdue --as-of 2026-06-30 --soon 5"; do
	# shellcheck disable=SC2086
	t=$(best "$BIN/doc-route" -c "$BENCH_TMP/empty.ini" -j "$data" $cmd)
	printf '%-44s %8.3f %8.2f %8.2f\n' "doc-route $cmd" "$t" "$(echo "$t $r" | awk '{print $1/$2}')" \
		"$(echo "$t $m" | awk '{print $1/$2}')"
done
echo "target: every doc-route line at most 1.50x the reader (last column: x the mapped reader)"
