# asset-log: what happened to the assets after they were tagged, in
# November: a PC changes hands, a printer is lent to Finance and comes back
# late, the core switch goes to repair and back, the old car is sold, and
# the General Office's move is entered from a spreadsheet.  Then the
# history, the check of register against journal, the leadership's
# reports and this year's depreciation.  Sourced by examples/demo.sh with
# $EXAMPLES, $WORK and OFFICEADM_CONFIG set; works on $WORK/register.csv
# (left by 10-asset-tag.sh, journal register.csv.journal) and reports the
# missing assets of the stock-take's $WORK/资产台账.csv (20-inventory-diff.sh).
# Reports with findings exit 1, which is their point here.

AL="asset-log -r register.csv"

echo "-- 变更责任人: 张伟's PC goes to 王强 in 303室"
$AL transfer --by 王秘书 --date 2026-11-02 --custodian 王强 --location 303室 BGS-2026-0001-O
echo "-- 借出: the printer lent to Finance until 20 November"
$AL lend --by 王秘书 --date 2026-11-03 --to 陈静 --borrower-department 财务科 \
	--due 2026-11-20 BGS-2026-0002-M
echo "-- overdue on 25 November: a notice to Finance's head (exit 1)"
$AL overdue --as-of 2026-11-25 --notices 催还通知 || [ $? -eq 1 ]
cat 催还通知/recipients
cat 催还通知/CWK.txt
echo "-- 归还, 送修 and 修复"
$AL return --date 2026-11-26 BGS-2026-0002-M
$AL repair --date 2026-11-10 --note '端口故障' XXZX-2026-0001-J
$AL repaired --date 2026-11-17 XXZX-2026-0001-J
echo "-- 出售: the old car, with the approval"
$AL dispose --date 2026-11-28 --method 出售 --reason '超过使用年限，车况较差' \
	--approver 周明局长 --document '示行服〔2026〕21号' HQFW-2025-0001-4
echo "-- refused: returning what was not lent, moving what was sold (exit 2, nothing changed)"
$AL return BGS-2026-0001-O || [ $? -eq 2 ]
$AL transfer --location 车库 HQFW-2025-0001-4 || [ $? -eq 2 ]
echo "-- a move from a spreadsheet (搬迁.csv), one batch"
$AL apply --by 王秘书 "$EXAMPLES/assets/搬迁.csv"
echo "-- the register now"
cat register.csv
echo "-- the PC's history, and who had the printer on 10 November"
$AL history BGS-2026-0001-O
$AL holder --date 2026-11-10 BGS-2026-0002-M
echo "-- check: the register agrees with the journal"
$AL check
echo "-- count and 原值 per department and custodian"
$AL summary
echo "-- what the stock-take found missing, and its value (exit 1)"
asset-log -r 资产台账.csv missing || [ $? -eq 1 ]
echo "-- depreciation January to November 2026 per department (government rules)"
$AL depreciation --from 2026-01 --to 2026-11 --by-department
