# doc-route: a week of official documents (收文 and 发文) in the office of
# the sample organisation, 2026-11-23 (Mon) to 2026-11-27 (Fri), then the
# 督办 run of Monday morning.  Sourced by examples/demo.sh with $EXAMPLES,
# $WORK and OFFICEADM_CONFIG set; the journal is $WORK/公文登记簿.journal
# (examples/officeadm.ini).  The day files are exported from a spreadsheet;
# 2026-11-25.csv is GB18030, as Excel on Chinese Windows saves it.

# dr DOC STEP TIME [options]: record one step.
dr() {
	_doc=$1 _step=$2 _at=$3
	shift 3
	doc-route step --at "$_at" "$@" "$_doc" "$_step" >/dev/null
}

# A fresh journal: with its state file (doc-route(1), JOURNAL).
rm -f 公文登记簿.journal 公文登记簿.journal.state
for day in 2026-11-23 2026-11-24 2026-11-25 2026-11-26 2026-11-27; do
	doc-route register --at "$day 08:40" --by 王秘书 "$EXAMPLES/docs/$day.csv" >/dev/null
done

# 1 加急 安全生产通知: the whole incoming path, circulated, completed, filed.
dr 1 登记 "2026-11-23 09:00" --by 王秘书
dr 1 初审 "2026-11-23 09:10" --by 王建国
dr 1 拟办 "2026-11-23 09:30" --by 王建国 --note "建议办公室牵头，后勤服务中心配合"
dr 1 批办 "2026-11-23 10:30" --by 周明局长 --note "请办公室抓紧落实"
dr 1 承办 "2026-11-24 09:00" --by 王建国 --department 办公室
dr 1 传阅 "2026-11-24 14:00" --by 郑丽副局长
dr 1 办结 "2026-11-25 16:00" --by 王建国 --note "已报送落实情况"
dr 1 归档 "2026-11-26 10:00" --by 王秘书
# 2 经费请示: with 财务科; 3 数据函: screened only.
for s in registered screened proposed; do dr 2 "$s" "2026-11-23 09:20" --by 王秘书; done
dr 2 批办 "2026-11-24 11:00" --by 吴刚副局长
dr 2 承办 "2026-11-25 09:00" --by 李红梅 --department 财务科
dr 3 登记 "2026-11-23 09:40" --by 王秘书
dr 3 初审 "2026-11-23 10:00" --by 王建国
# 4 年度报告 (发文): sent back once at 审核, then signed, numbered, issued.
dr 4 审核 "2026-11-24 09:00" --by 王建国
dr 4 起草 "2026-11-24 10:00" --by 王秘书 --note "按审核意见补充数据"
dr 4 审核 "2026-11-25 09:00" --by 王建国
dr 4 签发 "2026-11-26 09:00" --by 周明局长
dr 4 复核 "2026-11-26 10:00" --by 王建国
doc-route number --at "2026-11-26 10:10" --by 王秘书 4
dr 4 印制 "2026-11-27 09:00" --by 王秘书
dr 4 核发 "2026-11-27 10:00" --by 王秘书

# 5 考核通知: waiting at 批办.  6 机密 特急: handled, not completed.
for s in 登记 初审 拟办 批办; do dr 5 "$s" "2026-11-24 09:00" --by 王秘书; done
for s in 登记 初审 拟办; do dr 6 "$s" "2026-11-24 09:00" --by 王建国; done
dr 6 批办 "2026-11-24 11:00" --by 周明局长
dr 6 承办 "2026-11-24 15:00" --by 王建国 --department 办公室
# 7 纪要: circulated to two leaders, completed.
for s in 登记 初审 拟办 批办 承办; do dr 7 "$s" "2026-11-24 10:00" --by 王秘书; done
dr 7 传阅 "2026-11-24 16:00" --by 吴刚副局长
dr 7 传阅 "2026-11-25 09:00" --by 郑丽副局长
dr 7 办结 "2026-11-25 10:00" --by 王秘书
# 8 防汛防火通知 (发文, 加急): numbered and printed, not yet issued.
for s in 审核 签发 复核; do dr 8 "$s" "2026-11-24 14:00" --by 王建国; done
doc-route number --at "2026-11-25 09:00" --by 王秘书 8
dr 8 印制 "2026-11-25 10:00" --by 王秘书

# 9..12 (Wednesday): 11 is not ours and goes back.
dr 9 登记 "2026-11-25 09:00" --by 王秘书
dr 9 初审 "2026-11-25 09:30" --by 王建国
dr 10 登记 "2026-11-25 09:10" --by 王秘书
for s in 登记 初审; do dr 11 "$s" "2026-11-25 09:20" --by 王秘书; done
dr 11 退回 "2026-11-25 10:00" --by 王建国 --note "非本局职责，退回来文单位"
dr 12 审核 "2026-11-26 09:00" --by 王建国

# 13..15 (Thursday): 14 特急 网络安全演练, chased on Friday afternoon.
dr 13 登记 "2026-11-26 09:00" --by 王秘书
for s in 登记 初审 拟办; do dr 14 "$s" "2026-11-26 09:00" --by 王秘书; done
dr 14 批办 "2026-11-26 10:00" --by 郑丽副局长
dr 14 承办 "2026-11-26 11:00" --by 陈晓东 --department 信息中心
dr 14 催办 "2026-11-27 16:00" --by 王秘书 --note "电话催信息中心陈晓东"
dr 15 登记 "2026-11-26 09:10" --by 王秘书

# 16..18 (Friday).
dr 16 登记 "2026-11-27 09:00" --by 王秘书
dr 17 登记 "2026-11-27 09:10" --by 王秘书
dr 18 审核 "2026-11-27 15:00" --by 王建国

# Monday morning: where everything stands, what is late or due within two
# working days (status 1: there are findings), a notice per department head.
doc-route status -o 公文状态.csv
doc-route overdue --as-of 2026-11-30 --soon 2 --notices 督办通知 -o 督办.csv || [ $? -eq 1 ]
cat 督办.csv
ls 督办通知
doc-route slip 4
# Every record hash-chained and the state file agreeing: silent, status 0.
doc-route verify
unset -f dr
