"""Markdown table of compare.sh results (one JSON object a line), with pushhub's ratios to Nchan and
to the bare Vert.x broadcast, or, for an A/B run of builds ("pushhub@<jar>"), each build's ratios to
the first. Several runs of one server and scenario: each figure is their median,
the ratios are of medians, and "runs" gives the p99 of each run."""
import json
import statistics
import sys

FIELDS = ["lost", "dup", "p50Ms", "p99Ms", "p999Ms", "deliveriesPerSec", "serverCpuUsPerDelivery", "serverRssMb"]

runs = {}
for line in open(sys.argv[1]):
    if line.strip():
        row = json.loads(line)
        r = row["result"]
        runs.setdefault((r["subscribers"], r["rate"]), {}).setdefault(row["server"], []).append(r)


def median(results):
    return {f: statistics.median(r[f] for r in results) for f in FIELDS}


print("| N × R | server | runs | lost | dup | p50 ms | p99 ms | p999 ms | deliveries/s | server µs/delivery | RSS MB | p99 of each run |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
medians = {}
for (n, rate), servers in runs.items():
    for server, results in servers.items():
        m = medians.setdefault((n, rate), {})[server] = median(results)
        each = " / ".join(f"{r['p99Ms']:g}" for r in results)
        print(f"| {n:,} × {rate:g} | {server} | {len(results)} | {m['lost']:g} | {m['dup']:g} | {m['p50Ms']:g} | "
              f"{m['p99Ms']:g} | {m['p999Ms']:g} | {m['deliveriesPerSec']:,.0f} | {m['serverCpuUsPerDelivery']:g} | "
              f"{m['serverRssMb']:g} | {each} |")
if any("pushhub" in servers for servers in medians.values()):
    print()
    print("| N × R | CPU/delivery pushhub ÷ Nchan | p99 pushhub ÷ Nchan | CPU/delivery pushhub ÷ bare Vert.x | p99 pushhub ÷ bare Vert.x |")
    print("|---|---|---|---|---|")
    for (n, rate), servers in medians.items():
        p, c, b = servers.get("pushhub"), servers.get("nchan"), servers.get("baseline")

        def ratio(a, z, field):
            return f"{a[field] / z[field]:.2f}" if a and z and z[field] else "n/a"
        print(f"| {n:,} × {rate:g} | {ratio(p, c, 'serverCpuUsPerDelivery')} | {ratio(p, c, 'p99Ms')} | "
              f"{ratio(p, b, 'serverCpuUsPerDelivery')} | {ratio(p, b, 'p99Ms')} |")

builds = [s for s in next(iter(medians.values()), {}) if s.startswith("pushhub@")]
if len(builds) > 1:
    print()
    print("| N × R | build | CPU/delivery ÷ first | p99 ÷ first | p50 ÷ first |")
    print("|---|---|---|---|---|")
    for (n, rate), servers in medians.items():
        first = servers[builds[0]]
        for build in builds[1:]:
            b = servers[build]
            cells = " | ".join(f"{b[f] / first[f]:.2f}" if first[f] else "n/a"
                               for f in ("serverCpuUsPerDelivery", "p99Ms", "p50Ms"))
            print(f"| {n:,} × {rate:g} | {build} | {cells} |")
