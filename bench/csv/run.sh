#!/bin/sh
# CSV reader throughput: the officeadm reader (header mapping and UTF-8
# checking on) against raw libcsv with the same strict settings, libcsv with
# its trimming defaults, and `wc -l`, on one generated 1M-row register.
# Each is run 5 times; the best wall time counts.
set -eu
: "${BENCH_TMP:=/tmp/officeadm-bench}"
: "${B:=build}"
ROWS=${CSV_ROWS:-1000000}
mkdir -p "$BENCH_TMP"
data="$BENCH_TMP/register-$ROWS.csv"
[ -s "$data" ] || python3 bench/csv/gen_register.py "$ROWS" >"$data"
cc -O2 -iquote libofficeadm bench/csv/csvread.c "$B/libofficeadm.a" -lcsv -liniparser -o "$BENCH_TMP/csvread"
cc -O2 bench/csv/rawlibcsv.c -lcsv -o "$BENCH_TMP/rawlibcsv"
size=$(stat -c %s "$data")

best() { # best of 5 wall-clock seconds of "$@"
	b=999999
	for i in 1 2 3 4 5; do
		s=$(date +%s.%N)
		"$@" >/dev/null
		e=$(date +%s.%N)
		b=$(echo "$e $s $b" | awk '{t=$1-$2; print (t<$3)?t:$3}')
	done
	echo "$b"
}

# The answers must agree before the times mean anything.
a=$("$BENCH_TMP/csvread" "$data")
r=$("$BENCH_TMP/rawlibcsv" "$data")
[ "$a" = "$r" ] || { echo "mismatch: officeadm '$a' vs libcsv '$r'"; exit 1; }

printf '%-36s %8s %10s\n' "reader ($ROWS rows, $((size / 1000000)) MB)" "seconds" "MB/s"
for cmd in "wc -l" "rawlibcsv -t" "rawlibcsv" "csvread"; do
	case $cmd in
	"wc -l") t=$(best wc -l "$data") ;;
	"rawlibcsv -t") t=$(best "$BENCH_TMP/rawlibcsv" -t "$data") ;;
	rawlibcsv) t=$(best "$BENCH_TMP/rawlibcsv" "$data"); raw=$t ;;
	csvread) t=$(best "$BENCH_TMP/csvread" "$data"); ours=$t ;;
	esac
	printf '%-36s %8.3f %10.0f\n' "$cmd" "$t" "$(echo "$size $t" | awk '{print $1/$2/1e6}')"
done
echo "officeadm reader / raw libcsv throughput: $(echo "$raw $ours" | awk '{printf "%.2f", $1/$2}')x (target >= 0.80)"
