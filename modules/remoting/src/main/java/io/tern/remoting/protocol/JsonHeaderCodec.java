package io.tern.remoting.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * JSON header codec, serialize type 0 (spec 1.4). Written the way fastjson writes it (keys in alphabetical
 * order, null fields omitted, language by name, ext values as strings); read leniently (any order, absent
 * keys, unknown keys ignored, numeric ext values accepted as text).
 */
final class JsonHeaderCodec {
    private static final JsonFactory FACTORY = new JsonFactory();

    static byte[] encode(RemotingCommand cmd) {
        StringBuilder sb = new StringBuilder(128);
        sb.append("{\"code\":").append(cmd.code());
        Map<String, String> ext = cmd.extFields();
        if (ext != null) {
            sb.append(",\"extFields\":{");
            boolean first = true;
            for (Map.Entry<String, String> e : ext.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    continue;
                }
                if (!first) {
                    sb.append(',');
                }
                first = false;
                appendString(sb, e.getKey());
                sb.append(':');
                appendString(sb, e.getValue());
            }
            sb.append('}');
        }
        sb.append(",\"flag\":").append(cmd.flag());
        sb.append(",\"language\":\"").append(LanguageCode.JAVA).append('"');
        sb.append(",\"opaque\":").append(cmd.opaque());
        if (cmd.remark() != null) {
            sb.append(",\"remark\":");
            appendString(sb, cmd.remark());
        }
        sb.append(",\"serializeTypeCurrentRPC\":\"JSON\",\"version\":").append(cmd.version()).append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    static RemotingCommand decode(byte[] bytes, int offset, int length) {
        RemotingCommand cmd = new RemotingCommand();
        cmd.serializeType(SerializeType.JSON);
        boolean sawOpaque = false;
        try (JsonParser p = FACTORY.createParser(bytes, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new FrameTooLargeException("JSON header is not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "code" -> cmd.code(p.getValueAsInt());
                    case "flag" -> cmd.flag(p.getValueAsInt());
                    case "opaque" -> {
                        cmd.opaque(p.getValueAsInt());
                        sawOpaque = true;
                    }
                    case "version" -> cmd.version(p.getValueAsInt());
                    case "language" -> cmd.language(t == JsonToken.VALUE_STRING ? p.getText() : LanguageCode.OTHER);
                    case "remark" -> cmd.remark(t == JsonToken.VALUE_NULL ? null : p.getValueAsString());
                    case "extFields" -> cmd.extFields(readExt(p, t));
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new FrameTooLargeException("malformed JSON header: " + e.getMessage());
        }
        if (!sawOpaque) {
            throw new FrameTooLargeException("JSON header without opaque");
        }
        return cmd;
    }

    private static Map<String, String> readExt(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        Map<String, String> ext = new HashMap<>(16);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                p.skipChildren();
            } else if (v != JsonToken.VALUE_NULL) {
                ext.put(key, p.getText());
            }
        }
        return ext;
    }

    private JsonHeaderCodec() {
    }
}
