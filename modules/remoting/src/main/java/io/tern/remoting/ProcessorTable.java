package io.tern.remoting;

import java.util.HashMap;
import java.util.Map;

/**
 * Request code → processor (RocketMQ's processorTable). A processor registered as blocking runs on a worker
 * thread; every other processor runs on the connection's event loop and must not block.
 *
 * <p>Codes below {@value #DIRECT_CODES} (every 4.x request code) are looked up in an array, once per request on
 * the event loop, without boxing the code; larger ones (the 5.x POP codes, 2000xx) in a map.
 *
 * <p>Filled before the server starts, read-only afterwards.
 */
public final class ProcessorTable {
    static final int DIRECT_CODES = 1024;

    record Entry(RequestProcessor processor, boolean blocking) {
    }

    private final Entry[] direct = new Entry[DIRECT_CODES];
    private final Map<Integer, Entry> other = new HashMap<>();

    public ProcessorTable register(int code, RequestProcessor processor) {
        return put(code, new Entry(processor, false));
    }

    public ProcessorTable registerBlocking(int code, RequestProcessor processor) {
        return put(code, new Entry(processor, true));
    }

    private ProcessorTable put(int code, Entry entry) {
        if (code >= 0 && code < DIRECT_CODES) {
            direct[code] = entry;
        } else {
            other.put(code, entry);
        }
        return this;
    }

    Entry get(int code) {
        return code >= 0 && code < DIRECT_CODES ? direct[code] : other.get(code);
    }

    public boolean supports(int code) {
        return get(code) != null;
    }
}
