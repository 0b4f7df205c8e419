package io.tern.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads a few values from the broker's Prometheus text: heap in use, the live data the last major GC left, open
 * remoting connections and parked pulls. Missing series read as -1.
 */
final class BrokerMetricsScrape {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI uri;

  record Values(double heapUsedBytes, double liveDataBytes, double connections, double parkedPulls) {
    static final Values NONE = new Values(-1, -1, -1, -1);
  }

  BrokerMetricsScrape(String url) {
    this.uri = URI.create(url);
  }

  Values read() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return parse(r.body());
    } catch (IOException e) {
      return Values.NONE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Values.NONE;
    }
  }

  static Values parse(String text) {
    double heap = 0;
    boolean sawHeap = false;
    double live = -1;
    double connections = -1;
    double parked = -1;
    for (String line : text.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        heap += value(line);
        sawHeap = true;
      } else if (line.startsWith("jvm_gc_live_data_size_bytes")) {
        live = value(line);
      } else if (line.startsWith("tern_remoting_connections")) {
        connections = value(line);
      } else if (line.startsWith("tern_pull_parked")) {
        parked = value(line);
      }
    }
    return new Values(sawHeap ? heap : -1, live, connections, parked);
  }

  private static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }
}
