package io.tern.it5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.BrokerRole;
import io.tern.controller.Controller;
import io.tern.controller.ControllerConfig;
import io.tern.nameserver.NameServer;
import io.tern.nameserver.NameServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 5.x remoting client through a failover, with no configuration change: a nameserver, a controller peer and a
 * group of three replicas in controller mode (SYNC_MASTER, inSyncReplicas 2), each broker on a Vert.x instance of
 * its own in this JVM. A producer sends without pause; the master's Vert.x instance is closed (the broker stops
 * heartbeating); the controller elects an in-sync replica; the same producer takes SEND_OK again and a push
 * consumer reads every SEND_OK message.
 */
class Client5FailoverTest {
    @TempDir
    Path dir;

    @Test
    void theFiveClientProducesAndConsumesThroughAFailover() throws Exception {
        Vertx shared = Vertx.vertx();
        Map<Long, Vertx> brokerVertx = new HashMap<>();
        Map<Long, Broker> brokers = new HashMap<>();
        DefaultMQProducer producer = null;
        DefaultMQPushConsumer consumer = null;
        AtomicBoolean stop = new AtomicBoolean();
        Thread sender = null;
        try {
            NameServerConfig nsConfig = new NameServerConfig();
            nsConfig.listenPort = 0;
            nsConfig.host = "127.0.0.1";
            nsConfig.kvConfigPath = dir.resolve("kv.json").toString();
            NameServer ns = await(NameServer.start(shared, nsConfig));
            ControllerConfig ctl = new ControllerConfig();
            ctl.controllerListenPort = 0;
            ctl.host = "127.0.0.1";
            try (ServerSocket s = new ServerSocket(0)) {
                ctl.controllerRaftPort = s.getLocalPort();
            }
            ctl.controllerStorePath = dir.resolve("ctl").toString();
            ctl.brokerHeartbeatTimeoutMs = 1_500;
            Controller controller = await(Controller.start(shared, ctl));
            String namesrv = "127.0.0.1:" + ns.port();
            for (long id = 1; id <= 3; id++) {
                BrokerConfig c = new BrokerConfig();
                c.brokerName = "broker-five";
                c.brokerId = id;
                c.brokerRole = BrokerRole.SYNC_MASTER;
                c.inSyncReplicas = 2;
                c.controllerMode = true;
                c.controllerAddr = "127.0.0.1:" + controller.port();
                c.controllerHeartbeatIntervalMs = 300;
                c.listenPort = 0;
                c.haListenPort = 0;
                c.httpPort = -1;
                c.host = "127.0.0.1";
                c.fastListenPortEnable = false;
                c.namesrvAddr = namesrv;
                c.registerNameServerPeriodMs = 2_000;
                c.metadataSyncIntervalMs = 1_000;
                c.store.storeRoot = dir.resolve("r" + id).toString();
                Vertx v = Vertx.vertx();
                brokerVertx.put(id, v);
                brokers.put(id, await(Broker.start(v, c)));
            }
            awaitTrue("a master with two in-sync slaves", () -> masterOf(brokers) > 0
                    && brokers.get(masterOf(brokers)).components().replication().slaves().size() == 2);

            String topic = "Five_" + ProcessHandle.current().pid();
            producer = new DefaultMQProducer("PG_five_failover");
            producer.setNamesrvAddr(namesrv);
            producer.setInstanceName("five-failover-p");
            producer.setRetryTimesWhenSendFailed(0);
            producer.setSendMsgTimeout(3_000);
            producer.start();
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicLong lastOk = new AtomicLong();
            DefaultMQProducer p = producer;
            sender = new Thread(() -> {
                for (int seq = 0; !stop.get(); seq++) {
                    String key = "k" + seq;
                    try {
                        if (p.send(new Message(topic, "TagA", key, key.getBytes(StandardCharsets.UTF_8)))
                                .getSendStatus() == SendStatus.SEND_OK) {
                            acknowledged.add(key);
                            lastOk.set(System.nanoTime());
                        }
                    } catch (Exception e) {
                        sleep(50);
                    }
                }
            }, "five-sender");
            sender.start();
            awaitTrue("SEND_OK from the first master", () -> acknowledged.size() > 20);

            long master = masterOf(brokers);
            await(brokerVertx.get(master).close());
            brokers.remove(master);
            long failedAt = System.nanoTime();
            awaitTrue("another replica elected", () -> masterOf(brokers) > 0);
            awaitTrue("the same producer takes SEND_OK again", () -> lastOk.get() > failedAt);
            int before = acknowledged.size();
            awaitTrue("more SEND_OK from the new master", () -> acknowledged.size() > before + 20);
            stop.set(true);
            sender.join(15_000);

            consumer = new DefaultMQPushConsumer("CG_five_failover");
            consumer.setNamesrvAddr(namesrv);
            consumer.setInstanceName("five-failover-c");
            consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
            Set<String> consumed = ConcurrentHashMap.newKeySet();
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener((MessageListenerConcurrently) (msgs, context) -> {
                msgs.forEach(m -> consumed.add(m.getKeys()));
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
            consumer.start();
            awaitTrue("every SEND_OK message consumed", () -> consumed.containsAll(acknowledged));
            List<String> missing = new ArrayList<>(acknowledged);
            missing.removeAll(consumed);
            assertEquals(List.of(), missing);
            assertTrue(acknowledged.size() > 40);
            await(controller.stop());
            await(ns.stop());
        } finally {
            stop.set(true);
            if (sender != null) {
                sender.join(15_000);
            }
            if (producer != null) {
                producer.shutdown();
            }
            if (consumer != null) {
                consumer.shutdown();
            }
            for (Vertx v : brokerVertx.values()) {
                await(v.close());
            }
            await(shared.close());
        }
    }

    /** The replica acting as master of epoch > 0, or -1. */
    private static long masterOf(Map<Long, Broker> brokers) {
        for (Map.Entry<Long, Broker> e : brokers.entrySet()) {
            if (e.getValue().controllerAgent().isMaster() && e.getValue().controllerAgent().leaseValid()) {
                return e.getKey();
            }
        }
        return -1;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 120 s: " + what);
            Thread.sleep(100);
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
