package io.tern.bench.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Writes and reads {@link ScenarioResult}s as one JSON document per file. */
public final class ResultJson {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ResultJson() {
  }

  public static void write(ScenarioResult result, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    MAPPER.writeValue(file.toFile(), result);
  }

  public static String toJson(ScenarioResult result) throws IOException {
    return MAPPER.writeValueAsString(result);
  }

  public static ScenarioResult read(Path file) throws IOException {
    return MAPPER.readValue(file.toFile(), ScenarioResult.class);
  }

  public static ScenarioResult fromJson(String json) throws IOException {
    return MAPPER.readValue(json, ScenarioResult.class);
  }

  /** Every *.json result in {@code dir} (not recursive), sorted by file name. */
  public static List<ScenarioResult> readAll(Path dir) throws IOException {
    List<ScenarioResult> results = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return results;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        results.add(read(f));
      }
    }
    return results;
  }
}
