#!/usr/bin/env bash
# QP against plain HTTP/1.1 JSON on the same Undertow server, in one run: builds qp-bench (and what it needs), starts
# the bare server (QP on /qp, POST /echo and POST /data over HTTP on the same port) in a JVM of its own and drives it
# with the load generator over each transport in turn, alternating which goes first, medians over the rounds.
# Arguments go to qp.bench.HttpBenchmark (--help lists them), e.g. --rounds 5 --duration 8s --payload-bytes 64,1024.
# Set QP_BENCH_SKIP_BUILD=1 to reuse the last build; MVN_FLAGS adds Maven flags (e.g. -o offline).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${QP_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q ${MVN_FLAGS:-} -pl qp-bench -am install -DskipTests
fi
exec java -Xmx256m -cp "qp-bench/target/qp-bench-0.1.0-SNAPSHOT.jar:qp-bench/target/lib/*" qp.bench.HttpBenchmark "$@"
