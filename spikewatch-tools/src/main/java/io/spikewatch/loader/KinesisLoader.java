package io.spikewatch.loader;

import io.spikewatch.connectors.kinesis.KinesisSettings;

import io.spikewatch.connectors.AwsAuth;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.kinesis.model.CreateStreamRequest;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Sends log files to a Kinesis stream the way AWS delivers them, for local runs, demos and tests:
 * lines are packed by {@link LogRecordPacker} (one line per record, gzip batches, or CloudWatch
 * Logs subscription envelopes) and sent with PutRecords in batches of at most 500 records and 5 MiB.
 *
 * <p>PutRecords is not atomic: some entries of a successful call can fail (throttling, internal
 * errors). Those entries, and whole calls that fail after the SDK's own retries, are sent again
 * with exponential backoff and jitter, up to {@code maxAttempts} per batch; then the load fails
 * naming the error. Retried entries land after the rest of their batch, which only reorders events
 * within a batch; the job orders by event time. A missing stream or an invalid request is not
 * retried.
 *
 * <p>Credentials come from the AWS default chain or a named profile ({@link AwsAuth}); they are
 * never arguments and never printed.
 */
public final class KinesisLoader implements AutoCloseable {
    public static final int MAX_BATCH_RECORDS = 500;
    public static final int MAX_BATCH_BYTES = 5 * 1024 * 1024;
    static final Duration BASE_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    /** Waits between attempts; replaced in tests. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** What a load sent. {@code retries} counts entries sent again after a failure. */
    public record Summary(long records, long lines, long bytes, long retries, long requests, long skippedLines,
                          Duration elapsed) {
        public String render() {
            double s = Math.max(elapsed.toMillis() / 1000.0, 0.001);
            return String.format("sent %,d records (%,d lines, %,d bytes) in %,d PutRecords calls, %,d entries retried, "
                            + "%,d oversized lines skipped, %.1fs (%,.0f lines/s)",
                    records, lines, bytes, requests, retries, skippedLines, s, lines / s);
        }
    }

    private final KinesisClient client;
    private final String stream;
    private final int maxAttempts;
    private final Sleeper sleeper;
    private final Random random;
    private final Consumer<String> progress;

    private final List<LogRecordPacker.Packed> batch = new ArrayList<>();
    private int batchBytes;
    private long records;
    private long lines;
    private long bytes;
    private long retries;
    private long requests;
    private long lastProgress;

    /**
     * @param stream   stream name or ARN
     * @param progress receives a progress line every few seconds, or null
     */
    public KinesisLoader(KinesisClient client, String stream, int maxAttempts, Sleeper sleeper, Random random,
                         Consumer<String> progress) {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
        this.client = client;
        this.stream = stream;
        this.maxAttempts = maxAttempts;
        this.sleeper = sleeper;
        this.random = random;
        this.progress = progress;
    }

    /** Sends every line of {@code inputs} (files or directories, path order) packed as {@code format}. */
    public Summary load(List<Path> inputs, LogRecordPacker.Format format, int batchLines,
                        LogRecordPacker.CloudWatchMeta meta) throws IOException, InterruptedException {
        long started = System.nanoTime();
        lastProgress = started;
        List<Path> files = LogFiles.list(inputs);
        if (files.isEmpty()) throw new IOException("no input files under " + inputs);
        LogRecordPacker packer = new LogRecordPacker(format, batchLines, meta, random, this::add);
        for (Path file : files) {
            LogFiles.forEachLine(file, packer::add);
        }
        packer.finish();
        flush();
        return summary(packer.skippedLines(), Duration.ofNanos(System.nanoTime() - started));
    }

    /** What this loader has sent so far; {@code skippedLines} and {@code elapsed} come from the caller. */
    public Summary summary(long skippedLines, Duration elapsed) {
        return new Summary(records, lines, bytes, retries, requests, skippedLines, elapsed);
    }

    /** Queues one record, sending the batch first when the record would not fit in it. */
    public void add(LogRecordPacker.Packed record) throws IOException {
        int size = record.size();
        if (!batch.isEmpty() && (batch.size() >= MAX_BATCH_RECORDS || batchBytes + size > MAX_BATCH_BYTES)) {
            sendBatch();
        }
        batch.add(record);
        batchBytes += size;
    }

    /** Sends what is queued. */
    public void flush() throws IOException {
        if (!batch.isEmpty()) sendBatch();
    }

    private void sendBatch() throws IOException {
        List<LogRecordPacker.Packed> pending = new ArrayList<>(batch);
        batch.clear();
        batchBytes = 0;
        try {
            send(pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending to " + stream, e);
        }
        reportProgress();
    }

    /** Sends one batch, re-sending failed entries until all are in or the attempts run out. */
    void send(List<LogRecordPacker.Packed> batchToSend) throws IOException, InterruptedException {
        List<LogRecordPacker.Packed> pending = batchToSend;
        for (int attempt = 1; ; attempt++) {
            PutRecordsResponse response;
            String failure;
            List<LogRecordPacker.Packed> failed;
            try {
                requests++;
                response = client.putRecords(request(pending));
                failed = new ArrayList<>();
                Map<String, Integer> errors = new LinkedHashMap<>();
                List<PutRecordsResultEntry> results = response.records();
                if (results.size() != pending.size()) {
                    throw new IOException("PutRecords answered " + results.size() + " results for " + pending.size() + " records");
                }
                for (int i = 0; i < pending.size(); i++) {
                    PutRecordsResultEntry r = results.get(i);
                    if (r.errorCode() != null) {
                        failed.add(pending.get(i));
                        errors.merge(r.errorCode(), 1, Integer::sum);
                    } else {
                        accepted(pending.get(i));
                    }
                }
                if (failed.isEmpty()) return;
                failure = failed.size() + " of " + pending.size() + " entries failed " + errors;
            } catch (ResourceNotFoundException e) {
                throw new IllegalArgumentException("stream " + stream + " not found"
                        + " (create it with --create-stream --shards N): " + e.awsErrorDetails().errorMessage(), e);
            } catch (AwsServiceException e) {
                if (!retryable(e)) {
                    throw new IOException("PutRecords to " + stream + " rejected: " + e.getMessage(), e);
                }
                failed = pending;
                failure = "PutRecords failed: " + e.getMessage();
            } catch (SdkClientException e) {
                failed = pending;
                failure = "PutRecords failed: " + e.getMessage();
            }
            if (attempt >= maxAttempts) {
                throw new IOException("gave up on " + failed.size() + " records to " + stream + " after "
                        + attempt + " attempts; last: " + failure);
            }
            retries += failed.size();
            sleeper.sleep(backoff(attempt, random));
            pending = failed;
        }
    }

    private void accepted(LogRecordPacker.Packed p) {
        records++;
        lines += p.lines();
        bytes += p.data().length;
    }

    private PutRecordsRequest request(List<LogRecordPacker.Packed> entries) {
        List<PutRecordsRequestEntry> list = new ArrayList<>(entries.size());
        for (LogRecordPacker.Packed p : entries) {
            list.add(PutRecordsRequestEntry.builder()
                    .data(SdkBytes.fromByteArrayUnsafe(p.data()))
                    .partitionKey(p.partitionKey())
                    .build());
        }
        PutRecordsRequest.Builder b = PutRecordsRequest.builder().records(list);
        return (isArn(stream) ? b.streamARN(stream) : b.streamName(stream)).build();
    }

    /** Throttling and server errors are worth another try; other 4xx answers will not change. */
    static boolean retryable(AwsServiceException e) {
        return e.isThrottlingException() || e.statusCode() >= 500 || e.statusCode() == 0;
    }

    /** Exponential backoff with equal jitter: half fixed, half random, capped at {@link #MAX_BACKOFF}. */
    static Duration backoff(int attempt, Random random) {
        long cap = Math.min(MAX_BACKOFF.toMillis(), BASE_BACKOFF.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(cap / 2 + (long) (random.nextDouble() * (cap / 2.0)));
    }

    private void reportProgress() {
        if (progress == null) return;
        long now = System.nanoTime();
        if (now - lastProgress < PROGRESS_EVERY.toNanos()) return;
        lastProgress = now;
        progress.accept(String.format("%,d records (%,d lines, %,d bytes) sent, %,d entries retried",
                records, lines, bytes, retries));
    }

    static boolean isArn(String stream) {
        return stream.startsWith("arn:");
    }

    // ---- stream administration (local use) ------------------------------------------------

    /**
     * Creates a provisioned stream with {@code shards} shards (or finds it when it exists), waits
     * until it is ACTIVE and returns its ARN.
     */
    public static String createStream(KinesisClient client, String name, int shards, Duration timeout,
                                      Sleeper sleeper) throws IOException, InterruptedException {
        if (shards < 1) throw new IllegalArgumentException("--shards must be >= 1, got " + shards);
        try {
            client.createStream(CreateStreamRequest.builder().streamName(name).shardCount(shards).build());
        } catch (ResourceInUseException exists) {
            // Already there (a previous run): use it as it is.
        }
        return awaitActive(client, name, timeout, sleeper);
    }

    /** Polls DescribeStreamSummary until the stream is ACTIVE; returns its ARN. */
    public static String awaitActive(KinesisClient client, String name, Duration timeout, Sleeper sleeper)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            StreamDescriptionSummary s = client.describeStreamSummary(
                    DescribeStreamSummaryRequest.builder().streamName(name).build()).streamDescriptionSummary();
            if (s.streamStatus() == StreamStatus.ACTIVE) return s.streamARN();
            if (System.nanoTime() > deadline) {
                throw new IOException("stream " + name + " is still " + s.streamStatusAsString() + " after " + timeout.toSeconds() + "s");
            }
            sleeper.sleep(Duration.ofMillis(200));
        }
    }

    // ---- client ----------------------------------------------------------------------------

    /**
     * A synchronous Kinesis client. {@code endpoint} (e.g. http://127.0.0.1:4568) may be null for
     * AWS; {@code region} may be null to use the SDK's region chain (us-east-1 with an endpoint).
     * Fails early, with a message a user can act on, when no credentials can be found.
     */
    public static KinesisClient client(String endpoint, String region, AwsAuth credentials) {
        AwsCredentialsProvider provider = credentials.provider();
        try {
            provider.resolveCredentials();
        } catch (SdkException e) {
            String hint = endpoint != null
                    ? " For the local server any keys work: export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local"
                    : "";
            String where = credentials.profile() != null
                    ? "none in " + credentials.describe()
                    : "none in the AWS default chain (environment, system properties, profile, container or instance role)";
            throw new IllegalArgumentException("no AWS credentials found: " + where + "." + hint, e);
        }
        KinesisClientBuilder b = KinesisClient.builder()
                .httpClientBuilder(ApacheHttpClient.builder())
                .credentialsProvider(provider);
        if (endpoint != null) {
            b.endpointOverride(URI.create(KinesisSettings.endpoint("--endpoint", endpoint)));
        }
        if (region != null) {
            b.region(Region.of(region));
        } else if (endpoint != null) {
            b.region(Region.US_EAST_1);
        }
        return b.build();
    }

    @Override
    public void close() {
        client.close();
    }
}
