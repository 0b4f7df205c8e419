package io.tern.remoting;

import java.util.HashMap;
import java.util.Map;

/**
 * Request code → processor (RocketMQ's processorTable). A processor registered as blocking runs on a worker
 * thread; every other processor runs on the connection's event loop and must not block.
 *
 * <p>Filled before the server starts, read-only afterwards.
 */
public final class ProcessorTable {
    record Entry(RequestProcessor processor, boolean blocking) {
    }

    private final Map<Integer, Entry> table = new HashMap<>();

    public ProcessorTable register(int code, RequestProcessor processor) {
        table.put(code, new Entry(processor, false));
        return this;
    }

    public ProcessorTable registerBlocking(int code, RequestProcessor processor) {
        table.put(code, new Entry(processor, true));
        return this;
    }

    Entry get(int code) {
        return table.get(code);
    }

    public boolean supports(int code) {
        return table.containsKey(code);
    }
}
