package io.tern.bench.load;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the phases of a split drain ({@link DrainPhase}) hand each other in the state file: the fill's run id (the
 * drain counts only messages that carry it), how many messages the broker accepted, the pid of the broker that
 * accepted them (the drain compares it with the pid it watches to tell whether the broker was restarted) and the
 * numbers each phase recorded for the final result.
 *
 * @param runId     run id stamped into the backlog's bodies by the fill
 * @param backlog   messages the broker accepted during the fill
 * @param brokerPid pid of the broker during the fill; 0 when none was watched
 * @param extra     numbers for the drain's result, in the order the phases recorded them
 */
public record BacklogState(long runId, long backlog, long brokerPid, Map<String, Object> extra) {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public BacklogState {
    extra = new LinkedHashMap<>(extra == null ? Map.of() : extra);
  }

  /** This state with {@code more} recorded after the numbers already there. */
  public BacklogState with(Map<String, Object> more) {
    Map<String, Object> all = new LinkedHashMap<>(extra);
    all.putAll(more);
    return new BacklogState(runId, backlog, brokerPid, all);
  }

  public void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    MAPPER.writeValue(tmp.toFile(), this);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads what an earlier phase wrote; fails with the file's name when there is none (the fill did not run). */
  public static BacklogState read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("no drain state at " + file + ": run --phase fill first");
    }
    return MAPPER.readValue(file.toFile(), BacklogState.class);
  }
}
