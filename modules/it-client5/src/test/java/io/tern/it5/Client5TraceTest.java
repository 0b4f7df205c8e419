package io.tern.it5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 5.3.3 remoting client with trace on writes its records into RMQ_SYS_TRACE_TOPIC (auto-created, as with
 * RocketMQ's defaults) in the format Tern reads: the send and the consumption come back from
 * GET /api/messages/{id}/trace.
 */
class Client5TraceTest {
    @TempDir
    Path storeRoot;

    @Test
    void aTracedSendAndConsumptionAreFoundByMessageId() throws Exception {
        try (EmbeddedTern tern = EmbeddedTern.start(new EmbeddedTernOptions(storeRoot).httpPort(0))) {
            String suffix = "_" + ProcessHandle.current().pid();
            String topic = "C5Traced" + suffix;
            DefaultMQProducer producer = new DefaultMQProducer("C5TracedPG" + suffix, true, null);
            producer.setNamesrvAddr(tern.namesrvAddr());
            producer.setInstanceName("c5-traced-p" + suffix);
            DefaultMQPushConsumer consumer = new DefaultMQPushConsumer("C5TracedCG" + suffix, true, null);
            consumer.setNamesrvAddr(tern.namesrvAddr());
            consumer.setInstanceName("c5-traced-c" + suffix);
            consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
            AtomicReference<String> consumed = new AtomicReference<>();
            try {
                producer.start();
                SendResult sent = producer.send(new Message(topic, "TagC5", "k5", "five".getBytes(StandardCharsets.UTF_8)));
                assertEquals(SendStatus.SEND_OK, sent.getSendStatus());
                consumer.subscribe(topic, "*");
                consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                    msgs.forEach(m -> consumed.set(m.getMsgId()));
                    return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                });
                consumer.start();

                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                URI uri = URI.create("http://127.0.0.1:" + tern.broker().httpPort() + "/api/messages/"
                        + sent.getMsgId() + "/trace");
                JsonObject trace = null;
                String last = "";
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (System.nanoTime() < deadline) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    last = r.statusCode() + " " + r.body();
                    if (r.statusCode() == 200) {
                        JsonObject t = new JsonObject(r.body());
                        if (!t.getJsonArray("published").isEmpty() && !t.getJsonArray("consumed").isEmpty()
                                && t.getJsonArray("consumed").getJsonObject(0).containsKey("success")) {
                            trace = t;
                            break;
                        }
                    }
                    Thread.sleep(200);
                }
                assertTrue(trace != null, "no complete trace of " + sent.getMsgId() + ": " + last);
                assertEquals(sent.getMsgId(), consumed.get());
                JsonObject pub = trace.getJsonArray("published").getJsonObject(0);
                assertEquals("C5TracedPG" + suffix, pub.getString("producerGroup"));
                assertEquals(topic, pub.getString("topic"));
                assertTrue(pub.getBoolean("success"));
                JsonObject sub = trace.getJsonArray("consumed").getJsonObject(0);
                assertEquals("C5TracedCG" + suffix, sub.getString("group"));
                assertTrue(sub.getBoolean("success"));
                assertEquals(topic, trace.getJsonObject("message").getString("topic"));
            } finally {
                consumer.shutdown();
                producer.shutdown();
            }
        }
    }
}
