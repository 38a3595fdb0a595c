#!/usr/bin/env bash
# Start a private ClickHouse server for the tests (not the system service):
# config, data and logs under .vendor/clickhouse-server/, HTTP on 18123,
# native TCP on 19000, no interserver port, localhost only. Runs in the
# background with a pid file and waits for GET /ping -> "Ok.".
#
# Env: DORAFLOW_CLICKHOUSE_HTTP_PORT (18123), DORAFLOW_CLICKHOUSE_TCP_PORT (19000),
#      DORAFLOW_VENDOR_DIR (<repo>/.vendor), DORAFLOW_CLICKHOUSE_START_TIMEOUT (60 s).
# Users: default (no password, localhost only) and doraflow / doraflow-test.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENDOR="${DORAFLOW_VENDOR_DIR:-$ROOT/.vendor}/clickhouse-server"
CONF="$VENDOR/config"
DATA="$VENDOR/data"
LOGS="$VENDOR/logs"
PIDFILE="$VENDOR/clickhouse-server.pid"
HTTP_PORT="${DORAFLOW_CLICKHOUSE_HTTP_PORT:-18123}"
TCP_PORT="${DORAFLOW_CLICKHOUSE_TCP_PORT:-19000}"
TIMEOUT="${DORAFLOW_CLICKHOUSE_START_TIMEOUT:-60}"

log() { echo "[clickhouse] $*"; }
die() { echo "[clickhouse] ERROR: $*" >&2; exit 1; }

ping_ok() {
  local body
  body="$(curl -fsS --max-time 2 "http://127.0.0.1:$HTTP_PORT/ping" 2>/dev/null)" || return 1
  [[ "$body" == Ok.* ]]
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# the pid in the pid file, if that process is still our server (not a reused pid)
running_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid; pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  grep -qa 'clickhouse-server' "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

command -v curl >/dev/null || die "curl not found (scripts/services.sh up installs it)"
BIN="$(command -v clickhouse-server || true)"
[[ -n "$BIN" ]] || die "clickhouse-server not installed: run scripts/clickhouse-server/install.sh"

if pid="$(running_pid)" && ping_ok; then
  log "already running (pid $pid) on http://localhost:$HTTP_PORT"
  exit 0
fi
if [[ "${DORAFLOW_SERVICES_REUSE:-}" == 1 ]] && ping_ok; then
  log "WARNING: port $HTTP_PORT answers /ping but is not the server in $PIDFILE; reusing it (DORAFLOW_SERVICES_REUSE=1)"
  exit 0
fi
for p in "$HTTP_PORT" "$TCP_PORT"; do
  if port_open "$p"; then
    die "port $p is taken by another process (not the server in $PIDFILE; another checkout's server?). Stop it, set DORAFLOW_CLICKHOUSE_HTTP_PORT/_TCP_PORT, or set DORAFLOW_SERVICES_REUSE=1 to use it as is"
  fi
done

mkdir -p "$CONF" "$DATA/tmp" "$DATA/user_files" "$LOGS"

# --- config (rewritten on every start; data survives) -----------------------
cat > "$CONF/config.xml" <<XML
<?xml version="1.0"?>
<!-- written by scripts/clickhouse-server/start.sh -->
<yandex>
    <logger>
        <level>information</level>
        <log>$LOGS/clickhouse-server.log</log>
        <errorlog>$LOGS/clickhouse-server.err.log</errorlog>
        <size>100M</size>
        <count>3</count>
    </logger>
    <http_port>$HTTP_PORT</http_port>
    <tcp_port>$TCP_PORT</tcp_port>
    <!-- no interserver_http_port: single node, no replication -->
    <listen_host>127.0.0.1</listen_host>
    <listen_host>::1</listen_host>
    <!-- do not fail when ::1 is unavailable (IPv6 off in some containers) -->
    <listen_try>1</listen_try>
    <max_connections>1024</max_connections>
    <keep_alive_timeout>10</keep_alive_timeout>
    <max_concurrent_queries>100</max_concurrent_queries>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
    <mark_cache_size>268435456</mark_cache_size>
    <path>$DATA/</path>
    <tmp_path>$DATA/tmp/</tmp_path>
    <user_files_path>$DATA/user_files/</user_files_path>
    <users_config>users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mlock_executable>false</mlock_executable>
    <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
    <max_session_timeout>3600</max_session_timeout>
    <default_session_timeout>60</default_session_timeout>
    <query_log>
        <database>system</database>
        <table>query_log</table>
        <partition_by>toYYYYMM(event_date)</partition_by>
        <flush_interval_milliseconds>7500</flush_interval_milliseconds>
    </query_log>
</yandex>
XML

cat > "$CONF/users.xml" <<'XML'
<?xml version="1.0"?>
<!-- written by scripts/clickhouse-server/start.sh: test-only credentials -->
<yandex>
    <profiles>
        <default>
            <max_memory_usage>2000000000</max_memory_usage>
            <use_uncompressed_cache>0</use_uncompressed_cache>
            <load_balancing>random</load_balancing>
        </default>
        <readonly>
            <readonly>1</readonly>
        </readonly>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks>
                <ip>::1</ip>
                <ip>127.0.0.1</ip>
            </networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
        <doraflow>
            <password>doraflow-test</password>
            <networks>
                <ip>::1</ip>
                <ip>127.0.0.1</ip>
            </networks>
            <profile>default</profile>
            <quota>default</quota>
        </doraflow>
    </users>
    <quotas>
        <default>
            <interval>
                <duration>3600</duration>
                <queries>0</queries>
                <errors>0</errors>
                <result_rows>0</result_rows>
                <read_rows>0</read_rows>
                <execution_time>0</execution_time>
            </interval>
        </default>
    </quotas>
</yandex>
XML

# --- start --------------------------------------------------------------------
rm -f "$PIDFILE"
log "starting clickhouse-server $(dpkg-query -W -f='${Version}' clickhouse-server 2>/dev/null || true) on http://localhost:$HTTP_PORT (native $TCP_PORT)"
# Foreground mode under setsid (own session, outlives the calling shell); the
# server writes its own pid file too, but we record the pid we launched.
( cd "$VENDOR" && exec setsid "$BIN" --config-file="$CONF/config.xml" \
    </dev/null >>"$LOGS/stdout.log" 2>&1 ) &
pid=$!
echo "$pid" > "$PIDFILE"

deadline=$((SECONDS + TIMEOUT))
until ping_ok; do
  if ! kill -0 "$pid" 2>/dev/null; then
    tail -n 30 "$LOGS/stdout.log" "$LOGS/clickhouse-server.err.log" 2>/dev/null >&2 || true
    rm -f "$PIDFILE"; die "server exited during startup"
  fi
  if (( SECONDS >= deadline )); then
    tail -n 30 "$LOGS/clickhouse-server.err.log" 2>/dev/null >&2 || true
    die "no 'Ok.' from /ping within ${TIMEOUT}s (pid $pid still running)"
  fi
  sleep 0.3
done
log "up (pid $pid) in ${SECONDS}s"
