package io.tern.server;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies the overrides that sit above the YAML file onto its {@code nameserver} and {@code broker} sections.
 *
 * <p>Two kinds, both read from the merged vertx-config result (env store, then system-property store, so a system
 * property beats an environment variable of the same name):
 * <ul>
 *   <li>the documented {@code TERN_*} variables ({@link #ENV_KEYS}), e.g. {@code TERN_BROKER_PORT=10911};</li>
 *   <li>any key as {@code tern.<section>.<key>[.<subkey>]}, e.g. {@code -Dtern.broker.store.commitLogSegmentBytes=67108864};
 *       these are applied last.</li>
 * </ul>
 * Values arrive as strings; they are stored as long, boolean or string (the config records accept numbers of any
 * width). {@code ${user.home}}, {@code ${user.dir}} and {@code ${java.io.tmpdir}} are expanded in every string value
 * of both sections, so the YAML can say {@code storeRoot: "${user.home}/tern-store"}.
 */
final class ConfigOverrides {
    static final String NAMESERVER = "nameserver";
    static final String BROKER = "broker";
    private static final String PROPERTY_PREFIX = "tern.";

    /**
     * Environment variable → config path. Store root and flush mode go under {@code broker.store}, which the broker
     * prefers over the top-level shortcuts {@code broker.storeRoot} / {@code broker.flushMode} that the YAML uses.
     */
    static final Map<String, String[]> ENV_KEYS = Map.ofEntries(
            Map.entry("TERN_NAMESERVER_PORT", new String[] {NAMESERVER, "listenPort"}),
            Map.entry("TERN_BROKER_PORT", new String[] {BROKER, "listenPort"}),
            Map.entry("TERN_HTTP_PORT", new String[] {BROKER, "httpPort"}),
            Map.entry("TERN_STORE_ROOT", new String[] {BROKER, "store", "storeRoot"}),
            Map.entry("TERN_NAMESERVER_ADDR", new String[] {BROKER, "namesrvAddr"}),
            Map.entry("TERN_FLUSH_MODE", new String[] {BROKER, "store", "flushMode"}),
            Map.entry("TERN_BROKER_NAME", new String[] {BROKER, "brokerName"}),
            Map.entry("TERN_BROKER_ID", new String[] {BROKER, "brokerId"}),
            Map.entry("TERN_BROKER_ROLE", new String[] {BROKER, "brokerRole"}),
            Map.entry("TERN_HA_PORT", new String[] {BROKER, "haListenPort"}),
            Map.entry("TERN_CLUSTER_NAME", new String[] {BROKER, "clusterName"}),
            // security (src-docs/security.md): TLS applies to the nameserver's port and the broker's
            Map.entry("TERN_TLS_MODE", new String[] {BROKER, "tlsMode"}),
            Map.entry("TERN_TLS_CERT", new String[] {BROKER, "tlsCertFile"}),
            Map.entry("TERN_TLS_KEY", new String[] {BROKER, "tlsKeyFile"}),
            Map.entry("TERN_HTTP_HOST", new String[] {BROKER, "httpHost"}),
            Map.entry("TERN_HTTP_TOKEN", new String[] {BROKER, "httpTokens"}));

    /** Variables that set the same key in the nameserver section as well as in the broker's. */
    static final Map<String, String[]> NAMESERVER_TOO = Map.of(
            "TERN_TLS_MODE", new String[] {NAMESERVER, "tlsMode"},
            "TERN_TLS_CERT", new String[] {NAMESERVER, "tlsCertFile"},
            "TERN_TLS_KEY", new String[] {NAMESERVER, "tlsKeyFile"});

    /** Broker keys whose values are masked when the config is logged. */
    private static final String[] SECRET_KEYS = {"httpTokens", "httpUsers", "aclSecretKey"};

    /** The ACL file of both roles; setting it also turns the ACL on (src-docs/acl.md). */
    static final String ACL_FILE_ENV = "TERN_ACL_FILE";

    private ConfigOverrides() {
    }

    /** Every environment variable the launcher reads. */
    static List<String> envNames() {
        List<String> names = new ArrayList<>(ENV_KEYS.keySet());
        names.add(ACL_FILE_ENV);
        return names;
    }

    /** Returns a copy of {@code merged} whose two sections carry every override; other keys are dropped. */
    static JsonObject apply(JsonObject merged) {
        JsonObject result = new JsonObject()
                .put(NAMESERVER, section(merged, NAMESERVER))
                .put(BROKER, section(merged, BROKER));
        moveStoreShortcuts(result.getJsonObject(BROKER));
        ENV_KEYS.forEach((name, path) -> {
            Object value = merged.getValue(name);
            if (value != null && !String.valueOf(value).isBlank()) {
                putPath(result, path, typed(String.valueOf(value).trim()));
            }
        });
        NAMESERVER_TOO.forEach((name, path) -> {
            Object value = merged.getValue(name);
            if (value != null && !String.valueOf(value).isBlank()) {
                putPath(result, path, String.valueOf(value).trim());
            }
        });
        Object aclFile = merged.getValue(ACL_FILE_ENV);
        if (aclFile != null && !String.valueOf(aclFile).isBlank()) {
            for (String role : new String[] {NAMESERVER, BROKER}) {
                putPath(result, new String[] {role, "aclFile"}, String.valueOf(aclFile).trim());
                putPath(result, new String[] {role, "aclEnable"}, true);
            }
        }
        for (String key : merged.fieldNames()) {
            if (key.startsWith(PROPERTY_PREFIX + NAMESERVER + ".") || key.startsWith(PROPERTY_PREFIX + BROKER + ".")) {
                String[] path = key.substring(PROPERTY_PREFIX.length()).split("\\.");
                putPath(result, path, typed(String.valueOf(merged.getValue(key)).trim()));
            }
        }
        expandPlaceholders(result);
        return result;
    }

    /** A copy of an applied config with the secrets masked, for the log. */
    static JsonObject withoutSecrets(JsonObject applied) {
        JsonObject copy = applied.copy();
        JsonObject broker = copy.getJsonObject(BROKER);
        if (broker != null) {
            for (String key : SECRET_KEYS) {
                if (broker.containsKey(key) && !String.valueOf(broker.getValue(key)).isEmpty()) {
                    broker.put(key, "******");
                }
            }
        }
        return copy;
    }

    /**
     * The YAML may say {@code broker.storeRoot} / {@code broker.flushMode} for short; move them into
     * {@code broker.store} (unless already set there) so overrides of the store keys win and the log shows one value.
     */
    private static void moveStoreShortcuts(JsonObject broker) {
        JsonObject store = broker.getValue("store") instanceof JsonObject s ? s : new JsonObject();
        for (String key : new String[] {"storeRoot", "flushMode"}) {
            Object value = broker.remove(key);
            if (value != null && !store.containsKey(key)) {
                store.put(key, value);
            }
        }
        broker.put("store", store);
    }

    private static JsonObject section(JsonObject merged, String name) {
        JsonObject section = merged.getJsonObject(name);
        return section == null ? new JsonObject() : section.copy();
    }

    private static void putPath(JsonObject root, String[] path, Object value) {
        JsonObject node = root;
        for (int i = 0; i < path.length - 1; i++) {
            JsonObject child = node.getJsonObject(path[i]);
            if (child == null) {
                child = new JsonObject();
                node.put(path[i], child);
            }
            node = child;
        }
        node.put(path[path.length - 1], value);
    }

    /** "10911" → 10911L, "true" → true, anything else stays a string. */
    static Object typed(String text) {
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notANumber) {
            return text;
        }
    }

    private static void expandPlaceholders(JsonObject node) {
        for (String key : node.fieldNames()) {
            Object value = node.getValue(key);
            if (value instanceof JsonObject child) {
                expandPlaceholders(child);
            } else if (value instanceof String text && text.contains("${")) {
                node.put(key, expand(text));
            }
        }
    }

    static String expand(String text) {
        String result = text;
        for (String property : new String[] {"user.home", "user.dir", "java.io.tmpdir"}) {
            result = result.replace("${" + property + "}", System.getProperty(property));
        }
        return result;
    }
}
