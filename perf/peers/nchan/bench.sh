#!/usr/bin/env bash
# One fan-out run against a fresh nginx+Nchan on 127.0.0.1, printing the loader's JSON line, the
# server's CPU and RSS summed over nginx's master and workers.
#   perf/peers/nchan/bench.sh SUBSCRIBERS RATE DURATION [extra loader args...]
set -euo pipefail
cd "$(dirname "$0")/../../.."
N=$1; R=$2; D=$3; shift 3
PORT=${PORT:-18400}
[ -f perf/loader/target/pushhub-loader.jar ] || mvn -B -q -f perf/loader/pom.xml package
perf/peers/nchan/run.sh "$PORT" > /tmp/nchan-bench.log 2>&1 &
MASTER=$!
trap 'kill $MASTER 2>/dev/null || true; wait $MASTER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "localhost:$PORT/health/ready" >/dev/null && break; sleep 0.2; done
PIDS="$(pgrep -f "nginx: master process.*nchan-bench" | head -1)"
PIDS="$PIDS,$(pgrep -d, -P "$PIDS")"
java -jar perf/loader/target/pushhub-loader.jar --url "http://127.0.0.1:$PORT" --subscribers "$N" --rate "$R" \
  --duration "$D" --publish-format raw --server-pid "$PIDS" "$@" 2>/dev/null | tail -1
