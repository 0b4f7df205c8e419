package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.tern.broker.schedule.ScheduledDeliveryVerticle;
import io.tern.broker.transaction.TransactionCheckVerticle;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.deployment.DeploymentContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler and the transaction checker are verticles told of stored delayed and half messages over the
 * broker's event bus: no polling round is needed for a check or a delivery, and what was stored while one of them
 * was not deployed is found when it is deployed again.
 */
class ControlPlaneTest {
    @TempDir
    Path dir;
    BrokerHarness h;
    RemotingClient producer;
    final BlockingQueue<RemotingCommand> checks = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        h = new BrokerHarness(dir, c -> {
            c.transactionCheckIntervalMs = 600_000; // no safety round during a test: only notifications drive checks
            c.transactionTimeOutMs = 300;
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
    void aStoredHalfMessageIsCheckedAtItsTimeoutWithoutAWaitForTheCheckInterval() throws Exception {
        RemotingCommand half = BrokerHarness.sendV2("BUS", 0, "pending", props("TRAN_MSG", "true", "PGROUP", "BPG",
                "UNIQ_KEY", "BUS1")).put("a", "BPG").put("f", 4);
        assertEquals(ResponseCode.SUCCESS, h.call(producer, half).code());

        RemotingCommand check = checks.poll(60, TimeUnit.SECONDS);
        assertNotNull(check, "the half message's arrival scheduled a check round (the interval is 10 minutes)");
        assertEquals("BUS1", check.ext("msgId"));
    }

    @Test
    void delayedMessagesStoredWhileNoSchedulerRanAreDeliveredOnceOneIsDeployed() throws Exception {
        String scheduler = deploymentOf(h.vertx, ScheduledDeliveryVerticle.class);
        h.vertx.undeploy(scheduler).await(10, TimeUnit.SECONDS);
        RemotingCommand sent = h.call(BrokerHarness.sendV2("DT", 0, "delayed while undeployed",
                props("DELAY", "1", "UNIQ_KEY", "DU1")));
        assertEquals(ResponseCode.SUCCESS, sent.code(), sent.remark());

        BrokerComponents parts = h.broker.components();
        String redeployed = h.vertx.deployVerticle(new ScheduledDeliveryVerticle(parts.address(), parts.store(),
                parts.schedule())).await(10, TimeUnit.SECONDS);
        try {
            List<StoredMessage> delivered = ScheduleMessageTest.pullUntilFound(h, "G", "DT", 0, 0);
            assertEquals("delayed while undeployed", delivered.get(0).bodyString());
        } finally {
            h.vertx.undeploy(redeployed).await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRedeployedCheckerChecksWhatWasStoredBeforeAndWhileItWasUndeployed() throws Exception {
        h.broker.components().config().transactionTimeOutMs = 600_000;
        RemotingCommand before = BrokerHarness.sendV2("BUS", 0, "before", props("TRAN_MSG", "true", "PGROUP", "BPG",
                "UNIQ_KEY", "BEFORE")).put("a", "BPG").put("f", 4);
        assertEquals(ResponseCode.SUCCESS, h.call(producer, before).code());
        h.vertx.undeploy(deploymentOf(h.vertx, TransactionCheckVerticle.class)).await(10, TimeUnit.SECONDS);
        RemotingCommand during = BrokerHarness.sendV2("BUS", 0, "during", props("TRAN_MSG", "true", "PGROUP", "BPG",
                "UNIQ_KEY", "DURING")).put("a", "BPG").put("f", 4);
        assertEquals(ResponseCode.SUCCESS, h.call(producer, during).code());
        h.broker.components().config().transactionTimeOutMs = 0;
        assertEquals(0, checks.size(), "nothing was due before the undeploy");

        h.broker.deployTransactionChecker().await(10, TimeUnit.SECONDS);

        RemotingCommand first = checks.poll(60, TimeUnit.SECONDS);
        RemotingCommand second = checks.poll(60, TimeUnit.SECONDS);
        assertNotNull(second, "both half messages checked");
        assertEquals(Set.of("BEFORE", "DURING"), Set.of(first.ext("msgId"), second.ext("msgId")));
    }

    @Test
    void theTransactionCheckerIsAVerticleOfItsOwn() {
        assertNotNull(deploymentOf(h.vertx, TransactionCheckVerticle.class));
    }

    /** The one deployment of {@code verticle}'s class. */
    static String deploymentOf(Vertx vertx, Class<?> verticle) {
        List<String> ids = ((VertxInternal) vertx).deploymentManager().deployments().stream()
                .filter(d -> d.deployment().identifier().equals("java:" + verticle.getName()))
                .map(DeploymentContext::id)
                .toList();
        assertEquals(1, ids.size(), "deployments of " + verticle.getSimpleName());
        return ids.get(0);
    }
}
