package io.tern.broker.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * The SQL92 subset RocketMQ consumers may subscribe with (expressionType SQL92), evaluated over a message's
 * properties: {@code = <> != > >= < <=}, {@code [NOT] BETWEEN a AND b}, {@code [NOT] IN ('a', ...)},
 * {@code IS [NOT] NULL}, {@code AND OR NOT}, parentheses, string ('it''s'), integer, decimal, TRUE/FALSE literals.
 * Comparisons with a missing property, or between a number and a non-numeric value, are false (as in RocketMQ).
 *
 * <p>Compiled once; the resulting predicate is immutable and thread-safe.
 */
public final class SqlExpression {
    private final List<String> tokens;
    private int pos;

    private SqlExpression(List<String> tokens) {
        this.tokens = tokens;
    }

    /** Compiles an expression; IllegalArgumentException says why it is not valid. */
    public static Predicate<Map<String, String>> compile(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("empty SQL92 expression");
        }
        SqlExpression p = new SqlExpression(tokenize(expression));
        Predicate<Map<String, String>> result = p.or();
        if (p.pos != p.tokens.size()) {
            throw new IllegalArgumentException("unexpected '" + p.tokens.get(p.pos) + "' in SQL92 expression");
        }
        return result;
    }

    // ---- grammar: or := and (OR and)* ; and := not (AND not)* ; not := NOT not | primary ----------------------

    private Predicate<Map<String, String>> or() {
        Predicate<Map<String, String>> left = and();
        while (accept("OR")) {
            left = left.or(and());
        }
        return left;
    }

    private Predicate<Map<String, String>> and() {
        Predicate<Map<String, String>> left = not();
        while (accept("AND")) {
            left = left.and(not());
        }
        return left;
    }

    private Predicate<Map<String, String>> not() {
        if (accept("NOT")) {
            return not().negate();
        }
        if (accept("(")) {
            Predicate<Map<String, String>> inner = or();
            expect(")");
            return inner;
        }
        return comparison();
    }

    private Predicate<Map<String, String>> comparison() {
        String name = identifier();
        if (accept("IS")) {
            boolean negated = accept("NOT");
            expect("NULL");
            return negated ? m -> m.get(name) != null : m -> m.get(name) == null;
        }
        boolean negated = accept("NOT");
        if (accept("BETWEEN")) {
            Object low = literal();
            expect("AND");
            Object high = literal();
            Predicate<Map<String, String>> between = m -> holds(m.get(name), low, c -> c >= 0)
                    && holds(m.get(name), high, c -> c <= 0);
            return negated ? comparable(name, low).and(between.negate()) : between;
        }
        if (accept("IN")) {
            expect("(");
            List<Object> values = new ArrayList<>();
            do {
                values.add(literal());
            } while (accept(","));
            expect(")");
            Predicate<Map<String, String>> in = m -> values.stream().anyMatch(v -> holds(m.get(name), v, c -> c == 0));
            return negated ? comparable(name, values.get(0)).and(in.negate()) : in;
        }
        if (negated) {
            throw new IllegalArgumentException("NOT must be followed by BETWEEN or IN after " + name);
        }
        String op = next();
        Object value = literal();
        IntPredicate test = switch (op) {
            case "=" -> c -> c == 0;
            case "<>", "!=" -> c -> c != 0;
            case ">" -> c -> c > 0;
            case ">=" -> c -> c >= 0;
            case "<" -> c -> c < 0;
            case "<=" -> c -> c <= 0;
            default -> throw new IllegalArgumentException("unknown operator '" + op + "'");
        };
        return m -> holds(m.get(name), value, test);
    }

    private static Predicate<Map<String, String>> comparable(String name, Object literal) {
        return m -> compare(m.get(name), literal) != null;
    }

    private static boolean holds(String actual, Object literal, IntPredicate test) {
        Integer c = compare(actual, literal);
        return c != null && test.test(c);
    }

    /**
     * Compares a property value with a literal: numerically for number literals, as text for strings, as a
     * boolean for TRUE/FALSE; null when not comparable (missing property, or text where a number is expected).
     */
    static Integer compare(String actual, Object literal) {
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
        if (literal instanceof Boolean b) {
            return actual.trim().equalsIgnoreCase(b.toString()) ? 0 : 1;
        }
        return Integer.signum(actual.compareTo((String) literal));
    }

    private Object literal() {
        String t = next();
        if (t.startsWith("'")) {
            return t.substring(1, t.length() - 1).replace("''", "'");
        }
        if (t.equalsIgnoreCase("TRUE") || t.equalsIgnoreCase("FALSE")) {
            return Boolean.parseBoolean(t);
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a literal, found '" + t + "'");
        }
    }

    private String identifier() {
        String t = next();
        if (t.startsWith("'") || !(Character.isLetter(t.charAt(0)) || t.charAt(0) == '_')) {
            throw new IllegalArgumentException("expected a property name, found '" + t + "'");
        }
        return t;
    }

    private boolean accept(String keyword) {
        if (pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(keyword)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String keyword) {
        if (!accept(keyword)) {
            throw new IllegalArgumentException("expected " + keyword + (pos < tokens.size()
                    ? " but found '" + tokens.get(pos) + "'" : " at the end"));
        }
    }

    private String next() {
        if (pos >= tokens.size()) {
            throw new IllegalArgumentException("unexpected end of SQL92 expression");
        }
        return tokens.get(pos++);
    }

    static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder sb = new StringBuilder("'");
                i++;
                while (true) {
                    if (i >= s.length()) {
                        throw new IllegalArgumentException("unterminated string literal");
                    }
                    char d = s.charAt(i++);
                    if (d == '\'') {
                        if (i < s.length() && s.charAt(i) == '\'') {
                            sb.append("''");
                            i++;
                            continue;
                        }
                        break;
                    }
                    sb.append(d);
                }
                out.add(sb.append('\'').toString());
            } else if ("(),".indexOf(c) >= 0) {
                out.add(String.valueOf(c));
                i++;
            } else if ("<>=!".indexOf(c) >= 0) {
                int j = i + 1;
                if (j < s.length() && (s.charAt(j) == '=' || (c == '<' && s.charAt(j) == '>'))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            } else {
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && "(),<>=!'".indexOf(s.charAt(j)) < 0) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
        }
        return out;
    }
}
