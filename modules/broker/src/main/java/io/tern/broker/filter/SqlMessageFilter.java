package io.tern.broker.filter;

import io.tern.common.message.MessageProperties;
import io.tern.common.message.StoredRecordLayout;
import io.tern.store.MessageFilter;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A pull filter for a SQL92 subscription: every consume-queue entry passes the tag test, then the stored
 * record's properties are evaluated. Compiled expressions are cached by text (clients repeat theirs on every pull).
 *
 * <p>Thread-safe.
 */
public final class SqlMessageFilter implements MessageFilter {
    private static final int MAX_CACHED = 1024;
    private static final Map<String, Predicate<Map<String, String>>> CACHE = new ConcurrentHashMap<>();

    private final Predicate<Map<String, String>> predicate;

    private SqlMessageFilter(Predicate<Map<String, String>> predicate) {
        this.predicate = predicate;
    }

    /** IllegalArgumentException when the expression does not parse. */
    public static SqlMessageFilter of(String expression) {
        Predicate<Map<String, String>> p = CACHE.get(expression);
        if (p == null) {
            p = SqlExpression.compile(expression);
            if (CACHE.size() < MAX_CACHED) {
                CACHE.put(expression, p);
            }
        }
        return new SqlMessageFilter(p);
    }

    @Override
    public boolean matchesTagsCode(long tagsCode) {
        return true;
    }

    @Override
    public boolean matchesRecord(ByteBuffer record) {
        StoredRecordLayout.View view = new StoredRecordLayout.View();
        return view.wrap(record, record.position(), record.limit())
                && predicate.test(MessageProperties.parse(view.properties()));
    }
}
