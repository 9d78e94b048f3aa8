#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The README's first command: install what is needed, build, and show
# sriovctl at work. On a host with SR-IOV devices it shows them; on a host
# without any, it boots Debian's kernel under QEMU with emulated SR-IOV NVMe
# controllers and lets sriovctl create and list real VFs there.
set -eu
cd "$(dirname "$0")/.."

tools/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
meson compile -C build >/dev/null
sriovctl=build/tools/sriovctl

banner() {
	printf '\n=== %s ===\n\n' "$*"
}

show_host() {
	banner "SR-IOV devices of this host ($(uname -r))"
	"$sriovctl" list
	first=$("$sriovctl" --json list | python3 -c \
		'import json,sys; print(json.load(sys.stdin)[0]["address"])')
	echo
	echo "$ sriovctl show $first"
	"$sriovctl" show "$first" || true
	echo
	echo "Next: sriovctl enable $first N --no-autoprobe --wait; sriovctl --help"
}

show_vm() {
	banner "No SR-IOV devices here: sriovctl on a real kernel in a VM"
	meson compile -C build vm-demo
}

show_sample() {
	tree=$(mktemp -d)
	trap 'rm -rf "$tree"' EXIT
	build/tests/fixtures/mkfixture standard "$tree" >/dev/null
	banner "SAMPLE TREE: a fake sysfs, not a real kernel (the VM could not run)"
	echo "$ sriovctl --sysfs-root $tree list"
	"$sriovctl" --sysfs-root "$tree" list
	echo
	echo "$ sriovctl --sysfs-root $tree show 0000:00:04.0"
	"$sriovctl" --sysfs-root "$tree" show 0000:00:04.0
}

if [ "$("$sriovctl" --json list)" != "[]" ]; then
	show_host
elif ! show_vm; then
	echo "quickstart: the VM demo failed (see above); showing a sample tree" >&2
	show_sample
fi
