package io.tern.bench.soak;

import java.time.Duration;

/**
 * Options of the connection soak.
 *
 * @param brokerHost      broker remoting host
 * @param brokerPort      broker remoting port
 * @param idle            idle connections (a heartbeat on connect and every {@code heartbeatMs}, like a client)
 * @param polls           connections each holding one long-poll pull, re-issued whenever it is answered
 * @param durationMs      how long the connections are held
 * @param sampleMs        sampling period of the broker's heap, RSS and answers
 * @param heartbeatMs     heartbeat period of every connection (the 4.9 client sends one every 30 s)
 * @param suspendMs       suspendTimeoutMillis of the parked pulls (the push consumer's 15 s)
 * @param brokerPid       broker process for /proc RSS (0: none)
 * @param metricsUrl      the broker's Prometheus endpoint for heap and gauges (null: none)
 */
public record SoakOptions(String brokerHost, int brokerPort, int idle, int polls, long durationMs, long sampleMs,
                          long heartbeatMs, long suspendMs, long brokerPid, String metricsUrl) {

  public static final String USAGE = """
      usage: java -cp tern-bench-*-bench.jar io.tern.bench.soak.ConnectionSoak [options]
        --broker host:port      broker remoting address (127.0.0.1:10911)
        --idle N                idle connections (10000)
        --polls N               connections with a parked long poll each (1000)
        --duration D            how long to hold them: 600s, 10m (600s)
        --sample D              sampling period (10s)
        --heartbeat D           heartbeat period per connection (30s)
        --suspend D             suspendTimeoutMillis of the parked pulls (15s)
        --pid PID               broker process, for its RSS from /proc
        --metrics URL           broker's Prometheus endpoint, for heap and gauges (http://127.0.0.1:8080/metrics)
      Needs about idle + polls + 100 file descriptors on each side (ulimit -n).
      """;

  public static SoakOptions parse(String[] args) {
    String broker = "127.0.0.1:10911";
    int idle = 10_000;
    int polls = 1_000;
    long duration = 600_000;
    long sample = 10_000;
    long heartbeat = 30_000;
    long suspend = 15_000;
    long pid = 0;
    String metrics = "http://127.0.0.1:8080/metrics";
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      String value = args[++i];
      switch (name) {
        case "--broker" -> broker = value;
        case "--idle" -> idle = Integer.parseInt(value);
        case "--polls" -> polls = Integer.parseInt(value);
        case "--duration" -> duration = millis(value);
        case "--sample" -> sample = millis(value);
        case "--heartbeat" -> heartbeat = millis(value);
        case "--suspend" -> suspend = millis(value);
        case "--pid" -> pid = Long.parseLong(value);
        case "--metrics" -> metrics = value.equals("none") ? null : value;
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    int colon = broker.lastIndexOf(':');
    if (colon <= 0 || idle < 0 || polls < 0 || duration <= 0 || sample <= 0 || heartbeat <= 0 || suspend <= 0) {
      throw new IllegalArgumentException("bad options");
    }
    return new SoakOptions(broker.substring(0, colon), Integer.parseInt(broker.substring(colon + 1)), idle, polls,
        duration, sample, heartbeat, suspend, pid, metrics);
  }

  /** "600s", "10m", "1500ms" or plain milliseconds. */
  static long millis(String text) {
    if (text.endsWith("ms")) {
      return Long.parseLong(text.substring(0, text.length() - 2));
    }
    if (text.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1))).toMillis();
    }
    if (text.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1))).toMillis();
    }
    return Long.parseLong(text);
  }
}
