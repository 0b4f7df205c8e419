package io.tern.it5;

import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up of the pop tests: one embedded nameserver + broker per test class (the revive service every 200 ms, so
 * that expired pops come back quickly), a started 5.3.3 producer and a {@link PopClient} of that broker, all closed
 * after the class. Names from {@link #unique} never repeat within a run.
 */
abstract class EmbeddedPopTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @TempDir
    static Path storeRoot;
    static EmbeddedTern tern;
    static DefaultMQProducer producer;
    static PopClient pops;

    @BeforeAll
    static void start() throws Exception {
        tern = EmbeddedTern.start(new EmbeddedTernOptions(storeRoot).broker("popReviveIntervalMs", 200));
        producer = new DefaultMQProducer(unique("PopPG"));
        producer.setNamesrvAddr(tern.namesrvAddr());
        producer.setInstanceName(unique("pp"));
        producer.start();
        pops = new PopClient(tern.namesrvAddr(), unique("pc"), tern.brokerName(), tern.brokerAddr());
    }

    @AfterAll
    static void stop() {
        if (pops != null) {
            pops.close();
            pops = null;
        }
        if (producer != null) {
            producer.shutdown();
            producer = null;
        }
        if (tern != null) {
            tern.close();
            tern = null;
        }
    }

    static String unique(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
    }
}
