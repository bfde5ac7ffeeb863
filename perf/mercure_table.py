"""Markdown tables of mercure.sh results (one JSON object a line, from one file or several): per case and scenario the median
of its runs; then Mercure's ratios to /events at each fan-out scenario; then, for the template
cases, the server CPU per published event and what each adds to a publish with no pattern
subscriber (the "idle" case)."""
import json
import statistics
import sys

runs = {}
loads = []
lines = [line for name in sys.argv[1:] for line in open(name)]
for line in lines:
    if line.strip():
        row = json.loads(line)
        r = row["result"]
        r["cpuUsPerPublished"] = r["serverCpuSeconds"] * 1e6 / r["published"] if r["published"] else None
        r["unexpected"] = r.get("unexpected", 0)
        runs.setdefault((r["subscribers"], r["rate"], row["case"]), []).append(r)
        loads.append(row.get("load1Before"))


def med(results, field):
    values = [r[field] for r in results if r.get(field) is not None]
    return statistics.median(values) if values else None


def cell(value, fmt="{:g}"):
    return "n/a" if value is None else fmt.format(value)


print("| N × R | case | runs | lost | dup | unexpected | p50 ms | p99 ms | deliveries/s | "
      "server µs/delivery | server µs/published | µs/delivery of each run |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for (n, rate, case), results in runs.items():
    each = " / ".join(cell(r["serverCpuUsPerDelivery"]) for r in results)
    print(f"| {n:,} × {rate:g} | {case} | {len(results)} | {med(results, 'lost'):g} | {med(results, 'dup'):g} | "
          f"{med(results, 'unexpected'):g} | {med(results, 'p50Ms'):g} | {med(results, 'p99Ms'):g} | "
          f"{med(results, 'deliveriesPerSec'):,.0f} | {cell(med(results, 'serverCpuUsPerDelivery'))} | "
          f"{cell(med(results, 'cpuUsPerPublished'), '{:,.0f}')} | {each} |")

pairs = [(n, rate) for (n, rate, case) in runs if case == "events" and (n, rate, "mercure-exact") in runs]
if pairs:
    print()
    print("| N × R | CPU/delivery Mercure ÷ /events | p99 Mercure ÷ /events | p50 Mercure ÷ /events |")
    print("|---|---|---|---|")
    for n, rate in pairs:
        e, m = runs[(n, rate, "events")], runs[(n, rate, "mercure-exact")]
        cells = " | ".join(f"{med(m, f) / med(e, f):.2f}" if med(e, f) else "n/a"
                           for f in ("serverCpuUsPerDelivery", "p99Ms", "p50Ms"))
        print(f"| {n:,} × {rate:g} | {cells} |")

idle = {(n, rate): results for (n, rate, case), results in runs.items() if case == "idle"}
if idle:
    print()
    print("| N × R | case | server µs/published | over idle, µs/published | over idle, µs/delivery |")
    print("|---|---|---|---|---|")
    for (n, rate, case), results in runs.items():
        base = idle.get((n, rate))
        if base is None or not (case == "idle" or case.startswith("template")):
            continue
        per_pub, base_pub = med(results, "cpuUsPerPublished"), med(base, "cpuUsPerPublished")
        delivered_per_pub = med(results, "delivered") / med(results, "published")
        extra = per_pub - base_pub
        per_delivery = cell(extra / delivered_per_pub if delivered_per_pub else None, "{:.2f}")
        print(f"| {n:,} × {rate:g} | {case} | {per_pub:,.0f} | {extra:,.0f} | {per_delivery} |")

print()
print(f"load average (1 min) before the runs: {min(loads):g}–{max(loads):g}")
