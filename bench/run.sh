#!/usr/bin/env bash
# The read and write benchmark of docs/benchmarks.md. Loopback only; every load is bounded in time.
#   bench/run.sh [seconds per read run, default 10] [connection counts, default "32 128 512"]
# Every read is measured right after nginx serving the same bytes, with the same wrk command
# (one thread, as nginx has one worker), so that a ratio compares the same seconds of the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
CONNECTION_COUNTS=${2:-32 128 512}
SUBSCRIBERS=${SUBSCRIBERS:-10000}
source bench/service.sh
need nginx nginx-light

# nginx serves the very same answers as static files: the flag list, and the two OFREP
# evaluations (POST, which nginx's static files refuse with 405: error_page turns that into a GET).
mkdir -p "$WORK/www/api/remediation" "$WORK/www/ofrep/v1/evaluate/flags"
curl -sf http://127.0.0.1:$SERVICE/api/remediation/feature-flags > "$WORK/www/api/remediation/feature-flags"
curl -sf -H 'Content-Type: application/json' -d '{"context":{"targetingKey":"user-1"}}' \
  http://127.0.0.1:$SERVICE/ofrep/v1/evaluate/flags/errorInjectionEnabled > "$WORK/www/ofrep/v1/evaluate/flags/errorInjectionEnabled"
curl -sf -H 'Content-Type: application/json' -d '{"context":{}}' \
  http://127.0.0.1:$SERVICE/ofrep/v1/evaluate/flags > "$WORK/www/ofrep-bulk"
# nginx's workers run as nobody: without this they answer 403 to every request.
chmod a+x "$WORK" && chmod -R a+rX "$WORK/www"
cat > "$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX;
    root $WORK/www;
    error_page 405 =200 \$uri;
    location = /ofrep/v1/evaluate/flags { alias $WORK/www/ofrep-bulk; }
  }
}
CONF
nginx -c "$WORK/nginx.conf" -p "$WORK"
NGINX_PID=$(cat "$WORK/nginx.pid")
ulimit -n 65536 2>/dev/null || true

# The bare baseline: the service's own embedded Tomcat, one plain servlet, the flag list's bytes,
# with the service's JVM settings.
TOMCAT=18083
# shellcheck disable=SC2086
java @src/main/jvm/jvm.options -cp "$WORK/app/lib/*" bench/BareTomcat.java $TOMCAT "$WORK/www/api/remediation/feature-flags" \
  > "$WORK/tomcat.log" 2>&1 &
until curl -sf -o /dev/null http://127.0.0.1:$TOMCAT/; do sleep 0.2; done

FLAGS=/api/remediation/feature-flags
SINGLE=/ofrep/v1/evaluate/flags/errorInjectionEnabled
BULK=/ofrep/v1/evaluate/flags
# read name -> wrk arguments after the URL
declare -A SCRIPT=([flags]="" [single]="-s bench/ofrep-single.lua" [bulk]="-s bench/ofrep-bulk.lua")
declare -A PATHS=([flags]=$FLAGS [single]=$SINGLE [bulk]=$BULK)
declare -A NAMES=([flags]="GET flags" [single]="OFREP single" [bulk]="OFREP bulk")

# Prints "req/s p50 p99 errors" of one wrk run; errors are non-2xx answers and socket errors.
wrk_run() { # connections seconds url [wrk args...]
  local connections=$1 seconds=$2 url=$3; shift 3
  wrk -t1 -c"$connections" -d"${seconds}s" --latency "$@" "$url" > "$WORK/wrk.txt"
  awk '/Requests\/sec/ {rps = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2}
       /Non-2xx/ {errors += $NF} /Socket errors/ {gsub(",", ""); errors += $4 + $6 + $8 + $10}
       END {printf "%s %s %s %d\n", rps, p50, p99, errors}' "$WORK/wrk.txt"
}

# One line of the table: nginx, the bare Tomcat (GET flags only), then the service, on the same
# read and connections. Sets s_rps for the caller.
row() { # read connections [label suffix]
  local read=$1 connections=$2 t_rps="" t_p99="" t_ratio=""
  # shellcheck disable=SC2086
  read -r n_rps n_p50 n_p99 n_err <<< "$(wrk_run "$connections" "$DURATION" "http://127.0.0.1:$NGINX${PATHS[$read]}" ${SCRIPT[$read]})"
  if [ "$read" = flags ]; then
    read -r t_rps _ t_p99 _ <<< "$(wrk_run "$connections" "$DURATION" "http://127.0.0.1:$TOMCAT${PATHS[$read]}")"
  fi
  # shellcheck disable=SC2086
  read -r s_rps s_p50 s_p99 s_err <<< "$(wrk_run "$connections" "$DURATION" "http://127.0.0.1:$SERVICE${PATHS[$read]}" ${SCRIPT[$read]})"
  [ -n "$t_rps" ] && t_ratio=$(awk -v a="$s_rps" -v b="$t_rps" 'BEGIN {printf "%.2f", a / b}')
  printf '| %-22s | %5s | %9.0f | %8s | %9s | %8s | %9.0f | %8s | %8s | %5.2f | %5s | %d / %d |\n' "${NAMES[$read]}${3:-}" "$connections" \
    "$n_rps" "$n_p99" "${t_rps%.*}" "$t_p99" "$s_rps" "$s_p50" "$s_p99" "$(awk -v a="$s_rps" -v b="$n_rps" 'BEGIN {print a / b}')" \
    "$t_ratio" "$n_err" "$s_err"
}
header() {
  echo "| read | connections | nginx req/s | nginx p99 | bare Tomcat req/s | bare Tomcat p99 | service req/s | service p50 | service p99 | × nginx | × bare Tomcat | errors nginx / service |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
}

# Every read is warmed up first, so the figures are of compiled code, not of the JIT at work.
echo "warm-up"
for read in flags flags flags single bulk; do
  # shellcheck disable=SC2086
  wrk_run 128 5 "http://127.0.0.1:$SERVICE${PATHS[$read]}" ${SCRIPT[$read]} > /dev/null
done
wrk_run 128 5 "http://127.0.0.1:$TOMCAT$FLAGS" > /dev/null
echo
header
declare -A RPS
for connections in $CONNECTION_COUNTS; do
  for read in flags single bulk; do
    row "$read" "$connections"
    RPS[$read]=$s_rps
  done
  echo "|  | $connections | OFREP single × GET flags: $(awk -v a="${RPS[single]}" -v b="${RPS[flags]}" 'BEGIN {printf "%.2f", a / b}'), OFREP bulk × GET flags: $(awk -v a="${RPS[bulk]}" -v b="${RPS[flags]}" 'BEGIN {printf "%.2f", a / b}') |"
done
echo
# The flagd source polled by 100 clients (flagd sidecars): between changes each poll is a 304.
ETAG=$(curl -sfI http://127.0.0.1:$SERVICE/api/remediation/flagd | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
read -r f_rps f_p50 f_p99 f_err <<< "$(wrk_run 100 "$DURATION" "http://127.0.0.1:$SERVICE/api/remediation/flagd" -H "If-None-Match: $ETAG")"
echo "flagd source, 100 pollers, 304 between changes: $f_rps req/s, p50 $f_p50, p99 $f_p99, $f_err errors"
read -r f_rps f_p50 f_p99 f_err <<< "$(wrk_run 100 "$DURATION" "http://127.0.0.1:$SERVICE/api/remediation/flagd")"
echo "flagd source, 100 pollers, whole document: $f_rps req/s, p50 $f_p50, p99 $f_p99, $f_err errors"
echo
sleep 10
echo "RSS 10 s after the reads: $(rss_mb) MB"

echo "start-up to first 200: ${startup_ms} ms"
echo
# The write path warms up first, as the reads did; its events are left out of the figures.
python3 bench/toggles.py $SERVICE 100 5 "$WORK/events.log" > /dev/null
: > "$WORK/events.log"
python3 bench/toggles.py $SERVICE 100 20 "$WORK/events.log"
sleep 10
echo "RSS after the toggles: $(rss_mb) MB"

# The change stream: idle subscribers held open while the flags are read, then one change. The
# service runs again with the issue's heap (256 MB for 10,000) and caps that let them all in: a
# new connection makes room once 9 in 10 of max-connections are open.
stop_service
STREAM_HEAP=${STREAM_HEAP:-256m}
SERVICE_ARGS="${SERVICE_ARGS:-} --remediation.stream.max-streams=$SUBSCRIBERS --server.tomcat.max-connections=$((SUBSCRIBERS * 5 / 4 + 1000))" \
  start_service -Xmx$STREAM_HEAP
wrk_run 128 5 "http://127.0.0.1:$SERVICE$FLAGS" > /dev/null
heap_after_gc_kb() {
  jcmd $SERVICE_PID GC.run >/dev/null
  jcmd $SERVICE_PID GC.heap_info | awk '/def new|tenured/ {for (i = 1; i <= NF; i++) if ($i == "used") {sub("K", "", $(i + 1)); kb += $(i + 1)}} END {print kb}'
}
heap_before=$(heap_after_gc_kb)
rss_before=$(rss_mb)
python3 bench/subscribers.py $SERVICE "$SUBSCRIBERS" "$WORK/subscribers.ready" "$WORK/subscribers.done" > "$WORK/subscribers.txt" &
SUBSCRIBERS_PID=$!
until [ -e "$WORK/subscribers.ready" ]; do
  kill -0 $SUBSCRIBERS_PID 2>/dev/null || { cat "$WORK/subscribers.txt"; exit 1; }
  sleep 0.2
done
echo
heap_with=$(heap_after_gc_kb)
awk -v n="$SUBSCRIBERS" -v heap="$STREAM_HEAP" -v b="$heap_before" -v w="$heap_with" -v rb="$rss_before" -v rw="$(rss_mb)" 'BEGIN {
  printf "%d idle change-stream subscribers (-Xmx%s): heap after GC %.1f -> %.1f MB (%.0f KB a stream), RSS %d -> %d MB\n",
    n, heap, b / 1024, w / 1024, (w - b) / n, rb, rw }'
header
row flags 128 ", $SUBSCRIBERS streams open"
touch "$WORK/subscribers.done"
wait $SUBSCRIBERS_PID
cat "$WORK/subscribers.txt"
# The service's own account of the change, without the Python client's reading in it.
curl -s http://127.0.0.1:$SERVICE/actuator/prometheus | awk '/^bizobs_stream_fanout_seconds_max/ {
  printf "written to every open stream in %.0f ms (bizobs.stream.fanout)\n", $2 * 1000 }'
