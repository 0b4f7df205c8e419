package io.tern.nameserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.common.Json;
import io.tern.common.protocol.QueueData;
import io.tern.common.protocol.TopicRouteData;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Brokers on different connections (so different server event loops) register while clients read routes. */
class ConcurrentRegistrationTest extends NameServerTestBase {
    private static final int BROKERS = 4;
    private static final int ROUNDS = 20;

    @Override
    void configure(NameServerConfig config) {
        config.serverInstances = 4;
    }

    @Test
    void registrationsFromManyConnectionsAllLand() throws Exception {
        List<Future<?>> work = new ArrayList<>();
        for (int b = 0; b < BROKERS; b++) {
            RemotingClient broker = newClient();
            String name = "broker-" + b;
            String addr = "127.0.0.1:" + (20911 + b * 100);
            Future<?> chain = Future.succeededFuture();
            for (int round = 1; round <= ROUNDS; round++) {
                int version = round;
                chain = chain.compose(v -> broker.invoke(addr(), registerRequest(name, 0, addr,
                        body(version, topic("Shared", version, 6), topic("Own-" + name, 1, 6))), REQUEST_TIMEOUT_MS));
            }
            work.add(chain);
        }
        RemotingClient reader = newClient();
        Future<?> reads = Future.succeededFuture();
        for (int i = 0; i < ROUNDS; i++) {
            reads = reads.compose(v -> reader.invoke(addr(), RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC)
                    .put("topic", "Shared"), REQUEST_TIMEOUT_MS));
        }
        work.add(reads);
        Future.all(work).await(120, TimeUnit.SECONDS);

        RemotingCommand route = route("Shared");
        assertEquals(ResponseCode.SUCCESS, route.code());
        TopicRouteData data = Json.fromBytes(route.bodyBytes(), TopicRouteData.class);
        assertEquals(BROKERS, data.queueDatas.size());
        assertEquals(BROKERS, data.brokerDatas.size());
        for (QueueData q : data.queueDatas) {
            assertEquals(ROUNDS, q.writeQueueNums, q.brokerName);
        }
        assertEquals(BROKERS + 1, json(call(RemotingCommand.request(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER)))
                .getJsonArray("topicList").size());
    }
}
