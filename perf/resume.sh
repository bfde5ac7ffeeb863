#!/usr/bin/env bash
# Resume while others stream: a fresh pushhub node, a loader keeping N streams busy (R events/s on
# their topic), and meanwhile ResumeStorm: ROUNDS times, CLIENTS clients that each resume 1,000
# events behind. Then a storm alone: STORM clients at once, 1,000 behind, on an idle node (0: none).
#   perf/resume.sh [N R ROUNDS CLIENTS STORM]    default: 10000 10 30 1 2000
set -euo pipefail
cd "$(dirname "$0")/.."
. perf/hub-jvm.sh
N=${1:-10000}; R=${2:-10}; ROUNDS=${3:-30}; CLIENTS=${4:-1}; STORM=${5:-2000}
PORT=18700
LOADER=perf/loader/target/pushhub-loader.jar
[ -f target/pushhub.jar ] || mvn -B -q package -DskipTests
[ -f "$LOADER" ] || mvn -B -q -f perf/loader/pom.xml package
start_hub() {
  java $HUB_JVM -jar "$HUB_JAR" --config perf/bench-config.json --port "$PORT" > /tmp/resume-hub.log 2>&1 &
  HUB=$!
  for _ in $(seq 1 100); do curl -sf "localhost:$PORT/health/ready" >/dev/null && break; sleep 0.2; done
  curl -sf "localhost:$PORT/health/ready" >/dev/null || { echo "the hub did not start: /tmp/resume-hub.log" >&2; exit 1; }
}
# The hub's own view of those resumes (request taken -> whole replay in the kernel), from its
# pushhub_resume_duration_seconds histogram: each quantile as the bucket bound it falls under.
server_side() {
  curl -s "localhost:$PORT/metrics" | python3 -c '
import sys, json
buckets = sorted((float(l.split("le=\"")[1].split("\"")[0]), float(l.split()[-1]))
                 for l in sys.stdin if l.startswith("pushhub_resume_duration_seconds_bucket"))
total = buckets[-1][1] if buckets else 0
def q(p):
    return next((round(le * 1000, 2) for le, c in buckets if c >= p * total), None)
print(json.dumps({"resumes": int(total), "p50MsAtMost": q(0.5), "p99MsAtMost": q(0.99)}))'
}
start_hub
trap 'kill -9 $HUB 2>/dev/null || true' EXIT
java -jar "$LOADER" --url "http://127.0.0.1:$PORT" --subscribers "$N" --rate "$R" --duration $((ROUNDS / 2 + 45)) --warmup 10 \
  --server-pid "$HUB" 2>/tmp/resume-loader.log > /tmp/resume-background.json &
BG=$!
until grep -q "warming up" /tmp/resume-loader.log; do sleep 0.5; done
sleep 15
RESUME=$(java -cp "$LOADER" io.pushhub.loader.ResumeStorm --url "http://127.0.0.1:$PORT" --clients "$CLIENTS" \
  --behind 1000 --rounds "$ROUNDS" 2>/dev/null)
echo "{\"while\": \"$N streams at $R events/s\", \"resume\": $RESUME, \"serverSide\": $(server_side)}"
wait $BG
echo "{\"background\": $(cat /tmp/resume-background.json)}"
kill -9 $HUB; wait $HUB 2>/dev/null || true
[ "$STORM" -gt 0 ] || exit 0
start_hub
echo "{\"storm\": $(java -cp "$LOADER" io.pushhub.loader.ResumeStorm --url "http://127.0.0.1:$PORT" \
  --clients "$STORM" --behind 1000 --timeout 300 2>/dev/null), \"serverRssMb\": $(awk '/VmRSS/{print $2/1024}' /proc/$HUB/status)}"
