#!/usr/bin/env python3
"""bench_scale.py RAW OUT.md NOTE - the scale curve's section of run_all.sh's report.

Reads the RESULT lines of the scale points (case=scaleN: echo at N connections, with the
server's RSS before and after connecting) and the SKIP lines (a point not measured, and
why) from RAW; appends to OUT.md a section of four tables (throughput, p99 and p99.9,
p99.9 against raw liburing's, server memory per connection) and writes scale.dat and
scale.gp beside it (gnuplot: three panels against the number of connections, rendered to
scale.png by run_all.sh). NOTE says how the points were measured. Figures are medians over
the rounds.
"""
import ast
import os
import statistics
import sys

raw, out, note = sys.argv[1:4]
here = os.path.dirname(os.path.abspath(__file__))
outdir = os.path.dirname(os.path.abspath(out))


def table_constants():
    """SYSTEMS and LABEL as bench_table.py defines them (its source is the one list)."""
    tree = ast.parse(open(os.path.join(here, "bench_table.py")).read())
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) \
                and node.targets[0].id in ("SYSTEMS", "LABEL"):
            found[node.targets[0].id] = ast.literal_eval(node.value)
    return found.get("SYSTEMS", []), found.get("LABEL", {})


SYSTEMS, LABEL = table_constants()
rows, skips, seen = {}, {}, []
for line in open(raw):
    parts = line.split()
    if not parts or parts[0] not in ("RESULT", "SKIP"):
        continue
    kv = dict(p.split("=", 1) for p in parts[1:] if "=" in p)
    if not kv.get("case", "").startswith("scale"):
        continue
    key = (kv["system"], int(kv["conns"]))
    if kv["system"] not in seen:
        seen.append(kv["system"])
    if parts[0] == "SKIP":
        skips[key] = line.split(" reason=", 1)[1].strip()  # the rest of the line
    else:
        rows.setdefault(key, []).append(kv)

points = sorted({k[1] for k in rows} | {k[1] for k in skips})
systems = [s for s in SYSTEMS if s in seen] + [s for s in seen if s not in SYSTEMS]


def label(s):
    return LABEL.get(s, s)


def median(s, c, field):
    rs = rows.get((s, c))
    return statistics.median(float(r[field]) for r in rs) if rs else None


def num(x, unit=""):
    """Three significant figures at most, thousands apart by a space."""
    if x is None:
        return "n/a"
    digits = max(0, 2 - len(str(int(abs(x))))) if abs(x) >= 1 else 2
    return f"{x:,.{digits}f}".replace(",", " ") + unit


def cell(s, c, text):
    if (s, c) in rows:
        return text
    return "not measured" if (s, c) in skips else "–"


def vs_uring(s, c, field):
    ref, v = median("uring", c, field), median(s, c, field)
    return f" ({v / ref:.2f}x)" if ref and v is not None else ""


head = "| system | " + " | ".join(f"{c:,}".replace(",", " ") + " conns" for c in points) + " |"
rule = "|---|" + "---:|" * len(points)
L = ["", "## Scale: echo at " + ", ".join(f"{c:,}".replace(",", " ") for c in points)
     + " connections", "",
     f"64-byte messages, one fresh server per point ({note}). "
     "Every connection makes one round trip before the load, so the server has accepted all of "
     "them and has a receive pending on each; memory per connection is the server's RSS then "
     "minus its RSS before the first connection (Wine: the program's, not the wineserver's). "
     "In brackets: the figure over raw liburing's at the same point (the fairness target of "
     "issue 13: p99.9 within 1.5x of liburing's).", "",
     "### Throughput (echoes/s)", "", head, rule]
for s in systems:
    L.append(f"| {label(s)} | " + " | ".join(
        cell(s, c, num(median(s, c, "req_s")) + vs_uring(s, c, "req_s")) for c in points) + " |")
L += ["", "### Latency: p50 / p99 / p99.9 (µs)", "", head, rule]
for s in systems:
    L.append(f"| {label(s)} | " + " | ".join(
        cell(s, c, " / ".join(num(median(s, c, k)) for k in ("p50_us", "p99_us", "p999_us"))
             + vs_uring(s, c, "p999_us")) for c in points) + " |")
L += ["", "### Server memory per connection (bytes)", "", head, rule]
for s in systems:
    L.append(f"| {label(s)} | " + " | ".join(
        cell(s, c, num(median(s, c, "bytes_per_conn"))) for c in points) + " |")
L += ["", "### Server CPU per echo (µs)", "", head, rule]
for s in systems:
    L.append(f"| {label(s)} | " + " | ".join(
        cell(s, c, num(median(s, c, "srv_cpu_us_req"))) for c in points) + " |")
if skips:
    L += ["", "Not measured:", ""]
    for (s, c), why in sorted(skips.items(), key=lambda kv: (kv[0][1], systems.index(kv[0][0]))):
        L.append(f"- {label(s)} at " + f"{c:,}".replace(",", " ") + f" connections: {why}")
with open(out, "a") as f:
    f.write("\n".join(L) + "\n")

# gnuplot: throughput, p99.9 and memory against connections, one line per system.
FIELDS = ("req_s", "p999_us", "bytes_per_conn")
with open(os.path.join(outdir, "scale.dat"), "w") as f:
    f.write("conns " + " ".join(f"{s}:{k}" for s in systems for k in FIELDS) + "\n")
    for c in points:
        vals = (median(s, c, k) for s in systems for k in FIELDS)
        f.write(f"{c} " + " ".join("NaN" if v is None else f"{v:.3f}" for v in vals) + "\n")


def panel(title, ylabel, k, scale, logy, key):
    cmds = [f'set title "{title}"', f'set ylabel "{ylabel}"', f"set key {key}",
            "set logscale y; set yrange [*:*]" if logy else "unset logscale y; set yrange [0:*]"]
    curves = [f'"{outdir}/scale.dat" using 1:(${2 + i * len(FIELDS) + k}*{scale}) with '
              f'linespoints lw 2 pt {i + 1} title "{label(s).replace("**", "")}"'
              for i, s in enumerate(systems)]
    return "\n".join(cmds) + "\nplot " + ", \\\n     ".join(curves) + "\n"


with open(os.path.join(outdir, "scale.gp"), "w") as f:
    f.write(f"""set terminal pngcairo size 1500,480 font ",10" noenhanced
set output "{outdir}/scale.png"
set datafile missing "NaN"
set logscale x
set xrange [{points[0] / 2}:{points[-1] * 2}]
set xlabel "connections"
set xtics ({", ".join(f'"{c:,}" {c}'.replace(",", " ", 1) for c in points)})
set grid
set key font ",8"
set multiplot layout 1,3 title "Echo servers on loopback, 64 B: {note}"
""")
    f.write(panel("throughput", "echoes/s", 0, 1, False, "bottom left"))
    f.write(panel("p99.9 latency", "ms", 1, 0.001, True, "top left"))
    f.write(panel("server memory per connection", "KiB", 2, 1 / 1024, False, "bottom right"))
    f.write("unset multiplot\n")
