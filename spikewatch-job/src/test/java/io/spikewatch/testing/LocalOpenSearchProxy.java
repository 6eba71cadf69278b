package io.spikewatch.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * JUnit 5 extension for the TLS + basic-auth proxy ({@code deploy/local/opensearch-proxy.sh}) in
 * front of the local node; register it after {@link LocalOpenSearch}. Reuses a running proxy,
 * otherwise starts one for the test run and stops it at the end.
 */
public final class LocalOpenSearchProxy implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LocalOpenSearchProxy.class);
    public static final String USER = "spikewatch";

    public static int port() {
        String p = System.getenv("SPIKEWATCH_OPENSEARCH_PROXY_PORT");
        return p == null || p.isBlank() ? 9443 : Integer.parseInt(p.trim());
    }

    public static String url() {
        return "https://127.0.0.1:" + port();
    }

    public static Path caCert() {
        return LocalStackScripts.repo().resolve(".local-stack/tls/ca.crt");
    }

    public static Path passwordFile() {
        return LocalStackScripts.repo().resolve(".local-stack/opensearch-proxy.password");
    }

    public static String password() {
        try {
            return Files.readString(passwordFile()).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NS).getOrComputeIfAbsent("proxy", k -> Proxy.startOrReuse(), Proxy.class);
    }

    static final class Proxy implements ExtensionContext.Store.CloseableResource {
        private final boolean startedHere;

        private Proxy(boolean startedHere) {
            this.startedHere = startedHere;
        }

        static Proxy startOrReuse() {
            String status;
            try {
                status = LocalStackScripts.run("opensearch-proxy.sh", "status", Duration.ofSeconds(30));
            } catch (IllegalStateException notRunning) {
                status = "";
            }
            if (status.contains("upstream answers")) return new Proxy(false);
            // May install nginx from Debian's packages the first time.
            LocalStackScripts.run("opensearch-proxy.sh", "start", Duration.ofMinutes(5));
            return new Proxy(true);
        }

        @Override
        public void close() {
            if (startedHere) LocalStackScripts.run("opensearch-proxy.sh", "stop", Duration.ofMinutes(1));
        }
    }
}
