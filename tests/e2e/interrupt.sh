#!/bin/sh
# Ctrl-C (SIGINT), kill (SIGTERM) or a closed terminal (SIGHUP) while a
# command writes: the new file not yet renamed into place is removed, the
# old one stays as it was, and the signal then ends the run as it would
# have (status 128 + N).  A signal the caller ignores (nohup, a background
# job of a script) stays ignored.  To catch a run at that moment, a small
# library preloaded here (built with the C compiler; skipped without one)
# holds it just after the first fsync of a "*.tmp.*" file (or of HOLD_AT),
# before the rename, and leaves a marker file saying so; with HOLD_FOR it
# goes on after that many seconds, as a slow disk would.
. "$TOP/tests/e2e/lib.sh"
EX="$TOP/examples"
export OFFICEADM_CONFIG="$EX/officeadm.ini"

cat >hold.c <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Whether a background job starts with SIGINT ignored depends on the
 * shell: before main, HOLD_INT=default puts the default action, as an
 * interactive shell's job has it, HOLD_INT=ignore ignores it, as nohup and
 * a script's background jobs do. */
__attribute__((constructor)) static void
start(void)
{
	const char *how = getenv("HOLD_INT");
	if (how != NULL)
		signal(SIGINT, strcmp(how, "ignore") == 0 ? SIG_IGN : SIG_DFL);
}

int
fsync(int fd)
{
	int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	int rc = real(fd);
	const char *mark = getenv("HOLD_MARK"), *at = getenv("HOLD_AT"), *secs = getenv("HOLD_FOR");
	char link[64], path[4096];
	ssize_t n;
	static int held;

	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof path - 1);
	if (mark != NULL && !held && n > 0 &&
	    (path[n] = '\0', strstr(path, at != NULL ? at : ".tmp.") != NULL)) {
		int m = open(mark, O_WRONLY | O_CREAT, 0600);
		if (m >= 0)
			close(m);
		held = 1;
		if (secs != NULL) {
			sleep((unsigned)atoi(secs)); /* then on, as if slow */
			return rc;
		}
		for (;;)
			pause();
	}
	return rc;
}
EOF
if ! ${CC:-cc} -shared -fPIC -o hold.so hold.c -ldl 2>cc.err; then
	ok "# SKIP no C compiler to build the hold library: $(head -1 cc.err)"
	done_testing
	exit
fi
# Under AddressSanitizer the preloaded library comes before its runtime.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

snap() { cat reg.csv reg.csv.journal reg.csv.journal.state 2>/dev/null | sha256sum; }
tmps() { find . -maxdepth 2 -name '*.tmp.*' | wc -l; }
# held SIGNAL CMD...: runs CMD held at its fsync, sends SIGNAL, waits;
# $status is the run's status, $was says whether it was held.
held() {
	_sig=$1
	shift
	rm -f held.mark
	HOLD_MARK="$T/held.mark" LD_PRELOAD="$T/hold.so" "$@" >"$T/out" 2>"$T/err" &
	_pid=$!
	_i=0
	while [ ! -e held.mark ] && [ $_i -lt 200 ]; do sleep 0.05; _i=$((_i + 1)); done
	was=$([ -e held.mark ] && echo held || echo "not held")
	tmps_held=$(tmps)
	kill "-$_sig" "$_pid"
	wait "$_pid"
	status=$?
}

# ---- asset-log apply: Ctrl-C between the new register's fsync and its rename ----
cp "$EX/assets/register.csv" reg.csv
run asset-log -r reg.csv transfer --today 2026-12-01 --date 2026-11-01 --location 206室 CWK-2026-0001-7
check_status "a first event" 0
before=$(snap)
printf 'tag,event,date,location\nBGS-2026-0001-O,transfer,2026-11-20,302室\n' >move.csv
HOLD_INT=default held INT asset-log -r reg.csv apply --today 2026-12-01 move.csv
check "the run was held with its new register written" test "$was" = held
check "... a temporary file beside the register then" test "$tmps_held" -eq 1
check "Ctrl-C ends it as SIGINT does (130)" test "$status" -eq 130
check "... and leaves no temporary file" test "$(tmps)" -eq 0
check "... register, journal and state file as they were" test "$(snap)" = "$before"
run asset-log -r reg.csv check
check_status "the journal still checks clean" 0
run asset-log -r reg.csv apply --today 2026-12-01 move.csv
check_status "the same list is recorded by the next run" 0
check_grep "... the register shows it" '^BGS-2026-0001-O,.*,302室,' reg.csv

# ---- kill (SIGTERM) and a closed terminal (SIGHUP): a report's -o file ----
held TERM asset-log -r reg.csv summary -o summary.csv
check "summary -o was held at its fsync" test "$was" = held
check "SIGTERM ends it (143)" test "$status" -eq 143
check "... no temporary file, and no summary.csv" sh -c "[ $(tmps) -eq 0 ] && [ ! -e summary.csv ]"
echo 'old report' >summary.csv
held HUP asset-log -r reg.csv summary -o summary.csv
check "SIGHUP ends it (129)" test "$status" -eq 129
check "... no temporary file, the old summary.csv kept" sh -c "[ $(tmps) -eq 0 ] && [ \"\$(cat summary.csv)\" = 'old report' ]"

# ---- a signal the caller ignores stays ignored ----
# As nohup runs it, or a script's background job: SIGINT ignored before
# the run starts.  Ctrl-C meant for the script does not stop it; SIGTERM
# still does, and removes its file.
rm -f held.mark
HOLD_INT=ignore HOLD_MARK="$T/held.mark" LD_PRELOAD="$T/hold.so" asset-log -r reg.csv summary -o s2.csv >/dev/null 2>&1 &
pid=$!
i=0
while [ ! -e held.mark ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
check "... held" test -e held.mark
kill -INT "$pid"
sleep 0.3
check "an ignored SIGINT leaves the run going" kill -0 "$pid"
kill -TERM "$pid"
wait "$pid"
status=$?
check "... SIGTERM then ends it" test "$status" -eq 143
check "... with no temporary file" test "$(tmps)" -eq 0

# ---- an interrupt between the journal's events and their commit waits ----
# Held at the journal's fsync (step 2 of four, the new register written):
# Ctrl-C then is taken once the events, the register and the commit record
# are all in place, so the journal never ends with uncommitted events.
cp "$EX/assets/register.csv" reg.csv
rm -f reg.csv.journal reg.csv.journal.state
run asset-log -r reg.csv transfer --today 2026-12-01 --date 2026-11-01 --location 206室 CWK-2026-0001-7
check_status "a first event" 0
printf 'tag,event,date,location\nBGS-2026-0001-O,transfer,2026-11-20,303室\n' >move2.csv
HOLD_INT=default HOLD_AT=reg.csv.journal HOLD_FOR=1 held INT asset-log -r reg.csv apply --today 2026-12-01 move2.csv
check "the run was held after appending the events" test "$was" = held
check "Ctrl-C ends it afterwards, as SIGINT does (130)" test "$status" -eq 130
check_grep "... the register shows the move" '^BGS-2026-0001-O,.*,303室,' reg.csv
check "... the journal ends with the commit record" sh -c "tail -n 1 reg.csv.journal | grep -q ',commit,'"
run asset-log -r reg.csv check
check_status "... and check finds the two agree" 0
check "... no temporary file" test "$(tmps)" -eq 0

done_testing
