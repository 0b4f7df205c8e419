package io.tern.broker.control;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * The broker's control plane on the Vert.x event bus (design.md): periodic components — scheduled delivery,
 * transaction checks — are driven by ticks published on per-broker addresses, so whoever owns a clock (a timer
 * here; an admin call or another component elsewhere) can trigger them without holding a reference. Ticks carry
 * no payload: message bytes never cross the event bus.
 *
 * <p>Addresses are {@code tern.broker.<brokerAddr>.<name>}, unique per broker even with several in one JVM.
 */
public final class ControlBus {
    public static final String SCHEDULE_TICK = "schedule.tick";
    public static final String TRANSACTION_CHECK = "transaction.check";

    public static String address(String brokerAddr, String name) {
        return "tern.broker." + brokerAddr + "." + name;
    }

    /**
     * Runs {@code action} on the calling context for every tick on {@code address}, and publishes a tick there every
     * {@code periodMs}. Call on the context that owns the component.
     */
    public static Ticker tickEvery(Vertx vertx, String address, long periodMs, Runnable action) {
        MessageConsumer<Object> consumer = vertx.eventBus().localConsumer(address, m -> action.run());
        long timerId = vertx.setPeriodic(periodMs, id -> vertx.eventBus().publish(address, null));
        return new Ticker(vertx, consumer, timerId);
    }

    /** A registered tick consumer and its clock. */
    public record Ticker(Vertx vertx, MessageConsumer<Object> consumer, long timerId) {
        public void cancel() {
            vertx.cancelTimer(timerId);
            consumer.unregister();
        }
    }

    private ControlBus() {
    }
}
