#!/bin/sh
# doc-route end to end: register, route --explain, steps and illegal steps,
# numbering by concurrent runs, a damaged journal, overdue and notices,
# secrecy of classified titles in every output, and the demo's week.
. "$TOP/tests/e2e/lib.sh"
D="$DATA/doc-route"
export OFFICEADM_CONFIG="$D/officeadm.ini"
SECRET=关于绝密事项甲的通报

run doc-route --version
check_status "version exits 0" 0
check_grep "version names the program" '^doc-route (officeadm)' "$T/out"
run doc-route --help
check_status "help exits 0" 0
run doc-route frobnicate
check_status "unknown subcommand is status 2" 2

# route --explain: worked out by hand in explain.expected.
run doc-route route --explain "$D/docs.csv"
check_status "route --explain" 0
check_same "route --explain says which rule matched and why" "$D/explain.expected" "$T/out"
cp "$T/out" all-outputs.1
# A lead department missing from [departments] is pointed out.
printf '[departments]\n办公室 = BGS\n[doc-route.rules]\n所有.lead = 综合科\n' >lead.ini
run doc-route -c lead.ini route --explain "$D/route-in.csv"
check_grep "explain points out a lead outside [departments]" '^   (综合科 is not in \[departments\]: no notice can reach its head)$' "$T/out"
# route as CSV: the input's columns carried through in their order, the
# 主办 column filled in where empty (a 主办 the sheet gives, 原主办, stays),
# deadline and the other routing columns appended.
run doc-route route "$D/route-in.csv"
check_status "route" 0
check_same "route fills and appends the routing columns" "$D/route.expected" "$T/out"
run doc-route route "$D/docs.csv"
cp "$T/out" all-outputs.1b

# register: ids, deadlines by urgency on the calendar, routing.
run doc-route register --at "2026-11-23 08:30" --by 王秘书 "$D/docs.csv"
check_status "register" 0
check_same "register prints ids, deadlines and routing" "$D/register.expected" "$T/out"
cp "$T/out" all-outputs.2
check "journal created readable by its owner only" \
	test "$(stat -c %a test.journal)" = 600
check_grep "journal starts with its header" '^seq,time,doc,step,actor,department,note,direction,' test.journal

# Bad documents CSV: file and line, status 2, journal untouched.
cp test.journal before
run doc-route register "$D/bad-type.csv"
check_status "bad type is status 2" 2
check_grep "bad type names file and line" 'bad-type.csv:3: type "公函"' "$T/err"
check "bad input leaves the journal alone" cmp -s before test.journal

# Steps, numbering and illegal transitions.
run doc-route step --at "2026-11-23 09:00" 1 登记
check_status "登记 assigns a number" 0
echo '收文〔2026〕1号' >exp
check_same "incoming registration number" exp "$T/out"
run doc-route step --at "2026-11-23 09:05" 2 registered
echo '收文〔2026〕2号' >exp
check_same "step names in English; the next number" exp "$T/out"
cp test.journal before
run doc-route step --at "2026-11-23 09:10" 1 办结
check_status "illegal transition is status 2" 2
check_grep "illegal transition says why" 'document 1 is at 登记; 办结 may not follow (next: 初审, 退回, 拟办, 承办, 传阅, 催办, 延期, 重算)' "$T/err"
check "illegal transition leaves the journal alone" cmp -s before test.journal
run doc-route step 1 盖章
check_status "unknown step is status 2" 2
run doc-route step 9 催办
check_status "unknown document is status 2" 2
check "failed steps leave the journal alone" cmp -s before test.journal
for s in 初审 拟办 批办 承办; do doc-route step --at "2026-11-23 10:00" 1 $s >/dev/null; done
doc-route step --at "2026-11-25 10:00" --by 王秘书 --note "电话催办" 1 催办
doc-route step --at "2026-11-26 10:00" --by 王秘书 --note "再次催办
（第二次）" 1 urged
for s in 审核 签发 复核; do doc-route step --at "2026-11-23 11:00" 3 $s; done
run doc-route number --at "2026-11-23 11:30" 3
echo '测试发〔2026〕1号' >exp
check_same "发文字号 with 〔〕 and no padding" exp "$T/out"
doc-route step --at "2026-11-23 14:00" 3 印制
doc-route step --at "2026-11-23 15:00" 3 核发
run doc-route log 1
check_status "log" 0
check_grep "log shows the chase with its note on one line" '^12,2026-11-26 10:00,1,催办,王秘书,,再次催办 （第二次）,,$' "$T/out"
run doc-route log '测试发〔2026〕1号'
check_grep "log finds a document by its number" '^16,2026-11-23 11:30,3,登记,,,,测试发〔2026〕1号,$' "$T/out"

# Overdue: worked out by hand in overdue.expected; status 1.
run doc-route overdue --as-of 2026-11-27 --soon 1 --notices notices
check_status "overdue is status 1 when something is late" 1
check_same "overdue per department" "$D/overdue.expected" "$T/out"
cp "$T/out" all-outputs.3
check "one notice per department" test -f notices/BGS.txt -a -f notices/CWK.txt
# RFC 2047: "王主任" is e7 8e 8b e4 b8 bb e4 bb bb, base64 "546L5Li75Lu7".
check_grep "notice addressed to the department head" '^To: =?UTF-8?B?546L5Li75Lu7?= <wang@example.org>$' notices/BGS.txt
check_grep "notice lists the late document" '关于安全经费的请示' notices/CWK.txt
run doc-route overdue --as-of 2026-11-23
check_status "nothing late: status 0" 0
check_same "nothing late: silent, for cron" /dev/null "$T/out"
run doc-route overdue --as-of 2026-13-01
check_status "bad --as-of is status 2" 2

# Secrecy: the classified title appears in no output, unless asked for.
run doc-route status
check_status "status" 0
cp "$T/out" all-outputs.4
check_grep "status shows the document's step" '^1,收文〔2026〕1号,收文,请示,关于安全经费的请示,市财政局,' "$T/out"
# -o naming the journal would replace it with the report: refused, exit 2.
cp test.journal journal-before
for sub in status overdue "log 1" "slip 1" "route $D/docs.csv"; do
	run doc-route $sub -o test.journal
	check_status "$sub -o naming the journal: exit 2" 2
	check_same "$sub -o naming the journal: journal unchanged" journal-before test.journal
done
for doc in 1 2 3 4; do
	doc-route slip "$doc" >"all-outputs.slip$doc"
	doc-route log "$doc" >"all-outputs.log$doc"
done
cat notices/* >all-outputs.notices
check "no classified title in any output" sh -c "! grep -l '$SECRET' all-outputs.*"
check "no part of it either" sh -c "! grep -l '绝密事项' all-outputs.*"
run doc-route status --show-classified
check_grep "--show-classified shows it" "$SECRET" "$T/out"
run doc-route slip --show-classified 2
check_grep "--show-classified on the slip" "标题：$SECRET" "$T/out"

# Numbering by several runs at once: one gap-free sequence.
cat >out.csv <<'CSV'
direction,type,title
out,notice,稿1
out,notice,稿2
out,notice,稿3
out,notice,稿4
out,notice,稿5
out,notice,稿6
CSV
doc-route -j par.journal register --at "2026-11-24 08:00" out.csv >/dev/null
for d in 1 2 3 4 5 6; do
	for s in 审核 签发 复核; do doc-route -j par.journal step --at "2026-11-24 09:00" $d $s; done
done
for d in 1 2 3 4 5 6; do
	doc-route -j par.journal number --at "2026-11-24 10:00" $d >num.$d &
done
wait
cat num.* | sort >got
printf '测试发〔2026〕%d号\n' 1 2 3 4 5 6 | sort >exp
check_same "six concurrent runs get numbers 1 to 6 once each" exp got
run doc-route -j par.journal status
check_status "the journal of the concurrent runs verifies" 0

# A number whose printing fails (full stdout) is in the journal all the
# same: status 2, and the message gives the number so nobody numbers twice.
if [ -w /dev/full ]; then
	doc-route -j par.journal register --again --at "2026-11-24 08:00" out.csv >/dev/null
	for s in 审核 签发 复核; do doc-route -j par.journal step --at "2026-11-24 09:00" 7 $s; done
	doc-route -j par.journal number --at "2026-11-24 10:00" 7 >/dev/full 2>"$T/full.err"
	status=$?
	check_status "number to a full stdout is status 2" 2
	check_grep "number to a full stdout names the number given" \
		'7 was numbered 测试发〔2026〕7号 in the journal all the same' "$T/full.err"
	run doc-route -j par.journal log 7
	check_grep "number to a full stdout: the journal has it" '测试发〔2026〕7号,$' "$T/out"
fi

# Registering from several runs at once: every document once, ids 1..N.
for k in 1 2 3 4; do
	doc-route -j reg.journal register --again --at "2026-11-24 08:00" out.csv >reg.$k &
done
wait
cat reg.1 reg.2 reg.3 reg.4 | grep -v '^doc,' | cut -d, -f1 | sort -n >got
seq 1 24 >exp
check_same "four concurrent registers get ids 1 to 24 once each" exp got
run doc-route -j reg.journal status --excel
check_grep "status --excel starts with a BOM" "$(printf '\357\273\277')doc,number," "$T/out"
check_grep "status --excel ends lines with CRLF" "$(printf ',open\r')$" "$T/out"

# A damaged journal: named by file and line, status 2, nothing written.
# Line 6 holds seq 5 (line 1 is the header): document 1's 登记.
sed '6s/,登记,/,盖章,/' test.journal >bad.journal
cp bad.journal before
run doc-route -j bad.journal status
check_status "damaged journal is status 2" 2
check_grep "damaged line named, by line and column" 'bad.journal:6: column 24 (chain): the chain value does not match' "$T/err"
run doc-route -j bad.journal step 4 审核
check_status "no step on a damaged journal" 2
check "damaged journal left alone" cmp -s before bad.journal
awk 'NR != 6' test.journal >gap.journal
run doc-route -j gap.journal overdue
check_grep "a missing line breaks the chain on the next" 'gap.journal:6: column 24 (chain): the chain value does not match' "$T/err"

# The demo's week (examples/demo.d/30-doc-route.sh), checked by hand.
mkdir demo
(
	cd demo && EXAMPLES="$TOP/examples" WORK=$(pwd) \
	OFFICEADM_CONFIG="$TOP/examples/officeadm.ini" sh -eu -c '. "$EXAMPLES/demo.d/30-doc-route.sh"'
) >demo.out 2>demo.err
status=$?
cp demo.err "$T/err"
check_status "demo part runs" 0
check_same "demo: Monday's 督办 list" "$D/demo-overdue.expected" demo/督办.csv
check "demo: notices for three departments" test -f demo/督办通知/BGS.txt -a -f demo/督办通知/CWK.txt -a -f demo/督办通知/XXZX.txt
check "demo: no classified title anywhere" sh -c "! grep -r '重点目标防护' demo.out demo/督办通知 demo/督办.csv demo/公文状态.csv"

# The crontab line, with a stand-in for sendmail (found on PATH) that keeps
# the messages.  The line judges by today's date, so it runs with a copy of
# the example settings whose calendar knows every year from the demo's
# (2026) to this one and makes today a working day (an 调休 day when it is a
# weekend): then it must run without a message and send one mail per
# department that the same run lists, on any date.  (With the example
# settings as they are, from 2027 on `workday` stops with a message about
# the missing holidays, and no mail is the right answer; doc-handling.sh
# runs the line on a holiday.)  A run across midnight is done again.
mkdir mails fakebin
printf '#!/bin/sh\ncat >"%s/mails/$$"\n' "$T" >fakebin/sendmail
chmod +x fakebin/sendmail
line=$(grep '^[0-9]' "$TOP/examples/crontab-doc-route" | sed 's/^[^ ]* [^ ]* [^ ]* [^ ]* [^ ]* *//')
for attempt in 1 2; do
	today=$(TZ=Asia/Shanghai date +%F)
	year=${today%%-*}
	more="" y=2027
	while [ "$y" -le "$year" ]; do
		d=$y-01-01
		[ "$d" = "$today" ] && d=$y-01-02
		more="$more, $d"
		y=$((y + 1))
	done
	sed -e "s/^holidays = .*/&$more/" -e "s/^extra_workdays = .*/&, $today/" \
		"$TOP/examples/officeadm.ini" >cron.ini
	rm -f mails/*
	(cd demo && PATH="$T/fakebin:$PATH" OFFICEADM_CONFIG="$T/cron.ini" \
		sh -c "$line") >cron.out 2>cron.err
	(cd demo && OFFICEADM_CONFIG="$T/cron.ini" doc-route overdue --soon 2) >today.csv
	workday=0
	OFFICEADM_CONFIG="$T/cron.ini" doc-route workday 2>/dev/null || workday=$?
	[ "$(TZ=Asia/Shanghai date +%F)" = "$today" ] && break
done
cp cron.err "$T/err"
check "crontab line runs without a message ($today)" test ! -s cron.err
check "today ($today) is a working day in the test's calendar" test "$workday" -eq 0
depts=$(sed 1d today.csv | cut -d, -f1 | sort -u | wc -l)
mails=$(ls mails | wc -l)
# The demo's 收文 of 2026-11 that nobody handles stay late for ever.
check "the demo's documents are late: some department is listed" test "$depts" -gt 0
check "crontab line sends one mail per department listed ($depts)" test "$mails" -eq "$depts"
if [ "$mails" -gt 0 ]; then
	check "cron mails are addressed" test "$(grep -l '^To: ' mails/* | wc -l)" -eq "$mails"
fi

# register whose printed list cannot be written: the journal keeps the
# documents, and the message says so (so nobody registers them twice).
if [ -w /dev/full ]; then
	doc-route -c "$TOP/examples/officeadm.ini" -j full.journal register \
		"$TOP/examples/docs/2026-11-23.csv" >/dev/full 2>"$T/full.err"
	status=$?
	check_status "register to a full stdout is status 2" 2
	check_grep "it says the documents are recorded" "recorded in the journal all the same" "$T/full.err"
	run doc-route -c "$TOP/examples/officeadm.ini" -j full.journal status
	check "the journal holds the four documents" test "$(tail -n +2 "$T/out" | wc -l)" -eq 4
fi

if command -v mandoc >/dev/null 2>&1; then
	run mandoc -T lint -W warning "$TOP/man/doc-route.1"
	check_status "doc-route.1 is mandoc -T lint clean" 0
fi
done_testing
