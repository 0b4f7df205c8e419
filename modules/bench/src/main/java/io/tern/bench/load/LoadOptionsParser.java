package io.tern.bench.load;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Turns {@code --flag value} / {@code --flag=value} arguments into {@link LoadOptions}. */
public final class LoadOptionsParser {

  public static final String USAGE = """
      usage: java -cp tern-bench-*-bench.jar io.tern.bench.load.LoadGenerator [flags]
        --namesrv host:port    nameserver of the broker under test (default 127.0.0.1:9876)
        --topic name           topic (created with --queues queues if missing; default bench)
        --scenario kind        %s
        --name text            scenario name in reports (default: the kind)
        --broker label         broker label in reports (default broker)
        --threads n            sender threads (default 1)
        --inflight n           max outstanding async sends (default 256)
        --rate n               target msg/s over all threads, 0 = max rate (default 0)
        --count n              messages in the measured phase, 0 = until --duration (default 0)
        --duration seconds     time bound of the measured phase (default 10)
        --warmup seconds       unmeasured warm-up before it (default 2)
        --body-bytes n         body size (default 1024)
        --queues n             queues of a created topic (default 8)
        --pid list             processes to sample from /proc: pid or role=pid, comma-separated;
                               the first is the broker the headline numbers are about
        --json file            also write the result as JSON
        --pid-file file        startup: where the broker's pid will appear
        --ready-file file      startup: created when the generator is ready to time
        --startup-timeout s    startup: give up after this long (default 60)
        --broker-port n        startup: also note when the broker's remoting port starts listening
        --client-callbacks m   pool: the client's own executors run async sends and callbacks (its default);
                               inline: on the sending thread and the client's I/O thread (default pool)
        --topics n             send scenarios: spread sends round-robin over n topics named <topic>-0..<topic>-(n-1),
                               each created with --queues queues before the run (default 1: --topic itself)
        --groups n             e2e: n consumer groups each receive every message (fan-out); throughput and CPU
                               per message then count deliveries (default 1)
        --phase p              drain: all = fill, then drain (default); or one phase of a cold drain, each its own
                               invocation, the broker stopped and started again around 'drop' by the caller:
                               fill = send the backlog; drop = sync and write 3 to /proc/sys/vm/drop_caches (needs
                               root; the result says whether it happened); drain = wait until the broker serves the
                               whole backlog, then time a push consumer draining it
        --state-file file      drain phases fill, drop, drain: where they hand each other the backlog (JSON)
        --store-dir dir        drain phases drop and drain: the broker's store; how much of it is in the page cache
                               (fincore) around the drop and right before the drain is reported
      """.formatted(ScenarioKind.cliNames());

  private LoadOptionsParser() {
  }

  public static LoadOptions parse(String... args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + arg);
      }
      int eq = arg.indexOf('=');
      if (eq > 0) {
        flags.put(arg.substring(2, eq), arg.substring(eq + 1));
      } else if (i + 1 < args.length) {
        flags.put(arg.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("flag " + arg + " needs a value");
      }
    }
    Flags f = new Flags(flags);
    LoadOptions options = new LoadOptions(
        f.text("namesrv", "127.0.0.1:9876"),
        f.text("topic", "bench"),
        ScenarioKind.fromCli(f.text("scenario", ScenarioKind.SYNC_SEND.cliName())),
        f.text("name", null),
        f.text("broker", "broker"),
        f.integer("threads", 1),
        f.integer("inflight", 256),
        f.integer("rate", 0),
        f.longValue("count", 0),
        f.millis("duration", 10),
        f.millis("warmup", 2),
        f.integer("body-bytes", 1024),
        f.integer("queues", 8),
        f.text("pid", ""),
        f.path("json"),
        f.path("pid-file"),
        f.path("ready-file"),
        f.millis("startup-timeout", 60),
        f.integer("broker-port", 0),
        ClientCallbacks.fromCli(f.text("client-callbacks", ClientCallbacks.POOL.cliName())),
        f.integer("topics", 1),
        f.integer("groups", 1),
        DrainPhase.fromCli(f.text("phase", DrainPhase.ALL.cliName())),
        f.path("state-file"),
        f.path("store-dir"));
    f.rejectUnknown();
    validate(options);
    return options;
  }

  private static void validate(LoadOptions o) {
    if (o.threads() < 1 || o.inflight() < 1 || o.queues() < 1) {
      throw new IllegalArgumentException("--threads, --inflight and --queues must be at least 1");
    }
    if (o.bodyBytes() < BenchMessages.HEADER_BYTES) {
      throw new IllegalArgumentException("--body-bytes must be at least " + BenchMessages.HEADER_BYTES);
    }
    if (o.durationMs() <= 0) {
      throw new IllegalArgumentException("--duration must be positive: every run is bounded in time");
    }
    if (o.ratePerSec() < 0 || o.count() < 0 || o.warmupMs() < 0) {
      throw new IllegalArgumentException("--rate, --count and --warmup cannot be negative");
    }
    boolean fills = o.phase() == DrainPhase.ALL || o.phase() == DrainPhase.FILL;
    if (o.kind() == ScenarioKind.DRAIN && fills && o.count() == 0) {
      throw new IllegalArgumentException("drain needs --count: the size of the backlog");
    }
    if (o.kind() == ScenarioKind.STARTUP && o.pidFile() == null) {
      throw new IllegalArgumentException("startup needs --pid-file");
    }
    validateBeyondTheSix(o);
  }

  private static void validateBeyondTheSix(LoadOptions o) {
    if (o.topics() < 1 || o.groups() < 1) {
      throw new IllegalArgumentException("--topics and --groups must be at least 1");
    }
    boolean sends = o.kind() == ScenarioKind.SYNC_SEND || o.kind() == ScenarioKind.ASYNC_SEND
        || o.kind() == ScenarioKind.ONEWAY_SEND;
    if (o.topics() > 1 && !sends) {
      throw new IllegalArgumentException("--topics applies to sync-send, async-send and oneway-send only");
    }
    if (o.groups() > 1 && o.kind() != ScenarioKind.E2E) {
      throw new IllegalArgumentException("--groups applies to e2e only");
    }
    validateDrainPhase(o);
  }

  private static void validateDrainPhase(LoadOptions o) {
    if (o.phase() != DrainPhase.ALL && o.kind() != ScenarioKind.DRAIN) {
      throw new IllegalArgumentException("--phase applies to drain only");
    }
    if (o.phase().split() != (o.stateFile() != null)) {
      throw new IllegalArgumentException("--state-file goes with --phase fill, drop and drain, and they need it");
    }
    if (o.storeDir() != null && o.phase() != DrainPhase.DROP && o.phase() != DrainPhase.DRAIN) {
      throw new IllegalArgumentException("--store-dir applies to --phase drop and drain only");
    }
  }

  /** Flag look-ups that remember which flags were consumed, so typos are reported. */
  private static final class Flags {
    private final Map<String, String> remaining;

    Flags(Map<String, String> flags) {
      this.remaining = new HashMap<>(flags);
    }

    String text(String key, String dflt) {
      String v = remaining.remove(key);
      return v == null ? dflt : v;
    }

    int integer(String key, int dflt) {
      String v = remaining.remove(key);
      return v == null ? dflt : Integer.parseInt(v.replace("_", ""));
    }

    long longValue(String key, long dflt) {
      String v = remaining.remove(key);
      return v == null ? dflt : Long.parseLong(v.replace("_", ""));
    }

    long millis(String key, double dfltSeconds) {
      String v = remaining.remove(key);
      return Math.round((v == null ? dfltSeconds : Double.parseDouble(v)) * 1000);
    }

    Path path(String key) {
      String v = remaining.remove(key);
      return v == null ? null : Path.of(v);
    }

    void rejectUnknown() {
      if (!remaining.isEmpty()) {
        throw new IllegalArgumentException("unknown flag(s) --" + String.join(", --", remaining.keySet()));
      }
    }
  }
}
