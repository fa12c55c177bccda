# Sourced by run-dapr-benchmark.sh and run-scale-test.sh (needs ROOT and OUT): builds the Dapr apps, runs a run file's
# apps beside the sidecar double (Release builds, rate limits off), and counts CPU ticks of the runner's processes.
SIDECAR=$ROOT/tests/Messenger.Sidecar/bin/Release/net10.0/Messenger.Sidecar.dll
TOOL=$ROOT/tests/Messenger.LoadTests/bin/Release/net10.0/Messenger.LoadTests.dll

# Release builds of the Dapr apps of the checkout $1.
build_dapr_apps() {
  for project in apps/Messenger.Gateway.DaprHost apps/Messenger.Messages.DaprHost apps/Messenger.Media.DaprHost \
                 apps/Messenger.Push.DaprHost apps/Messenger.Edge; do
    dotnet build "$1/$project" -c Release -v q -nologo > /dev/null
  done
}

# CPU ticks of a process group (the runner starts each app as one: `dotnet run` and the app it starts).
group_ticks() {
  local ticks=0
  for pid in $(ps -e -o pid=,pgid= | awk -v g="$1" '$2 == g {print $1}'); do
    ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo $ticks
}

# "epoch name=ticks ..." for the processes named in PROCESSES (name=pgid, or name=pid:N for one pid).
cpu_snapshot() {
  local line="$(date +%s.%N)"
  for entry in $PROCESSES; do
    local name=${entry%%=*} id=${entry#*=}
    if [[ $id == pid:* ]]; then line+=" $name=$(awk '{print $14 + $15}' "/proc/${id#pid:}/stat")"; else line+=" $name=$(group_ticks "$id")"; fi
  done
  echo "$line"
}

# start_dapr_run FILE LABEL: the runner in the background, until every app answers. Sets RUNNER (its pid), EDGE,
# ADMIN (the double's admin URL), PROCESSES ("double=pid:N app<port>=<pgid> ...") and GATEWAYS (the gateways' URLs,
# comma-separated).
start_dapr_run() {
  local file=$1 label=$2
  APP_API_TOKEN=bench-$RANDOM Messenger__RateLimits__Enabled=false Configuration=Release \
    dotnet "$SIDECAR" up --file "$file" --entry edge --free-ports > "$OUT/$label-run.out" 2> "$OUT/$label-run.err" &
  RUNNER=$!
  for _ in $(seq 1 480); do
    grep -q '^ready ' "$OUT/$label-run.out" && break
    kill -0 "$RUNNER" 2>/dev/null || break
    sleep 0.5
  done
  if ! grep -q '^ready ' "$OUT/$label-run.out"; then
    echo "the apps of $file did not start: see $OUT/$label-run.err" >&2
    stop_dapr_run; return 1
  fi
  EDGE=$(awk '/^ready /{print $2}' "$OUT/$label-run.out"); ADMIN=$(awk '/^admin /{print $2}' "$OUT/$label-run.out")
  PROCESSES="double=pid:$RUNNER"; GATEWAYS=""
  while read -r _ app _ pid _ url; do
    PROCESSES+=" $app${url##*:}=$pid"
    if [ "$app" = gateway ]; then GATEWAYS+="${GATEWAYS:+,}$url"; fi
  done < <(grep '^app ' "$OUT/$label-run.out")
}

stop_dapr_run() { kill -TERM "$RUNNER" 2>/dev/null || true; wait "$RUNNER" 2>/dev/null || true; }
