#!/usr/bin/env bash
# pushhub, nginx+Nchan and the bare Vert.x broadcast side by side, one fresh server per run,
# the same loader and scenarios, then a markdown table with pushhub's ratios to Nchan.
#   perf/compare.sh [DURATION] [N:R ...]       default: 30 s, 1000:100 10000:10 19000:5
#   REPEAT=3 SERVERS="pushhub baseline" perf/compare.sh ...   each server 3 times, interleaved
#   REPEAT=5 SERVERS="pushhub@a.jar pushhub@b.jar" perf/compare.sh ...   an A/B run of two builds
# Every run warms up 15 s first (loader default). Results: perf/results/compare-<date>.jsonl and stdout
# (with repeats, the table gives each figure's median and the ratios are of medians).
set -euo pipefail
cd "$(dirname "$0")/.."
D=${1:-30}; shift || true
SCENARIOS=${*:-"1000:100 10000:10 19000:5"}
mvn -B -q package -DskipTests
mvn -B -q -f perf/loader/pom.xml package
mvn -B -q -f perf/baseline/pom.xml package
mkdir -p perf/results
out=perf/results/compare-$(date -u +%Y%m%dT%H%M%SZ).jsonl
for scenario in $SCENARIOS; do
  N=${scenario%%:*}; R=${scenario##*:}
  for _ in $(seq 1 "${REPEAT:-1}"); do
    for server in ${SERVERS:-pushhub nchan baseline}; do
      case $server in
        pushhub) line=$(perf/bench.sh "$N" "$R" "$D") ;;
        pushhub@*) line=$(HUB_JAR=${server#pushhub@} perf/bench.sh "$N" "$R" "$D") ;;
        nchan) line=$(perf/peers/nchan/bench.sh "$N" "$R" "$D") ;;
        baseline) line=$(perf/baseline/bench.sh "$N" "$R" "$D") ;;
      esac
      echo "{\"server\":\"$server\",\"result\":$line}" | tee -a "$out" >&2
    done
  done
done
python3 perf/table.py "$out"
