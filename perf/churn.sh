#!/usr/bin/env bash
# Topic churn: memory over time while topics keep appearing and going quiet. Publishes RATE/s,
# 3 events per topic then the next topic, every 10th topic replayed once by a short-lived
# subscriber; replay.maxAgeSeconds is AGE, so a node that reclaims quiet topics levels off after
# AGE seconds. One JSON line per 10 s: topics so far, publishes acknowledged/refused, and per node
# RSS and the lowest heap in use seen in those 10 s.
#   perf/churn.sh [NODES RATE DURATION AGE]    default: 1 500 300 60   (NODES 1: memory store; 3: a cluster)
# Node logs: /tmp/churn-<port>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
. perf/hub-jvm.sh
NODES=${1:-1}; RATE=${2:-500}; D=${3:-300}; AGE=${4:-60}
[ -f "$HUB_JAR" ] || mvn -B -q package -DskipTests
[ -f perf/loader/target/pushhub-loader.jar ] || mvn -B -q -f perf/loader/pom.xml package
CONFIG=$(mktemp /tmp/churn-config-XXXX.json)
python3 - "$AGE" > "$CONFIG" <<'PY'
import json, sys
config = json.load(open("perf/bench-config.json"))
config["replay"] = {"maxAgeSeconds": int(sys.argv[1])}
print(json.dumps(config))
PY
PIDS=()
trap 'kill -9 "${PIDS[@]}" 2>/dev/null || true; rm -f "$CONFIG"' EXIT
CLUSTER=""
if [ "$NODES" -gt 1 ]; then
  CLUSTER=--cluster
  export PUSHHUB_CLUSTER_NAME=churn-$$ PUSHHUB_CLUSTER_PORT=$((25000 + RANDOM % 1000 * 20))
fi
PORTS=()
for i in $(seq 1 "$NODES"); do
  PORTS+=($((18520 + i)))
done
start_nodes /tmp/churn "$CONFIG" "$CLUSTER" "${PORTS[@]}"
echo "{\"run\":\"churn, $NODES node(s), $RATE publishes/s, replay.maxAgeSeconds $AGE\",\"jar\":\"$HUB_JAR\",\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
java -cp perf/loader/target/pushhub-loader.jar io.pushhub.loader.Churn --url "$URLS" --rate "$RATE" \
  --duration "$D" --server-pid "$SERVERS"
