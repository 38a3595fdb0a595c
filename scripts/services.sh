#!/usr/bin/env bash
# Install and run the real services the scale-out tests need:
#   - Kafka broker, KRaft single node          localhost:19092 (controller 19093)
#   - ClickHouse server (Debian 18.16)         http://localhost:18123 (native 19000)
#   - kcat, for the tests' CLI checks
#
#   bash scripts/services.sh up       # install what is missing, start what is down, wait
#   bash scripts/services.sh down     # stop both (data kept under .vendor/)
#   bash scripts/services.sh purge    # stop both and delete their data
#   bash scripts/services.sh status   # exit 0 only when both answer
#
# Idempotent: a second `up` installs nothing and starts nothing that runs.
# Installs with apt-get (root, or sudo) and Maven Central (broker jars into
# .vendor/kafka/libs). Tests find the services through
# DORAFLOW_TEST_KAFKA_BROKERS / DORAFLOW_TEST_CLICKHOUSE_URL (test/helpers/services.ts).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { echo "[services] $*"; }
die() { echo "[services] ERROR: $*" >&2; exit 1; }

KAFKA_PORT="${DORAFLOW_KAFKA_PORT:-19092}"
CH_HTTP_PORT="${DORAFLOW_CLICKHOUSE_HTTP_PORT:-18123}"

java_ok() {
  command -v java >/dev/null || return 1
  local v; v="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [[ "${v%%.*}" -ge 17 ]] 2>/dev/null
}

install_packages() {
  local pkgs=()
  java_ok || pkgs+=(default-jre-headless)            # bookworm: OpenJDK 17
  command -v mvn >/dev/null || pkgs+=(maven)
  command -v curl >/dev/null || pkgs+=(curl ca-certificates)
  command -v kcat >/dev/null || command -v kafkacat >/dev/null || pkgs+=(kcat)
  command -v clickhouse-server >/dev/null || pkgs+=(clickhouse-server)
  command -v clickhouse-client >/dev/null || pkgs+=(clickhouse-client)
  command -v setsid >/dev/null || pkgs+=(util-linux)
  if ((${#pkgs[@]} == 0)); then
    log "packages: all present"
    return 0
  fi
  local sudo=""
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || die "missing packages (${pkgs[*]}) and not root: install them, or run as root"
    sudo="sudo"
  fi
  log "apt-get install ${pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  local aptlog; aptlog="$(mktemp)"
  if ! { $sudo apt-get update -q && $sudo apt-get install -y -q --no-install-recommends "${pkgs[@]}"; } >"$aptlog" 2>&1; then
    tail -n 40 "$aptlog" >&2; rm -f "$aptlog"; die "apt-get failed"
  fi
  rm -f "$aptlog"
  java_ok || die "Java 17+ still not found after install"
}

kafka_up() { (exec 3<>"/dev/tcp/127.0.0.1/$KAFKA_PORT") 2>/dev/null; }
clickhouse_up() { [[ "$(curl -fsS --max-time 2 "http://127.0.0.1:$CH_HTTP_PORT/ping" 2>/dev/null)" == Ok.* ]]; }

status() {
  local rc=0
  if kafka_up; then log "kafka:      up   localhost:$KAFKA_PORT (pid $(cat .vendor/kafka/kafka.pid 2>/dev/null || echo '?'))"
  else log "kafka:      DOWN localhost:$KAFKA_PORT"; rc=1; fi
  if command -v curl >/dev/null && clickhouse_up; then
    log "clickhouse: up   http://localhost:$CH_HTTP_PORT (pid $(cat .vendor/clickhouse-server/clickhouse-server.pid 2>/dev/null || echo '?'))"
  else log "clickhouse: DOWN http://localhost:$CH_HTTP_PORT"; rc=1; fi
  if command -v kcat >/dev/null || command -v kafkacat >/dev/null; then log "kcat:       installed"
  else log "kcat:       MISSING"; rc=1; fi
  return $rc
}

case "${1:-}" in
  up)
    start=$SECONDS
    install_packages
    DORAFLOW_APT_UPDATED=1 bash scripts/clickhouse-server/install.sh
    bash scripts/kafka/start.sh
    bash scripts/clickhouse-server/start.sh
    status
    log "up in $((SECONDS - start))s"
    ;;
  down)
    bash scripts/kafka/stop.sh
    bash scripts/clickhouse-server/stop.sh
    ;;
  purge)
    bash scripts/kafka/stop.sh --purge
    bash scripts/clickhouse-server/stop.sh --purge
    ;;
  status)
    status
    ;;
  *)
    echo "usage: bash scripts/services.sh up|down|purge|status" >&2
    exit 2
    ;;
esac
