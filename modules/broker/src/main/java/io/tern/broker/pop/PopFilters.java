package io.tern.broker.pop;

import io.tern.broker.filter.SqlMessageFilter;
import io.tern.common.protocol.SubscriptionData;
import io.tern.store.MessageFilter;
import java.util.Set;

/** The filter of a pop or notification request from its expression type and expression (TAG by default). */
final class PopFilters {
    private PopFilters() {
    }

    /**
     * The filter; IllegalArgumentException with the reason when the expression does not parse or its type is not
     * served (SQL92 needs {@code enablePropertyFilter}).
     */
    static MessageFilter of(String topic, String type, String expression, boolean sqlEnabled) {
        if (type == null || type.isEmpty() || SubscriptionData.TAG.equals(type)) {
            SubscriptionData sub = SubscriptionData.ofTags(topic, expression == null ? SubscriptionData.SUB_ALL
                    : expression);
            if (sub.matchesAll() || sub.codeSet == null || sub.codeSet.isEmpty()) {
                return MessageFilter.ALL;
            }
            Set<Integer> codes = Set.copyOf(sub.codeSet);
            return tagsCode -> codes.contains((int) tagsCode);
        }
        if (SubscriptionData.SQL92.equals(type) && sqlEnabled) {
            return SqlMessageFilter.of(expression);
        }
        throw new IllegalArgumentException("The broker does not support consumer to filter message by " + type);
    }
}
