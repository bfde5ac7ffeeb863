#!/usr/bin/env bash
# Runs the cluster fault drills RUNS times (default 5) and prints one line per drill and run:
# crash and drain (ClusterIT), SIGSTOP pauses (ClusterPauseIT) and a real network partition between
# loopback addresses (ClusterPartitionIT, needs root for iptables; it skips itself otherwise).
# Each drill: 3 hub processes behind nginx, 30 EventSource-like subscribers and a publisher through
# nginx; it passes when every acknowledged event reached every subscriber once, in order, and the
# struck node is ready and listed again within 60 s. Node and subscriber logs of each run are kept
# under target/cluster-logs/.
#   perf/faults.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
[ -f target/pushhub.jar ] || mvn -B -q package -DskipTests
for run in $(seq 1 "$runs"); do
  log=$(mktemp)
  mvn -B -o verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test='ClusterIT,ClusterPauseIT,ClusterPartitionIT' >"$log" 2>&1 || true
  # One line per test method: run, class, method, outcome.
  for report in target/failsafe-reports/TEST-io.pushhub.cluster.Cluster*IT.xml; do
    python3 - "$run" "$report" <<'PY'
import sys, xml.etree.ElementTree as ET
run, path = sys.argv[1], sys.argv[2]
for case in ET.parse(path).getroot().iter('testcase'):
    outcome = 'skipped' if case.find('skipped') is not None else \
        'FAILED' if case.find('failure') is not None or case.find('error') is not None else 'passed'
    print(f"run {run}\t{case.get('classname').rsplit('.', 1)[1]}\t{case.get('name')}\t{outcome}\t{float(case.get('time')):.1f} s")
PY
  done
  rm -f "$log"
done
