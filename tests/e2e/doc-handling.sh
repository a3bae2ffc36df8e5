#!/bin/sh
# doc-handling.sh - doc-route as offices handle documents (issue 13, items
# 6, 7, 9, 10): the lead department follows 批办/承办/改办 and the 督办
# follows it; the returns and optional steps of the 2012 条例 and practice;
# 延期 and 超期办结; deadlines in a year the calendar does not know, and
# `recompute` after the calendar learns it; `workday` and the shipped
# crontab line run as cron would run it; notices never say 0 days.
# Every expected value below is worked out by hand from t.ini's calendar.
. "$TOP/tests/e2e/lib.sh"

# t.ini: tests/data/doc-route's settings (deadline_normal = 5, lead 办公室
# by default, 安全 documents with co 保卫科) and a calendar of 2026 only.
cp "$DATA/doc-route/officeadm.ini" t.ini
cat >>t.ini <<'INI'
[calendar]
holidays = 2026-10-01..2026-10-07, 2026-12-25
extra_workdays = 2026-10-10
INI
# The test's clock runs ahead (recompute --at 2026-12-31): steps may be
# dated up to a year after now (future_minutes, doc-route(1) --at).
sed -i 's/^\[doc-route\]$/[doc-route]\nfuture_minutes = 525600/' t.ini
J="-c t.ini -j j.journal"
# 2026-11-02 is a Monday: + 5 working days = 2026-11-09; 11-06 (Fri) + 5 = 11-13.
cat >d.csv <<'CSV'
direction,type,title,issuer,urgency,received,deadline
收文,通知,关于开展安全检查的通知,市应急局,,2026-11-02,
收文,通报,关于表彰先进的通报,市人社局,,2026-11-02,
发文,报告,关于年度工作的报告,市政府,,2026-11-02,
收文,通知,关于元旦值班的通知,市政府,特急,2026-12-31,
收文,函,关于商请提供资料的函,市统计局,,2026-11-02,
收文,通知,关于周五到期事项的通知,市档案局,,2026-11-06,
收文,函,关于指定期限的函,市档案局,,2026-11-02,2026-11-10
CSV
run doc-route $J register --at "2026-11-02 09:00" d.csv
check_status "register" 0
# Item 9: 特急 on 12-31 + 1 working day lands in 2027, a year without holidays.
check_grep "register: document 4 due 2027-01-01 as the weekdays say" '^4,收文,通知,关于元旦值班的通知,2027-01-01,' "$T/out"
check_grep "register warns that 2027 has no holidays, naming the config line" \
	't.ini:[0-9]*: warning: \[calendar\] has no holidays for 2027 (the last year it has is 2026).*add 2027.s holidays.*doc-route recompute' "$T/err"
run doc-route $J route d.csv
check_grep "route warns about 2027 too" 'warning: \[calendar\] has no holidays for 2027' "$T/err"

st() { doc-route $J step --at "$1" "$2" "$3" >/dev/null; }
lead_of() { doc-route $J status | awk -F, -v d="$1" '$1 == d { print $12 }'; }

# ---- item 6: the lead follows 批办, 承办 (not a 协办 one) and 改办 ----
for s in 登记 拟办; do st "2026-11-02 09:10" 1 $s; done
run doc-route $J step --at "2026-11-02 09:30" --by 张局长 --department 财务科 --note "请财务科牵头" 1 批办
check_status "批办 to 财务科" 0
check "批办 makes 财务科 the lead (was 办公室)" test "$(lead_of 1)" = 财务科
run doc-route $J overdue --as-of 2026-11-12
check_status "overdue on 11-12: status 1" 1
# 11-10, 11-11, 11-12: three working days after the deadline 11-09.
check_grep "the 督办 goes to the new lead" '^财务科,1,收文〔2026〕1号,关于开展安全检查的通知,,2026-11-09,overdue,3,批办,0$' "$T/out"
check "and no longer to 办公室" sh -c "! grep -q '^办公室,1,' '$T/out'"
run doc-route $J overdue --as-of 2026-11-12 --notices n1
check "the notice is the new lead's (财务科 = CWK)" test -f n1/CWK.txt
check_grep "it lists the document" '关于开展安全检查的通知' n1/CWK.txt
run doc-route $J step --at "2026-11-03 09:00" --department 保卫科 1 承办
check_status "承办 by the 协办 department 保卫科" 0
check "承办 by a 协办 department leaves the lead" test "$(lead_of 1)" = 财务科
run doc-route $J step --at "2026-11-03 10:00" 1 改办
check_status "改办 without --department is status 2" 2
check_grep "改办 says what it needs" '改办 needs the department taking the document over' "$T/err"
run doc-route $J step --at "2026-11-03 10:00" --department 办公室 --note "职责调整" 1 改办
check_status "改办 to 办公室" 0
check "改办 makes 办公室 the lead" test "$(lead_of 1)" = 办公室
run doc-route $J log 1
check_grep "the journal records who took it over" '^[0-9]*,2026-11-03 10:00,1,改办,,办公室,职责调整,,$' "$T/out"

# ---- item 7: handling as practice has it ----
# 1: 改办 -> 承办 -> 答复 -> 办结, after the deadline: 超期办结.
st "2026-11-04 09:00" 1 承办
run doc-route $J step --at "2026-11-05 09:00" --note "已函复市应急局" 1 答复
check_status "答复 after 承办" 0
run doc-route $J step --at "2026-11-12 16:00" 1 办结
check_status "办结 past the deadline is recorded" 0
check_grep "超期办结 is reported: 11-10, 11-11, 11-12" \
	'^doc-route: document 1: 办结 on 2026-11-12, 3 working days after its deadline 2026-11-09 (超期办结)$' "$T/err"
run doc-route $J status
check_grep "status: state done-late" '^1,.*,办结,2026-11-12 16:00,0,done-late$' "$T/out"
# 2: a 通报 to be read only: 初审 -> 传阅 -> 传阅 -> 办结, in time.
for s in 登记 初审 传阅 传阅; do st "2026-11-03 09:00" 2 $s; done
run doc-route $J step --at "2026-11-03 16:00" 2 办结
check_status "传阅 of a read-only document, then 办结" 0
check "办结 in time says nothing" test ! -s "$T/err"
# 5: 拟办 -> 承办 without 批办 (初审 not recorded apart), then 延期.
for s in 登记 拟办; do st "2026-11-02 10:00" 5 $s; done
run doc-route $J step --at "2026-11-03 09:00" --department 财务科 5 承办
check_status "拟办 -> 承办 without 批办" 0
check "承办 by another department makes it the lead" test "$(lead_of 5)" = 财务科
run doc-route $J step --at "2026-11-04 09:00" --deadline 2026-11-20 5 延期
check_status "延期 without a reason is status 2" 2
run doc-route $J step --at "2026-11-04 09:00" --note "等待上级答复" 5 延期
check_status "延期 without a deadline is status 2" 2
run doc-route $J step --at "2026-11-04 09:00" --note "等待上级答复" --deadline 2026-11-05 5 延期
check_status "延期 to a date before the deadline is status 2" 2
check_grep "it says why" '延期 to 2026-11-05 is not after the deadline 2026-11-09' "$T/err"
run doc-route $J step --at "2026-11-04 09:00" --note "等待上级答复" 5 催办 --deadline 2026-11-20
check_status "--deadline with another step is status 2" 2
run doc-route $J step --at "2026-11-04 09:00" --by 王秘书 --note "等待上级答复" --deadline 2026-11-20 5 延期
check_status "延期 with a reason and a later deadline" 0
run doc-route $J status
check_grep "延期 changes the deadline and keeps the step" '^5,收文〔2026〕3号,收文,函,.*,2026-11-20,财务科,.*,承办,2026-11-04 09:00,0,open$' "$T/out"
run doc-route $J log 5
check_grep "log: 延期 with its reason and new deadline" '^[0-9]*,2026-11-04 09:00,5,延期,王秘书,,等待上级答复,,2026-11-20$' "$T/out"
run doc-route $J overdue --as-of 2026-11-12
check "an extended document is not overdue before its new deadline" sh -c "! grep -q '^[^,]*,5,' '$T/out'"
# 3 (发文): a second 审核; 签发 sent back to 起草, directly and by 退回.
for s in 审核 审核 签发 起草 审核 签发 退回 起草 审核 签发 复核; do
	st "2026-11-03 09:00" 3 $s || not_ok "发文 $s refused"
done
run doc-route $J number --at "2026-11-03 10:00" 3
check_status "numbered after the returns" 0
for s in 印制 核发; do st "2026-11-03 11:00" 3 $s; done
run doc-route $J status
check_grep "发文 issued in time: done" '^3,测试发〔2026〕1号,发文,.*,核发,2026-11-03 11:00,0,done$' "$T/out"
# Still refused: 答复 before handling, a step after 办结.
run doc-route $J step --at "2026-11-05 09:00" 6 答复
check_status "答复 of a document only registered is status 2" 2
run doc-route $J step --at "2026-11-13 09:00" 1 改办 --department 财务科
check_status "改办 after 办结 is status 2" 2

# ---- item 10: notices never say 0 days ----
st "2026-11-06 09:00" 6 登记
# Deadline 11-13 (Fri); on Saturday 11-14 no working day has passed since.
run doc-route $J overdue --as-of 2026-11-14 --notices n2
check_grep "overdue on a Saturday: days 0 in the CSV" '^办公室,6,.*,2026-11-13,overdue,0,' "$T/out"
check "the notice never says 已逾期 0 个工作日" sh -c "! grep -q '已逾期 0 个工作日' n2/BGS.txt"
check_grep "it says the deadline has passed" '期限：2026-11-13  已过期限' n2/BGS.txt
run doc-route $J overdue --as-of 2026-11-13 --soon 0 --notices n3
check_grep "due today is soon, 0 days left" '^办公室,6,.*,2026-11-13,soon,0,' "$T/out"
check_grep "a document due today is 今日到期" '期限：2026-11-13  今日到期' n3/BGS.txt
check "never 剩余 0 个工作日" sh -c "! grep -q '0 个工作日' n3/BGS.txt"

# ---- item 9: the calendar past its last year; recompute ----
run doc-route $J overdue --as-of 2027-01-05
check_grep "overdue in 2027 warns" 'warning: \[calendar\] has no holidays for 2027' "$T/err"
run doc-route $J workday 2027-01-04
check_status "workday in 2027 refuses to guess: status 2" 2
check_grep "naming the year to add" 'has no holidays for 2027' "$T/err"
# The calendar learns 2027 (hypothetical dates, for the test only).
sed 's/^holidays = .*/&, 2027-01-01..2027-01-03/' t.ini >t2.ini
cp j.journal before
run doc-route -c t2.ini -j j.journal recompute --at "2026-12-31 10:00" --by 王秘书
check_status "recompute" 0
# 12-31 (Thu) + 1 working day: 01-01..01-03 holidays, so 2027-01-04 (Mon).
check_grep "recompute moves 4 past 元旦" '^4,2027-01-04,按工作日历重算，原期限 2027-01-01$' "$T/out"
check "and nothing else (5 extended, 7 given, 1 2 3 done, 6 unchanged)" test "$(grep -c '^[0-9]' "$T/out")" -eq 1
check_grep "it says which it left alone" '2 open documents have a deadline that was given or extended' "$T/err"
run doc-route -c t2.ini -j j.journal log 4
check_grep "recompute is journalled (重算, the new deadline)" '^[0-9]*,2026-12-31 10:00,4,重算,王秘书,,按工作日历重算，原期限 2027-01-01,,2027-01-04$' "$T/out"
run doc-route -c t2.ini -j j.journal status
check_grep "status has the new deadline" '^4,.*,2027-01-04,办公室,' "$T/out"
cp j.journal after1
run doc-route -c t2.ini -j j.journal recompute
check "recompute again: nothing to do, silent" test ! -s "$T/out"
check "recompute again: journal unchanged" cmp -s after1 j.journal
run doc-route -c t2.ini -j j.journal recompute 7
check_status "recompute of a named document with a given deadline" 0
check_grep "named: recomputed all the same" '^7,2026-11-09,按工作日历重算，原期限 2026-11-10$' "$T/out"
run doc-route -c t2.ini -j j.journal recompute 1
check_status "recompute of a done document is status 2" 2

# meeting-sched shares the calendar check.
printf '编号,议题,时长,参会人员,优先级,最早,最晚\nB1,年初会,1h,张三,2,2027-01-04,2027-01-05\n' >r.csv
run meeting-sched -c "$DATA/meeting-sched/officeadm.ini" -p "$DATA/meeting-sched/people.csv" r.csv
check_grep "meeting-sched warns about 2027 too" 'officeadm.ini:[0-9]*: warning: \[calendar\] has no holidays for 2027' "$T/err"

# ---- item 10: workday, and the crontab line as cron runs it ----
for dw in 2026-10-01:1:国庆 2026-10-10:0:调休Saturday 2026-11-23:0:Monday \
	2026-11-28:1:Saturday 2026-12-25:1:holiday; do
	d=${dw%%:*} rest=${dw#*:}
	run doc-route -c t.ini workday "$d"
	check_status "workday $d (${rest#*:}) exits ${rest%%:*}" "${rest%%:*}"
	check "workday $d is silent" test ! -s "$T/out" -a ! -s "$T/err"
done
run doc-route -c t.ini workday 2026-13-01
check_status "workday with a bad date is status 2" 2

cronpath=$(sed -n 's/^PATH=//p' "$TOP/examples/crontab-doc-route")
cronline=$(grep '^[0-9*]' "$TOP/examples/crontab-doc-route" | sed 's/^[^ ]* [^ ]* [^ ]* [^ ]* [^ ]* *//')
check "the crontab line runs every day, the guard deciding" \
	sh -c "grep -q '^30 8 \* \* \* *doc-route workday && ' '$TOP/examples/crontab-doc-route'"
mkdir -p fake cron
printf '#!/bin/sh\n[ "$1" = -t ] || exit 64\ncat >"%s/cron/mail.$$"\n' "$T" >fake/sendmail
chmod +x fake/sendmail
# The job judges by the day it runs, so the calendars are made around
# today; a run that crosses midnight (the commands would see another day
# than the calendars were made for) is done again.
for attempt in 1 2; do
today=$(TZ=Asia/Shanghai date +%F)
year=${today%%-*}
other="$year-01-01"
[ "$other" = "$today" ] && other="$year-01-02"
past=$(date -d "$today -40 days" +%F)
due=$(date -d "$today -20 days" +%F)
# A calendar where today is a holiday, and one where it is worked (a 调休
# day when it falls on a weekend); both know this year and the last.
cronini() {
	cp "$DATA/doc-route/officeadm.ini" "$1"
	printf '[calendar]\nholidays = %s-01-01, %s%s\n' "$((year - 1))" "$other" "$2" >>"$1"
	[ -n "$3" ] && printf 'extra_workdays = %s\n' "$3" >>"$1"
	printf 'journal = %s/cron.journal\n' "$T" >journal.line
	sed -i "s|^journal = .*|journal = $T/cron.journal|" "$1"
}
cronini holiday.ini ", $today" ""
cronini worked.ini "" "$today"
printf 'type,title,received,deadline\n通知,关于逾期事项的通知,%s,%s\n' "$past" "$due" >cron.csv
rm -f "$T/cron.journal" cron/mail.* holiday.out holiday.err
doc-route -c worked.ini register cron.csv >/dev/null
# cron: sh -c with the crontab's PATH and little else in the environment.
cronrun() {
	(cd cron && env -i HOME="$T" LOGNAME=cron SHELL=/bin/sh OFFICEADM_CONFIG="$T/$1" \
		PATH="$T/fake:$BIN:$cronpath" sh -c "$cronline") >"$T/cron.out" 2>"$T/cron.err"
}
cronrun holiday.ini
ls cron | grep mail >holiday.mail
cp cron.out holiday.out
cp cron.err holiday.err
cronrun worked.ini
[ "$(TZ=Asia/Shanghai date +%F)" = "$today" ] && break
done
check "on a holiday the job mails nobody" test ! -s holiday.mail
check "on a holiday it prints nothing (cron sends no mail)" test ! -s holiday.out -a ! -s holiday.err
check "on a working day the head of 办公室 gets the notice" test "$(grep -l '^To: .*<wang@example.org>' cron/mail.* | wc -l)" -eq 1
check_grep "and the office the list, on stdout" '^办公室,1,,关于逾期事项的通知,,' cron.out
check "no message on stderr" test ! -s cron.err
done_testing
