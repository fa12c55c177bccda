"""The figures of run-scale-test.sh: python3 scale-report.py OUT USERS (reads the tool's JSON files and the script's
snapshots in OUT). The model's operations per message are docs/capacity.md's table "Operations per message"."""
import json
import sys

out, users = sys.argv[1], int(sys.argv[2])

# docs/capacity.md, "Operations per message" (direct message, sender and recipient online on two gateways).
MODEL_DIRECT = {
    "gateway stateRead presence:*": 2.0,  # presence of both members, one bulk read
    "gateway actorCall": 1.0,           # ConversationActor.Append
    "gateway publish": 1.0,             # the recipient's gateway topic
    "gateway delivery": 1.0,            # the recipient's gateway receives it
    "messages stateRead": 1.0,          # clientMessageId (dedupe)
    "messages stateWrite": 2.0,         # message + clientMessageId, in one transaction
    "messages stateTransaction": 1.0,
    "messages actorStateWrite": 2.0,    # actor state: meta (last seq) and own (sender's unread list)
}


def load(name):
    try:
        return json.load(open(f"{out}/{name}.json"))
    except FileNotFoundError:
        return None


def ops(run, unit):
    prefix = f"ops/{unit} "
    return {k[len(prefix):]: v for k, v in run["extras"].items() if k.startswith(prefix)}


def compare(title, measured, model):
    print(f"  {title}: operations per message, measured / model (within 10 %?)")
    worst = 0.0
    for name, expected in model.items():
        got = measured.get(name, 0.0)
        off = abs(got - expected) / expected
        worst = max(worst, off)
        print(f"    {name:28s} {got:8.3f} / {expected:6.2f}   {'ok' if off <= 0.10 else 'OFF by %.0f %%' % (off * 100)}")
    others = {k: v for k, v in measured.items() if k not in model and v >= 0.01}
    for name, got in sorted(others.items()):
        print(f"    {name:28s} {got:8.3f}   (not in the model)")
    return worst


def latency(run):
    lat = run["latency"]
    return f"p50 {lat['p50Ms']:.1f} / p99 {lat['p99Ms']:.1f} / max {lat['maxMs']:.1f} ms"


print(f"\n==== scale test: {users} users, four gateways, two messages replicas over the sidecar double ====")
ramp = load("ramp")
if ramp:
    print("\n1. ramp (pairs traffic, every pair split over two gateways)")
    worst = 0.0
    for run in ramp["runs"]:
        if run["target"] != "messenger":
            continue
        print(f"  {run['offeredRate']:.0f} msg/s offered: {run['throughputPerSecond']} delivered/s, {latency(run)}, "
              f"lost {run['lost']}, duplicates {run['duplicates']}, out of order {run['outOfOrder']}, "
              f"{'PASS' if not run['problems'] else 'FAIL: ' + '; '.join(run['problems'][:3])}")
        worst = max(worst, compare(f"at {run['offeredRate']:.0f} msg/s", ops(run, "msg"), MODEL_DIRECT))
    print(f"  largest difference from the model: {worst * 100:.1f} %")
    try:
        before = dict(p.split("=") for p in open(f"{out}/ramp.rss-before").read().split())
        after = dict(p.split("=") for p in open(f"{out}/ramp.rss-connected").read().split())
        grown = sum(int(after[g]) - int(before[g]) for g in before)
        print(f"  gateways' RSS with {users} users connected: " + ", ".join(f"{g} {int(after[g]) / 2**20:.0f} MiB" for g in after)
              + f"; growth {grown / users:,.0f} bytes per connection")
    except (FileNotFoundError, KeyError):
        print("  gateways' RSS: not sampled")
    cpu = [l.split() for l in open(f"{out}/cpu").read().splitlines() if l.strip()] if ramp else []
    if len(cpu) == 2:
        a, b = dict(p.split("=") for p in cpu[0][1:]), dict(p.split("=") for p in cpu[1][1:])
        messages = sum(r["sent"] + r["offeredRate"] for r in ramp["runs"])  # + one second of warm-up per step
        print(f"  CPU over the ramp ({float(cpu[1][0]) - float(cpu[0][0]):.0f} s, about {messages:,.0f} messages with warm-ups):")
        total = 0
        for name in a:
            ms = (int(b[name]) - int(a[name])) * 10
            total += ms
            print(f"    {name:12s} {ms / 1000:7.1f} CPU s  {ms * 1000 / messages:6.0f} us/message")
        print(f"    {'all':12s} {total / 1000:7.1f} CPU s  {total * 1000 / messages:6.0f} us/message")

storm = load("storm")
if storm:
    run = storm["runs"][0]
    e = run["extras"]
    print(f"\n2. reconnect storm: {e['usersDropped']:.0f} users back at once, {e['usersSynced']:.0f} synced, "
          f"{e['usersFailedToReconnect']:.0f} failed; everyone synced after {e['recoverSecondsAll']} s "
          f"(p50 {run['latency']['p50Ms'] / 1000:.2f} s, p99 {run['latency']['p99Ms'] / 1000:.2f} s); {e['recovered']:.0f} of {e['messagesWhileAway']:.0f} missed messages "
          f"recovered, duplicates {run['duplicates']}; peak presence writes {e.get('peak presence writes/s', 0):,.0f}/s; "
          f"{'PASS' if not run['problems'] else 'FAIL: ' + '; '.join(run['problems'][:3])}")
    per_user = {k: v for k, v in ops(run, "user").items() if v >= 0.01}
    print("  operations per reconnected user: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(per_user.items())))

group = load("group")
if group:
    run = group["runs"][0]
    members = run["users"]
    print(f"\n3. group of {members}: {run['sent']} messages, {run['delivered']:,} of {run['expectedDeliveries']:,} deliveries, "
          f"{latency(run)} from send to each member, "
          f"{'PASS' if not run['problems'] else 'FAIL: ' + '; '.join(run['problems'][:3])}")
    per_msg = {k: v for k, v in ops(run, "msg").items() if v >= 0.01}
    print("  operations per message: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(per_msg.items())))
