package io.tern.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Tern in a separate JVM (the fat jar or scripts/tern), with its output captured line by line and echoed to this
 * test's output with a prefix. Used where the test must kill the process or check the shipped launcher.
 */
final class TernProcess implements AutoCloseable {
    static final String READY_MARKER = "Tern standalone ready";

    /** The ready line of any role: "Tern standalone ready", "Tern nameserver ready", "Tern broker ready". */
    static String readyMarker(String role) {
        return "Tern " + role + " ready";
    }

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread pump;

    private TernProcess(Process process, String name) {
        this.process = process;
        this.pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                    System.out.println("[" + name + "] " + line);
                }
            } catch (IOException ignored) {
                // the process died; what it printed is kept
            }
        }, "output-of-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts {@code command} in {@code workDir} with extra environment variables; output and errors merged. */
    static TernProcess start(String name, List<String> command, Path workDir, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        return new TernProcess(builder.start(), name);
    }

    /** The fat jar that modules/server builds (surefire passes its path as tern.serverJar). */
    static Path serverJar() {
        String jar = System.getProperty("tern.serverJar",
                "../server/target/tern-server-0.1.0-SNAPSHOT-fat.jar");
        Path path = Path.of(jar).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " is missing: run `mvn package` (or verify) so modules/server "
                    + "builds its fat jar before modules/it runs");
        }
        return path;
    }

    static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * The command of a process of the fat jar in {@code role} (standalone, nameserver, broker): {@code java
     * -Xmx<heap> <options…> -jar <fat jar> <role>}; options are JVM options, typically {@code -Dtern.…} overrides.
     */
    static List<String> fatJarCommand(String role, String heap, List<String> options) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary().toString());
        command.add("-Xmx" + heap);
        command.addAll(options);
        command.addAll(List.of("-jar", serverJar().toString(), role));
        return command;
    }

    /**
     * The environment of a standalone process on these ports and store, without its HTTP API; {@code more} adds
     * name–value pairs (a flush mode, say).
     */
    static Map<String, String> standaloneEnv(int nameServerPort, int brokerPort, Path storeRoot, String... more) {
        Map<String, String> env = new HashMap<>();
        env.put("TERN_NAMESERVER_PORT", Integer.toString(nameServerPort));
        env.put("TERN_BROKER_PORT", Integer.toString(brokerPort));
        env.put("TERN_HTTP_PORT", "-1");
        env.put("TERN_STORE_ROOT", storeRoot.toString());
        if (more.length % 2 != 0) {
            throw new IllegalArgumentException("name-value pairs expected, got " + Arrays.toString(more));
        }
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    /**
     * The environment of a broker process of group {@code brokerName} that registers at {@code namesrvAddr}, without
     * its HTTP API; mutable, for the variables a test adds (a flush mode, the HA port).
     */
    static Map<String, String> brokerEnv(String namesrvAddr, int port, Path storeRoot, String brokerName, String role,
                                         long id) {
        Map<String, String> env = new HashMap<>();
        env.put("TERN_NAMESERVER_ADDR", namesrvAddr);
        env.put("TERN_BROKER_PORT", Integer.toString(port));
        env.put("TERN_HTTP_PORT", "-1");
        env.put("TERN_STORE_ROOT", storeRoot.toString());
        env.put("TERN_BROKER_NAME", brokerName);
        env.put("TERN_BROKER_ROLE", role);
        env.put("TERN_BROKER_ID", Long.toString(id));
        return env;
    }

    /** A port that was free a moment ago; good enough for a child process started right away. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /**
     * Base ports for scripts that derive ports from a base (scripts/tern-cluster: the next nameserver on +1, a
     * broker's replication port on +1, its VIP port on -2, the next broker on +10...): for each array of offsets a
     * base whose every port is free now, no port shared between the arrays. The bases lie below the kernel's
     * ephemeral range (32768 and up here), where no other process's outgoing connection holds a port by chance; a
     * base from {@link #freePort()} plus an offset could land on one (a cluster broker failed to bind that way).
     */
    static int[] freePortBases(int[]... offsetsPerBase) throws IOException {
        Random random = new Random();
        int[] bases = new int[offsetsPerBase.length];
        Set<Integer> taken = new HashSet<>();
        for (int b = 0; b < bases.length; b++) {
            for (int attempt = 0; ; attempt++) {
                if (attempt == 500) {
                    throw new IOException("no free block of ports for offsets " + Arrays.toString(offsetsPerBase[b]));
                }
                int base = 20_000 + random.nextInt(12_000);
                List<Integer> ports = Arrays.stream(offsetsPerBase[b]).map(o -> base + o).boxed().toList();
                if (ports.stream().noneMatch(taken::contains) && ports.stream().allMatch(TernProcess::bindable)) {
                    taken.addAll(ports);
                    bases[b] = base;
                    break;
                }
            }
        }
        return bases;
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    void awaitLine(String marker, long timeoutMs) {
        Await.until("'" + marker + "' from the Tern process", timeoutMs,
                () -> {
                    if (!process.isAlive() && lines.stream().noneMatch(l -> l.contains(marker))) {
                        throw new AssertionError("Tern process exited with " + process.exitValue() + ":\n"
                                + String.join("\n", lines));
                    }
                    return lines.stream().anyMatch(l -> l.contains(marker));
                });
    }

    boolean printed(String marker) {
        return lines.stream().anyMatch(l -> l.contains(marker));
    }

    String output() {
        return String.join("\n", lines);
    }

    /** SIGTERM, then wait for the graceful stop; returns the exit code. */
    int terminate(long timeoutMs) throws InterruptedException {
        // via the handle: Process.destroy() would also close our end of the pipe and lose the last lines
        process.toHandle().destroy();
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("Tern did not stop within " + timeoutMs + " ms after SIGTERM:\n" + output());
        }
        pump.join(10_000); // the last lines may still be in the pipe
        return process.exitValue();
    }

    /** Waits for the process to exit by itself; returns the exit code. */
    int awaitExit(long timeoutMs) throws InterruptedException {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("Tern did not exit within " + timeoutMs + " ms:\n" + output());
        }
        pump.join(10_000);
        return process.exitValue();
    }

    /** The index of the first line containing {@code marker}, or -1. */
    int lineOf(String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i;
            }
        }
        return -1;
    }

    /** kill -9: no shutdown hook, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
