package io.spikewatch.localstack;

import org.codelibs.opensearch.runner.OpenSearchRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Starts one real OpenSearch 2.19 node for local development and integration tests, bound to
 * 127.0.0.1 only, and keeps it running until the JVM is stopped (SIGTERM closes it cleanly).
 *
 * <p>Inputs: the base directory for data and logs (first argument, normally
 * {@code <repo>/.local-stack/opensearch}); the HTTP port from {@code SPIKEWATCH_OPENSEARCH_PORT}
 * (default 9200); the transport port from {@code SPIKEWATCH_OPENSEARCH_TRANSPORT_PORT} (default
 * HTTP port + 100). Run by {@code deploy/local/opensearch.sh}, which also waits for health.
 *
 * <p>Why these settings: every address is loopback, so the node is unreachable from other
 * machines and OpenSearch's production bootstrap checks do not apply. {@code discovery.type} is
 * left alone (the runner does not work with {@code single-node}); naming this node as the initial
 * cluster manager lets it elect itself at once instead of after the unconfigured-bootstrap delay.
 * Only the modules the job and its tests use are loaded, which keeps start-up time and memory low.
 */
public final class LocalOpenSearchNode {
    private static final String NODE_NAME = "spikewatch-local";
    /** HTTP transport plus what index templates, mappings and delete-by-query need. */
    private static final String DEFAULT_MODULES = String.join(",",
            "org.opensearch.transport.Netty4Plugin",
            "org.opensearch.analysis.common.CommonAnalysisPlugin",
            "org.opensearch.index.mapper.MapperExtrasPlugin",
            "org.opensearch.index.reindex.ReindexPlugin");

    private LocalOpenSearchNode() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: LocalOpenSearchNode <base-dir>");
            System.exit(2);
        }
        Path base = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(base);
        int httpPort = port("SPIKEWATCH_OPENSEARCH_PORT", 9200);
        int transportPort = port("SPIKEWATCH_OPENSEARCH_TRANSPORT_PORT", httpPort + 100);
        String modules = System.getenv().getOrDefault("SPIKEWATCH_OPENSEARCH_MODULES", DEFAULT_MODULES);

        OpenSearchRunner runner = new OpenSearchRunner();
        // The runner looks for a free port from baseHttpPort + 1 unless told not to; we want the
        // configured port or a clear bind failure, never a silently different port.
        runner.setMaxHttpPort(-1);
        runner.onBuild((index, settings) -> {
            settings.put("node.name", NODE_NAME);
            settings.put("network.host", "127.0.0.1");
            settings.put("http.host", "127.0.0.1");
            settings.put("transport.host", "127.0.0.1");
            settings.put("http.port", String.valueOf(httpPort));
            settings.put("transport.port", String.valueOf(transportPort));
            settings.putList("discovery.seed_hosts", "127.0.0.1:" + transportPort);
            settings.putList("cluster.initial_cluster_manager_nodes", NODE_NAME);
            // A shared dev disk filling up must not flip the test indices to read-only.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
        });
        runner.build(OpenSearchRunner.newConfigs()
                .basePath(base.toString())
                .numOfNode(1)
                .baseHttpPort(httpPort - 1)
                .clusterName("spikewatch-local")
                .moduleTypes(modules));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (Exception e) {
                System.err.println("closing the OpenSearch node failed: " + e);
            } finally {
                stopped.countDown();
            }
        }, "opensearch-shutdown"));
        System.out.println("opensearch: node started on http://127.0.0.1:" + httpPort);
        stopped.await();
    }

    private static int port(String env, int fallback) {
        String v = System.getenv(env);
        if (v == null || v.isBlank()) return fallback;
        try {
            int p = Integer.parseInt(v.trim());
            if (p < 1 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(env + " must be a TCP port (1-65535), got '" + v + "'");
        }
    }
}
