package io.spikewatch.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local SNS/SQS server (fauxqs) for integration tests, through {@code deploy/local/sns.sh}: a
 * server already answering on the port is reused (and left running); otherwise the script installs
 * and starts one, and {@link #close()} stops it again. Port: {@code SPIKEWATCH_SNS_PORT}, default 4566.
 */
public final class LocalSnsServer implements AutoCloseable {
    private static final Path SCRIPT = Path.of("deploy", "local", "sns.sh");
    public final URI endpoint;
    private final boolean startedHere;

    private LocalSnsServer(URI endpoint, boolean startedHere) {
        this.endpoint = endpoint;
        this.startedHere = startedHere;
    }

    public static LocalSnsServer ensureRunning() throws IOException, InterruptedException {
        String port = System.getenv().getOrDefault("SPIKEWATCH_SNS_PORT", "4566");
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        if (healthy(endpoint)) return new LocalSnsServer(endpoint, false);
        run("start", Duration.ofMinutes(3));
        if (!healthy(endpoint)) throw new IllegalStateException("deploy/local/sns.sh start returned, but " + endpoint + " does not answer");
        return new LocalSnsServer(endpoint, true);
    }

    static boolean healthy(URI endpoint) {
        try {
            HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                    HttpRequest.newBuilder(endpoint.resolve("/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void run(String command, Duration timeout) throws IOException, InterruptedException {
        if (!Files.isExecutable(SCRIPT)) throw new IllegalStateException(SCRIPT.toAbsolutePath() + " is missing or not executable");
        Path log = Files.createTempFile("sns-sh-", ".log");
        Process p = new ProcessBuilder(List.of("bash", SCRIPT.toString(), command))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        if (!done) {
            p.destroyForcibly();
            throw new IllegalStateException("sns.sh " + command + " did not finish within " + timeout + ":\n" + output);
        }
        if (p.exitValue() != 0) throw new IllegalStateException("sns.sh " + command + " failed (" + p.exitValue() + "):\n" + output);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (startedHere) run("stop", Duration.ofSeconds(30));
    }
}
