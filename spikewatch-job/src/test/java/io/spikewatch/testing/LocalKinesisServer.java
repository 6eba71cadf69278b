package io.spikewatch.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The real local Kinesis (kinesis-local, see deploy/local/kinesis.sh) for integration tests: reused
 * when one already answers on {@code SPIKEWATCH_KINESIS_PORT} (default 4568), else started with the
 * script and stopped again by {@link #close()}. Its first start installs the npm package, so allow
 * for a download.
 *
 * <p>Also sets the AWS SDK's system-property credentials (v2 and the legacy connector's v1 names)
 * to dummy values unless credentials are already set: the server accepts any signature, but the
 * SDKs refuse to send unsigned requests.
 */
public final class LocalKinesisServer implements AutoCloseable {
    private static final Path SCRIPT = Path.of("deploy/local/kinesis.sh");

    private final boolean startedHere;

    private LocalKinesisServer(boolean startedHere) {
        this.startedHere = startedHere;
    }

    public static LocalKinesisServer startOrReuse() throws IOException, InterruptedException {
        if (System.getProperty("aws.accessKeyId") == null && System.getenv("AWS_ACCESS_KEY_ID") == null) {
            System.setProperty("aws.accessKeyId", "local");
            System.setProperty("aws.secretAccessKey", "local");
            System.setProperty("aws.secretKey", "local");
        }
        if (run("status", 30).exit == 0) return new LocalKinesisServer(false);
        Result start = run("start", 300);
        if (start.exit != 0) {
            throw new IllegalStateException("deploy/local/kinesis.sh start failed (exit " + start.exit + "):\n" + start.output);
        }
        return new LocalKinesisServer(true);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + System.getenv().getOrDefault("SPIKEWATCH_KINESIS_PORT", "4568");
    }

    public String region() {
        return "us-east-1";
    }

    public boolean startedHere() {
        return startedHere;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (startedHere) run("stop", 60);
    }

    private record Result(int exit, String output) {}

    private static Result run(String command, int timeoutSeconds) throws IOException, InterruptedException {
        if (!Files.isExecutable(SCRIPT)) throw new IllegalStateException(SCRIPT.toAbsolutePath() + " is missing or not executable");
        Path log = Files.createTempFile("kinesis-sh-", ".log");
        try {
            Process p = new ProcessBuilder("bash", SCRIPT.toString(), command)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("deploy/local/kinesis.sh " + command + " took more than " + timeoutSeconds + "s");
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
