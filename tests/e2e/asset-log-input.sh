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
	check_grep "the refusal of $v names file and line" '^asset-log: reg.csv:3: value ".*" is not an amount in yuan (1234.50, ¥1,234.50, 1234.5元; at most two decimals, a fen)$' "$T/err"
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

# ---- a total row (合计) at the foot of the register ----
# The seven assets hold 168000 + 5200 + 2300 + 4600 + 3800 + 26000 + 3200
# = 213100.00; counted once more through the 合计 row it would be 426200.00.
fresh
printf '合计,,,,213100.00,,,,,,,,\n' >> reg.csv
cp reg.csv reg.orig
run asset-log -r reg.csv summary
check_status "summary of a register with a 合计 row" 0
check_grep "the 合计 row is skipped with a warning naming file and line" \
	'^asset-log: reg.csv:9: warning: a total row (合计) is not an asset: skipped$' "$T/err"
check_grep "the total counts 7 assets, 213100.00" '^total,,,,7,213100.00$' "$T/out"
check "no 合计 asset in the summary" sh -c "! grep -q 合计 '$T/out'"
run asset-log -r reg.csv depreciation --from 2026-01 --to 2026-01
check_grep "depreciation warns about the 合计 row too" \
	'^asset-log: reg.csv:9: warning: a total row (合计) is not an asset: skipped$' "$T/err"
check "depreciation does not call the 合计 row an asset without a date" \
	sh -c "! grep -q 'acquisition date' '$T/err'"
# A change to the row above the total keeps the total row, byte for byte.
run asset-log -r reg.csv transfer $TODAY --date 2026-11-02 --custodian 王强 GO-2026-0001-Q
check_status "transfer of the row above the 合计 row" 0
check_grep "the event command warns about the 合计 row too" \
	'^asset-log: reg.csv:9: warning: a total row (合计) is not an asset: skipped$' "$T/err"
sed 's/,Alice Brown,/,王强,/' reg.orig > reg.want
check_same "only the transferred row changed, the 合计 row kept" reg.want reg.csv
# English, spaced and subtotal words, a 小计 with the name cell empty.
fresh
{ printf 'Total,,,,213100.00,,,,,,,,\r\n'; printf ',小 计,,,5200.00,,,,,,,,\n'; } >> reg.csv
run asset-log -r reg.csv summary
check_status "summary with Total and 小 计 rows" 0
check_grep "Total is skipped (line 9)" 'reg.csv:9: warning: a total row (total) is not an asset: skipped' "$T/err"
check_grep "小 计 is skipped (line 10)" 'reg.csv:10: warning: a total row (小计) is not an asset: skipped' "$T/err"
check_grep "still 7 assets" '^total,,,,7,213100.00$' "$T/out"
# 合计： as the tag with a count as the name; a row without a tag whose
# name is 小计; but a row without a tag whose note says 合计 is an asset
# row without its tag.
fresh
printf '合计：,共7项,,,213100.00,,,,,,,,\n' >> reg.csv
run asset-log -r reg.csv summary
check_grep "合计： with a count as its name is a total row" \
	'reg.csv:9: warning: a total row (合计) is not an asset: skipped' "$T/err"
check_grep "合计： is not counted" '^total,,,,7,213100.00$' "$T/out"
fresh
printf ',椅子,,,500.00,,,,,,,,合计\n' >> reg.csv
cp reg.csv reg.orig
run asset-log -r reg.csv summary
check_status "a named row without a tag is not taken for a total" 2
check_grep "it is an empty tag" '^asset-log: reg.csv:9: empty tag in column 1 (资产编号)' "$T/err"
check "the register with a named untagged row is unchanged" cmp -s reg.orig reg.csv
# A row of bare commas in the middle is no asset and no "empty tag".
fresh
sed -i '4a ,,,,,,,,,,,,' reg.csv
cp reg.csv reg.orig
run asset-log -r reg.csv summary
check_status "a bare-comma row in the register is skipped" 0
check "no empty-tag message for a bare-comma row" test ! -s "$T/err"
run asset-log -r reg.csv transfer $TODAY --date 2026-11-02 --custodian 王强 BGS-2026-0002-M
check_status "transfer of the row above a bare-comma row" 0
sed 's/^\(BGS-2026-0002-M,.*\),李娜,/\1,王强,/' reg.orig > reg.want
check_same "the bare-comma row stays below the changed row" reg.want reg.csv
# A column added by a transfer (the register had no location column) keeps
# the skipped rows as they were.
fresh
cut -d, -f1-9,11- reg.csv > noloc.csv
printf '合计,,,,213100.00,,,,,,,\n' >> noloc.csv
run asset-log -r noloc.csv transfer $TODAY --date 2026-11-02 --location 机房 GO-2026-0001-Q
check_status "transfer that adds the location column" 0
check_grep "the changed row gets the new column" '^GO-2026-0001-Q,.*,机房$' noloc.csv
check_grep "the 合计 row is kept as it was" '^合计,,,,213100.00,,,,,,,$' noloc.csv

# ---- cells shifted by an extra or a missing cell ----
# An unquoted 1,500.00 splits in two: 原值 1, 购置日期 500.00 ...
fresh
printf 'BGS-2026-0005-X,椅子,家具,fixed,1,500.00,2026-03-02,5,办公室,张伟,301室,in-use,2026-06-28,\n' >> reg.csv
cp reg.csv reg.orig
run asset-log -r reg.csv summary
check_status "a row with a cell too many is refused" 2
check_grep "the message names line, column, header and what was expected" \
	'^asset-log: reg.csv:9: 14 cells where the header has 13: column 6 (购置日期) holds "500.00", expected a date (2026-01-12): a cell too many at or before it (an unquoted comma, as in 1,234.50? quote the cell)$' "$T/err"
run asset-log -r reg.csv transfer $TODAY --custodian 王强 GO-2026-0001-Q
check_status "no event is recorded over a shifted register" 2
unchanged "shifted register"
# A missing 原值 cell: the date lands in 原值.
fresh
printf 'BGS-2026-0005-X,椅子,家具,fixed,2026-03-02,5,办公室,张伟,301室,in-use,2026-06-28\n' >> reg.csv
run asset-log -r reg.csv summary
check_status "a row with a cell missing is refused" 2
check_grep "the missing cell is placed at 原值, column 5" \
	'^asset-log: reg.csv:9: 11 cells where the header has 13: column 5 (原值) holds "2026-03-02", expected an amount in yuan (5200.00): a cell missing at or before it$' "$T/err"
# A leading empty cell: every value one column to the right.
fresh
printf ',BGS-2026-0005-X,椅子,家具,fixed,500.00,2026-03-02,5,办公室,张伟,301室,in-use,2026-06-28\n' >> reg.csv
run asset-log -r reg.csv summary
check_status "a row shifted right is refused" 2
check_grep "not a bare 'empty tag': the first cell out of place is named" \
	'^asset-log: reg.csv:9: empty tag in column 1 (资产编号), and column 4 (资产类型) holds "家具", expected a class (fixed 固定资产, low-value 低值易耗品): are the cells shifted?$' "$T/err"
# A value past the header's last column.
fresh
printf 'BGS-2026-0005-X,椅子,家具,fixed,500,2026-03-02,5,办公室,张伟,301室,in-use,2026-06-28,,oops\n' >> reg.csv
run asset-log -r reg.csv summary
check_status "a value past the last column is refused" 2
check_grep "the stray cell is named with its column" \
	'^asset-log: reg.csv:9: 14 cells where the header has 13: column 14 holds "oops" and has no name in the header: a cell too many (an unquoted comma? quote the cell)$' "$T/err"
# An unquoted 1,234,567.00 is two cells too many.
fresh
printf 'BGS-2026-0005-X,椅子,家具,fixed,1,234,567.00,2026-03-02,5,办公室,张伟,301室,in-use,2026-06-28\n' >> reg.csv
run asset-log -r reg.csv summary
check_status "a value split in three is refused" 2
check_grep "two cells too many are counted" \
	'^asset-log: reg.csv:9: 14 cells where the header has 13: column 6 (购置日期) holds "234", expected a date (2026-01-12): 2 cells too many at or before it (an unquoted comma, as in 1,234.50? quote the cell)$' "$T/err"
# Trailing empty cells and a status no shift explains: no shift is
# claimed, the row is read as before (500.00 more: 213600.00).
fresh
printf 'BGS-2026-0005-X,椅子,家具,low-value,500.00,2026-03-02,5,办公室,张伟,301室,待修,2026-06-28,,\n' >> reg.csv
run asset-log -r reg.csv summary
check_status "trailing empty cells with an odd status are not called a shift" 0
check_grep "the row is counted" '^total,,,,8,213600.00$' "$T/out"
# A short row whose cells are all in place is taken (Excel drops trailing
# empty cells), and an empty tag on a row that fits says what to do.
fresh
printf 'BGS-2026-0005-X,椅子,家具,low-value,500.00\n' >> reg.csv
run asset-log -r reg.csv summary
check_status "a short row with its cells in place is read" 0
check_grep "the short row is counted: 8 assets, 213600.00" '^total,,,,8,213600.00$' "$T/out"
fresh
printf ',椅子,家具,fixed,500,2026-03-02,5,办公室,张伟,301室,in-use,2026-06-28,\n' >> reg.csv
run asset-log -r reg.csv summary
check_status "a row without a tag is refused" 2
check_grep "the empty tag is named with its column" \
	'^asset-log: reg.csv:9: empty tag in column 1 (资产编号): give the row its tag (asset-tag does) or delete the row$' "$T/err"

# ---- apply: a total row, shifted cells ----
fresh
printf 'tag,event,department\nBGS-2026-0001-O,transfer,财务科\n合计,,\n' > total.csv
run asset-log -r reg.csv apply $TODAY total.csv
check_status "an events list with a 合计 row is applied" 0
check_grep "the 合计 row is skipped with a warning naming file and line" \
	'^asset-log: total.csv:3: warning: a total row (合计) is not an event: skipped$' "$T/err"
check_grep "the one event is committed alone" '^2,.*,commit,.*,1,[0-9a-f]*$' reg.csv.journal
fresh
printf 'tag,event,department\nBGS-2026-0001-O,transfer,财务科\n总计：,1项,\n' > total2.csv
run asset-log -r reg.csv apply $TODAY total2.csv
check_status "an events list with 总计： as a tag is applied" 0
check_grep "总计： is skipped with a warning" \
	'^asset-log: total2.csv:3: warning: a total row (总计) is not an event: skipped$' "$T/err"
fresh
printf 'tag,event,department\nBGS-2026-0001-O,transfer,财务科,x\n' > extra.csv
run asset-log -r reg.csv apply $TODAY extra.csv
check_status "an events row with a value past the header is refused" 2
check_grep "the stray cell is named with its column" \
	'^asset-log: extra.csv:2: 4 cells where the header has 3: column 4 holds "x" and has no name in the header: a cell too many (an unquoted comma? quote the cell)$' "$T/err"
unchanged "events row with a value past the header"
printf 'tag,event,department\n,BGS-2026-0001-O,transfer,财务科\n' > right.csv
run asset-log -r reg.csv apply $TODAY right.csv
check_status "an events row shifted right is refused" 2
check_grep "the shifted row names column 1 (tag)" \
	'^asset-log: right.csv:2: 4 cells where the header has 3: column 1 (tag) is empty, expected a tag: a cell too many at or before it (an unquoted comma? quote the cell)$' "$T/err"
unchanged "events row shifted right"
printf 'tag,event,department\ntransfer,财务科\n' > short.csv
run asset-log -r reg.csv apply $TODAY short.csv
check_status "an events row with a cell missing is refused" 2
check_grep "the missing cell is placed at column 2 (event)" \
	'^asset-log: short.csv:2: 2 cells where the header has 3: column 2 (event) holds "财务科", expected an event (transfer 调拨, lend 借出, return 归还, repair 送修, repaired 修复, dispose 报废/出售/捐赠): a cell missing at or before it$' "$T/err"
unchanged "events row with a cell missing"
printf 'tag,event,department\nBGS-2026-0001-O,挪用,财务科,\n' > odd.csv
run asset-log -r reg.csv apply $TODAY odd.csv
check_status "an unknown event with a trailing empty cell is refused" 2
check_grep "as an unknown event, not as a shift" \
	'^asset-log: odd.csv:2: unknown event "挪用" (transfer 调拨,' "$T/err"
unchanged "an unknown event with a trailing empty cell"
printf 'tag,event,department\nBGS-2026-0001-O,挪用\n' > odd2.csv
run asset-log -r reg.csv apply $TODAY odd2.csv
check_grep "a short row with an unknown event: unknown event, no shift claimed" \
	'^asset-log: odd2.csv:2: unknown event "挪用" (transfer 调拨,' "$T/err"
unchanged "a short row with an unknown event"
printf '资产编号,事项,日期,调入部门\n,调拨,信息中心,2026-11-03\n' > notag.csv
run asset-log -r reg.csv apply $TODAY notag.csv
check_status "an events row without a tag is refused" 2
check_grep "the empty tag and the misplaced date are named" \
	'^asset-log: notag.csv:2: empty tag in column 1 (资产编号), and column 3 (日期) holds "信息中心", expected a date (2026-11-03): are the cells shifted?$' "$T/err"
unchanged "events row without a tag"

# ---- apply: the same event twice ----
fresh
printf 'tag,event,department,custodian\nBGS-2026-0001-O,transfer,财务科,李四\nCWK-2026-0001-7,transfer,,王强\nbgs20260001o,transfer,财务科 ,李四\n' > twice.csv
run asset-log -r reg.csv apply $TODAY twice.csv
check_status "the same transfer of a tag twice in a row is refused" 2
check_grep "both lines are named" \
	'^asset-log: twice.csv:4: tag "bgs20260001o": transfer on line 2 and again on line 4, with no other event of it between: a row entered twice? (delete one)$' "$T/err"
unchanged "the same event twice"
# Two different moves of one tag, one after the other, are two events.
printf 'tag,event,location\nBGS-2026-0001-O,transfer,仓库\nBGS-2026-0001-O,transfer,205室\n' > moves.csv
run asset-log -r reg.csv apply $TODAY moves.csv
check_status "a move to the store, then on to 205室, is accepted" 0
check_grep "the register has the last place" '^BGS-2026-0001-O,.*,205室,' reg.csv
fresh
printf 'tag,event,borrower,due\nBGS-2026-0001-O,lend,王强,2026-12-20\nBGS-2026-0001-O,lend,王强,2026-12-20\n' > lend2.csv
run asset-log -r reg.csv apply $TODAY lend2.csv
check_status "the same loan twice is refused" 2
check_grep "the repeated loan names lines 2 and 3" \
	'^asset-log: lend2.csv:3: tag "BGS-2026-0001-O": lend on line 2 and again on line 3, with no other event of it between: a row entered twice? (delete one)$' "$T/err"
unchanged "the same loan twice"
# Lend, return, lend, return: each event follows another; all four stand.
printf 'tag,event,date,borrower,due\nBGS-2026-0001-O,lend,2026-11-02,王强,2026-11-10\nBGS-2026-0001-O,return,2026-11-09,,\nBGS-2026-0001-O,lend,2026-11-16,李娜,2026-11-30\nBGS-2026-0001-O,return,2026-11-27,,\n' > loans.csv
run asset-log -r reg.csv apply $TODAY loans.csv
check_status "lend, return, lend, return of one tag is accepted" 0
check_grep "the second loan is journalled" '^3,[^,]*,2026-11-16,BGS-2026-0001-O,lend,' reg.csv.journal
check_grep "four events committed" '^5,.*,commit,.*,4,[0-9a-f]*$' reg.csv.journal
check_grep "the register shows it in use again" '^BGS-2026-0001-O,.*,in-use,' reg.csv

# ---- apply: line breaks inside cells ----
fresh
printf 'tag,event,department,note\nBGS-2026-0001-O,transfer,财务科,"第一行\r\n第二行\n第三行"\n' > lines.csv
run asset-log -r reg.csv apply $TODAY lines.csv
check_status "a note on three lines is accepted" 0
check_grep "its lines are joined by one space each (CRLF too)" \
	'^1,.*,transfer,.*,第一行 第二行 第三行,[0-9a-f]*$' reg.csv.journal
run asset-log -r reg.csv history BGS-2026-0001-O
check_grep "history shows the note on one line" ',第一行 第二行 第三行$' "$T/out"
fresh
printf 'tag,event,department,custodian\nBGS-2026-0001-O,transfer,财务科,"王\n强"\n' > broken.csv
run asset-log -r reg.csv apply $TODAY broken.csv
check_status "a line break in a custodian is refused" 2
check_grep "the refusal names file, line and column" \
	'^asset-log: broken.csv:2: a line break inside column 4 (custodian) "王": only a note or a reason may have several lines$' "$T/err"
unchanged "a line break in a custodian"

# ---- a tag with a wrong check character ----
# BGS-2026-0001's check character is O (check_char computes it apart
# from asset-log); X is one substitution away from the registered tag.
fresh
check "BGS-2026-0001's check character is O" test "$(check_char BGS-2026-0001-)" = BGS-2026-0001-O
run asset-log -r reg.csv transfer $TODAY --custodian 王强 BGS-2026-0001-X
check_status "a tag with a wrong check character is refused" 2
check_grep "the registered tag one edit away is suggested" \
	'^asset-log: unknown tag "BGS-2026-0001-X": not in reg.csv; its check character is wrong: did you mean "BGS-2026-0001-O"?$' "$T/err"
unchanged "a wrong check character"
run asset-log -r reg.csv transfer $TODAY --custodian 王强 bgs20260001x
check_grep "typed loosely, the suggestion is in the register's spelling" \
	'did you mean "BGS-2026-0001-O"?$' "$T/err"
printf 'tag,event,custodian\nBGS-2026-0001-X,transfer,王强\n' > wrong.csv
run asset-log -r reg.csv apply $TODAY wrong.csv
check_status "apply of a tag with a wrong check character is refused" 2
check_grep "apply suggests it too, with file and line" \
	'^asset-log: wrong.csv:2: unknown tag "BGS-2026-0001-X": not in reg.csv; its check character is wrong: did you mean "BGS-2026-0001-O"?$' "$T/err"
unchanged "apply of a wrong check character"
run asset-log -r reg.csv holder BGS-2026-0001-X
check_grep "holder suggests it" 'no events in reg.csv.journal; its check character is wrong: did you mean "BGS-2026-0001-O"?$' "$T/err"
# BGS-2026-0001-M: M is 0002's check character, so two registered tags are
# one edit away (0001-O and 0002-M): no guess, both named.
check "BGS-2026-0002's check character is M" test "$(check_char BGS-2026-0002-)" = BGS-2026-0002-M
run asset-log -r reg.csv transfer $TODAY --custodian 王强 BGS-2026-0001-M
check_status "a tag one edit from two registered tags is refused" 2
check_grep "both are named, none guessed" \
	'^asset-log: unknown tag "BGS-2026-0001-M": not in reg.csv; its check character is wrong, and 2 registered tags are one edit away: "BGS-2026-0002-M", "BGS-2026-0001-O"$' "$T/err"
run asset-log -r reg.csv transfer $TODAY --custodian 王强 BGS-2026-0009-X
check_grep "no tag near: said so" \
	'^asset-log: unknown tag "BGS-2026-0009-X": not in reg.csv; its check character is wrong, and no registered tag is one edit away$' "$T/err"
unchanged "unknown tags"

done_testing
