package io.tern.broker.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, enough to check the scrape parses: every line
 * is a HELP/TYPE comment or {@code name{label="value",...} number}.
 */
final class PrometheusText {
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    final List<Sample> samples = new ArrayList<>();
    final Map<String, String> types = new HashMap<>();

    static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher t = TYPE.matcher(line);
                if (t.matches()) {
                    p.types.put(t.group(1), t.group(2));
                } else if (!line.startsWith("# HELP ") && !line.startsWith("# EOF")) {
                    throw new AssertionError("bad comment line: " + line);
                }
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                int end = 0;
                while (l.find() && l.start() == end) {
                    labels.put(l.group(1), l.group(2));
                    end = l.end();
                }
                if (end != m.group(3).length()) {
                    throw new AssertionError("bad labels: " + line);
                }
            }
            String v = m.group(4);
            double value = v.equals("+Inf") ? Double.POSITIVE_INFINITY : v.equals("-Inf") ? Double.NEGATIVE_INFINITY
                    : Double.parseDouble(v);
            p.samples.add(new Sample(m.group(1), labels, value));
        }
        return p;
    }

    /** Samples named {@code name} whose labels include the given pairs (a null value: any). */
    List<Sample> find(String name, String... labelPairs) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.name.equals(name)) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i + 1 < labelPairs.length; i += 2) {
                String want = labelPairs[i + 1];
                String got = s.labels.get(labelPairs[i]);
                if (got == null || (want != null && !want.equals(got))) {
                    match = false;
                }
            }
            if (match) {
                out.add(s);
            }
        }
        return out;
    }

    boolean has(String name, String... labelPairs) {
        return !find(name, labelPairs).isEmpty();
    }

    /** The value of the one matching sample. */
    double value(String name, String... labelPairs) {
        List<Sample> found = find(name, labelPairs);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples of " + name + " " + String.join(",", labelPairs));
        }
        return found.get(0).value;
    }

    String typeOf(String family) {
        return types.get(family);
    }
}
