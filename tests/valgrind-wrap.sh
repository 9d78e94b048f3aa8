#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The exe_wrapper of the 'valgrind' test setup. Programs built here run under
# valgrind; a script (the Python CLI tests) runs as it is and is told, through
# SRIOVCTL_WRAPPER, to run each sriovctl it starts under valgrind instead.
VALGRIND="valgrind --quiet --error-exitcode=99 --leak-check=full \
--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
--track-fds=no"

# System programs a test drives (the C++ compiler of abi-header-cplusplus)
# are not ours to check.
case "$1" in
/usr/*|/bin/*|/sbin/*) exec "$@" ;;
esac

case "$(basename "$1")" in
python*|*.py|*.sh) is_script=1 ;;
*) is_script=0 ;;
esac
if [ "$is_script" = 0 ] && head -c 4 "$1" 2>/dev/null | grep -q 'ELF'; then
	# shellcheck disable=SC2086
	exec $VALGRIND "$@"
fi
export SRIOVCTL_WRAPPER="$VALGRIND"
exec "$@"
