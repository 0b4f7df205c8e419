package io.tern.bench.load;

import io.tern.bench.report.ScenarioResult;

/** One kind of load, run once against one broker. */
public interface Scenario {

  /** Runs warm-up and measured phase; every implementation stops by itself within its bounds. */
  ScenarioResult run() throws Exception;
}
