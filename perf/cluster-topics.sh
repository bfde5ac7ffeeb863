#!/usr/bin/env bash
# Many topics on three clustered pushhub nodes on this machine (cores shared with each other and
# the loader: report it as such): K topics x S streams, streams spread evenly over the nodes,
# publishes spread over the nodes in turn, at each offered rate in RATES (a fresh cluster per
# rate, so every run starts with topics the cluster has never seen). Refusals are counted by
# status, code and message, and by the 10 s window they were sent in (warm-up included).
#   perf/cluster-topics.sh [K S "RATES" DURATION WARMUP]    default: 10000 1 "250 500" 60 10
#   NODES=1 runs one node alone (memory store) instead, for the same scenario on a single node.
# Node logs: /tmp/cluster-topics-<rate>-<port>.log (kept after the run, for the refusals' causes).
set -euo pipefail
cd "$(dirname "$0")/.."
. perf/hub-jvm.sh
K=${1:-10000}; S=${2:-1}; RATES=${3:-250 500}; D=${4:-60}; W=${5:-10}
[ -f target/pushhub.jar ] || mvn -B -q package -DskipTests
[ -f perf/loader/target/pushhub-loader.jar ] || mvn -B -q -f perf/loader/pom.xml package
NODES=${NODES:-3}
PORTS=(18511 18512 18513)
PORTS=("${PORTS[@]:0:$NODES}")
CLUSTER_FLAG=$([ "$NODES" -gt 1 ] && echo --cluster || true)
PIDS=()
trap 'kill -9 "${PIDS[@]}" 2>/dev/null || true' EXIT
for rate in $RATES; do
  export PUSHHUB_CLUSTER_NAME=topics-$$-$rate PUSHHUB_CLUSTER_PORT=$((25000 + RANDOM % 1000 * 20))
  start_nodes "/tmp/cluster-topics-$rate" perf/bench-config.json "$CLUSTER_FLAG" "${PORTS[@]}"
  echo "{\"run\":\"$K topics x $S, publishes over $NODES node(s)\",\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"loader\":$(java -jar perf/loader/target/pushhub-loader.jar \
    --url "$URLS" --publish-url "$URLS" --subscribers $((K * S)) --topics "$K" --per-child 6000 --rate "$rate" \
    --duration "$D" --warmup "$W" --server-pid "$SERVERS" --topic "topics-$$" 2>/dev/null | tail -1)}"
  kill -9 "${PIDS[@]}" 2>/dev/null || true
  wait "${PIDS[@]}" 2>/dev/null || true
done
