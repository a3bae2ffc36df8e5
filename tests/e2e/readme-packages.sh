#!/bin/sh
# The README's set-up section names every Debian package that `make demo`
# and `make check` install (the Makefile's DEB_BUILD, DEB_DEMO and DEB_TEST),
# so it says exactly what the two commands install.
. "$TOP/tests/e2e/lib.sh"

for list in DEB_BUILD DEB_DEMO DEB_TEST; do
	pkgs=$(make -s -C "$TOP" print-$list 2>/dev/null)
	if [ -z "$pkgs" ]; then
		not_ok "the Makefile has a $list list"
		continue
	fi
	missing=""
	for p in $pkgs; do
		grep -qw -- "$p" "$TOP/README.md" || missing="$missing $p"
	done
	if [ -z "$missing" ]; then ok "README names every package of $list"
	else not_ok "README does not name$missing ($list)"; fi
done

# The fresh-machine test runs exactly the README's two commands.
check_grep "the README's quick start is make demo" '^    make demo ' "$TOP/README.md"
check_grep "the README's quick start is make check" '^    make check ' "$TOP/README.md"
check_grep "the fresh-machine test runs make demo then make check" \
	'for cmd in "make demo" "make check"' "$TOP/tests/fresh/run.sh"
done_testing
