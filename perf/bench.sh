#!/usr/bin/env bash
# One fan-out run against a fresh single pushhub node on 127.0.0.1, printing the loader's JSON line.
#   perf/bench.sh SUBSCRIBERS RATE DURATION [extra loader args...]
# Builds the hub and the loader when their jars are missing. The hub starts as perf/hub-jvm.sh says
# (-Xms512m -Xmx2g, parallel GC with a fixed young generation; HUB_JAR, HUB_GC, HUB_JAVA_OPTS change it).
set -euo pipefail
cd "$(dirname "$0")/.."
. perf/hub-jvm.sh
N=$1; R=$2; D=$3; shift 3
PORT=${PORT:-18200}
[ -f target/pushhub.jar ] || mvn -B -q package -DskipTests
[ -f perf/loader/target/pushhub-loader.jar ] || mvn -B -q -f perf/loader/pom.xml package
# The loader is one client (127.0.0.1): the per-client limits are lifted for it.
java $HUB_JVM -jar "$HUB_JAR" --config perf/bench-config.json --port "$PORT" > /tmp/pushhub-bench.log 2>&1 &
HUB=$!
trap 'kill -9 $HUB 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "localhost:$PORT/health/ready" >/dev/null && break; sleep 0.2; done
java -jar perf/loader/target/pushhub-loader.jar --url "http://127.0.0.1:$PORT" --subscribers "$N" --rate "$R" \
  --duration "$D" --server-pid "$HUB" "$@" 2>/dev/null | tail -1
