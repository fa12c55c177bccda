#!/usr/bin/env bash
# Where a host's CPU goes, by thread, at a steady pairs rate: for each checkout given (this one by default), a fresh
# host pinned to core 0 and the load tool on core 1 send pairs traffic at RATE msg/s; after WARM s (JIT tiering over)
# the kernel's counters of every thread of the host (/proc/<pid>/task/*: CPU ticks, voluntary and involuntary context
# switches) are read twice, WIN s apart, and summed by thread name. Per message = over the window / (RATE * WIN).
# The checkouts alternate ROUNDS times, so that a drift of the machine falls on both alike.
# Usage: tests/Messenger.LoadTests/run-thread-profile.sh [checkout ...]
#   RATE (4000) WARM (30) WIN (20) ROUNDS (2) HOST_ENV ("": extra VAR=value for every host) SKIP_BUILD=1
# Each checkout needs its Release build (apps/Messenger.Standalone) unless SKIP_BUILD is unset, when it is built.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RATE=${RATE:-4000}
WARM=${WARM:-30}
WIN=${WIN:-20}
ROUNDS=${ROUNDS:-2}
PORT=${PORT:-18198}
CHECKOUTS=("$@")
[ ${#CHECKOUTS[@]} -eq 0 ] && CHECKOUTS=("$ROOT")
TOOL_DLL=$ROOT/tests/Messenger.LoadTests/bin/Release/net10.0/Messenger.LoadTests.dll
if [ -z "${SKIP_BUILD:-}" ]; then
  dotnet build "$ROOT/tests/Messenger.LoadTests" -c Release -v q -nologo
  for checkout in "${CHECKOUTS[@]}"; do dotnet build "$checkout/apps/Messenger.Standalone" -c Release -v q -nologo; done
fi

# name|voluntary|involuntary|ticks per thread (the name is what precedes ") " in stat, so names with spaces are kept)
snapshot() {
  for task in /proc/"$1"/task/*; do
    local stat name
    stat=$(cat "$task/stat" 2>/dev/null) || continue
    name=${stat#*(}; name=${name%) *}
    awk -v n="$name" -v t="$(echo "${stat##*) }" | awk '{print $12 + $13}')" \
      '/^voluntary_ctxt/{v=$2} /^nonvoluntary_ctxt/{i=$2} END{print n "|" v "|" i "|" t}' "$task/status" 2>/dev/null || true
  done
}

report() {
  python3 - "$1" "$2" "$3" "$4" <<'PY'
import re, sys
before, after, rate, win = open(sys.argv[1]).read(), open(sys.argv[2]).read(), float(sys.argv[3]), float(sys.argv[4])
def totals(text):
    sums = {}
    for line in text.splitlines():
        name, vol, invol, ticks = line.rsplit('|', 3)
        s = sums.setdefault(re.sub(r'\d+$', '', name).strip(), [0, 0, 0, 0])
        s[0] += 1; s[1] += int(vol); s[2] += int(invol); s[3] += int(ticks)
    return sums
b, a = totals(before), totals(after)
messages = rate * win
print(f"{'thread':<22} {'count':>5} {'CPU us/msg':>11} {'vol sw/msg':>11} {'invol sw/msg':>13}")
rows, total = [], [0, 0, 0]
for name, s in a.items():
    o = b.get(name, [0, 0, 0, 0])
    ticks, vol, invol = s[3] - o[3], s[1] - o[1], s[2] - o[2]
    total[0] += ticks; total[1] += vol; total[2] += invol
    if ticks or vol > messages / 100:
        rows.append((ticks, name, s[0], vol, invol))
for ticks, name, count, vol, invol in sorted(rows, reverse=True):
    print(f"{name:<22} {count:>5} {ticks * 10000 / messages:>11.1f} {vol / messages:>11.2f} {invol / messages:>13.2f}")
print(f"{'all':<22} {'':>5} {total[0] * 10000 / messages:>11.1f} {total[1] / messages:>11.2f} {total[2] / messages:>13.2f}")
PY
}

for round in $(seq 1 "$ROUNDS"); do
  for checkout in "${CHECKOUTS[@]}"; do
    data=$(mktemp -d)
    # shellcheck disable=SC2086 # HOST_ENV is a list of VAR=value words
    env ${HOST_ENV:-} ASPNETCORE_ENVIRONMENT=Development Messenger__Auth__PasswordIterations=1000 Messenger__RateLimits__Enabled=false \
      Logging__LogLevel__Default=Warning ASPNETCORE_URLS=http://127.0.0.1:$PORT Messenger__DataDir="$data" \
      taskset -c 0 dotnet "$checkout/apps/Messenger.Standalone/bin/Release/net10.0/Messenger.Standalone.dll" > "$data.host.log" 2>&1 &
    host=$!
    for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && break; sleep 0.5; done
    taskset -c 1 dotnet "$TOOL_DLL" pairs --users 1000 --rate "$RATE" --duration $((WARM + WIN + 10)) \
      --url "http://127.0.0.1:$PORT" --server-pid "$host" > "$data.tool.log" 2>&1 &
    tool=$!
    until grep -q "open 1000/1000" "$data.tool.log" 2>/dev/null; do sleep 0.2; done
    sleep "$WARM"
    snapshot "$host" > "$data.before"
    sleep "$WIN"
    snapshot "$host" > "$data.after"
    wait "$tool" || true
    echo "== round $round, $checkout ($(git -C "$checkout" rev-parse --short HEAD)$(git -C "$checkout" diff --quiet HEAD || echo '+changes')), $RATE msg/s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    report "$data.before" "$data.after" "$RATE" "$WIN"
    grep -E "throughput deliveries|latency p99 ms|result " "$data.tool.log" | tr -s ' │' ' ' || true
    kill "$host"; wait "$host" 2>/dev/null || true
    rm -rf "$data" "$data".*
  done
done
