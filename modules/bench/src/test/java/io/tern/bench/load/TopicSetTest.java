package io.tern.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicSetTest {

  @Test
  void oneTopicIsTheTopicItself() {
    TopicSet one = TopicSet.of(LoadOptionsParser.parse("--topic", "bench"));
    assertEquals(List.of("bench"), one.names());
    assertEquals("bench", one.forSequence(0));
    assertEquals("bench", one.forSequence(12_345));
  }

  @Test
  void manyTopicsAreNumberedAndTakenInTurn() {
    TopicSet set = TopicSet.of(LoadOptionsParser.parse("--topic", "bench-q", "--topics", "1250"));
    assertEquals(1250, set.size());
    assertEquals("bench-q-0", set.names().get(0));
    assertEquals("bench-q-1249", set.names().get(1249));
    assertEquals("bench-q-0", set.forSequence(0));
    assertEquals("bench-q-1", set.forSequence(1));
    assertEquals("bench-q-0", set.forSequence(1250));
    assertEquals("bench-q-7", set.forSequence(1250L * 1_000_000 + 7));
  }

  @Test
  void everyTopicGetsAnEqualShareOfAPhase() {
    TopicSet set = new TopicSet("t", 5);
    Map<String, Integer> sends = new HashMap<>();
    for (long seq = 0; seq < 50; seq++) {
      sends.merge(set.forSequence(seq), 1, Integer::sum);
    }
    assertEquals(Map.of("t-0", 10, "t-1", 10, "t-2", 10, "t-3", 10, "t-4", 10), sends);
  }

  @Test
  void messagesGoToTheirSequencesTopic() {
    BenchMessages messages = new BenchMessages(new TopicSet("bench-q", 3), 64, 9);
    assertEquals("bench-q-2", messages.create(5, 1, true).getTopic());
    assertEquals("bench-q-0", messages.create(1, true).getTopic());
    assertThrows(IllegalArgumentException.class, () -> new TopicSet("t", 0));
  }
}
