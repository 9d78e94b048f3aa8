#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What a distribution package gives a program: `meson install` of this build
# into a staging directory, then the installed example stack built the way
# a user builds against the package (pkg-config, strict warnings) and run
# against the installed library. It must load and print its usage.
#
# usage: installed-consumer.sh BUILD_DIR SOURCE_DIR
# Exit 77 (skipped) without pkg-config or a C compiler.
set -eu

build=$1
src=$2
cc=${CC:-cc}

command -v pkg-config >/dev/null 2>&1 || { echo "no pkg-config"; exit 77; }
command -v "$cc" >/dev/null 2>&1 || { echo "no C compiler ($cc)"; exit 77; }
meson=$(command -v meson || true)
[ -n "$meson" ] || { echo "no meson"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sriovvirt-installed-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
root=$tmp/root

fail() {
	echo "installed-consumer: $*" >&2
	exit 1
}

# The build is up to date (meson test built it): install it as it is.
if ! "$meson" install -C "$build" --destdir "$root" --no-rebuild --quiet \
	>"$tmp/install.log" 2>&1; then
	cat "$tmp/install.log" >&2
	fail "meson install --destdir failed"
fi

pc=$(find "$root" -name libsriovvirt.pc | head -n 1)
[ -n "$pc" ] || fail "no libsriovvirt.pc installed"
lib=$(find "$root" -name 'libsriovvirt.so.*' -type f | head -n 1)
[ -n "$lib" ] || fail "no libsriovvirt.so.* installed"
for header in sriovvirt.h sriovvirt-pcivirt.h; do
	[ -n "$(find "$root" -name "$header" -type f)" ] ||
		fail "$header is not installed"
done
[ -n "$(find "$root" -name libsriovvirt.so)" ] ||
	fail "no libsriovvirt.so development link installed"
# A sanitizer build's library needs its runtime loaded first, which an
# outside program built with plain cc does not do: nothing to learn here.
if ldd "$lib" 2>/dev/null | grep -q 'lib[at]san\|libubsan'; then
	echo "the library is built with a sanitizer: skipped"
	exit 77
fi

# The example as the package ships it, else as the source tree has it.
example=$(find "$root" -name pcivirt-stack.c -type f | head -n 1)
[ -n "$example" ] || example=$src/docs/examples/pcivirt-stack.c
[ -f "$example" ] || fail "no pcivirt-stack.c, installed or in $src"

PKG_CONFIG_PATH=$(dirname "$pc")
PKG_CONFIG_SYSROOT_DIR=$root
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
cflags=$(pkg-config --cflags libsriovvirt) || fail "pkg-config --cflags"
libs=$(pkg-config --libs libsriovvirt) || fail "pkg-config --libs"
case "$cflags $libs" in
*"$root"*) ;;
*) fail "pkg-config does not point into the staging directory: $cflags $libs" ;;
esac

# shellcheck disable=SC2086
"$cc" -Wall -Wextra -Werror $cflags -o "$tmp/pcivirt-stack" "$example" $libs \
	|| fail "building $example against the installed package failed"

# It loads the installed library, not the build tree's.
LD_LIBRARY_PATH=$(dirname "$lib")
export LD_LIBRARY_PATH
loaded=$(LD_TRACE_LOADED_OBJECTS=1 "$tmp/pcivirt-stack" | grep libsriovvirt) ||
	fail "pcivirt-stack does not load libsriovvirt"
case "$loaded" in
*"$root"*) ;;
*) fail "pcivirt-stack loads another libsriovvirt: $loaded" ;;
esac

# --help: the usage on stdout, exit 0; no arguments: usage, exit 2.
"$tmp/pcivirt-stack" --help >"$tmp/help" 2>&1 || fail "--help exited $?"
grep -q '^usage: pcivirt-stack' "$tmp/help" || {
	cat "$tmp/help" >&2
	fail "--help printed no usage"
}
status=0
"$tmp/pcivirt-stack" >"$tmp/none" 2>&1 || status=$?
[ "$status" -eq 2 ] || fail "no arguments exited $status, not 2 (usage)"
grep -q 'usage:' "$tmp/none" || fail "no arguments printed no usage"
echo "installed package: built and ran $example"
