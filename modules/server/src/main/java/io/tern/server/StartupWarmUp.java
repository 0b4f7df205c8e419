package io.tern.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tern.common.Json;
import io.tern.common.protocol.HeartbeatData;
import io.tern.common.protocol.RegisterBrokerBody;
import io.tern.common.protocol.TopicConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.UUID;
import jdk.jfr.FlightRecorder;
import org.yaml.snakeyaml.Yaml;

/**
 * Start-up work done ahead, on a second core, while the main thread sets up logging and creates Vert.x: this thread
 * initialises, in the order the start reaches them, what the critical path needs next — the log lines' date format
 * (the locale data behind it), JFR's availability check (Netty's first class asks it), the secure random Vert.x's
 * file cache names its directory with, the YAML parser and Vert.x's JSON codec of the config loader, Tern's JSON
 * mapper for the registration body and heartbeats, Netty's buffer allocator, the metrics registry and the platform
 * MXBeans the broker opens with. A class
 * initialised here is not initialised again; one the start reaches first is simply waited for. Nothing here has an
 * effect beyond initialised classes and caches.
 */
final class StartupWarmUp {
    private StartupWarmUp() {
    }

    /** Call first in {@code main}, after the system-property defaults and before the first logger exists. */
    static void startInBackground() {
        Thread thread = new Thread(StartupWarmUp::run, "tern-startup-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        String dateFormat = System.getProperty("org.slf4j.simpleLogger.dateTimeFormat");
        if (dateFormat != null && !dateFormat.isBlank()) {
            new SimpleDateFormat(dateFormat).format(new Date());
        }
        // Netty's PlatformDependent asks this in its static initialiser (its JFR default, read before
        // io.netty.jfr.enabled) while the main thread creates Vert.x: 16-43 ms cold (JFR's Java side and natives)
        FlightRecorder.isAvailable();
        UUID.randomUUID();
        new Yaml().load("broker:\n  listenPort: 10911\n  store: {storeRoot: /tmp}\n");
        new JsonObject().put("broker", new JsonObject().put("listenPort", 10911)).encode();
        RegisterBrokerBody body = new RegisterBrokerBody();
        body.topicConfigSerializeWrapper.topicConfigTable.put("TBW102", new TopicConfig("TBW102", 8, 8, 7));
        Json.toBytes(body);
        Json.fromBytes(Json.toBytes(new HeartbeatData()), HeartbeatData.class);
        Buffer.buffer(64).appendInt(1);
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT).close();
        ManagementFactory.getOperatingSystemMXBean();
    }
}
