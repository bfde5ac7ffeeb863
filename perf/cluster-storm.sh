#!/usr/bin/env bash
# A node lost under its streams: three clustered pushhub nodes on this machine (cores shared with
# each other and the loader: report it as such), K topics x S streams all on node 3, a publisher
# at RATE/s over all topics to nodes 1 and 2. Once every stream has read a live event the loader
# SIGKILLs node 3; every stream resumes with its Last-Event-ID on node 1 or 2 (retrying a refusal
# after a short backoff) while publishing goes on D seconds more. One JSON line: when the streams
# were answered and had every event acknowledged before the kill, lost and duplicated events,
# refusals, the survivors' CPU seconds during the storm (see io.pushhub.loader.FailoverStorm).
#   perf/cluster-storm.sh [K S D]    default: 3960 5 10 (19,800 streams: a process may hold 20,000 files here,
#   and node 3 needs ~50 of its own)
#   RATE=200 publishes/s; RECONNECT_IN_FLIGHT=0 resumes on their way per loader process (0: no bound);
#   HUB_JAR= another build. Node logs: /tmp/cluster-storm-<port>.log (kept after the run).
set -euo pipefail
cd "$(dirname "$0")/.."
. perf/hub-jvm.sh
K=${1:-3960}; S=${2:-5}; D=${3:-10}
RATE=${RATE:-200}; RECONNECT_IN_FLIGHT=${RECONNECT_IN_FLIGHT:-0}
LOADER=perf/loader/target/pushhub-loader.jar
[ -f "$HUB_JAR" ] || mvn -B -q package -DskipTests
[ -f "$LOADER" ] || mvn -B -q -f perf/loader/pom.xml package
export PUSHHUB_CLUSTER_NAME=storm-$$ PUSHHUB_CLUSTER_PORT=$((25000 + RANDOM % 1000 * 20))
PIDS=()
trap 'kill -9 "${PIDS[@]}" 2>/dev/null || true' EXIT
start_nodes /tmp/cluster-storm perf/bench-config.json --cluster 18531 18532 18533
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
# Bounded: the connects, three rounds of publishes for every stream to be live, D s, and the catch-up.
RESULT=$(timeout -k 5 $((K * S / 100 + 3 * K / RATE + D + 240)) java -cp "$LOADER" io.pushhub.loader.FailoverStorm \
  --url "$URLS" --kill-pid "${PIDS[2]}" --server-pid "${PIDS[0]},${PIDS[1]}" --subscribers $((K * S)) --topics "$K" \
  --rate "$RATE" --after "$D" --reconnect-in-flight "$RECONNECT_IN_FLIGHT" --topic "storm-$$" || true)
echo "{\"run\":\"$K topics x $S streams on node 3 of 3, killed\",\"hub\":\"$HUB_JAR\",\"commit\":\"$(git rev-parse --short HEAD)\",\"date\":\"$(date -u +%FT%TZ)\",\"loadBefore\":\"$LOAD\",\"result\":${RESULT:-null}}"
