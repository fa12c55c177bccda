#!/usr/bin/env bash
# Issue 14's figure: send -> deliver in Dapr mode. dapr.yaml's apps run as separate processes (Release builds) beside
# the sidecar double, started by its runner; the load tool's pairs go through the edge, which spreads the WebSockets
# over both gateways. The one-process host at the same rate is the baseline of the same invocation.
# Prints, per run: the load tool's table; CPU per message of every process (the double included) over the main phase
# (registration and warm-up left out); the double's operations per message; the double's own time per hop.
# Usage: tests/Messenger.LoadTests/run-dapr-benchmark.sh
#   RATE (500) DURATION (20) USERS (100) OUT (/tmp/messenger-dapr-bench) SKIP_BUILD=1
#   BEFORE=<another checkout>: also runs that checkout's apps (its dapr.yaml) beside this checkout's double.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-/tmp/messenger-dapr-bench}
RATE=${RATE:-500}
DURATION=${DURATION:-20}
USERS=${USERS:-100}
mkdir -p "$OUT"
# Every process here (the apps, the double, the tool, the one-process host) shares two cores: a thread-pool worker that
# spins waiting for work takes CPU from a process that has work. dapr.yaml sets the same for the apps.
export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=${DOTNET_ThreadPool_UnfairSemaphoreSpinLimit-0}
# shellcheck source=tests/Messenger.LoadTests/dapr-run.sh
source "$ROOT/tests/Messenger.LoadTests/dapr-run.sh"

if [ -z "${SKIP_BUILD:-}" ]; then
  build_dapr_apps "$ROOT"
  [ -n "${BEFORE:-}" ] && build_dapr_apps "$BEFORE"
  for project in apps/Messenger.Standalone tests/Messenger.Sidecar tests/Messenger.LoadTests; do
    dotnet build "$ROOT/$project" -c Release -v q -nologo > /dev/null
  done
fi
TOTAL=$((RATE * DURATION))

# Runs the load tool against $1 in the background; at its first progress line of the main phase and when everything
# is sent, records "epoch name=ticks ..." for the processes named in PROCESSES (name=pgid, or name=pid:N for one pid).
measure() {
  local url=$1 label=$2; shift 2
  dotnet "$TOOL" pairs --users "$USERS" --rate "$RATE" --duration "$DURATION" --url "$url" "$@" --out "$OUT/$label.json" \
    > "$OUT/$label.txt" 2>&1 &
  local tool=$! first="" last=""
  while kill -0 $tool 2>/dev/null; do
    if [ -z "$first" ] && grep -q "^messenger pairs:" "$OUT/$label.txt"; then
      first=$(cpu_snapshot); grep "^messenger pairs:" "$OUT/$label.txt" | tail -1 > "$OUT/$label.first"
      [ -n "${ADMIN:-}" ] && curl -s -X POST "$ADMIN/counters/reset" > /dev/null
    fi
    if [ -z "$last" ] && grep -q "^messenger pairs: sent $TOTAL/" "$OUT/$label.txt"; then last=$(cpu_snapshot); fi
    sleep 0.2
  done
  wait $tool || true
  grep -v "^messenger .*: sent" "$OUT/$label.txt"
  echo "$first" > "$OUT/$label.cpu"; echo "$last" >> "$OUT/$label.cpu"
}
report_cpu() {
  python3 - "$OUT/$1.cpu" "$OUT/$1.first" "$TOTAL" "$RATE" <<'PY'
import re, sys
lines = [l.split() for l in open(sys.argv[1]).read().split('\n') if l.strip()]
if len(lines) < 2:
    print("CPU: the main phase was not seen whole"); sys.exit()
t0, t1 = float(lines[0][0]), float(lines[1][0])
a = dict(p.split('=') for p in lines[0][1:]); b = dict(p.split('=') for p in lines[1][1:])
sent_at_first = int(re.search(r'sent (\d+)/', open(sys.argv[2]).read()).group(1))
messages = int(sys.argv[3]) - sent_at_first
print(f"CPU over the main phase: {t1 - t0:.1f} s, {messages} messages sent in it")
total = 0
for name in a:
    ms = (int(b[name]) - int(a[name])) * 10
    total += ms
    print(f"  {name:10s} {ms / 1000:7.2f} CPU s  {ms * 1000 / messages:8.0f} us/message")
print(f"  {'all':10s} {total / 1000:7.2f} CPU s  {total * 1000 / messages:8.0f} us/message")
open(sys.argv[1] + '.messages', 'w').write(str(messages))
PY
}
report_double() {
  python3 - "$OUT/$1" "$(cat "$OUT/$1.cpu.messages" 2>/dev/null || echo 0)" <<'PY'
import json, sys
prefix, messages = sys.argv[1], int(sys.argv[2])
if messages == 0:
    sys.exit()
counters = json.load(open(prefix + '-counters.json'))
print(f"the double's operations per message sent (from the main phase on, {messages} messages):")
for app in ('gateway', 'messages', 'push'):
    ops = {k: v / messages for k, v in counters.get(app, {}).items() if v}
    print(f"  {app:9s} " + ", ".join(f"{k} {v:.2f}" for k, v in ops.items()))
keys = json.load(open(prefix + '-keys.json'))
for app, by_op in keys.items():
    for op, kinds in by_op.items():
        top = sorted(kinds.items(), key=lambda kv: -kv[1])[:6]
        print(f"  {app:9s} {op:15s} " + ", ".join(f"{k} {v / messages:.2f}" for k, v in top))
print("the double's own time per hop (ms):")
for hop, s in json.load(open(prefix + '-hops.json')).items():
    print(f"  {hop:32s} n={s['count']:7d}  p50 {s['p50']:7.3f}  p90 {s['p90']:7.3f}  p99 {s['p99']:7.3f}")
PY
}

run_standalone() {
  local data; data=$(mktemp -d)
  ASPNETCORE_URLS=http://127.0.0.1:18080 Messenger__DataDir=$data Messenger__RateLimits__Enabled=false \
    dotnet "$ROOT/apps/Messenger.Standalone/bin/Release/net10.0/Messenger.Standalone.dll" > "$OUT/standalone.log" 2>&1 &
  local host=$!
  # A failed measurement must not leave the host holding its port.
  trap "kill $host 2>/dev/null || true; rm -rf '$data'" EXIT
  for _ in $(seq 1 120); do curl -sf http://127.0.0.1:18080/healthz > /dev/null && break; sleep 0.5; done
  echo "== one process at $RATE msg/s: load average $(cut -d' ' -f1-3 /proc/loadavg)"
  PROCESSES="standalone=pid:$host" ADMIN="" measure http://127.0.0.1:18080 standalone --server-pid $host
  report_cpu standalone
  kill $host; wait $host 2>/dev/null || true; rm -rf "$data"
  trap - EXIT
}

run_dapr() {
  local tree=$1 label=$2
  start_dapr_run "$tree/dapr.yaml" "$label"
  sleep 3
  echo "== Dapr mode ($label: $tree) at $RATE msg/s: load average $(cut -d' ' -f1-3 /proc/loadavg)"
  PROCESSES=$PROCESSES ADMIN=$ADMIN measure "$EDGE" "$label"
  report_cpu "$label"
  curl -s "$ADMIN/counters" > "$OUT/$label-counters.json"
  curl -s "$ADMIN/counters/keys" > "$OUT/$label-keys.json"
  curl -s "$ADMIN/counters/hops" > "$OUT/$label-hops.json"
  report_double "$label"
  stop_dapr_run
}

run_standalone
[ -n "${BEFORE:-}" ] && run_dapr "$BEFORE" before
run_dapr "$ROOT" dapr
