#!/bin/sh
# `make install` puts the commands, the man pages and the example config
# under DESTDIR/PREFIX, and `make uninstall` takes them away again.
. "$TOP/tests/e2e/lib.sh"
run make -s -C "$TOP" install DESTDIR="$T/inst" PREFIX=/opt/oa
check_status "make install" 0
for f in bin/asset-tag bin/inventory-diff bin/doc-route bin/meeting-sched \
	share/man/man1/asset-tag.1 share/man/man5/officeadm.ini.5 share/man/man7/officeadm.7 \
	share/officeadm/officeadm.ini; do
	check "installs $f" test -f "$T/inst/opt/oa/$f"
done
run "$T/inst/opt/oa/bin/asset-tag" --version
check_status "the installed command runs" 0
run make -s -C "$TOP" uninstall DESTDIR="$T/inst" PREFIX=/opt/oa
check_status "make uninstall" 0
check "uninstall leaves no file" test -z "$(find "$T/inst" -type f)"
done_testing
