#!/bin/sh
# doc-route-ux.sh - doc-route as a new secretary meets it: sheets saved by
# Excel (GB18030, CRLF, 2026/1/5 dates, rows of bare commas), the 分办 sheet
# that route writes edited and registered, ordinary slips at the keyboard
# (a step misspelt or swapped, a year mistyped), cron with no config found,
# and the --help of every subcommand.  Each check failed before its fix.
# Deadlines are worked out by hand from examples/officeadm.ini (2026
# holidays; deadline_normal = 7 working days).
. "$TOP/tests/e2e/lib.sh"

cp "$TOP/examples/officeadm.ini" officeadm.ini
J=公文登记簿.journal
SECRET=关于调整重点目标防护方案的通知

# ---- --help of every subcommand, as the man page lists them ----
for sub in $(sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/s/^\.Cm //p' "$TOP/man/doc-route.1"); do
	run doc-route "$sub" --help
	check_status "doc-route $sub --help exits 0" 0
	check_grep "doc-route $sub --help shows its usage line" "doc-route $sub " "$T/out"
done
run doc-route status --bogus
check_grep "a bad option is said by doc-route, not by the subcommand's name" \
	"^doc-route status: unrecognized option '--bogus'" "$T/err"

# ---- a sheet with only its header ----
printf '收发,文种,标题,来文机关,收文日期\r\n' >header.csv
run doc-route register header.csv
check_status "a header-only sheet is not an error" 0
check_grep "but it says nothing was registered" \
	'^doc-route: header.csv: warning: no documents, only the header: nothing registered' "$T/err"
check "and no journal is created" test ! -e "$J"

# ---- Excel: GB18030, CRLF, its date forms, rows of bare commas ----
# 2026-11-20 is a Friday: + 7 working days = 12-01; 2026-01-05 a Monday:
# + 7 = 01-14; a given 2026/12/4 stays 2026-12-04.
cat >excel.utf8 <<'CSV'
收发,文种,标题,来文机关,来文字号,紧急程度,密级,收文日期,办理期限,主题词,,
收文,通知,关于做好冬季安全生产工作的通知,市人民政府办公室,,,,2026/11/20,,,,
收文,函,"关于商请提供数据的函，附件""三""份",市大数据局,,,,2026年11月20日,2026/12/4,,,
收文,通报,关于元旦前后值班安排的通报,市档案局,,,,2026/1/5 9:30,,,,
收文,通知,关于调整重点目标防护方案的通知,市国家保密局,,,机密★1年,2026/11/20,,,,
,,,,,,,,,,,
,,,,,,,,,,,
CSV
sed 's/$/\r/' excel.utf8 | iconv -f UTF-8 -t GB18030 >excel.csv
run doc-route register --at '2026-11-20 10:00' --by 王秘书 excel.csv
check_status "an Excel sheet with 2026/11/20 dates and bare-comma rows registers" 0
check_grep "2026/11/20 + 7 working days is 2026-12-01" '^1,收文,通知,关于做好冬季安全生产工作的通知,2026-12-01,' "$T/out"
check_grep "2026年11月20日 with a given 2026/12/4" '^2,收文,函,.*,2026-12-04,' "$T/out"
check_grep "2026/1/5 9:30 + 7 working days is 2026-01-14" '^3,收文,通报,关于元旦前后值班安排的通报,2026-01-14,' "$T/out"
check "the rows of bare commas are not documents" test "$(wc -l <"$T/out")" -eq 5
printf 'type,title,received\n通知,甲,2026/2/30\n' >bad-date.csv
run doc-route route bad-date.csv
check_status "2026/2/30 is still no date" 2
check_grep "and the message names the line and the forms" \
	'bad-date.csv:2: received date "2026/2/30" is not a date (YYYY-MM-DD, 2026/1/5 or 2026年1月5日)' "$T/err"

# ---- the 分办 sheet of route, edited by hand, then registered ----
cat >day.csv <<'CSV'
收发,文种,标题,来文机关,来文字号,紧急程度,密级,收文日期,办理期限,主题词
收文,通知,关于开展2026年度干部考核工作的通知,市委组织部,,,,2026-11-24,,考核
收文,通知,关于调整重点目标防护方案的通知,市国家保密局,,特急,机密★1年,2026-11-24,,防护
CSV
run doc-route route day.csv
cp "$T/out" 分办.csv
check_grep "route gives 人事科 the 考核 notice" ',人事科,,吴刚副局长,$' 分办.csv
run doc-route -j fenban.journal register 分办.csv
check_status "registering the route output with a withheld title is refused" 2
check_grep "naming the line of the placeholder" '分办.csv:3: the title is the placeholder of a withheld classified title' "$T/err"
check "and the journal is not created" test ! -e fenban.journal
# The secretary gives the 考核 notice to 财务科 instead, on the original sheet.
{ head -1 day.csv | sed 's/$/,主办/'; sed -n 2p day.csv | sed 's/$/,财务科/'; sed -n 3p day.csv | sed 's/$/,/'; } >edited.csv
run doc-route route --explain edited.csv
check_grep "route --explain says the sheet's 主办 is kept" '^lead 财务科: given in the sheet (the rules say 人事科)$' "$T/out"
run doc-route -j fenban.journal register --at '2026-11-24 09:00' edited.csv
check_status "the edited sheet registers" 0
check_grep "with the 主办 the sheet gives" '^1,收文,通知,关于开展2026年度干部考核工作的通知,2026-12-03,财务科,' "$T/out"
check_grep "and the rules fill what it leaves empty" '^2,收文,通知,.*,2026-11-25,办公室,,周明局长,' "$T/out"
run doc-route -j fenban.journal status
check_grep "status has 财务科 as the lead" '^1,,收文,通知,关于开展2026年度干部考核工作的通知,.*,财务科,,吴刚副局长,签收,' "$T/out"

# ---- a year mistyped ----
cat >typo.csv <<'CSV'
type,title,secrecy,received,deadline
通知,关于调整重点目标防护方案的通知,机密,2026-12-24,
通知,关于报送年度统计报表的通知,,2026-11-24,2062-12-04
CSV
run doc-route -j typo.journal register --at '2026-11-24 09:00' typo.csv
check_status "dates that look mistyped are registered, with warnings" 0
check_grep "a date received after the day of registration is warned about" \
	'^doc-route: typo.csv:2: warning: date received 2026-12-24 is after the day it is registered, 2026-11-24' "$T/err"
check_grep "a deadline 36 years away is warned about" \
	'^doc-route: typo.csv:3: warning: deadline 2062-12-04 is more than a year after the date received' "$T/err"
check "the warnings do not tell the classified title" sh -c "! grep -q '$SECRET' '$T/err'"
run doc-route -j typo.journal step --at '2026-11-24 10:00' 2 登记
run doc-route -j typo.journal step --at '2026-11-24 10:00' --note 待批复 --deadline 2062-12-10 2 延期
check_status "a 延期 36 years on is recorded" 0
check_grep "with a warning" '^doc-route: warning: the new deadline 2062-12-10 is more than a year away' "$T/err"

# ---- slips at the keyboard with steps ----
run doc-route -j typo.journal step 2 handle
check_status "an unknown step is an error" 2
check_grep "that suggests the closest" 'unknown step "handle": did you mean handled?' "$T/err"
run doc-route -j typo.journal step 承办 2
check_grep "swapped arguments are told apart" '"承办" is a step and "2" is not: the document comes first (doc-route step 2 承办)' "$T/err"
run doc-route -j typo.journal step 2 重算
check_status "重算 by step is an error" 2
check_grep "that says recompute records it" '重算 is recorded by "doc-route recompute", not by step' "$T/err"

# ---- a journal that is not there ----
run doc-route -j nosuch.journal overdue
check_status "overdue on a journal that does not exist is trouble, not all clear" 2
check_grep "naming it" '^doc-route: nosuch.journal: no such journal' "$T/err"
run doc-route -j nosuch.journal status
check_status "so is status" 2
mkdir -p cronhome
(cd cronhome && env -i HOME="$T/cronhome" PATH="$BIN:/usr/bin:/bin" sh -c 'doc-route overdue --soon 2') \
	>"$T/out" 2>"$T/err"
status=$?
check_status "cron without a config found: overdue does not say all is well" 2
check_grep "and says no officeadm.ini was found" 'documents.journal: no such journal, and no officeadm.ini was found' "$T/err"

# ---- columns register does not read ----
printf '序号,文种,标题,截止日期,备注,,\n1,通知,关于报送材料的通知,2026-12-20,请速办,,\n' >cols.csv
run doc-route -j cols.journal register --at '2026-12-01 09:00' cols.csv
check_status "a sheet with a 备注 column registers" 0
check_grep "截止日期 is read as the deadline" '^1,收文,通知,关于报送材料的通知,2026-12-20,' "$T/out"
check_grep "备注 is said to be ignored, with its column" \
	'^doc-route: cols.csv:1: warning: column 5 "备注" is not one register reads: ignored' "$T/err"
check "序号 and the empty columns are let be" test "$(wc -l <"$T/err")" -eq 1

# ---- -o naming an input ----
cp day.csv sheet.csv
run doc-route route -o sheet.csv sheet.csv
check_status "route -o naming its own input is trouble" 2
check_grep "saying so" '"sheet.csv" is the documents CSV read: it cannot also take the output (-o)' "$T/err"
check_same "and the sheet, with its classified title, is unchanged" day.csv sheet.csv
cp officeadm.ini config.before
run doc-route -j typo.journal status -o officeadm.ini
check_status "status -o naming the config is trouble" 2
check_grep "saying so" '"officeadm.ini" is the config file: it cannot also take the output (-o)' "$T/err"
check_same "and the config is unchanged" config.before officeadm.ini

done_testing
