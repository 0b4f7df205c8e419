package io.tern.server;

import java.util.Locale;

/** What one Tern process runs. Each role reads its own file, {@code conf/<role>.yaml}. */
public enum Role {
    /** Nameserver and broker in one JVM: the embedded default for the quick start and for tests. */
    STANDALONE,
    NAMESERVER,
    BROKER,
    /** A controller peer alone (its keys in the nameserver section); nameservers embed one with controllerEnabled. */
    CONTROLLER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The config file looked up relative to the working directory, then on the classpath (bundled copy). */
    public String defaultConfigPath() {
        return "conf/" + id() + ".yaml";
    }

    public boolean runsNameServer() {
        return this == STANDALONE || this == NAMESERVER;
    }

    public boolean runsBroker() {
        return this == STANDALONE || this == BROKER;
    }

    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.id().equalsIgnoreCase(text)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "' (expected standalone, nameserver, broker or controller)");
    }
}
