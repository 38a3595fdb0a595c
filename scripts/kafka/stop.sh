#!/usr/bin/env bash
# Stop the test broker started by scripts/kafka/start.sh.
#   bash scripts/kafka/stop.sh [--purge]   # --purge also deletes its data dir
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENDOR="${DORAFLOW_VENDOR_DIR:-$ROOT/.vendor}/kafka"
PIDFILE="$VENDOR/kafka.pid"

log() { echo "[kafka] $*"; }

if [[ -f "$PIDFILE" ]]; then
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  # only signal the process we started: the pid must still run our command line
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null \
     && grep -qa 'kafka\.Kafka' "/proc/$pid/cmdline" 2>/dev/null; then
    log "stopping pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      log "still running after 30s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  else
    log "not running (stale pid file: pid $pid is gone or is another program)"
  fi
  rm -f "$PIDFILE"
else
  log "not running (no pid file)"
fi

if [[ "${1:-}" == "--purge" ]]; then
  log "purging $VENDOR/data"
  rm -rf "$VENDOR/data"
fi
