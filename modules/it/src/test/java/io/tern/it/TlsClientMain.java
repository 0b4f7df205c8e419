package io.tern.it;

import java.util.Collection;
import java.util.List;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * The official 4.9.8 client in a JVM of its own, started by {@link TlsClientTest} with {@code -Dtls.enable=true}:
 * the client reads its TLS switches once, when TlsSystemConfig loads, so they cannot be set in the test JVM without
 * turning TLS on for every other test there. Sends {@code count} messages, reads them back from the first offset,
 * prints "sent N received N" and exits 0, or exits 1 with the failure.
 *
 * <p>Arguments: nameserver address, topic, count.
 */
public final class TlsClientMain {
    private TlsClientMain() {
    }

    public static void main(String[] args) {
        String namesrv = args[0];
        String topic = args[1];
        int count = Integer.parseInt(args[2]);
        DefaultMQProducer producer = Clients.producer(namesrv);
        DefaultLitePullConsumer consumer = Clients.litePullConsumer(namesrv, Clients.unique("G_TLS"));
        // a cold JVM's first TLS handshakes (both ends) on a busy machine can outlast the 3 s default
        producer.setMqClientApiTimeout(15_000);
        consumer.setMqClientApiTimeout(15_000);
        int exit = 1;
        try {
            producer.start();
            for (int i = 0; i < count; i++) {
                SendResult sent = producer.send(new Message(topic, "tls", ("over tls " + i).getBytes()));
                if (sent.getSendStatus() != SendStatus.SEND_OK) {
                    throw new IllegalStateException("send " + i + ": " + sent);
                }
            }
            consumer.setAutoCommit(false);
            consumer.start();
            Collection<MessageQueue> queues = consumer.fetchMessageQueues(topic);
            consumer.assign(queues);
            for (MessageQueue q : queues) {
                consumer.seek(q, 0);
            }
            int received = 0;
            long deadline = System.currentTimeMillis() + 60_000;
            while (received < count && System.currentTimeMillis() < deadline) {
                List<MessageExt> polled = consumer.poll(1_000);
                for (MessageExt m : polled) {
                    if (new String(m.getBody()).startsWith("over tls ")) {
                        received++;
                    }
                }
            }
            System.out.println("sent " + count + " received " + received);
            exit = received == count ? 0 : 1;
        } catch (Exception e) {
            e.printStackTrace(System.out);
        } finally {
            Clients.shutdown(consumer, producer);
        }
        System.exit(exit);
    }
}
