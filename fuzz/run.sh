#!/bin/sh
# fuzz/run.sh - builds and runs every fuzz/fuzz_*.c with libFuzzer.
#
#   make fuzz FUZZ_SECONDS=N      (or: FUZZ_SECONDS=N sh fuzz/run.sh)
#
# The library sources (libofficeadm/*.c) are compiled here with clang and
# the same sanitizers as the targets (address, undefined, fuzzer coverage)
# into build-fuzz/; the Makefile's own builds are not touched.  Each target
# runs FUZZ_SECONDS seconds on a corpus in build-fuzz/corpus/NAME that is
# seeded at run time from tests/data, examples/ and the small hand-made
# seeds in fuzz/seeds/NAME/.  A crash, leak, sanitizer report or timeout
# leaves its input in build-fuzz/crashes/NAME/ and makes this script exit 1.
#
# Environment:
#   FUZZ_SECONDS   seconds per target (default 10)
#   FUZZ_TARGETS   space-separated target names to run (default: all)
#   FUZZ_CC        compiler (default clang)
#   FUZZ_OUT       build directory (default build-fuzz)
#
# Needs the Debian packages clang and libclang-rt-14-dev (libFuzzer and the
# sanitizer runtimes); this script installs nothing.
set -u

FUZZ_SECONDS=${FUZZ_SECONDS:-10}
FUZZ_CC=${FUZZ_CC:-clang}
OUT=${FUZZ_OUT:-build-fuzz}
TOP=$(pwd)

if [ ! -d libofficeadm ] || [ ! -d fuzz ]; then
	echo "fuzz/run.sh: run from the top of the source tree" >&2
	exit 2
fi
if ! command -v "$FUZZ_CC" >/dev/null 2>&1; then
	echo "fuzz/run.sh: $FUZZ_CC not found; install the Debian packages clang libclang-rt-14-dev" >&2
	exit 2
fi

SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CFLAGS="-g -O1 -fno-omit-frame-pointer $SAN"
CPPFLAGS="-D_GNU_SOURCE -DOA_VERSION=\"fuzz\" -iquote libofficeadm -iquote cmd/common"
PKG_CFLAGS=$(pkg-config --cflags pangocairo libical 2>/dev/null)
PKG_LIBS=$(pkg-config --libs pangocairo libical 2>/dev/null)
LIBS="-lcsv -liniparser -lzint $PKG_LIBS -lpthread -lm"

mkdir -p "$OUT/obj" "$OUT/bin" "$OUT/corpus" "$OUT/crashes" "$OUT/logs" || exit 2

# ---- build the library with coverage and sanitizers ----
objs=""
for src in libofficeadm/*.c; do
	[ -f "$src" ] || continue
	obj="$OUT/obj/$(basename "$src" .c).o"
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || \
	   [ -n "$(find libofficeadm -name '*.h' -newer "$obj" 2>/dev/null | head -1)" ]; then
		# shellcheck disable=SC2086
		$FUZZ_CC $CPPFLAGS $PKG_CFLAGS $CFLAGS -fsanitize=fuzzer-no-link \
		    -c -o "$obj" "$src" || { echo "fuzz/run.sh: cannot compile $src" >&2; exit 2; }
	fi
	objs="$objs $obj"
done
rm -f "$OUT/libofficeadm-fuzz.a"
# shellcheck disable=SC2086
ar rcs "$OUT/libofficeadm-fuzz.a" $objs || exit 2

# ---- seeds ----
# add_seeds NAME PREFIX PATTERN...: every file under tests/data and
# examples/ whose name matches a find pattern, cut to 64 KiB, with the
# byte PREFIX (octal escape, or "" for none) put first for the targets
# that read a mode byte.
add_seeds() {
	_name=$1
	_prefix=$2
	shift 2
	_dir="$OUT/corpus/$_name"
	for _pat in "$@"; do
		find tests/data examples -type f -name "$_pat" 2>/dev/null
	done | while IFS= read -r _f; do
		_base=$(printf '%s' "$_f" | tr '/' '_')
		{ printf "$_prefix"; head -c 65536 "$_f"; } >"$_dir/seed_$_base"
	done
}

seed_corpus() {
	_name=$1
	_dir="$OUT/corpus/$_name"
	mkdir -p "$_dir"
	if [ -d "fuzz/seeds/$_name" ]; then
		cp fuzz/seeds/"$_name"/* "$_dir/" 2>/dev/null
	fi
	case $_name in
	fuzz_csv) add_seeds "$_name" '\000' '*.csv' '*.txt' ;;
	fuzz_stocktake)
		add_seeds "$_name" '\000' '*.csv'
		# Register and scan pairs from the example stock-take.
		_reg=examples/stocktake/register.csv
		if [ -f "$_reg" ]; then
			for _scan in examples/stocktake/*; do
				[ "$_scan" = "$_reg" ] && continue
				{ printf '\000'; cat "$_reg"; printf '\n@@SCAN@@\n'; cat "$_scan"; } \
				    >"$_dir/seed_pair_$(basename "$_scan")"
			done
		fi
		;;
	fuzz_assets) add_seeds "$_name" '\000' '*.csv' ;;
	fuzz_labels) add_seeds "$_name" '\000' 'register*.csv' ;;
	fuzz_schedule)
		add_seeds "$_name" '\003' '*request*.csv'
		if [ -f examples/meetings/requests.csv ] && [ -f examples/meetings/busy.csv ]; then
			{ printf '\003'; cat examples/meetings/requests.csv; printf '\n@@BUSY@@\n'
			  cat examples/meetings/busy.csv; } >"$_dir/seed_pair_requests_busy"
		fi
		;;
	fuzz_journal) add_seeds "$_name" '' '*journal*.csv' ;;
	fuzz_config|fuzz_routing) add_seeds "$_name" '' '*.ini' ;;
	fuzz_ical*) add_seeds "$_name" '' '*.ics' ;;
	esac
	# libFuzzer needs at least one input; an empty file is a fine start.
	[ -n "$(ls "$_dir")" ] || : >"$_dir/empty"
}

# ---- build and run every target ----
status=0
ran=0
summary=""
for src in fuzz/fuzz_*.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	if [ -n "${FUZZ_TARGETS:-}" ]; then
		case " $FUZZ_TARGETS " in *" $name "*) ;; *) continue ;; esac
	fi
	bin="$OUT/bin/$name"
	# shellcheck disable=SC2086
	if ! $FUZZ_CC $CPPFLAGS $PKG_CFLAGS $CFLAGS -fsanitize=fuzzer -iquote fuzz \
	    -o "$bin" "$src" "$OUT/libofficeadm-fuzz.a" $LIBS; then
		echo "fuzz/run.sh: cannot build $name" >&2
		status=1
		continue
	fi
	seed_corpus "$name"
	mkdir -p "$OUT/crashes/$name"
	log="$OUT/logs/$name.log"
	echo "== fuzz: $name (${FUZZ_SECONDS}s)"
	dict=""
	[ -f "fuzz/$name.dict" ] && dict="-dict=fuzz/$name.dict"
	# shellcheck disable=SC2086
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	LSAN_OPTIONS="suppressions=$TOP/fuzz/lsan.supp:print_suppressions=0" \
	"$bin" -max_total_time="$FUZZ_SECONDS" -timeout=20 -rss_limit_mb=2048 \
	    -max_len=65536 -print_final_stats=1 $dict \
	    -artifact_prefix="$OUT/crashes/$name/" \
	    "$OUT/corpus/$name" >"$log" 2>&1
	rc=$?
	ran=$((ran + 1))
	done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 |
	    sed 's/^#[0-9]*[[:space:]]*DONE[[:space:]]*//')
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	if [ "$rc" -ne 0 ]; then
		status=1
		echo "not ok - $name: exit $rc, see $log"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -10 | sed 's/^/#   /'
		summary="$summary
$name: FAILED (exit $rc)"
	else
		echo "ok - $name: ${execs:-?} runs; $done_line"
		summary="$summary
$name: ${execs:-?} runs, $done_line"
	fi
done

if [ "$ran" -eq 0 ]; then
	echo "fuzz/run.sh: no fuzz target ran" >&2
	exit 2
fi
echo "== fuzz summary (${FUZZ_SECONDS}s per target)$summary"
exit "$status"
