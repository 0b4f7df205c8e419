package io.tern.broker;

import io.tern.store.MessageStore;
import io.tern.store.MessageStores;
import io.tern.store.StoreConfig;
import io.vertx.core.Vertx;

/**
 * Creates (not starts) the message store the broker runs on, its threads worker verticles on the broker's Vertx;
 * tests and the launcher may supply their own.
 */
@FunctionalInterface
public interface StoreFactory {
    MessageStore create(Vertx vertx, StoreConfig config) throws Exception;

    /** The store module's implementation. */
    StoreFactory DEFAULT = MessageStores::create;
}
