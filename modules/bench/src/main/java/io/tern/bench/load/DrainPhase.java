package io.tern.bench.load;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Which part of the drain scenario one generator invocation runs. {@link #ALL} is the warm drain: fill and drain in
 * one process, the broker untouched in between. The other three split it so that the harness can stop the broker,
 * drop the page cache and start the broker again on the same store between filling and draining (the cold
 * backlog); they hand each other what they learned through a state file ({@link BacklogState}).
 */
public enum DrainPhase {
  ALL("all"),
  FILL("fill"),
  DROP("drop"),
  DRAIN("drain");

  private final String cliName;

  DrainPhase(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  /** True for the phases of a split drain, which need a state file. */
  public boolean split() {
    return this != ALL;
  }

  public static DrainPhase fromCli(String name) {
    for (DrainPhase p : values()) {
      if (p.cliName.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown --phase " + name + "; one of "
        + Arrays.stream(values()).map(DrainPhase::cliName).collect(Collectors.joining(", ")));
  }
}
