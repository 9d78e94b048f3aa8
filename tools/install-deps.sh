#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what building and testing libsriovvirt needs on Debian 12, unless
# it is all there already (then it needs neither root nor the network).
set -eu

PACKAGES="meson ninja-build pkg-config gcc libc6-dev libpci-dev libudev-dev
libcmocka-dev python3 scdoc clang libclang-rt-dev valgrind pciutils
qemu-system-x86 busybox-static kmod cpio gzip strace"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages:$missing" >&2
	echo "install-deps: run this as root (sudo $0)" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
