package io.spikewatch.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;

/**
 * JUnit 5 extension for tests that need the real local OpenSearch node
 * ({@code deploy/local/opensearch.sh}). A node already healthy on the port is reused and left
 * running; otherwise the script starts one, once per test run (shared by every test class that
 * uses this extension), and it is stopped when the run ends.
 */
public final class LocalOpenSearch implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LocalOpenSearch.class);

    public static int port() {
        String p = System.getenv("SPIKEWATCH_OPENSEARCH_PORT");
        return p == null || p.isBlank() ? 9200 : Integer.parseInt(p.trim());
    }

    public static String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NS).getOrComputeIfAbsent("node", k -> Node.startOrReuse(), Node.class);
    }

    static final class Node implements ExtensionContext.Store.CloseableResource {
        private final boolean startedHere;

        private Node(boolean startedHere) {
            this.startedHere = startedHere;
        }

        static Node startOrReuse() {
            if (LocalStackScripts.status(url() + "/_cluster/health") == 200) return new Node(false);
            long t0 = System.nanoTime();
            // Generous: the first start builds the launcher, which downloads OpenSearch (~100 MB).
            LocalStackScripts.run("opensearch.sh", "start", Duration.ofMinutes(10));
            System.out.printf("local OpenSearch started in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            return new Node(true);
        }

        @Override
        public void close() {
            if (startedHere) LocalStackScripts.run("opensearch.sh", "stop", Duration.ofMinutes(1));
        }
    }
}
