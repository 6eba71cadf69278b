package io.spikewatch.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A loopback port nobody listens on, for tests of unreachable endpoints (connection refused). */
public final class ClosedPort {
    private ClosedPort() {}

    /** A port the OS just handed out and that was closed again: free, so a connection is refused. */
    public static int find() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** {@code http://127.0.0.1:PORT} with such a port. */
    public static String url() throws IOException {
        return "http://127.0.0.1:" + find();
    }
}
