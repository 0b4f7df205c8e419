package io.tern.broker.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property tests of the SQL92 subscription filter, which parses client input on the pull path: any text compiles
 * or is refused with IllegalArgumentException, a compiled filter never throws on any properties, and on
 * expressions built from a random syntax tree it agrees with an independent three-valued evaluation of that tree
 * (RocketMQ's semantics: UNKNOWN for a missing or non-numeric operand, NOT UNKNOWN = UNKNOWN, match only on TRUE).
 */
class SqlExpressionFuzzTest {
    private static final List<String> NAMES = List.of("a", "b", "c");

    private static Predicate<Map<String, String>> compileOrNull(String text) {
        try {
            return SqlExpression.compile(text);
        } catch (IllegalArgumentException refused) {
            return null;
        }
    }

    @Property
    void anyTextCompilesOrIsRefusedAndNeverThrowsWhenEvaluated(@ForAll("sqlish") String text,
                                                              @ForAll("properties") Map<String, String> props) {
        Predicate<Map<String, String>> p = compileOrNull(text);
        if (p != null) {
            p.test(props);
        }
    }

    @Property
    void agreesWithAThreeValuedEvaluationOfItsSyntaxTree(@ForAll("trees") Node tree,
                                                         @ForAll("properties") Map<String, String> props) {
        String text = tree.sql();
        Predicate<Map<String, String>> p = SqlExpression.compile(text);
        assertEquals(tree.eval(props) == Boolean.TRUE, p.test(props), text + " over " + props);
    }

    /** Regression for the property above: NOT of an UNKNOWN comparison matched (two-valued NOT); it must not. */
    @Example
    void notOfAComparisonWithAMissingPropertyDoesNotMatch() {
        assertFalse(SqlExpression.compile("NOT (a = 1)").test(Map.of()));
        assertTrue(SqlExpression.compile("NOT (a = 1)").test(Map.of("a", "2")));
        assertTrue(SqlExpression.compile("NOT (a = 1) OR b = 'x'").test(Map.of("b", "x")));
    }

    /** Regression: deep nesting overflowed the stack while compiling, long OR/AND chains while evaluating. */
    @Example
    void deepNestingIsRefusedAndLongChainsEvaluateWithoutRecursing() {
        int n = 200_000;
        assertThrows(IllegalArgumentException.class,
                () -> SqlExpression.compile("(".repeat(n) + "a = 1" + ")".repeat(n)));
        assertThrows(IllegalArgumentException.class, () -> SqlExpression.compile("NOT ".repeat(n) + "a = 1"));
        Predicate<Map<String, String>> chain = SqlExpression.compile("a = 0" + " OR a = 1".repeat(n) + " OR a = 2");
        assertTrue(chain.test(Map.of("a", "2")));
        assertFalse(chain.test(Map.of("a", "3")));
        Predicate<Map<String, String>> all = SqlExpression.compile("a = 1" + " AND a = 1".repeat(n));
        assertTrue(all.test(Map.of("a", "1")));
        String nested = "(".repeat(SqlExpression.MAX_NESTING - 1) + "a = 1" + ")".repeat(SqlExpression.MAX_NESTING - 1);
        assertTrue(SqlExpression.compile(nested).test(Map.of("a", "1")));
    }

    // ---- generators ----------------------------------------------------------------------------------------

    @Provide
    static Arbitrary<Map<String, String>> properties() {
        Arbitrary<String> value = Arbitraries.of("1", "2", "3", "-1", "1.5", " 2 ", "x", "y", "it's", "", "TRUE",
                "false", "NaN", "1e3");
        return Arbitraries.maps(Arbitraries.of(NAMES), value).ofMaxSize(3).map(HashMap::new);
    }

    @Provide
    static Arbitrary<String> sqlish() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of("a", "b", "TAGS", "_x", "(", ")", ",", "=", "<>", "!=", ">", ">=", "<", "<=", "!", "<<",
                        "AND", "OR", "NOT", "IS", "NULL", "BETWEEN", "IN", "TRUE", "FALSE", "'", "''", "'x'",
                        "'it''s'", "1", "-1", "1.5", "1e309", "NaN", "Infinity", "0x1p3", "1d", ".", "-", "\t", "\n"),
                Arbitraries.strings().ofMaxLength(5),
                Arbitraries.integers().map(String::valueOf));
        return Arbitraries.oneOf(
                token.list().ofMaxSize(30).map(t -> String.join(" ", t)),
                token.list().ofMaxSize(30).map(t -> String.join("", t)),
                Arbitraries.strings().ofMaxLength(60));
    }

    @Provide
    static Arbitrary<Node> trees() {
        return tree(4);
    }

    private static Arbitrary<Node> tree(int depth) {
        Arbitrary<Node> leaf = comparisons();
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Node> sub = Arbitraries.lazy(() -> tree(depth - 1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf),
                net.jqwik.api.Tuple.of(1, sub.map(Not::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(sub, sub).as(And::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(sub, sub).as(Or::new)));
    }

    private static Arbitrary<Node> comparisons() {
        Arbitrary<String> name = Arbitraries.of(NAMES);
        Arbitrary<Object> literal = Arbitraries.oneOf(
                Arbitraries.of(1.0, 2.0, 3.0, -1.0, 1.5).map(d -> (Object) d),
                Arbitraries.of("x", "y", "1", "it's").map(s -> (Object) s));
        return Arbitraries.oneOf(
                Combinators.combine(name, Arbitraries.of("=", "<>", ">", ">=", "<", "<="), literal).as(Cmp::new),
                Combinators.combine(name, Arbitraries.of(true, false)).as(IsNull::new),
                Combinators.combine(name, Arbitraries.of(true, false), Arbitraries.of(1.0, 2.0),
                        Arbitraries.of(2.0, 3.0)).as(Between::new),
                Combinators.combine(name, Arbitraries.of(true, false),
                        Arbitraries.of("x", "y", "1", "it's").list().ofMinSize(1).ofMaxSize(3)).as(In::new));
    }

    // ---- the oracle: a syntax tree that prints itself and evaluates with three-valued logic ------------------

    interface Node {
        String sql();

        Boolean eval(Map<String, String> props);
    }

    /** The comparison RocketMQ makes: numeric for number literals (UNKNOWN when the value is not a number). */
    private static Integer compare(String actual, Object literal) {
        if (actual == null) {
            return null;
        }
        if (literal instanceof Double d) {
            try {
                return Double.compare(Double.parseDouble(actual.trim()), d);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return Integer.signum(actual.compareTo((String) literal));
    }

    private static String literal(Object v) {
        return v instanceof Double d ? (d == Math.rint(d) ? String.valueOf(d.longValue()) : d.toString())
                : "'" + ((String) v).replace("'", "''") + "'";
    }

    record Cmp(String name, String op, Object value) implements Node {
        public String sql() {
            return name + " " + op + " " + literal(value);
        }

        public Boolean eval(Map<String, String> props) {
            Integer c = compare(props.get(name), value);
            if (c == null) {
                return null;
            }
            return switch (op) {
                case "=" -> c == 0;
                case "<>" -> c != 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                case "<" -> c < 0;
                default -> c <= 0;
            };
        }
    }

    record IsNull(String name, boolean negated) implements Node {
        public String sql() {
            return name + (negated ? " IS NOT NULL" : " IS NULL");
        }

        public Boolean eval(Map<String, String> props) {
            return (props.get(name) == null) != negated;
        }
    }

    record Between(String name, boolean negated, double low, double high) implements Node {
        public String sql() {
            return name + (negated ? " NOT" : "") + " BETWEEN " + literal(low) + " AND " + literal(high);
        }

        public Boolean eval(Map<String, String> props) {
            Integer lo = compare(props.get(name), low);
            Integer hi = compare(props.get(name), high);
            if (lo == null || hi == null) {
                return null;
            }
            return (lo >= 0 && hi <= 0) != negated;
        }
    }

    record In(String name, boolean negated, List<String> values) implements Node {
        public String sql() {
            return name + (negated ? " NOT" : "") + " IN (" + String.join(", ",
                    values.stream().map(SqlExpressionFuzzTest::literal).toList()) + ")";
        }

        public Boolean eval(Map<String, String> props) {
            String actual = props.get(name);
            if (actual == null) {
                return null;
            }
            return values.contains(actual) != negated;
        }
    }

    record Not(Node inner) implements Node {
        public String sql() {
            return "NOT (" + inner.sql() + ")";
        }

        public Boolean eval(Map<String, String> props) {
            Boolean v = inner.eval(props);
            return v == null ? null : !v;
        }
    }

    record And(Node left, Node right) implements Node {
        public String sql() {
            return "(" + left.sql() + ") AND (" + right.sql() + ")";
        }

        public Boolean eval(Map<String, String> props) {
            Boolean l = left.eval(props);
            Boolean r = right.eval(props);
            if (l == Boolean.FALSE || r == Boolean.FALSE) {
                return false;
            }
            return l == null || r == null ? null : true;
        }
    }

    record Or(Node left, Node right) implements Node {
        public String sql() {
            return "(" + left.sql() + ") OR (" + right.sql() + ")";
        }

        public Boolean eval(Map<String, String> props) {
            Boolean l = left.eval(props);
            Boolean r = right.eval(props);
            if (l == Boolean.TRUE || r == Boolean.TRUE) {
                return true;
            }
            return l == null || r == null ? null : false;
        }
    }
}
