package io.tern.nameserver.processor;

import io.tern.common.Json;
import io.tern.remoting.protocol.RemotingCommand;
import io.vertx.core.Future;
import java.util.HashMap;

/** Response shorthands shared by the nameserver processors. */
final class Responses {
    private Responses() {
    }

    static Future<RemotingCommand> success(RemotingCommand request) {
        return Future.succeededFuture(RemotingCommand.successTo(request));
    }

    /** SUCCESS with a JSON body written by the one mapper (standard JSON, spec 4.1). */
    static Future<RemotingCommand> successJson(RemotingCommand request, Object body) {
        return Future.succeededFuture(RemotingCommand.successTo(request).body(Json.toBytes(body)));
    }

    /** An error response; with {@code emptyExt} it carries {@code "extFields":{}} like a reference header class. */
    static Future<RemotingCommand> error(RemotingCommand request, int code, String remark, boolean emptyExt) {
        RemotingCommand response = RemotingCommand.responseTo(request, code, remark);
        if (emptyExt) {
            response.extFields(new HashMap<>(2));
        }
        return Future.succeededFuture(response);
    }
}
