#!/bin/sh
# Runs every benchmark bench/*/run.sh in turn (each generates its data
# under ${BENCH_TMP:-/tmp/officeadm-bench}, never in the tree) with the
# built commands in $B/bin.  Results print as tables; bench/README.md
# records the figures of the last full run.
set -eu
B=${B:-build}
BIN="$(pwd)/$B/bin"
BENCH_TMP=${BENCH_TMP:-/tmp/officeadm-bench}
export BIN BENCH_TMP B
mkdir -p "$BENCH_TMP"
for b in bench/*/run.sh; do
	[ -f "$b" ] || continue
	echo "### $b"
	sh "$b"
done
