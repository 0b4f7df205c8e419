package io.tern.bench.load.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.admin.TopicOffset;
import org.apache.rocketmq.common.admin.TopicStatsTable;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.protocol.body.ClusterInfo;
import org.apache.rocketmq.common.protocol.route.BrokerData;
import org.apache.rocketmq.common.protocol.route.QueueData;
import org.apache.rocketmq.common.protocol.route.TopicRouteData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Creates a topic on every master broker the nameserver knows (UPDATE_AND_CREATE_TOPIC, as
 * mqadmin updateTopic does) and reads its route back. Not thread-safe; one per scenario.
 */
public final class TopicAdmin {

  private final DefaultMQAdminExt admin;

  public TopicAdmin(DefaultMQAdminExt admin) {
    this.admin = admin;
  }

  /** Master addresses registered at the nameserver; empty while no broker has registered. */
  public List<String> masterBrokers() throws Exception {
    ClusterInfo cluster = admin.examineBrokerClusterInfo();
    List<String> masters = new ArrayList<>();
    if (cluster == null || cluster.getBrokerAddrTable() == null) {
      return masters;
    }
    for (BrokerData broker : cluster.getBrokerAddrTable().values()) {
      String master = broker.getBrokerAddrs().get(MixAll.MASTER_ID);
      if (master != null) {
        masters.add(master);
      }
    }
    return masters;
  }

  /** Creates (or updates) {@code topic} with {@code queues} read and write queues on each master. */
  public void create(String topic, int queues, List<String> masters) throws Exception {
    TopicConfig config = new TopicConfig(topic, queues, queues, PermName.PERM_READ | PermName.PERM_WRITE);
    for (String master : masters) {
      admin.createAndUpdateTopicConfig(master, config);
    }
  }

  /** Write queues of {@code topic} in its route; 0 if the nameserver has no route yet. */
  public int routeWriteQueues(String topic) {
    try {
      TopicRouteData route = admin.examineTopicRouteInfo(topic);
      int total = 0;
      if (route != null && route.getQueueDatas() != null) {
        for (QueueData q : route.getQueueDatas()) {
          total += q.getWriteQueueNums();
        }
      }
      return total;
    } catch (Exception noRouteYet) {
      return 0;
    }
  }

  /**
   * Makes sure {@code topic} exists with at least {@code queues} write queues and the nameserver
   * routes it, creating it if needed; fails after {@code timeoutMs}.
   */
  public void ensure(String topic, int queues, long timeoutMs) throws Exception {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    if (routeWriteQueues(topic) >= queues) {
      return;
    }
    Exception last = null;
    boolean created = false;
    while (System.nanoTime() - deadline < 0) {
      try {
        if (!created) {
          List<String> masters = masterBrokers();
          if (!masters.isEmpty()) {
            create(topic, queues, masters);
            created = true;
          }
        }
        if (created && routeWriteQueues(topic) >= queues) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("topic " + topic + " has no route with " + queues
        + " queues after " + timeoutMs + " ms" + (last == null ? "" : ": " + last), last);
  }

  /**
   * Waits until the nameserver routes {@code topic} and its brokers hold at least {@code messages} messages in its
   * queues (max minus min offset, summed): after a restart, that the broker recovered its queues from the store and
   * serves the whole backlog. Creates nothing. Returns how long it waited in ms; fails after {@code timeoutMs}.
   */
  public long awaitStored(String topic, long messages, long timeoutMs) throws Exception {
    long start = System.nanoTime();
    long deadline = start + timeoutMs * 1_000_000;
    long stored = -1;
    Exception last = null;
    while (System.nanoTime() - deadline < 0) {
      try {
        if (routeWriteQueues(topic) > 0) {
          stored = storedMessages(topic);
          if (stored >= messages) {
            return (System.nanoTime() - start) / 1_000_000;
          }
        }
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("topic " + topic + ": the brokers serve " + (stored < 0 ? "no route" : stored
        + " of " + messages + " messages") + " after " + timeoutMs + " ms" + (last == null ? "" : ": " + last), last);
  }

  /** Messages in the queues of {@code topic} on every broker that routes it (GET_TOPIC_STATS_INFO). */
  public long storedMessages(String topic) throws Exception {
    TopicStatsTable stats = admin.examineTopicStats(topic);
    long total = 0;
    for (TopicOffset offsets : stats.getOffsetTable().values()) {
      total += offsets.getMaxOffset() - offsets.getMinOffset();
    }
    return total;
  }

  /**
   * The highest commitLogMaxOffset of the masters (GET_BROKER_RUNTIME_INFO), where their data ends; -1 if no master
   * tells within {@code timeoutMs}. Asked again on errors: RocketMQ 4.9.7 fails the request for its first second
   * (its TPS sampler has no sample yet).
   */
  public long commitLogEnd(long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    do {
      try {
        long end = -1;
        for (String master : masterBrokers()) {
          String value = admin.fetchBrokerRuntimeStats(master).getTable().get("commitLogMaxOffset");
          if (value != null) {
            end = Math.max(end, Long.parseLong(value.strip()));
          }
        }
        if (end >= 0) {
          return end;
        }
      } catch (Exception notYet) {
        // asked again below
      }
      Thread.sleep(200);
    } while (System.nanoTime() - deadline < 0);
    return -1;
  }

  /**
   * {@link #ensure} for many topics at once (a many-queue scenario's set-up, before anything is measured):
   * creates the missing ones {@code parallelism} at a time, then waits until the nameserver routes all of them.
   */
  public void ensureAll(List<String> topics, int queues, long timeoutMs, int parallelism) throws Exception {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    List<String> masters = List.of();
    while (masters.isEmpty() && System.nanoTime() - deadline < 0) {
      masters = masterBrokers();
      if (masters.isEmpty()) {
        Thread.sleep(20);
      }
    }
    if (masters.isEmpty()) {
      throw new IllegalStateException("no master broker registered within " + timeoutMs + " ms");
    }
    List<String> brokers = masters;
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      List<String> missing = unrouted(topics, queues, pool);
      List<Future<?>> creations = new ArrayList<>();
      for (String topic : missing) {
        creations.add(pool.submit(() -> {
          create(topic, queues, brokers);
          return null;
        }));
      }
      for (Future<?> f : creations) {
        f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      while (!missing.isEmpty()) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(missing.size() + " of " + topics.size() + " topics (" + missing.get(0)
              + ", ...) have no route with " + queues + " queues after " + timeoutMs + " ms");
        }
        Thread.sleep(20);
        missing = unrouted(missing, queues, pool);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The topics of {@code topics} the nameserver does not route with {@code queues} write queues yet. */
  private List<String> unrouted(List<String> topics, int queues, ExecutorService pool) throws Exception {
    List<Future<Boolean>> routed = new ArrayList<>();
    for (String topic : topics) {
      routed.add(pool.submit(() -> routeWriteQueues(topic) >= queues));
    }
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < topics.size(); i++) {
      if (!routed.get(i).get()) {
        missing.add(topics.get(i));
      }
    }
    return missing;
  }
}
