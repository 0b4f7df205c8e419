package io.tern.bench.jmh;

import io.tern.remoting.LocalChannel;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.acl.AccessNeeds;
import io.tern.remoting.acl.AccessTable;
import io.tern.remoting.acl.AclCredentials;
import io.tern.remoting.acl.AclGate;
import io.tern.remoting.acl.AclRules;
import io.tern.remoting.acl.Permission;
import io.tern.remoting.protocol.RemotingCommand;
import io.vertx.core.Vertx;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * CPU cost of the plain ACL per request, with ACL on: the broker's check of a signed SEND_MESSAGE_V2 (sorted ext
 * fields, HmacSHA1 over fields and body, permission look-up) and the client's signing of one. With ACL off the
 * dispatch path reads one null field instead. Score = microseconds per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AclCheckBenchmark {
    @Param({"128", "4096"})
    public int bodyBytes;

    private Vertx vertx;
    private LocalChannel peer;
    private AclGate gate;
    private AclCredentials credentials;
    private RemotingCommand signed;

    @Setup(Level.Trial)
    public void setUp() {
        vertx = Vertx.vertx();
        peer = new LocalChannel(vertx, new ProcessorTable());
        gate = new AclGate(new AccessTable().resolve(310,
                req -> AccessNeeds.none().topic(req.ext("b"), Permission.PUB)), AclRules.parse("""
                accounts:
                  - accessKey: bench-user
                    secretKey: bench-secret
                    defaultTopicPerm: PUB
                """));
        credentials = new AclCredentials("bench-user", "bench-secret");
        signed = credentials.sign(send(bodyBytes));
        if (gate.refusal(peer, signed) != null) {
            throw new IllegalStateException("the benchmark request is refused");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        vertx.close().await();
    }

    /** SEND_MESSAGE_V2 with the header fields the 4.9 client sends. */
    static RemotingCommand send(int bodyBytes) {
        return RemotingCommand.request(310).put("a", "PG").put("b", "BenchTopic").put("c", "TBW102").put("d", 4)
                .put("e", 0).put("f", 0).put("g", System.currentTimeMillis()).put("h", 0)
                .put("i", "UNIQ_KEY\u00017F0000010001000000000000000000\u0002WAIT\u0001true\u0002TAGS\u0001TagA")
                .put("j", 0).put("k", false).put("m", false).put("n", "broker-a").body(new byte[bodyBytes]);
    }

    @Benchmark
    public RemotingCommand brokerCheck() {
        return gate.refusal(peer, signed);
    }

    @Benchmark
    public RemotingCommand clientSign() {
        return credentials.sign(signed);
    }
}
