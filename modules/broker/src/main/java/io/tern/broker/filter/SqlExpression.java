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
 *
 * <p>Three-valued, as in RocketMQ (and the JMS selectors it took them from): a comparison with a missing property,
 * or between a number and a non-numeric value, is UNKNOWN; NOT UNKNOWN is UNKNOWN, FALSE AND UNKNOWN is FALSE,
 * TRUE OR UNKNOWN is TRUE, and a message matches only when the whole expression is TRUE. So
 * {@code NOT (a = 1)} does not match a message without {@code a}.
 *
 * <p>Parentheses and NOT nest at most {@link #MAX_NESTING} deep and AND/OR chains are kept flat, so neither
 * compiling nor evaluating a hostile expression recurses deeper than that (a subscription is client input, and
 * evaluation runs on the pull path).
 *
 * <p>Compiled once; the resulting predicate is immutable and thread-safe.
 */
public final class SqlExpression {
    /** Deepest nesting of parentheses and NOT accepted. */
    static final int MAX_NESTING = 64;

    /** A condition over a message's properties: TRUE, FALSE or null for UNKNOWN. */
    private interface Condition {
        Boolean eval(Map<String, String> properties);
    }

    private final List<String> tokens;
    private int pos;
    private int depth;

    private SqlExpression(List<String> tokens) {
        this.tokens = tokens;
    }

    /** Compiles an expression; IllegalArgumentException says why it is not valid. */
    public static Predicate<Map<String, String>> compile(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("empty SQL92 expression");
        }
        SqlExpression p = new SqlExpression(tokenize(expression));
        Condition result = p.or();
        if (p.pos != p.tokens.size()) {
            throw new IllegalArgumentException("unexpected '" + p.tokens.get(p.pos) + "' in SQL92 expression");
        }
        return m -> result.eval(m) == Boolean.TRUE;
    }

    // ---- grammar: or := and (OR and)* ; and := not (AND not)* ; not := NOT not | primary ----------------------

    private Condition or() {
        List<Condition> terms = new ArrayList<>();
        terms.add(and());
        while (accept("OR")) {
            terms.add(and());
        }
        return chain(terms, Boolean.TRUE);
    }

    private Condition and() {
        List<Condition> terms = new ArrayList<>();
        terms.add(not());
        while (accept("AND")) {
            terms.add(not());
        }
        return chain(terms, Boolean.FALSE);
    }

    /**
     * A flat OR ({@code decisive} TRUE) or AND ({@code decisive} FALSE) chain in three-valued logic: the decisive
     * value as soon as a term has it, else unknown (null) if a term was unknown, else the other value. Flat, so a
     * long chain costs no stack.
     */
    private static Condition chain(List<Condition> terms, Boolean decisive) {
        if (terms.size() == 1) {
            return terms.get(0);
        }
        Condition[] all = terms.toArray(new Condition[0]);
        Boolean otherwise = !decisive;
        return m -> {
            boolean unknown = false;
            for (Condition c : all) {
                Boolean v = c.eval(m);
                if (v == decisive) {
                    return decisive;
                }
                unknown |= v == null;
            }
            return unknown ? null : otherwise;
        };
    }

    private Condition not() {
        if (++depth > MAX_NESTING) {
            throw new IllegalArgumentException("SQL92 expression nested deeper than " + MAX_NESTING);
        }
        try {
            if (accept("NOT")) {
                return negate(not());
            }
            if (accept("(")) {
                Condition inner = or();
                expect(")");
                return inner;
            }
            return comparison();
        } finally {
            depth--;
        }
    }

    private static Condition negate(Condition c) {
        return m -> {
            Boolean v = c.eval(m);
            return v == null ? null : !v;
        };
    }

    private Condition comparison() {
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
            Condition between = m -> {
                Integer lo = compare(m.get(name), low);
                Integer hi = compare(m.get(name), high);
                return lo == null || hi == null ? null : lo >= 0 && hi <= 0;
            };
            return negated ? negate(between) : between;
        }
        if (accept("IN")) {
            expect("(");
            List<Object> values = new ArrayList<>();
            do {
                values.add(literal());
            } while (accept(","));
            expect(")");
            Condition in = m -> {
                String actual = m.get(name);
                if (actual == null) {
                    return null;
                }
                for (Object v : values) {
                    Integer c = compare(actual, v);
                    if (c != null && c == 0) {
                        return Boolean.TRUE;
                    }
                }
                return Boolean.FALSE;
            };
            return negated ? negate(in) : in;
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
        return m -> {
            Integer c = compare(m.get(name), value);
            return c == null ? null : test.test(c);
        };
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
