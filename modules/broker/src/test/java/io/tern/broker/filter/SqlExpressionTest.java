package io.tern.broker.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlExpressionTest {
    private static final Map<String, String> MSG = Map.of("a", "5", "b", "hello", "TAGS", "TagA", "flag", "true",
            "price", "12.5");

    private static boolean eval(String expr) {
        return SqlExpression.compile(expr).test(MSG);
    }

    @Test
    void comparisonsAndLogic() {
        assertTrue(eval("a = 5"));
        assertTrue(eval("a > 3 AND a < 6"));
        assertTrue(eval("a >= 5 and a <= 5"));
        assertFalse(eval("a <> 5"));
        assertTrue(eval("a != 4"));
        assertTrue(eval("price > 12"));
        assertTrue(eval("b = 'hello'"));
        assertTrue(eval("b <> 'world'"));
        assertTrue(eval("TAGS IN ('TagA', 'TagB')"));
        assertTrue(eval("TAGS NOT IN ('TagC')"));
        assertTrue(eval("a BETWEEN 1 AND 5"));
        assertFalse(eval("a NOT BETWEEN 1 AND 5"));
        assertTrue(eval("missing IS NULL"));
        assertTrue(eval("a IS NOT NULL"));
        assertTrue(eval("flag = TRUE"));
        assertTrue(eval("(a = 1 OR a = 5) AND NOT (b = 'x')"));
        assertTrue(eval("b = 'it''s' OR a = 5"));
    }

    @Test
    void missingOrMistypedPropertiesNeverMatch() {
        assertFalse(eval("missing = 1"));
        assertFalse(eval("missing <> 1"));
        assertFalse(eval("b > 3"));
        assertFalse(eval("missing NOT IN ('x')"));
        assertFalse(eval("missing NOT BETWEEN 1 AND 2"));
    }

    @Test
    void badExpressionsAreRejected() {
        for (String bad : new String[] {"", "a =", "a = 'unterminated", "(a = 1", "a ~ 1", "= 5", "a = 1 b"}) {
            assertThrows(IllegalArgumentException.class, () -> SqlExpression.compile(bad), bad);
        }
        assertEquals(java.util.List.of("a", ">=", "1", "AND", "b", "<>", "'x y'"),
                SqlExpression.tokenize("a>=1 AND b<>'x y'"));
    }
}
