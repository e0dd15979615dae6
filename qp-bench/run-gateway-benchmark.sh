#!/usr/bin/env bash
# The gateway benchmark in one run: builds qp-bench (and what it needs), then starts a Kafka broker, the bare
# server and the gateway in JVMs of their own and drives both with the load generator, alternating rounds.
# Arguments go to qp.bench.GatewayBenchmark (--help lists them), e.g. --rounds 5 --duration 10s --warmup 5s.
# Set QP_BENCH_SKIP_BUILD=1 to reuse the last build; MVN_FLAGS adds Maven flags (e.g. -o offline).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${QP_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q ${MVN_FLAGS:-} -pl qp-bench -am install -DskipTests
fi
exec java -Xmx256m -cp "qp-bench/target/qp-bench-0.1.0-SNAPSHOT.jar:qp-bench/target/lib/*" qp.bench.GatewayBenchmark "$@"
