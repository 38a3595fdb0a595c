#!/usr/bin/env bash
# Stop the test ClickHouse server started by scripts/clickhouse-server/start.sh.
#   bash scripts/clickhouse-server/stop.sh [--purge]   # --purge also deletes data+logs
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENDOR="${DORAFLOW_VENDOR_DIR:-$ROOT/.vendor}/clickhouse-server"
PIDFILE="$VENDOR/clickhouse-server.pid"

log() { echo "[clickhouse] $*"; }

# shellcheck source=../lib/stop-pidfile.sh
source "$ROOT/scripts/lib/stop-pidfile.sh"
stop_pidfile "$PIDFILE" 'clickhouse-server'

if [[ "${1:-}" == "--purge" ]]; then
  log "purging $VENDOR/data and $VENDOR/logs"
  rm -rf "$VENDOR/data" "$VENDOR/logs"
fi
