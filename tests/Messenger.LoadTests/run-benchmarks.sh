#!/usr/bin/env bash
# The issue-8 benchmark: the messenger host and the bare relay each pinned to core 0, the load tool on core 1.
# Usage: tests/Messenger.LoadTests/run-benchmarks.sh [pairs group reconnect connections sweep]
# SWEEP_RATES / SWEEP_DURATION change the sweep; PAIRS_USERS / PAIRS_RATE / PAIRS_DURATION the pairs run;
# CONNECTIONS / CONNECTIONS_DURATION the connections run; SKIP_BUILD=1 skips the Release builds.
# BEFORE=<another checkout>: its host runs too (pinned like this one), and every scenario is run against it as well
# (<scenario>-before), so before and after are compared with the same relay in one invocation.
# FAST_REGISTER=1: the hosts hash new passwords with 1,000 PBKDF2 rounds (Development only) so that setting up
# thousands of users on one pinned core takes seconds rather than minutes; registration is never what is measured.
# Writes <scenario>.json and <scenario>.txt to $OUT (default /tmp/messenger-bench) and the sweep chart to $CHART.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-/tmp/messenger-bench}
CHART=${CHART:-$OUT/latency-vs-load.png}
PORT=${PORT:-18080}
RELAY_PORT=${RELAY_PORT:-19090}
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -eq 0 ] && SCENARIOS=(pairs group reconnect connections sweep)
mkdir -p "$OUT"

if [ -z "${SKIP_BUILD:-}" ]; then
  dotnet build "$ROOT/apps/Messenger.Standalone" -c Release -v q -nologo
  dotnet build "$ROOT/tests/Messenger.LoadTests" -c Release -v q -nologo
  [ -n "${BEFORE:-}" ] && dotnet build "$BEFORE/apps/Messenger.Standalone" -c Release -v q -nologo
fi
HOST_DLL=$ROOT/apps/Messenger.Standalone/bin/Release/net10.0/Messenger.Standalone.dll
TOOL_DLL=$ROOT/tests/Messenger.LoadTests/bin/Release/net10.0/Messenger.LoadTests.dll

HOST_ENV=(ASPNETCORE_URLS=http://127.0.0.1:$PORT Messenger__RateLimits__Enabled=false)
[ -n "${FAST_REGISTER:-}" ] && HOST_ENV+=(ASPNETCORE_ENVIRONMENT=Development Messenger__Auth__PasswordIterations=1000)
DATA=$(mktemp -d)
env "${HOST_ENV[@]}" Messenger__DataDir=$DATA \
  taskset -c 0 dotnet "$HOST_DLL" > "$OUT/messenger.log" 2>&1 &
HOST_PID=$!
taskset -c 0 dotnet "$TOOL_DLL" relay --port "$RELAY_PORT" --lifetime 7200 > "$OUT/relay.log" 2>&1 &
RELAY_PID=$!
BEFORE_PORT=$((PORT + 1))
BEFORE_PID=
BEFORE_DATA=$(mktemp -d)
if [ -n "${BEFORE:-}" ]; then
  env "${HOST_ENV[@]}" ASPNETCORE_URLS=http://127.0.0.1:$BEFORE_PORT Messenger__DataDir=$BEFORE_DATA \
    taskset -c 0 dotnet "$BEFORE/apps/Messenger.Standalone/bin/Release/net10.0/Messenger.Standalone.dll" > "$OUT/before.log" 2>&1 &
  BEFORE_PID=$!
fi
trap 'kill $HOST_PID $RELAY_PID $BEFORE_PID 2>/dev/null || true; rm -rf "$DATA" "$BEFORE_DATA"' EXIT

for url in "http://127.0.0.1:$PORT/healthz" "http://127.0.0.1:$RELAY_PORT/healthz" ${BEFORE:+"http://127.0.0.1:$BEFORE_PORT/healthz"}; do
  for _ in $(seq 1 60); do curl -sf "$url" > /dev/null && break; sleep 0.5; done
done

run() {
  local name=$1 port=$2 pid=$3; shift 3
  echo "== $name: load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/$name.txt"
  taskset -c 1 dotnet "$TOOL_DLL" "$@" --url "http://127.0.0.1:$port" --server-pid "$pid" --out "$OUT/$name.json" \
    2>&1 | tee -a "$OUT/$name.txt" || true
}

tool() {
  local name=$1; shift
  run "$name" "$PORT" "$HOST_PID" "$@"
  [ -n "$BEFORE_PID" ] && run "$name-before" "$BEFORE_PORT" "$BEFORE_PID" "$@"
  return 0
}
baseline=(--baseline --baseline-url "http://127.0.0.1:$RELAY_PORT" --baseline-pid "$RELAY_PID")

for scenario in "${SCENARIOS[@]}"; do
  case $scenario in
    pairs) tool pairs pairs --users "${PAIRS_USERS:-1000}" --rate "${PAIRS_RATE:-8000}" --duration "${PAIRS_DURATION:-30}" "${baseline[@]}" ;;
    group) tool group group --users 500 --rate 20 --duration 30 --senders 10 "${baseline[@]}" ;;
    reconnect) tool reconnect reconnect --users 1000 --senders 100 --messages 5 --rate 2000 ;;
    connections) tool connections connections --connections "${CONNECTIONS:-19000}" --source-addresses 4 --duration "${CONNECTIONS_DURATION:-60}" "${baseline[@]}" ;;
    sweep) tool sweep sweep --users 1000 --rates "${SWEEP_RATES:-500,1000,2000,4000,8000}" --duration "${SWEEP_DURATION:-10}" --chart "$CHART" "${baseline[@]}" ;;
    *) echo "unknown scenario $scenario" >&2; exit 2 ;;
  esac
done
