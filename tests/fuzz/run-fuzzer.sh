#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs one fuzz target as a Meson test:
#   run-fuzzer.sh BINARY SEEDS WORKDIR SECONDS [libFuzzer options...]
# libFuzzer adds what it finds to its first corpus directory and writes crash
# files next to -artifact_prefix. Neither may be the source tree, so the
# first directory is WORKDIR/corpus, emptied on every run, the committed seeds
# are only read, and crashes go to WORKDIR/artifacts, kept across runs so a
# failure can be replayed (BINARY FILE) after the test has gone red.
# SECONDS 0 replays the seeds without fuzzing. A standalone (non-libFuzzer)
# BINARY ignores the options and runs the seeds and their variations.
set -eu

if [ $# -lt 4 ]; then
	echo "usage: $0 BINARY SEEDS WORKDIR SECONDS [OPTIONS...]" >&2
	exit 2
fi
binary=$1 seeds=$2 work=$3 seconds=$4
shift 4

rm -rf "$work/corpus"
mkdir -p "$work/corpus" "$work/artifacts"

if [ "$seconds" -eq 0 ]; then
	limit=-runs=0
else
	limit=-max_total_time=$seconds
fi
# ASan's 256 MB quarantine would be most of each fuzzer's memory, times the
# tests Meson runs in parallel; these targets' blocks are small and freed at
# once, so a little still catches a use after free. Options given in the
# environment (the asan test setup's) come later and win.
ASAN_OPTIONS="quarantine_size_mb=32${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export ASAN_OPTIONS

# -timeout: one input taking seconds means a walk that does not end; fail
# fast with the input saved, not at Meson's timeout without it.
# -error_exitcode: libFuzzer's default, 77, is what Meson reads as "skipped".
exec "$binary" "$limit" -timeout=5 -error_exitcode=1 -rss_limit_mb=2048 \
	-print_final_stats=1 \
	-artifact_prefix="$work/artifacts/" "$@" "$work/corpus" "$seeds"
