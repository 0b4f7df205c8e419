package io.tern.it;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Official 4.9.8 clients configured for tests: each gets its own instance name (so clients in one JVM never share an
 * MQClientInstance) and is not started — callers start and always shut them down in finally.
 */
final class Clients {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Clients() {
    }

    static String unique(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
    }

    static DefaultMQProducer producer(String namesrvAddr) {
        DefaultMQProducer producer = new DefaultMQProducer(unique("PG"));
        producer.setNamesrvAddr(namesrvAddr);
        producer.setInstanceName(unique("producer"));
        producer.setSendMsgTimeout(10_000);
        return producer;
    }

    /** Push consumer reading new groups from the first offset, pulling without pause. */
    static DefaultMQPushConsumer pushConsumer(String namesrvAddr, String group) {
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(group);
        consumer.setNamesrvAddr(namesrvAddr);
        consumer.setInstanceName(unique("consumer"));
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.setPullInterval(0);
        return consumer;
    }

    static DefaultLitePullConsumer litePullConsumer(String namesrvAddr, String group) {
        DefaultLitePullConsumer consumer = new DefaultLitePullConsumer(group);
        consumer.setNamesrvAddr(namesrvAddr);
        consumer.setInstanceName(unique("lite"));
        return consumer;
    }

    static DefaultMQAdminExt admin(String namesrvAddr) {
        DefaultMQAdminExt admin = new DefaultMQAdminExt(10_000);
        admin.setNamesrvAddr(namesrvAddr);
        admin.setInstanceName(unique("admin"));
        return admin;
    }

    /** Shuts down whatever was created, ignoring nulls, so finally blocks stay one line. */
    static void shutdown(Object... clients) {
        for (Object client : clients) {
            try {
                if (client instanceof DefaultMQProducer p) {
                    p.shutdown();
                } else if (client instanceof DefaultMQPushConsumer c) {
                    c.shutdown();
                } else if (client instanceof DefaultLitePullConsumer l) {
                    l.shutdown();
                } else if (client instanceof DefaultMQAdminExt a) {
                    a.shutdown();
                }
            } catch (RuntimeException e) {
                System.err.println("shutdown of " + client + " failed: " + e);
            }
        }
    }
}
