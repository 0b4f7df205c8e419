package io.tern.client.impl;

import io.tern.client.TernConsumer;
import io.tern.client.TernConsumerOptions;
import io.tern.client.TernMessage;
import io.tern.common.protocol.ConsumerData;
import io.vertx.core.Future;
import java.util.function.Function;

/** Work in progress. */
final class ConsumerImpl implements TernConsumer {
    private final TernClientImpl client;
    private final String group;
    private final TernConsumerOptions options;

    ConsumerImpl(TernClientImpl client, String group, TernConsumerOptions options) {
        this.client = client;
        this.group = group;
        this.options = options;
    }

    @Override
    public String group() {
        return group;
    }

    boolean isStarted() {
        return false;
    }

    ConsumerData consumerData() {
        return new ConsumerData();
    }

    void rebalanceNow() {
    }

    @Override
    public TernConsumer subscribe(String topic, String tagExpression) {
        return this;
    }

    @Override
    public TernConsumer handler(Function<TernMessage, Future<Void>> handler) {
        return this;
    }

    @Override
    public TernConsumer pause() {
        return this;
    }

    @Override
    public TernConsumer resume() {
        return this;
    }

    @Override
    public Future<Void> start() {
        return Future.failedFuture("not yet");
    }

    @Override
    public Future<Void> close() {
        return client.ctx.call(() -> client.removeConsumer(this));
    }
}
