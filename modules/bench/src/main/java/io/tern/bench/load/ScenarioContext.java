package io.tern.bench.load;

import io.tern.bench.load.client.RocketClients;
import io.tern.bench.load.client.TopicAdmin;
import io.tern.bench.proc.ProcFs;
import io.tern.bench.proc.WatchedProcess;
import java.util.List;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/** What every scenario needs: its options, client factory, /proc and the processes to watch. */
public record ScenarioContext(LoadOptions options, RocketClients clients, ProcFs proc,
                              List<WatchedProcess> watched, long runId) {

  /** How long a scenario waits for its topic to be routable before it gives up. */
  public static final long TOPIC_TIMEOUT_MS = 30_000;
  /** Extra time allowed per topic beyond the first when a run sends to many (--topics). */
  private static final long TOPIC_TIMEOUT_PER_TOPIC_MS = 50;
  /** Topics created at once: enough to hide the round trips, few enough not to swamp a broker that persists each. */
  private static final int TOPIC_CREATE_PARALLELISM = 8;

  public BenchMessages messages() {
    return new BenchMessages(TopicSet.of(options), options.bodyBytes(), runId);
  }

  public MeasuredPhase startPhase() {
    return MeasuredPhase.start(proc, watched);
  }

  /** Creates the scenario's topics with --queues queues where the broker does not route them yet. */
  public void ensureTopic() throws Exception {
    DefaultMQAdminExt admin = clients.startAdmin();
    try {
      TopicSet topics = TopicSet.of(options);
      if (topics.size() == 1) {
        new TopicAdmin(admin).ensure(options.topic(), options.queues(), TOPIC_TIMEOUT_MS);
      } else {
        new TopicAdmin(admin).ensureAll(topics.names(), options.queues(),
            TOPIC_TIMEOUT_MS + TOPIC_TIMEOUT_PER_TOPIC_MS * topics.size(), TOPIC_CREATE_PARALLELISM);
      }
    } finally {
      admin.shutdown();
    }
  }
}
