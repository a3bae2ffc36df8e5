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

# ---- amounts as Excel shows money ----
# BGS-2026-0001-O (line 3, 电子设备, 3 years, acquired 2026-01-12) at
# 1234.50 instead of 5200.00: 办公室 holds it, BGS-2026-0002-M (2300.00)
# and BGS-2026-0004-I (4600.00): 3 assets, 8134.50.  Depreciated from
# January (government basis): 123450 fen / 36 months = 3429.17, so 34.29
# a month, 68.58 by the end of February, net 1234.50 - 68.58 = 1165.92.
for v in '"¥1,234.50"' '"￥1,234.50"' '"1,234.50"' '1234.5元' '1234.50 元'; do
	fresh
	sed -i "3s/,5200.00,/,$v,/" reg.csv
	run asset-log -r reg.csv summary --by-department
	check_status "summary takes the value $v" 0
	check_grep "$v is 1234.50 in 办公室's subtotal" '^办公室,\*,\*,\*,3,8134.50$' "$T/out"
	run asset-log -r reg.csv depreciation --from 2026-02 --to 2026-02
	check_grep "$v is depreciated as 1234.50" \
		'^BGS-2026-0001-O,联想台式电脑,办公室,电子设备,straight-line,2026-02,34.29,68.58,1165.92$' "$T/out"
done
for v in '"1,23"' '12.345' '"1.234,50"' '元' 'abc'; do
	fresh
	sed -i "3s/,5200.00,/,$v,/" reg.csv
	cp reg.csv reg.orig
	run asset-log -r reg.csv summary
	check_status "summary refuses the value $v" 2
	check_grep "the refusal of $v names file and line" '^asset-log: reg.csv:3: value ".*" is not an amount in yuan$' "$T/err"
	check "the register with $v is unchanged" cmp -s reg.orig reg.csv
done

# ---- useful lives as typed ----
# 6 years instead of 3: 520000 fen / 72 = 7222.22, so 72.22 a month,
# 144.44 by the end of February, net 5200.00 - 144.44 = 5055.56.
for v in 6年 6.00 72月 72个月 '6 年'; do
	fresh
	sed -i "3s/,3,办公室/,$v,办公室/" reg.csv
	run asset-log -r reg.csv depreciation --from 2026-02 --to 2026-02
	check_status "depreciation takes the life $v" 0
	check_grep "$v is 6 years" \
		'^BGS-2026-0001-O,联想台式电脑,办公室,电子设备,straight-line,2026-02,72.22,144.44,5055.56$' "$T/out"
done
# A bad life costs that asset only: the others are depreciated, it is
# named with its line.  BGS-2026-0002-M (2300.00, 3 years): 230000 / 36 =
# 6388.89, so 63.89 a month, 127.78 by February, net 2172.22.
for v in 6.5 18个月 x 0; do
	fresh
	sed -i "3s/,3,办公室/,$v,办公室/" reg.csv
	run asset-log -r reg.csv depreciation --from 2026-02 --to 2026-02
	check_status "a bad life ($v) on one asset is not exit 2" 0
	check_grep "the warning names the asset, its line and the life $v" \
		"^asset-log: reg.csv:3: warning: life \"$v\" of BGS-2026-0001-O is not a whole number of years (6, 6年, 6.00, 72个月): 1 fixed asset left out, the first on this line\$" "$T/err"
	check "the asset with the life $v gets no depreciation" sh -c "! grep -q '^BGS-2026-0001-O,' '$T/out'"
	check_grep "the other assets are depreciated as before ($v)" \
		'^BGS-2026-0002-M,惠普激光打印机,办公室,电子设备,straight-line,2026-02,63.89,127.78,2172.22$' "$T/out"
done

done_testing
