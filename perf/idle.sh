#!/usr/bin/env bash
# Memory per idle stream: a fresh server, N streams opened and left idle, the server's RSS before
# and after (and, for pushhub, the live heap after a full GC), per stream.
#   perf/idle.sh pushhub|nchan [N]        (default N = 19000; HUB_GC="-XX:+UseG1GC" for another collector)
set -euo pipefail
cd "$(dirname "$0")/.."
. perf/hub-jvm.sh
SERVER=$1; N=${2:-19000}
LOADER=perf/loader/target/pushhub-loader.jar
[ -f "$LOADER" ] || mvn -B -q -f perf/loader/pom.xml package
heap_used_kb() { # live heap after a full GC
  jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | awk '/PSYoungGen|ParOldGen|garbage-first heap/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub("K","",v); s+=v}} END {print s}'
}
case $SERVER in
  pushhub)
    PORT=18500
    [ -f target/pushhub.jar ] || mvn -B -q package -DskipTests
    java $HUB_JVM -jar "$HUB_JAR" --config perf/bench-config.json --port "$PORT" > /tmp/idle-hub.log 2>&1 &
    PIDS=$!; MAIN=$PIDS
    trap 'kill -9 $MAIN 2>/dev/null || true' EXIT
    for _ in $(seq 1 100); do curl -sf "localhost:$PORT/health/ready" >/dev/null && break; sleep 0.2; done
    PUB=() ;;
  nchan)
    PORT=18501
    perf/peers/nchan/run.sh "$PORT" > /tmp/idle-nchan.log 2>&1 &
    MAIN=$!
    trap 'kill $MAIN 2>/dev/null || true' EXIT
    for _ in $(seq 1 100); do curl -sf "localhost:$PORT/health/ready" >/dev/null && break; sleep 0.2; done
    M=$(pgrep -f "nginx: master process.*nchan-bench" | head -1)
    PIDS="$M,$(pgrep -d, -P "$M")"
    PUB=(--publish-format raw) ;;
esac
sleep 2
HEAP0=""; [ "$SERVER" = pushhub ] && HEAP0=$(heap_used_kb "$MAIN")
# One event a second for 5 s after a 20 s settle: the streams are idle while measured.
java -jar "$LOADER" --url "http://127.0.0.1:$PORT" --subscribers "$N" --rate 1 --duration 5 --warmup 0 \
  --settle 20 --server-pid "$PIDS" "${PUB[@]}" ${LOADER_ARGS:-} 2>/tmp/idle-loader.log > /tmp/idle-result.json &
LOADER_PID=$!
HEAP1=""
if [ "$SERVER" = pushhub ]; then
  until grep -q "connected" /tmp/idle-loader.log; do sleep 0.5; done
  sleep 8
  HEAP1=$(heap_used_kb "$MAIN")
fi
wait $LOADER_PID
python3 - "$SERVER" "$N" "$HEAP0" "$HEAP1" <<'PY'
import json, sys
server, n, h0, h1 = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
r = json.load(open("/tmp/idle-result.json"))
out = {"server": server, "streams": r["connected"], "rssBeforeMb": r["serverRssBeforeMb"],
       "rssConnectedMb": r["serverRssConnectedMb"], "rssKbPerStream": r["rssKbPerStream"],
       "connectSeconds": r["connectSeconds"], "lost": r["lost"]}
if h0 and h1:
    out["heapKbPerStream"] = round((int(h1) - int(h0)) / r["connected"], 2)
print(json.dumps(out))
PY
