#!/usr/bin/env bash
# Issue 20's scale test: scale.dapr.yaml's four gateways, two messages replicas, media, push and the edge as separate
# processes (Release builds) beside the sidecar double, loopback only. The load tool registers through the edge and
# holds its WebSockets on the gateways (round robin by user). Three runs, each with fresh users:
#   1. ramp      USERS users connected in pairs (every pair split over two gateways), pairs traffic at RATES msg/s,
#                STEP s each: throughput, latency, the double's operations per message against docs/capacity.md
#   2. storm     USERS users drop at once, partners send one message to each while they are away, all reconnect at
#                once and sync: time until everyone is synced, peak presence writes per second
#   3. group     a group of GROUP members, 10 senders at GROUP_RATE msg/s for STEP s: fan-out latency and operations
# and, over the ramp, each gateway's memory per connection and every process's CPU.
# Usage: tests/Messenger.LoadTests/run-scale-test.sh
#   USERS (10000) RATES (100,200,400) STEP (10) GROUP (1000) GROUP_RATE (5) OUT (/tmp/messenger-scale) SKIP_BUILD=1
#   RUNS ("ramp storm group"): which of the three to run
# The full size should take about 6 minutes on an idle 2-core machine (most of it setting up 21,000 users:
# extrapolated from runs of 1,000 and 3,000 users on a loaded one); each run is stopped after 300, 300 and 180 s at
# most, so the whole script ends within about 14 minutes even when the machine is slower than that.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-/tmp/messenger-scale}
USERS=${USERS:-10000}
RATES=${RATES:-100,200,400}
STEP=${STEP:-10}
GROUP=${GROUP:-1000}
GROUP_RATE=${GROUP_RATE:-5}
RUNS=${RUNS:-ramp storm group}
mkdir -p "$OUT"
rm -f "$OUT"/cpu "$OUT"/ramp.rss-* "$OUT"/{ramp,storm,group}.json
export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=${DOTNET_ThreadPool_UnfairSemaphoreSpinLimit-0}
# shellcheck source=tests/Messenger.LoadTests/dapr-run.sh
source "$ROOT/tests/Messenger.LoadTests/dapr-run.sh"

# Every WebSocket is a file in the tool and in one gateway; the storm's partners hold a tenth more.
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((USERS + USERS / 10 + 1000)) ]; then
  echo "ulimit -n is $(ulimit -n): $USERS users need at least $((USERS + USERS / 10 + 1000)) open files in the tool" >&2
  exit 1
fi
if [ -z "${SKIP_BUILD:-}" ]; then
  # One build of the apps, the double and the tool (scale.slnf), not one per project.
  dotnet build "$ROOT/tests/Messenger.LoadTests/scale.slnf" -c Release -v q -nologo > /dev/null
fi

# The largest resident set of a process group (the app, not the `dotnet run` that started it), in bytes.
group_rss() {
  local max=0
  for pid in $(ps -e -o pid=,pgid= | awk -v g="$1" '$2 == g {print $1}'); do
    local kb; kb=$(awk '/^VmRSS:/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ "${kb:-0}" -gt "$max" ] && max=$kb
  done
  echo $((max * 1024))
}
gateway_rss() {
  local line=""
  for entry in $PROCESSES; do
    [[ $entry == gateway* ]] && line+=" ${entry%%=*}=$(group_rss "${entry#*=}")"
  done
  echo "$line"
}

# run_tool LABEL SECONDS SCENARIO ARGS...: the tool against the run, stopped after SECONDS at most, its output in
# $OUT/LABEL.txt (progress lines left out).
run_tool() {
  local label=$1 limit=$2; shift 2
  echo "== $label: load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M:%S)"
  local started=$SECONDS
  timeout "$limit" dotnet "$TOOL" "$@" --url "$EDGE" --ws-urls "$GATEWAYS" --counters-url "$ADMIN" --register-parallel 32 \
    --connect-parallel 128 --out "$OUT/$label.json" > "$OUT/$label.txt" 2>&1 &
  TOOL_PID=$!
  local tool=$TOOL_PID rss=""
  while kill -0 $tool 2>/dev/null; do
    # Memory per connection: the gateways' RSS once every user is connected, against their RSS before.
    if [ "$label" = ramp ] && [ -z "$rss" ] && grep -q "^messenger sweep" "$OUT/$label.txt"; then
      rss=1; gateway_rss > "$OUT/ramp.rss-connected"; cpu_snapshot > "$OUT/cpu"
    fi
    sleep 0.5
  done
  wait $tool || true
  grep -v "^messenger .*: \(sent\|open\|users\|created\|synced\)" "$OUT/$label.txt" || true
  echo "($label took $((SECONDS - started)) s)"
}

# Stopped or not, the tool and the apps go with the script.
cleanup() {
  if [ -n "${TOOL_PID:-}" ]; then kill "$TOOL_PID" 2>/dev/null || true; fi
  stop_dapr_run
}
trap cleanup EXIT
trap 'exit 143' TERM INT
start_dapr_run "$ROOT/tests/Messenger.LoadTests/scale.dapr.yaml" scale
echo "apps up: edge $EDGE, gateways $GATEWAYS, double's admin $ADMIN"
sleep 3
if [[ " $RUNS " == *" ramp "* ]]; then
  gateway_rss > "$OUT/ramp.rss-before"
  run_tool ramp 300 sweep --users "$USERS" --rates "$RATES" --duration "$STEP" --warmup 1 --drain 10 --chart "$OUT/ramp.png"
  cpu_snapshot >> "$OUT/cpu"
fi
if [[ " $RUNS " == *" storm "* ]]; then
  run_tool storm 300 reconnect --users "$USERS" --senders $((USERS / 10)) --messages 1 --rate 1000 --drain 60
fi
if [[ " $RUNS " == *" group "* ]]; then
  # Members connect 16 at a time: each one online is announced to every other member (GROUP x GROUP presence frames),
  # and at 128 at a time the tool, sharing the cores, fell 4,096 frames behind on some connections (capacity.md).
  run_tool group 180 group --users "$GROUP" --senders 10 --rate "$GROUP_RATE" --duration "$STEP" --warmup 1 --drain 15 \
    --connect-parallel 16
fi
python3 "$ROOT/tests/Messenger.LoadTests/scale-report.py" "$OUT" "$USERS"
