#!/usr/bin/env bash
# qp-bench/soak.sh — the long soak: live QP load through the gateway of a running `bin/qp up`, and every interval one
# line of the job's health from the Flink REST API: state size, the last checkpoint's duration and size, failed
# checkpoints, restarts, the frames source's consumer lag, and the window rows written so far.
#
#   bin/qp up &                                     # with the same QP_* ports and QP_STATE_DIR as below
#   qp-bench/soak.sh --duration 30m [--interval 30s] [load options, e.g. --connections 4 --in-flight 2]
#
# Ends with a verdict: restarts and failed checkpoints must be 0, and state size and checkpoint duration flat (the last
# third of the samples no more than 1.5x the first third's median once the first windows have closed).
set -euo pipefail
QP_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QP_STATE_DIR="${QP_STATE_DIR:-$QP_HOME/.qp}"
WEB="http://localhost:${QP_WEB_UI_PORT:-8081}"
URL="ws://127.0.0.1:${QP_PORT:-9999}/qp"
duration=30m interval=30 load=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --interval) interval="${2%s}"; shift 2 ;;
    *) load+=("$1"); shift ;;
  esac
done
[[ ${#load[@]} -gt 0 ]] || load=(--connections 4 --in-flight 2 --mix echo=3,ping=1,data=1,stream=1)
curl -sf "$WEB/jobs/overview" >/dev/null || { echo "soak: no Flink REST API at $WEB; start bin/qp up first" >&2; exit 2; }

out="$QP_STATE_DIR/soak-$(date -u +%Y%m%dT%H%M%SZ).tsv"
"$QP_HOME/bin/qp" load --url "$URL" --token-file "$QP_STATE_DIR/token" --duration "$duration" --warmup 0s \
  "${load[@]}" > "$out.load.txt" 2>&1 &
load_pid=$!
trap 'kill $load_pid 2>/dev/null || true' EXIT
echo "soak: load pid $load_pid for $duration against $URL; samples in $out" >&2

python3 - "$WEB" "$interval" "$load_pid" "$out" <<'PY'
import json, sys, time, os, urllib.request
web, interval, load_pid, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def get(path):
    with urllib.request.urlopen(web + path, timeout=10) as r:
        return json.load(r)
def alive(pid):
    try: os.kill(pid, 0); return True
    except OSError: return False
def metric(job, vertex, names):
    vals = get(f"/jobs/{job}/vertices/{vertex}/subtasks/metrics?get={','.join(names)}&agg=sum")
    return {m["id"]: m.get("sum") for m in vals}
cols = ["elapsed_s", "state_bytes", "ckpt_duration_ms", "ckpt_size_bytes", "ckpts_done", "ckpts_failed",
        "restarts", "frames_lag", "frames_read", "window_rows"]
print("\t".join(cols), flush=True)
rows, start = [], time.time()
with open(out, "w") as f:
    f.write("\t".join(cols) + "\n")
    while True:
        try:
            job = next(j["jid"] for j in get("/jobs/overview")["jobs"] if j["state"] == "RUNNING")
            cp = get(f"/jobs/{job}/checkpoints")
            last = (cp.get("latest") or {}).get("completed") or {}
            restarts = get(f"/jobs/{job}/metrics?get=numRestarts")
            vertices = {v["name"]: v for v in get(f"/jobs/{job}")["vertices"]}
            src = next(v for n, v in vertices.items() if n.startswith("Source: frames-source"))
            lag = metric(job, src["id"], ["Source__frames-source.pendingRecords"]).get("Source__frames-source.pendingRecords")
            sink = next(v for n, v in vertices.items() if n.startswith("window-stats-sink"))
            row = [int(time.time() - start), last.get("state_size"), last.get("end_to_end_duration"),
                   last.get("checkpointed_size"), cp["counts"]["completed"], cp["counts"]["failed"],
                   int(float(restarts[0]["value"])) if restarts else None, lag,
                   src["metrics"]["write-records"], sink["metrics"]["read-records"]]
        except Exception as e:  # the job restarting or busy: say so in the row instead of stopping
            row = [int(time.time() - start)] + ["ERR " + type(e).__name__] + [None] * (len(cols) - 2)
        rows.append(row)
        line = "\t".join("" if v is None else str(v) for v in row)
        print(line, flush=True); f.write(line + "\n"); f.flush()
        if not alive(load_pid):
            break
        time.sleep(interval)
ok = [r for r in rows if isinstance(r[1], int)]
def med(xs):
    xs = sorted(x for x in xs if isinstance(x, (int, float)))
    return xs[len(xs) // 2] if xs else None
verdict = []
if ok:
    restarts, failed = ok[-1][6], ok[-1][5]
    verdict.append(f"restarts {restarts}, failed checkpoints {failed}")
    n = len(ok)
    if n >= 6:
        first, lastthird = ok[n // 3: 2 * n // 3], ok[2 * n // 3:]
        for name, i in (("state size", 1), ("checkpoint duration", 2)):
            a, b = med(r[i] for r in first), med(r[i] for r in lastthird)
            flat = a is not None and b is not None and b <= 1.5 * max(a, 1)
            verdict.append(f"{name} median {a} -> {b} ({'flat' if flat else 'GROWING'})")
print("soak: " + "; ".join(verdict), flush=True)
PY
echo "soak: load result:" >&2; tail -n 5 "$out.load.txt" >&2
