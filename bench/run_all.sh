#!/usr/bin/env bash
# run_all.sh - every echo-server scenario on every system in one run, as ratios to a
# hand-written liburing server; writes results/bench.md and results/bench.png.
#
#   bench/run_all.sh [BUILD_DIR]          (default BUILD_DIR: <repo>/build-bench)
#   cmake --build BUILD_DIR --target bench    (the same, with the binaries CMake built)
#
# Systems (one server process each, alternated, the order rotated every round):
#   uring            srv_uring.c, hand-written liburing (the reference: ratio 1.00x)
#   epoll            srv_epoll.c, hand-written epoll
#   libuv            srv_libuv.c, Debian's libuv
#   wsaio-event      srv_wsaio_event.c on wsaio, io_uring backend   (-epoll: WSAIO_BACKEND=epoll)
#   wsaio-routine    srv_wsaio_routine.c on wsaio, io_uring backend (-epoll: WSAIO_BACKEND=epoll)
#   wine-event, wine-routine   the same two Winsock sources built with mingw-w64, under Wine
#   wsaio-iocp1, wsaio-iocp2   examples/iocp_server.c (completion port, AcceptEx pool) on
#              wsaio, io_uring backend, with 1 and 2 worker threads (both on the server's
#              CPU); wsaio-iocp1-epoll, wsaio-iocp2-epoll: WSAIO_BACKEND=epoll;
#              wine-iocp1, wine-iocp2: the same source under Wine. No UDP socket: no udp row.
# Scenarios, run by loadgen.c against each server in this order (memory first, on the
# fresh process):
#   memory     server RSS with 300 idle connections (each made one round trip, so each has
#              a receive pending) minus with 0, per connection
#   pingpong   1 connection, 64-byte messages, one in flight: round trips/s, p50/p99
#   pingpong-1cpu  the same with server and client on one CPU (every hand-off a same-CPU
#              switch: the software path without the VM's cross-CPU wake-up)
#   echo1, echo50, echo300   1/50/300 connections, 64-byte messages, DEPTH (4) in flight each
#   bulk       one connection, VOLUME bytes sent in 64 KiB writes and echoed back: GB/s
#   udp        UDP_SOCKS connected UDP sockets, 64-byte datagrams, 8 in flight each
# Placement: the server on CPU 1, loadgen on CPU 0 (taskset; pingpong-1cpu: both on 0), the
# same for every system. Each measurement: WARM s unmeasured, then SECS s measured.
# The server's CPU time comes from /proc (Wine: the program plus the wineserver).
#
# Environment: ROUNDS (3), SECS (1.5), WARM (0.3), DEPTH (4), VOLUME (1 GiB; Wine:
# WINE_VOLUME, 256 MiB), OTHER_MAX (30: % of a core other programs may take during a
# measurement before it is repeated), SYSTEMS (space-separated subset), NO_WINE=1, NO_EVENTS=1 (do not
# run run_events.sh; its last results/event_wake.md is quoted if there), OUT (results/bench.md),
# WSAIO_BENCH_PREBUILT=1 (use BUILD_DIR's binaries as they are; set by the CMake target).
#
# Scale curve (after the scenarios above; NO_SCALE=1 skips it): echo with 64-byte messages,
# SCALE_DEPTH (1) in flight per connection (at 10,000 connections DEPTH=4 would keep 40,000
# echoes queued, ~0.6 s each on 2 CPUs: a second would hold two round trips per message), at
# SCALE_CONNS (10 100 1000 10000) connections, each point on a fresh server: echoes/s,
# p50/p99/p99.9 and the server's RSS per connection (after every connection made one round
# trip, before the load). SCALE_WARM (0.5) s unmeasured, then SCALE_SECS (1.0), SCALE_ROUNDS
# (1): ~3 s a point, 7 native systems x 4 points ~1.5 min on 2 CPUs, so that the whole run
# with NO_WINE=1 stays under ~8 min. Wine reaches 10,000 connections too (~10 s a point:
# every Winsock call there is a wineserver round trip); WINE_SCALE_MAX (10000) caps its
# points should a slower machine need it, the table saying so. Writes results/scale.png.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(mkdir -p "${1:-$ROOT/build-bench}" && cd "${1:-$ROOT/build-bench}" && pwd)
ROUNDS=${ROUNDS:-3}
SECS=${SECS:-1.5}
WARM=${WARM:-0.3}
DEPTH=${DEPTH:-4}
VOLUME=${VOLUME:-1073741824}
WINE_VOLUME=${WINE_VOLUME:-268435456}
UDP_SOCKS=${UDP_SOCKS:-2}
OTHER_MAX=${OTHER_MAX:-30}
OUT=${OUT:-$ROOT/results/bench.md}
BDIR=$BUILD/bench
RAW=$BDIR/bench.raw
T0=$(date +%s)

log() { printf '== %s\n' "$*" >&2; }

# ---- Build -------------------------------------------------------------------------------
if [ "${WSAIO_BENCH_PREBUILT:-0}" != 1 ]; then
    log "building in $BUILD (Release)"
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DWSAIO_BUILD_TESTS=OFF \
        -DWSAIO_BUILD_EXAMPLES=OFF >"$BUILD/cmake.log" 2>&1
    cmake --build "$BUILD" -j"$(nproc)" --target loadgen srv_epoll srv_uring srv_libuv \
        srv_wsaio_event srv_wsaio_routine srv_iocp event_wake peer_wake >>"$BUILD/cmake.log" 2>&1 ||
        { log "build failed, see $BUILD/cmake.log"; exit 1; }
fi
mkdir -p "$BDIR" "$(dirname "$OUT")"

SYSTEMS=${SYSTEMS:-"uring epoll libuv wsaio-event wsaio-event-epoll wsaio-routine wsaio-routine-epoll wine-event wine-routine wsaio-iocp1 wsaio-iocp2 wsaio-iocp1-epoll wsaio-iocp2-epoll wine-iocp1 wine-iocp2"}
for bin in loadgen srv_uring srv_epoll srv_libuv srv_wsaio_event srv_wsaio_routine srv_iocp; do
    [ -x "$BDIR/$bin" ] || { log "$BDIR/$bin missing (liburing-dev, libuv1-dev installed?)"; exit 1; }
done

# Descriptors: the scale curve needs 10,000 connections in loadgen and as many sockets in
# each server (Wine: in the wineserver too). Every process started from here inherits the
# soft RLIMIT_NOFILE raised to the hard limit (loadgen raises its own as well).
ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || true

. "$ROOT/bench/bench_wine.sh"
wine_setup srv_wsaio_event srv_wsaio_routine iocp_server
[ "$WINE_OK" = 1 ] || SYSTEMS=$(echo "$SYSTEMS" | tr ' ' '\n' | grep -v '^wine' | tr '\n' ' ')

SRV_PID=
cleanup() {
    if [ -n "$SRV_PID" ]; then kill "$SRV_PID" 2>/dev/null || true; fi
    if [ -n "$WS_PID" ]; then kill "$WS_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

# Server ports below the ephemeral range, so that no client socket of an earlier
# measurement (loadgen's, in TIME_WAIT) holds the next server's port.
EPH_LOW=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
PORT=$((10000 + RANDOM % (EPH_LOW - 12000)))
: >"$RAW"

# start_server SYSTEM: starts it on CPU 1 at a fresh port; sets SRV_PID, CPU_PIDS, PORT.
start_server() {
    local sys=$1 env=() cmd
    PORT=$((PORT + 1))
    case $sys in
    # ---- the completion-port example: SYSTEM ends in its worker count (-epoll after it)
    wsaio-iocp[0-9]) cmd=("$BDIR/srv_iocp" -s 0 -t "${sys#wsaio-iocp}") env=(WSAIO_BACKEND=uring) ;;
    wsaio-iocp[0-9]-epoll) cmd=("$BDIR/srv_iocp" -s 0 -t "$(echo "$sys" | tr -dc 0-9)") env=(WSAIO_BACKEND=epoll) ;;
    wine-iocp[0-9]) cmd=(wine "$BDIR/iocp_server.exe" -s 0 -t "${sys#wine-iocp}") ;;
    # ----
    uring | epoll | libuv) cmd=("$BDIR/srv_$sys") ;;
    wsaio-event | wsaio-routine) cmd=("$BDIR/srv_${sys/-/_}") env=(WSAIO_BACKEND=uring) ;;
    wsaio-*-epoll) cmd=("$BDIR/srv_$(echo "${sys%-epoll}" | tr - _)") env=(WSAIO_BACKEND=epoll) ;;
    wine-*) cmd=(wine "$BDIR/srv_wsaio_${sys#wine-}.exe") ;;
    esac
    env "${env[@]}" taskset -c 1 "${cmd[@]}" "$PORT" >"$BDIR/server.out" 2>"$BDIR/server.err" &
    SRV_PID=$!
    CPU_PIDS=$SRV_PID
    if [ "${sys%%-*}" = wine ]; then
        taskset -pc 1 "$WS_PID" >/dev/null
        CPU_PIDS="$SRV_PID,$WS_PID"
    fi
    for _ in $(seq 100); do
        (: >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
        kill -0 "$SRV_PID" 2>/dev/null || break
        sleep 0.05
    done
    log "$sys did not start:"; cat "$BDIR/server.err" >&2
    return 1
}

stop_server() {
    kill "$SRV_PID" 2>/dev/null || true
    wait "$SRV_PID" 2>/dev/null || true
    SRV_PID=
    [ -z "$WS_PID" ] || taskset -pc 0-$(($(nproc) - 1)) "$WS_PID" >/dev/null
}

# one SYSTEM ROUND CASE loadgen-args...: one measurement, its RESULT line tagged. When other
# programs took more than OTHER_MAX % of a core meanwhile (loadgen's other_pct: the machine
# is shared), it waits a second and measures again, up to 3 times, keeping the last.
one() {
    local sys=$1 round=$2 name=$3 try line other
    shift 3
    for try in 1 2 3; do
        line=$(taskset -c 0 "$BDIR/loadgen" --port "$PORT" --pid "$CPU_PIDS" --system "$sys" \
            --case "$name" --secs "$SECS" --warm "$WARM" "$@") || { log "$sys $name failed"; return 0; }
        other=$(echo "$line" | sed -n 's/.*other_pct=\([-0-9]*\).*/\1/p')
        [ -z "$other" ] || [ "$other" -le "$OTHER_MAX" ] || [ "$try" = 3 ] && break
        log "$sys $name: other programs took ${other}% of a core meanwhile; again"
        sleep 1
    done
    echo "$line" | sed "s/^RESULT /RESULT round=$round try=$try /" >>"$RAW"
    echo "$line" | cut -c1-150 >&2
}

for r in $(seq 1 "$ROUNDS"); do
    read -r -a sys_list <<<"$SYSTEMS"
    n=${#sys_list[@]}
    order=()
    for i in $(seq 0 $((n - 1))); do order+=("${sys_list[$(((i + r - 1) % n))]}"); done
    log "round $r/$ROUNDS: ${order[*]}"
    for sys in "${order[@]}"; do
        start_server "$sys" || continue
        vol=$VOLUME
        [ "${sys%%-*}" = wine ] && vol=$WINE_VOLUME
        one "$sys" "$r" memory --mode idle --conns 300
        one "$sys" "$r" pingpong --mode echo --conns 1 --depth 1 --size 64
        # The whole server (all its threads) and the client on CPU 0 for this one.
        taskset -apc 0 "$SRV_PID" >/dev/null
        [ "${sys%%-*}" = wine ] && taskset -pc 0 "$WS_PID" >/dev/null
        one "$sys" "$r" pingpong-1cpu --mode echo --conns 1 --depth 1 --size 64
        taskset -apc 1 "$SRV_PID" >/dev/null
        [ "${sys%%-*}" = wine ] && taskset -pc 1 "$WS_PID" >/dev/null
        for c in 1 50 300; do
            one "$sys" "$r" "echo$c" --mode echo --conns "$c" --depth "$DEPTH" --size 64
        done
        one "$sys" "$r" bulk --mode bulk --volume "$vol"
        case $sys in *-iocp*) ;; *) one "$sys" "$r" udp --mode udp --conns "$UDP_SOCKS" --depth 8 --size 64 ;; esac
        grep '^MEMORY' "$BDIR/server.out" | head -n1 >>"$RAW" || true
        stop_server
    done
done

# ---- Scale curve: 10 to 10,000 connections ---------------------------------------------------
SCALE_CONNS=${SCALE_CONNS:-"10 100 1000 10000"}
SCALE_SECS=${SCALE_SECS:-1.0}
SCALE_WARM=${SCALE_WARM:-0.5}
SCALE_DEPTH=${SCALE_DEPTH:-1}
SCALE_ROUNDS=${SCALE_ROUNDS:-1}
WINE_SCALE_MAX=${WINE_SCALE_MAX:-10000}

# scale_skip SYSTEM CONNS REASON: the point is not measured; the table says why (the
# reason is the rest of the line).
scale_skip() {
    echo "SKIP system=$1 case=scale$2 conns=$2 reason=$3" >>"$RAW"
    log "$1 scale$2 not measured: $3"
}

# scale_point SYSTEM CONNS ROUND: one point of the curve on a fresh server. A measurement
# that other programs disturbed (as in one()) is made again on a fresh server too: a server
# that has had the connections once keeps their memory, and would show none per connection.
scale_point() {
    local sys=$1 c=$2 r=$3 try before why other
    if [ "${sys%%-*}" = wine ] && [ "$c" -gt "$WINE_SCALE_MAX" ]; then
        scale_skip "$sys" "$c" "Wine capped at WINE_SCALE_MAX=$WINE_SCALE_MAX connections (see run_all.sh)"
        return 0
    fi
    if [ "$(ulimit -Hn)" != unlimited ] && [ $((c + 64)) -gt "$(ulimit -Hn)" ]; then
        scale_skip "$sys" "$c" "RLIMIT_NOFILE hard limit $(ulimit -Hn) is below $((c + 64)) descriptors"
        return 0
    fi
    for try in 1 2 3; do
        start_server "$sys" || { scale_skip "$sys" "$c" "server did not start"; return 0; }
        before=$(wc -l <"$RAW")
        OTHER_MAX=100000 one "$sys" "$r" "scale$c" --mode echo --conns "$c" \
            --depth "$SCALE_DEPTH" --size 64 --secs "$SCALE_SECS" --warm "$SCALE_WARM" --rss 1 \
            2>"$BDIR/scale.err"
        cat "$BDIR/scale.err" >&2
        if [ "$(wc -l <"$RAW")" = "$before" ]; then
            why=$(grep -h '^\(loadgen\|server\):' "$BDIR/scale.err" "$BDIR/server.err" | tail -n1 || true)
            kill -0 "$SRV_PID" 2>/dev/null || why="server exited: $(tail -n1 "$BDIR/server.err") $why"
            stop_server
            scale_skip "$sys" "$c" "failed: ${why:-see the log}"
            return 0
        fi
        stop_server
        other=$(tail -n1 "$RAW" | sed -n 's/.*other_pct=\([-0-9]*\).*/\1/p')
        [ -z "$other" ] || [ "$other" -le "$OTHER_MAX" ] || [ "$try" = 3 ] && break
        log "$sys scale$c: other programs took ${other}% of a core meanwhile; again, fresh server"
        sed -i '$d' "$RAW"
        sleep 1
    done
    sed -i "\$s/ try=1 / try=$try /" "$RAW"
}

if [ "${NO_SCALE:-0}" != 1 ]; then
    for r in $(seq 1 "$SCALE_ROUNDS"); do
        for c in $SCALE_CONNS; do
            log "scale round $r/$SCALE_ROUNDS: $c connections"
            for sys in $SYSTEMS; do scale_point "$sys" "$c" "$r"; done
        done
    done
fi

# ---- Event-object wake-up: run_events.sh, quoted -------------------------------------------
EVENTS_MD=$ROOT/results/event_wake.md
if [ "${NO_EVENTS:-0}" != 1 ]; then
    log "event wake-up: bench/run_events.sh (ROUNDS=3)"
    [ -n "$WS_PID" ] && { kill "$WS_PID" 2>/dev/null || true; wait "$WS_PID" 2>/dev/null || true; WS_PID=; }
    ROUNDS=3 NO_WINE=${NO_WINE:-0} WSAIO_BENCH_PREBUILT=1 "$ROOT/bench/run_events.sh" "$BUILD" \
        >/dev/null 2>"$BDIR/events.log" || log "run_events.sh failed (see $BDIR/events.log)"
fi

# ---- Report ------------------------------------------------------------------------------
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
[ -n "$(git -C "$ROOT" status --porcelain -- src include 2>/dev/null)" ] && rev="$rev + uncommitted src/include"
HEADER="Measured $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/run_all.sh\` on $(nproc) CPUs ($cpu_model), \
Linux $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME"); liburing $(pkg-config --modversion liburing), \
libuv $(pkg-config --modversion libuv), $([ "$WINE_OK" = 1 ] && wine --version || echo 'Wine not measured'); wsaio at $rev. \
$ROUNDS rounds, systems alternated (order rotated every round), ${WARM} s warm-up + ${SECS} s per measurement; \
each figure is the median over the rounds. Whole run: $(($(date +%s) - T0)) s."
python3 "$ROOT/bench/bench_table.py" "$RAW" "$OUT" "$EVENTS_MD" "$HEADER"
# The scale curve's section, appended (and its plot, scale.gp beside OUT).
[ "${NO_SCALE:-0}" = 1 ] || python3 "$ROOT/bench/bench_scale.py" "$RAW" "$OUT" \
    "$SCALE_DEPTH in flight per connection; $SCALE_ROUNDS round(s), ${SCALE_WARM} s warm-up + ${SCALE_SECS} s per point"
# Where the time goes (a hand-written analysis of the profiles, bench/bench_profile.md).
[ -f "$ROOT/bench/bench_profile.md" ] && { echo; cat "$ROOT/bench/bench_profile.md"; } >>"$OUT"
if command -v gnuplot >/dev/null; then
    gnuplot "${OUT%.md}.gp" && log "plot: ${OUT%.md}.png"
    [ "${NO_SCALE:-0}" = 1 ] || { gnuplot "$(dirname "$OUT")/scale.gp" &&
        log "plot: $(dirname "$OUT")/scale.png"; }
else
    log "gnuplot missing (Debian: apt-get install gnuplot-nox): no plot"
fi
cat "$OUT"
log "written to $OUT (raw lines: $RAW)"
