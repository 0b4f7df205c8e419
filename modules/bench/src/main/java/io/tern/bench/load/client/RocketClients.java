package io.tern.bench.load.client;

import io.tern.bench.load.ClientCallbacks;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.rocketmq.client.ClientConfig;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Creates official RocketMQ 4.9 clients, configured the same way for every broker under test.
 *
 * <p>The VIP channel (a second connection to broker port - 2) is off: it is a deployment
 * detail of Apache RocketMQ that other brokers need not offer, and both brokers must be driven
 * over the same single connection for the comparison to be fair. Each client gets its own
 * instance name so producers, consumers and admin do not share one MQClientInstance.
 */
public final class RocketClients {

  private static final int SEND_TIMEOUT_MS = 10_000;
  private static final long ADMIN_TIMEOUT_MS = 5_000;

  private final String namesrv;
  private final String runTag;
  private final ClientCallbacks callbacks;
  private final AtomicInteger instances = new AtomicInteger();

  public RocketClients(String namesrv, String runTag, ClientCallbacks callbacks) {
    this.namesrv = namesrv;
    this.runTag = runTag;
    this.callbacks = callbacks;
  }

  /** A started producer. */
  public DefaultMQProducer startProducer(String purpose) throws Exception {
    DefaultMQProducer producer = new DefaultMQProducer("bench-" + purpose + "-" + runTag);
    configure(producer, purpose);
    producer.setSendMsgTimeout(SEND_TIMEOUT_MS);
    // A benchmark wants to see failures, not have them hidden by retries on the same broker.
    producer.setRetryTimesWhenSendFailed(0);
    producer.setRetryTimesWhenSendAsyncFailed(0);
    // The client zlib-compresses bodies of 4 KiB and more by default; the bench filler would shrink to a few
    // hundred bytes and a 64 KiB or 1 MiB scenario would measure zlib instead of moving the body. Off; the
    // 1 KiB scenarios are below the threshold and unchanged.
    producer.setCompressMsgBodyOverHowmuch(Integer.MAX_VALUE);
    if (callbacks == ClientCallbacks.INLINE) {
      producer.setAsyncSenderExecutor(CallerRunsExecutor.INSTANCE);
    }
    producer.start();
    if (callbacks == ClientCallbacks.INLINE) {
      producer.setCallbackExecutor(CallerRunsExecutor.INSTANCE); // needs the started client instance
    }
    return producer;
  }

  /** A push consumer, subscribed to all of {@code topic}, not yet started. */
  public DefaultMQPushConsumer pushConsumer(String purpose, String topic) throws Exception {
    DefaultMQPushConsumer consumer = new DefaultMQPushConsumer("bench-" + purpose + "-" + runTag);
    configure(consumer, purpose);
    consumer.subscribe(topic, "*");
    consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
    return consumer;
  }

  /** Starts a consumer made by {@link #pushConsumer}, its callbacks placed as this factory was told. */
  public void start(DefaultMQPushConsumer consumer) throws Exception {
    consumer.start();
    if (callbacks == ClientCallbacks.INLINE) {
      // No public setter on the consumer: the pull callbacks run where its remoting client says.
      consumer.getDefaultMQPushConsumerImpl().getmQClientFactory().getMQClientAPIImpl().getRemotingClient()
          .setCallbackExecutor(CallerRunsExecutor.INSTANCE);
    }
  }

  /** A started admin client. */
  public DefaultMQAdminExt startAdmin() throws Exception {
    DefaultMQAdminExt admin = new DefaultMQAdminExt(ADMIN_TIMEOUT_MS);
    configure(admin, "admin");
    admin.setAdminExtGroup("bench-admin-" + runTag);
    admin.start();
    return admin;
  }

  private void configure(ClientConfig client, String purpose) {
    client.setNamesrvAddr(namesrv);
    client.setVipChannelEnabled(false);
    client.setInstanceName("bench-" + purpose + "-" + runTag + "-" + instances.incrementAndGet());
  }
}
