package io.tern.cli;

import io.tern.cli.command.BrokerStatusCommand;
import io.tern.cli.command.ClusterListCommand;
import io.tern.cli.command.ConsumerConnectionCommand;
import io.tern.cli.command.ControllerStateCommand;
import io.tern.cli.command.ConsumerProgressCommand;
import io.tern.cli.command.DeleteTopicCommand;
import io.tern.cli.command.HaStatusCommand;
import io.tern.cli.command.QueryMsgByIdCommand;
import io.tern.cli.command.QueryMsgByKeyCommand;
import io.tern.cli.command.QueryMsgTraceByIdCommand;
import io.tern.cli.command.ResetOffsetByTimeCommand;
import io.tern.cli.command.TopicListCommand;
import io.tern.cli.command.TopicRouteCommand;
import io.tern.cli.command.TopicStatusCommand;
import io.tern.cli.command.UpdateSubGroupCommand;
import io.tern.cli.command.UpdateTopicCommand;
import io.tern.remoting.acl.AclCredentials;
import io.tern.remoting.security.ClientTls;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code tern-admin <command> [options]}: Tern's admin command line, speaking the remoting protocol to the
 * nameserver and brokers like RocketMQ's mqadmin.
 *
 * <p>Exit codes: 0 success, 1 a server refused or could not be reached, 2 wrong command line.
 */
public final class TernAdmin {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final String DEFAULT_NAMESERVER = "127.0.0.1:9876";
    public static final String NAMESERVER_ENV = "TERN_NAMESERVER_ADDR";
    /** The ACL account to sign with when --access-key / --secret-key are not given (src-docs/acl.md). */
    public static final String ACCESS_KEY_ENV = "TERN_ACCESS_KEY";
    public static final String SECRET_KEY_ENV = "TERN_SECRET_KEY";
    /** "true" connects over TLS when --tls is not given; a CA file to trust when --tls-trust is not given. */
    public static final String TLS_ENV = "TERN_ADMIN_TLS";
    public static final String TLS_TRUST_ENV = "TERN_ADMIN_TLS_TRUST";

    private static final Map<String, AdminCommand> COMMANDS = table(
            new ClusterListCommand(),
            new BrokerStatusCommand(),
            new TopicListCommand(),
            new TopicRouteCommand(),
            new TopicStatusCommand(),
            new UpdateTopicCommand(),
            new DeleteTopicCommand(),
            new ConsumerProgressCommand(),
            new ConsumerConnectionCommand(),
            new QueryMsgByIdCommand(),
            new QueryMsgByKeyCommand(),
            new ResetOffsetByTimeCommand(),
            new QueryMsgTraceByIdCommand(),
            new UpdateSubGroupCommand(),
            new HaStatusCommand(),
            new ControllerStateCommand());

    private TernAdmin() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; never calls System.exit, so tests can run it in-process. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return runWithEnv(args, out, err, System::getenv);
    }

    static int run(String[] args, PrintStream out, PrintStream err, String nameServerFromEnv) {
        return runWithEnv(args, out, err, name -> name.equals(NAMESERVER_ENV) ? nameServerFromEnv : null);
    }

    /** @param env reads an environment variable (tests pass their own) */
    static int runWithEnv(String[] args, PrintStream out, PrintStream err, Function<String, String> env) {
        String nameServerFromEnv = env.apply(NAMESERVER_ENV);
        if (args.length == 0 || args[0].equals("help") || args[0].equals("-h") || args[0].equals("--help")) {
            if (args.length > 1 && COMMANDS.containsKey(args[1])) {
                printCommandUsage(COMMANDS.get(args[1]), out);
            } else {
                printUsage(args.length == 0 ? err : out);
            }
            return args.length == 0 ? EXIT_USAGE : EXIT_OK;
        }
        AdminCommand command = COMMANDS.get(args[0]);
        if (command == null) {
            err.println("tern-admin: unknown command '" + args[0] + "'");
            printUsage(err);
            return EXIT_USAGE;
        }
        Options options;
        try {
            if (List.of(args).contains("-h") || List.of(args).contains("--help")) {
                printCommandUsage(command, out);
                return EXIT_OK;
            }
            options = Options.parse(args, 1, command.valueOptions(), command.flags());
            command.validate(options);
        } catch (UsageException e) {
            err.println("tern-admin " + command.name() + ": " + e.getMessage());
            printCommandUsage(command, err);
            return EXIT_USAGE;
        }
        String nameServer = options.get("-n", nameServerFromEnv == null || nameServerFromEnv.isBlank()
                ? DEFAULT_NAMESERVER : nameServerFromEnv);
        AclCredentials credentials;
        try {
            credentials = AclCredentials.ofNullable(options.get("--access-key", env.apply(ACCESS_KEY_ENV)),
                    options.get("--secret-key", env.apply(SECRET_KEY_ENV)));
        } catch (IllegalArgumentException e) {
            err.println("tern-admin " + command.name() + ": " + e.getMessage() + " (--access-key/--secret-key or $"
                    + ACCESS_KEY_ENV + "/$" + SECRET_KEY_ENV + ")");
            return EXIT_USAGE;
        }
        ClientTls tls;
        try {
            tls = tls(options, env);
        } catch (UsageException e) {
            err.println("tern-admin " + command.name() + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        try (AdminSession session = new AdminSession(nameServer, out, options.json(), credentials, tls)) {
            return command.execute(session, options);
        } catch (UsageException e) {
            err.println("tern-admin " + command.name() + ": " + e.getMessage());
            printCommandUsage(command, err);
            return EXIT_USAGE;
        } catch (AdminException e) {
            err.println("tern-admin " + command.name() + ": " + e.getMessage());
            return EXIT_FAILED;
        } catch (RuntimeException e) {
            err.println("tern-admin " + command.name() + ": unexpected error: " + e);
            return EXIT_FAILED;
        }
    }

    /**
     * TLS from --tls / --tls-trust or the environment. A trust file implies TLS; without one any server certificate
     * is accepted (encrypted, not authenticated), as RocketMQ's client does by default.
     */
    private static ClientTls tls(Options options, Function<String, String> env) {
        String trust = options.get("--tls-trust", env.apply(TLS_TRUST_ENV));
        boolean enabled = options.has("--tls") || "true".equalsIgnoreCase(env.apply(TLS_ENV))
                || (trust != null && !trust.isBlank());
        if (!enabled) {
            return ClientTls.PLAINTEXT;
        }
        if (trust != null && !trust.isBlank() && !Files.isReadable(Path.of(trust.trim()))) {
            throw new UsageException("TLS trust file is not readable: " + trust);
        }
        return new ClientTls(true, trust);
    }

    public static Map<String, AdminCommand> commands() {
        return COMMANDS;
    }

    private static void printUsage(PrintStream s) {
        s.println("usage: tern-admin <command> [options]   (tern-admin help <command> for its options)");
        s.println("common options: -n host:port[;host:port] nameserver (default $" + NAMESERVER_ENV + " or "
                + DEFAULT_NAMESERVER + "), --json machine-readable output,");
        s.println("  --access-key K --secret-key S sign requests for servers with ACL on (default $" + ACCESS_KEY_ENV
                + ", $" + SECRET_KEY_ENV + ")");
        s.println("  --tls connect over TLS, --tls-trust FILE PEM CA the servers' certificates must chain to (implies"
                + " --tls; default $" + TLS_ENV + ", $" + TLS_TRUST_ENV + ")");
        s.println("commands:");
        int width = COMMANDS.keySet().stream().mapToInt(String::length).max().orElse(10);
        for (AdminCommand c : COMMANDS.values()) {
            s.println("  " + c.name() + " ".repeat(width - c.name().length() + 2) + c.description());
        }
    }

    private static void printCommandUsage(AdminCommand c, PrintStream s) {
        s.println("usage: tern-admin " + c.name() + " " + c.synopsis()
                + " [-n nameserver] [--json] [--access-key K --secret-key S] [--tls] [--tls-trust FILE]");
        s.println("  " + c.description());
    }

    private static Map<String, AdminCommand> table(AdminCommand... commands) {
        Map<String, AdminCommand> map = new LinkedHashMap<>();
        for (AdminCommand c : commands) {
            map.put(c.name(), c);
        }
        return map;
    }
}
