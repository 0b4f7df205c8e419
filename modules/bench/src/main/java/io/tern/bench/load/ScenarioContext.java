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

  public BenchMessages messages() {
    return new BenchMessages(options.topic(), options.bodyBytes(), runId);
  }

  public MeasuredPhase startPhase() {
    return MeasuredPhase.start(proc, watched);
  }

  /** Creates the scenario's topic with --queues queues if the broker does not route it yet. */
  public void ensureTopic() throws Exception {
    DefaultMQAdminExt admin = clients.startAdmin();
    try {
      new TopicAdmin(admin).ensure(options.topic(), options.queues(), TOPIC_TIMEOUT_MS);
    } finally {
      admin.shutdown();
    }
  }
}
