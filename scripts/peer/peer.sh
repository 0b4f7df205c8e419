# Apache RocketMQ peer for scripts/bench.sh: resolve it from Maven Central and start it on
# loopback. Sourced, not run. Nothing downloaded is committed: the jars land in
# scripts/peer/target/lib, which git ignores.
#
# Needs: ROOT (repository root). Provides: peer_resolve, peer_start_namesrv, peer_start_broker.

PEER_DIR="$ROOT/scripts/peer"
# The peers compared against, fastest first is not assumed: the report takes the better one per scenario.
PEER_VERSIONS=${PEER_VERSIONS:-"5.3.3 4.9.7"}
# RocketMQ 4.x reaches into the JDK's internals (direct buffers, the cleaner); Java 17 needs them opened.
PEER4_EXTRA_JAVA_OPTS="--add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
--add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED"

# peer_use VERSION: the peer the functions below resolve and start.
peer_use() {
  PEER_VERSION=$1
  PEER_LIB="$PEER_DIR/target/lib-$PEER_VERSION"
  PEER_LABEL="rocketmq-$PEER_VERSION"
  PEER_VERSION_OPTS=""
  [[ $PEER_VERSION == 4.* ]] && PEER_VERSION_OPTS=$PEER4_EXTRA_JAVA_OPTS
  return 0
}
peer_use "${PEER_VERSIONS%% *}"

# Heaps from the issue: 512 MiB nameserver, 1 GiB broker. GC flags as RocketMQ's runbroker.sh
# ships them, minus -XX:+AlwaysPreTouch (it would make the whole heap resident up front and
# turn the memory comparison into a comparison of -Xms) and minus the 15 GiB direct memory.
PEER_NAMESRV_JAVA_OPTS=${PEER_NAMESRV_JAVA_OPTS:-"-server -Xms512m -Xmx512m -XX:+UseG1GC"}
PEER_BROKER_JAVA_OPTS=${PEER_BROKER_JAVA_OPTS:-"-server -Xms1g -Xmx1g -XX:+UseG1GC -XX:G1HeapRegionSize=16m \
-XX:G1ReservePercent=25 -XX:InitiatingHeapOccupancyPercent=30 -XX:SoftRefLRUPolicyMSPerMB=0 \
-XX:-OmitStackTraceInFastThrow -XX:MaxDirectMemorySize=1g"}

# Copies rocketmq-namesrv and rocketmq-broker with their dependencies into $PEER_LIB.
peer_resolve() {
  if ls "$PEER_LIB"/rocketmq-broker-"$PEER_VERSION".jar "$PEER_LIB"/rocketmq-namesrv-"$PEER_VERSION".jar \
      >/dev/null 2>&1; then
    return 0
  fi
  echo "resolving Apache RocketMQ $PEER_VERSION from Maven Central into $PEER_LIB"
  mvn -q -f "$PEER_DIR/pom.xml" dependency:copy-dependencies -Drocketmq.version="$PEER_VERSION" \
    -DoutputDirectory="$PEER_LIB" -DincludeScope=runtime
}

peer_classpath() {
  local cp="" jar
  for jar in "$PEER_LIB"/*.jar; do cp="$cp:$jar"; done
  echo "${cp#:}"
}

# peer_logback HOME NAME: RocketMQ 4.x reads its logback config from $rocketmq.home.dir/conf/logback_NAME.xml and
# exits without it (5.x brings its own); one INFO file under HOME/logs/rocketmqlogs, as its default config writes.
peer_logback() {
  local home=$1 name=$2
  [[ $PEER_VERSION == 4.* ]] || return 0
  mkdir -p "$home/conf"
  cat > "$home/conf/logback_$name.xml" <<XML
<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>$home/logs/rocketmqlogs/$name.log</file>
    <encoder><pattern>%d{yyy-MM-dd HH:mm:ss,GMT+8} %p %t - %m%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="FILE"/></root>
</configuration>
XML
}

# peer_start_namesrv DIR PORT -> sets PEER_NAMESRV_PID. Logs and config live in DIR.
peer_start_namesrv() {
  local dir=$1 port=$2
  mkdir -p "$dir/namesrv-home"
  peer_logback "$dir/namesrv-home" namesrv
  printf 'listenPort=%s\n' "$port" > "$dir/namesrv.conf"
  # user.home: RocketMQ's logback configs write to ${user.home}/logs/rocketmqlogs; one home per
  # process keeps the nameserver's log apart from the broker's.
  # shellcheck disable=SC2086
  java $PEER_NAMESRV_JAVA_OPTS $PEER_VERSION_OPTS -Duser.home="$dir/namesrv-home" -Drocketmq.home.dir="$dir/namesrv-home" \
    -cp "$(peer_classpath)" org.apache.rocketmq.namesrv.NamesrvStartup -c "$dir/namesrv.conf" \
    > "$dir/namesrv.out" 2>&1 &
  PEER_NAMESRV_PID=$!
}

# peer_start_broker DIR BROKER_PORT NAMESRV_PORT FLUSH_MODE -> sets PEER_BROKER_PID. Started again on the same DIR
# (bench.sh's drain-cold restarts it), it opens the same store and appends to the same broker.out.
peer_start_broker() {
  local dir=$1 port=$2 ns_port=$3 flush=$4
  mkdir -p "$dir/store"
  peer_logback "$dir" broker
  cat > "$dir/broker.conf" <<CONF
brokerClusterName=BenchCluster
brokerName=bench-broker
brokerId=0
brokerRole=ASYNC_MASTER
listenPort=$port
namesrvAddr=127.0.0.1:$ns_port
brokerIP1=127.0.0.1
storePathRootDir=$dir/store
storePathCommitLog=$dir/store/commitlog
flushDiskType=$flush
autoCreateTopicEnable=true
CONF
  # shellcheck disable=SC2086
  java $PEER_BROKER_JAVA_OPTS $PEER_VERSION_OPTS -Duser.home="$dir" -Drocketmq.home.dir="$dir" \
    -cp "$(peer_classpath)" org.apache.rocketmq.broker.BrokerStartup -c "$dir/broker.conf" \
    >> "$dir/broker.out" 2>&1 &
  PEER_BROKER_PID=$!
}

# peer_start_group_broker DIR BROKER_PORT NAMESRV_PORT FLUSH_MODE ROLE BROKER_ID -> sets PEER_BROKER_PID.
# One member of a broker group (issue 11): ROLE SYNC_MASTER (brokerId 0) or SLAVE (brokerId >= 1), same brokerName;
# the replication port is BROKER_PORT + 1, RocketMQ's default, spelled out. inSyncReplicas=2 (the master and one
# slave): RocketMQ 5 answers a SYNC_MASTER put only once a slave has it when inSyncReplicas >= 2; with its default
# of 1 it would not wait (RocketMQ 4's SYNC_MASTER always waited, and Tern's inSyncReplicas defaults to 2).
peer_start_group_broker() {
  local dir=$1 port=$2 ns_port=$3 flush=$4 role=$5 id=$6
  mkdir -p "$dir/store"
  peer_logback "$dir" broker
  cat > "$dir/broker.conf" <<CONF
brokerClusterName=BenchCluster
brokerName=bench-group
brokerId=$id
brokerRole=$role
inSyncReplicas=2
listenPort=$port
haListenPort=$((port + 1))
namesrvAddr=127.0.0.1:$ns_port
brokerIP1=127.0.0.1
storePathRootDir=$dir/store
storePathCommitLog=$dir/store/commitlog
flushDiskType=$flush
autoCreateTopicEnable=true
CONF
  # shellcheck disable=SC2086
  java $PEER_BROKER_JAVA_OPTS $PEER_VERSION_OPTS -Duser.home="$dir" -Drocketmq.home.dir="$dir" \
    -cp "$(peer_classpath)" org.apache.rocketmq.broker.BrokerStartup -c "$dir/broker.conf" \
    > "$dir/broker.out" 2>&1 &
  PEER_BROKER_PID=$!
}
