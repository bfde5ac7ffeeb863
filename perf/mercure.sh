#!/usr/bin/env bash
# The Mercure endpoint beside /events on one pushhub node, one fresh node per run, then a Markdown table.
#   perf/mercure.sh [DURATION] [N:R ...]     default: 20 s, 1000:100 10000:10
#   REPEAT=3 perf/mercure.sh ...             each case 3 times, interleaved; the table gives medians
# Two parts:
#   fan-out    N streams of one topic at R events/s, on /events and on /.well-known/mercure with the
#              topic as an exact selector, alternating; both publish on /publish, so only delivery differs.
#   templates  TEMPLATE_N (1000) Mercure streams with URI-template selectors, TEMPLATE_R (100) events/s,
#              each event on a new topic (bench/<seq>, so no cached answer helps):
#                idle           exact selectors of topics never published (what a publish costs alone)
#                template-none  a template of its own per stream ("bench/{x<i>}/none"), none matching
#                template-all   a template of its own per stream ("bench/{x<i>}"), all matching
#                template-same  one template for every stream ("bench/{x}"), all matching
#                template-all-1topic  as template-all, every event on one topic (answers cached)
#              TEMPLATE_REPEAT (default REPEAT) runs of each; TEMPLATES=0 skips this part, FANOUT=0 the other.
# Every run warms up 15 s first (loader default). Results: perf/results/mercure-<date>.jsonl and stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
D=${1:-20}; shift || true
SCENARIOS=${*:-"1000:100 10000:10"}
REPEAT=${REPEAT:-1}
TN=${TEMPLATE_N:-1000}; TR=${TEMPLATE_R:-100}
[ -f target/pushhub.jar ] || mvn -B -q package -DskipTests
mvn -B -q -f perf/loader/pom.xml package
mkdir -p perf/results
out=perf/results/mercure-$(date -u +%Y%m%dT%H%M%SZ).jsonl

run() { # CASE N R [loader args...]: one run, its line appended to $out
  local case=$1 n=$2 r=$3; shift 3
  local load line
  load=$(cut -d' ' -f1 /proc/loadavg)
  line=$(perf/bench.sh "$n" "$r" "$D" "$@")
  echo "{\"case\":\"$case\",\"load1Before\":$load,\"result\":$line}" | tee -a "$out" >&2
}

if [ "${FANOUT:-1}" != 0 ]; then
  for scenario in $SCENARIOS; do
    N=${scenario%%:*}; R=${scenario##*:}
    for _ in $(seq 1 "$REPEAT"); do
      run events "$N" "$R"
      run mercure-exact "$N" "$R" --protocol mercure
    done
  done
fi
if [ "${TEMPLATES:-1}" != 0 ]; then
  # Topics bench/<seq>: a new topic per event (measured events reuse the warm-up's numbers, 1,500
  # topics earlier: no cached answer survives that many).
  NEW=(--topics 1000000000)
  for _ in $(seq 1 "${TEMPLATE_REPEAT:-$REPEAT}"); do
    run idle "$TN" "$TR" "${NEW[@]}" --protocol mercure --selector 'idle/$i' --expect none
    run template-none "$TN" "$TR" "${NEW[@]}" --protocol mercure --selector 'bench/{x$i}/none' --expect none
    run template-all "$TN" "$TR" "${NEW[@]}" --protocol mercure --selector 'bench/{x$i}'
    run template-same "$TN" "$TR" "${NEW[@]}" --protocol mercure --selector 'bench/{x}'
    run template-all-1topic "$TN" "$TR" --protocol mercure --selector 'bench/{x$i}'
  done
fi
python3 perf/mercure_table.py "$out"
