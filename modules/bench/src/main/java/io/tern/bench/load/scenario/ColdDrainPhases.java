package io.tern.bench.load.scenario;

import io.tern.bench.load.BacklogState;
import io.tern.bench.load.LoadOptions;
import io.tern.bench.load.Results;
import io.tern.bench.load.Scenario;
import io.tern.bench.load.ScenarioContext;
import io.tern.bench.load.client.TopicAdmin;
import io.tern.bench.metrics.LatencySummary;
import io.tern.bench.proc.CommitLogResidency;
import io.tern.bench.proc.PageCache;
import io.tern.bench.proc.WatchedProcess;
import io.tern.bench.report.ScenarioResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * One phase of the cold drain, each its own generator invocation, so that the caller can stop the broker (its store
 * stays on disk), drop the page cache and start the same broker again on the same store between filling and
 * draining. A broker keeps its commit log and consume queues mapped, and the kernel does not drop mapped pages: only
 * a stopped broker's store can be made cold.
 *
 * <ul>
 *   <li>fill: creates the topic, sends the backlog, writes the state file (run id, backlog, the broker's pid);
 *   <li>drop: with the broker stopped, sync and drop the page cache ({@link PageCache}); records whether that
 *       happened and the store's cached bytes before and after;
 *   <li>drain: if the broker's pid changed since the fill (it was restarted), waits until it routes the topic and
 *       serves the whole backlog again (its queues recovered from the store), records how much of the store its
 *       start-up read back, and evicts that ({@link #evictWhatStartUpRead}); records how much of the store, and of
 *       the commit log's data, is cached right before the drain; then times the drain as the warm drain does. The
 *       result carries every phase's numbers and whether the broker was restarted.
 * </ul>
 * The result says how cold the drain really was instead of assuming it: a refused drop, or a broker that reads its
 * store back at start-up, shows in the cached bytes at drain start.
 */
public final class ColdDrainPhases implements Scenario {

  /** How long a restarted broker may take to route the topic and serve the whole backlog again. */
  private static final long BACKLOG_SERVED_TIMEOUT_MS = 180_000;
  /** How long the broker may take to tell where its commit log ends (GET_BROKER_RUNTIME_INFO). */
  private static final long RUNTIME_INFO_TIMEOUT_MS = 10_000;
  private static final double MB = 1048576.0;

  private final ScenarioContext ctx;
  private final PageCache pageCache;
  /** Where the restarted broker's commit-log data ends; -1 until it was asked. */
  private long commitLogEnd = -1;

  public ColdDrainPhases(ScenarioContext ctx) {
    this(ctx, new PageCache());
  }

  ColdDrainPhases(ScenarioContext ctx, PageCache pageCache) {
    this.ctx = ctx;
    this.pageCache = pageCache;
  }

  @Override
  public ScenarioResult run() throws Exception {
    return switch (ctx.options().phase()) {
      case FILL -> fill();
      case DROP -> drop();
      case DRAIN -> drain();
      case ALL -> throw new IllegalStateException("the warm drain is BacklogDrainScenario");
    };
  }

  private ScenarioResult fill() throws Exception {
    LoadOptions o = ctx.options();
    ctx.ensureTopic();
    Map<String, Object> extra = new LinkedHashMap<>();
    long start = System.nanoTime();
    long backlog = BacklogFill.send(ctx, extra);
    long nanos = System.nanoTime() - start;
    new BacklogState(ctx.runId(), backlog, brokerPid(), extra).write(o.stateFile());
    extra.put("backlog", backlog);
    return Results.of(o, backlog, ((Number) extra.get("fillErrors")).longValue(), nanos, LatencySummary.EMPTY,
        List.of(), extra);
  }

  private ScenarioResult drop() throws Exception {
    LoadOptions o = ctx.options();
    BacklogState state = BacklogState.read(o.stateFile());
    Map<String, Object> extra = new LinkedHashMap<>();
    long start = System.nanoTime();
    long before = pageCache.cachedBytes(o.storeDir());
    Optional<String> failure = pageCache.dropAll();
    long after = pageCache.cachedBytes(o.storeDir());
    extra.put("pageCacheDropped", failure.isEmpty());
    failure.ifPresent(why -> extra.put("pageCacheNotDropped", why));
    if (before >= 0 && after >= 0) {
      extra.put("storeCachedMbBeforeDrop", Math.round(before / MB));
      extra.put("storeCachedMbAfterDrop", Math.round(after / MB));
    }
    state.with(extra).write(o.stateFile());
    return Results.of(o, 0, 0, System.nanoTime() - start, LatencySummary.EMPTY, List.of(), extra);
  }

  private ScenarioResult drain() throws Exception {
    LoadOptions o = ctx.options();
    BacklogState state = BacklogState.read(o.stateFile());
    Map<String, Object> extra = new LinkedHashMap<>(state.extra());
    long pid = brokerPid();
    boolean restarted = state.brokerPid() != 0 && pid != 0 && pid != state.brokerPid();
    extra.put("brokerRestarted", restarted);
    if (restarted) {
      awaitBacklogServed(state.backlog(), extra);
      if (o.storeDir() != null) {
        recordResidency(o, extra, "AfterRestart");
        evictWhatStartUpRead(o, pid, extra);
      }
    }
    recordResidency(o, extra, "AtDrainStart");
    return TimedDrain.run(ctx, state.runId(), state.backlog(), extra);
  }

  /**
   * A broker's start-up may read its store back (RocketMQ's recovery walks its last three commit-log files) and keeps
   * what it read mapped, where no drop reaches it. So, the same for every broker once it serves the backlog again:
   * sync and drop the page cache, then page out what the broker maps from its store ({@link PageCache#pageOut}).
   */
  private void evictWhatStartUpRead(LoadOptions o, long brokerPid, Map<String, Object> extra) {
    Optional<String> failure = pageCache.dropAll().or(() -> pageCache.pageOut(brokerPid, o.storeDir()));
    extra.put("storePagedOut", failure.isEmpty());
    failure.ifPresent(why -> extra.put("storeNotPagedOut", why));
  }

  /**
   * Waits until the restarted broker routes the topic and its queues hold the whole backlog again, and notes how
   * long that took and where its commit log's data ends. A broker that was not restarted served the fill a moment
   * ago: the drain starts at once, as the warm drain does (and the null broker answers no admin request).
   */
  private void awaitBacklogServed(long backlog, Map<String, Object> extra) throws Exception {
    DefaultMQAdminExt admin = ctx.clients().startAdmin();
    try {
      TopicAdmin topics = new TopicAdmin(admin);
      extra.put("backlogServedAfterMs", topics.awaitStored(ctx.options().topic(), backlog, BACKLOG_SERVED_TIMEOUT_MS));
      commitLogEnd = topics.commitLogEnd(RUNTIME_INFO_TIMEOUT_MS);
      if (commitLogEnd >= 0) {
        extra.put("commitLogDataMb", Math.round(commitLogEnd / MB));
      }
    } finally {
      admin.shutdown();
    }
  }

  /** The store's cached bytes, in all and of the commit log's data (the backlog's bytes), as extras ending in when. */
  private void recordResidency(LoadOptions o, Map<String, Object> extra, String when) {
    long cached = pageCache.cachedBytes(o.storeDir());
    if (cached >= 0) {
      extra.put("storeCachedMb" + when, Math.round(cached / MB));
    }
    long data = o.storeDir() == null ? -1
        : CommitLogResidency.cachedDataBytes(pageCache, o.storeDir().resolve("commitlog"), commitLogEnd);
    if (data >= 0) {
      extra.put("commitLogDataCachedMb" + when, Math.round(data / MB));
    }
  }

  /** The pid of the first watched process if it is the broker; 0 when none is watched. */
  private long brokerPid() {
    List<WatchedProcess> watched = ctx.watched();
    return watched.isEmpty() || "generator".equals(watched.get(0).role()) ? 0 : watched.get(0).pid();
  }
}
