package io.tern.client;

import io.tern.remoting.RemotingClient;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.server.EmbeddedTern;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** Blocking helpers for tests, called from the JUnit thread (never from an event loop). */
public final class TernTestSupport {
    static final long WAIT_SECONDS = 60;

    public static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("future did not succeed: " + e, e);
        }
    }

    /** Creates {@code topic} with {@code queues} queues on the broker and waits until the nameserver routes it. */
    public static void createTopic(Vertx vertx, EmbeddedTern tern, String topic, int queues) {
        createTopic(vertx, tern, 0, topic, queues);
    }

    /** Creates {@code topic} on broker {@code brokerIndex} and waits until the nameserver routes it. */
    public static void createTopic(Vertx vertx, EmbeddedTern tern, int brokerIndex, String topic, int queues) {
        RemotingClient admin = new RemotingClient(vertx);
        try {
            RemotingCommand create = RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_TOPIC)
                    .put("topic", topic).put("readQueueNums", queues).put("writeQueueNums", queues).put("perm", 6)
                    .put("topicFilterType", "SINGLE_TAG");
            RemotingCommand created = await(admin.invoke(tern.brokerAddr(brokerIndex), create, 5_000));
            if (created.code() != 0) {
                throw new AssertionError("topic not created: " + created);
            }
            long deadline = System.currentTimeMillis() + WAIT_SECONDS * 1000;
            while (System.currentTimeMillis() < deadline) {
                RemotingCommand route = await(admin.invoke(tern.namesrvAddr(),
                        RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC).put("topic", topic), 5_000));
                if (route.code() == 0) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no route for " + topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            await(admin.close());
        }
    }

    public static TernClient client(Vertx vertx, EmbeddedTern tern) {
        return TernClient.create(vertx, new TernClientOptions().setNamesrvAddr(tern.namesrvAddr()));
    }

    /** Closes what a test class started, either of which may be null (a start that failed half way). */
    static void stop(Vertx vertx, EmbeddedTern tern) {
        if (vertx != null) {
            await(vertx.close());
        }
        if (tern != null) {
            tern.close();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Polls {@code condition} until true. */
    public static void awaitTrue(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + WAIT_SECONDS * 1000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            sleep(20);
        }
    }

    private TernTestSupport() {
    }
}
