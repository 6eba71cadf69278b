package io.spikewatch.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs the {@code deploy/local/*.sh} scripts from tests, with their output in the failure message. */
final class LocalStackScripts {
    private LocalStackScripts() {}

    /** The project directory (Maven runs tests there). */
    static Path repo() {
        return Path.of(System.getProperty("user.dir")).toAbsolutePath();
    }

    static String run(String script, String command, Duration timeout) {
        Path path = repo().resolve("deploy/local").resolve(script);
        ProcessBuilder pb = new ProcessBuilder("bash", path.toString(), command).redirectErrorStream(true);
        try {
            Process p = pb.start();
            // Drain output on another thread so a chatty script cannot block on a full pipe.
            StringBuilder out = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process died; its exit code tells
                }
            });
            reader.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(script + " " + command + " did not finish within " + timeout);
            }
            reader.join(5_000);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(script + " " + command + " failed (exit " + p.exitValue() + "):\n" + out);
            }
            return out.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int status(String url) {
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                    .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                            HttpResponse.BodyHandlers.ofString());
            return r.statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
