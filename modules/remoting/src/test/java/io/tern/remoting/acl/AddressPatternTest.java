package io.tern.remoting.acl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddressPatternTest {

    @Test
    void blankMatchesNothingAndStarMatchesEverything() {
        assertFalse(AddressPattern.parse(null).matches("127.0.0.1"));
        assertFalse(AddressPattern.parse("  ").matches("127.0.0.1"));
        for (String all : new String[] {"*", "*.*.*.*", "*:*:*:*:*:*:*:*"}) {
            assertTrue(AddressPattern.parse(all).matches("10.1.2.3"));
            assertTrue(AddressPattern.parse(all).matches("0:0:0:0:0:0:0:1"));
        }
    }

    @Test
    void oneAddressAndLists() {
        assertTrue(AddressPattern.parse("192.168.0.1").matches("192.168.0.1"));
        assertFalse(AddressPattern.parse("192.168.0.1").matches("192.168.0.10"));
        AddressPattern list = AddressPattern.parse("192.168.0.1, 10.0.0.2");
        assertTrue(list.matches("10.0.0.2"));
        assertFalse(list.matches("10.0.0.3"));
        AddressPattern braces = AddressPattern.parse("192.168.1.{1,2,3}");
        assertTrue(braces.matches("192.168.1.2"));
        assertFalse(braces.matches("192.168.1.4"));
    }

    @Test
    void ipv6IsComparedByValue() {
        assertTrue(AddressPattern.parse("::1").matches("0:0:0:0:0:0:0:1"));
        assertFalse(AddressPattern.parse("::1").matches("127.0.0.1"));
    }

    @Test
    void rangesPerPart() {
        AddressPattern wildcard = AddressPattern.parse("192.168.*.*");
        assertTrue(wildcard.matches("192.168.200.7"));
        assertFalse(wildcard.matches("192.169.0.1"));
        AddressPattern range = AddressPattern.parse("10.0.1.100-200");
        assertTrue(range.matches("10.0.1.100"));
        assertTrue(range.matches("10.0.1.200"));
        assertFalse(range.matches("10.0.1.99"));
        assertFalse(range.matches("10.0.2.150"));
        assertFalse(range.matches("::1"));
    }

    @Test
    void malformedPatternsAreErrorsNotSilentMismatches() {
        for (String bad : new String[] {"192.168.1", "10.0.1.300-400", "10.0.1.20-10", "host.example", "1.2.3.999",
            "10.0.*"}) {
            assertThrows(IllegalArgumentException.class, () -> AddressPattern.parse(bad), bad);
        }
    }
}
