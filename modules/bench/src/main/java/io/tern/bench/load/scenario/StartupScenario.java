package io.tern.bench.load.scenario;

import io.tern.bench.load.LoadOptions;
import io.tern.bench.load.Results;
import io.tern.bench.load.Scenario;
import io.tern.bench.load.ScenarioContext;
import io.tern.bench.load.client.TopicAdmin;
import io.tern.bench.metrics.LatencySummary;
import io.tern.bench.proc.ProcCpu;
import io.tern.bench.proc.ProcMemory;
import io.tern.bench.proc.ProcessUsage;
import io.tern.bench.report.ScenarioResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Start-up time to a usable route: from the broker process's start (its start time in
 * /proc/&lt;pid&gt;/stat, so the generator's own start-up does not count) until the nameserver
 * returns a route for --topic with --queues queues, creating the topic as soon as a broker has
 * registered.
 *
 * <p>The result's timeline notes when the nameserver first answered, when the broker's port
 * listened (with --broker-port), when it registered, when the topic was created and when the
 * route was ready, all in ms since the broker process started. With --broker-port the nameserver
 * is asked only once that port listens (no broker registers earlier), so "first answered" is then
 * the first query after it.
 *
 * <p>Handshake with the script that starts the broker: the generator starts first, warms up its
 * client, creates --ready-file; the script then starts the broker and writes its pid to
 * --pid-file. The generator never competes for CPU with a starting broker while loading classes.
 */
public final class StartupScenario implements Scenario {

  private static final long POLL_MS = 5;
  /** Quiet means under 5% of one core over this window. */
  private static final long SETTLE_WINDOW_MS = 200;
  private static final int CONNECT_TIMEOUT_MS = 50;

  private final ScenarioContext ctx;
  private final Map<String, Object> timeline = new LinkedHashMap<>();

  public StartupScenario(ScenarioContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public ScenarioResult run() throws Exception {
    LoadOptions o = ctx.options();
    DefaultMQAdminExt admin = ctx.clients().startAdmin();
    try {
      TopicAdmin topics = new TopicAdmin(admin);
      warmUp(topics);
      settle();
      if (o.readyFile() != null) {
        Files.writeString(o.readyFile(), Long.toString(ProcessHandle.current().pid()));
      }
      long pid = awaitPid(o.pidFile(), o.startupTimeoutMs());
      long ownCpuBefore = ownCpuNanos();
      long routeAgeMs = awaitRoute(topics, pid, o);
      // what the polling itself cost, on the cores the starting broker needed
      timeline.put("generatorCpuWhileWaiting", (ownCpuNanos() - ownCpuBefore) / 1_000_000);
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("startupMs", routeAgeMs);
      extra.put("timelineMs", timeline);
      List<ProcessUsage> usages = List.of(snapshot(pid));
      return Results.of(o, 0, 0, routeAgeMs * 1_000_000, LatencySummary.EMPTY, usages, extra);
    } finally {
      admin.shutdown();
    }
  }

  /** Loads and JIT-touches the client's request paths while no broker is running yet. */
  private void warmUp(TopicAdmin topics) {
    topics.routeWriteQueues(ctx.options().topic());
    try {
      topics.masterBrokers();
    } catch (Exception expected) {
      // The nameserver is usually not up yet; only the class loading mattered.
    }
  }

  /**
   * Waits (up to 10 s) until this JVM is quiet — the warm-up's JIT compilations and client timers done — so the
   * broker's start is timed on cores the generator does not use.
   */
  private static void settle() throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    long before = ownCpuNanos();
    while (System.nanoTime() - deadline < 0) {
      Thread.sleep(SETTLE_WINDOW_MS);
      long now = ownCpuNanos();
      if (now - before < SETTLE_WINDOW_MS * 1_000_000 / 20) {
        return;
      }
      before = now;
    }
  }

  private static long awaitPid(Path pidFile, long timeoutMs) throws Exception {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (System.nanoTime() - deadline < 0) {
      if (Files.exists(pidFile)) {
        String text = Files.readString(pidFile).trim();
        if (!text.isEmpty()) {
          return Long.parseLong(text);
        }
      }
      Thread.sleep(1);
    }
    throw new IllegalStateException("no pid in " + pidFile + " after " + timeoutMs + " ms");
  }

  private long awaitRoute(TopicAdmin topics, long pid, LoadOptions o) throws Exception {
    boolean created = false;
    int nameServerPort = Integer.parseInt(o.namesrv().substring(o.namesrv().lastIndexOf(':') + 1));
    long deadline = System.nanoTime() + o.startupTimeoutMs() * 1_000_000;
    Exception last = null;
    while (System.nanoTime() - deadline < 0) {
      if (ctx.proc().cpu(pid).isEmpty()) {
        throw new IllegalStateException("broker process " + pid + " exited during start-up");
      }
      if (o.brokerPort() > 0 && !timeline.containsKey("brokerListening") && listening(o.brokerPort())) {
        mark("brokerListening", pid);
      }
      if (o.brokerPort() > 0 && !timeline.containsKey("brokerListening")) {
        // No broker registers before its remoting port listens (Tern and Apache RocketMQ both bind it first), so
        // until then the cheap connect is the whole probe: a route query every 5 ms costs this JVM and the
        // nameserver 150-200 ms of CPU on the two cores the broker starts on (src-docs/performance-notes.md, 29).
        Thread.sleep(POLL_MS);
        continue;
      }
      if (!timeline.containsKey("nameserverAnswered") && !listening(nameServerPort)) {
        // A standalone broker opens its own nameserver: until that port listens, a plain connect is the whole
        // probe. The client's refused connects cost the generator CPU (a channel, an exception, a log line each)
        // that the starting broker would otherwise have.
        Thread.sleep(POLL_MS);
        continue;
      }
      try {
        List<String> masters = topics.masterBrokers();
        mark("nameserverAnswered", pid);
        if (!masters.isEmpty()) {
          mark("brokerRegistered", pid);
          if (!created) {
            topics.create(o.topic(), o.queues(), masters);
            created = true;
            mark("topicCreated", pid);
          }
          if (topics.routeWriteQueues(o.topic()) >= o.queues()) {
            long age = age(pid);
            timeline.put("routeReady", age);
            return age;
          }
        }
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(POLL_MS);
    }
    throw new IllegalStateException("no route for " + o.topic() + " within " + o.startupTimeoutMs()
        + " ms of broker start; reached " + timeline + (last == null ? "" : "; last error " + last));
  }

  private static long ownCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  private void mark(String event, long pid) {
    timeline.computeIfAbsent(event, e -> age(pid));
  }

  private long age(long pid) {
    return ctx.proc().ageMillis(pid).orElseThrow(() -> new IllegalStateException("process " + pid + " is gone"));
  }

  private ProcessUsage snapshot(long pid) {
    long cpu = ctx.proc().cpu(pid).map(ProcCpu::cpuMillis).orElse(0L);
    ProcMemory m = ctx.proc().memory(pid).orElse(new ProcMemory(0, 0, 0, 0, 0));
    return new ProcessUsage(pid, "broker", cpu, m.rssAnonKb(), m.rssAnonKb(), m.rssKb(), true);
  }
}
