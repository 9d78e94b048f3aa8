#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what building and testing libsriovvirt needs on Debian 12, unless
# it is all there already (then it needs neither root nor the network).
#
# The real-kernel tier needs QEMU >= 8.0 (for the igb NIC) and Debian's 6.12
# kernel; Debian 12 has both in its bookworm-backports suite, which is added
# from the mirror the machine's own Debian sources already use.
set -eu

PACKAGES="meson ninja-build pkg-config gcc libc6-dev libpci-dev libudev-dev
libnl-route-3-dev iproute2
libcmocka-dev python3 scdoc clang libclang-rt-dev valgrind pciutils
busybox-static kmod cpio gzip strace nvme-cli bash udev"
BACKPORTS_PACKAGES="qemu-system-x86"
QEMU_MIN_VERSION=1:8.0
SOURCES=/etc/apt/sources.list.d/sriovvirt-bookworm-backports.sources

installed() {
	dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q "ok installed"
}

qemu_recent() {
	installed qemu-system-x86 &&
		dpkg --compare-versions "$(dpkg-query -W -f='${Version}' \
			qemu-system-x86)" ge "$QEMU_MIN_VERSION"
}

# Prints "URI SIGNED-BY" of the machine's bookworm (main) source, from
# deb822 files or one-line sources.list entries; nothing if there is none.
bookworm_source() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && suites ~ /(^| )bookworm( |$)/ &&
				    uris != "" && !done) {
					split(uris, u, " ")
					print u[1], (signed == "" ? "-" : signed)
					done = 1
				}
				types = suites = uris = signed = ""
			}
			/^[ \t]*$/ { flush(); next }
			/^[ \t]*#/ { next }
			tolower($1) == "types:" { $1 = ""; types = $0 }
			tolower($1) == "suites:" { $1 = ""; suites = $0 }
			tolower($1) == "uris:" { $1 = ""; uris = $0 }
			tolower($1) == "signed-by:" { signed = $2 }
			END { flush() }
		' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '
			$1 == "deb" {
				signed = "-"
				if (match($0, /signed-by=[^] \t]*/))
					signed = substr($0, RSTART + 10, RLENGTH - 10)
				sub(/\[[^]]*\][ \t]*/, "")
				if ($3 == "bookworm") { print $2, signed; exit }
			}
		' "$f"
	done
}

has_backports() {
	grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/
}

add_backports() {
	has_backports && return 0
	set -- $(bookworm_source | head -n 1)
	if [ $# -lt 1 ]; then
		echo "install-deps: no bookworm entry in the apt sources to take the" \
		     "mirror from; add bookworm-backports by hand" >&2
		exit 1
	fi
	echo "install-deps: adding bookworm-backports from $1 ($SOURCES)"
	{
		echo "# Added by libsriovvirt's tools/install-deps.sh: QEMU >= 8.0 and"
		echo "# Debian's 6.12 kernel for the real-kernel tests."
		echo "Types: deb"
		echo "URIs: $1"
		echo "Suites: bookworm-backports"
		echo "Components: main"
		[ "${2:--}" = - ] || echo "Signed-By: $2"
	} >"$SOURCES"
}

missing=""
for p in $PACKAGES; do
	installed "$p" || missing="$missing $p"
done
backports_missing=""
qemu_recent || backports_missing=$BACKPORTS_PACKAGES
if [ -z "$missing" ] && [ -z "$backports_missing" ] && has_backports; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing:$missing${backports_missing:+ $backports_missing (>= 8.0, bookworm-backports)}" >&2
	has_backports || echo "install-deps: and the bookworm-backports apt source" >&2
	echo "install-deps: run this as root (sudo $0)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
add_backports
apt-get update -q
if [ -n "$missing" ]; then
	echo "install-deps: installing$missing"
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
fi
if [ -n "$backports_missing" ]; then
	echo "install-deps: installing $backports_missing from bookworm-backports"
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends -t bookworm-backports \
		$backports_missing
fi
