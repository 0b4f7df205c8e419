package io.tern.nameserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KvConfigTest extends NameServerTestBase {
    @Test
    void putGetListDelete() throws Exception {
        assertEquals(ResponseCode.SUCCESS, call(put("NS", "k1", "v1")).code());
        assertEquals(ResponseCode.SUCCESS, call(put("NS", "k2", "v2")).code());

        RemotingCommand got = call(get("NS", "k1"));
        assertEquals(ResponseCode.SUCCESS, got.code());
        assertEquals("v1", got.ext("value"));

        RemotingCommand list = call(RemotingCommand.request(RequestCode.GET_KVLIST_BY_NAMESPACE).put("namespace", "NS"));
        assertEquals(new JsonObject().put("table", new JsonObject().put("k1", "v1").put("k2", "v2")), json(list));

        assertEquals(ResponseCode.SUCCESS, call(RemotingCommand.request(RequestCode.DELETE_KV_CONFIG)
                .put("namespace", "NS").put("key", "k1")).code());
        RemotingCommand gone = call(get("NS", "k1"));
        assertEquals(ResponseCode.QUERY_NOT_FOUND, gone.code());
        assertEquals("No config item, Namespace: NS Key: k1", gone.remark());
        assertNotNull(gone.extFields());
        assertTrue(gone.extFields().isEmpty(), "an empty ext map, like the reference's response header");
    }

    @Test
    void unknownNamespaceIsQueryNotFound() throws Exception {
        RemotingCommand list = call(RemotingCommand.request(RequestCode.GET_KVLIST_BY_NAMESPACE)
                .put("namespace", "Nope"));
        assertEquals(ResponseCode.QUERY_NOT_FOUND, list.code());
        assertEquals("No config item, Namespace: Nope", list.remark());
        assertTrue(list.extFields().isEmpty());
    }

    @Test
    void putWithoutKeyIsSystemError() throws Exception {
        RemotingCommand response = call(RemotingCommand.request(RequestCode.PUT_KV_CONFIG).put("namespace", "NS")
                .put("value", "v"));
        assertEquals(ResponseCode.SYSTEM_ERROR, response.code());
        assertEquals("namespace or key is null", response.remark());
    }

    @Test
    void configSurvivesARestart() throws Exception {
        call(put("ORDER_TOPIC_CONFIG", "OrderedTopic", "broker-a:4"));
        Path file = Path.of(config.kvConfigPath);
        assertTrue(Files.readString(file).contains("\"configTable\""));

        nameServer.stop().await(30, TimeUnit.SECONDS);
        nameServer = NameServer.start(vertx, config).await(30, TimeUnit.SECONDS);
        assertEquals("broker-a:4", call(get("ORDER_TOPIC_CONFIG", "OrderedTopic")).ext("value"));
    }

    @Test
    void orderTopicConfIsInTheRouteOnlyWhenEnabled() throws Exception {
        call(put("ORDER_TOPIC_CONFIG", "T", "broker-a:4"));
        RemotingCommand reg = call(registerRequest("broker-a", 0, "127.0.0.1:20911", body(1, topic("T", 4, 6))));
        assertEquals(new JsonObject().put("table", new JsonObject().put("T", "broker-a:4")), json(reg),
                "brokers get the ordered-topic config in the registration answer");

        assertFalse(json(route("T")).containsKey("orderTopicConf"));
        config.orderMessageEnable = true;
        assertEquals("broker-a:4", json(route("T")).getString("orderTopicConf"));
    }

    @Test
    void unreadableKvFileFailsTheStartInsteadOfBeingOverwritten() throws Exception {
        Path file = tempDir.resolve("broken.json");
        Files.writeString(file, "{definitely not json");
        NameServerConfig broken = new NameServerConfig();
        broken.listenPort = 0;
        broken.host = "127.0.0.1";
        broken.kvConfigPath = file.toString();
        Throwable failure = NameServer.start(vertx, broken).transform(ar -> io.vertx.core.Future.succeededFuture(
                ar.cause())).await(30, TimeUnit.SECONDS);
        assertNotNull(failure);
        assertTrue(failure.getMessage().contains("cannot read KV config"), failure.getMessage());
        assertEquals("{definitely not json", Files.readString(file));
    }

    private static RemotingCommand put(String namespace, String key, String value) {
        return RemotingCommand.request(RequestCode.PUT_KV_CONFIG).put("namespace", namespace).put("key", key)
                .put("value", value);
    }

    private static RemotingCommand get(String namespace, String key) {
        return RemotingCommand.request(RequestCode.GET_KV_CONFIG).put("namespace", namespace).put("key", key);
    }
}
