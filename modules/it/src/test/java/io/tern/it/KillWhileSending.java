package io.tern.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;

/**
 * The middle of a crash round: producer threads send keyed messages without pause, and the broker process is
 * killed with SIGKILL at a random moment (0.3–2.5 s in) while they do. A key goes into {@code acknowledged} only
 * when the broker answered SEND_OK, so the test can then demand exactly those keys back.
 */
final class KillWhileSending {
    private KillWhileSending() {
    }

    /**
     * Returns once the process is dead and every sender has stopped. Sends in flight when the process died fail
     * (not acknowledged); the senders get 200 ms for those failures to come back before they are told to stop.
     */
    static void run(DefaultMQProducer producer, TernProcess victim, String topic, String round, int threads,
                    BiFunction<String, String, Message> message, Set<String> acknowledged) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> senders = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                String prefix = round + "-t" + t + "-";
                Thread sender = new Thread(() -> {
                    for (int seq = 0; !stop.get(); seq++) {
                        String key = prefix + seq;
                        try {
                            if (producer.send(message.apply(topic, key)).getSendStatus() == SendStatus.SEND_OK) {
                                acknowledged.add(key);
                            }
                        } catch (Exception e) {
                            // the broker is gone: not acknowledged, so not counted; keep trying until told to stop
                            Await.sleep(20);
                        }
                    }
                }, "sender-" + prefix);
                sender.start();
                senders.add(sender);
            }
            Await.sleep(ThreadLocalRandom.current().nextLong(300, 2_500));
            victim.kill();
            Await.sleep(200);
        } finally {
            stop.set(true);
            for (Thread sender : senders) {
                sender.join(15_000);
            }
        }
    }
}
