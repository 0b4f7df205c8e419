package io.tern.remoting.protocol;

import java.util.Map;

/**
 * JSON header codec, serialize type 0 (spec 1.4). Written the way fastjson writes it (keys in alphabetical
 * order, null fields omitted, language by name, ext values as strings) straight into the frame's bytes; read
 * leniently by {@link JsonHeaderReader} (any order, absent keys, unknown keys ignored, numeric ext values
 * accepted as text).
 */
final class JsonHeaderCodec {
    private static final byte[] CODE = ascii("{\"code\":");
    private static final byte[] EXT_FIELDS = ascii(",\"extFields\":{");
    private static final byte[] FLAG = ascii(",\"flag\":");
    private static final byte[] LANGUAGE_OPAQUE = ascii(",\"language\":\"" + LanguageCode.JAVA + "\",\"opaque\":");
    private static final byte[] REMARK = ascii(",\"remark\":");
    private static final byte[] TAIL = ascii(",\"serializeTypeCurrentRPC\":\"JSON\",\"version\":");

    /** The header alone, as bytes (tests and callers that frame it themselves). */
    static byte[] encode(RemotingCommand cmd) {
        HeaderBytes out = new HeaderBytes(128);
        write(cmd, out);
        return out.toArray();
    }

    /** Appends the header of {@code cmd} to {@code out}. */
    static void write(RemotingCommand cmd, HeaderBytes out) {
        out.write(CODE);
        out.writeInt(cmd.code());
        Map<String, String> ext = cmd.extFields();
        if (ext != null) {
            out.write(EXT_FIELDS);
            boolean first = true;
            for (Map.Entry<String, String> e : ext.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    continue;
                }
                if (!first) {
                    out.write(',');
                }
                first = false;
                out.writeJsonString(e.getKey());
                out.write(':');
                out.writeJsonString(e.getValue());
            }
            out.write('}');
        }
        out.write(FLAG);
        out.writeInt(cmd.flag());
        out.write(LANGUAGE_OPAQUE);
        out.writeInt(cmd.opaque());
        if (cmd.remark() != null) {
            out.write(REMARK);
            out.writeJsonString(cmd.remark());
        }
        out.write(TAIL);
        out.writeInt(cmd.version());
        out.write('}');
    }

    static RemotingCommand decode(byte[] bytes, int offset, int length) {
        return JsonHeaderReader.decode(bytes, offset, length);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private JsonHeaderCodec() {
    }
}
