package io.tern.remoting.protocol;

/** A frame that breaks the framing rules (spec 1.2): the connection is closed. */
public final class FrameTooLargeException extends RuntimeException {
    public FrameTooLargeException(String message) {
        super(message);
    }
}
