package io.tern.bench.load;

import java.util.Arrays;
import java.util.List;

/**
 * The topics one run sends to: {@code --topic} alone, or with {@code --topics N} (N > 1) the N topics
 * {@code <topic>-0 .. <topic>-(N-1)}, each message going to the next in turn by its sequence number, so every
 * topic (and, by the client's own queue round robin, every queue) gets an equal share of a phase. Immutable.
 */
public final class TopicSet {

  private final String[] names;

  public TopicSet(String base, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("a topic set has at least one topic");
    }
    names = new String[count];
    for (int i = 0; i < count; i++) {
      names[i] = count == 1 ? base : base + "-" + i;
    }
  }

  public static TopicSet of(LoadOptions options) {
    return new TopicSet(options.topic(), options.topics());
  }

  /** The topic of message {@code seq} (0, 1, ...). */
  public String forSequence(long seq) {
    return names[(int) Math.floorMod(seq, (long) names.length)];
  }

  public List<String> names() {
    return Arrays.asList(names.clone());
  }

  public int size() {
    return names.length;
  }
}
