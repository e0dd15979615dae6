#!/usr/bin/env bash
# qp-bench/capacity.sh — the stack's capacity on this machine: the highest paced load of the README's mix that a
# running `bin/qp up` (Kafka, the job, the gateway and the agent, all here) carries while the job keeps up, i.e. while
# the frames source's pending records (its Kafka consumer lag) stay bounded.
#
#   bin/qp up &                                            # same QP_* ports and QP_STATE_DIR as below
#   qp-bench/capacity.sh --rates 2000,4000,6000 --step 10m [--interval 10s] [--drain 120s] [load options]
#
# Each rate runs `bin/qp load --rate R --warmup 10s` (default --connections 32 --in-flight 16 --mix
# echo=3,ping=1,data=1,stream=1) for 10 s plus one step (the load's figures are the step's), sampling the lag every interval from the Flink REST API; before each step it waits (at most --drain)
# for the lag left by the step before to fall under one interval's worth of events. A step is BOUNDED when
#   - the load generator carried its rate: replies/s >= 95% of R, and requests due while every connection was full
#     (missed) <= 1% of them; otherwise the gateway (or the client) is the limit, not the job; and
#   - the lag does not grow over the step's second half: its least-squares slope there is under 1% of the frame
#     events per second the job read, and the last sample is under 10 seconds' worth of them; and the job is not
#     falling behind in time either: the source's currentEmitEventTimeLag (a frame's age when the job reads it; the
#     consumer's pending-records figure goes stale while the reader is back-pressured) grows by under 10 ms a second
#     and ends under 10 s.
# The capacity is the highest bounded rate; steps stop at the first unbounded one (higher rates would be too).
# One line per sample goes to stderr, and a table of the steps, also written to $QP_STATE_DIR/capacity-<time>.tsv, to
# stdout.
set -euo pipefail
QP_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QP_STATE_DIR="${QP_STATE_DIR:-$QP_HOME/.qp}"
WEB="http://localhost:${QP_WEB_UI_PORT:-8081}"
URL="ws://127.0.0.1:${QP_PORT:-9999}/qp"
rates="" step=600 interval=10 drain=120 load=()
seconds() { case "$1" in *m) echo $(( ${1%m} * 60 )) ;; *s) echo "${1%s}" ;; *) echo "$1" ;; esac; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rates) rates="$2"; shift 2 ;;
    --step) step="$(seconds "$2")"; shift 2 ;;
    --interval) interval="$(seconds "$2")"; shift 2 ;;
    --drain) drain="$(seconds "$2")"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) load+=("$1"); shift ;;
  esac
done
[[ -n "$rates" ]] || { echo "capacity: --rates R1,R2,... (requests/s) is required" >&2; exit 2; }
[[ "$rates" =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "capacity: --rates must be whole numbers separated by commas, got '$rates'" >&2; exit 2; }
[[ "$step" =~ ^[0-9]+$ && "$step" -ge 30 ]] || { echo "capacity: --step must be at least 30s" >&2; exit 2; }
[[ "$interval" =~ ^[0-9]+$ && "$interval" -ge 1 ]] || { echo "capacity: --interval must be at least 1s" >&2; exit 2; }
[[ "$drain" =~ ^[0-9]+$ ]] || { echo "capacity: --drain must be a duration such as 120s" >&2; exit 2; }
[[ ${#load[@]} -gt 0 ]] || load=(--connections 32 --in-flight 16 --mix echo=3,ping=1,data=1,stream=1)
curl -sf "$WEB/jobs/overview" >/dev/null || { echo "capacity: no Flink REST API at $WEB; start bin/qp up first" >&2; exit 2; }
[[ -f "$QP_STATE_DIR/token" ]] || { echo "capacity: no token at $QP_STATE_DIR/token; start bin/qp up first" >&2; exit 2; }

out="$QP_STATE_DIR/capacity-$(date -u +%Y%m%dT%H%M%SZ).tsv"
python3 - "$WEB" "$URL" "$QP_HOME/bin/qp" "$QP_STATE_DIR/token" "$rates" "$step" "$interval" "$drain" "$out" \
    "${load[@]}" <<'PY'
import json, subprocess, sys, time, urllib.request
web, url, qp, token, rates, step, interval, drain, out = sys.argv[1:10]
load_args = sys.argv[10:]
step, interval, drain = int(step), int(interval), int(drain)

def get(path):
    with urllib.request.urlopen(web + path, timeout=10) as r:
        return json.load(r)

def sample():
    """(pending records of the frames source, frame events it has read so far, ms from a frame's event time to its
    reading by the job), or None while the job is not RUNNING."""
    try:
        job = next(j["jid"] for j in get("/jobs/overview")["jobs"] if j["state"] == "RUNNING")
        vertices = {v["name"]: v for v in get(f"/jobs/{job}")["vertices"]}
        src = next(v for n, v in vertices.items() if n.startswith("Source: frames-source"))
        lag_name, read_name = "Source__frames-source.pendingRecords", "Source__frames-source.numRecordsIn"
        behind_name = "Source__frames-source.currentEmitEventTimeLag"
        vals = {m["id"]: m for m in get(f"/jobs/{job}/vertices/{src['id']}/subtasks/metrics"
                                        f"?get={lag_name},{read_name},{behind_name}&agg=sum,max")}
        lag = vals.get(lag_name, {}).get("sum")
        read = vals.get(read_name, {}).get("sum")
        behind = vals.get(behind_name, {}).get("max")
        return (None if lag is None else int(lag)), int(read or 0), (None if behind is None else int(behind))
    except Exception as e:  # the job restarting or busy: the caller records a gap
        print(f"capacity: sample failed: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
        return None

def slope(points):
    n = len(points)
    if n < 2:
        return 0.0
    mt = sum(t for t, _ in points) / n
    ml = sum(l for _, l in points) / n
    den = sum((t - mt) ** 2 for t, _ in points)
    return 0.0 if den == 0 else sum((t - mt) * (l - ml) for t, l in points) / den

def wait_drained(events_per_s):
    limit = max(1000, events_per_s * interval)
    deadline = time.time() + drain
    while time.time() < deadline:
        s = sample()
        if s and (s[0] is None or s[0] <= limit):  # None: no pending-records metric yet (nothing read)
            return s[0]
        time.sleep(interval)
    s = sample()
    return s[0] if s else None

cols = ["rate", "replies_per_s", "missed", "p99_ms", "events_per_s", "lag_start", "lag_median", "lag_max", "lag_last",
        "lag_slope_per_s", "behind_max_ms", "behind_last_ms", "verdict"]
rows, events_per_s = [], 0
for rate in [int(r) for r in rates.split(",")]:
    left = wait_drained(events_per_s)
    print(f"capacity: rate {rate}/s for {step}s (lag before: {left})", file=sys.stderr, flush=True)
    cmd = [qp, "load", "--url", url, "--token-file", token, "--rate", str(rate), "--warmup", "10s",
           "--duration", f"{step}s", "--json"] + load_args
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    points, start, first = [], time.time(), sample()  # first: the lag the step starts from
    while proc.poll() is None:
        time.sleep(interval)
        s = sample()
        if s and s[0] is not None:
            points.append((time.time() - start, s[0], s[1], s[2] if s[2] is not None else 0))
            print(f"capacity:   {int(points[-1][0]):5d}s lag {s[0]:>9d} read {s[1]} behind {points[-1][3]} ms",
                  file=sys.stderr, flush=True)
    stdout, stderr = proc.communicate()
    try:
        result = json.loads(stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        print(f"capacity: the load generator failed (exit {proc.returncode}): {stderr.strip()[-500:]}", file=sys.stderr)
        sys.exit(1)
    replies, missed = result["repliesPerSec"], result.get("missed", 0)
    half = [p for p in points if p[0] >= step / 2]  # the step's second half: the load is steady there
    if len(half) >= 2:
        events_per_s = (half[-1][2] - half[0][2]) / max(1.0, half[-1][0] - half[0][0])
    second_half = [(t, l) for t, l, _, _ in half]
    lags = sorted(p[1] for p in points)
    lag_slope = slope(second_half)
    behind_slope = slope([(t, b / 1000.0) for t, _, _, b in half])  # seconds behind gained per second
    carried = replies >= 0.95 * rate and missed <= 0.01 * rate * result["seconds"]
    kept_up = (bool(points) and lag_slope < 0.01 * max(events_per_s, 1) and points[-1][1] < 10 * max(events_per_s, 1)
               and behind_slope < 0.01 and points[-1][3] < 10_000)
    verdict = "BOUNDED" if carried and kept_up else ("JOB BEHIND" if carried else "RATE NOT CARRIED")
    row = [rate, round(replies), missed, round(result["roundTripMicros"]["p99"] / 1000, 1), round(events_per_s),
           first[0] if first else None, lags[len(lags) // 2] if lags else None, lags[-1] if lags else None,
           points[-1][1] if points else None, round(lag_slope, 1), max((p[3] for p in points), default=None),
           points[-1][3] if points else None, verdict]
    rows.append(row)
    if verdict != "BOUNDED":
        break

with open(out, "w") as f:
    for r in [cols] + rows:
        f.write("\t".join("" if v is None else str(v) for v in r) + "\n")
print("\t".join(cols))
for r in rows:
    print("\t".join("" if v is None else str(v) for v in r))
bounded = [r for r in rows if r[-1] == "BOUNDED"]
print(f"capacity: highest bounded rate {bounded[-1][0]} requests/s ({bounded[-1][1]} replies/s, "
      f"{bounded[-1][4]} frame events/s into the job)" if bounded else "capacity: no rate was bounded")
print(f"capacity: steps in {out}")
PY
