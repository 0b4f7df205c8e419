package io.tern.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tern.common.Json;
import io.tern.common.protocol.HeartbeatData;
import io.tern.common.protocol.RegisterBrokerBody;
import io.tern.common.protocol.TopicConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.StringConcatException;
import java.lang.invoke.StringConcatFactory;
import java.lang.management.ManagementFactory;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.UUID;
import jdk.jfr.FlightRecorder;
import org.yaml.snakeyaml.Yaml;

/**
 * Start-up work done ahead, on a second core, while the main thread sets up logging and creates Vert.x: this thread
 * initialises, in the order the start reaches them, what the critical path needs next — the log lines' date format
 * (the locale data behind it), JFR's availability check (Netty's first class asks it), the string concatenations of
 * Vert.x's start, the secure random Vert.x's
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
        concatenations();
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

    /**
     * Links string concatenations of the shapes Vert.x's start uses on the main thread (its logging set-up, system
     * properties, file cache and thread names: one to three strings, a string and an int). Code compiled for Java 9+
     * concatenates through an invokedynamic call site that {@link StringConcatFactory} links at its first run; the
     * first sites of a shape make the JVM spin lambda forms as hidden classes, which JDK 17's class-data-sharing
     * archive does not hold: about 30 ms of the main thread (src-docs/performance-notes.md, change 29). Linked here
     * first, the main thread's sites of these shapes reuse the cached forms. The handles made here are dropped.
     */
    private static void concatenations() {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        link(lookup, "s=\u0001", String.class);
        link(lookup, "\u0001\u0001", String.class, String.class);
        link(lookup, "\u0001\u0001\u0001", String.class, String.class, String.class);
        link(lookup, "s\u0001-\u0001", String.class, int.class);
    }

    private static void link(MethodHandles.Lookup lookup, String recipe, Class<?>... argumentTypes) {
        try {
            StringConcatFactory.makeConcatWithConstants(lookup, "concat",
                    MethodType.methodType(String.class, argumentTypes), recipe);
        } catch (StringConcatException e) {
            throw new IllegalStateException(e);
        }
    }
}
