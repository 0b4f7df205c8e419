package io.tern.nameserver.processor;

import io.tern.nameserver.NameServerConfig;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UPDATE_NAMESRV_CONFIG (318) and GET_NAMESRV_CONFIG (319): the config as Java properties text (spec 3.2.10).
 * Only {@link NameServerConfig#RUNTIME_UPDATABLE} keys take effect; the black-listed keys are refused with
 * NO_PERMISSION like the reference; other keys are accepted and ignored (nothing is persisted). Event loops.
 */
public final class NameServerConfigProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(NameServerConfigProcessor.class);

    private final NameServerConfig config;

    public NameServerConfigProcessor(NameServerConfig config) {
        this.config = config;
    }

    public Future<RemotingCommand> update(RemotingChannel connection, RemotingCommand request) {
        byte[] body = request.bodyBytes();
        if (body == null) {
            return Responses.success(request);
        }
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(new String(body, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            return Responses.error(request, ResponseCode.SYSTEM_ERROR, "string2Properties error", false);
        }
        for (String key : properties.stringPropertyNames()) {
            if (NameServerConfig.UPDATE_BLACK_LIST.contains(key)) {
                return Responses.error(request, ResponseCode.NO_PERMISSION, "Can not update config in black list.",
                        false);
            }
        }
        Set<String> applied;
        try {
            applied = config.applyRuntimeUpdate(properties);
        } catch (IllegalArgumentException e) {
            return Responses.error(request, ResponseCode.SYSTEM_ERROR, e.getMessage(), false);
        }
        LOG.info("nameserver config updated by {}: {}", connection.remoteAddress(), applied);
        return Responses.success(request);
    }

    public Future<RemotingCommand> get(RemotingChannel connection, RemotingCommand request) {
        StringBuilder text = new StringBuilder();
        config.asMap().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return Future.succeededFuture(RemotingCommand.successTo(request)
                .body(text.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
