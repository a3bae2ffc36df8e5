#!/bin/sh
# asset-tag and ordinary mistakes (issue 12): each one either does the
# right thing or stops with exit 2, a message naming file and line, and
# every file unchanged.  Expected tags are computed here with an awk copy
# of the MOD 37,36 check (tag.h), not taken from the program.
. "$TOP/tests/e2e/lib.sh"
D="$DATA/asset-tag"
CFG="$D/officeadm.ini"
export OFFICEADM_CONFIG="$CFG"
AT="asset-tag --today 2026-11-28"

# check_char TAG-WITHOUT-CHECK: prints TAG with its check character.
check_char() {
	echo "$1" | awk '{
		al = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"; q = 36
		s = toupper($0)
		for (i = 1; i <= length(s); i++) {
			a = index(al, substr(s, i, 1)) - 1
			if (a < 0) continue
			sum = (q % 37 + a) % 36; if (sum == 0) sum = 36
			q = 2 * sum % 37
		}
		c = 37 - q; if (c >= 36) c -= 36
		print $0 substr(al, c + 1, 1)
	}'
}
check "awk check character agrees with the register's tags" \
	test "$(check_char BGS-2026-000007-)" = BGS-2026-000007-G

# ---- item 12: -r naming a register that does not exist ----
rm -f 台帐.csv
run $AT -r 台帐.csv "$D/new-r.csv"
check_status "item 12: -r with a missing register: exit 2" 2
check_grep "item 12: says so and names --create" '台帐.csv: no such register; --create' "$T/err"
check "item 12: no register created" test ! -e 台帐.csv
check "item 12: no lock file left" test ! -e 台帐.csv.lock
run $AT --create -r 台帐.csv "$D/new-r.csv"
check_status "item 12: --create starts it" 0
check "item 12: --create: header and 4 rows" test "$(wc -l <台帐.csv)" -eq 5

# ---- item 7: --excel shapes the -o copy, never the register ----
cp "$D/register.csv" reg.csv
printf '资产名称,资产类别,原值,购置日期,使用部门,备注\n=1+1,家具,80,2026-03-01,办公室,-5\n' >formula.csv
run $AT -x -r reg.csv -o copy.csv formula.csv
check_status "item 7: -x -r" 0
check "item 7: register has no CR" sh -c '! grep -q "$(printf "\r")" reg.csv'
check "item 7: register has no BOM" sh -c '! head -c 3 reg.csv | od -An -tx1 | grep -q "ef bb bf"'
want=$(check_char BGS-2026-000008-)
check_grep "item 7: register row as typed, no formula guard" \
	"^$want,=1+1,家具,low-value,80,2026-03-01,5,办公室,,,in-use,,-5\$" reg.csv
check "item 7: -o copy starts with a BOM" sh -c "head -c 3 copy.csv | od -An -tx1 | grep -q 'ef bb bf'"
check_grep "item 7: -o copy has CRLF and the guard" "^$want,'=1+1,.*,'-5$(printf '\r')\$" copy.csv
rm -f new-reg.csv
run $AT -x --create -r new-reg.csv formula.csv
check_status "item 7: -x --create -r" 0
check "item 7: a new register is plain too (no CR)" sh -c '! grep -q "$(printf "\r")" new-reg.csv'
check_grep "item 7: a new register is plain too (no BOM, no guard)" "^tag,资产名称" new-reg.csv
check_grep "item 7: a new register is plain too (no guard)" ",=1+1," new-reg.csv

# ---- item 13: tags with fewer sequence digits than {seq:N} count ----
cp "$D/register.csv" reg.csv
echo "$(check_char BGS-2026-0042-),旧椅子,家具,low-value,300,2026-01-05,5,办公室,王芳,301室,in-use,," >>reg.csv
printf '资产名称,资产类别,原值,购置日期,使用部门\n台灯,家具,80,2026-03-01,办公室\n' >one.csv
run $AT -r reg.csv one.csv
check_status "item 13: append after a 4-digit tag" 0
check_grep "item 13: numbering continues after 0042" "^$(check_char BGS-2026-000043-),台灯," reg.csv

# ---- item 14: separators and case do not make a new tag ----
cp "$D/register.csv" reg.csv
printf 'tag,资产名称,原值,使用部门\nbgs2026000001s,复印纸柜,80,办公室\n' >nohyphen.csv
run $AT -r reg.csv nohyphen.csv
check_status "item 14: a registered tag without hyphens: exit 2" 2
check_grep "item 14: it is already in the register" \
	'nohyphen.csv:2: tag "BGS2026000001S" is already in the register' "$T/err"
check_same "item 14: register unchanged" "$D/register.csv" reg.csv
t3=$(check_char BGS-2026-000003-)
printf 'tag,资产名称,原值,使用部门\n%s,甲,80,办公室\n%s,乙,80,办公室\n' \
	"$t3" "$(echo "$t3" | tr -d -)" >twice.csv
run $AT twice.csv
check_status "item 14: one tag twice, with and without hyphens: exit 2" 2
check_grep "item 14: duplicate named" 'twice.csv:3: duplicate tag .* (also on line 2)' "$T/err"
# A new tag is never one the register holds under other separators.
cp "$D/register.csv" reg.csv
echo "BGS2026000008$(check_char BGS2026000008 | cut -c14),旧柜,家具,low-value,300,2026-01-05,5,办公室,王芳,301室,in-use,," >>reg.csv
run $AT -r reg.csv one.csv
check_status "item 14: register holds BGS2026000008x" 0
check_grep "item 14: the new tag is 000009" "^$(check_char BGS-2026-000009-),台灯," reg.csv

done_testing
