#!/usr/bin/env bash
# Start the single-node KRaft Kafka test broker (broker+controller, one JVM).
#
#   bash scripts/kafka/start.sh        # fetch jars if needed, format, start, wait
#
# Env: DORAFLOW_KAFKA_PORT (19092), DORAFLOW_KAFKA_CONTROLLER_PORT (19093),
#      DORAFLOW_VENDOR_DIR (<repo>/.vendor), KAFKA_HEAP_OPTS (-Xmx512m -Xms256m),
#      DORAFLOW_KAFKA_START_TIMEOUT (60 s).
# Idempotent: exits 0 at once when the broker from the pid file is up.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SRC="$ROOT/scripts/kafka"
VENDOR="${DORAFLOW_VENDOR_DIR:-$ROOT/.vendor}/kafka"
LIBS="$VENDOR/libs"
DATA="$VENDOR/data"
PROPS="$VENDOR/server.properties"
LOG4J="$VENDOR/log4j2.properties"
LOG="$VENDOR/server.log"
PIDFILE="$VENDOR/kafka.pid"
PORT="${DORAFLOW_KAFKA_PORT:-19092}"
CPORT="${DORAFLOW_KAFKA_CONTROLLER_PORT:-19093}"
TIMEOUT="${DORAFLOW_KAFKA_START_TIMEOUT:-60}"
HEAP="${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}"

log() { echo "[kafka] $*"; }
die() { echo "[kafka] ERROR: $*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# the pid in the pid file, if that process is still our broker (not a reused pid)
running_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid; pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  grep -qa 'kafka\.Kafka' "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

if pid="$(running_pid)" && port_open "$PORT"; then
  log "already running (pid $pid) on localhost:$PORT"
  exit 0
fi

command -v java >/dev/null || die "java not found (need Java 17+; scripts/services.sh up installs it)"
jv="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[[ "${jv%%.*}" -ge 17 ]] 2>/dev/null || die "Java 17+ needed by Kafka 4 (found '${jv:-?}')"

mkdir -p "$VENDOR"

# --- jars: fetch once per pom.xml content (stamp = sha256 of the pom) --------
stamp="$(sha256sum "$SRC/pom.xml" | cut -d' ' -f1)"
if [[ ! -f "$LIBS/.stamp" || "$(cat "$LIBS/.stamp")" != "$stamp" ]]; then
  command -v mvn >/dev/null || die "mvn not found (scripts/services.sh up installs it)"
  log "fetching broker jars from Maven Central into $LIBS"
  rm -rf "$LIBS.tmp"
  if ! mvn -B -Dstyle.color=never -f "$SRC/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$LIBS.tmp" -DincludeScope=runtime >"$VENDOR/mvn.log" 2>&1; then
    tail -n 40 "$VENDOR/mvn.log" >&2; die "mvn dependency:copy-dependencies failed (full log: $VENDOR/mvn.log)"
  fi
  rm -rf "$LIBS"; mv "$LIBS.tmp" "$LIBS"
  echo "$stamp" > "$LIBS/.stamp"
  # a broker of another version may not read the old log dir: start clean
  rm -rf "$DATA"
fi

# The jars come first even when reusing a broker: the fault tests start private brokers from them.
if port_open "$PORT"; then
  if [[ "${DORAFLOW_SERVICES_REUSE:-}" == 1 ]]; then
    log "WARNING: port $PORT answers but is not the broker in $PIDFILE; reusing it (DORAFLOW_SERVICES_REUSE=1)"
    exit 0
  fi
  die "port $PORT is taken by another process (not the broker in $PIDFILE; another checkout's broker?). Stop it, set DORAFLOW_KAFKA_PORT, or set DORAFLOW_SERVICES_REUSE=1 to use it as is"
fi


# --- config -------------------------------------------------------------------
sed -e "s|@KAFKA_PORT@|$PORT|g" -e "s|@CONTROLLER_PORT@|$CPORT|g" -e "s|@DATA_DIR@|$DATA|g" \
    "$SRC/server.properties" > "$PROPS"
cat > "$LOG4J" <<'L4J'
# written by scripts/kafka/start.sh; stdout goes to .vendor/kafka/server.log
status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.state.name = state.change.logger
logger.state.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.raft.name = org.apache.kafka.raft
logger.raft.level = WARN
logger.controller.name = org.apache.kafka.controller
logger.controller.level = WARN
logger.config.name = org.apache.kafka.common.config.AbstractConfig
logger.config.level = WARN
L4J

JAVA_OPTS=(-Djava.awt.headless=true -Dlog4j2.configurationFile="$LOG4J"
           -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError)

# --- format storage once ------------------------------------------------------
if [[ ! -f "$DATA/meta.properties" ]]; then
  rm -rf "$DATA"; mkdir -p "$DATA"
  cluster_id="$(java "${JAVA_OPTS[@]}" -cp "$LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)"
  [[ -n "$cluster_id" ]] || die "StorageTool random-uuid printed nothing"
  log "formatting $DATA (cluster id $cluster_id)"
  java "${JAVA_OPTS[@]}" -cp "$LIBS/*" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$PROPS" --ignore-formatted >"$VENDOR/format.log" 2>&1 \
    || { cat "$VENDOR/format.log" >&2; die "storage format failed"; }
fi

# --- start ---------------------------------------------------------------------
rm -f "$PIDFILE"
# keep one previous log, start a fresh one past 20 MB
if [[ -f "$LOG" ]] && (( $(stat -c %s "$LOG") > 20000000 )); then mv -f "$LOG" "$LOG.1"; fi
log "starting broker on localhost:$PORT (controller $CPORT), log $LOG"
# setsid: own session, so the broker outlives the calling shell / CI step.
# shellcheck disable=SC2086
setsid java $HEAP "${JAVA_OPTS[@]}" -cp "$LIBS/*" kafka.Kafka "$PROPS" \
  </dev/null >>"$LOG" 2>&1 &
pid=$!
echo "$pid" > "$PIDFILE"

deadline=$((SECONDS + TIMEOUT))
until port_open "$PORT"; do
  if ! kill -0 "$pid" 2>/dev/null; then
    tail -n 40 "$LOG" >&2; rm -f "$PIDFILE"; die "broker exited during startup"
  fi
  if (( SECONDS >= deadline )); then
    tail -n 40 "$LOG" >&2; die "broker did not open port $PORT within ${TIMEOUT}s (pid $pid still running)"
  fi
  sleep 0.5
done
# The listener opens once the broker has caught up with the metadata log; when
# kcat is around, also wait until it answers a metadata request.
if command -v kcat >/dev/null; then
  until kcat -b "localhost:$PORT" -L -m 5 >/dev/null 2>&1; do
    (( SECONDS >= deadline )) && { tail -n 40 "$LOG" >&2; die "broker does not answer metadata within ${TIMEOUT}s"; }
    sleep 0.5
  done
fi
log "up (pid $pid) in ${SECONDS}s"
