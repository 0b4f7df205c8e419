package io.tern.server;

import java.util.Locale;

/** What one Tern process runs. Each role reads its own file, {@code conf/<role>.yaml}. */
public enum Role {
    /** Nameserver and broker in one JVM: the embedded default for the quick start and for tests. */
    STANDALONE,
    NAMESERVER,
    BROKER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The config file looked up relative to the working directory, then on the classpath (bundled copy). */
    public String defaultConfigPath() {
        return "conf/" + id() + ".yaml";
    }

    public boolean runsNameServer() {
        return this != BROKER;
    }

    public boolean runsBroker() {
        return this != NAMESERVER;
    }

    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.id().equalsIgnoreCase(text)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "' (expected standalone, nameserver or broker)");
    }
}
