package io.tern.store.impl;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;

import java.util.concurrent.TimeUnit;

/**
 * Base of the store tests: a Vertx per test for the stores to deploy their worker verticles on, closed after the
 * test's own clean-up (JUnit runs a superclass's {@code @AfterEach} last), so the stores are shut down first.
 */
abstract class WithVertx {
    protected final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
    }
}
