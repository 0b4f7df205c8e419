package io.tern.bench.load.client;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs each task on the thread that submits it; given to the client where it asks for a pool. */
final class CallerRunsExecutor extends AbstractExecutorService {

  static final CallerRunsExecutor INSTANCE = new CallerRunsExecutor();

  private CallerRunsExecutor() {
  }

  @Override
  public void execute(Runnable task) {
    task.run();
  }

  /** Shared and stateless: the client shutting it down changes nothing. */
  @Override
  public void shutdown() {
  }

  @Override
  public List<Runnable> shutdownNow() {
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return false;
  }
}
