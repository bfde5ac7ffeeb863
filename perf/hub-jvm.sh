# Sourced by the perf scripts: how they start a pushhub node.
#   HUB_JAR   the jar (default target/pushhub.jar; another build for an A/B run)
#   HUB_GC    the collector and its sizing (default: parallel, young generation fixed at 128 MB,
#             so that RSS grows only with what streams keep; see docs/performance.md, "Memory per idle stream")
#   HUB_JAVA_OPTS  more flags (a profiler agent, GC logging)
HUB_JAR=${HUB_JAR:-target/pushhub.jar}
HUB_JVM="-Xms512m -Xmx2g ${HUB_GC:--XX:+UseParallelGC -Xmn128m} ${HUB_JAVA_OPTS:-}"
