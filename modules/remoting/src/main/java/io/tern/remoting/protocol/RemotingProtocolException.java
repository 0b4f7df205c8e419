package io.tern.remoting.protocol;

/** A request the peer got wrong: answered with SYSTEM_ERROR and the message as remark. */
public class RemotingProtocolException extends RuntimeException {
    public RemotingProtocolException(String message) {
        super(message);
    }
}
