#!/bin/sh
# Runs the unit tests (every $B/tests/test_*) and the end-to-end tests
# (every tests/e2e/*.sh, which print TAP-like "ok - ..." / "not ok - ..."
# lines), then one closing line: "N passed, N failed".
B=${B:-build}
ONLY=${ONLY:-}
top=$(pwd)
pass=0
fail=0
failed=""

if [ "$ONLY" != e2e ]; then
	for t in "$B"/tests/test_*; do
		[ -x "$t" ] || continue
		echo "== unit: ${t##*/}"
		if "$t"; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			failed="$failed ${t##*/}"
		fi
	done
fi

if [ "$ONLY" != unit ]; then
	for s in tests/e2e/*.sh; do
		[ -f "$s" ] || continue
		case $s in */lib.sh) continue ;; esac
		echo "== e2e: ${s##*/}"
		log=$(mktemp)
		BIN="$top/$B/bin" TOP="$top" sh "$s" >"$log" 2>&1
		status=$?
		cat "$log"
		p=$(grep -c '^ok ' "$log")
		f=$(grep -c '^not ok ' "$log")
		rm -f "$log"
		pass=$((pass + p))
		fail=$((fail + f))
		if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
			fail=$((fail + 1))
			failed="$failed ${s##*/}(exit $status)"
		fi
		[ "$f" -gt 0 ] && failed="$failed ${s##*/}"
	done
fi

# A test run as root must never replace a device it writes to (an output
# renamed over /dev/null once turned it into a regular file).
if [ -c /dev/null ]; then pass=$((pass + 1)); else
	echo "not ok - /dev/null is no longer a character device after the tests"
	fail=$((fail + 1)); failed="$failed /dev/null"
fi

[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
