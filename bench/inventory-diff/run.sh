#!/bin/sh
# inventory-diff against its peers, on the same generated files in the same
# run: GNU sort+join, sqlite3 (import + query), miller join, and DuckDB
# (npm @duckdb/node-api, installed under $BENCH_TMP when npm can).  Every
# peer writes the missing, surplus and moved tags; each answer is checked
# against inventory-diff's, outside the timing.
#
#   INVENTORY_BENCH_SIZES   register sizes (default 1000000; the full run
#                           is "1000000 10000000", about 2.5 GB of data)
#   INVENTORY_BENCH_RUNS    runs per tool, best wall time kept (default 3)
#   INVENTORY_BENCH_SLOW    at sizes above 1000000, sqlite3 and miller run
#                           only when this is 1 (they take minutes there)
set -eu
: "${BIN:?BIN must name the directory of the built commands}"
BENCH_TMP=${BENCH_TMP:-/tmp/officeadm-bench}
SIZES=${INVENTORY_BENCH_SIZES:-1000000}
RUNS=${INVENTORY_BENCH_RUNS:-3}
SLOW=${INVENTORY_BENCH_SLOW:-0}
here=$(cd "$(dirname "$0")" && pwd)
W=$BENCH_TMP/inventory-diff
export LC_ALL=C
mkdir -p "$W"
cc -O2 -o "$W/gen" "$here/gen.c"

# DuckDB: node and npm from DEB_BENCH; the package under $BENCH_TMP.
duckdb=no
if command -v node >/dev/null && command -v npm >/dev/null; then
	if [ ! -d "$W/node/node_modules/@duckdb/node-api" ]; then
		mkdir -p "$W/node"
		(cd "$W/node" && npm install --silent --no-audit --no-fund @duckdb/node-api >/dev/null 2>&1) || true
	fi
	if [ -d "$W/node/node_modules/@duckdb/node-api" ]; then
		cp "$here/duckdb.mjs" "$W/node/duckdb.mjs"
		duckdb=yes
	fi
fi
[ "$duckdb" = yes ] || echo "# DuckDB (@duckdb/node-api) could not be installed: skipped"

# measure NAME OUTDIR CMD [RUNS]: runs CMD (a shell command) RUNS times;
# appends "NAME wall rss" with the best wall time and the peak RSS.
measure() {
	name=$1 out=$2 cmd=$3 runs=${4:-$RUNS} best="" rss=0 i=0
	mkdir -p "$out"
	while [ "$i" -lt "$runs" ]; do
		/usr/bin/time -f "%e %M" -o "$W/time" sh -c "$cmd" >/dev/null 2>"$W/stderr" || {
			st=$?
			# inventory-diff exits 1 when it has findings.
			[ "$name" = inventory-diff ] && [ "$st" -eq 1 ] || {
				echo "# $name failed (status $st):"; sed 's/^/#   /' "$W/stderr" | tail -5
				return 0
			}
		}
		set -- $(tail -1 "$W/time")
		best=$(awk -v a="$1" -v b="$best" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }')
		[ "$2" -gt "$rss" ] && rss=$2
		i=$((i + 1))
	done
	printf '%s %s %s\n' "$name" "$best" "$((rss / 1024))" >> "$W/results"
}

# answer OUTDIR: "ok" when OUTDIR's sorted missing/surplus/moved equal the reference.
answer() {
	for k in missing surplus moved; do
		[ -f "$1/$k" ] || { echo "no $k"; return; }
		sort -o "$1/$k" "$1/$k"
		cmp -s "$1/$k" "$W/ref/$k" || { echo "differs ($k)"; return; }
	done
	echo "same"
}

for n in $SIZES; do
	d=$W/$n
	mkdir -p "$d"
	if [ ! -s "$d/register.csv" ] || [ ! -s "$d/scans.csv" ]; then
		"$W/gen" "$n" "$d"
	fi
	reg=$d/register.csv scans=$d/scans.csv
	: > "$W/results"
	rm -rf "$W/ref" "$d"/out-*
	echo "## $n rows: register $(($(wc -c < "$reg") / 1048576)) MB, scans $(($(wc -c < "$scans") / 1048576)) MB"

	measure inventory-diff "$d/out-id" "$BIN/inventory-diff -o $d/out-id/findings.csv $reg $scans"
	mkdir -p "$W/ref"
	for k in missing surplus moved; do
		awk -F, -v k=$k '$1 == k { print $2 }' "$d/out-id/findings.csv" | sort > "$W/ref/$k"
	done

	measure "sort+join" "$d/out-sj" "cd $d/out-sj &&
		grep -E '^[A-Z]+-[0-9]+-[0-9A-Z],' $reg | cut -d, -f1,7 | sort -t, -k1,1 > r &&
		tail -n +2 $scans | cut -d, -f1,2 | sort -t, -k1,1 > s &&
		join -t, -a1 -a2 -e NULL -o 0,1.2,2.2 r s |
		awk -F, '\$3 == \"NULL\" { print \$1 > \"missing\"; next }
		         \$2 == \"NULL\" { print \$1 > \"surplus\"; next }
		         \$2 != \$3 { print \$1 > \"moved\" }' && touch missing surplus moved"

	if [ "$duckdb" = yes ]; then
		measure duckdb "$d/out-duck" "cd $W/node && node duckdb.mjs $reg $scans $d/out-duck"
	fi

	if [ "$n" -le 1000000 ] || [ "$SLOW" = 1 ]; then
		measure sqlite3 "$d/out-sql" "cd $d/out-sql && rm -f db && sqlite3 db <<'SQL'
.mode csv
.import $reg reg
.import $scans scan
.headers off
.output missing
SELECT \"资产编号\" FROM reg WHERE \"资产编号\" NOT IN (SELECT tag FROM scan);
.output surplus
SELECT tag FROM scan WHERE tag NOT IN (SELECT \"资产编号\" FROM reg);
.output moved
SELECT s.tag FROM scan s JOIN reg r ON r.\"资产编号\" = s.tag WHERE s.location <> r.\"存放地点\";
SQL
rm -f db" 1
		measure miller "$d/out-mlr" "cd $d/out-mlr &&
		mlr --icsv --onidx join --ul --ur -l 资产编号 -r tag -j tag -f $reg \
		    then put -q 'if (is_present(\${资产编号})) { print \"missing,\" . \${资产编号} }
		                 elif (is_absent(\${存放地点})) { print \"surplus,\" . \$tag }
		                 elif (\${存放地点} != \$location) { print \"moved,\" . \$tag }' $scans |
		awk -F, '{ print \$2 > \$1 }' && touch missing surplus moved" 1
	fi

	echo
	echo "| tool | wall (s, best of $RUNS; sqlite3, miller: 1 run) | peak RSS (MB) | answer |"
	echo "| --- | ---: | ---: | --- |"
	while read -r name wall rss; do
		case $name in
		inventory-diff) dir=out-id; a="reference: $(wc -l < "$W/ref/missing") missing, $(wc -l < "$W/ref/surplus") surplus, $(wc -l < "$W/ref/moved") moved" ;;
		sort+join) dir=out-sj ;;
		duckdb) dir=out-duck ;;
		sqlite3) dir=out-sql ;;
		miller) dir=out-mlr ;;
		esac
		[ "$name" = inventory-diff ] || a=$(answer "$d/$dir")
		echo "| $name | $wall | $rss | $a |"
	done < "$W/results"
	echo
done
