package io.tern.client;

import static io.tern.client.TernTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.client.TernConsumerOptions.ConsumeFromWhere;
import io.tern.server.EmbeddedTern;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client as a verticle uses it: created in start(), everything on the verticle's own context. */
class VerticleUsageTest {
    @TempDir
    Path store;

    static final class EchoVerticle extends VerticleBase {
        final String namesrvAddr;
        final Promise<Boolean> receivedOnOwnContext = Promise.promise();
        TernClient client;

        EchoVerticle(String namesrvAddr) {
            this.namesrvAddr = namesrvAddr;
        }

        @Override
        public Future<?> start() {
            Context mine = context;
            client = TernClient.create(vertx, new TernClientOptions().setNamesrvAddr(namesrvAddr));
            TernConsumer consumer = client.createConsumer("CG_verticle", new TernConsumerOptions()
                    .setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET))
                    .subscribe("VerticleTopic", "*")
                    .handler(m -> {
                        receivedOnOwnContext.tryComplete(Vertx.currentContext() == mine);
                        return Future.succeededFuture();
                    });
            return consumer.start()
                    .compose(v -> client.createProducer("PG_verticle").send(TernMessage.of("VerticleTopic", "hi")))
                    .compose(r -> Vertx.currentContext() == mine ? Future.succeededFuture()
                            : Future.failedFuture("the send completed off the verticle's context"));
        }

        @Override
        public Future<?> stop() {
            return client.close();
        }
    }

    @Test
    void handlersAndFuturesRunOnTheVerticlesContext() {
        try (EmbeddedTern tern = EmbeddedTern.start(store)) {
            TernTestSupport.createTopic(tern.vertx(), tern, "VerticleTopic", 2);
            Vertx vertx = Vertx.vertx();
            try {
                EchoVerticle verticle = new EchoVerticle(tern.namesrvAddr());
                String id = await(vertx.deployVerticle(verticle));
                assertEquals(true, await(verticle.receivedOnOwnContext.future()));
                await(vertx.undeploy(id));
            } finally {
                await(vertx.close());
            }
        }
    }
}
