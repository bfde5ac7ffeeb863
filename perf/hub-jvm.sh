# Sourced by the perf scripts: how they start a pushhub node.
#   HUB_JAR   the jar (default target/pushhub.jar; another build for an A/B run)
#   HUB_GC    the collector and its sizing (default: parallel, young generation fixed at 128 MB,
#             so that RSS grows only with what streams keep; see docs/performance.md, "Memory per idle stream")
#   HUB_JAVA_OPTS  more flags (a profiler agent, GC logging)
HUB_JAR=${HUB_JAR:-target/pushhub.jar}
HUB_JVM="-Xms512m -Xmx2g ${HUB_GC:--XX:+UseParallelGC -Xmn128m} ${HUB_JAVA_OPTS:-}"

# start_nodes LOG CONFIG "FLAGS" PORT...: a node per port (log LOG-<port>.log), each waited for until
# ready; sets PIDS, URLS (http://127.0.0.1:<port>,...) and SERVERS (the pids, comma-separated).
start_nodes() {
  local log=$1 config=$2 flags=$3 port
  shift 3
  PIDS=()
  for port in "$@"; do
    # shellcheck disable=SC2086
    java $HUB_JVM -jar "$HUB_JAR" --config "$config" $flags --port "$port" > "$log-$port.log" 2>&1 &
    PIDS+=($!)
  done
  for port in "$@"; do
    for _ in $(seq 1 300); do curl -sf "localhost:$port/health/ready" >/dev/null && break; sleep 0.2; done
  done
  URLS=$(printf 'http://127.0.0.1:%s,' "$@"); URLS=${URLS%,}
  SERVERS=$(IFS=,; echo "${PIDS[*]}")
}
