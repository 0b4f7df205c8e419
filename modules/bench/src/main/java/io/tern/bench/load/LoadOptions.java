package io.tern.bench.load;

import java.nio.file.Path;

/**
 * Everything one load generator run is told on its command line.
 *
 * @param namesrv          nameserver address, host:port
 * @param topic            topic to use; created with {@code queues} queues if missing
 * @param kind             what to do
 * @param name             scenario name in reports (defaults to the kind)
 * @param brokerLabel      label of the broker under test in reports
 * @param threads          sender threads (sync, oneway, e2e)
 * @param inflight         bound on outstanding async sends
 * @param ratePerSec       total target rate; 0 = as fast as possible
 * @param count            messages in the measured phase; 0 = bounded by duration only
 * @param durationMs       time bound of the measured phase (and of each drain phase)
 * @param warmupMs         unmeasured phase before it, so both JVMs are warm
 * @param bodyBytes        message body size
 * @param queues           queues of a topic the generator creates
 * @param pids             processes to sample, see WatchedProcess.parseList
 * @param json             where to write the result; null = stdout only
 * @param pidFile          startup: file the broker's pid will appear in
 * @param readyFile        startup: file the generator creates once it is ready to time
 * @param startupTimeoutMs startup: give up after this long
 * @param brokerPort       startup: broker remoting port, to note when it starts listening; 0 = unknown
 * @param clientCallbacks  where the official client runs send callbacks, async sends and pull callbacks
 * @param topics           send scenarios: how many topics, see {@link TopicSet}; 1 = only {@code topic}
 * @param groups           e2e: consumer groups that each receive every message (fan-out); 1 = one group
 * @param phase            drain: all (fill and drain, the warm drain) or one phase of a split drain, see
 *                         {@link DrainPhase}
 * @param stateFile        split drain: where the phases hand each other the backlog ({@link BacklogState})
 * @param storeDir         drain phases drop and drain: the broker's store, whose cached bytes are reported; null = none
 */
public record LoadOptions(String namesrv, String topic, ScenarioKind kind, String name, String brokerLabel,
                          int threads, int inflight, int ratePerSec, long count, long durationMs,
                          long warmupMs, int bodyBytes, int queues, String pids, Path json,
                          Path pidFile, Path readyFile, long startupTimeoutMs,
                          int brokerPort, ClientCallbacks clientCallbacks,
                          int topics, int groups, DrainPhase phase, Path stateFile, Path storeDir) {

  public String scenarioName() {
    return name == null || name.isBlank() ? kind.cliName() : name;
  }
}
