#!/usr/bin/env bash
# run_events.sh - event-object wake-up benchmark, every system in one run.
#
#   bench/run_events.sh [BUILD_DIR]        (default BUILD_DIR: <repo>/build-bench)
#
# Builds event_wake (wsaio) and peer_wake (bare futex, pthread condvar, libuv) with CMake
# in BUILD_DIR (Release, tests and examples off: the benchmark needs only the library; by
# hand when the root CMakeLists.txt is missing or fails), builds
# event_wake.c unchanged with mingw-w64 and runs it under Wine, then alternates the systems
# for ROUNDS rounds and writes the medians over rounds to results/event_wake.md (printed
# too). The raw RESULT lines stay in BUILD_DIR/bench/event_wake.raw.
#
# Environment: ROUNDS (11), ITERS / OPS (round trips per ping-pong case / operations per
# single-thread case, native: 5000 / 200000), WINE_ITERS / WINE_OPS (Wine: 5000 / 10000;
# every Wine event call is a wineserver request, tens of microseconds), OUT (markdown
# file), NO_WINE=1 (skip Wine), WSAIO_BENCH_PREBUILT=1 (use the binaries in BUILD_DIR as
# they are; set by the bench_events CMake target).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(mkdir -p "${1:-$ROOT/build-bench}" && cd "${1:-$ROOT/build-bench}" && pwd)
ROUNDS=${ROUNDS:-11}
ITERS=${ITERS:-5000}
OPS=${OPS:-200000}
WINE_ITERS=${WINE_ITERS:-5000}
WINE_OPS=${WINE_OPS:-10000}
OUT=${OUT:-$ROOT/results/event_wake.md}
BDIR=$BUILD/bench
RAW=$BDIR/event_wake.raw
T0=$(date +%s)

log() { printf '== %s\n' "$*" >&2; }

# ---- Native build ------------------------------------------------------------------------
find_bin() {
    local f
    for f in "$BUILD/bench/$1" "$BUILD/bin/$1" "$BUILD/$1"; do
        [ -x "$f" ] && { echo "$f"; return; }
    done
    find "$BUILD" -name "$1" -type f -perm -u+x 2>/dev/null | head -n1
}

build_by_hand() {
    local uv_flags=() uv_libs=()
    log "building by hand in $BDIR"
    mkdir -p "$BDIR"
    shopt -s globstar nullglob
    gcc -O2 -D_GNU_SOURCE -DWSAIO_BUILDING -fvisibility=hidden -I "$ROOT/include/wsaio" \
        -I "$ROOT/src" "$ROOT"/src/**/*.c "$ROOT/bench/event_wake.c" -lpthread -luring \
        -o "$BDIR/event_wake"
    if pkg-config --exists libuv 2>/dev/null; then
        uv_flags=(-DHAVE_LIBUV $(pkg-config --cflags libuv))
        uv_libs=($(pkg-config --libs libuv))
    else
        log "libuv not found by pkg-config (Debian: libuv1-dev): no libuv peer"
    fi
    gcc -O2 "${uv_flags[@]}" "$ROOT/bench/peer_wake.c" "${uv_libs[@]}" -lpthread \
        -o "$BDIR/peer_wake"
}

if [ "${WSAIO_BENCH_PREBUILT:-0}" != 1 ]; then
    if [ -f "$ROOT/CMakeLists.txt" ] &&
        cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DWSAIO_BUILD_TESTS=OFF \
            -DWSAIO_BUILD_EXAMPLES=OFF >"$BUILD/cmake.log" 2>&1 &&
        cmake --build "$BUILD" --target event_wake peer_wake >>"$BUILD/cmake.log" 2>&1; then
        log "built with CMake in $BUILD (Release)"
    else
        [ -f "$ROOT/CMakeLists.txt" ] && log "CMake build failed (see $BUILD/cmake.log)"
        build_by_hand
    fi
fi
EVENT_WAKE=$(find_bin event_wake)
PEER_WAKE=$(find_bin peer_wake)
[ -n "$EVENT_WAKE" ] && [ -n "$PEER_WAKE" ] || { log "event_wake/peer_wake not built"; exit 1; }
mkdir -p "$BDIR"

# ---- Wine: the same Winsock source, built with mingw-w64 ---------------------------------
. "$ROOT/bench/bench_wine.sh"
wine_setup event_wake
[ "$WINE_OK" = 1 ] && trap 'WINEPREFIX=$WINEPREFIX wineserver -k 2>/dev/null || true' EXIT
CLK_TCK=$(getconf CLK_TCK)

ws_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$WS_PID/stat"; }

# ---- Runs --------------------------------------------------------------------------------
# Two placements, applied alike to every system from the outside (no source pins a thread):
#   2cpu  unpinned on all CPUs: the scheduler decides whether the two threads share a CPU.
#   1cpu  the whole process (and, for Wine, the wineserver) confined to one CPU with taskset:
#         every hand-off is a same-CPU switch. Ping-pong cases only; the single-thread
#         cases do not depend on placement.
ALL_CPUS=$(taskset -pc $$ | sed 's/.*: //')
ONE_CPU=${ALL_CPUS%%[-,]*}
: >"$RAW"
tag() { sed "s/^RESULT /RESULT round=$1 mode=$2 /" >>"$RAW"; }
pin() { if [ "$1" = 1cpu ]; then echo "taskset -c $ONE_CPU"; fi; }
cases() { if [ "$1" = 1cpu ]; then echo pingpong; else echo ""; fi; }
run_wsaio() {
    $(pin "$2") "$EVENT_WAKE" --iters "$ITERS" --ops "$OPS" --system wsaio \
        ${3:+--case "$3"} | tag "$1" "$2"
}
run_peers() {
    $(pin "$2") "$PEER_WAKE" --iters "$ITERS" --ops "$OPS" --system linux \
        ${3:+--case "$3"} | tag "$1" "$2"
}
run_wine() {
    local c before after
    [ "$2" = 1cpu ] && taskset -pc "$ONE_CPU" "$WS_PID" >/dev/null
    # One process per case, so that the wineserver CPU time can be given to its case.
    for c in pingpong-wsaevent pingpong-autoevent setreset-nowaiter set-signalled \
        wait0-signalled; do
        case "$c" in "$3"*) ;; *) continue ;; esac
        before=$(ws_cpu_ticks)
        $(pin "$2") wine "$BDIR/event_wake.exe" --iters "$WINE_ITERS" --ops "$WINE_OPS" \
            --case "$c" --system wine >"$BDIR/wine.out" 2>"$BDIR/wine.err" || {
            log "Wine run of $c failed:"; cat "$BDIR/wine.err" >&2; return 1; }
        after=$(ws_cpu_ticks)
        grep '^# event_wake' "$BDIR/wine.out" | head -n1 >"$BDIR/wine.header"
        grep '^RESULT' "$BDIR/wine.out" |
            sed "s/\$/ ws_cpu_ns=$(((after - before) * 1000000000 / CLK_TCK))/" | tag "$1" "$2"
    done
    taskset -pc "$ALL_CPUS" "$WS_PID" >/dev/null
}

systems=(wsaio peers)
[ "$WINE_OK" = 1 ] && systems+=(wine)
for r in $(seq 1 "$ROUNDS"); do
    # Rotate the order every round, so that no system always runs first or last.
    n=${#systems[@]}
    order=()
    for i in $(seq 0 $((n - 1))); do order+=("${systems[$(((i + r - 1) % n))]}"); done
    log "round $r/$ROUNDS: ${order[*]}"
    for mode in 2cpu 1cpu; do
        for s in "${order[@]}"; do "run_$s" "$r" "$mode" "$(cases "$mode")"; done
    done
done

# ---- Report ------------------------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
wine_ver=$([ "$WINE_OK" = 1 ] && wine --version 2>/dev/null || echo "not measured")
uv_ver=$(pkg-config --modversion libuv 2>/dev/null || echo "not found")
rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
[ -n "$(git -C "$ROOT" status --porcelain -- src include 2>/dev/null)" ] && rev="$rev + uncommitted src/include"
qpc_wine=$([ -f "$BDIR/wine.header" ] && sed -n 's/.*qpc_hz=\([0-9]*\).*/\1/p' "$BDIR/wine.header" || echo "?")
{
    echo "# Event-object wake-up: wsaio against a bare futex, a condvar, libuv and Wine"
    echo
    echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/run_events.sh\` on $(nproc) CPUs" \
        "($cpu_model), Linux $(uname -r); Wine: $wine_ver; libuv $uv_ver;" \
        "wsaio at $rev."
    echo "$ROUNDS rounds, systems alternated (order rotated every round); each figure is the" \
        "median over the rounds of that round's value."
    echo
    awk -f /dev/fd/3 "$RAW" 3<<'AWK'
# sorted(s): splits the space-separated numbers of s into S[1..n] in ascending order.
function sorted(s,    n, i, j, t) {
    n = split(s, S, " ")
    for (i = 2; i <= n; i++) { t = S[i] + 0; for (j = i - 1; j >= 1 && S[j] + 0 > t; j--) S[j + 1] = S[j]; S[j + 1] = t }
    return n
}
function med(s,    n) {
    n = sorted(s)
    return n % 2 ? S[(n + 1) / 2] : (S[n / 2] + S[n / 2 + 1]) / 2
}
function range(s, scale,    n) {
    n = sorted(s)
    return sprintf("%.1f–%.1f", S[1] / scale, S[n] / scale)
}
function ratio(x) {
    return x >= 0.1 ? sprintf("%.2fx", x) : sprintf("%.3fx", x)
}
$1 != "RESULT" { next }
{
    delete f
    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    k = f["mode"] "/" f["system"] "/" f["case"]
    cpu = f["cpu_ns_op"]; pct = f["cpu_pct"]
    if ("ws_cpu_ns" in f) {
        # wineserver CPU over the whole process (warm-up included), spread over its ops.
        ws = f["ws_cpu_ns"] / (f["n"] + f["warm"])
        cpu += ws; pct += 100 * ws * f["ops_s"] / 1e9
    }
    P50[k] = P50[k] " " f["median_ns"]; P99[k] = P99[k] " " f["p99_ns"]
    OPS[k] = OPS[k] " " f["ops_s"]; CPU[k] = CPU[k] " " cpu; PCT[k] = PCT[k] " " pct
    seen[k] = 1
}
function row(k, label, what, scale, base,    p50) {
    if (!(k in seen)) { printf "| %s | %s | not measured | | | | | | |\n", label, what; return }
    p50 = med(P50[k])
    printf "| %s | %s | %.1f | %s | %.1f | %.0f | %.1f | %.0f%% | %s |\n", label, what,
        p50 / scale, range(P50[k], scale), med(P99[k]) / scale, med(OPS[k]),
        med(CPU[k]) / scale, med(PCT[k]), (base > 0 ? ratio(base / p50) : "n/a")
}
function pingpong_table(m, where,    fb) {
    fb = (m "/linux/pingpong-futex" in seen) ? med(P50[m "/linux/pingpong-futex"]) : 0
    print "## Ping-pong: set to wake-up of a blocked thread; " where
    print ""
    print "One sample = one round trip = two set-to-wake-up hand-offs (A sets E1 and waits on E2; B waits on E1, resets, sets E2)."
    print ""
    print "| system | mechanism | p50 µs | p50 range over rounds | p99 µs | round trips/s | CPU µs / round trip | CPU (% of one core) | vs bare futex |"
    print "|---|---|---:|---:|---:|---:|---:|---:|---:|"
    row(m "/linux/pingpong-futex", "bare futex", "FUTEX_WAKE / FUTEX_WAIT, private, two words", 1000, fb)
    row(m "/wsaio/pingpong-wsaevent", "**wsaio**", "WSASetEvent / WSAWaitForMultipleEvents(1, INFINITE) / WSAResetEvent", 1000, fb)
    row(m "/wsaio/pingpong-autoevent", "**wsaio**", "SetEvent / WaitForSingleObject, auto-reset CreateEvent", 1000, fb)
    row(m "/linux/pingpong-condvar", "pthread", "mutex + condition variable", 1000, fb)
    row(m "/linux/pingpong-uvasync", "libuv", "uv_async_send between two uv loop threads", 1000, fb)
    row(m "/wine/pingpong-wsaevent", "Wine", "WSASetEvent / WSAWaitForMultipleEvents / WSAResetEvent (same source)", 1000, fb)
    row(m "/wine/pingpong-autoevent", "Wine", "SetEvent / WaitForSingleObject, auto-reset (same source)", 1000, fb)
    print ""
}
END {
    pingpong_table("2cpu", "two threads free on all CPUs (unpinned)")
    pingpong_table("1cpu", "the whole process on one CPU (taskset; Wine: the wineserver too)")
    fs = ("2cpu/linux/futexwake-nowaiter" in seen) ? med(P50["2cpu/linux/futexwake-nowaiter"]) : 0
    print "## One thread, nobody waiting (cost of the call itself)"
    print ""
    print "Samples are batches of 100 calls (batch time / 100)."
    print ""
    print "| system | operation | p50 ns | p50 range over rounds | p99 ns | ops/s | CPU ns / op | CPU (% of one core) | vs FUTEX_WAKE syscall |"
    print "|---|---|---:|---:|---:|---:|---:|---:|---:|"
    row("2cpu/linux/futexwake-nowaiter", "bare futex", "FUTEX_WAKE with no waiter (one system call)", 1, fs)
    row("2cpu/wsaio/setreset-nowaiter", "**wsaio**", "WSASetEvent + WSAResetEvent (a real set each time)", 1, fs)
    row("2cpu/wsaio/set-signalled", "**wsaio**", "WSASetEvent on an already signalled event", 1, fs)
    row("2cpu/wsaio/wait0-signalled", "**wsaio**", "WSAWaitForMultipleEvents(1, timeout 0), signalled", 1, fs)
    row("2cpu/linux/condsignal-nowaiter", "pthread", "pthread_cond_signal with no waiter", 1, fs)
    row("2cpu/wine/setreset-nowaiter", "Wine", "WSASetEvent + WSAResetEvent", 1, fs)
    row("2cpu/wine/set-signalled", "Wine", "WSASetEvent on an already signalled event", 1, fs)
    row("2cpu/wine/wait0-signalled", "Wine", "WSAWaitForMultipleEvents(1, timeout 0), signalled", 1, fs)
}
AWK
    echo
    echo "Notes"
    echo
    echo "- **vs bare futex** is the futex's median divided by the row's median: 1.00x is as" \
        "fast as the bare futex, 0.50x takes twice as long. The single-thread table compares" \
        "with one FUTEX_WAKE system call (what a syscall-free set avoids)."
    echo "- Threads are **not pinned**, in any system: wsaio has no SetThreadAffinityMask, so" \
        "the Winsock source cannot pin, and the peers are left unpinned so that all are" \
        "measured alike. The scheduler may place both threads on one CPU (a same-CPU switch," \
        "a few µs per round trip) or on two (a cross-CPU wake-up, far slower in this VM);" \
        "a run tends to stay where it started, so an unpinned round lands on either" \
        "(see the p50 range column) and the unpinned ratios partly measure where the" \
        "scheduler put the threads. The one-CPU table confines every process from the" \
        "outside (taskset, the same for all) so that every hand-off is a same-CPU switch:" \
        "that table compares the mechanisms themselves."
    echo "- Counts per case and round: native $ITERS round trips / $OPS single-thread calls;" \
        "Wine $WINE_ITERS / $WINE_OPS (each Wine event call is a wineserver request). Warm-up" \
        "of 10% more before timing."
    echo "- CPU is process CPU time (all threads) of the timed loop: clock() natively; under" \
        "Wine GetProcessTimes, since the Windows C library's clock() is wall time, plus the" \
        "wineserver's CPU time (from /proc, 1/$CLK_TCK s resolution, measured over the" \
        "whole process including start-up and warm-up, spread over its operations)."
    echo "- Times are per-round-trip QueryPerformanceCounter (wsaio: 1 ns units; Wine:" \
        "${qpc_wine} Hz) and CLOCK_MONOTONIC (peers). The bare futex wakes unconditionally;" \
        "wsaio skips the wake system call when no thread waits."
    echo "- Raw lines: \`$RAW\`. Whole run: $(($(date +%s) - T0)) s."
} >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
cat "$OUT"
log "written to $OUT"
