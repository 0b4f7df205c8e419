package io.tern.remoting.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RemotingCommandCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The expected signatures were computed with the official client: rocketmq-acl 4.9.8's
 * {@code AclClientRPCHook#doBeforeRequest} on the same requests (ext fields, body, keys).
 */
class AclSignatureTest {

    private static RemotingCommand sendRequest() {
        return RemotingCommand.request(310).put("b", "TopicTest").put("a", "PG").put("e", "3").put("zeta", "ü")
                .body("hello body".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void signsLikeTheOfficialClientHook() {
        RemotingCommand signed = new AclCredentials("RocketMQ1", "12345678").sign(sendRequest());
        assertEquals("RocketMQ1", signed.ext(AclSignature.ACCESS_KEY));
        assertEquals("xQ/JiISk1SxNuDDF+DUfGzbmP3k=", signed.ext(AclSignature.SIGNATURE));
    }

    @Test
    void securityTokenIsSignedToo() {
        RemotingCommand signed = new AclCredentials("RocketMQ1", "12345678", "tok")
                .sign(RemotingCommand.request(105).put("topic", "T"));
        assertEquals("tok", signed.ext(AclSignature.SECURITY_TOKEN));
        assertEquals("QP1e0ij6Ya11rrpHbME8uJ/DssA=", signed.ext(AclSignature.SIGNATURE));
    }

    @Test
    void theSignatureSurvivesTheWireAndSigningTwiceGivesTheSameOne() {
        AclCredentials credentials = new AclCredentials("RocketMQ1", "12345678");
        RemotingCommand signed = credentials.sign(sendRequest());
        String first = signed.ext(AclSignature.SIGNATURE);
        assertEquals(first, credentials.sign(signed).ext(AclSignature.SIGNATURE), "Signature is not signed");
        Buffer frame = RemotingCommandCodec.encode(signed);
        RemotingCommand read = RemotingCommandCodec.decode(frame.slice(4, frame.length()));
        assertEquals(first, AclSignature.compute(read.extFields(), read.body(), "12345678", null));
    }

    @Test
    void aBodyInPiecesSignsLikeTheSameBytesInOnePiece() {
        byte[] whole = "hello body".getBytes(StandardCharsets.UTF_8);
        Buffer pieces = BufferInternal.buffer(Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(whole, 0, 4),
                Unpooled.directBuffer().writeBytes(whole, 4, whole.length - 4)));
        RemotingCommand request = sendRequest();
        assertEquals(AclSignature.compute(request.extFields(), request.body(), "12345678", null),
                AclSignature.compute(request.extFields(), pieces, "12345678", null));
    }

    @Test
    void anyChangeOfFieldBodyOrSecretChangesTheSignature() {
        RemotingCommand request = sendRequest();
        String base = AclSignature.compute(request.extFields(), request.body(), "12345678", null);
        assertNotEquals(base, AclSignature.compute(request.extFields(), Buffer.buffer("hello bodz"), "12345678",
                null));
        assertNotEquals(base, AclSignature.compute(sendRequest().put("b", "TopicTesT").extFields(), request.body(),
                "12345678", null));
        assertNotEquals(base, AclSignature.compute(request.extFields(), request.body(), "12345679", null));
        assertNotEquals(base, AclSignature.compute(request.extFields(), null, "12345678", null));
    }

    @Test
    void comparisonIsExact() {
        assertTrue(AclSignature.same("abc=", "abc="));
        assertFalse(AclSignature.same("abc=", "abd="));
        assertFalse(AclSignature.same("abc=", null));
    }

    @Test
    void credentialsNeedBothKeysAndNeverPrintTheSecret() {
        assertEquals(null, AclCredentials.ofNullable("", null));
        assertThrows(IllegalArgumentException.class, () -> AclCredentials.ofNullable("RocketMQ1", ""));
        assertFalse(new AclCredentials("RocketMQ1", "s3cr3t-value").toString().contains("s3cr3t"));
    }
}
