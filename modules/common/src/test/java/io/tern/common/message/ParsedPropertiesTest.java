package io.tern.common.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParsedPropertiesTest {
    /** As the 5.x client writes it: trailing separator, WAIT, a delay level and a transaction flag. */
    static final String SENT = "KEYS\u0001k1 k2\u0002UNIQ_KEY\u0001AC11\u0002WAIT\u0001true\u0002DELAY\u0001 3"
            + "\u0002TRAN_MSG\u0001true\u0002TAGS\u0001TagA\u0002";

    @Test
    void oneParseCarriesWhatEveryLaterStepReads() {
        ParsedProperties p = ParsedProperties.parse(SENT);
        assertEquals("TagA", p.tags());
        assertEquals("k1 k2", p.keys());
        assertEquals("AC11", p.uniqKey());
        assertEquals(3, p.delayLevel());
        assertTrue(p.isTransactionPrepared());
        assertEquals("true", p.get(MessageConst.WAIT_STORE_MSG_OK));
    }

    @Test
    void theTextIsKeptUntilAnEditAndEncodedOnceAfterIt() {
        ParsedProperties p = ParsedProperties.parse(SENT);
        assertSame(SENT, p.encoded(), "unchanged: stored byte for byte");
        p.remove("ABSENT");
        p.putIfAbsent(MessageConst.TAGS, "other");
        p.put(MessageConst.KEYS, "k1 k2");
        assertSame(SENT, p.encoded(), "no-op edits keep the text");

        p.remove(MessageConst.WAIT_STORE_MSG_OK);
        p.put(MessageConst.CLUSTER, "DefaultCluster");
        String encoded = p.encoded();
        assertEquals("KEYS\u0001k1 k2\u0002UNIQ_KEY\u0001AC11\u0002DELAY\u0001 3\u0002TRAN_MSG\u0001true"
                + "\u0002TAGS\u0001TagA\u0002CLUSTER\u0001DefaultCluster", encoded);
        assertSame(encoded, p.encoded(), "encoded once");
        assertEquals(p.asMap(), MessageProperties.parse(encoded));
    }

    @Test
    void copiesAndBatchFillsAreIndependent() {
        ParsedProperties batch = ParsedProperties.parse("WAIT\u0001true\u0002UNIQ_KEY\u0001BATCH");
        ParsedProperties record = ParsedProperties.parse("UNIQ_KEY\u0001OWN\u0002TAGS\u0001t");
        record.fillFrom(batch);
        assertEquals("OWN", record.uniqKey(), "a record's own UNIQ_KEY wins (spec 5.2)");
        assertEquals("true", record.get(MessageConst.WAIT_STORE_MSG_OK));

        ParsedProperties copy = record.copy();
        copy.put(MessageConst.TAGS, "changed");
        assertEquals("t", record.tags());
        assertEquals("changed", copy.tags());
    }

    @Test
    void absentOrMalformedValuesReadAsNothing() {
        ParsedProperties none = ParsedProperties.parse(null);
        assertTrue(none.isEmpty());
        assertEquals("", none.encoded());
        assertNull(none.tags());
        assertEquals(0, none.delayLevel());
        assertFalse(none.isTransactionPrepared());
        assertEquals(0, ParsedProperties.parse("DELAY\u0001soon").delayLevel());

        Map<String, String> built = new LinkedHashMap<>();
        built.put(MessageConst.TAGS, "d");
        built.put(MessageConst.WAIT_STORE_MSG_OK, "false");
        assertEquals("TAGS\u0001d\u0002WAIT\u0001false", ParsedProperties.of(built).encoded());
    }
}
