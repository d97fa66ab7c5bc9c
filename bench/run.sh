#!/usr/bin/env bash
# The read and write benchmark of docs/benchmarks.md. Loopback only; every load is bounded in time.
#   bench/run.sh [seconds per read run, default 10] [connections, default 32]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
CONNECTIONS=${2:-32}
source bench/service.sh
need nginx nginx-light

# nginx serves the very same JSON as a static file.
mkdir -p "$WORK/www/api/remediation"
curl -s http://127.0.0.1:$SERVICE/api/remediation/feature-flags > "$WORK/www/api/remediation/feature-flags"
# nginx's workers run as nobody: without this they answer 403 to every request.
chmod a+x "$WORK" && chmod -R a+rX "$WORK/www"
cat > "$WORK/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  server { listen 127.0.0.1:$NGINX; root $WORK/www; }
}
CONF
nginx -c "$WORK/nginx.conf" -p "$WORK"
NGINX_PID=$(cat "$WORK/nginx.pid")

bench() { # name url [wrk args...]
  local name=$1 url=$2; shift 2
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url" > "$WORK/wrk.txt"
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")
  errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$WORK/wrk.txt")
  printf '%-34s %10s req/s   p50 %8s   p99 %8s   errors %s\n' "$name" "$rps" "$p50" "$p99" "$errors"
  echo "$rps"  > "$WORK/last.rps"
}

# Every read is warmed up first, so the figures are of compiled code, not of the JIT at work.
echo "warm-up"
ETAG=$(curl -sI http://127.0.0.1:$SERVICE/api/remediation/feature-flags | awk -F': ' 'tolower($1) == "etag" {print $2}' | tr -d '\r')
warm() { wrk -t2 -c"$CONNECTIONS" -d5s "$@" >/dev/null; }
# The flag list runs through the whole security filter chain: its code takes longer to compile.
warm http://127.0.0.1:$SERVICE/api/remediation/feature-flags
warm http://127.0.0.1:$SERVICE/api/remediation/feature-flags
warm http://127.0.0.1:$SERVICE/api/remediation/feature-flags
warm http://127.0.0.1:$SERVICE/api/remediation/feature-flags -H "If-None-Match: $ETAG"
warm http://127.0.0.1:$SERVICE/ofrep/v1/evaluate/flags/errorInjectionEnabled -s bench/ofrep-single.lua
warm http://127.0.0.1:$SERVICE/ofrep/v1/evaluate/flags -s bench/ofrep-bulk.lua
echo
for round in 1 2; do
  bench "nginx static file" http://127.0.0.1:$NGINX/api/remediation/feature-flags; nginx_rps=$(cat "$WORK/last.rps")
  bench "GET flags" http://127.0.0.1:$SERVICE/api/remediation/feature-flags; rps=$(cat "$WORK/last.rps"); rss=$(rss_mb)
  awk -v a="$rps" -v b="$nginx_rps" -v rss="$rss" 'BEGIN {printf "%-34s %10.0f %%  (RSS under load %s MB)\n", "  ratio to nginx", 100 * a / b, rss}'
done
bench "GET flags, If-None-Match (304)" http://127.0.0.1:$SERVICE/api/remediation/feature-flags -H "If-None-Match: $ETAG"
bench "OFREP single" http://127.0.0.1:$SERVICE/ofrep/v1/evaluate/flags/errorInjectionEnabled -s bench/ofrep-single.lua
bench "OFREP bulk" http://127.0.0.1:$SERVICE/ofrep/v1/evaluate/flags -s bench/ofrep-bulk.lua
echo "RSS after reads: $(rss_mb) MB"
echo
echo "start-up to first 200: ${startup_ms} ms"
echo
# The write path warms up first, as the reads did; its events are left out of the figures.
python3 bench/toggles.py $SERVICE 100 5 "$WORK/events.log" > /dev/null
: > "$WORK/events.log"
python3 bench/toggles.py $SERVICE 100 20 "$WORK/events.log"
echo "RSS after toggles: $(rss_mb) MB"
