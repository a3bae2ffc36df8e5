#!/bin/sh
# asset-tag speed: tagging 1M generated rows (classification, defaults,
# department lookup, per-prefix numbering, CSV out) against the officeadm
# CSV reader alone reading the same file (bench/csv/csvread.c); and 1000
# labels to an A4 PDF sheet (L7160, Chinese text, Code 128).  Best of 3
# wall-clock runs each, with that run's CPU time (the machine is shared, so
# CPU time is the steadier figure; asset-tag reads on a second thread, so
# its CPU time is the sum of both).  Targets: tagging <= 1.5x the reader;
# labels < 3 s.
set -eu
: "${BENCH_TMP:=/tmp/officeadm-bench}"
: "${B:=build}"
: "${BIN:=$(pwd)/$B/bin}"
ROWS=${ASSET_ROWS:-1000000}
LABELS=${ASSET_LABELS:-1000}
here=bench/asset-tag
mkdir -p "$BENCH_TMP"
data="$BENCH_TMP/asset-new-$ROWS.csv"
[ -s "$data" ] || awk -v n="$ROWS" -f "$here/gen.awk" >"$data"
cc -O2 -iquote libofficeadm bench/csv/csvread.c "$B/libofficeadm.a" -lcsv -liniparser \
	-o "$BENCH_TMP/csvread"
cc -O2 -iquote libofficeadm "$here/csvcopy.c" "$B/libofficeadm.a" -lcsv -liniparser -o "$BENCH_TMP/csvcopy"
export OFFICEADM_CONFIG="$here/officeadm.ini"

# best "$@": runs it 3 times (stdout discarded) and prints the best wall
# time and that run's CPU time (user + system), in seconds.
best() {
	b="999999 0"
	for i in 1 2 3; do
		/usr/bin/time -f "%e %U %S" -o "$BENCH_TMP/time.out" "$@" >/dev/null
		b=$(awk -v b="$b" '{split(b, o, " "); if ($1 < o[1]) print $1, $2 + $3; else print b}' \
			"$BENCH_TMP/time.out")
	done
	echo "$b"
}

# The tagged output must have every row, each with a valid-looking tag.
n=$("$BIN/asset-tag" "$data" | tail -n +2 | grep -c '^[A-Z]*-20[0-9][0-9]-[0-9]\{6\}-[0-9A-Z],')
[ "$n" -eq "$ROWS" ] || { echo "asset-tag tagged $n of $ROWS rows"; exit 1; }

size=$(stat -c %s "$data")
r=$(best "$BENCH_TMP/csvread" "$data")
c=$(best "$BENCH_TMP/csvcopy" "$data")
t=$(best "$BIN/asset-tag" "$data")
o=$(best "$BIN/asset-tag" -o "$BENCH_TMP/asset-tagged.csv" "$data")
printf '%-40s %8s %8s\n' "tagging $ROWS rows ($((size / 1000000)) MB)" "wall s" "cpu s"
printf '%-40s %8s %8s\n' "csvread (the reader alone)" $r
printf '%-40s %8s %8s\n' "csvcopy (reader + writer, every field)" $c
printf '%-40s %8s %8s\n' "asset-tag FILE >/dev/null" $t
printf '%-40s %8s %8s\n' "asset-tag -o OUT FILE (fsync, rename)" $o
echo "$c $r" | awk '{printf "csvcopy / reader: %.2fx wall, %.2fx cpu\n", $1/$3, $2/$4}'
echo "$t $r" | awk '{printf "asset-tag / reader: %.2fx wall, %.2fx cpu (target <= 1.5)\n", $1/$3, $2/$4}'
echo "$o $r" | awk '{printf "asset-tag -o / reader: %.2fx wall, %.2fx cpu\n", $1/$3, $2/$4}'
rm -f "$BENCH_TMP/asset-tagged.csv"
# Means over many runs, where hyperfine is installed (make bench-deps).
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N -w 3 -r "${ASSET_RUNS:-20}" "$BENCH_TMP/csvread $data" "$BIN/asset-tag $data" \
		2>/dev/null | grep -E 'Time|Range|faster'
fi

head -n $((LABELS + 1)) "$data" | "$BIN/asset-tag" >"$BENCH_TMP/asset-labels.csv"
l=$(best "$BIN/asset-tag" label -t L7160 -o "$BENCH_TMP/asset-labels.pdf" "$BENCH_TMP/asset-labels.csv")
pages=$(grep -a -o '/Count [0-9]*' "$BENCH_TMP/asset-labels.pdf" | head -1)
printf '%-40s %8s %8s  (%s pages, %s KB)\n' "$LABELS labels, L7160 PDF, Code 128" $l \
	"${pages#/Count }" "$(($(stat -c %s "$BENCH_TMP/asset-labels.pdf") / 1000))"
l=$(best "$BIN/asset-tag" label -t L7160 -b qr -o "$BENCH_TMP/asset-labels-qr.pdf" "$BENCH_TMP/asset-labels.csv")
printf '%-40s %8s %8s\n' "$LABELS labels, L7160 PDF, QR" $l
echo "labels: target < 3 s wall"
