package io.tern.server;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a role's configuration through vertx-config: the YAML file, then the {@code TERN_*} environment
 * variables, then system properties (later stores win), and folds the overrides into the {@code nameserver} and
 * {@code broker} sections (see {@link ConfigOverrides}).
 *
 * <p>The file is looked up on disk first; a missing default file ({@code conf/<role>.yaml}) falls back to the copy
 * bundled in the jar, which Vert.x's file resolver finds on the classpath. That is what lets {@code java -jar} work
 * from any directory. A missing file given with {@code --config} is an error.
 */
public final class TernConfigLoader {
    /** Where the YAML came from, for the startup log. */
    public record Loaded(JsonObject config, String source) {
    }

    private TernConfigLoader() {
    }

    public static Future<Loaded> load(Vertx vertx, Role role, String explicitPath) {
        String path = explicitPath != null ? explicitPath : role.defaultConfigPath();
        boolean onDisk = Files.isRegularFile(Path.of(path));
        if (!onDisk && explicitPath != null) {
            return Future.failedFuture(new IllegalArgumentException("config file not found: " + explicitPath));
        }
        String source = onDisk ? Path.of(path).toAbsolutePath().normalize().toString() : "classpath:" + path;
        if (!onDisk && TernConfigLoader.class.getClassLoader().getResource(path) == null) {
            return Future.failedFuture(new IllegalArgumentException(
                    "config file " + path + " is neither in the working directory nor bundled in the jar"));
        }
        ConfigRetrieverOptions options = new ConfigRetrieverOptions()
                .setIncludeDefaultStores(false)
                .setScanPeriod(-1)
                .addStore(new ConfigStoreOptions().setType("file").setFormat("yaml")
                        .setConfig(new JsonObject().put("path", path)))
                .addStore(new ConfigStoreOptions().setType("env").setConfig(new JsonObject()
                        .put("keys", new JsonArray(ConfigOverrides.envNames()))
                        .put("raw-data", true)))
                .addStore(new ConfigStoreOptions().setType("sys").setConfig(new JsonObject()
                        .put("cache", false).put("raw-data", true)));
        ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
        return retriever.getConfig()
                .map(merged -> new Loaded(ConfigOverrides.apply(merged), source))
                .andThen(done -> retriever.close());
    }
}
