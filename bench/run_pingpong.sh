#!/usr/bin/env bash
# run_pingpong.sh - one-connection TCP ping-pong (64 bytes, loopback): a plain blocking
# client against overlapped clients (event objects, completion routines), same server,
# same process, alternated in one run; on wsaio (io_uring, and again with WSAIO_BACKEND=epoll:
# system wsaio-epoll) and, the same source built with mingw-w64, on Wine.
#
#   bench/run_pingpong.sh [BUILD_DIR]      (default BUILD_DIR: <repo>/build-bench)
#
# Writes results/pingpong.md: for each system and client, the median over rounds of the
# per-round median round-trip time, round trips per second, CPU per round trip, and the
# ratio to the blocking client of the same system (blocking time / this time: 1.00x is as
# fast as blocking), then a table of epoll/uring ratios per client. Runs twice: with the
# whole process on one CPU (taskset: the scheduler cannot move the two threads between
# CPUs, which otherwise makes runs jump between two speeds) and unpinned.
#
# Environment: ROUNDS (5), ITERS (round trips per case, 20000), WINE_ITERS (3000),
# NO_WINE=1, OUT (markdown file).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(mkdir -p "${1:-$ROOT/build-bench}" && cd "${1:-$ROOT/build-bench}" && pwd)
ROUNDS=${ROUNDS:-5}
ITERS=${ITERS:-20000}
WINE_ITERS=${WINE_ITERS:-3000}
OUT=${OUT:-$ROOT/results/pingpong.md}
RAW=$BUILD/bench/pingpong.raw

log() { printf '== %s\n' "$*" >&2; }

log "building pingpong in $BUILD"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DWSAIO_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" --target pingpong -j"$(nproc)" >/dev/null
BIN=$(find "$BUILD" -name pingpong -type f -perm -u+x | head -n1)
mkdir -p "$BUILD/bench" "$(dirname "$OUT")"
: >"$RAW"

if [ -z "${NO_WINE:-}" ] && command -v x86_64-w64-mingw32-gcc >/dev/null && command -v wine >/dev/null; then
    export WINEPREFIX=$BUILD/wineprefix WINEDEBUG=-all DISPLAY=
    x86_64-w64-mingw32-gcc -O2 -I"$ROOT/bench" "$ROOT/bench/pingpong.c" -o "$BUILD/bench/pingpong.exe" \
        -lws2_32 -static -static-libgcc
    [ -d "$WINEPREFIX" ] || wineboot -i >/dev/null 2>&1 || true
    wineserver -p 2>/dev/null || true
    WINE=1
else
    WINE=
fi

for pin in one-cpu unpinned; do
    run() { if [ $pin = one-cpu ]; then taskset -c 0 "$@"; else "$@"; fi; }
    log "$pin: $ROUNDS rounds of $ITERS round trips per client"
    run "$BIN" --iters "$ITERS" --ops $((ROUNDS * 1000)) --system "wsaio/$pin" | tee -a "$RAW" >/dev/null
    WSAIO_BACKEND=epoll run "$BIN" --iters "$ITERS" --ops $((ROUNDS * 1000)) \
        --system "wsaio-epoll/$pin" | tee -a "$RAW" >/dev/null
    if [ -n "$WINE" ]; then
        run wine "$BUILD/bench/pingpong.exe" --iters "$WINE_ITERS" --ops $((ROUNDS * 1000)) \
            --system "Wine/$pin" | tr -d '\r' | tee -a "$RAW" >/dev/null
    fi
done
[ -n "$WINE" ] && wineserver -k 2>/dev/null || true

python3 - "$RAW" "$OUT" <<'PY'
import re, statistics, sys, platform
raw, out = sys.argv[1], sys.argv[2]
rows, mem = {}, ""
for line in open(raw):
    if line.startswith("MEMORY") and not mem:
        mem = line.split(" ", 2)[2].strip()
    if not line.startswith("RESULT"):
        continue
    kv = dict(p.split("=", 1) for p in line.split()[1:])
    rows.setdefault((kv["system"], kv["case"]), []).append(kv)
med = lambda key, rs: statistics.median(float(r[key]) for r in rs)
lines = ["# One-connection TCP ping-pong, 64 bytes, loopback", "",
         f"Machine: {platform.machine()}, Linux {platform.release()}. Medians over rounds; "
         "ratio = blocking round trip / this round trip (same system, same run).", "",
         "| system | client | round trip µs (p50) | p99 µs | round trips/s | CPU µs/rt | vs blocking |",
         "|---|---|---:|---:|---:|---:|---:|"]
for system in sorted({s for s, _ in rows}):
    base = med("median_ns", rows.get((system, "pingpong-blocking"), [{"median_ns": "nan"}]))
    for case in ("pingpong-blocking", "pingpong-overlapped-event", "pingpong-overlapped-routine"):
        rs = rows.get((system, case))
        if not rs:
            continue
        p50 = med("median_ns", rs)
        lines.append(f"| {system} | {case[9:]} | {p50/1000:.2f} | {med('p99_ns', rs)/1000:.1f} | "
                     f"{med('ops_s', rs):.0f} | {med('cpu_ns_op', rs)/1000:.2f} | {base/p50:.2f}x |")
# The same client on the two backends: epoll round trip / io_uring round trip (1.00x: as
# fast; above 1: epoll slower).
pairs = [(s, "wsaio-epoll/" + s.split("/", 1)[1]) for s, _ in rows
         if s.startswith("wsaio/") and ("wsaio-epoll/" + s.split("/", 1)[1], _) in rows]
if pairs:
    lines += ["", "| CPUs | client | io_uring µs (p50) | epoll µs (p50) | epoll/uring | CPU µs/rt uring / epoll |",
              "|---|---|---:|---:|---:|---:|"]
    for uring, epoll in sorted(set(pairs)):
        for case in ("pingpong-blocking", "pingpong-overlapped-event", "pingpong-overlapped-routine"):
            u, e = rows.get((uring, case)), rows.get((epoll, case))
            if not u or not e:
                continue
            lines.append(f"| {uring.split('/', 1)[1]} | {case[9:]} | {med('median_ns', u)/1000:.2f} | "
                         f"{med('median_ns', e)/1000:.2f} | {med('median_ns', e)/med('median_ns', u):.2f}x | "
                         f"{med('cpu_ns_op', u)/1000:.2f} / {med('cpu_ns_op', e)/1000:.2f} |")
if mem:
    lines += ["", f"wsaio memory: {mem.replace('per_pending_op=', 'per pending operation ').replace(' per_socket=', ' bytes, per socket ')} bytes."]
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
