package io.tern.bench.load;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What the load generator does in one invocation; the CLI name is the --scenario value. */
public enum ScenarioKind {
  SYNC_SEND("sync-send", "N threads each sending and waiting for the broker's answer"),
  ASYNC_SEND("async-send", "one thread sending asynchronously, at most --inflight sends outstanding"),
  ONEWAY_SEND("oneway-send", "N threads sending without waiting for an answer"),
  DRAIN("drain", "fill a backlog of --count messages, then time a push consumer draining it (--phase: cold drain)"),
  E2E("e2e", "push consumer + producer at --rate; latency from the send stamp in the body"),
  STARTUP("startup", "time from broker process start (--pid-file) to a route for --topic"),
  OBSERVE("observe", "only sample the watched processes for --duration (idle memory)");

  private final String cliName;
  private final String description;

  ScenarioKind(String cliName, String description) {
    this.cliName = cliName;
    this.description = description;
  }

  public String cliName() {
    return cliName;
  }

  public String description() {
    return description;
  }

  public static ScenarioKind fromCli(String name) {
    for (ScenarioKind k : values()) {
      if (k.cliName.equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown --scenario " + name + "; one of " + cliNames());
  }

  public static String cliNames() {
    return Arrays.stream(values()).map(ScenarioKind::cliName).collect(Collectors.joining(", "));
  }
}
