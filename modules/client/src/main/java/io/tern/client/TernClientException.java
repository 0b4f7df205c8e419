package io.tern.client;

/** A request the broker or nameserver refused ({@link #code()} = RocketMQ response code), or a client-side error (code -1). */
public final class TernClientException extends RuntimeException {
    private final int code;

    public TernClientException(int code, String message) {
        super(code < 0 ? message : "CODE: " + code + " DESC: " + message);
        this.code = code;
    }

    public TernClientException(String message) {
        this(-1, message);
    }

    public int code() {
        return code;
    }
}
