package io.tern.bench.load;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where the official 4.9 client runs the work around each request.
 *
 * <p>By default ({@link #POOL}) an async send is handed to the producer's async-sender pool, and every answer
 * (send results, pull results) is handed from the I/O thread to the client's public callback pool: two thread
 * hand-offs per send and one per pull, each a futex wake-up. {@link #INLINE} uses the client's own setters to run
 * async sends on the thread that calls {@code send} (the write is non-blocking) and callbacks on the I/O thread that
 * read the answer. The latency scenario uses it so that less of what it measures is the client's own queueing
 * between its threads, which every broker pays alike (measured: same client CPU, e2e p50 halved against Tern).
 */
public enum ClientCallbacks {
  POOL,
  INLINE;

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ClientCallbacks fromCli(String value) {
    for (ClientCallbacks c : values()) {
      if (c.cliName().equals(value)) {
        return c;
      }
    }
    throw new IllegalArgumentException("--client-callbacks must be one of "
        + Arrays.stream(values()).map(ClientCallbacks::cliName).collect(Collectors.joining(", ")) + ": " + value);
  }
}
