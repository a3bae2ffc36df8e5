# asset-tag: the office enters November's purchases into the fixed-asset
# register and prints their labels.  The purchase list comes from Excel on
# Chinese Windows (GB18030, CRLF); the General Office sends an English list.
# Sourced by examples/demo.sh with $EXAMPLES, $WORK and OFFICEADM_CONFIG set
# (examples/officeadm.ini: threshold 1000, 专用设备 1500, tags like
# BGS-2026-0005-G).  Leaves $WORK/register.csv for the parts that follow.

cp "$EXAMPLES/assets/register.csv" register.csv

echo "-- tag the purchase list into the register (numbering after BGS-2026-0004, disposed)"
asset-tag -r register.csv -o 新购资产-已编号.csv "$EXAMPLES/assets/新购资产.csv"
cat 新购资产-已编号.csv

echo "-- the English list of the General Office and Finance"
asset-tag -r register.csv -o new-items-tagged.csv "$EXAMPLES/assets/new-items.csv"
cat new-items-tagged.csv

echo "-- a list with mistakes: every problem with its line, nothing written (exit 2)"
asset-tag -r register.csv "$EXAMPLES/assets/new-items-bad.csv" || [ $? -eq 2 ]
echo "-- the same with --skip-bad: the good row tagged, the others to rejects.csv (exit 1)"
asset-tag --skip-bad rejects.csv "$EXAMPLES/assets/new-items-bad.csv" || [ $? -eq 1 ]
cat rejects.csv

echo "-- the register now"
cat register.csv

echo "-- labels: an A4 sheet of L7160 labels, the first 3 positions already used"
asset-tag label --skip 3 -o labels.pdf 新购资产-已编号.csv new-items-tagged.csv
echo "-- one QR label (60x40 roll) as PNG for a preview; it scans to the asset's page ([labels] url)"
head -2 new-items-tagged.csv | asset-tag label -t roll60x40 -b qr -o label.png
if command -v zbarimg >/dev/null; then zbarimg -q --raw label.png 2>/dev/null; fi
echo "-- ZPL for the Zebra in the store room: lp -d zebra -o raw labels.zpl"
asset-tag label -t roll50x30 -o labels.zpl 新购资产-已编号.csv
head -12 labels.zpl
