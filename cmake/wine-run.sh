#!/usr/bin/env bash
# wine-run.sh WINE PROGRAM.exe ARGS... - CTest's emulator for the Wine build of the tests.
#
# Runs the program under Wine and exits with its status. In some runs of the whole suite (2
# of 11 here), one wine process exits at once, with a failure status and no output at all
# (WINEDEBUG=-all hides Wine's own messages): the program never got to main. That is Wine
# failing to start a process, not a test result, so such a start is retried, at most twice.
# The harness prints "RUN <case>" before anything else (harness.c), which tells the two
# apart: a run that printed that line is never retried, whatever happened after it. Each
# retry is reported on stderr (it shows in the test's output) and, when
# WSAIO_WINE_RETRY_LOG names a file, appended there (scripts/test.sh counts them).
set -u
wine=$1
shift
out=$(mktemp "${TMPDIR:-/tmp}/wine-run.XXXXXX")
trap 'rm -f "$out"' EXIT

for attempt in 1 2 3; do
    # tee keeps the output streaming to CTest (a timeout still shows what was printed).
    "$wine" "$@" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    if [ "$rc" -eq 0 ] || grep -q '^RUN ' "$out" || [ "$attempt" -eq 3 ]; then
        exit "$rc"
    fi
    msg="wine-run: wine exited with status $rc before the program reached main; retrying ($*)"
    echo "$msg" >&2
    if [ -n "${WSAIO_WINE_RETRY_LOG:-}" ]; then
        echo "$msg" >>"$WSAIO_WINE_RETRY_LOG"
    fi
done
