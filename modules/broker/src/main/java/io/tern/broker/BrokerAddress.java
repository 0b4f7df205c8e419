package io.tern.broker;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where this broker is reached: brokerIP1 (known from the config) and the remoting port, known only once the
 * server is bound (the config may say 0) and set exactly once then, before anything registers or answers.
 * The STOREHOST of every record, the address inside offset msg ids and the address registered at nameservers
 * all come from here.
 *
 * <p>Thread-safe: the port is published through a volatile field.
 */
public final class BrokerAddress {
    private final String ip;
    private final byte[] hostBytes;
    private volatile int port;
    private volatile String hostPort;
    private boolean bound;
    private volatile int haPort;

    public BrokerAddress(String brokerIp) {
        this.ip = brokerIp;
        try {
            this.hostBytes = InetAddress.getByName(brokerIp).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("brokerIP1 is not an IP address: " + brokerIp, e);
        }
    }

    /** Records the actual remoting port; once only. */
    public void bind(int actualPort) {
        synchronized (this) {
            if (bound) {
                throw new IllegalStateException("broker address already bound to port " + port);
            }
            bound = true;
            hostPort = ip + ":" + actualPort;
            port = actualPort;
        }
    }

    /** Records the bound replication port (a master's haListenPort; 0 for a slave, which listens on none). */
    public void bindHa(int actualHaPort) {
        haPort = actualHaPort;
    }

    /** The replication port registered as haServerAddr; 0 until bound. */
    public int haPort() {
        return haPort;
    }

    public synchronized boolean isBound() {
        return bound;
    }

    /** brokerIP1 as 4 or 16 bytes. Not to be modified. */
    public byte[] hostBytes() {
        return hostBytes;
    }

    /** brokerIP1 as configured. */
    public String ip() {
        return ip;
    }

    /** The remoting port; 0 until bound (a broker used only in-process never is). */
    public int port() {
        return port;
    }

    /** "brokerIP1:port", what clients dial and nameservers list; null until bound. */
    public String hostPort() {
        return hostPort;
    }

    @Override
    public String toString() {
        return hostPort == null ? ip + ":<unbound>" : hostPort;
    }
}
