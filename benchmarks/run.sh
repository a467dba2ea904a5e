#!/usr/bin/env bash
# Runs every benchmark scenario against raw Tyrus and Wiregate in one run, and rewrites RESULTS.md,
# results/results.json, results/results.csv and results/chart.svg.
#
#   mvn -B -q -pl benchmarks -am package -DskipTests && benchmarks/run.sh
#
# Any -Dbench.*=... argument is passed to the driver, for example smaller sizes:
#   benchmarks/run.sh -Dbench.fanout.clients=200 -Dbench.idle.clients=2000 -Dbench.scenarios=fanout-burst,idle
# Settings and defaults: src/main/java/io/wiregate/bench/driver/Config.java. The whole run is bounded
# (BENCH_TIMEOUT seconds, 1800 by default); the server JVMs it starts end with it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/wiregate-benchmarks.jar"
if [[ ! -f "$jar" ]]; then
  echo "build it first: mvn -B -q -pl benchmarks -am package -DskipTests" >&2
  exit 1
fi

# 10,000 idle connections need more than 10,000 descriptors in the generator and in the server.
need=12000
soft="$(ulimit -n)"
if [[ "$soft" != unlimited && "$soft" -lt "$need" ]]; then
  hard="$(ulimit -Hn)"
  if [[ "$hard" == unlimited || "$hard" -ge "$need" ]]; then
    ulimit -n "$need"
  else
    ulimit -n "$hard"
    echo "warning: open files limited to $hard; the idle scenario needs about $need (use -Dbench.idle.clients)" >&2
  fi
fi

command_line="mvn -B -q -pl benchmarks -am package -DskipTests && benchmarks/run.sh${*:+ $*}"
exec timeout --signal=TERM --kill-after=30 "${BENCH_TIMEOUT:-1800}" \
  java -Xms1g -Xmx2g -XX:+UseParallelGC \
  -Dbench.home="$here" -Dbench.command="$command_line" "$@" \
  -jar "$jar"
