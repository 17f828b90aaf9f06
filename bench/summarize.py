#!/usr/bin/env python3
"""Turn bench/run.sh's timings into a Markdown table: the median of each
command's runs, its ratio to the floor read of the same file, and how many
times faster hisp is than the pandas script, DuckDB, polars and frictionless."""
import statistics
import sys
from collections import OrderedDict

path, cores, system = sys.argv[1], sys.argv[2], sys.argv[3]
runs = OrderedDict()
for line in open(path):
    label, size, wall, cpu, rss = line.rstrip("\n").split("\t")
    runs.setdefault((int(size), label), []).append((float(wall), float(cpu), int(rss)))

med = {k: tuple(statistics.median(x[i] for x in v) for i in range(3)) for k, v in runs.items()}


def floor_of(label):
    if "xlsx" in label:
        return "floor: calamine read (xlsx)"
    return "floor: csv read (v2)" if "(v2" in label else "floor: csv read (v1)"


def hisp_of(label):
    if "xlsx" in label:
        return "hisp report (xlsx)"
    return "hisp aggregate (v2)" if "(v2" in label else "hisp report (v1)"


print(f"Machine: {cores} cores, {system}. Medians of {max(len(v) for v in runs.values())} alternating runs.\n")
print("| rows | command | wall | user+sys | peak RSS | × floor | hisp faster by |")
print("|---:|---|---:|---:|---:|---:|---:|")
for (size, label), (wall, cpu, rss) in med.items():
    floor = med.get((size, floor_of(label)))
    ratio = f"{wall / floor[0]:.2f}" if floor and floor[0] > 0 and not label.startswith("floor") else ""
    faster = ""
    if label.startswith(("pandas", "frictionless", "duckdb", "polars")):
        h = med.get((size, hisp_of(label)))
        if h and h[0] > 0:
            faster = f"{wall / h[0]:.1f}×"
    print(f"| {size:,} | {label} | {wall:.2f} s | {cpu:.2f} s | {rss / 1024:.0f} MB | {ratio} | {faster} |")

trend_ratios = []
for (size, label), (wall, cpu, rss) in med.items():
    if label.startswith("hisp trend (v1 all-time"):
        report = med.get((size, "hisp report (v1 all-time, FY2025 Q4)"))
        if report and report[0] > 0:
            trend_ratios.append(f"{size:,} rows {wall / report[0]:.2f}× (user+sys {cpu / report[1]:.2f}×)")
if trend_ratios:
    print("\nTrend of all eight quarters ÷ report of the last, same all-time export: " + "; ".join(trend_ratios) + ".")
