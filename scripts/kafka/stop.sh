#!/usr/bin/env bash
# Stop the test broker started by scripts/kafka/start.sh.
#   bash scripts/kafka/stop.sh [--purge]   # --purge also deletes its data dir
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENDOR="${DORAFLOW_VENDOR_DIR:-$ROOT/.vendor}/kafka"
PIDFILE="$VENDOR/kafka.pid"

log() { echo "[kafka] $*"; }

# shellcheck source=../lib/stop-pidfile.sh
source "$ROOT/scripts/lib/stop-pidfile.sh"
stop_pidfile "$PIDFILE" 'kafka\.Kafka'

if [[ "${1:-}" == "--purge" ]]; then
  log "purging $VENDOR/data"
  rm -rf "$VENDOR/data"
fi
