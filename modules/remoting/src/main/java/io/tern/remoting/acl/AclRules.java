package io.tern.remoting.acl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The accounts and whitelists of one ACL file, in the shape of RocketMQ's {@code plain_acl.yml}:
 *
 * <pre>
 * globalWhiteRemoteAddresses:      # requests from these addresses pass unchecked
 *   - 10.10.103.*
 * accounts:
 *   - accessKey: RocketMQ           # at least 7 characters
 *     secretKey: 12345678           # at least 7 characters
 *     whiteRemoteAddress:           # this key from these addresses passes unchecked
 *     admin: false
 *     defaultTopicPerm: DENY        # DENY, PUB, SUB or PUB|SUB; absent = DENY
 *     defaultGroupPerm: SUB
 *     topicPerms: [topicA=DENY, topicB=PUB|SUB]
 *     groupPerms: [groupA=DENY, groupB=SUB]
 * </pre>
 *
 * Unknown keys ({@code dataVersion}) are ignored. A file that cannot be used (bad YAML, a short or duplicate key,
 * a malformed address or permission entry) is an {@link IllegalArgumentException} naming the problem but never a
 * secret.
 *
 * <p>Immutable, thread-safe: a reload builds a new instance.
 */
public final class AclRules {
    private static final Logger LOG = LoggerFactory.getLogger(AclRules.class);
    /** RocketMQ refuses keys of 6 characters or fewer. */
    static final int MIN_KEY_LENGTH = 7;

    private final List<AddressPattern> globalWhiteRemoteAddresses;
    private final Map<String, AclAccount> accounts;

    private AclRules(List<AddressPattern> globalWhiteRemoteAddresses, Map<String, AclAccount> accounts) {
        this.globalWhiteRemoteAddresses = globalWhiteRemoteAddresses;
        this.accounts = accounts;
    }

    public static AclRules load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static AclRules parse(String yamlText) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yamlText);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not valid YAML: " + firstLine(e.getMessage()));
        }
        if (root == null) {
            return new AclRules(List.of(), Map.of());
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("the ACL file must be a YAML mapping");
        }
        List<AddressPattern> whitelist = new ArrayList<>();
        for (Object entry : list(map.get("globalWhiteRemoteAddresses"), "globalWhiteRemoteAddresses")) {
            whitelist.add(AddressPattern.parse(text(entry)));
        }
        Map<String, AclAccount> accounts = new LinkedHashMap<>();
        int index = 0;
        for (Object entry : list(map.get("accounts"), "accounts")) {
            index++;
            if (!(entry instanceof Map<?, ?> fields)) {
                throw new IllegalArgumentException("accounts[" + index + "] is not a mapping");
            }
            AclAccount account = account(fields, index);
            if (accounts.putIfAbsent(account.accessKey(), account) != null) {
                throw new IllegalArgumentException("accessKey " + account.accessKey() + " is defined twice");
            }
        }
        return new AclRules(List.copyOf(whitelist), Collections.unmodifiableMap(accounts));
    }

    private static AclAccount account(Map<?, ?> fields, int index) {
        String accessKey = text(fields.get("accessKey"));
        String secretKey = text(fields.get("secretKey"));
        if (accessKey == null || accessKey.length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("accounts[" + index + "]: accessKey must have at least "
                    + MIN_KEY_LENGTH + " characters");
        }
        if (secretKey == null || secretKey.length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("accounts[" + index + "] (" + accessKey
                    + "): secretKey must have at least " + MIN_KEY_LENGTH + " characters");
        }
        String where = "account " + accessKey;
        return new AclAccount(accessKey, secretKey,
                AddressPattern.parse(text(fields.get("whiteRemoteAddress"))),
                Boolean.parseBoolean(text(fields.get("admin"))),
                permission(text(fields.get("defaultTopicPerm")), where + " defaultTopicPerm"),
                permission(text(fields.get("defaultGroupPerm")), where + " defaultGroupPerm"),
                resourcePerms(fields.get("topicPerms"), where + " topicPerms"),
                resourcePerms(fields.get("groupPerms"), where + " groupPerms"));
    }

    /** "name=PERM" entries; as in RocketMQ an unknown permission string is DENY (logged, so a typo shows). */
    private static Map<String, Byte> resourcePerms(Object value, String where) {
        Map<String, Byte> perms = new HashMap<>();
        for (Object entry : list(value, where)) {
            String item = text(entry);
            String[] parts = item == null ? new String[0] : item.split("=");
            if (parts.length != 2 || parts[0].isBlank()) {
                throw new IllegalArgumentException(where + ": '" + item + "' is not name=PERM");
            }
            perms.put(parts[0].trim(), permission(parts[1], where + " " + parts[0].trim()));
        }
        return Collections.unmodifiableMap(perms);
    }

    private static byte permission(String text, String where) {
        if (text != null && !Permission.isValid(text)) {
            LOG.warn("ACL {}: '{}' is not DENY, PUB, SUB or PUB|SUB; read as DENY", where, text);
        }
        return Permission.parse(text);
    }

    private static List<?> list(Object value, String where) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException(where + " must be a list");
    }

    /** YAML reads {@code secretKey: 12345678} as a number: every scalar is used as its text. */
    private static String text(Object value) {
        return value == null ? null : value.toString().trim();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** Whether requests from {@code ip} pass without any check. */
    public boolean globallyWhitelisted(String ip) {
        for (AddressPattern pattern : globalWhiteRemoteAddresses) {
            if (pattern.matches(ip)) {
                return true;
            }
        }
        return false;
    }

    /** The account of {@code accessKey}, or null. */
    public AclAccount account(String accessKey) {
        return accounts.get(accessKey);
    }

    /** The first admin account of the file, or null: what a broker signs with when given no keys of its own. */
    public AclAccount firstAdmin() {
        return accounts.values().stream().filter(AclAccount::admin).findFirst().orElse(null);
    }

    public int accountCount() {
        return accounts.size();
    }
}
