package io.tern.remoting;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessorTableTest {
    private static RequestProcessor processor() {
        return (conn, req) -> Future.succeededFuture();
    }

    @Test
    void findsProcessorsOnBothSidesOfTheArrayBound() {
        ProcessorTable table = new ProcessorTable();
        int[] codes = {0, 11, 310, ProcessorTable.DIRECT_CODES - 1, ProcessorTable.DIRECT_CODES, 200050, -3};
        RequestProcessor[] processors = new RequestProcessor[codes.length];
        for (int i = 0; i < codes.length; i++) {
            processors[i] = processor();
            if (i % 2 == 0) {
                table.register(codes[i], processors[i]);
            } else {
                table.registerBlocking(codes[i], processors[i]);
            }
        }
        for (int i = 0; i < codes.length; i++) {
            ProcessorTable.Entry e = table.get(codes[i]);
            assertSame(processors[i], e.processor(), "code " + codes[i]);
            assertTrue(e.blocking() == (i % 2 == 1), "code " + codes[i]);
            assertTrue(table.supports(codes[i]));
        }
        assertNull(table.get(12));
        assertNull(table.get(200051));
        assertFalse(table.supports(ProcessorTable.DIRECT_CODES + 1));
    }

    @Test
    void aLaterRegistrationReplacesAnEarlierOne() {
        ProcessorTable table = new ProcessorTable();
        RequestProcessor first = processor();
        RequestProcessor second = processor();
        table.register(310, first).registerBlocking(310, second);
        table.register(200050, first).register(200050, second);
        assertSame(second, table.get(310).processor());
        assertTrue(table.get(310).blocking());
        assertSame(second, table.get(200050).processor());
    }
}
