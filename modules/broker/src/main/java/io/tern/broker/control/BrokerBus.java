package io.tern.broker.control;

import io.tern.remoting.bus.LocalCodec;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * The addresses of a broker's control plane on the Vert.x event bus (design.md): the broker's components learn of
 * each other's events over them instead of holding references to one another. Every address carries the broker's
 * address ({@code tern.broker.<brokerIP1:port>.<name>}), so several brokers can share one Vert.x instance. Bodies
 * are small immutable records passed by reference ({@link LocalCodec}); a message's bytes never travel here, and
 * neither does anything on the send/pull path of ordinary messages. The table of addresses, bodies and replies is
 * in src-docs/architecture.md.
 *
 * <p>Thread-safe; {@link #tell} may be called from any thread (the store's writer and dispatcher threads included).
 */
public final class BrokerBus {
    /** Local only, by reference; never modified after construction. */
    private static final DeliveryOptions LOCAL = LocalCodec.options();

    private BrokerBus() {
    }

    /** {@link DelayedMessageStored} → the scheduled-delivery verticle; no reply. */
    public static String delayedMessageStored(String brokerAddr) {
        return address(brokerAddr, "schedule.stored");
    }

    /** {@link HalfMessageStored} → the transaction-check verticle; no reply. */
    public static String halfMessageStored(String brokerAddr) {
        return address(brokerAddr, "transaction.half-stored");
    }

    /** {@link TransactionEnded} → the transaction-check verticle; no reply. */
    public static String transactionEnded(String brokerAddr) {
        return address(brokerAddr, "transaction.ended");
    }

    /** {@link TimerMessageStored} → the timer delivery worker; no reply. */
    public static String timerMessageStored(String brokerAddr) {
        return address(brokerAddr, "timer.stored");
    }

    /** Any body → the timer delivery worker; reply: a JsonObject of its state and pending timers per topic. */
    public static String timerStatus(String brokerAddr) {
        return address(brokerAddr, "timer.status");
    }

    /**
     * A {@code RemotingCommand} → the broker's processors, through an in-process channel per peer (the HTTP API);
     * reply: the response command, or null for a oneway request ({@code io.tern.remoting.bus.RemotingOverBus}).
     */
    public static String request(String brokerAddr) {
        return address(brokerAddr, "request");
    }

    static String address(String brokerAddr, String name) {
        return "tern.broker." + brokerAddr + "." + name;
    }

    /**
     * Sends {@code body} to the one local consumer of {@code address}, if any (a notification nobody listens to is
     * dropped: its listener re-reads the persisted state when it starts). The codec must have been registered
     * ({@link LocalCodec#registerOnce}).
     */
    public static void tell(Vertx vertx, String address, Object body) {
        vertx.eventBus().send(address, body, LOCAL);
    }
}
