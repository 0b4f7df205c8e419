package io.tern.broker.ha;

import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.SubscriptionGroupWrapper;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.schedule.DelayLevelOffsets;
import io.tern.common.Json;
import io.tern.common.protocol.TopicConfigSerializeWrapper;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.acl.AclCredentials;
import io.tern.remoting.security.ClientTls;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A slave's copy of its master's metadata: every metadataSyncIntervalMs (and once right after start) it asks the
 * master for GET_ALL_TOPIC_CONFIG, GET_ALL_SUBSCRIPTIONGROUP_CONFIG, GET_ALL_CONSUMER_OFFSET and
 * GET_ALL_DELAY_OFFSET over the remoting protocol and applies what changed since the last answer (an identical body
 * is skipped, so an idle group costs four small requests per period and no writes). Decoding and applying run on
 * a worker. Rounds never overlap.
 *
 * <p>Thread-safe; runs on the Vert.x context that started it.
 */
public final class MetadataSync {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataSync.class);
    private static final long REQUEST_TIMEOUT_MS = 5_000;

    private final Vertx vertx;
    private final Supplier<String> masterAddress;
    private final TopicConfigManager topics;
    private final SubscriptionGroupManager groups;
    private final ConsumerOffsetManager offsets;
    private final DelayLevelOffsets schedule;
    private final RemotingClient client;
    private final byte[][] lastBodies = new byte[4][];
    private long timer = -1;
    private boolean running;
    private volatile boolean stopped;

    public MetadataSync(Vertx vertx, Supplier<String> masterAddress, TopicConfigManager topics,
                        SubscriptionGroupManager groups, ConsumerOffsetManager offsets,
                        DelayLevelOffsets schedule) {
        this(vertx, masterAddress, topics, groups, offsets, schedule, ClientTls.PLAINTEXT, null);
    }

    /**
     * With TLS to the master's remoting port when {@code tls} is enabled, and every request signed with
     * {@code credentials} (an ACL-checking master) unless null.
     */
    public MetadataSync(Vertx vertx, Supplier<String> masterAddress, TopicConfigManager topics,
                        SubscriptionGroupManager groups, ConsumerOffsetManager offsets,
                        DelayLevelOffsets schedule, ClientTls tls, AclCredentials credentials) {
        this.vertx = vertx;
        this.masterAddress = masterAddress;
        this.topics = topics;
        this.groups = groups;
        this.offsets = offsets;
        this.schedule = schedule;
        this.client = new RemotingClient(vertx, new ProcessorTable(), tls, credentials);
    }

    public void start(long intervalMs) {
        timer = vertx.setPeriodic(0, Math.max(100, intervalMs), id -> syncNow());
    }

    public Future<Void> stop() {
        stopped = true;
        vertx.cancelTimer(timer);
        return client.close();
    }

    /** One round now unless one is running; completes when it ended (never fails). */
    public synchronized Future<Void> syncNow() {
        String master = masterAddress.get();
        if (running || stopped || master == null || master.isEmpty()) {
            return Future.succeededFuture();
        }
        running = true;
        List<Future<Void>> calls = List.of(
                fetch(master, RequestCode.GET_ALL_TOPIC_CONFIG, 0, body -> topics.replaceWith(
                        Json.fromBytes(body, TopicConfigSerializeWrapper.class).topicConfigTable)),
                fetch(master, RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, 1, body -> groups.replaceWith(
                        Json.fromBytes(body, SubscriptionGroupWrapper.class).subscriptionGroupTable)),
                fetch(master, RequestCode.GET_ALL_CONSUMER_OFFSET, 2, body -> offsets.putAll(
                        Json.fromBytes(body, ConsumerOffsetManager.OffsetTable.class).offsetTable)),
                fetch(master, RequestCode.GET_ALL_DELAY_OFFSET, 3, body -> schedule.replaceWith(
                        Json.fromBytes(body, DelayLevelOffsets.DelayOffsetTable.class).offsetTable)));
        return Future.join(calls).<Void>mapEmpty().recover(e -> Future.succeededFuture()).onComplete(ar -> {
            synchronized (this) {
                running = false;
            }
        });
    }

    private Future<Void> fetch(String master, int code, int slot, Consumer<byte[]> apply) {
        return client.invoke(master, RemotingCommand.request(code), REQUEST_TIMEOUT_MS).compose(resp -> {
            byte[] body = resp.bodyBytes();
            if (resp.code() != ResponseCode.SUCCESS || body == null) {
                LOG.warn("metadata sync: master {} answered {} to {}: {}", master, resp.code(), code, resp.remark());
                return Future.succeededFuture();
            }
            synchronized (lastBodies) {
                if (Arrays.equals(lastBodies[slot], body)) {
                    return Future.succeededFuture();
                }
            }
            return vertx.executeBlocking(() -> {
                apply.accept(body);
                synchronized (lastBodies) {
                    lastBodies[slot] = body;
                }
                return null;
            }, false).mapEmpty();
        }).onFailure(e -> LOG.debug("metadata sync from {} ({}): {}", master, code, e.toString())).mapEmpty();
    }
}
