package io.tern.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The outcome of one in-process tern-admin run. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(String... args) {
        return withEnv(Map.of(), args);
    }

    /** Runs tern-admin against the nameserver at {@code nameServer} with {@code env} as its environment. */
    static CliRun against(String nameServer, Map<String, String> env, String... args) {
        String[] withNs = new String[args.length + 2];
        System.arraycopy(args, 0, withNs, 0, args.length);
        withNs[args.length] = "-n";
        withNs[args.length + 1] = nameServer;
        return withEnv(env, withNs);
    }

    private static CliRun withEnv(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = TernAdmin.runWithEnv(args, o, e, env::get);
        }
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
