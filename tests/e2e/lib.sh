# Sourced by every tests/e2e/*.sh.  Gives a scratch directory $T, the
# built commands in $BIN (put first on PATH), test data in $DATA, and:
#
#   run CMD...                 runs CMD; stdout in $T/out, stderr in $T/err,
#                              status in $status
#   check_status NAME WANT     ok when $status = WANT (shows stderr if not)
#   check_same NAME EXP ACT    ok when files are identical (shows diff if not)
#   check_grep NAME RE FILE    ok when FILE has a line matching RE
#   check NAME CMD...          ok when CMD succeeds
#   done_testing               exit status: 1 if anything failed
: "${BIN:?BIN must name the directory of the built commands}"
: "${TOP:=$(pwd)}"
DATA="$TOP/tests/data"
PATH="$BIN:$PATH"
export PATH LC_ALL=C.UTF-8 TZ=Asia/Shanghai
unset OFFICEADM_CONFIG
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2

# Tests that drop to an unprivileged user (setpriv, as root) run the commands
# as that user.  When the build is where that user cannot reach it (a clone
# in /root, as on a fresh machine), they run a copy in the scratch directory.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
   ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$BIN/asset-tag" 2>/dev/null; then
	mkdir "$T/bin" && cp -p "$BIN"/* "$T/bin/" && chmod 711 "$T" && chmod 755 "$T/bin" &&
		BIN="$T/bin" && PATH="$BIN:$PATH"
fi
_fails=0

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; _fails=$((_fails + 1)); }

run() {
	"$@" >"$T/out" 2>"$T/err"
	status=$?
}

check_status() {
	if [ "$status" -eq "$2" ]; then ok "$1"; else
		not_ok "$1 (status $status, want $2)"
		sed 's/^/#   /' "$T/err" | head -20
	fi
}

check_same() {
	if cmp -s "$2" "$3"; then ok "$1"; else
		not_ok "$1"
		diff -u "$2" "$3" | head -40 | sed 's/^/#   /'
	fi
}

check_grep() {
	if grep -q -e "$2" "$3"; then ok "$1"; else
		not_ok "$1 (no line matching '$2' in ${3##*/})"
		head -20 "$3" | sed 's/^/#   /'
	fi
}

check() {
	_name=$1
	shift
	if "$@"; then ok "$_name"; else not_ok "$_name"; fi
}

done_testing() {
	[ "$_fails" -eq 0 ]
}

# check_char TAG-WITHOUT-CHECK: prints TAG with its ISO 7064 MOD 37,36 check
# character, computed here independently of asset-tag (tests compare the two).
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
