package io.tern.broker;

import io.tern.store.MessageStore;
import io.tern.store.StoreConfig;

/** Creates the message store the broker runs on; tests and the launcher may supply their own. */
@FunctionalInterface
public interface StoreFactory {
    MessageStore create(StoreConfig config) throws Exception;

    /** The store module's implementation. */
    StoreFactory DEFAULT = config -> (MessageStore) Class.forName("io.tern.store.impl.DefaultMessageStore")
            .getConstructor(StoreConfig.class).newInstance(config);
}
