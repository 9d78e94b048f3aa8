#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The README's second command, and what CI runs: every test.
#  1. build/       all suites: unit, fixture, cli, abi, fuzz, and vm (Debian's
#                  kernel under QEMU with emulated SR-IOV devices)
#  2. build/       the same without vm and fuzz, under valgrind
#  3. build-asan/  the same without vm, built with ASan+UBSan
#  4. build-lto/   the library and the ABI tests with link-time optimization,
#                  as distributions build it: the symbol versions must hold
set -eu
cd "$(dirname "$0")/.."

tools/install-deps.sh

setup() {
	dir=$1
	shift
	if [ -f "$dir/build.ninja" ]; then
		meson configure "$dir" "$@"
	else
		meson setup "$dir" "$@"
	fi
}

setup build -Dwerror=true
meson test -C build --print-errorlogs
meson test -C build --setup valgrind --print-errorlogs

setup build-asan -Dwerror=true -Db_sanitize=address,undefined \
	-Db_lundef=false -Dvm_tests=false
meson test -C build-asan --setup asan --print-errorlogs

setup build-lto -Dwerror=true -Db_lto=true -Dvm_tests=false -Ddocs=disabled
ninja -C build-lto tools/sriovctl tests/abi/compat-0.1 tests/abi/header-alone \
	tests/abi/pcivirt-alone tests/abi/pcivirt-layout tools/completion/sriovctl
meson test -C build-lto --no-rebuild --suite abi --print-errorlogs
echo "run-all: every test passed"
