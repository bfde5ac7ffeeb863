#!/usr/bin/env bash
# Three pushhub nodes on this machine (cores shared with each other and the loader: report it as
# such), streams spread evenly over them, publishes to the first node:
#   one topic, N streams (the issue's 50,000: past what one process may hold here), R events/s;
#   then K topics x S streams each, R events/s spread over the topics.
#   perf/cluster-scale.sh [N R K S RK DURATION]    default: 50000 2 10000 5 2000 30
set -euo pipefail
cd "$(dirname "$0")/.."
. perf/hub-jvm.sh
N=${1:-50000}; R=${2:-2}; K=${3:-10000}; S=${4:-5}; RK=${5:-2000}; D=${6:-30}
[ -f target/pushhub.jar ] || mvn -B -q package -DskipTests
[ -f perf/loader/target/pushhub-loader.jar ] || mvn -B -q -f perf/loader/pom.xml package
export PUSHHUB_CLUSTER_NAME=scale-$$ PUSHHUB_CLUSTER_PORT=$((25000 + RANDOM % 1000 * 20))
PORTS=(18501 18502 18503)
PIDS=()
trap 'kill -9 "${PIDS[@]}" 2>/dev/null || true' EXIT
for port in "${PORTS[@]}"; do
  java $HUB_JVM -jar "$HUB_JAR" --config perf/bench-config.json --cluster \
    --port "$port" > "/tmp/cluster-scale-$port.log" 2>&1 &
  PIDS+=($!)
done
for port in "${PORTS[@]}"; do
  for _ in $(seq 1 150); do curl -sf "localhost:$port/health/ready" >/dev/null && break; sleep 0.2; done
done
URLS=$(printf 'http://127.0.0.1:%s,' "${PORTS[@]}"); URLS=${URLS%,}
SERVERS=$(IFS=,; echo "${PIDS[*]}")
# 6,000 streams per loader child: 50,000 streams make 9 children, 3 per node.
echo "{\"run\":\"one topic\",\"loader\":$(java -jar perf/loader/target/pushhub-loader.jar --url "$URLS" \
  --subscribers "$N" --per-child 6000 --rate "$R" --duration "$D" --warmup 10 --server-pid "$SERVERS" \
  --topic "scale-one" 2>/dev/null | tail -1)}"
echo "{\"run\":\"$K topics x $S\",\"loader\":$(java -jar perf/loader/target/pushhub-loader.jar --url "$URLS" \
  --subscribers $((K * S)) --topics "$K" --per-child 6000 --rate "$RK" --duration "$D" --warmup 10 \
  --server-pid "$SERVERS" --topic "scale-many" 2>/dev/null | tail -1)}"
