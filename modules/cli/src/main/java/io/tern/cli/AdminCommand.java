package io.tern.cli;

import java.util.Set;

/** One sub-command of tern-admin. Implementations are stateless; everything per run lives in the session. */
public interface AdminCommand {
    /** The name typed on the command line, e.g. {@code topicList}. */
    String name();

    /** One line: what the command does. */
    String description();

    /** The option synopsis, e.g. {@code -t topic [-c cluster]}. */
    String synopsis();

    /** Options that take a value (besides -n). */
    Set<String> valueOptions();

    /** Options without a value (besides --json). */
    default Set<String> flags() {
        return Set.of();
    }

    /** Checks the options before any connection is made; throws {@link UsageException} when they are wrong. */
    default void validate(Options options) {
    }

    /** Runs against the servers; output goes to {@code session.out()}. Returns the exit code. */
    int execute(AdminSession session, Options options);
}
