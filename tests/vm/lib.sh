# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the in-VM case scripts (installed as /vmdata/lib.sh). POSIX sh.

SYS=/sys/bus/pci/devices
failures=0
CASE_NAME=${CASE_NAME:-$(basename "$0")}

fail() {
	echo "$CASE_NAME: FAIL: $*"
	failures=$((failures + 1))
}

ok() {
	echo "$CASE_NAME: ok: $*"
}

# expect RC CMD...: run CMD, which must exit RC; output lands in $OUTPUT,
# standard error in $ERRORS.
expect() {
	want=$1
	shift
	"$@" >/tmp/expect.out 2>/tmp/expect.err
	got=$?
	OUTPUT=$(cat /tmp/expect.out)
	ERRORS=$(cat /tmp/expect.err)
	if [ "$got" = "$want" ]; then
		ok "exit $got: $*"
	else
		fail "exit $got (want $want): $* -- $ERRORS"
	fi
}

# mentions TEXT...: the last expect's standard error contains every TEXT.
mentions() {
	for t in "$@"; do
		case "$ERRORS" in
		*"$t"*) ok "message mentions '$t'" ;;
		*) fail "message '$ERRORS' does not mention '$t'" ;;
		esac
	done
}

# same A B WHAT: A and B are equal.
same() {
	if [ "$1" = "$2" ]; then
		ok "$3: $1"
	else
		fail "$3: '$1' != '$2'"
	fi
}

attr() {
	cat "$SYS/$1/$2"
}

# vf_of PF N: the address virtfnN of PF points to.
vf_of() {
	basename "$(readlink "$SYS/$1/virtfn$2")"
}

finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$CASE_NAME: $failures check(s) failed"
		exit 1
	fi
	echo "$CASE_NAME: all checks passed"
	exit 0
}
