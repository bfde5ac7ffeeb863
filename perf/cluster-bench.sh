#!/usr/bin/env bash
# Three pushhub nodes on this machine (cores shared: report it as such). Streams on node B,
# publishes to node A (cross-node) then to node B (same node); event-bus bytes per event per node
# from Vert.x's metrics; publish acknowledgement latency includes the replicated ring write.
#   perf/cluster-bench.sh SUBSCRIBERS RATE DURATION
set -euo pipefail
cd "$(dirname "$0")/.."
. perf/hub-jvm.sh
N=$1; R=$2; D=$3
[ -f target/pushhub.jar ] || mvn -B -q package -DskipTests
[ -f perf/loader/target/pushhub-loader.jar ] || mvn -B -q -f perf/loader/pom.xml package
export PUSHHUB_CLUSTER_NAME=bench-$$ PUSHHUB_CLUSTER_PORT=$((25000 + RANDOM % 1000 * 20))
PIDS=()
trap 'kill -9 "${PIDS[@]}" 2>/dev/null || true' EXIT
for port in 18401 18402 18403; do
  java $HUB_JVM -jar "$HUB_JAR" --config perf/bench-config.json --cluster --port $port > /tmp/cluster-bench-$port.log 2>&1 &
  PIDS+=($!)
done
for port in 18401 18402 18403; do
  for _ in $(seq 1 150); do curl -sf "localhost:$port/health/ready" >/dev/null && break; sleep 0.2; done
done
bytes() { # event-bus bytes and messages a node has sent to other nodes so far: "bytes messages"
  curl -s "localhost:$1/metrics" | awk '/^vertx_eventbus_bytes_written_sum/ {b = $NF} /^vertx_eventbus_bytes_written_count/ {c = $NF} END {printf "%d %d", b, c}'
}
run() { # run LABEL PUBLISH_PORT
  local before; before=$(bytes "$2")
  local out; out=$(java -jar perf/loader/target/pushhub-loader.jar --url http://127.0.0.1:18402 \
    --publish-url "http://127.0.0.1:$2" --subscribers "$N" --rate "$R" --duration "$D" --server-pid "${PIDS[1]}" \
    --topic "bench-$1" 2>/dev/null | tail -1)
  local after; after=$(bytes "$2")
  local published; published=$(echo "$out" | sed 's/.*"published":\([0-9]*\).*/\1/')
  read -r b0 c0 <<< "$before"; read -r b1 c1 <<< "$after"
  local messages=$((c1 - c0)) sent=$((b1 - b0))
  echo "{\"run\":\"$1\",\"remoteMessagesPerEvent\":$(echo "scale=2; $messages / $published" | bc),\"eventBusBytesPerEventPerNode\":$(( sent / (messages > 0 ? messages : 1) )),\"loader\":$out}"
}
run cross-node 18401
run same-node 18402
