#!/usr/bin/env bash
# Benchmarks Tern on loopback with the official Apache RocketMQ 4.9 client and prints a summary.
# With --peer it also resolves Apache RocketMQ 5.3.x from Maven Central, runs the same scenarios
# against it in the same run (one broker at a time, alternating) and prints Tern/peer ratios.
# Not part of the test suite CI runs: it takes minutes and wants a quiet machine.
#
# Results: target/bench/<utc timestamp>/ (git-ignored): one JSON per scenario and broker,
# broker and generator logs, machine.txt, summary.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CMDLINE="scripts/bench.sh $*"

usage() {
  cat <<'EOF'
usage: scripts/bench.sh [--peer | --peer-only] [--ceiling] [--quick] [options]

  (default)        benchmark Tern standalone only
  --peer           benchmark Tern and Apache RocketMQ (5.3.3 and 4.9.7, PEER_VERSIONS), alternating, and print
                   the ratios of Tern to the faster peer per scenario
  --peer-only      benchmark only Apache RocketMQ (checks the harness without Tern)
  --ceiling        also run every scenario against the null broker (io.tern.bench.nullbroker.NullBroker: remoting
                   protocol, one event loop, nothing stored): the most this client reaches on this machine; the
                   summary gives Tern's share of it
  --quick          a few seconds per scenario, 100k backlog: a smoke run (~2 min per broker)
  --rounds N       repeat everything N times, alternating which broker goes first (default 1);
                   the comparison uses the median per scenario
  --only LIST      run only these scenarios (comma-separated names, see below)
  --out DIR        results directory (default target/bench/<utc timestamp>)
  --write-docs     put the summary into src-docs/performance.md (generated section)
  --no-build       use the jars already built
  --keep-stores    do not delete the brokers' store directories after each block
  --no-beyond      skip the scenarios beyond the six (below); --only selects among all of them

Scenarios (1 KiB bodies, topics with 8 queues, ASYNC_FLUSH unless named):
  startup            broker process start -> nameserver returns a route for the bench topic (both brokers
                     join a nameserver process started before them)
  sync-1, sync-8, sync-32   sync send with 1, 8, 32 threads, max rate
  async              async send, max rate, 256 sends in flight
  drain              fill a backlog of 1,000,000 messages, then time a push consumer draining it
  e2e-5k             end-to-end latency at a fixed 5,000 msg/s (producer and consumer in one JVM; the client
                     runs async sends on the pacing thread and callbacks on its I/O thread: --client-callbacks inline)
  memory             broker memory once the load is over
  sync-32-syncflush  sync send with 32 threads, broker restarted with SYNC_FLUSH
  sync-master-sync-32, sync-master-async
                     a broker group: a SYNC_MASTER and one SLAVE (each its own process, same brokerName),
                     every send answered once the slave has it; sync-32 and async as above (ASYNC_FLUSH)

Scenarios beyond the six (issue 15; reported for every broker, no target; a fresh broker per round, after all
rounds of the scenarios above, so the page-cache drop of drain-cold cannot make a timed start-up cold):
  e2e-20k            e2e as e2e-5k at 20,000 msg/s
  fanout-8           e2e at 5,000 msg/s with 8 consumer groups each receiving every message (40,000 deliveries/s);
                     msg/s and CPU per message count deliveries
  queues-10k         sync-32 spread over 1,250 topics x 8 queues (10,000 queues), created before the run
  sync-32-64k, sync-32-1m
                     sync-32 with 64 KiB and 1 MiB bodies (client compression off); msg/s and MiB/s
  drain-cold         drain of a cold backlog (root; drops the whole machine's page cache, needs python3 for the
                     page-out): fill 1,000,000 messages, stop the broker (SIGTERM; its store stays), sync + echo 3 >
                     /proc/sys/vm/drop_caches, start the same broker on the same store, wait until it routes the topic
                     and serves the whole backlog, page out what its start-up read back and still maps
                     (process_madvise MADV_PAGEOUT; RocketMQ's recovery reads its last commit-log files), then time
                     the drain only. The result gives the store's and the backlog's cached MB at drain start. The
                     null broker (backlog in memory) drains without restart or drop, and its result says so
  e2e-5k-syncflush   e2e-5k in the SYNC_FLUSH block

Environment: PEER_VERSIONS (default "5.3.3 4.9.7"), TERN_JAR (default: the fat jar in modules/server/target), TERN_JAVA_OPTS (default: the flags of conf/jvm.options, what scripts/tern gives every user; the class-data-sharing archive beside the jar is added as scripts/tern adds it), PEER_BROKER_JAVA_OPTS,
PEER_NAMESRV_JAVA_OPTS, GEN_JAVA_OPTS, MVN (default "mvn -q").
EOF
}

RUN_TERN=1 RUN_PEER=0 RUN_CEILING=0 QUICK=0 ROUNDS=1 ONLY="" OUT="" WRITE_DOCS=0 BUILD=1 KEEP_STORES=0 BEYOND=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --peer) RUN_PEER=1 ;;
    --peer-only) RUN_PEER=1 RUN_TERN=0 ;;
    --ceiling) RUN_CEILING=1 ;;
    --quick) QUICK=1 ;;
    --rounds) ROUNDS=$2; shift ;;
    --only) ONLY=$2; shift ;;
    --out) OUT=$2; shift ;;
    --write-docs) WRITE_DOCS=1 ;;
    --no-build) BUILD=0 ;;
    --keep-stores) KEEP_STORES=1 ;;
    --no-beyond) BEYOND=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

MVN=${MVN:-"mvn -q"}
TERN_JAR=${TERN_JAR:-"$ROOT/modules/server/target/tern-server-0.1.0-SNAPSHOT-fat.jar"}
BENCH_JAR="$ROOT/modules/bench/target/tern-bench-0.1.0-SNAPSHOT-bench.jar"
# Each broker runs with the JVM flags it ships with: the peer with RocketMQ's broker settings (1 GiB heap, as the
# issue prescribes), Tern with conf/jvm.options, which scripts/tern applies for every user.
TERN_JAVA_OPTS=${TERN_JAVA_OPTS:-"$(sed -e 's/#.*//' "$ROOT/conf/jvm.options" 2>/dev/null | xargs)"}
TERN_JSA="${TERN_JAR%.jar}.jsa"   # the class-data-sharing archive the build writes beside the jar, as scripts/tern uses it
GEN_JAVA_OPTS=${GEN_JAVA_OPTS:-"-Xms512m -Xmx1g -XX:+UseG1GC"}
NULL_JAVA_OPTS=${NULL_JAVA_OPTS:-"-Xms512m -Xmx1g -XX:+UseG1GC"}
OUT=${OUT:-"$ROOT/target/bench/$(date -u +%Y%m%dT%H%M%SZ)"}
# shellcheck source=peer/peer.sh
source "$ROOT/scripts/peer/peer.sh"

if [[ $QUICK == 1 ]]; then
  SEND_S=3 WARMUP_S=1 BACKLOG=100000 E2E_S=5 OBSERVE_S=2
else
  SEND_S=20 WARMUP_S=5 BACKLOG=1000000 E2E_S=30 OBSERVE_S=3
fi

STARTED_PIDS=()
FAILURES=()
STOP_KILLED=0   # set by stop_pid when a process ignored SIGTERM and was killed

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "[$(date -u +%H:%M:%S)] $*"; }

# ---------------------------------------------------------------- processes and ports

alive() { kill -0 "$1" 2>/dev/null; }

stop_pid() {
  local pid=$1 i
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 200); do
    alive "$pid" || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  echo "bench: pid $pid ignored SIGTERM for 20 s, killing it" >&2
  STOP_KILLED=1
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]:-}"; do
    if [[ -n $pid ]]; then stop_pid "$pid"; fi
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! ss -Hltn "( sport = :$1 )" 2>/dev/null | grep -q .; }

# pick_port VAR: sets VAR to a port with two free ports on each side (RocketMQ's broker also
# binds port-2 for its VIP channel and port+1 for HA, and Tern may do the same), never one
# handed out before in this run. Not called in $(...): the list of handed-out ports must persist.
PICKED_PORTS=""
pick_port() {
  local p d ok
  for _ in $(seq 1 500); do
    # below Linux's ephemeral range (32768-60999 by default): a port held by some client connection is not
    # visible to the listener check above, and the peer's broker died binding one in a --rounds 3 run
    p=$(( 20000 + RANDOM % 12000 ))
    ok=1
    for d in -2 -1 0 1 2; do
      if ! port_free $((p + d)) || [[ " $PICKED_PORTS " == *" $((p + d)) "* ]]; then ok=0; break; fi
    done
    if [[ $ok == 1 ]]; then
      PICKED_PORTS="$PICKED_PORTS $((p - 2)) $((p - 1)) $p $((p + 1)) $((p + 2))"
      printf -v "$1" '%s' "$p"
      return 0
    fi
  done
  die "no free loopback port found"
}

# wait_port PORT PID SECONDS: until something listens on PORT; fails if PID dies first.
wait_port() {
  local port=$1 pid=$2 limit=$3 i
  for i in $(seq 1 $((limit * 20))); do
    port_free "$port" || return 0
    alive "$pid" || return 1
    sleep 0.05
  done
  return 1
}

# ---------------------------------------------------------------- builds

build() {
  [[ $BUILD == 1 ]] || return 0
  log "building the load generator (modules/bench)"
  (cd "$ROOT" && $MVN -DskipTests package -pl modules/bench -am) > "$OUT/build-bench.log" 2>&1 \
    || { tail -30 "$OUT/build-bench.log" >&2; die "the load generator does not build; see $OUT/build-bench.log"; }
  if [[ $RUN_TERN == 1 ]]; then
    log "building Tern (modules/server fat jar)"
    if ! (cd "$ROOT" && $MVN -DskipTests package -pl modules/server -am) > "$OUT/build-tern.log" 2>&1; then
      tail -30 "$OUT/build-tern.log" >&2
      die "Tern does not build (see $OUT/build-tern.log). Use --peer-only to benchmark only Apache RocketMQ."
    fi
  fi
}

check_jars() {
  [[ -f $BENCH_JAR ]] || die "no load generator jar at $BENCH_JAR (build without --no-build)"
  if [[ $RUN_TERN == 1 && ! -f $TERN_JAR ]]; then
    die "no Tern fat jar at $TERN_JAR. Use --peer-only to benchmark only Apache RocketMQ."
  fi
}

machine_info() {
  echo "date (UTC):   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu:          $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) x $(nproc) cores"
  echo "memory:       $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel:       $(uname -sr)"
  echo "java:         $(java -version 2>&1 | head -1)"
  echo "store disk:   $(df -h "$OUT" | awk 'NR==2 {print $1 ", " $2 " total"}')"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (at start; other work on the machine skews results)"
  echo "repository:   commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [[ $RUN_TERN == 1 ]]; then echo "tern:         fat jar, nameserver and broker processes, JVM: $TERN_JAVA_OPTS $(tern_cds_flags)"; fi
  if [[ $RUN_PEER == 1 ]]; then echo "peer:         Apache RocketMQ $PEER_VERSIONS, namesrv: $PEER_NAMESRV_JAVA_OPTS; broker: $PEER_BROKER_JAVA_OPTS (4.x adds: $PEER4_EXTRA_JAVA_OPTS)"; fi
  if [[ $RUN_CEILING == 1 ]]; then echo "ceiling:      null broker (io.tern.bench.nullbroker.NullBroker), JVM: $NULL_JAVA_OPTS"; fi
  echo "client:       Apache RocketMQ client 4.9.8 (io.tern.bench.load.LoadGenerator), JVM: $GEN_JAVA_OPTS"
}

# ---------------------------------------------------------------- load generator

# generator NAME ARGS...: runs one scenario against $NAMESRV, result to $RESULTS.
generator() {
  local name=$1; shift
  local json="$RESULTS/r$ROUND-$(printf %02d "$SEQ")-$name.json"
  SEQ=$((SEQ + 1))
  generator_to "$json" "$name" "$@"
}

# generator_to JSON NAME ARGS...: runs the generator with its result in JSON (a step that is not a result of its
# own, like a phase of drain-cold, keeps it in the block's directory, out of the comparison).
generator_to() {
  local json=$1 name=$2; shift 2
  # shellcheck disable=SC2086
  timeout 900 java $GEN_JAVA_OPTS -Drocketmq.client.logRoot="$OUT/client-logs" \
    -cp "$BENCH_JAR" io.tern.bench.load.LoadGenerator \
    --namesrv "127.0.0.1:$NS_PORT" --broker "$BROKER" --name "$name" --pid "$PIDS" --json "$json" "$@" \
    >> "$BLOCK_DIR/generator.log" 2>&1
}

wanted() {
  if [[ $BEYOND == 0 && " ${BEYOND_SCENARIOS[*]} e2e-5k-syncflush " == *" $1 "* ]]; then return 1; fi
  [[ -z $ONLY || ",$ONLY," == *",$1,"* ]]
}

# scenario NAME ARGS...: runs it if wanted and the broker is still up; records failures.
scenario() {
  local name=$1; shift
  wanted "$name" || return 0
  if ! alive "$BROKER_PID"; then
    FAILURES+=("$BROKER $name: broker process $BROKER_PID is gone")
    return 0
  fi
  log "$BROKER: $name"
  local stages_before=""
  if [[ $BROKER == tern ]]; then
    stages_before=$(tern_stage_counters)
  fi
  if generator "$name" "$@"; then
    tail -1 "$BLOCK_DIR/generator.log"
    if [[ -n $stages_before ]]; then
      tern_stages "$name" "$stages_before" "$(tern_stage_counters)"
    fi
  else
    FAILURES+=("$BROKER $name: load generator failed (exit $?), see $BLOCK_DIR/generator.log")
    tail -5 "$BLOCK_DIR/generator.log" >&2
  fi
}

# tern_stage_counters: the counters behind a send's stages from Tern's /metrics (bash's /dev/tcp, no curl needed):
# "send_sum send_count writer_requests writer_queued writer_batch", or nothing if the scrape fails.
tern_stage_counters() {
  local body
  body=$( (exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT" && printf 'GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 \
    && timeout 5 cat <&3) 2>/dev/null) || return 0
  awk '$1 == "tern_send_latency_seconds_sum" {a=$2} $1 == "tern_send_latency_seconds_count" {b=$2}
       $1 == "tern_store_writer_requests_total" {c=$2} $1 == "tern_store_writer_queued_seconds_total" {d=$2}
       $1 == "tern_store_writer_batch_seconds_total" {e=$2}
       END {if (b != "" && c != "") print a, b, c, d, e}' <<< "$body"
}

# tern_stages NAME BEFORE AFTER: where the scenario's sends spent their time in Tern (means over warm-up and
# measurement): waiting for the store writer, in its batch, and the rest of the send processor's time (the event
# loop before the hand-off and after the answer). Logged and kept in the block's stages.txt.
tern_stages() {
  local line
  line=$(awk -v name="$1" -v b="$2" -v a="$3" 'BEGIN {
    split(b, x, " "); split(a, y, " ");
    sends = y[2] - x[2]; reqs = y[3] - x[3];
    if (sends <= 0 || reqs <= 0) exit;
    send = (y[1] - x[1]) / sends * 1e6; queued = (y[4] - x[4]) / reqs * 1e6; batch = (y[5] - x[5]) / reqs * 1e6;
    printf "%s stages, mean us per send: processor %.1f = writer queue %.1f + writer batch %.1f + event loop %.1f",
      name, send, queued, batch, send - queued - batch }')
  [[ -n $line ]] || return 0
  echo "$line" >> "$BLOCK_DIR/stages.txt"
  log "tern: $line"
}

# ---------------------------------------------------------------- brokers

# The archive flags scripts/tern adds: only for an archive newer than the jar, unless TERN_JAVA_OPTS names one.
tern_cds_flags() {
  if [[ -f $TERN_JSA && $TERN_JSA -nt $TERN_JAR && $TERN_JAVA_OPTS != *SharedArchiveFile* ]]; then
    echo "-XX:SharedArchiveFile=$TERN_JSA -Xlog:cds=off -Xlog:cds+dynamic=off -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
  fi
}

# Tern runs in the peer's shape: a nameserver process started first, then the broker process that every
# scenario measures (start-up included), so both sides time the same thing: a broker joining a running nameserver.
# The command is scripts/tern's: the fat jar on the class path and its main class named (one read of the jar's index).
start_tern() {
  (cd "$ROOT" && TERN_NAMESERVER_ADDR="127.0.0.1:$NS_PORT" TERN_BROKER_PORT=$BROKER_PORT TERN_HTTP_PORT=$HTTP_PORT \
    TERN_STORE_ROOT="$BLOCK_DIR/store" TERN_FLUSH_MODE=$FLUSH \
    exec java $TERN_JAVA_OPTS $(tern_cds_flags) -cp "$TERN_JAR" io.tern.server.TernMain broker) >> "$BLOCK_DIR/tern.out" 2>&1 &
  BROKER_PID=$!
  STARTED_PIDS+=("$BROKER_PID")
}

start_tern_namesrv() {
  (cd "$ROOT" && TERN_NAMESERVER_PORT=$NS_PORT \
    exec java $TERN_JAVA_OPTS $(tern_cds_flags) -cp "$TERN_JAR" io.tern.server.TernMain nameserver) > "$BLOCK_DIR/namesrv.out" 2>&1 &
  NAMESRV_PID=$!
  STARTED_PIDS+=("$NAMESRV_PID")
  wait_port "$NS_PORT" "$NAMESRV_PID" 60 \
    || { tail -20 "$BLOCK_DIR/namesrv.out" >&2; die "Tern nameserver did not start"; }
}

start_peer_broker() {
  peer_start_broker "$BLOCK_DIR" "$BROKER_PORT" "$NS_PORT" "$FLUSH"
  BROKER_PID=$PEER_BROKER_PID
  STARTED_PIDS+=("$BROKER_PID")
}

start_peer_namesrv() {
  peer_start_namesrv "$BLOCK_DIR" "$NS_PORT"
  NAMESRV_PID=$PEER_NAMESRV_PID
  STARTED_PIDS+=("$NAMESRV_PID")
  wait_port "$NS_PORT" "$NAMESRV_PID" 60 \
    || { tail -20 "$BLOCK_DIR/namesrv.out" >&2; die "Apache RocketMQ nameserver did not start"; }
}

# The null broker is nameserver and broker on one port; nothing else to start.
start_null() {
  # shellcheck disable=SC2086
  java $NULL_JAVA_OPTS -cp "$BENCH_JAR" io.tern.bench.nullbroker.NullBroker --port "$BROKER_PORT" \
    > "$BLOCK_DIR/null.out" 2>&1 &
  BROKER_PID=$!
  STARTED_PIDS+=("$BROKER_PID")
}

# Starts the broker while the load generator times it (startup scenario): the generator gets
# ready first, then the broker starts, then the generator learns its pid.
timed_start() {
  local start_fn=$1 ready="$BLOCK_DIR/generator.ready" pidfile="$BLOCK_DIR/broker.pid" gen i
  rm -f "$ready" "$pidfile"
  log "$BROKER: startup"
  PIDS="" generator startup --scenario startup --topic bench --queues 8 \
    --ready-file "$ready" --pid-file "$pidfile" --startup-timeout 60 --broker-port "$BROKER_PORT" &
  gen=$!
  SEQ=$((SEQ + 1))
  for i in $(seq 1 1200); do
    [[ -f $ready ]] && break
    alive "$gen" || break
    sleep 0.05
  done
  [[ -f $ready ]] || die "the load generator did not get ready; see $BLOCK_DIR/generator.log"
  $start_fn
  echo "$BROKER_PID" > "$pidfile.tmp" && mv "$pidfile.tmp" "$pidfile"
  if wait "$gen"; then
    tail -1 "$BLOCK_DIR/generator.log"
  else
    FAILURES+=("$BROKER startup: no usable route, see $BLOCK_DIR/generator.log")
    tail -5 "$BLOCK_DIR/generator.log" >&2
  fi
}

# Starts the broker without timing it and waits for its remoting port.
plain_start() {
  local start_fn=$1
  $start_fn
  wait_port "$BROKER_PORT" "$BROKER_PID" 120 || FAILURES+=("$BROKER ($FLUSH): broker did not open its port")
}

stop_block() {
  stop_pid "$BROKER_PID"
  [[ -n ${NAMESRV_PID:-} ]] && stop_pid "$NAMESRV_PID"
  NAMESRV_PID=""
  if [[ $KEEP_STORES == 0 ]]; then rm -rf "$BLOCK_DIR/store"; fi
}

# use_broker tern|null|peer-VERSION: sets BROKER (the label in results) and, for a peer, its version.
use_broker() {
  case $1 in
    tern) BROKER=tern ;;
    null) BROKER=null ;;
    peer-*) peer_use "${1#peer-}"; BROKER=$PEER_LABEL ;;
  esac
}

# prepare_block tern|null|peer-VERSION NAME: the block's directory, results and ports, the nameserver started
# (the null broker is its own); START_FN names the function that starts the broker.
prepare_block() {
  local which=$1
  use_broker "$which"
  BLOCK_DIR="$OUT/$BROKER/round$ROUND-$2"
  RESULTS="$OUT/$BROKER/results"
  mkdir -p "$BLOCK_DIR" "$RESULTS"
  pick_port NS_PORT; pick_port BROKER_PORT; pick_port HTTP_PORT
  NAMESRV_PID=""
  START_FN=start_tern
  if [[ $which == null ]]; then
    NS_PORT=$BROKER_PORT
    START_FN=start_null
  elif [[ $which == peer-* ]]; then
    start_peer_namesrv
    START_FN=start_peer_broker
  else
    start_tern_namesrv
  fi
}

# run_block tern|null|peer-VERSION ASYNC_FLUSH|SYNC_FLUSH: one broker process, its scenarios, stop.
run_block() {
  local which=$1
  FLUSH=$2
  prepare_block "$which" "$FLUSH"
  local start_fn=$START_FN
  log "== $BROKER, $FLUSH, round $ROUND (nameserver 127.0.0.1:$NS_PORT, broker port $BROKER_PORT)"
  if [[ $FLUSH == ASYNC_FLUSH ]]; then
    timed_start $start_fn
  else
    plain_start $start_fn
  fi
  # The broker's numbers come first; the peer's nameserver is reported beside it, not added.
  PIDS="broker=$BROKER_PID"
  [[ -n $NAMESRV_PID ]] && PIDS="$PIDS,namesrv=$NAMESRV_PID"

  local common=(--body-bytes 1024 --queues 8)
  if [[ $FLUSH == ASYNC_FLUSH ]]; then
    scenario sync-1 --scenario sync-send --topic bench --threads 1 --duration $SEND_S --warmup $WARMUP_S "${common[@]}"
    scenario sync-8 --scenario sync-send --topic bench --threads 8 --duration $SEND_S --warmup $WARMUP_S "${common[@]}"
    scenario sync-32 --scenario sync-send --topic bench --threads 32 --duration $SEND_S --warmup $WARMUP_S "${common[@]}"
    scenario async --scenario async-send --topic bench --inflight 256 --duration $SEND_S --warmup $WARMUP_S "${common[@]}"
    scenario drain --scenario drain --topic bench-drain --count $BACKLOG --duration 300 --warmup 0 "${common[@]}"
    scenario e2e-5k --scenario e2e --topic bench-e2e --rate 5000 --duration $E2E_S --warmup $WARMUP_S --client-callbacks inline "${common[@]}"
    scenario memory --scenario observe --duration $OBSERVE_S
  else
    scenario sync-32-syncflush --scenario sync-send --topic bench --threads 32 --duration $SEND_S --warmup $WARMUP_S "${common[@]}"
    scenario e2e-5k-syncflush --scenario e2e --topic bench-e2e --rate 5000 --duration $E2E_S --warmup $WARMUP_S --client-callbacks inline "${common[@]}"
  fi
  stop_block
}

# ---------------------------------------------------------------- scenarios beyond the six (issue 15)

BEYOND_SCENARIOS=(drain-cold e2e-20k fanout-8 sync-32-64k sync-32-1m queues-10k)

# run_beyond_block tern|null|peer-VERSION: a fresh broker (ASYNC_FLUSH, start not timed), the scenarios a RocketMQ
# user asks about beyond the six but drain-cold (run_cold_block), stop. queues-10k last: after it a broker may still
# be dispatching its messages (RocketMQ 4.9.7 was a minute behind), which must not land in another scenario.
run_beyond_block() {
  local which=$1
  FLUSH=ASYNC_FLUSH
  prepare_block "$which" beyond
  local start_fn=$START_FN
  log "== $BROKER, scenarios beyond the six, round $ROUND (nameserver 127.0.0.1:$NS_PORT, broker port $BROKER_PORT)"
  plain_start $start_fn
  PIDS="broker=$BROKER_PID"
  [[ -n $NAMESRV_PID ]] && PIDS="$PIDS,namesrv=$NAMESRV_PID"

  local common=(--body-bytes 1024 --queues 8) sync32=(--scenario sync-send --threads 32 --duration $SEND_S --warmup $WARMUP_S)
  scenario e2e-20k --scenario e2e --topic bench-e2e --rate 20000 --duration $E2E_S --warmup $WARMUP_S --client-callbacks inline "${common[@]}"
  scenario fanout-8 --scenario e2e --topic bench-fanout --groups 8 --rate 5000 --duration $E2E_S --warmup $WARMUP_S --client-callbacks inline "${common[@]}"
  scenario sync-32-64k "${sync32[@]}" --topic bench-64k --body-bytes 65536 --queues 8
  scenario sync-32-1m "${sync32[@]}" --topic bench-1m --body-bytes 1048576 --queues 8
  scenario queues-10k "${sync32[@]}" --topic bench-q --topics 1250 "${common[@]}"
  stop_block
}

# cold_drain START_FN ARGS...: drain-cold. A running broker keeps its commit log and consume queues mapped and the
# kernel drops no mapped page, so the backlog is made cold with the broker down: fill it, stop the broker gracefully
# (its store stays), sync and drop the page cache, start the same broker (START_FN, same command line, same store)
# and let the generator wait until it routes the topic and serves the whole backlog, then page out what the broker's
# start-up read back and keeps mapped (RocketMQ's recovery reads its last commit-log files); only the drain is timed.
# The three generator phases hand each other the backlog through a state file; fill and drop keep their results in the
# block's directory. The null broker keeps its backlog in memory (a restart would lose it, and it has no store to
# make cold): it drains without restart or drop, and its result says so (brokerRestarted false, nothing dropped).
cold_drain() {
  local start_fn=$1; shift
  wanted drain-cold || return 0
  if ! alive "$BROKER_PID"; then
    FAILURES+=("$BROKER drain-cold: broker process $BROKER_PID is gone")
    return 0
  fi
  local state="$BLOCK_DIR/drain-cold-state.json" store=()
  local phase=(--scenario drain --topic bench-drain-cold --state-file "$state" --duration 300 --warmup 0 "$@")
  [[ $BROKER != null ]] && store=(--store-dir "$BLOCK_DIR/store")
  rm -f "$state"
  log "$BROKER: drain-cold: fill"
  if ! generator_to "$BLOCK_DIR/drain-cold-fill.json" drain-cold-fill "${phase[@]}" --phase fill --count $BACKLOG; then
    FAILURES+=("$BROKER drain-cold: the fill failed, see $BLOCK_DIR/generator.log")
    tail -5 "$BLOCK_DIR/generator.log" >&2
    return 0
  fi
  tail -1 "$BLOCK_DIR/generator.log"
  if [[ $BROKER != null ]]; then
    log "$BROKER: drain-cold: stop the broker, drop the page cache, start it again on the same store"
    STOP_KILLED=0
    stop_pid "$BROKER_PID"
    [[ $STOP_KILLED == 1 ]] && FAILURES+=("$BROKER drain-cold: the broker was killed, not stopped: it recovered from a crash")
    if ! PIDS="" generator_to "$BLOCK_DIR/drain-cold-drop.json" drain-cold-drop "${phase[@]}" --phase drop "${store[@]}"; then
      FAILURES+=("$BROKER drain-cold: the drop step failed, see $BLOCK_DIR/generator.log")
    fi
    tail -1 "$BLOCK_DIR/generator.log"
    plain_start "$start_fn"
    PIDS="broker=$BROKER_PID"
    [[ -n $NAMESRV_PID ]] && PIDS="$PIDS,namesrv=$NAMESRV_PID"
  fi
  scenario drain-cold "${phase[@]}" --phase drain "${store[@]}"
}

# run_cold_block tern|null|peer-VERSION: drain-cold alone on a broker of its own, so that its store holds only the
# backlog and no other scenario runs against a broker it restarted and whose store it paged out (Tern's writer would
# fault in the pages it had prepared ahead of it again, one by one).
run_cold_block() {
  local which=$1
  FLUSH=ASYNC_FLUSH
  prepare_block "$which" cold
  local start_fn=$START_FN
  log "== $BROKER, drain-cold, round $ROUND (nameserver 127.0.0.1:$NS_PORT, broker port $BROKER_PORT)"
  plain_start $start_fn
  PIDS="broker=$BROKER_PID"
  [[ -n $NAMESRV_PID ]] && PIDS="$PIDS,namesrv=$NAMESRV_PID"
  cold_drain $start_fn --body-bytes 1024 --queues 8
  stop_block
}

# beyond_wanted [drain-cold]: whether any scenario beyond the six is wanted, apart from drain-cold unless named.
beyond_wanted() {
  local name
  for name in "${BEYOND_SCENARIOS[@]}"; do
    [[ $name == drain-cold && ${1:-} != drain-cold ]] && continue
    wanted "$name" && return 0
  done
  return 1
}

# ---------------------------------------------------------------- broker groups (issue 11)

# A group is a SYNC_MASTER and one SLAVE sharing a brokerName, each in its own process; the master's replication
# port is its broker port + 1 (pick_port keeps it free). The scenarios measure the master (broker=), the slave
# is sampled beside it (slave=).
GROUP_SCENARIOS=(sync-master-sync-32 sync-master-async)

start_tern_group() {
  (cd "$ROOT" && TERN_NAMESERVER_ADDR="127.0.0.1:$NS_PORT" TERN_BROKER_PORT=$BROKER_PORT TERN_HTTP_PORT=$HTTP_PORT \
    TERN_STORE_ROOT="$BLOCK_DIR/store" TERN_FLUSH_MODE=$FLUSH TERN_BROKER_NAME=bench-group \
    TERN_BROKER_ROLE=SYNC_MASTER TERN_HA_PORT=$((BROKER_PORT + 1)) \
    exec java $TERN_JAVA_OPTS $(tern_cds_flags) -jar "$TERN_JAR" broker) > "$BLOCK_DIR/tern.out" 2>&1 &
  BROKER_PID=$!
  STARTED_PIDS+=("$BROKER_PID")
  (cd "$ROOT" && TERN_NAMESERVER_ADDR="127.0.0.1:$NS_PORT" TERN_BROKER_PORT=$SLAVE_PORT TERN_HTTP_PORT=-1 \
    TERN_STORE_ROOT="$BLOCK_DIR/store-slave" TERN_FLUSH_MODE=$FLUSH TERN_BROKER_NAME=bench-group \
    TERN_BROKER_ROLE=SLAVE TERN_BROKER_ID=1 \
    exec java $TERN_JAVA_OPTS $(tern_cds_flags) -jar "$TERN_JAR" broker) > "$BLOCK_DIR/tern-slave.out" 2>&1 &
  SLAVE_PID=$!
  STARTED_PIDS+=("$SLAVE_PID")
}

start_peer_group() {
  peer_start_group_broker "$BLOCK_DIR/master" "$BROKER_PORT" "$NS_PORT" "$FLUSH" SYNC_MASTER 0
  BROKER_PID=$PEER_BROKER_PID
  STARTED_PIDS+=("$BROKER_PID")
  peer_start_group_broker "$BLOCK_DIR/slave" "$SLAVE_PORT" "$NS_PORT" "$FLUSH" SLAVE 1
  SLAVE_PID=$PEER_BROKER_PID
  STARTED_PIDS+=("$SLAVE_PID")
}

# True once the master's log says a slave connected for replication (Tern: "replicates from"; RocketMQ 5: its
# HA service's "HAService receive new connection" in the store log under the master's home).
group_replicating() {
  if [[ $BROKER == tern ]]; then
    grep -q "replicates from" "$BLOCK_DIR/tern.out" 2>/dev/null
  else
    grep -rqs "HAService receive new connection" "$BLOCK_DIR/master/logs" 2>/dev/null
  fi
}

# run_group_block tern|peer: nameserver, master and slave, the group scenarios, stop.
run_group_block() {
  local which=$1 i
  FLUSH=ASYNC_FLUSH
  use_broker "$which"
  BLOCK_DIR="$OUT/$BROKER/round$ROUND-group"
  RESULTS="$OUT/$BROKER/results"
  mkdir -p "$BLOCK_DIR" "$RESULTS"
  pick_port NS_PORT; pick_port BROKER_PORT; pick_port SLAVE_PORT; pick_port HTTP_PORT
  NAMESRV_PID="" SLAVE_PID=""
  log "== $BROKER, SYNC_MASTER + SLAVE, round $ROUND (nameserver 127.0.0.1:$NS_PORT, master $BROKER_PORT, slave $SLAVE_PORT)"
  if [[ $which == peer-* ]]; then
    start_peer_namesrv
    start_peer_group
  else
    start_tern_namesrv
    start_tern_group
  fi
  wait_port "$BROKER_PORT" "$BROKER_PID" 120 || FAILURES+=("$BROKER group: the master did not open its port")
  wait_port "$SLAVE_PORT" "$SLAVE_PID" 120 || FAILURES+=("$BROKER group: the slave did not open its port")
  for i in $(seq 1 600); do
    group_replicating && break
    alive "$BROKER_PID" && alive "$SLAVE_PID" || break
    sleep 0.1
  done
  group_replicating || FAILURES+=("$BROKER group: no slave connected to the master within 60 s")
  PIDS="broker=$BROKER_PID,slave=$SLAVE_PID,namesrv=$NAMESRV_PID"

  local common=(--body-bytes 1024 --queues 8)
  scenario sync-master-sync-32 --scenario sync-send --topic bench --threads 32 --duration $SEND_S --warmup $WARMUP_S "${common[@]}"
  scenario sync-master-async --scenario async-send --topic bench --inflight 256 --duration $SEND_S --warmup $WARMUP_S "${common[@]}"
  stop_pid "$SLAVE_PID"
  stop_block
  if [[ $KEEP_STORES == 0 ]]; then rm -rf "$BLOCK_DIR/store-slave" "$BLOCK_DIR/master/store" "$BLOCK_DIR/slave/store"; fi
}

group_wanted() {
  local name
  for name in "${GROUP_SCENARIOS[@]}"; do wanted "$name" && return 0; done
  return 1
}

# True when some scenario of the single-broker ASYNC_FLUSH block is wanted (it also times the start-up).
single_wanted() {
  local name
  for name in startup sync-1 sync-8 sync-32 async drain e2e-5k memory; do wanted "$name" && return 0; done
  return 1
}

# ---------------------------------------------------------------- main

mkdir -p "$OUT"
build
check_jars
if [[ $RUN_PEER == 1 ]]; then
  for v in $PEER_VERSIONS; do
    peer_use "$v"
    peer_resolve >> "$OUT/peer-resolve.log" 2>&1 || { cat "$OUT/peer-resolve.log" >&2; die "could not resolve Apache RocketMQ $v"; }
  done
fi
machine_info > "$OUT/machine.txt"
cat "$OUT/machine.txt"
if awk -v cores="$(nproc)" '{ exit !($1 > cores) }' /proc/loadavg; then
  echo "bench: WARNING: load average $(cut -d' ' -f1 /proc/loadavg) exceeds $(nproc) cores;" \
    "other work will skew these results, prefer --rounds 3 or a quiet machine" >&2
fi

brokers=()
[[ $RUN_TERN == 1 ]] && brokers+=(tern)
if [[ $RUN_PEER == 1 ]]; then for v in $PEER_VERSIONS; do brokers+=("peer-$v"); done; fi
[[ $RUN_CEILING == 1 ]] && brokers+=(null)
# round_order: the brokers in the order of round $ROUND. Each round starts with the next broker, so no broker always
# runs first (or right after the same one).
round_order() {
  local i
  order=()
  for i in "${!brokers[@]}"; do order+=("${brokers[$(( (i + ROUND - 1) % ${#brokers[@]} ))]}"); done
}

for ROUND in $(seq 1 "$ROUNDS"); do
  round_order
  for flush in ASYNC_FLUSH SYNC_FLUSH; do
    if [[ $flush == SYNC_FLUSH ]] && ! wanted sync-32-syncflush && ! wanted e2e-5k-syncflush; then continue; fi
    if [[ $flush == ASYNC_FLUSH ]] && ! single_wanted; then continue; fi
    for which in "${order[@]}"; do
      SEQ=1
      [[ $flush == SYNC_FLUSH ]] && SEQ=50
      run_block "$which" "$flush"
    done
  done
  if group_wanted; then
    for which in "${order[@]}"; do
      [[ $which == null ]] && continue
      SEQ=70
      run_group_block "$which"
    done
  fi
done
# After every round of the scenarios above: drain-cold drops the page cache, a later timed start-up must not be cold.
if beyond_wanted drain-cold; then
  for ROUND in $(seq 1 "$ROUNDS"); do
    round_order
    for which in "${order[@]}"; do
      SEQ=80
      if wanted drain-cold; then run_cold_block "$which"; fi
      SEQ=81
      if beyond_wanted; then run_beyond_block "$which"; fi
    done
  done
fi

compare=(--machine "$OUT/machine.txt" --command "$CMDLINE" --markdown "$OUT/summary.md")
[[ $RUN_TERN == 1 ]] && compare+=(--tern "$OUT/tern/results")
if [[ $RUN_PEER == 1 ]]; then
  n=0
  for v in $PEER_VERSIONS; do
    n=$((n + 1)); flag=--peer; [[ $n == 2 ]] && flag=--peer2
    (( n <= 2 )) && compare+=("$flag" "$OUT/rocketmq-$v/results" "$flag-label" "rocketmq-$v")
  done
fi
[[ $RUN_CEILING == 1 ]] && compare+=(--ceiling "$OUT/null/results")
[[ $WRITE_DOCS == 1 ]] && compare+=(--docs "$ROOT/src-docs/performance.md")
java -cp "$BENCH_JAR" io.tern.bench.report.CompareResults "${compare[@]}"
echo
echo "results: $OUT (summary.md, per-scenario JSON under */results)"
if [[ ${#FAILURES[@]} -gt 0 ]]; then
  echo "FAILURES:" >&2
  printf '  %s\n' "${FAILURES[@]}" >&2
  exit 1
fi
