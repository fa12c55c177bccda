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

# tid|name|voluntary|involuntary|ticks per thread (the name is what is between "(" and ") " in stat, spaces kept)
snapshot() {
  for task in /proc/"$1"/task/*; do
    local stat name
    stat=$(cat "$task/stat" 2>/dev/null) || continue
    name=${stat#*(}; name=${name%) *}
    awk -v id="${task##*/}" -v n="$name" -v t="$(echo "${stat##*) }" | awk '{print $12 + $13}')" \
      '/^voluntary_ctxt/{v=$2} /^nonvoluntary_ctxt/{i=$2} END{print id "|" n "|" v "|" i "|" t}' "$task/status" 2>/dev/null || true
  done
}

# The whole process's CPU ticks (threads that ended included).
process_ticks() { local stat; stat=$(cat /proc/"$1"/stat); echo "${stat##*) }" | awk '{print $12 + $13}'; }

report() {
  python3 - "$1" "$2" "$3" "$4" "$5" <<'PY'
import re, sys
before, after, rate, win = open(sys.argv[1]).read(), open(sys.argv[2]).read(), float(sys.argv[3]), float(sys.argv[4])
process_ticks = int(sys.argv[5])
def threads(text):
    found = {}
    for line in text.splitlines():
        tid, name, vol, invol, ticks = line.split('|', 1)[0], *line.split('|', 1)[1].rsplit('|', 3)
        found[tid] = (re.sub(r'\d+$', '', name).strip(), int(vol), int(invol), int(ticks))
    return found
# By thread id: a thread started in the window counts from zero; one that ended in it is missing from the second
# read, and what it did in the window with it (the thread pool retires idle workers), so "ended" says how many.
b, a = threads(before), threads(after)
ended = len([t for t in b if t not in a])
messages = rate * win
sums = {}
for tid, (name, vol, invol, ticks) in a.items():
    _, vol0, invol0, ticks0 = b.get(tid, (name, 0, 0, 0))
    s = sums.setdefault(name, [0, 0, 0, 0])
    s[0] += 1; s[1] += vol - vol0; s[2] += invol - invol0; s[3] += ticks - ticks0
print(f"{'thread':<22} {'count':>5} {'CPU us/msg':>11} {'vol sw/msg':>11} {'invol sw/msg':>13}   (threads ended in the window: {ended})")
rows, total = [], [0, 0, 0]
for name, (count, vol, invol, ticks) in sums.items():
    total[0] += ticks; total[1] += vol; total[2] += invol
    if ticks or vol > messages / 100:
        rows.append((ticks, name, count, vol, invol))
for ticks, name, count, vol, invol in sorted(rows, reverse=True):
    print(f"{name:<22} {count:>5} {ticks * 10000 / messages:>11.1f} {vol / messages:>11.2f} {invol / messages:>13.2f}")
print(f"{'all':<22} {'':>5} {total[0] * 10000 / messages:>11.1f} {total[1] / messages:>11.2f} {total[2] / messages:>13.2f}")
print(f"{'process':<22} {'':>5} {process_ticks * 10000 / messages:>11.1f}")
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
    ticks=$(process_ticks "$host")
    sleep "$WIN"
    snapshot "$host" > "$data.after"
    ticks=$(( $(process_ticks "$host") - ticks ))
    wait "$tool" || true
    echo "== round $round, $checkout ($(git -C "$checkout" rev-parse --short HEAD)$(git -C "$checkout" diff --quiet HEAD || echo '+changes')), $RATE msg/s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    report "$data.before" "$data.after" "$RATE" "$WIN" "$ticks"
    grep -E "throughput deliveries|latency p99 ms|result " "$data.tool.log" | tr -s ' │' ' ' || true
    kill "$host"; wait "$host" 2>/dev/null || true
    rm -rf "$data" "$data".*
  done
done
