#!/usr/bin/env bash
# Where the service's memory goes after load (docs/benchmarks.md, "Memory"): the service as the
# container runs it, with Native Memory Tracking on, under the reads and the toggles of run.sh
# and as many change-stream subscribers as the default cap allows (200); then the JVM's own account, area by area, and the RSS.
#   bench/memory.sh [seconds per load, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
JVM_ARGS="-XX:NativeMemoryTracking=summary"
source bench/service.sh
ulimit -n 65536 2>/dev/null || true

wrk -t1 -c128 -d"${DURATION}s" http://127.0.0.1:$SERVICE/api/remediation/feature-flags > /dev/null
wrk -t1 -c128 -d"${DURATION}s" -s bench/ofrep-single.lua http://127.0.0.1:$SERVICE/ofrep/v1/evaluate/flags/errorInjectionEnabled > /dev/null
wrk -t1 -c128 -d"${DURATION}s" -s bench/ofrep-bulk.lua http://127.0.0.1:$SERVICE/ofrep/v1/evaluate/flags > /dev/null
python3 bench/toggles.py $SERVICE 50 "$DURATION" "$WORK/events.log" > /dev/null
python3 bench/subscribers.py $SERVICE 200 "$WORK/ready" "$WORK/done" > /dev/null &
SUBSCRIBERS_PID=$!
until [ -e "$WORK/ready" ]; do sleep 0.2; done
echo "RSS with 200 change-stream subscribers: $(rss_mb) MB"
touch "$WORK/done"
wait $SUBSCRIBERS_PID
sleep 10
echo "RSS after the load: $(rss_mb) MB"
echo
echo "| area | reserved MB | committed MB |"
echo "|---|---|---|"
# jcmd's summary: "-  Java Heap (reserved=81920KB, committed=81920KB)"; areas under 1 MB are left out.
jcmd $SERVICE_PID VM.native_memory summary scale=KB | awk '
  /^Total:/ { match($0, /reserved=[0-9]+/); r = substr($0, RSTART + 9, RLENGTH - 9)
              match($0, /committed=[0-9]+/); c = substr($0, RSTART + 10, RLENGTH - 10)
              total = sprintf("| **total** | %.1f | %.1f |", r / 1024, c / 1024) }
  /^-/ { line = $0; sub(/^- +/, "", line); name = line; sub(/ \(.*/, "", name)
         match(line, /reserved=[0-9]+/); r = substr(line, RSTART + 9, RLENGTH - 9)
         match(line, /committed=[0-9]+/); c = substr(line, RSTART + 10, RLENGTH - 10)
         if (c + 0 >= 1024) printf "| %s | %.1f | %.1f |\n", name, r / 1024, c / 1024 }
  END { print total }'
