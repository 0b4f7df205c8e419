package io.tern.nameserver.route;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tern.common.Json;
import io.tern.common.protocol.DataVersion;
import io.tern.common.protocol.RegisterBrokerBody;
import io.tern.common.protocol.TopicConfig;
import io.tern.common.protocol.TopicConfigSerializeWrapper;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.zip.InflaterInputStream;

/**
 * Decodes REGISTER_BROKER bodies (spec 4.2.2, 4.2.3) and normalises them: the result always has a topic table
 * and a data version, so the registry never sees nulls.
 *
 * <p>Compressed form: a zlib stream (with header) of
 * <pre>
 *   +---------+----------------------+---------+------------------------------------------+-----+--------+
 *   | int len | DataVersion JSON     | int n   | n x (int len, "name read write perm type") | int | [JSON] |
 *   +---------+----------------------+---------+------------------------------------------+-----+--------+
 *                                                                          filter server list ^len   ^array
 * </pre>
 * The topic text loses topicSysFlag and order (they decode as 0/false); a 5.x broker may append a sixth
 * field (attributes JSON), which is ignored.
 *
 * <p>Stateless and thread-safe.
 */
public final class RegisterBrokerBodyDecoder {
    /** Refuse inflating beyond this: a zip bomb must not take the nameserver down. */
    static final int MAX_INFLATED_BYTES = 64 * 1024 * 1024;
    /** REGISTER_BROKER bodies of brokers older than V3_0_11 are a bare TopicConfigSerializeWrapper. */
    static final int VERSION_V3_0_11 = 37;

    private RegisterBrokerBodyDecoder() {
    }

    /**
     * @param body       the request body, may be null (then an empty table with version counter 0, timestamp 0)
     * @param compressed header {@code compressed}
     * @param version    the request's version ordinal
     * @throws IllegalArgumentException when the body is malformed
     */
    public static RegisterBrokerBody decode(byte[] body, boolean compressed, int version) {
        RegisterBrokerBody decoded;
        if (body == null || body.length == 0) {
            decoded = new RegisterBrokerBody();
            decoded.topicConfigSerializeWrapper.dataVersion = zeroVersion();
        } else if (version < VERSION_V3_0_11) {
            decoded = new RegisterBrokerBody();
            decoded.topicConfigSerializeWrapper = Json.fromBytes(body, TopicConfigSerializeWrapper.class);
        } else if (compressed) {
            decoded = decodeCompressed(body);
        } else {
            decoded = Json.fromBytes(body, RegisterBrokerBody.class);
        }
        return normalise(decoded);
    }

    private static RegisterBrokerBody normalise(RegisterBrokerBody b) {
        if (b == null) {
            throw new IllegalArgumentException("malformed RegisterBrokerBody body: null");
        }
        if (b.topicConfigSerializeWrapper == null) {
            b.topicConfigSerializeWrapper = new TopicConfigSerializeWrapper();
            b.topicConfigSerializeWrapper.dataVersion = zeroVersion();
        }
        TopicConfigSerializeWrapper w = b.topicConfigSerializeWrapper;
        if (w.topicConfigTable == null) {
            w.topicConfigTable = new LinkedHashMap<>();
        }
        if (w.dataVersion == null) {
            w.dataVersion = zeroVersion();
        }
        if (b.filterServerList == null) {
            b.filterServerList = new ArrayList<>();
        }
        return b;
    }

    static RegisterBrokerBody decodeCompressed(byte[] body) {
        try (DataInputStream in = new DataInputStream(
                new BoundedInputStream(new InflaterInputStream(new ByteArrayInputStream(body))))) {
            RegisterBrokerBody b = new RegisterBrokerBody();
            b.topicConfigSerializeWrapper.dataVersion = Json.fromBytes(readBlock(in), DataVersion.class);
            int topics = in.readInt();
            if (topics < 0) {
                throw new IllegalArgumentException("negative topic count " + topics);
            }
            for (int i = 0; i < topics; i++) {
                TopicConfig tc = parseTopicText(new String(readBlock(in), StandardCharsets.UTF_8));
                b.topicConfigSerializeWrapper.topicConfigTable.put(tc.topicName, tc);
            }
            byte[] filters = readBlock(in);
            b.filterServerList = filters.length == 0 ? new ArrayList<>()
                    : Json.MAPPER.readValue(filters, new TypeReference<List<String>>() { });
            return b;
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed compressed RegisterBrokerBody: " + e.getMessage(), e);
        }
    }

    /** "name read write perm filterType[ attributes]" as written by TopicConfig.encode of the reference. */
    static TopicConfig parseTopicText(String text) {
        String[] parts = text.split(" ");
        if (parts.length < 5) {
            throw new IllegalArgumentException("malformed topic config text: '" + text + "'");
        }
        try {
            TopicConfig tc = new TopicConfig(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                    Integer.parseInt(parts[3]));
            tc.topicFilterType = parts[4];
            return tc;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed topic config text: '" + text + "'");
        }
    }

    private static byte[] readBlock(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > MAX_INFLATED_BYTES) {
            throw new IOException("bad block length " + len);
        }
        byte[] bytes = new byte[len];
        in.readFully(bytes);
        return bytes;
    }

    private static DataVersion zeroVersion() {
        DataVersion v = new DataVersion();
        v.counter = 0;
        v.timestamp = 0;
        return v;
    }

    /** Fails once more than {@link #MAX_INFLATED_BYTES} were read. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long readBytes;

        BoundedInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            readBytes += n;
            if (readBytes > MAX_INFLATED_BYTES) {
                throw new EOFException("inflated body larger than " + MAX_INFLATED_BYTES + " bytes");
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
