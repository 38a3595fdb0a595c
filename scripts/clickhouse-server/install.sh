#!/usr/bin/env bash
# Install the ClickHouse server + client from Debian's archive (bookworm ships
# 18.16.1 -- very old; see scripts/clickhouse-server/README.md for what that
# server can and cannot do with @clickhouse/client). Needs root (or sudo).
# Idempotent: does nothing when both binaries are already installed.
set -euo pipefail

log() { echo "[clickhouse] $*"; }

if command -v clickhouse-server >/dev/null && command -v clickhouse-client >/dev/null; then
  log "already installed: $(dpkg-query -W -f='${Version}' clickhouse-server 2>/dev/null || echo '?')"
  exit 0
fi

SUDO=""
if [[ "$(id -u)" != 0 ]]; then
  command -v sudo >/dev/null || { echo "[clickhouse] ERROR: need root or sudo to apt-get install clickhouse-server" >&2; exit 1; }
  SUDO="sudo"
fi

# The packaged postinst may try to start the system service (port 8123/9000);
# in containers/CI there is no init, and we run our own instance anyway.
export DEBIAN_FRONTEND=noninteractive
aptlog="$(mktemp)"
trap 'rm -f "$aptlog"' EXIT
if [[ "${DORAFLOW_APT_UPDATED:-}" != 1 ]]; then
  log "apt-get update"
  $SUDO apt-get update -q >"$aptlog" 2>&1 || { tail -n 40 "$aptlog" >&2; exit 1; }
fi
log "apt-get install clickhouse-server clickhouse-client"
$SUDO apt-get install -y -q --no-install-recommends clickhouse-server clickhouse-client >"$aptlog" 2>&1 \
  || { tail -n 40 "$aptlog" >&2; exit 1; }
log "installed: $(dpkg-query -W -f='${Version}' clickhouse-server)"
