#!/bin/sh
# asset-tag speed: tagging 1M generated rows (classification, defaults,
# department lookup, per-prefix numbering, CSV out) against the officeadm
# CSV reader alone reading the same file (bench/csv/csvread.c); and 1000
# labels to an A4 PDF sheet (L7160, Chinese text, Code 128).  Best of 3
# wall-clock runs each.  Targets: tagging <= 1.5x the reader; labels < 3 s.
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
export OFFICEADM_CONFIG="$here/officeadm.ini"

best() { # best of 3 wall-clock seconds of "$@", stdout discarded
	b=999999
	for i in 1 2 3; do
		s=$(date +%s.%N)
		"$@" >/dev/null
		e=$(date +%s.%N)
		b=$(echo "$e $s $b" | awk '{t=$1-$2; print (t<$3)?t:$3}')
	done
	echo "$b"
}

# The tagged output must have every row, each with a valid-looking tag.
n=$("$BIN/asset-tag" "$data" | tail -n +2 | grep -c '^[A-Z]*-20[0-9][0-9]-[0-9]\{6\}-[0-9A-Z],')
[ "$n" -eq "$ROWS" ] || { echo "asset-tag tagged $n of $ROWS rows"; exit 1; }

size=$(stat -c %s "$data")
r=$(best "$BENCH_TMP/csvread" "$data")
t=$(best "$BIN/asset-tag" "$data")
printf '%-44s %8s\n' "tagging $ROWS rows ($((size / 1000000)) MB)" "seconds"
printf '%-44s %8.3f\n' "csvread (reader alone)" "$r"
printf '%-44s %8.3f\n' "asset-tag FILE >/dev/null" "$t"
echo "asset-tag / reader: $(echo "$t $r" | awk '{printf "%.2f", $1/$2}')x (target <= 1.5)"

head -n $((LABELS + 1)) "$data" | "$BIN/asset-tag" >"$BENCH_TMP/asset-labels.csv"
l=$(best "$BIN/asset-tag" label -t L7160 -o "$BENCH_TMP/asset-labels.pdf" "$BENCH_TMP/asset-labels.csv")
pages=$(grep -a -o '/Count [0-9]*' "$BENCH_TMP/asset-labels.pdf" | head -1)
printf '%-44s %8.3f  (%s pages, %s KB)\n' "$LABELS labels, L7160 PDF, Code 128" "$l" \
	"${pages#/Count }" "$(($(stat -c %s "$BENCH_TMP/asset-labels.pdf") / 1000))"
l=$(best "$BIN/asset-tag" label -t L7160 -b qr -o "$BENCH_TMP/asset-labels-qr.pdf" "$BENCH_TMP/asset-labels.csv")
printf '%-44s %8.3f\n' "$LABELS labels, L7160 PDF, QR" "$l"
echo "labels: target < 3 s"
