package io.tern.store;

import io.tern.store.impl.DefaultMessageStore;

import java.io.IOException;

/** Factory for the message store. */
public final class MessageStores {
    private MessageStores() {
    }

    /** A store over {@code config.storeRoot}, not yet started (call {@link MessageStore#start()} off event loops). */
    public static MessageStore create(StoreConfig config) {
        return new DefaultMessageStore(config);
    }

    /** Creates and starts (recovers) a store; blocks. */
    public static MessageStore open(StoreConfig config) throws IOException {
        MessageStore store = create(config);
        store.start();
        return store;
    }
}
