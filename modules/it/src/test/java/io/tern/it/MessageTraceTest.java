package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.cli.TernAdmin;
import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.PosixParser;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.srvutil.ServerUtil;
import org.apache.rocketmq.tools.command.SubCommand;
import org.apache.rocketmq.tools.command.message.QueryMsgTraceByIdSubCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Message trace end to end with the official 4.9.8 client: a message sent and consumed with trace on
 * (enableMsgTrace) has its whole trace — the send, its producer group and client, the consuming group, its time and
 * result — from mqadmin queryMsgTraceById, tern-admin queryMsgTraceById and GET /api/messages/{id}/trace; with
 * brokerTraceEnable a producer without trace is traced by the broker.
 */
class MessageTraceTest {
    @TempDir
    Path storeRoot;

    @Test
    void aTracedSendAndConsumptionAreFoundFromEverySurface() throws Exception {
        // RocketMQ's defaults: traceTopicEnable off, so the client's first trace send auto-creates the topic
        try (EmbeddedTern tern = EmbeddedTern.start(new EmbeddedTernOptions(storeRoot).httpPort(0))) {
            String topic = Clients.unique("TracedTopic");
            String producerGroup = Clients.unique("TracedPG");
            String consumerGroup = Clients.unique("TracedCG");
            DefaultMQProducer producer = new DefaultMQProducer(producerGroup, true);
            producer.setNamesrvAddr(tern.namesrvAddr());
            producer.setInstanceName(Clients.unique("traced-producer"));
            DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(consumerGroup, true);
            consumer.setNamesrvAddr(tern.namesrvAddr());
            consumer.setInstanceName(Clients.unique("traced-consumer"));
            consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
            AtomicReference<String> consumedId = new AtomicReference<>();
            try {
                producer.start();
                SendResult sent = producer.send(new Message(topic, "TagT", "trace-key",
                        "traced".getBytes(StandardCharsets.UTF_8)));
                assertEquals(SendStatus.SEND_OK, sent.getSendStatus());
                String msgId = sent.getMsgId();

                consumer.subscribe(topic, "*");
                consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                    msgs.forEach(m -> consumedId.set(m.getMsgId()));
                    return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                });
                consumer.start();
                Await.until("the message consumed", 30_000, () -> msgId.equals(consumedId.get()));

                // mqadmin queryMsgTraceById: the Pub line and the consumer group's Sub line
                AtomicReference<String> printed = new AtomicReference<>("");
                Await.until("mqadmin shows the send and the consumption", 30_000, () -> {
                    printed.set(mqadmin(new QueryMsgTraceByIdSubCommand(), "-n", tern.namesrvAddr(), "-i", msgId));
                    return printed.get().contains(producerGroup) && printed.get().contains(consumerGroup);
                }, printed::get);
                String out = printed.get();
                assertTrue(out.lines().anyMatch(l -> l.startsWith("Pub") && l.contains(producerGroup)
                        && l.contains("success")), out);
                assertTrue(out.lines().anyMatch(l -> l.startsWith("Sub") && l.contains(consumerGroup)
                        && l.contains("success")), out);

                // tern-admin queryMsgTraceById
                String ternAdmin = ternAdmin("queryMsgTraceById", "-i", msgId, "-n", tern.namesrvAddr(), "--json");
                JsonObject fromCli = new JsonObject(ternAdmin);
                JsonObject cliPub = fromCli.getJsonArray("published").getJsonObject(0);
                assertEquals(producerGroup, cliPub.getString("producerGroup"));
                assertEquals("client", cliPub.getString("source"));
                assertEquals(topic, cliPub.getString("topic"));
                assertEquals(sent.getOffsetMsgId(), cliPub.getString("offsetMsgId"));
                JsonObject cliSub = fromCli.getJsonArray("consumed").getJsonObject(0);
                assertEquals(consumerGroup, cliSub.getString("group"));
                assertTrue(cliSub.getBoolean("success"));
                assertTrue(cliSub.getInteger("costTimeMs") >= 0);
                // when it was stored: the message itself, from the broker named in the offset id
                assertEquals(sent.getOffsetMsgId(), fromCli.getJsonObject("message").getString("offsetMsgId"));
                assertTrue(fromCli.getJsonObject("message").getLong("storeTimestamp") > 0);

                // GET /api/messages/{id}/trace, with the stored message (its store time)
                JsonObject fromHttp = new JsonObject(httpGet(tern, "/api/messages/" + msgId + "/trace"));
                JsonArray published = fromHttp.getJsonArray("published");
                assertEquals(producerGroup, published.getJsonObject(0).getString("producerGroup"));
                assertEquals(consumerGroup, fromHttp.getJsonArray("consumed").getJsonObject(0).getString("group"));
                assertEquals(topic, fromHttp.getJsonObject("message").getString("topic"));
                assertTrue(fromHttp.getJsonObject("message").getLong("storeTimestamp") > 0);
            } finally {
                Clients.shutdown(consumer, producer);
            }
        }
    }

    @Test
    void withBrokerTraceAProducerWithoutTraceIsTracedByTheBroker() throws Exception {
        try (EmbeddedTern tern = EmbeddedTern.start(new EmbeddedTernOptions(storeRoot).httpPort(0)
                .broker("brokerTraceEnable", true))) {
            String topic = Clients.unique("BrokerTraced");
            DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
            try {
                producer.start();
                SendResult sent = producer.send(new Message(topic, "TagB", "plain".getBytes(StandardCharsets.UTF_8)));
                assertEquals(SendStatus.SEND_OK, sent.getSendStatus());
                AtomicReference<String> printed = new AtomicReference<>("");
                Await.until("mqadmin shows the broker's Pub record", 30_000, () -> {
                    printed.set(mqadmin(new QueryMsgTraceByIdSubCommand(), "-n", tern.namesrvAddr(), "-i",
                            sent.getMsgId()));
                    return printed.get().lines().anyMatch(l -> l.startsWith("Pub")
                            && l.contains(producer.getProducerGroup()) && l.contains("success"));
                }, printed::get);
                JsonObject fromHttp = new JsonObject(httpGet(tern, "/api/messages/" + sent.getMsgId() + "/trace"));
                assertEquals("broker", fromHttp.getJsonArray("published").getJsonObject(0).getString("source"));
            } finally {
                Clients.shutdown(producer);
            }
        }
    }

    private static String httpGet(EmbeddedTern tern, String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + tern.broker().httpPort() + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static String ternAdmin(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TernAdmin.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed + err.toString(StandardCharsets.UTF_8));
        System.out.println("$ tern-admin " + String.join(" ", args) + "\n" + printed);
        return printed;
    }

    /** Runs one sub-command as {@code mqadmin <command> args} (as MQAdminStartup does) and returns what it printed. */
    private static String mqadmin(SubCommand command, String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        synchronized (System.class) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            try {
                Options options = ServerUtil.buildCommandlineOptions(new Options());
                CommandLine line = ServerUtil.parseCmdLine("mqadmin " + command.commandName(), args,
                        command.buildCommandlineOptions(options), new PosixParser());
                System.setProperty(MixAll.NAMESRV_ADDR_PROPERTY, line.getOptionValue('n'));
                command.execute(line, options, null);
            } catch (Exception e) {
                e.printStackTrace(new PrintStream(printed, true, StandardCharsets.UTF_8));
            } finally {
                System.clearProperty(MixAll.NAMESRV_ADDR_PROPERTY);
                System.setOut(stdout);
            }
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        System.out.println("$ mqadmin " + command.commandName() + " " + String.join(" ", args) + "\n" + output);
        return output;
    }
}
