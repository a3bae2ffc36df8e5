#!/bin/sh
# A day in the office of the sample organisation (examples/): each part in
# examples/demo.d/ runs one command's share of the day, in order, in a
# scratch directory, with the built commands on PATH.  Run by `make demo`
# and by the tests (tests/e2e/demo.sh), so it stays true.
set -eu
EXAMPLES=$(cd "$(dirname "$0")" && pwd)
WORK=${DEMO_WORK:-$(mktemp -d)}
export EXAMPLES WORK OFFICEADM_CONFIG="$EXAMPLES/officeadm.ini"
cd "$WORK"
for part in "$EXAMPLES"/demo.d/*.sh; do
	[ -f "$part" ] || continue
	echo "### ${part##*/}"
	. "$part"
done
echo "### demo finished in $WORK"
