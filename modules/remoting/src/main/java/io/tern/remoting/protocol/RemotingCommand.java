package io.tern.remoting.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;

/**
 * One remoting command: request, response or oneway request (spec 1.3). The custom header travels as
 * {@link #extFields}; a response is encoded with the same header codec as the request it answers.
 *
 * <p>Not thread-safe: built and consumed on one event loop.
 */
public final class RemotingCommand {
    public static final int FLAG_RESPONSE = 0x1;
    public static final int FLAG_ONEWAY = 0x2;
    /** Version ordinal we answer with: V4_9_7 (spec 1.9). */
    public static final int SERVER_VERSION = 407;

    private int code;
    private String language = LanguageCode.JAVA;
    private int version = SERVER_VERSION;
    private int opaque;
    private int flag;
    private String remark;
    private Map<String, String> extFields;
    private Buffer body;
    private byte serializeType = SerializeType.JSON;

    public static RemotingCommand request(int code) {
        RemotingCommand cmd = new RemotingCommand();
        cmd.code = code;
        return cmd;
    }

    public static RemotingCommand onewayRequest(int code) {
        RemotingCommand cmd = request(code);
        cmd.flag = FLAG_ONEWAY;
        return cmd;
    }

    /** A response to {@code request}: same opaque, same header codec. */
    public static RemotingCommand responseTo(RemotingCommand request, int code, String remark) {
        RemotingCommand cmd = new RemotingCommand();
        cmd.code = code;
        cmd.remark = remark;
        cmd.opaque = request.opaque;
        cmd.flag = FLAG_RESPONSE;
        cmd.serializeType = request.serializeType;
        return cmd;
    }

    /** A successful response carrying an empty ext map, as the reference does for header classes without fields. */
    public static RemotingCommand successTo(RemotingCommand request) {
        RemotingCommand cmd = responseTo(request, ResponseCode.SUCCESS, null);
        cmd.extFields = new HashMap<>(2);
        return cmd;
    }

    public int code() {
        return code;
    }

    public RemotingCommand code(int code) {
        this.code = code;
        return this;
    }

    public String language() {
        return language;
    }

    public RemotingCommand language(String language) {
        this.language = language;
        return this;
    }

    public int version() {
        return version;
    }

    public RemotingCommand version(int version) {
        this.version = version;
        return this;
    }

    public int opaque() {
        return opaque;
    }

    public RemotingCommand opaque(int opaque) {
        this.opaque = opaque;
        return this;
    }

    public int flag() {
        return flag;
    }

    public RemotingCommand flag(int flag) {
        this.flag = flag;
        return this;
    }

    public boolean isResponse() {
        return (flag & FLAG_RESPONSE) != 0;
    }

    public boolean isOneway() {
        return (flag & FLAG_ONEWAY) != 0;
    }

    public String remark() {
        return remark;
    }

    public RemotingCommand remark(String remark) {
        this.remark = remark;
        return this;
    }

    public Map<String, String> extFields() {
        return extFields;
    }

    public RemotingCommand extFields(Map<String, String> extFields) {
        this.extFields = extFields;
        return this;
    }

    public Buffer body() {
        return body;
    }

    public byte[] bodyBytes() {
        return body == null ? null : body.getBytes();
    }

    public RemotingCommand body(Buffer body) {
        this.body = body;
        return this;
    }

    public RemotingCommand body(byte[] body) {
        this.body = body == null ? null : Buffer.buffer(body);
        return this;
    }

    public byte serializeType() {
        return serializeType;
    }

    public RemotingCommand serializeType(byte serializeType) {
        this.serializeType = serializeType;
        return this;
    }

    // ---- ext field access -------------------------------------------------------------------------------

    public RemotingCommand put(String key, Object value) {
        if (value != null) {
            if (extFields == null) {
                extFields = new HashMap<>(8);
            }
            extFields.put(key, value.toString());
        }
        return this;
    }

    public String ext(String key) {
        return extFields == null ? null : extFields.get(key);
    }

    /** A required ext field; a missing one is the client's error and answered with SYSTEM_ERROR. */
    public String required(String key) {
        String v = ext(key);
        if (v == null) {
            throw new RemotingProtocolException("the custom field <" + key + "> is null");
        }
        return v;
    }

    public int requiredInt(String key) {
        return parseInt(key, required(key));
    }

    public long requiredLong(String key) {
        return parseLong(key, required(key));
    }

    public int extInt(String key, int defaultValue) {
        String v = ext(key);
        return v == null ? defaultValue : parseInt(key, v);
    }

    public long extLong(String key, long defaultValue) {
        String v = ext(key);
        return v == null ? defaultValue : parseLong(key, v);
    }

    /** Like the reference: anything but "true" is false. */
    public boolean extBool(String key) {
        return Boolean.parseBoolean(ext(key));
    }

    private static int parseInt(String key, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new RemotingProtocolException("the custom field <" + key + "> is not an int: " + v);
        }
    }

    private static long parseLong(String key, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new RemotingProtocolException("the custom field <" + key + "> is not a long: " + v);
        }
    }

    @Override
    public String toString() {
        return "RemotingCommand[code=" + code + ", opaque=" + opaque + ", flag=" + flag + ", remark=" + remark
                + ", ext=" + extFields + ", body=" + (body == null ? 0 : body.length()) + "B]";
    }
}
