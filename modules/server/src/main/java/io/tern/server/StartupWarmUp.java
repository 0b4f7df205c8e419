package io.tern.server;

import io.tern.common.Json;
import io.tern.common.protocol.RegisterBrokerBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.Yaml;

/**
 * Start-up work done ahead, on a second core, while the launcher creates Vert.x: this thread sets up what the start
 * needs right after on the critical path — the YAML parser and Vert.x's JSON codec of the config loader, Tern's JSON
 * mapper, Netty's buffer allocator. A class initialised here is not initialised again; one the start reaches first
 * is simply waited for.
 */
final class StartupWarmUp {
    private StartupWarmUp() {
    }

    static void startInBackground() {
        Thread thread = new Thread(StartupWarmUp::run, "tern-startup-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        new Yaml().load("broker:\n  listenPort: 10911\n  store: {storeRoot: /tmp}\n");
        new JsonObject().put("broker", new JsonObject().put("listenPort", 10911)).encode();
        Json.toBytes(new RegisterBrokerBody());
        Buffer.buffer(64).appendInt(1);
    }
}
