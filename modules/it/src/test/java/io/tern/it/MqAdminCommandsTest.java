package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.PosixParser;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.srvutil.ServerUtil;
import org.apache.rocketmq.tools.command.SubCommand;
import org.apache.rocketmq.tools.command.broker.BrokerStatusSubCommand;
import org.apache.rocketmq.tools.command.cluster.ClusterListSubCommand;
import org.apache.rocketmq.tools.command.consumer.ConsumerProgressSubCommand;
import org.apache.rocketmq.tools.command.consumer.UpdateSubGroupSubCommand;
import org.apache.rocketmq.tools.command.message.QueryMsgByKeySubCommand;
import org.apache.rocketmq.tools.command.topic.DeleteTopicSubCommand;
import org.apache.rocketmq.tools.command.topic.TopicListSubCommand;
import org.apache.rocketmq.tools.command.topic.TopicRouteSubCommand;
import org.apache.rocketmq.tools.command.topic.TopicStatusSubCommand;
import org.apache.rocketmq.tools.command.topic.UpdateTopicSubCommand;
import org.junit.jupiter.api.Test;

/**
 * The mqadmin sub-commands themselves (rocketmq-tools 4.9.8), run the way MQAdminStartup runs them, minus its
 * logback set-up (this JVM logs through slf4j-simple), with their printed output checked.
 */
class MqAdminCommandsTest extends EmbeddedTernTestBase {

    @Test
    void commonCommandsWork() throws Exception {
        String n = tern.namesrvAddr();
        String topic = Clients.unique("CliTopic");
        String group = Clients.unique("CliGroup");

        String clusterList = mqadmin(new ClusterListSubCommand(), "-n", n);
        assertTrue(clusterList.contains("DefaultCluster") && clusterList.contains("broker-a")
                && clusterList.contains(tern.brokerAddr()), clusterList);

        String updateTopic = mqadmin(new UpdateTopicSubCommand(), "-n", n, "-c", "DefaultCluster", "-t", topic,
                "-r", "4", "-w", "4");
        assertTrue(updateTopic.contains("create topic to " + tern.brokerAddr() + " success"), updateTopic);
        Await.until("the topic in the topic list", 30_000,
                () -> lines(mqadmin(new TopicListSubCommand(), "-n", n)).contains(topic));
        String route = mqadmin(new TopicRouteSubCommand(), "-n", n, "-t", topic);
        assertTrue(route.contains("\"writeQueueNums\":4") && route.contains(tern.brokerAddr()), route);

        DefaultMQProducer producer = Clients.producer(n);
        DefaultMQPushConsumer consumer = Clients.pushConsumer(n, group);
        Received received = new Received();
        SendResult sent;
        try {
            producer.start();
            sent = producer.send(new Message(topic, "TagA", "cli-key", "cli body".getBytes(StandardCharsets.UTF_8)));
            producer.send(new Message(topic, "TagA", "other-key", "other".getBytes(StandardCharsets.UTF_8)));
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener(received);
            consumer.start();
            Await.until("2 messages", 30_000, () -> received.count() >= 2);
            Await.sleep(500);
        } finally {
            Clients.shutdown(consumer, producer);
        }

        String status = mqadmin(new TopicStatusSubCommand(), "-n", n, "-t", topic);
        long maxOffsets = lines(status).stream().filter(l -> l.startsWith("broker-a"))
                .mapToLong(l -> Long.parseLong(l.trim().split("\\s+")[3])).sum();
        assertEquals(2, maxOffsets, status);

        String brokerStatus = mqadmin(new BrokerStatusSubCommand(), "-n", n, "-b", tern.brokerAddr());
        assertTrue(brokerStatus.contains("brokerName") && brokerStatus.contains("msgPutTotalTodayNow"), brokerStatus);

        String updateGroup = mqadmin(new UpdateSubGroupSubCommand(), "-n", n, "-c", "DefaultCluster", "-g",
                Clients.unique("CliGroup"));
        assertTrue(updateGroup.contains("create subscription group to " + tern.brokerAddr() + " success"),
                updateGroup);

        Await.until("consumer progress with no lag", 30_000,
                () -> mqadmin(new ConsumerProgressSubCommand(), "-n", n, "-g", group).contains("Diff Total: 0"));

        String byKey = mqadmin(new QueryMsgByKeySubCommand(), "-n", n, "-t", topic, "-k", "cli-key");
        assertTrue(byKey.contains(sent.getMsgId()), byKey);

        String deleted = mqadmin(new DeleteTopicSubCommand(), "-n", n, "-c", "DefaultCluster", "-t", topic);
        assertTrue(deleted.contains("success"), deleted);
        Await.until("the topic gone from the list", 30_000,
                () -> !lines(mqadmin(new TopicListSubCommand(), "-n", n)).contains(topic));
        assertFalse(lines(mqadmin(new TopicListSubCommand(), "-n", n)).contains(topic));
    }

    /** Runs one sub-command as {@code mqadmin <command> args} and returns what it printed. */
    private static String mqadmin(SubCommand command, String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        synchronized (MqAdminCommandsTest.class) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            try {
                Options options = ServerUtil.buildCommandlineOptions(new Options());
                CommandLine line = ServerUtil.parseCmdLine("mqadmin " + command.commandName(), args,
                        command.buildCommandlineOptions(options), new PosixParser());
                // as MQAdminStartup does with -n: the admin client inside the command reads this property
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

    private static java.util.List<String> lines(String text) {
        return Arrays.stream(text.split("\n")).map(String::trim).toList();
    }
}
