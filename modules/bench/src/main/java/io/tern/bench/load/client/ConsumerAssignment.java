package io.tern.bench.load.client;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;

/**
 * Waits until a started push consumer has been assigned its queues by rebalancing, so a
 * latency measurement does not include the consumer's own start-up.
 */
public final class ConsumerAssignment {

  private ConsumerAssignment() {
  }

  /** True once {@code queues} queues are assigned; false after {@code timeoutMs}. */
  public static boolean await(DefaultMQPushConsumer consumer, int queues, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (System.nanoTime() - deadline < 0) {
      if (assigned(consumer) >= queues) {
        return true;
      }
      Thread.sleep(10);
    }
    return false;
  }

  public static int assigned(DefaultMQPushConsumer consumer) {
    return consumer.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable().size();
  }
}
