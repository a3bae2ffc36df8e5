#!/bin/sh
# secrecy.sh - titles of 绝密 and 机密 documents appear in no output of
# doc-route without --show-classified: every report, notice, slip, log,
# explanation and message is searched for them.  With --show-classified
# they do appear (so the search can fail), and 秘密 titles are not
# withheld.  The journal is readable by its owner only.
. "${TOP:-.}/tests/e2e/lib.sh"

export OFFICEADM_CONFIG="$TOP/examples/officeadm.ini"
J=j.journal
TOP_SECRET=绝密文件标题甲乙丙丁
SECRET=机密文件标题子丑寅卯
CONFIDENTIAL=秘密文件标题天地玄黄
PLAIN=普通文件标题春夏秋冬

cat >docs.csv <<EOF
direction,type,title,issuer,ref,urgency,secrecy,received,deadline,keywords
收文,通知,$TOP_SECRET,市人民政府办公室,示府办发〔2026〕50号,特急,绝密,2026-11-02,,安全
收文,请示,$SECRET,财务科,,加急,机密★1年,2026-11-02,,经费
收文,通知,$CONFIDENTIAL,市统计局,,,秘密,2026-11-02,,数据
发文,报告,$PLAIN,市人民政府,,,,2026-11-02,2026-11-10,
发文,报告,$SECRET之发文,市人民政府,,,机密,2026-11-02,2026-11-10,
EOF

mkdir out
# Every command that shows documents, into out/NAME (stdout and stderr).
show() {
	_name=$1
	shift
	"$@" >"out/$_name" 2>"out/$_name.err"
	echo "$?" >"out/$_name.status"
}
reports() {
	_sfx=$1
	shift
	show "register$_sfx" doc-route -j $J register --at "2026-11-02 08:30" "$@" docs.csv
	show "route$_sfx" doc-route route --explain "$@" docs.csv
	for d in 1 2 3 4 5; do
		show "step$d$_sfx" doc-route -j $J step --at "2026-11-02 09:00" "$d" 登记
		show "illegal$d$_sfx" doc-route -j $J step --at "2026-11-02 09:10" "$d" 归档
		show "urge$d$_sfx" doc-route -j $J step --at "2026-11-02 09:20" --note "催办" "$d" 催办
		show "slip$d$_sfx" doc-route -j $J slip "$@" "$d"
		show "log$d$_sfx" doc-route -j $J log "$d"
	done
	show "status$_sfx" doc-route -j $J status "$@"
	show "status-excel$_sfx" doc-route -j $J status --excel "$@"
	show "overdue$_sfx" doc-route -j $J overdue --as-of 2026-12-31 --notices "out/notices$_sfx" "$@"
	show "overdue-o$_sfx" doc-route -j $J overdue --as-of 2026-12-31 -o "out/overdue-file$_sfx.csv" "$@"
	show "status-o$_sfx" doc-route -j $J status -o "out/status-file$_sfx.csv" "$@"
}

reports ""
check "doc-route register worked" test "$(cat out/register.status)" -eq 0
check "overdue found the overdue documents (status 1)" test "$(cat out/overdue.status)" -eq 1
check "overdue wrote notices" test -n "$(ls out/notices 2>/dev/null)"
check "the slips were printed" test -s out/slip1

# Search everything written without --show-classified.
for t in "$TOP_SECRET" "$SECRET"; do
	hits=$(grep -rl -- "$t" out 2>/dev/null | tr '\n' ' ')
	if [ -z "$hits" ]; then
		ok "no report, notice, slip, log or message shows \"$t\""
	else
		not_ok "\"$t\" shown in: $hits"
	fi
done
check_grep "a 秘密 title is not withheld" "$CONFIDENTIAL" out/status
check_grep "an ordinary title is shown" "$PLAIN" out/status
check_grep "the withheld title is marked" '密件' out/status

# The same with --show-classified: now they are there.
rm -rf out && mkdir out
rm -f $J $J.lock $J.state
reports "-sc" --show-classified
check_grep "--show-classified: status shows the 绝密 title" "$TOP_SECRET" out/status-sc
check_grep "--show-classified: overdue shows the 机密 title" "$SECRET" out/overdue-sc
check_grep "--show-classified: the slip shows it" "$TOP_SECRET" out/slip1-sc

# The journal holds the titles: owner only.
mode=$(stat -c %a $J)
check "the journal is created mode 600 (is $mode)" test "$mode" = 600
# The lock file holds no titles, but whoever can open it can hold a lock
# that blocks every writer: owner only as well.
mode=$(stat -c %a $J.lock)
check "the journal's lock file is mode 600 (is $mode)" test "$mode" = 600
# Every file that holds classified titles (--show-classified) is 0600: new
# ones, and ones that replace a file readable by others (its mode is not
# kept).  Under umask 022 a new file would otherwise be 0644.
umask 022
for f in out/notices-sc/* out/overdue-file-sc.csv out/status-file-sc.csv; do
	check "new ${f##*/} with classified titles is mode 600 (is $(stat -c %a "$f"))" \
		test "$(stat -c %a "$f")" = 600
done
for f in old-status.csv old-slip.txt old-overdue.csv old-route.csv; do
	: >"$f"
	chmod 644 "$f"
done
mkdir -p old-notices && for f in out/notices-sc/*; do : >"old-notices/${f##*/}"; done
chmod 644 old-notices/*
doc-route -j $J status --show-classified -o old-status.csv
doc-route -j $J slip --show-classified -o old-slip.txt 1
doc-route -j $J overdue --as-of 2026-12-31 --show-classified -o old-overdue.csv --notices old-notices
doc-route route --show-classified -o old-route.csv docs.csv
for f in old-status.csv old-slip.txt old-overdue.csv old-route.csv old-notices/*; do
	check "${f##*/} replaced with classified titles is mode 600, not 644 (is $(stat -c %a "$f"))" \
		test "$(stat -c %a "$f")" = 600
done
check_grep "the slip replaced holds the title" "$TOP_SECRET" old-slip.txt
# Without --show-classified nothing is classified: a file keeps its mode.
chmod 644 old-status.csv
doc-route -j $J status -o old-status.csv
check "status without --show-classified keeps the file's mode 644" \
	test "$(stat -c %a old-status.csv)" = 644

done_testing
