package io.tern.remoting;

/** Told when a server accepts a connection; register close handlers here to clean registries. */
@FunctionalInterface
public interface ConnectionListener {
    ConnectionListener NONE = connection -> { };

    void onConnected(RemotingConnection connection);
}
