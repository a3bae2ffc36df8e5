# Sourced by run.sh and prove.sh: LP_RULE is "--exclusive" when the
# meeting-sched in $BIN counts an optional attendee present at one of two
# overlapping meetings only (the objective since issue 14), else empty;
# lp.py then writes the same objective.  Asked of the program itself: two
# meetings at the same time with the same optional attendee.
rule_dir=$(mktemp -d)
printf '[rooms]\na = 10\nb = 10\n' >"$rule_dir/officeadm.ini"
printf 'id,duration,required,optional,earliest,latest\n%s\n%s\n' \
	'A,1h,X,Z,2026-03-02 09:00,2026-03-02 10:00' \
	'B,1h,Y,Z,2026-03-02 09:00,2026-03-02 10:00' >"$rule_dir/r.csv"
LP_RULE=
if "$BIN/meeting-sched" -v -c "$rule_dir/officeadm.ini" -o "$rule_dir/out.csv" "$rule_dir/r.csv" 2>&1 |
	grep -q 'optional 100,'; then
	LP_RULE=--exclusive
fi
rm -rf "$rule_dir"
