package io.tern.common.protocol;

import java.util.LinkedHashSet;
import java.util.Set;

/** One topic subscription of a consumer group (spec 4.2.4). Expression types are kept as strings. */
public final class SubscriptionData {
    public static final String SUB_ALL = "*";
    public static final String TAG = "TAG";
    public static final String SQL92 = "SQL92";

    public String topic;
    public String subString;
    public Set<String> tagsSet = new LinkedHashSet<>();
    public Set<Integer> codeSet = new LinkedHashSet<>();
    public long subVersion = System.currentTimeMillis();
    public String expressionType = TAG;
    public boolean classFilterMode;

    /** Builds a TAG subscription the way the client does: split on "||", trim, hash each tag. */
    public static SubscriptionData ofTags(String topic, String expression) {
        SubscriptionData s = new SubscriptionData();
        s.topic = topic;
        if (expression == null || expression.isBlank() || expression.trim().equals(SUB_ALL)) {
            s.subString = SUB_ALL;
            return s;
        }
        s.subString = expression;
        for (String tag : expression.split("\\|\\|")) {
            String t = tag.trim();
            if (!t.isEmpty()) {
                s.tagsSet.add(t);
                s.codeSet.add(t.hashCode());
            }
        }
        return s;
    }

    public boolean matchesAll() {
        return classFilterMode || SUB_ALL.equals(subString) || subString == null || subString.isEmpty();
    }
}
