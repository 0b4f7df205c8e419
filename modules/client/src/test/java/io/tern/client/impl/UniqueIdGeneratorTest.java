package io.tern.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UniqueIdGeneratorTest {
    @Test
    void idsAreUniqueUpperCaseHexWithTheClientIpFirst() {
        UniqueIdGenerator ids = new UniqueIdGenerator(new byte[] {10, 1, 2, 3});
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = ids.next();
            assertEquals(32, id.length());
            assertTrue(id.matches("[0-9A-F]{32}"), id);
            assertTrue(id.startsWith("0A010203"), id);
            seen.add(id);
        }
        assertEquals(10_000, seen.size());
    }
}
