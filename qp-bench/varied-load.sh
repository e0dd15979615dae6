#!/usr/bin/env bash
# qp-bench/varied-load.sh — live load whose shape keeps changing, so that the job's latency model has something to
# learn: phases of `bin/qp load` that vary connections, requests in flight, payload size, compression and the message
# mix, plus a small compressed DATA stream underneath all of them. The README's steady load (4 connections, 64 B) gives
# the model almost no variance to explain, so its R² stays under the gate; this one is what `--retrain-interval 30s`
# wants to see.
#
#   QP_JOB_ARGS="--retrain-interval 30s" bin/qp up &      # with the same QP_* ports and QP_STATE_DIR as below
#   qp-bench/varied-load.sh --duration 10m [--phase 20s]
#
# Each phase runs --phase long (default 20 s); the phases repeat until --duration (default 10m) has passed. One line
# per phase goes to stdout with the load tool's result (replies/s, round-trip p50/p99). Stops its load on exit.
set -euo pipefail
QP_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QP_STATE_DIR="${QP_STATE_DIR:-$QP_HOME/.qp}"
URL="ws://127.0.0.1:${QP_PORT:-9999}/qp"
duration=10m phase=20s
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --phase) phase="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "varied-load: unknown option $1 (options: --duration D, --phase D)" >&2; exit 2 ;;
  esac
done
seconds() {
  case "$1" in
    *m) echo $(( ${1%m} * 60 )) ;;
    *s) echo "${1%s}" ;;
    *[0-9]) echo "$1" ;;
    *) echo "varied-load: a duration is N, Ns or Nm, not $1" >&2; exit 2 ;;
  esac
}
total=$(seconds "$duration")
each=$(seconds "$phase")
[[ -r "$QP_STATE_DIR/token" ]] || { echo "varied-load: no token at $QP_STATE_DIR/token; start bin/qp up first" >&2; exit 2; }
load() { "$QP_HOME/bin/qp" load --url "$URL" --token-file "$QP_STATE_DIR/token" --warmup 0s --json "$@"; }

# connections, in flight, payload bytes, mix, extra options: small and quiet, large and compressed, many and small, ...
phases=(
  "2 1 64 echo=3,ping=1"
  "8 4 32000 data=1 --compression"
  "16 2 8000 echo=1,data=1"
  "4 8 60000 data=1,echo=1"
  "24 2 256 echo=2,ping=1,stream=1"
  "1 1 512 echo=1"
  "32 2 2000 echo=1,data=1 --compression"
)

background_pid=""
trap '[[ -n "$background_pid" ]] && kill "$background_pid" 2>/dev/null || true' EXIT
load --connections 2 --in-flight 1 --payload-bytes 16000 --mix data=1,echo=1 --compression --duration "${total}s" \
  > /dev/null 2>&1 &
background_pid=$!

end=$(( $(date +%s) + total ))
while (( $(date +%s) < end )); do
  for p in "${phases[@]}"; do
    left=$(( end - $(date +%s) ))
    (( left > 0 )) || break
    read -r conns inflight bytes mix extra <<< "$p"
    (( left < each )) && run=$left || run=$each
    result=$(load --connections "$conns" --in-flight "$inflight" --payload-bytes "$bytes" --mix "$mix" ${extra:-} \
      --duration "${run}s" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | tail -1)
    printf '%s\tconnections=%s in-flight=%s payload=%sB mix=%s %s\t%s\n' "$(date -u +%H:%M:%S)" "$conns" "$inflight" \
      "$bytes" "$mix" "${extra:-}" "$result"
  done
done
