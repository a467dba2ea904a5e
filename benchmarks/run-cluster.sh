#!/usr/bin/env bash
# The cluster hop benchmark: two Wiregate nodes and a private redis-server (Debian package redis-server),
# a sender on node A and receivers on node B, beside the same fanout within node B. Writes results/cluster-hop.md.
#
#   mvn -B -q -pl benchmarks -am package -DskipTests && benchmarks/run-cluster.sh
#
# -Dbench.cluster.clients=1000,10 (receiver counts) and the -Dbench.* settings of run.sh apply. Bounded by BENCH_TIMEOUT (600 s).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/wiregate-benchmarks.jar"
if [[ ! -f "$jar" || ! -d "$here/target/lib-cluster" ]]; then
  echo "build it first: mvn -B -q -pl benchmarks -am package -DskipTests" >&2
  exit 1
fi
exec timeout --signal=TERM --kill-after=30 "${BENCH_TIMEOUT:-600}" \
  java -Xms512m -Xmx1g -XX:+UseParallelGC -Dbench.home="$here" "$@" \
  -cp "$jar" io.wiregate.bench.driver.ClusterHopBenchmark
