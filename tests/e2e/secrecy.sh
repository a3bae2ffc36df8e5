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
# Not checked (reported): the lock file holds no titles and is created 0666
# less the umask; notices are plain files, and hold classified titles only
# when --show-classified was given.
for f in $J.lock out/notices-sc/*; do
	[ -f "$f" ] && echo "#   ${f##*/}: mode $(stat -c %a "$f")"
done

done_testing
