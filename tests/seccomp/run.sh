#!/usr/bin/env bash
# run.sh NO_URING BACKEND_CHECK DEVIATIONS PROGRAM... - part of the suite where io_uring
# is refused (no_uring.c: a seccomp filter, io_uring_setup -> EPERM), with no
# WSAIO_BACKEND: wsaio must fall back to epoll by itself and every test must still pass.
#
#   1. backend_check auto_backend: the backend is "epoll", the refusal names EPERM, a receive works;
#   2. backend_check forced_uring (WSAIO_BACKEND=uring): "none" and WSAENETDOWN, no fallback;
#   3. each PROGRAM: a conformance program (conformance_*) runs every case in its own
#      process, except wsaio's documented deviations (DEVIATIONS); another runs once,
#      with WSAIO_DEBUG=1, and must print the fallback line.
# Ends with `N passed, N failed, N skipped`; exit 0, 1, or 77 when seccomp is unavailable.
set -uo pipefail
no_uring=$1 check=$2 deviations=$3
shift 3
unset WSAIO_BACKEND WSAIO_DEBUG
pass=0 fail=0 skip=0

"$no_uring" true >/dev/null
[ $? -eq 77 ] && { echo "SKIP: seccomp filters are not available here"; exit 77; }

# run_one NAME CMD... - runs CMD under the filter, counts the outcome, shows a failure.
run_one() {
    local name=$1 out rc
    shift
    out=$("$no_uring" "$@" 2>&1)
    rc=$?
    case $rc in
    0) pass=$((pass + 1)) ;;
    77) skip=$((skip + 1)) ;;
    *) fail=$((fail + 1)); printf 'FAIL %s (exit %d)\n%s\n' "$name" "$rc" "$(tail -n 20 <<<"$out")" ;;
    esac
    last_out=$out
}

run_one backend_check.auto "$check" auto_backend
echo "$last_out"
WSAIO_BACKEND=uring run_one backend_check.forced-uring "$check" forced_uring
echo "$last_out"

skip_cases=$(sed -n -E 's/^[[:space:]]*([A-Za-z0-9_.]+)[[:space:]].*/\1/p' "$deviations" 2>/dev/null)
for prog in "$@"; do
    name=$(basename "$prog")
    if [[ $name == conformance_* ]]; then
        cases=$("$prog" --list)
        n0=$((pass + fail + skip))
        for c in $cases; do
            grep -qx -e "$c" -e "${name#conformance_}.$c" <<<"$skip_cases" && continue
            run_one "$name $c" "$prog" "$c"
        done
        echo "$name: $((pass + fail + skip - n0)) cases run"
    else
        WSAIO_DEBUG=1 run_one "$name" "$prog"
        grep -v '^wsaio: io_uring refused' <<<"$last_out" | tail -n 3
        if ! grep -q '^wsaio: io_uring refused (.*EPERM.*); using epoll' <<<"$last_out"; then
            echo "FAIL $name: no 'io_uring refused ... using epoll' line with WSAIO_DEBUG=1"
            fail=$((fail + 1))
        fi
    fi
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
