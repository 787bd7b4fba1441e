#!/usr/bin/env bash
# Runs the benchmark set (see docs/benchmarks.md and README "Benchmarks").
#   ./bench.sh                    quick profile, ends within ~10 minutes on 2 cores
#   ./bench.sh --profile full     larger sizes
# Uses an embedded Kafka broker unless KAFKA_BOOTSTRAP_SERVERS is set. BENCH_SKIP_BUILD=1 reuses the last build.
set -euo pipefail
cd "$(dirname "$0")"
[ -n "${BENCH_SKIP_BUILD:-}" ] || mvn -B -ntp -q -pl benchmarks -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime.classpath -Dmdep.includeScope=runtime >/dev/null
exec java -Xmx4g -Dlogback.configurationFile="$PWD"/benchmarks/src/main/resources/logback-bench.xml -cp "benchmarks/target/classes:$(cat benchmarks/target/runtime.classpath)" \
  io.connectorgateway.bench.BenchmarkSuite "$@"
