#!/bin/sh
# The fresh-machine test: proves that the README's two commands, `make demo`
# and `make check`, work on the first try on a fresh Debian 12, as root,
# with nothing installed beforehand.
#
# It builds a minimal Debian 12 root with mmdebstrap (variant minbase, plus
# only make, git and ca-certificates, as the README says a fresh machine
# has), bind-mounts /proc, /sys and /dev into it, clones this checkout's
# committed HEAD into /root/officeadm there and runs exactly the README's two
# commands inside it.  The root is removed only after every mount in it is
# gone (checked in /proc/self/mountinfo), never with mounts still inside.
#
# Needs root and the Debian package mmdebstrap (`.ci/run` installs it; this
# script does not).  Takes a few minutes; run by `make fresh-check` and by
# `.ci/run`.  FRESH_KEEP=1 keeps the root for a look afterwards (unmounted).
# Exit status: 0 both commands passed, 1 one failed, 2 the test itself
# could not run (not root, no mmdebstrap, no archive).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
prog=fresh-check

if [ "$(id -u)" != 0 ]; then
	echo "$prog: must run as root (it builds a Debian root and chroots into it)" >&2
	exit 2
fi
if ! command -v mmdebstrap >/dev/null 2>&1; then
	echo "$prog: mmdebstrap is not installed (apt-get install mmdebstrap)" >&2
	exit 2
fi

work=$(mktemp -d "${TMPDIR:-/var/tmp}/officeadm-fresh.XXXXXX") || exit 2
root="$work/root"
mounted=""

# Lists the mount points at or under $root (field 5 of mountinfo; spaces in
# the path are escaped as \040 there, and mktemp's names have none).
mounts_inside() {
	awk -v r="$root" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo
}

cleanup() {
	for m in $mounted; do
		umount -R "$root/$m" 2>/dev/null || umount -R -l "$root/$m" 2>/dev/null
	done
	left=$(mounts_inside)
	if [ -n "$left" ]; then
		echo "$prog: still mounted, $work left in place:" >&2
		echo "$left" >&2
		return
	fi
	if [ "${FRESH_KEEP:-0}" = 1 ]; then
		echo "$prog: root kept in $root"
	else
		rm -rf --one-file-system "$work"
	fi
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

# The host's own Debian sources, so the fresh root reaches the same archive
# that apt-get on this machine reaches.
sources=""
for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
	if [ -s "$f" ] && grep -q '^[^#]' "$f"; then sources=$f; break; fi
done

echo "=== fresh Debian 12 root (mmdebstrap minbase + make, git, ca-certificates)"
if ! mmdebstrap --quiet --variant=minbase --include=make,git,ca-certificates \
	bookworm "$root" ${sources:+"$sources"} </dev/null; then
	echo "$prog: mmdebstrap could not build the root" >&2
	exit 2
fi

for m in proc sys dev; do
	mkdir -p "$root/$m"
	if [ $m = proc ]; then
		mount -t proc proc "$root/proc" || exit 2
	else
		# rslave: unmounting inside never propagates back to the host.
		mount --rbind "/$m" "$root/$m" && mount --make-rslave "$root/$m" || exit 2
	fi
	mounted="$m $mounted"
done

# The committed HEAD, as a clean clone is: no build trees, nothing untracked.
if ! git clone --quiet --no-hardlinks "$top" "$root/root/officeadm"; then
	echo "$prog: cannot clone $top" >&2
	exit 2
fi
echo "=== checkout: $(git -C "$root/root/officeadm" log --oneline -1)"

# Exactly the README's two commands, as root, with a minimal environment.
status=0
for cmd in "make demo" "make check"; do
	echo "=== in the fresh root: $cmd"
	if ! env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		LANG=C.UTF-8 TERM=dumb chroot "$root" sh -c "cd /root/officeadm && $cmd" </dev/null; then
		echo "$prog: '$cmd' failed on a fresh Debian 12" >&2
		status=1
		break
	fi
done
[ $status = 0 ] && echo "=== fresh-check: make demo and make check passed on a fresh Debian 12"
exit $status
