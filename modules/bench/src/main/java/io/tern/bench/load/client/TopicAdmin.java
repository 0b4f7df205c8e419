package io.tern.bench.load.client;

import java.util.ArrayList;
import java.util.List;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.TopicConfig;
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
}
