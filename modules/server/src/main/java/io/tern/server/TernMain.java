package io.tern.server;

/**
 * Entry point of the fat jar: {@code java -jar tern-server-<v>-fat.jar standalone|nameserver|broker [--config path]}.
 * Sets the logging defaults, parses the arguments (exit code 2 when they are wrong) and hands over to Vert.x's
 * application launcher as Tern adapts it ({@link TernApplication}; exit code 1 when the start fails).
 *
 * <p>A class of its own, not the launcher's subclass: loading the launcher's class creates its logger, and the
 * logging defaults must be in place before the first logger exists.
 */
public final class TernMain {
    static final String USAGE =
            "usage: java -jar tern-server-fat.jar standalone|nameserver|broker [--config conf/<role>.yaml]";

    private TernMain() {
    }

    public static void main(String[] args) {
        configureDefaults();
        // first: it prepares what the logging set-up and Vert.x's creation on this thread need right after
        StartupWarmUp.startInBackground();
        TernApplication launcher;
        try {
            launcher = fromArguments(args);
        } catch (IllegalArgumentException badArgs) {
            System.err.println("error: " + badArgs.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        int exitCode = launcher.run();
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /** Parses {@code <role> [--config path]}; throws IllegalArgumentException with the reason otherwise. */
    static TernApplication fromArguments(String[] args) {
        if (args.length < 1) {
            throw new IllegalArgumentException("missing role");
        }
        Role role = Role.parse(args[0]);
        String configPath = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                configPath = args[++i];
            } else {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
            }
        }
        return new TernApplication(role, configPath);
    }

    /** Process-wide defaults of the fat jar, set before any logger or Netty class exists; -D flags still win. */
    static void configureDefaults() {
        configureDefaultLogging();
        // Netty's allocator emits JFR events; the first buffer it allocates then registers them with JFR (class
        // generation, annotation proxies), about 100 ms on the start path, right before the first registration
        // (src-docs/performance-notes.md, change 21). A recording that wants them sets -Dio.netty.jfr.enabled=true.
        setIfAbsent("io.netty.jfr.enabled", "false");
        configureLocaleData();
    }

    /**
     * The JDK's own locale data (COMPAT) instead of CLDR's, on the JDKs that have it without a warning (before 21).
     * The log lines' date format is the first locale-sensitive object of a start, and CLDR's provider set-up made
     * {@code Calendar.getInstance} cost 28–38 ms of the critical path against 11–13 ms (src-docs/performance-notes.md,
     * change 23). Tern's formats (log timestamps, segment and index file names, disk-usage remarks) are numeric
     * patterns and come out the same with either in English and German locales; where CLDR writes non-ASCII digits
     * (ar_EG) COMPAT keeps them ASCII. Read at the first locale-sensitive call, so it is set here, before any logger
     * exists; {@code -Djava.locale.providers=...} wins.
     */
    private static void configureLocaleData() {
        if (Runtime.version().feature() < 21) {
            setIfAbsent("java.locale.providers", "COMPAT");
        }
    }

    /** slf4j-simple defaults for a server: info level, timestamps, thread names, to stdout. */
    private static void configureDefaultLogging() {
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.out");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
        // a controller peer's Raft engine logs every vote and configuration at info; its warnings are what matter
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.ratis", "warn");
        // vertx-micrometer-metrics re-registers its event-bus "pending" gauge per message and Micrometer warns about
        // it once (vert-x3/vertx-micrometer-metrics#259; the value is right): not worth a WARN line on every start
        setIfAbsent("org.slf4j.simpleLogger.log.io.micrometer.core.instrument.MeterRegistry", "error");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
