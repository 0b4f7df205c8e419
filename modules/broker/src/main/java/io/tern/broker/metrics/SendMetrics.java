package io.tern.broker.metrics;

import io.tern.remoting.RemotingChannel;
import io.tern.remoting.RequestProcessor;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;

/**
 * Wraps the send processor where it is registered: times each request from the moment the processor gets it to
 * its response, and counts what the response says — stored messages and bytes per topic, or the failure reason.
 * The topic is the one the producer named (header {@code b}, or {@code topic} for SEND_MESSAGE), before any
 * delay, retry or dead-letter rewrite; a batch counts one message per returned msg id.
 *
 * <p>Stateless apart from the shared {@link TrafficMeters}; runs on the connection's event loop.
 */
public final class SendMetrics implements RequestProcessor {
    private final TrafficMeters meters;
    private final RequestProcessor send;

    private SendMetrics(TrafficMeters meters, RequestProcessor send) {
        this.meters = meters;
        this.send = send;
    }

    public static RequestProcessor wrap(TrafficMeters meters, RequestProcessor send) {
        return new SendMetrics(meters, send);
    }

    @Override
    public Future<RemotingCommand> process(RemotingChannel connection, RemotingCommand request) throws Exception {
        long startNanos = System.nanoTime();
        Future<RemotingCommand> response;
        try {
            response = send.process(connection, request);
        } catch (Exception | Error e) {
            meters.putFailed(ResponseCode.SYSTEM_ERROR);
            throw e;
        }
        if (response == null) {
            return null;
        }
        return response.onComplete(ar -> record(request, ar, startNanos));
    }

    private void record(RemotingCommand request, AsyncResult<RemotingCommand> ar, long startNanos) {
        meters.sendLatency(System.nanoTime() - startNanos);
        RemotingCommand resp = ar.succeeded() ? ar.result() : null;
        int code = resp == null ? ResponseCode.SYSTEM_ERROR : resp.code();
        if (code != ResponseCode.SUCCESS) {
            meters.putFailed(code);
        }
        String msgIds = resp == null ? null : resp.ext("msgId");
        if (msgIds == null) {
            return; // not stored
        }
        String topic = request.code() == RequestCode.SEND_MESSAGE ? request.ext("topic") : request.ext("b");
        if (topic != null) {
            meters.put(topic, countIds(msgIds), request.body() == null ? 0 : request.body().length());
        }
    }

    private static int countIds(String msgIds) {
        int n = 1;
        for (int i = 0; i < msgIds.length(); i++) {
            if (msgIds.charAt(i) == ',') {
                n++;
            }
        }
        return n;
    }
}
