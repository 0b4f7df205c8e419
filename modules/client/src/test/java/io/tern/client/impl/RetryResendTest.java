package io.tern.client.impl;

import static io.tern.client.TernTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.client.TernClient;
import io.tern.client.TernConsumerOptions;
import io.tern.client.TernConsumerOptions.ConsumeFromWhere;
import io.tern.client.TernMessage;
import io.tern.client.TernTestSupport;
import io.tern.server.EmbeddedTern;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fallback for a refused send-back: the consumer re-sends the message itself to %RETRY%group. */
class RetryResendTest {
    @TempDir
    Path store;

    @Test
    void aMessageResentToTheRetryTopicComesBackWithItsIdAndTopic() {
        try (EmbeddedTern tern = EmbeddedTern.start(store)) {
            Vertx vertx = Vertx.vertx();
            TernClient client = TernTestSupport.client(vertx, tern);
            try {
                TernTestSupport.createTopic(tern.vertx(), tern, "Resent", 1);
                List<TernMessage> got = new ArrayList<>();
                TernConsumerOptions options = new TernConsumerOptions().setRetryDelayLevel(1)
                        .setRebalanceIntervalMs(1000).setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
                ConsumerImpl consumer = (ConsumerImpl) client.createConsumer("CG_resend", options)
                        .subscribe("Resent", "*")
                        .handler(m -> {
                            synchronized (got) {
                                got.add(m);
                            }
                            return Future.succeededFuture();
                        });
                await(consumer.start());
                String msgId = await(client.createProducer("PG").send(TernMessage.of("Resent", "again")
                        .setTags("T1").setKeys("key1"))).msgId();
                TernTestSupport.awaitTrue("the first delivery", () -> size(got) >= 1);
                TernMessage first;
                synchronized (got) {
                    first = got.get(0);
                }
                TernClientImpl impl = (TernClientImpl) client;
                await(impl.ctx.call(() -> consumer.resendToRetryTopic(first)));

                TernTestSupport.awaitTrue("the resent copy", () -> size(got) >= 2);
                TernMessage second;
                synchronized (got) {
                    second = got.get(1);
                }
                assertEquals("Resent", second.topic());
                assertEquals(msgId, second.msgId());
                assertEquals("again", second.body().toString());
                assertEquals("T1", second.tags());
                assertEquals(List.of("key1"), second.keys());
                assertEquals(1, second.reconsumeTimes());
            } finally {
                await(client.close());
                await(vertx.close());
            }
        }
    }

    static int size(List<TernMessage> list) {
        synchronized (list) {
            return list.size();
        }
    }
}
