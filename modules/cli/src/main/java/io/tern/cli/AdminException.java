package io.tern.cli;

/** A server answered with an error or could not be reached: print the message, exit 1. */
public final class AdminException extends RuntimeException {
    public AdminException(String message) {
        super(message);
    }

    public AdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
