# Sourced by run.sh, memory.sh and soak.sh: builds the jar and starts it as the container runs it
# (extracted, on the context prepared at build time, with a class-data sharing archive from a
# training run and the shipped JVM settings), with the Dynatrace stand-in on $DOUBLE, any $JVM_ARGS
# and any $SERVICE_ARGS. Sets SERVICE_PID, WORK, startup_ms and rss_mb, and start_service and
# stop_service to start it again otherwise; stops all on exit.
SERVICE=18080 NGINX=18081 DOUBLE=18082
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; [ -n "${NGINX_PID:-}" ] && kill "$NGINX_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

need() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need wrk wrk

./mvnw -B -q package -DskipTests
java -Djarmode=tools -jar "$(ls target/bizobs-remediation-*.jar | head -n 1)" extract --destination "$WORK/app" >/dev/null
JAR=$(ls "$WORK"/app/*.jar)
java @src/main/jvm/jvm.options -Dspring.aot.enabled=true -XX:ArchiveClassesAtExit="$WORK/app.jsa" -Dspring.context.exit=onRefresh \
  -jar "$JAR" --remediation.data-dir="$WORK/training" --server.port=0 >/dev/null 2>&1

touch "$WORK/events.log"
python3 bench/dynatrace_double.py $DOUBLE "$WORK/events.log" &
sleep 0.5
kill -0 $! 2>/dev/null || { echo "the Dynatrace stand-in could not start: is port $DOUBLE taken?"; exit 1; }

# The loop guard stays on, at 1,000 changes a second, so that the toggles at 100/s pass it.
# start_service [extra JVM options]: $JVM_ARGS and these come after the shipped settings, so
# they may override them; $SERVICE_ARGS go to the application.
start_service() {
  local start_ns
  start_ns=$(date +%s%N)
  # shellcheck disable=SC2086
  REMEDIATION_DATA_DIR="$WORK/data" DT_ENVIRONMENT=http://127.0.0.1:$DOUBLE DT_API_TOKEN=dt0c01.BENCH \
    java @src/main/jvm/jvm.options -Dspring.aot.enabled=true -XX:SharedArchiveFile="$WORK/app.jsa" ${JVM_ARGS:-} "$@" \
    -jar "$JAR" --server.port=$SERVICE --remediation.guard.max-changes=1000 --remediation.guard.window=1s ${SERVICE_ARGS:-} \
    >"$WORK/service.log" 2>&1 &
  SERVICE_PID=$!
  until curl -sf -o /dev/null http://127.0.0.1:$SERVICE/api/remediation/feature-flags; do
    kill -0 $SERVICE_PID 2>/dev/null || { cat "$WORK/service.log"; exit 1; }
    sleep 0.05
  done
  startup_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
}
stop_service() {
  kill $SERVICE_PID
  while kill -0 $SERVICE_PID 2>/dev/null; do sleep 0.1; done
}
start_service

rss_mb() { awk '/VmRSS/ {printf "%d", $2 / 1024}' /proc/$SERVICE_PID/status; }
