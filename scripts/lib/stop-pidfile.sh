#!/usr/bin/env bash
# Shared by the services' stop scripts: stop the process in a pid file, but only
# if it is still the program we started (its command line matches a pattern).
#   stop_pidfile PIDFILE CMDLINE_PATTERN
# Expects a `log` function from the caller.
stop_pidfile() {
  local pidfile="$1" pattern="$2" pid
  if [[ ! -f "$pidfile" ]]; then
    log "not running (no pid file)"
    return 0
  fi
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && grep -qa "$pattern" "/proc/$pid/cmdline" 2>/dev/null; then
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
  rm -f "$pidfile"
}
