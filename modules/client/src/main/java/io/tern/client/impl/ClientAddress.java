package io.tern.client.impl;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Enumeration;

/** This host's IPv4 address as the official client picks it: the first non-loopback one, else 127.0.0.1. */
final class ClientAddress {
    private static volatile byte[] cached;

    static byte[] localIpv4() {
        byte[] ip = cached;
        if (ip == null) {
            ip = scan();
            cached = ip;
        }
        return ip.clone();
    }

    static String format(byte[] ip) {
        return (ip[0] & 0xFF) + "." + (ip[1] & 0xFF) + "." + (ip[2] & 0xFF) + "." + (ip[3] & 0xFF);
    }

    static byte[] parse(String ip) {
        String[] parts = ip.split("\\.");
        if (parts.length != 4) {
            return new byte[] {127, 0, 0, 1};
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) Integer.parseInt(parts[i]);
        }
        return out;
    }

    private static byte[] scan() {
        try {
            byte[] fallback = null;
            Enumeration<NetworkInterface> nics = NetworkInterface.getNetworkInterfaces();
            while (nics != null && nics.hasMoreElements()) {
                NetworkInterface nic = nics.nextElement();
                if (nic.isLoopback() || nic.isVirtual() || !nic.isUp()) {
                    continue;
                }
                Enumeration<InetAddress> addrs = nic.getInetAddresses();
                while (addrs.hasMoreElements()) {
                    InetAddress a = addrs.nextElement();
                    if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                        if (a.isSiteLocalAddress() || fallback == null) {
                            // prefer private addresses, as RocketMQ's RemotingUtil does
                            if (a.isSiteLocalAddress()) {
                                return a.getAddress();
                            }
                            fallback = a.getAddress();
                        }
                    }
                }
            }
            return fallback != null ? fallback : new byte[] {127, 0, 0, 1};
        } catch (SocketException e) {
            return new byte[] {127, 0, 0, 1};
        }
    }

    private ClientAddress() {
    }
}
