# inventory-diff: the half-yearly stock-take of 2026-06-28.  Two teams
# walked the building: team A exported CSV from its scanner app (Chinese
# header, one tag typed in lower case, one in full-width letters), team B's
# barcode gun wrote a plain list.  Sourced by examples/demo.sh with
# $EXAMPLES, $WORK and OFFICEADM_CONFIG set; the register is copied to
# $WORK/资产台账.csv so the demo can update it.  inventory-diff exits 1 when
# it has findings, which is this demo's point, so 1 is not a failure here.

cp "$EXAMPLES/stocktake/register.csv" 资产台账.csv
cp "$EXAMPLES/stocktake/team-a.csv" "$EXAMPLES/stocktake/team-b.txt" .

echo "-- findings (every status: missing, moved, lent, disposed, recovered, surplus, duplicate, misread)"
inventory-diff 资产台账.csv team-a.csv team-b.txt || [ $? -eq 1 ]

echo "-- with ok rows"
inventory-diff --all 资产台账.csv team-a.csv team-b.txt | grep '^ok,' || true

echo "-- summary per department"
inventory-diff --summary 资产台账.csv team-a.csv team-b.txt || [ $? -eq 1 ]

echo "-- notices for the department heads ([departments] in officeadm.ini)"
inventory-diff --notices 盘点通知 资产台账.csv team-a.csv team-b.txt >/dev/null || [ $? -eq 1 ]
cat 盘点通知/recipients
cat 盘点通知/BGS.txt

echo "-- the register updated: last_audit, status, relocated"
inventory-diff --update 资产台账.csv --relocate 资产台账.csv team-a.csv team-b.txt >/dev/null || [ $? -eq 1 ]
cp 资产台账.csv 资产台账-第一次.csv
inventory-diff --update 资产台账.csv --relocate 资产台账.csv team-a.csv team-b.txt >/dev/null || [ $? -eq 1 ]
cmp 资产台账.csv 资产台账-第一次.csv && echo "second update changed nothing"
cat 资产台账.csv
