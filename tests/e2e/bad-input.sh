#!/bin/sh
# bad-input.sh - every case of the bad-input corpus (tests/data/bad/)
# through the commands.  A case NAME.expect may hold:
#
#   run: COMMAND ARGS...   a command line, run in a scratch copy of the
#                          corpus (so NAME.csv and the _* helper files are
#                          in the current directory); several allowed
#   expect: REGEX          an extended regex a line of stderr must match
#                          (it names the file and the line)
#   status: N              the exit status wanted (default 2); without
#                          expect, stderr must then be empty
#
# For exit 2 nothing in the directory may change: every file keeps its
# checksum and no file appears (lock files aside, which are left by
# design).  A case whose command is not built is reported as skipped.
# Two cases too big for the repository are made here: a 10 MB field and
# a header of 1M columns.
. "${TOP:-.}/tests/e2e/lib.sh"

cp -R "$DATA/bad" "$T/bad" || exit 2
cd "$T/bad" || exit 2

snapshot() {
	find . -type f ! -name '*.lock' -exec cksum {} + | LC_ALL=C sort
}

# run_case NAME WANT_STATUS REGEX CMDLINE
run_case() {
	_case=$1 _want=$2 _re=$3 _cmd=$4
	_prog=${_cmd%% *}
	if [ ! -x "$BIN/$_prog" ]; then
		ok "$_case: $_cmd # SKIP $_prog not built"
		return
	fi
	snapshot >"$T/before"
	# shellcheck disable=SC2086
	eval "set -- $_cmd"
	run "$@" </dev/null
	snapshot >"$T/after"
	if [ "$status" -ne "$_want" ]; then
		not_ok "$_case: $_cmd (status $status, want $_want)"
		sed 's/^/#   /' "$T/err" | head -5
		return
	fi
	if [ -n "$_re" ]; then
		if ! grep -Eq -e "$_re" "$T/err"; then
			not_ok "$_case: $_cmd (no stderr line matching '$_re')"
			sed 's/^/#   /' "$T/err" | head -5
			return
		fi
	elif [ -s "$T/err" ]; then
		not_ok "$_case: $_cmd (stderr not empty)"
		sed 's/^/#   /' "$T/err" | head -5
		return
	fi
	if [ "$_want" -eq 2 ] && ! cmp -s "$T/before" "$T/after"; then
		not_ok "$_case: $_cmd (files changed on exit 2)"
		diff "$T/before" "$T/after" | sed 's/^/#   /' | head -10
		return
	fi
	ok "$_case: $_cmd"
}

ncases=0
for e in *.expect; do
	name=${e%.expect}
	want=$(sed -n 's/^status: *//p' "$e" | head -1)
	re=$(sed -n 's/^expect: *//p' "$e" | head -1)
	cmds=$(sed -n 's/^run: *//p' "$e")
	[ -n "$cmds" ] || continue
	ncases=$((ncases + 1))
	printf '%s\n' "$cmds" >"$T/cmds"
	while IFS= read -r cmd; do
		run_case "$name" "${want:-2}" "$re" "$cmd"
	done <"$T/cmds"
done
check "the corpus has command-level cases" test "$ncases" -ge 5

# ---- generated cases ----
mkdir -p "$T/gen" && cd "$T/gen" || exit 2
cp "$DATA/bad/_register.csv" "$DATA/bad/_scan.txt" "$DATA/bad/_assets.csv" .
# A 10 MB field on line 3 (over the default 1 MiB limit).
{
	printf 'tag,name,value\nBGS-2024-0001-E,Desktop PC,5200\nBGS-2024-0002-C,'
	head -c 10485760 /dev/zero | tr '\0' x
	printf ',2300\n'
} >huge-field.csv
# A header of 1M columns, none of them a tag column.
awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "%sc%d", (i ? "," : ""), i; print ""; print "1,2" }' \
	>wide-header.csv
for cmd in 'inventory-diff huge-field.csv _scan.txt' \
    'inventory-diff -u _register.csv _register.csv huge-field.csv' \
    'asset-tag --today 2026-11-28 -r _assets.csv huge-field.csv'; do
	run_case huge-field 2 '^[a-z-]+: huge-field.csv:3: field 2 \(name\) is longer than 1048576 bytes$' "$cmd"
done
run_case wide-header 2 '^inventory-diff: wide-header.csv:1: missing required column "tag"' \
	'inventory-diff -u wide-header.csv wide-header.csv _scan.txt'

done_testing
