"""Markdown table of compare.sh results (one JSON object a line), with pushhub / Nchan ratios."""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
print("| N × R | server | lost | dup | p50 ms | p99 ms | p999 ms | deliveries/s | server µs/delivery | RSS MB |")
print("|---|---|---|---|---|---|---|---|---|---|")
by_scenario = {}
for row in rows:
    r = row["result"]
    key = (r["subscribers"], r["rate"])
    by_scenario.setdefault(key, {})[row["server"]] = r
    print(f"| {r['subscribers']:,} × {r['rate']:g} | {row['server']} | {r['lost']} | {r['dup']} | {r['p50Ms']} | "
          f"{r['p99Ms']} | {r['p999Ms']} | {r['deliveriesPerSec']:,.0f} | {r['serverCpuUsPerDelivery']} | "
          f"{r['serverRssMb']} |")
print()
print("| N × R | CPU/delivery pushhub ÷ Nchan | p99 pushhub ÷ Nchan | CPU/delivery pushhub ÷ bare Vert.x |")
print("|---|---|---|---|")
for (n, rate), servers in by_scenario.items():
    p, c, b = servers.get("pushhub"), servers.get("nchan"), servers.get("baseline")
    def ratio(a, z, field):
        return f"{a[field] / z[field]:.2f}" if a and z and z[field] else "n/a"
    print(f"| {n:,} × {rate:g} | {ratio(p, c, 'serverCpuUsPerDelivery')} | {ratio(p, c, 'p99Ms')} | "
          f"{ratio(p, b, 'serverCpuUsPerDelivery')} |")
