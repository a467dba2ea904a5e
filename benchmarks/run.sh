#!/usr/bin/env bash
# Runs every benchmark scenario against every server kind in one run, each run in a fresh server JVM with the same
# flags, and rewrites RESULTS.md, results/results.json, results/results.csv and results/chart.svg. The kinds
# (-Dbench.servers=..., a comma list; all seven by default):
#   raw             a hand-written Tyrus @ServerEndpoint that reads the envelope's event with JSON-P and routes on it
#   raw-verbatim    the same Tyrus server without JSON: echo sends back the text it received (Tyrus's floor)
#   wiregate        Wiregate's stock standalone runtime on Tyrus (Grizzly) with the bench @Gateway
#   raw-netty       a hand-written Netty server that echoes verbatim and fans out through a ChannelGroup (Netty's floor)
#   wiregate-netty  Wiregate's standalone runtime on Netty with the same @Gateway
#   quarkus         Quarkus WebSockets Next (module benchmarks/quarkus): broadcast() for fanout, sendText for echo
#   raw-vertx       a hand-written Vert.x core server (module benchmarks/vertx) that echoes verbatim and fans out with
#                   writeTextMessage (Vert.x core's floor beside raw Netty's)
# Targets against raw Tyrus (issue 6), against Quarkus (issue 14), and the pipeline cost per echo round trip
# (a Wiregate kind's server CPU per round trip minus its floor's, issue 14). -Dbench.repetitions=N runs every
# (scenario, server) N times, the servers interleaved, and reports medians with their spread.
#
#   mvn -B -q -pl benchmarks,benchmarks/quarkus,benchmarks/vertx -am package -DskipTests && benchmarks/run.sh
#
# On application servers (-Dbench.server=wildfly, payara, liberty, a comma list, or all for the three): for each
# server and step, one server JVM with two WARs side by side, Wiregate's (target/wiregate-benchmarks-wiregate.war,
# at /wiregate) and a raw @ServerEndpoint's (target/wiregate-benchmarks-raw.war, at /raw); fanout in burst, echo and
# idle against each, one after the other. Each server gets its own block of RESULTS.md and results/SERVER/. Started
# by arquillian-tests' Launcher, which needs the servers unpacked:
#
#   mvn -B -q -pl benchmarks,arquillian-tests -am pre-integration-test -DskipTests -Dservers.skip=false \
#     && benchmarks/run.sh -Dbench.server=all
#
# Any -Dbench.*=... argument is passed to the driver, for example smaller sizes, some kinds, three rounds:
#   benchmarks/run.sh -Dbench.fanout.clients=200 -Dbench.idle.clients=2000 -Dbench.scenarios=fanout-burst,idle
#   benchmarks/run.sh -Dbench.servers=wiregate,quarkus -Dbench.repetitions=3
# Settings and defaults: src/main/java/io/wiregate/bench/driver/Config.java. The whole run is bounded
# (BENCH_TIMEOUT seconds: 3600 by default, 1200 per application server, times the repetitions); the server JVMs it
# starts end with it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/wiregate-benchmarks.jar"

servers=""
repetitions=1
for arg in "$@"; do
  case "$arg" in
    -Dbench.server=*) servers="${arg#-Dbench.server=}" ;;
    -Dbench.repetitions=*) repetitions="${arg#-Dbench.repetitions=}" ;;
  esac
done
[[ "$repetitions" =~ ^[1-9][0-9]*$ ]] || repetitions=1
case "$servers" in
  "" | standalone)
    build="mvn -B -q -pl benchmarks,benchmarks/quarkus,benchmarks/vertx -am package -DskipTests"
    timeout_seconds="${BENCH_TIMEOUT:-$(( 3600 * repetitions ))}" ;;
  *)
    build="mvn -B -q -pl benchmarks,arquillian-tests -am pre-integration-test -DskipTests -Dservers.skip=false"
    count=$([[ "$servers" == all ]] && echo 3 || echo $(( $(tr -cd , <<<"$servers" | wc -c) + 1 )))
    timeout_seconds="${BENCH_TIMEOUT:-$(( 1200 * count * repetitions ))}"
    if [[ ! -f "$here/target/wiregate-benchmarks-wiregate.war" || ! -d "$here/../arquillian-tests/target/servers" ]]; then
      echo "build it first: $build" >&2
      exit 1
    fi ;;
esac
if [[ ! -f "$jar" ]]; then
  echo "build it first: $build" >&2
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

command_line="$build && benchmarks/run.sh${*:+ $*}"
exec timeout --signal=TERM --kill-after=30 "$timeout_seconds" \
  java -Xms1g -Xmx2g -XX:+UseParallelGC \
  -Dbench.home="$here" -Dbench.command="$command_line" "$@" \
  -jar "$jar"
