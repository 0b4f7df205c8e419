package io.tern.it;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Poll-until without a dependency: the condition is checked every 50 ms until it holds or the deadline passes. */
final class Await {
    private Await() {
    }

    static void until(String what, long timeoutMs, BooleanSupplier condition) {
        until(what, timeoutMs, condition, () -> "");
    }

    /** Like {@link #until(String, long, BooleanSupplier)}; {@code state} describes the last observation on failure. */
    static void until(String what, long timeoutMs, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what + " " + state.get());
            }
            sleep(50);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
