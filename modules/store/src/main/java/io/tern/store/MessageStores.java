package io.tern.store;

import io.tern.store.impl.DefaultMessageStore;
import io.vertx.core.Vertx;

import java.io.IOException;

/** Factory for the message store. */
public final class MessageStores {
    private MessageStores() {
    }

    /**
     * A store over {@code config.storeRoot}, not yet started (call {@link MessageStore#start()} off event loops).
     * Its threads will be worker verticles on {@code vertx}, which the caller closes after shutting the store down.
     */
    public static MessageStore create(Vertx vertx, StoreConfig config) {
        return new DefaultMessageStore(vertx, config);
    }

    /** Creates and starts (recovers) a store on {@code vertx}; blocks. */
    public static MessageStore open(Vertx vertx, StoreConfig config) throws IOException {
        MessageStore store = create(vertx, config);
        store.start();
        return store;
    }
}
