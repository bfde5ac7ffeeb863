#!/usr/bin/env bash
# Marginal memory per idle stream, as a slope: a fresh pushhub node gets HALF streams and 20 s of
# events (so that the heap is past its first collections and its young generation is touched),
# then HALF more streams (both halves get 2 events/s); RSS before and after the second half, per stream. This leaves out what
# idle.sh's "from a fresh process" figure also counts: heap pages first touched while connecting,
# a fixed cost of the collector's sizing that does not grow with the number of streams.
#   perf/idle-slope.sh [HALF]   (default 9500; HUB_GC="-XX:+UseG1GC" for another collector,
#                               LOADER_ARGS=--browser-headers for the request headers of a browser)
set -euo pipefail
cd "$(dirname "$0")/.."
. perf/hub-jvm.sh
HALF=${1:-9500}
PORT=18510
LOADER=perf/loader/target/pushhub-loader.jar
[ -f target/pushhub.jar ] || mvn -B -q package -DskipTests
[ -f "$LOADER" ] || mvn -B -q -f perf/loader/pom.xml package
java $HUB_JVM -jar "$HUB_JAR" --config perf/bench-config.json \
  --port "$PORT" > /tmp/idle-slope-hub.log 2>&1 &
HUB=$!
trap 'kill -9 $HUB 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "localhost:$PORT/health/ready" >/dev/null && break; sleep 0.2; done
# First half: 2 events/s throughout, 20 s of it before the second half comes, 45 s more after.
java -jar "$LOADER" --url "http://127.0.0.1:$PORT" --subscribers "$HALF" --topic idle-a --rate 2 --warmup 20 \
  --duration 45 --settle 0 --server-pid "$HUB" ${LOADER_ARGS:-} > /tmp/idle-slope-a.json 2>/tmp/idle-slope-a.log &
A=$!
until grep -q "warming up" /tmp/idle-slope-a.log; do sleep 0.5; done
sleep 22
# Second half opened while the first is held: the loader's before/after RSS is the second half's cost.
java -jar "$LOADER" --url "http://127.0.0.1:$PORT" --subscribers "$HALF" --topic idle-b --rate 1 --warmup 0 \
  --duration 3 --settle 15 --server-pid "$HUB" ${LOADER_ARGS:-} > /tmp/idle-slope-b.json 2>/tmp/idle-slope-b.log
wait $A
python3 - "$HALF" "$HUB_JVM" <<'PY'
import json, sys
half, gc = int(sys.argv[1]), sys.argv[2]
a, b = json.load(open("/tmp/idle-slope-a.json")), json.load(open("/tmp/idle-slope-b.json"))
print(json.dumps({"gc": gc, "firstHalf": a["connected"], "secondHalf": b["connected"],
  "rssBeforeSecondMb": b["serverRssBeforeMb"], "rssAfterSecondMb": b["serverRssConnectedMb"],
  "marginalRssKbPerStream": b["rssKbPerStream"], "lost": a["lost"] + b["lost"]}))
PY
