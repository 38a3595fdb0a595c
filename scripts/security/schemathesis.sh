#!/usr/bin/env bash
# Fuzzes a live `doraflow serve` with schemathesis (PyPI) against its own
# OpenAPI description (/openapi.json): every route, the authenticated API with
# a token, webhooks signed by scripts/security/schemathesis_hooks.py.
#
#   bash scripts/security/schemathesis.sh            # CI: exits non-zero on any failure
#   MAX_EXAMPLES=200 bash scripts/security/schemathesis.sh
#
# Creates .vendor/venv when missing. Runs on a throwaway data directory and a
# free port; prints schemathesis's summary; stops the server on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

SCHEMATHESIS_VERSION=${SCHEMATHESIS_VERSION:-4.32.5}
MAX_EXAMPLES=${MAX_EXAMPLES:-300}
# A hard stop for CI (seconds); schemathesis's --max-time would keep fuzzing until it is spent.
TIME_LIMIT=${TIME_LIMIT:-290}
# JSON Schema cannot say "from before to", "at most 5000 buckets" or "an IANA timezone name":
# a schema-valid query may be rightly refused with 400, so "schema-valid request accepted" is not
# checked. Every other check runs, negative_data_rejection included.
EXCLUDE_CHECKS=${EXCLUDE_CHECKS-positive_data_acceptance}
VENV=$ROOT/.vendor/venv

if [ ! -x "$VENV/bin/schemathesis" ]; then
  echo "== creating $VENV and installing schemathesis $SCHEMATHESIS_VERSION"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
echo "== $("$VENV/bin/schemathesis" --version)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/doraflow-fuzz.XXXXXX")
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
export DORAFLOW_FUZZ_API_TOKEN="fuzz-api-$(node -e 'console.log(require("crypto").randomBytes(12).toString("hex"))')"
export DORAFLOW_FUZZ_ADMIN_TOKEN="fuzz-admin-$(node -e 'console.log(require("crypto").randomBytes(12).toString("hex"))')"
export DORAFLOW_FUZZ_GITHUB_SECRET="fuzz-gh-$RANDOM$RANDOM"
export DORAFLOW_FUZZ_PAGERDUTY_SECRET="fuzz-pd-$RANDOM$RANDOM"
cat >"$WORK/doraflow.yaml" <<YAML
server:
  port: $PORT
  host: 127.0.0.1
  # The fuzzer is one client sending as fast as it can: keep the limits out of its way.
  rateLimit: { requestsPerSecond: 0 }
log:
  path: $WORK/data/log
clickhouse:
  path: $WORK/data/clickhouse
imports:
  path: $WORK/data/imports
api:
  tokens: [\${DORAFLOW_FUZZ_API_TOKEN}]
  adminTokens: [\${DORAFLOW_FUZZ_ADMIN_TOKEN}]
events:
  tokens: [\${DORAFLOW_FUZZ_API_TOKEN}]
github:
  webhookSecrets: [\${DORAFLOW_FUZZ_GITHUB_SECRET}]
pagerduty:
  webhookSecrets: [\${DORAFLOW_FUZZ_PAGERDUTY_SECRET}]
services:
  - name: checkout
    team: payments
    repositories: [acme/checkout]
    pagerdutyServices: [PCHECK]
YAML

SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== starting doraflow serve on 127.0.0.1:$PORT (data in $WORK)"
DORAFLOW_LOG_LEVEL=${DORAFLOW_LOG_LEVEL:-warn} node bin/doraflow.js serve --config "$WORK/doraflow.yaml" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "doraflow serve exited:"; cat "$WORK/server.log"; exit 1; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null

# fuzz LABEL TOKEN [schemathesis options…]: one schemathesis run with that bearer token.
fuzz() {
  local label=$1 token=$2
  shift 2
  echo "== schemathesis run: $label (max $MAX_EXAMPLES examples per operation and phase, at most ${TIME_LIMIT}s; excluded checks: ${EXCLUDE_CHECKS:-none})"
  SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH="$ROOT/scripts/security" \
    timeout --signal=INT "$TIME_LIMIT" "$VENV/bin/schemathesis" run "http://127.0.0.1:$PORT/openapi.json" \
    --checks all \
    ${EXCLUDE_CHECKS:+--exclude-checks "$EXCLUDE_CHECKS"} \
    --header "Authorization: Bearer $token" \
    --header "X-Hub-Signature-256: sign-me" \
    --header "X-PagerDuty-Signature: sign-me" \
    --max-examples "$MAX_EXAMPLES" \
    --request-timeout 20 \
    --seed "${SEED:-20260701}" \
    --workers 1 \
    --report junit --report-dir "$ROOT/.vendor/schemathesis-report" \
    "$@"
}
set +e
# Every route with a read token: the admin operations answer 403 there (documented).
fuzz "every route, read-only API token" "$DORAFLOW_FUZZ_API_TOKEN" "$@"
STATUS=$?
if [ "$STATUS" = 0 ]; then
  # The admin operations again with the admin token, so their bodies and ids are fuzzed too.
  fuzz "admin operations, admin token" "$DORAFLOW_FUZZ_ADMIN_TOKEN" \
    --include-operation-id addAnnotation --include-operation-id removeAnnotation --include-operation-id startReplay "$@"
  STATUS=$?
fi
set -e
if [ "$STATUS" = 124 ] || [ "$STATUS" = 130 ]; then echo "!! schemathesis did not finish within ${TIME_LIMIT}s"; fi

# The server must have survived the whole run.
if ! curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null; then
  echo "!! doraflow serve did not survive the run; its log:"; tail -n 50 "$WORK/server.log"; exit 1
fi
# Whatever the fuzzer got accepted must also get processed: an input ClickHouse refuses would
# stall the processor on its batch for ever while every HTTP answer still looks fine.
echo "== the processor after the run (every accepted event processed within 120 s?)"
LAG=
for _ in $(seq 1 240); do
  LAG=$(curl -fsS "http://127.0.0.1:$PORT/metrics" | awk '/^doraflow_processor_lag_events /{print $2}')
  [ "$LAG" = 0 ] && break
  sleep 0.5
done
if [ "$LAG" = 0 ]; then
  echo "   lag 0: every accepted event is in ClickHouse (or a dead letter)"
else
  echo "!! the processor is stuck with $LAG events unprocessed; /readyz says:"
  curl -sS "http://127.0.0.1:$PORT/readyz" | sed 's/^/   /'; echo
  STATUS=1
fi
echo "== what the server answered to ingest (doraflow_ingest_requests_total by source and status):"
curl -fsS "http://127.0.0.1:$PORT/metrics" | grep '^doraflow_ingest_requests_total' | sed 's/^/   /' || true
if grep -q '"level":50\|"level":60' "$WORK/server.log"; then
  echo "== server errors logged during the run:"; grep '"level":50\|"level":60' "$WORK/server.log" | head -n 20
fi
exit $STATUS
