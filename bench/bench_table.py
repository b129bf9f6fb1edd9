#!/usr/bin/env python3
"""bench_table.py RAW OUT.md EVENTS.md HEADER - the report of run_all.sh.

Reads the RESULT lines of loadgen.c (tagged with round=) and the MEMORY lines of the wsaio
servers, and writes OUT.md (a summary of ratios to the raw liburing server, then one table
per scenario), OUT.dat and OUT.gp (gnuplot: bars of the ratio per scenario and system,
rendered to OUT.png by run_all.sh). EVENTS.md (run_events.sh's report), when present, is
quoted for the event-object wake-up. Every figure is the median over the rounds.
"""
import os
import statistics
import sys

raw, out, events_md, header = sys.argv[1:5]
base = os.path.splitext(out)[0]

SYSTEMS = ["uring", "epoll", "libuv", "wsaio-event", "wsaio-event-epoll", "wsaio-routine",
           "wsaio-routine-epoll", "wine-event", "wine-routine", "wsaio-iocp1", "wsaio-iocp2",
           "wsaio-iocp1-epoll", "wsaio-iocp2-epoll", "wine-iocp1", "wine-iocp2"]
LABEL = {
    "uring": "raw liburing", "epoll": "raw epoll", "libuv": "libuv",
    "wsaio-event": "**wsaio** events (io_uring)", "wsaio-event-epoll": "**wsaio** events (epoll)",
    "wsaio-routine": "**wsaio** routines (io_uring)",
    "wsaio-routine-epoll": "**wsaio** routines (epoll)",
    "wine-event": "Wine events", "wine-routine": "Wine routines",
    "wsaio-iocp1": "**wsaio** IOCP, 1 worker (io_uring)",
    "wsaio-iocp2": "**wsaio** IOCP, 2 workers (io_uring)",
    "wsaio-iocp1-epoll": "**wsaio** IOCP, 1 worker (epoll)",
    "wsaio-iocp2-epoll": "**wsaio** IOCP, 2 workers (epoll)",
    "wine-iocp1": "Wine IOCP, 1 worker", "wine-iocp2": "Wine IOCP, 2 workers",
}
# scenario: (title, throughput key, unit label, scale, latency shown)
SCEN = {
    "pingpong": ("Ping-pong: 1 connection, 64 bytes, one in flight (server CPU 1, client CPU 0)",
                 "req_s", "round trips/s", 1, True),
    "pingpong-1cpu": ("Ping-pong on one CPU: server and client both on CPU 0", "req_s",
                      "round trips/s", 1, True),
    "echo1": ("Echo: 1 connection, 64 bytes, 4 in flight", "req_s", "echoes/s", 1, True),
    "echo50": ("Echo: 50 connections, 64 bytes, 4 in flight each", "req_s", "echoes/s", 1, True),
    "echo300": ("Echo: 300 connections, 64 bytes, 4 in flight each", "req_s", "echoes/s", 1, True),
    "bulk": ("Bulk stream: 1 connection, 64 KiB writes, echoed back", "MB_s", "GB/s", 1e-3,
             False),
    "udp": ("UDP: 64-byte datagrams, 2 sockets, 8 in flight each", "req_s", "datagrams/s", 1,
            True),
}

rows, wsaio_mem = {}, {}
for line in open(raw):
    parts = line.split()
    if not parts:
        continue
    if parts[0] == "MEMORY":
        wsaio_mem = dict(p.split("=", 1) for p in parts[1:])
    if parts[0] != "RESULT":
        continue
    kv = dict(p.split("=", 1) for p in parts[1:])
    rows.setdefault((kv["system"], kv["case"]), []).append(kv)

systems = [s for s in SYSTEMS if any(k[0] == s for k in rows)]


def med(sys_, case, key):
    rs = rows.get((sys_, case))
    return statistics.median(float(r[key]) for r in rs) if rs else None


def rng(sys_, case, key, scale):
    v = sorted(float(r[key]) * scale for r in rows[(sys_, case)])
    return f"{fmt(v[0])}–{fmt(v[-1])}"


def fmt(x):
    if x is None:
        return "n/a"
    if x >= 100:
        return f"{x:,.0f}".replace(",", " ")
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"


def ratio(sys_, case):
    key = SCEN[case][1]
    ref, v = med("uring", case, key), med(sys_, case, key)
    return v / ref if ref and v is not None else None


others = sorted(float(r["other_pct"]) for rs in rows.values() for r in rs if "other_pct" in r)
busy = (f" Other programs on the machine took a median of {statistics.median(others):.0f}% of a "
        f"core during a measurement (most: {others[-1]:.0f}%; loadgen's other_pct; a "
        f"measurement above 30% was repeated, up to 3 times)." if others else "")
L = ["# Echo servers: wsaio against raw liburing, raw epoll, libuv and Wine", "", header + busy, "",
     "Ratio = throughput of the system / throughput of the raw liburing server in the same run "
     "(1.00x: as fast; below 0.90x: under the DESIGN.md target). CPU = the server process's "
     "CPU time over the measured seconds (utime + stime from /proc; Wine: plus the "
     "wineserver), as % of one core and per request. The load generator (bench/loadgen.c, "
     "one thread, epoll) is the same for every system.", "",
     "## Summary: ratio to raw liburing (throughput)", "",
     "| scenario | " + " | ".join(LABEL[s] for s in systems) + " |",
     "|---|" + "---:|" * len(systems)]
for case in SCEN:
    cells = []
    for s in systems:
        r = ratio(s, case)
        cells.append("n/a" if r is None else (f"**{r:.2f}x**" if s.startswith("wsaio") and round(r, 2) < 0.9
                                              else f"{r:.2f}x"))
    L.append(f"| {case} | " + " | ".join(cells) + " |")
L.append("")
L.append("Bold wsaio figures are below the 0.90x target.")
L.append("")

for case, (title, key, unit, scale, lat) in SCEN.items():
    L += [f"## {title}", "",
          f"| system | {unit} | range over rounds | vs raw liburing | "
          + ("p50 µs | p99 µs | p99.9 µs | " if lat else "")
          + "server CPU % | server CPU µs/req |",
          "|---|---:|---:|---:|" + ("---:|---:|---:|" if lat else "") + "---:|---:|"]
    for s in systems:
        if (s, case) not in rows:
            L.append(f"| {LABEL[s]} | not measured |")
            continue
        r = ratio(s, case)
        cells = [LABEL[s], fmt(med(s, case, key) * scale), rng(s, case, key, scale),
                 "n/a" if r is None else f"{r:.2f}x"]
        if lat:
            cells += [fmt(med(s, case, k)) for k in ("p50_us", "p99_us", "p999_us")]
        cells += [f"{med(s, case, 'srv_cpu_pct'):.0f}%", fmt(med(s, case, "srv_cpu_us_req"))]
        L.append("| " + " | ".join(cells) + " |")
    if case == "bulk":
        L += ["", "The client sends a fixed volume (1 GiB native, 256 MiB under Wine) in 64 KiB "
              "writes from one thread and reads the echo in another; GB/s is echoed bytes over "
              "the time until the last byte is back. The server echoes rather than discards, "
              "so that it does the same read-then-write work as in every other scenario. "
              "\"µs/req\" is per 64 KiB chunk."]
    if case == "udp":
        L += ["", "Completion-based servers (liburing, wsaio, Wine) keep 16 receives posted on "
              "the socket; epoll and libuv read until EAGAIN. A socket that hears nothing for "
              "50 ms counts its in-flight datagrams lost (the `lost` field of the raw lines)."]
    L.append("")

L += ["## Memory", "",
      "Server resident memory (VmRSS) with 300 idle connections minus with none, per "
      "connection, measured first on a fresh server; each connection has made one round "
      "trip, so each has a receive pending. It includes the server program's own record and "
      "the one touched page of its 64 KiB buffer, alike in every server.", "",
      "| system | bytes per connection | range over rounds |", "|---|---:|---:|"]
for s in systems:
    if (s, "memory") in rows:
        L.append(f"| {LABEL[s]} | {fmt(med(s, 'memory', 'bytes_per_conn'))} | "
                 f"{rng(s, 'memory', 'bytes_per_conn', 1)} |")
if wsaio_mem:
    L += ["", f"`wsaio_memory_info()`: a pending overlapped operation costs "
          f"{wsaio_mem.get('per_pending_op')} bytes (a pooled record, reused: no allocation "
          f"per operation once warm), a socket {wsaio_mem.get('per_socket')} bytes."]
L.append("")

if os.path.exists(events_md):
    ev = open(events_md).read().splitlines()
    L += ["## Event-object wake-up (bench/run_events.sh)", ""]
    for ln in ev[1:]:
        if ln.startswith("## One thread"):
            break
        L.append(ln.replace("## ", "### "))
    L.append("")

open(out, "w").write("\n".join(L) + "\n")

# gnuplot: one cluster per scenario, one bar per system.
with open(base + ".dat", "w") as f:
    f.write("scenario " + " ".join(systems) + "\n")
    for case in SCEN:
        f.write(case + " " + " ".join(
            "NaN" if ratio(s, case) is None else f"{ratio(s, case):.3f}" for s in systems) + "\n")
with open(base + ".gp", "w") as f:
    f.write(f"""set terminal pngcairo size 1100,480 font ",10"
set output "{base}.png"
set title "Echo servers on loopback: throughput / raw liburing (median of rounds)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 noborder
set boxwidth 0.9
set yrange [0:*]
set grid ytics
set ylabel "ratio to raw liburing"
set key outside right top vertical
set xtics nomirror
# One color per system, in SYSTEMS order: peers in greys and greens, wsaio in blues and
# oranges, Wine in reds.
set linetype 1 lc rgb "#333333"
set linetype 2 lc rgb "#999999"
set linetype 3 lc rgb "#66aa66"
set linetype 4 lc rgb "#1f5fbf"
set linetype 5 lc rgb "#7fb2ff"
set linetype 6 lc rgb "#e07b00"
set linetype 7 lc rgb "#ffc266"
set linetype 8 lc rgb "#b22222"
set linetype 9 lc rgb "#f08080"
# The completion-port example: purples (wsaio), browns (Wine).
set linetype 10 lc rgb "#5b2c8f"
set linetype 11 lc rgb "#9467bd"
set linetype 12 lc rgb "#b39ddb"
set linetype 13 lc rgb "#d1c4e9"
set linetype 14 lc rgb "#8c564b"
set linetype 15 lc rgb "#c49c94"
set arrow from graph 0, first 0.9 to graph 1, first 0.9 nohead dt 2 lc rgb "red"
set arrow from graph 0, first 1 to graph 1, first 1 nohead lc rgb "black"
plot for [i=2:{len(systems) + 1}] "{base}.dat" using i:xtic(1) title columnheader(i) \
    lt word("{" ".join(str(SYSTEMS.index(s) + 1) for s in systems)}", i - 1) + 0
""")
