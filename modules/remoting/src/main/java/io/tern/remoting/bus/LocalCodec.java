package io.tern.remoting.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The event-bus codec of every message Tern's components send each other: the body is handed over by reference,
 * never encoded (Vert.x would otherwise copy a Buffer or JsonObject even for a local consumer, and refuses other
 * types). Message bodies sent with it must therefore be immutable (records of primitives and strings, or objects
 * the sender no longer touches, such as a request command handed to a processor), and consumers must be local:
 * {@link #encodeToWire} refuses to serialise.
 *
 * <p>Register it once per Vert.x instance with {@link #registerOnce}; send with {@link #options()}.
 *
 * <p>Thread-safe.
 */
public final class LocalCodec implements MessageCodec<Object, Object> {
    public static final String NAME = "tern.local";
    private static final LocalCodec INSTANCE = new LocalCodec();
    /** Event buses the codec is registered with (weak: a closed Vert.x instance is forgotten). */
    private static final Set<EventBus> REGISTERED = Collections.newSetFromMap(new WeakHashMap<>());

    private LocalCodec() {
    }

    /** Registers the codec with {@code vertx}'s event bus unless an earlier caller did. */
    public static void registerOnce(Vertx vertx) {
        EventBus bus = vertx.eventBus();
        synchronized (REGISTERED) {
            if (REGISTERED.add(bus)) {
                bus.registerCodec(INSTANCE);
            }
        }
    }

    /** Fresh delivery options naming this codec, local only; callers may add a send timeout or headers. */
    public static DeliveryOptions options() {
        return new DeliveryOptions().setCodecName(NAME).setLocalOnly(true);
    }

    @Override
    public void encodeToWire(Buffer buffer, Object body) {
        throw new UnsupportedOperationException("Tern's component messages stay in the JVM: " + body.getClass());
    }

    @Override
    public Object decodeFromWire(int pos, Buffer buffer) {
        throw new UnsupportedOperationException("Tern's component messages stay in the JVM");
    }

    @Override
    public Object transform(Object body) {
        return body;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
