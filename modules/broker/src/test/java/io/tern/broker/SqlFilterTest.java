package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlFilterTest {
    @TempDir
    Path dir;

    @Test
    void sql92SubscriptionsFilterOnPropertiesByDefault() throws Exception {
        assertTrue(new BrokerConfig().enablePropertyFilter, "served by default, unlike RocketMQ");
        try (BrokerHarness h = new BrokerHarness(dir)) {
            for (int i = 0; i < 6; i++) {
                h.call(BrokerHarness.sendV2("SQ", 0, "m" + i, props("n", String.valueOf(i), "TAGS", i % 2 == 0
                        ? "even" : "odd")));
            }
            String check = "{\"clientId\":\"c\",\"group\":\"G\",\"subscriptionData\":{\"expressionType\":\"SQL92\","
                    + "\"subString\":\"n > 1 AND TAGS = 'even'\",\"topic\":\"SQ\"}}";
            assertEquals(ResponseCode.SUCCESS, h.call(RemotingCommand.request(RequestCode.CHECK_CLIENT_CONFIG)
                    .body(check.getBytes(StandardCharsets.UTF_8))).code());
            String bad = check.replace("n > 1 AND TAGS = 'even'", "n >");
            assertEquals(ResponseCode.SUBSCRIPTION_PARSE_FAILED, h.call(RemotingCommand.request(
                    RequestCode.CHECK_CLIENT_CONFIG).body(bad.getBytes(StandardCharsets.UTF_8))).code());

            RemotingCommand pull = BrokerHarness.pull("G", "SQ", 0, 0, "n > 1 AND TAGS = 'even'", 0)
                    .put("expressionType", "SQL92");
            RemotingCommand resp = h.call(pull);
            assertEquals(ResponseCode.SUCCESS, resp.code(), resp.remark());
            assertEquals(List.of("m2", "m4"), StoredMessage.decodeAll(resp.bodyBytes()).stream()
                    .map(StoredMessage::bodyString).toList());
            assertEquals("6", resp.ext("nextBeginOffset"));

            RemotingCommand badPull = BrokerHarness.pull("G", "SQ", 0, 0, "n >", 0).put("expressionType", "SQL92");
            assertEquals(ResponseCode.SUBSCRIPTION_PARSE_FAILED, h.call(badPull).code());
        }
    }

    @Test
    void switchedOffSql92IsRefusedAndTagsStillServed() throws Exception {
        try (BrokerHarness h = new BrokerHarness(dir, c -> c.enablePropertyFilter = false)) {
            h.call(BrokerHarness.sendV2("SQ", 0, "m", props("n", "1", "TAGS", "even")));
            RemotingCommand sql = BrokerHarness.pull("G", "SQ", 0, 0, "n > 0", 0).put("expressionType", "SQL92");
            assertEquals(ResponseCode.SYSTEM_ERROR, h.call(sql).code());
            assertEquals(ResponseCode.SUCCESS, h.call(BrokerHarness.pull("G", "SQ", 0, 0, "even", 0)).code());
        }
    }
}
