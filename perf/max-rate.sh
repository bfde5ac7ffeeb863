#!/usr/bin/env bash
# Highest sustained fan-out: R raised step by step for N streams of one topic until p99 passes
# 1 s or an event is lost; one fresh server per step (20 s measured after 10 s of warm-up).
#   perf/max-rate.sh pushhub|nchan|baseline N "R1 R2 ..."
set -euo pipefail
cd "$(dirname "$0")/.."
SERVER=$1; N=$2; RATES=$3
for R in $RATES; do
  case $SERVER in
    pushhub) line=$(perf/bench.sh "$N" "$R" 20 --warmup 10) ;;
    nchan) line=$(perf/peers/nchan/bench.sh "$N" "$R" 20 --warmup 10) ;;
    baseline) line=$(perf/baseline/bench.sh "$N" "$R" 20 --warmup 10) ;;
  esac
  echo "{\"server\":\"$SERVER\",\"result\":$line}"
  if python3 -c "import json,sys; r=json.loads(sys.argv[1]); sys.exit(0 if r['p99Ms'] <= 1000 and r['lost'] == 0 else 1)" "$line"; then
    continue
  fi
  break
done
