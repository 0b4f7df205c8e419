package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tern.broker.control.ControlBus;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transaction check is driven through the broker's control bus: one published tick runs a check round. */
class ControlBusTest {
    @TempDir
    Path dir;
    BrokerHarness h;
    RemotingClient producer;
    final BlockingQueue<RemotingCommand> checks = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        // the broker's own clock would not check for a minute; only our tick can make it check now
        h = new BrokerHarness(dir, c -> {
            c.transactionCheckIntervalMs = 60_000;
            c.transactionTimeOutMs = 0;
        });
        producer = new RemotingClient(h.vertx, new ProcessorTable().register(RequestCode.CHECK_TRANSACTION_STATE,
                (c, req) -> {
                    checks.add(req);
                    return Future.succeededFuture();
                }));
        String hb = "{\"clientID\":\"10.2.2.3@bus\",\"consumerDataSet\":[],\"producerDataSet\":[{\"groupName\":\"BPG\"}]}";
        assertEquals(ResponseCode.SUCCESS, h.call(producer, RemotingCommand.request(RequestCode.HEART_BEAT)
                .body(hb.getBytes(StandardCharsets.UTF_8))).code());
    }

    @AfterEach
    void stop() throws Exception {
        producer.close().await(5, TimeUnit.SECONDS);
        h.close();
    }

    @Test
    void aTickOnTheControlBusRunsATransactionCheck() throws Exception {
        RemotingCommand half = BrokerHarness.sendV2("BUS", 0, "pending", props("TRAN_MSG", "true", "PGROUP", "BPG",
                "UNIQ_KEY", "BUS1")).put("a", "BPG").put("f", 4);
        assertEquals(ResponseCode.SUCCESS, h.call(producer, half).code());
        assertNull(checks.poll(300, TimeUnit.MILLISECONDS), "no check before a tick");

        h.vertx.eventBus().publish(ControlBus.address(h.broker.address(), ControlBus.TRANSACTION_CHECK), null);

        RemotingCommand check = checks.poll(10, TimeUnit.SECONDS);
        assertNotNull(check, "the tick ran a check round");
        assertEquals("BUS1", check.ext("msgId"));
    }
}
