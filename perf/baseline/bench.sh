#!/usr/bin/env bash
# The same fan-out run against the bare Vert.x broadcast server (perf/baseline), for comparison.
#   perf/baseline/bench.sh SUBSCRIBERS RATE DURATION
set -euo pipefail
cd "$(dirname "$0")/../.."
# The same JVM flags as pushhub gets.
. perf/hub-jvm.sh
N=$1; R=$2; D=$3; shift 3
PORT=${PORT:-18300}
[ -f perf/baseline/target/pushhub-baseline.jar ] || mvn -B -q -f perf/baseline/pom.xml package
[ -f perf/loader/target/pushhub-loader.jar ] || mvn -B -q -f perf/loader/pom.xml package
java $HUB_JVM -jar perf/baseline/target/pushhub-baseline.jar "$PORT" > /tmp/baseline-bench.log 2>&1 &
SERVER=$!
trap 'kill -9 $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "localhost:$PORT/" && break; sleep 0.2; done
java -jar perf/loader/target/pushhub-loader.jar --url "http://127.0.0.1:$PORT" --subscribers "$N" --rate "$R" \
  --duration "$D" --server-pid "$SERVER" "$@" 2>/dev/null | tail -1
