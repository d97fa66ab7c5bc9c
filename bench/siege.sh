#!/usr/bin/env bash
# The siege of docs/benchmarks.md: what callers without a key can do, at full size, against the
# service started as the container runs it (shipped JVM options, a 128 MB heap). Loopback only;
# every attack is bounded in time. Prints a line per attack, with the heap after a full GC and
# the RSS around it, and whether the log ever saw an OutOfMemoryError.
#   bench/siege.sh [seconds of slow headers, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
SLOW_SECONDS=${1:-30}
KEY=siege-workflow-key-0123456789
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
# First with a key and forwarding on (no proxy named), then with no key at all.
SERVICE_ARGS="--remediation.security.api-key=$KEY --server.forward-headers-strategy=native"
source bench/service.sh

heap_after_gc_mb() {
  jcmd $SERVICE_PID GC.run >/dev/null
  jcmd $SERVICE_PID GC.heap_info | awk '/tenured generation/ {sub("K", "", $6); printf "%.1f", $6 / 1024}'
}
peak_rss() { # samples the RSS every half second into $WORK/rss until the file stop exists
  rm -f "$WORK/stop"; echo 0 > "$WORK/rss"
  while [ ! -e "$WORK/stop" ]; do
    r=$(rss_mb); [ "$r" -gt "$(cat "$WORK/rss")" ] && echo "$r" > "$WORK/rss"; sleep 0.5
  done
}

echo "idle: heap after GC $(heap_after_gc_mb) MB, RSS $(rss_mb) MB"
for addresses in 50 5000; do
  peak_rss & SAMPLER=$!
  result=$(python3 bench/siege.py slow-headers $SERVICE 5000 $addresses "$SLOW_SECONDS")
  touch "$WORK/stop"; wait $SAMPLER
  echo "5,000 slow-header sockets from $addresses addresses: $result; peak RSS $(cat "$WORK/rss") MB, heap after GC $(heap_after_gc_mb) MB"
done
echo "$(python3 bench/siege.py wrong-keys $SERVICE $KEY)"
echo "$(python3 bench/siege.py forwarded $SERVICE $KEY)"
grep -q OutOfMemoryError "$WORK/service.log" && echo "OutOfMemoryError in the log" || echo "no OutOfMemoryError in the log"

stop_service
SERVICE_ARGS="--remediation.simulator.latency-scale=0.1"
start_service
curl -sf -o /dev/null -H 'Content-Type: application/json' -d '{"flag":"circuitBreakerEnabled","value":true}' \
  http://127.0.0.1:$SERVICE/api/remediation/feature-flag
echo "$(python3 bench/siege.py rebinding $SERVICE)"
before=$(heap_after_gc_mb)
echo "$(python3 bench/siege.py journeys $SERVICE 10000); heap after GC $before MB before, $(heap_after_gc_mb) MB after, RSS $(rss_mb) MB"
grep -q OutOfMemoryError "$WORK/service.log" && echo "OutOfMemoryError in the log" || echo "no OutOfMemoryError in the log"
