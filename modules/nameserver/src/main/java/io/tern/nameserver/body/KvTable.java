package io.tern.nameserver.body;

import java.util.Map;
import java.util.TreeMap;

/** {@code {"table":{k:v}}}: GET_KVLIST_BY_NAMESPACE and REGISTER_BROKER response body (spec 4.2.10). */
public final class KvTable {
    public Map<String, String> table = new TreeMap<>();

    public KvTable() {
    }

    public KvTable(Map<String, String> table) {
        this.table = new TreeMap<>(table);
    }
}
