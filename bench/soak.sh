#!/usr/bin/env bash
# The mixed-load soak of docs/benchmarks.md: for the given minutes at once, flag reads, OFREP
# evaluations, simulated journeys and toggles with their events. Every minute it prints the
# heap after a full GC and the RSS; at the end, every error response seen. Loopback only.
#   bench/soak.sh [minutes, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-10}
# Journeys run at a hundredth of their simulated latency, so they exercise the code, not sleep;
# wrk sends them from one address without a key, which the per-client limit would hold to 5 a second.
SERVICE_ARGS="--remediation.simulator.latency-scale=0.01 --remediation.simulator.journeys-per-client-per-second=100000"
source bench/service.sh

SECONDS_TOTAL=$((MINUTES * 60))
# The old generation of the Serial GC that jvm.options sets, right after a full GC.
heap_after_gc_mb() {
  jcmd $SERVICE_PID GC.run >/dev/null
  jcmd $SERVICE_PID GC.heap_info | awk '/tenured generation/ {sub("K", "", $6); printf "%.1f", $6 / 1024}'
}
# Reads at full speed on few connections, so that the other loads still get the CPU.
wrk -t1 -c4 -d${SECONDS_TOTAL}s http://127.0.0.1:$SERVICE/api/remediation/feature-flags > "$WORK/flags.txt" &
wrk -t1 -c2 -d${SECONDS_TOTAL}s -s bench/ofrep-bulk.lua http://127.0.0.1:$SERVICE/ofrep/v1/evaluate/flags > "$WORK/ofrep.txt" &
wrk -t1 -c2 -d${SECONDS_TOTAL}s -s bench/journey.lua http://127.0.0.1:$SERVICE/api/journey-simulation/simulate-journey > "$WORK/journeys.txt" &
python3 bench/toggles.py $SERVICE 20 $SECONDS_TOTAL "$WORK/events.log" > "$WORK/toggles.txt" &
TOGGLES=$!

echo "minute  heap after GC  RSS"
for minute in $(seq 0 "$MINUTES"); do
  printf '%6d  %10s MB  %s MB\n' "$minute" "$(heap_after_gc_mb)" "$(rss_mb)"
  [ "$minute" -lt "$MINUTES" ] && sleep 60
done
wait $TOGGLES
sleep 1
for load in flags ofrep journeys; do
  printf '%-9s %s requests, %s\n' "$load" "$(awk '/requests in/ {print $1}' "$WORK/$load.txt")" \
    "$(grep -E 'Non-2xx|Socket errors' "$WORK/$load.txt" || echo 'no error responses')"
done
cat "$WORK/toggles.txt"
