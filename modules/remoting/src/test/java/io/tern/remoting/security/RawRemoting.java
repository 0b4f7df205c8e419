package io.tern.remoting.security;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RemotingCommandCodec;
import io.vertx.core.buffer.Buffer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** Remoting over plain JDK sockets, plaintext or TLS, for tests that need to see the bytes and the close. */
public final class RawRemoting {
    private RawRemoting() {
    }

    /** A TLS socket to 127.0.0.1:port that trusts any server certificate, handshaken. */
    public static SSLSocket tlsSocket(int port) throws Exception {
        return tlsSocket(port, null);
    }

    /** As {@link #tlsSocket(int)}, presenting a client certificate when {@code keyManagers} is not null. */
    public static SSLSocket tlsSocket(int port, KeyManager[] keyManagers) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    public static Socket plainSocket(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Writes {@code request} as one frame and reads one frame back. */
    public static RemotingCommand call(Socket socket, RemotingCommand request) throws IOException {
        write(socket, request);
        return read(socket);
    }

    public static void write(Socket socket, RemotingCommand request) throws IOException {
        socket.getOutputStream().write(RemotingCommandCodec.encode(request).getBytes());
        socket.getOutputStream().flush();
    }

    public static RemotingCommand read(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int length = in.readInt();
        byte[] frame = new byte[length];
        in.readFully(frame);
        return RemotingCommandCodec.decode(Buffer.buffer(frame));
    }

    /**
     * True when the server closed the connection: a read ends the stream (or the connection is reset) within the
     * socket's read timeout. Bytes the server sent before closing are skipped.
     */
    public static boolean closedByServer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // skip whatever came before the close
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
