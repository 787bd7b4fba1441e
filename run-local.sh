#!/usr/bin/env bash
# Runs the whole system locally in one JVM: an embedded single-node KRaft Kafka broker (data kept in
# ./local-data, or KAFKA_BOOTSTRAP_SERVERS for an existing cluster), the topics, policy-streams,
# greeting-bot, the gateway and a LINE stand-in, with a seeded demo tenant. Ctrl-C stops it.
#   ./run-local.sh                 run
#   ./run-local.sh --demo-traffic  also play simulated platform traffic and print decisions live
set -euo pipefail
cd "$(dirname "$0")"
echo "building (first time takes a few minutes)..."
mvn -B -ntp -q -pl local-stack -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime.classpath -Dmdep.includeScope=runtime >/dev/null
exec java -Xmx2g -Dlogback.configurationFile=local-stack/src/main/resources/logback-local.xml -cp "local-stack/target/classes:$(cat local-stack/target/runtime.classpath)" \
  io.connectorgateway.local.LocalStackMain "$@"
