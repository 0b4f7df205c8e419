package io.tern.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

class BenchMessagesTest {

  @Test
  void bodyCarriesStampRunIdAndPhase() {
    BenchMessages messages = new BenchMessages("bench", 1024, 77);
    Message m = messages.create(123_456_789L, true);
    assertEquals("bench", m.getTopic());
    assertEquals(1024, m.getBody().length);
    assertEquals(123_456_789L, BenchMessages.stampNanos(m.getBody()));
    assertEquals(77, BenchMessages.runId(m.getBody()));
    assertTrue(BenchMessages.measured(m.getBody()));
    assertFalse(BenchMessages.measured(messages.create(1, false).getBody()));
  }

  @Test
  void foreignBodiesBelongToNoRun() {
    assertEquals(0, BenchMessages.runId(new byte[3]));
    assertFalse(BenchMessages.measured(new byte[3]));
  }

  @Test
  void counterCountsOnlyThisRunAndCompletesAtTheExpectedCount() throws InterruptedException {
    BenchMessages ours = new BenchMessages("t", 64, 5);
    BenchMessages theirs = new BenchMessages("t", 64, 6);
    RunMessageCounter counter = new RunMessageCounter(5);
    counter.expect(2);
    assertEquals(1, counter.count(List.of(ext(ours.create(0, true)), ext(theirs.create(0, true))), 100));
    assertFalse(counter.await(0));
    counter.count(List.of(ext(ours.create(0, true))), 250);
    assertTrue(counter.await(0));
    assertEquals(2, counter.received());
    assertEquals(100, counter.firstNanos());
    assertEquals(250, counter.lastNanos());
  }

  @Test
  void counterWaitingForProgressReturnsOnceComplete() throws InterruptedException {
    BenchMessages ours = new BenchMessages("t", 64, 5);
    RunMessageCounter counter = new RunMessageCounter(5);
    counter.expect(1);
    counter.count(List.of(ext(ours.create(0, true))), 1);
    assertTrue(counter.awaitWhileProgressing(60_000, 60_000));
  }

  private static MessageExt ext(Message m) {
    MessageExt ext = new MessageExt();
    ext.setBody(m.getBody());
    return ext;
  }
}
