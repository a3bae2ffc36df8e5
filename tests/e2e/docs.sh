#!/bin/sh
# The manual is kept in step with the code: every man page lints clean with
# mandoc, every setting in libofficeadm/settings.c is documented in
# officeadm.ini(5), every command has a man page, and every command's
# --help and --version work.
. "$TOP/tests/e2e/lib.sh"

if command -v mandoc >/dev/null 2>&1; then
	for m in "$TOP"/man/*.[1-9]; do
		out=$(mandoc -T lint -W warning "$m" 2>&1)
		if [ -z "$out" ]; then ok "mandoc lint ${m##*/}"; else
			not_ok "mandoc lint ${m##*/}"
			echo "$out" | head -5 | sed 's/^/#   /'
		fi
	done
fi

# Settings table: { "section", "key" }, one per line.
sed -n 's/^[[:space:]]*{ "\([^"]*\)", "\([^"]*\)" },.*/\1 \2/p' "$TOP/libofficeadm/settings.c" |
while read -r section key; do
	if [ "$key" = "*" ]; then
		grep -q "^\.Ss \[$section\]" "$TOP/man/officeadm.ini.5" && echo "ok - [$section] documented" ||
			echo "not ok - [$section] is not documented in officeadm.ini(5)"
	else
		# The key must appear as an item of the page (".It Cm key").
		grep -q "^\.It Cm $key\b" "$TOP/man/officeadm.ini.5" && echo "ok - [$section] $key documented" ||
			echo "not ok - [$section] $key is not documented in officeadm.ini(5)"
	fi
done >"$T/settings"
cat "$T/settings"
grep -q '^not ok' "$T/settings" && _fails=$((_fails + 1))

for tool in "$BIN"/*; do
	[ -x "$tool" ] || continue
	name=${tool##*/}
	check "man page for $name" test -f "$TOP/man/$name.1"
	run "$tool" --help
	check_status "$name --help exits 0" 0
	check "$name --help prints usage" grep -qi "usage" "$T/out"
	run "$tool" --version
	check_status "$name --version exits 0" 0
	check_grep "$name --version names officeadm" "officeadm" "$T/out"
	run "$tool" --no-such-option
	check_status "$name rejects an unknown option with 2" 2
done
done_testing
