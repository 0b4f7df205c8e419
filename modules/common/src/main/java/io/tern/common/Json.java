package io.tern.common;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.tern.common.protocol.MessageQueue;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON mapper for wire bodies and config files.
 *
 * <p>Reading is lenient the way RocketMQ's clients need (unknown properties ignored, unquoted field names
 * accepted, unknown enums as null). Writing mirrors fastjson: properties sorted, nulls omitted. A
 * {@link MessageQueue} used as a map key is written as a string holding its compact JSON, which fastjson in
 * the 4.9 and 5.x clients parses back into a MessageQueue (spec 4.3).
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL, true)
            .configure(JsonParser.Feature.ALLOW_UNQUOTED_FIELD_NAMES, true)
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY)
            .addModule(new SimpleModule("tern")
                    .addKeySerializer(MessageQueue.class, new MessageQueueKeySerializer())
                    .addKeyDeserializer(MessageQueue.class, new MessageQueueKeyDeserializer()))
            .build();

    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String toString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a body; IllegalArgumentException with the parser's message when malformed. */
    public static <T> T fromBytes(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed " + type.getSimpleName() + " body: " + e.getMessage(), e);
        }
    }

    private static final class MessageQueueKeySerializer extends JsonSerializer<MessageQueue> {
        @Override
        public void serialize(MessageQueue mq, JsonGenerator gen, SerializerProvider p) throws IOException {
            gen.writeFieldName(MAPPER.writeValueAsString(mq));
        }
    }

    private static final class MessageQueueKeyDeserializer extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            return MAPPER.readValue(key, MessageQueue.class);
        }
    }

    private Json() {
    }
}
