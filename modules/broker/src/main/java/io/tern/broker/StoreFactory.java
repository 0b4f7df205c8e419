package io.tern.broker;

import io.tern.store.MessageStore;
import io.tern.store.MessageStores;
import io.tern.store.StoreConfig;

/** Creates (not starts) the message store the broker runs on; tests and the launcher may supply their own. */
@FunctionalInterface
public interface StoreFactory {
    MessageStore create(StoreConfig config) throws Exception;

    /** The store module's implementation. */
    StoreFactory DEFAULT = MessageStores::create;
}
