package io.spikewatch.loader;

import io.spikewatch.loader.LogRecordPacker.Format;
import io.spikewatch.loader.LogRecordPacker.Packed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Batching and retries of the loader against a tracking fake of the SDK client. */
class KinesisLoaderTest {

    /**
     * Records every PutRecords call; {@code failure} decides per (call number, entry) whether that
     * entry fails, and {@code callFailure} may throw for a whole call.
     */
    static final class TrackingKinesisClient implements KinesisClient {
        final List<List<PutRecordsRequestEntry>> calls = new ArrayList<>();
        final List<String> accepted = new ArrayList<>();
        BiFunction<Integer, String, String> failure = (call, data) -> null;
        java.util.function.IntConsumer callFailure = call -> {};

        @Override
        public PutRecordsResponse putRecords(PutRecordsRequest request) {
            int call = calls.size();
            calls.add(request.records());
            callFailure.accept(call);
            List<PutRecordsResultEntry> results = new ArrayList<>();
            int failed = 0;
            for (PutRecordsRequestEntry e : request.records()) {
                String data = e.data().asUtf8String();
                String error = failure.apply(call, data);
                if (error != null) {
                    failed++;
                    results.add(PutRecordsResultEntry.builder().errorCode(error).errorMessage("fake " + error).build());
                } else {
                    accepted.add(data);
                    results.add(PutRecordsResultEntry.builder().shardId("shardId-000000000000")
                            .sequenceNumber(Integer.toString(accepted.size())).build());
                }
            }
            return PutRecordsResponse.builder().failedRecordCount(failed).records(results).build();
        }

        @Override
        public String serviceName() {
            return "kinesis";
        }

        @Override
        public void close() {}
    }

    private final TrackingKinesisClient client = new TrackingKinesisClient();
    private final List<Duration> sleeps = new ArrayList<>();

    private KinesisLoader loader(int maxAttempts) {
        return new KinesisLoader(client, "test-stream", maxAttempts, sleeps::add, new Random(3), null);
    }

    private static Packed record(String text) {
        return new Packed(text.getBytes(StandardCharsets.UTF_8), "k", 1);
    }

    @Test
    void batchesHoldAtMost500Records() throws Exception {
        KinesisLoader loader = loader(3);
        for (int i = 0; i < 1234; i++) loader.add(record("r" + i));
        loader.flush();

        assertThat(client.calls).extracting(List::size).containsExactly(500, 500, 234);
        assertThat(client.accepted).hasSize(1234).doesNotHaveDuplicates();
        assertThat(client.accepted.get(0)).isEqualTo("r0");
        assertThat(client.accepted.get(1233)).isEqualTo("r1233");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void batchesHoldAtMostFiveMebibytesIncludingPartitionKeys() throws Exception {
        KinesisLoader loader = loader(3);
        String body = "x".repeat(700 * 1024);
        for (int i = 0; i < 20; i++) loader.add(record(i + body));
        loader.flush();

        assertThat(client.calls).hasSizeGreaterThan(2);
        for (List<PutRecordsRequestEntry> call : client.calls) {
            long bytes = call.stream().mapToLong(e -> e.data().asByteArrayUnsafe().length
                    + e.partitionKey().getBytes(StandardCharsets.UTF_8).length).sum();
            assertThat(bytes).isLessThanOrEqualTo(KinesisLoader.MAX_BATCH_BYTES);
        }
        // 7 records of 700 KiB fit in 5 MiB, an 8th does not.
        assertThat(client.calls.get(0)).hasSize(7);
        assertThat(client.accepted).hasSize(20).doesNotHaveDuplicates();
    }

    @Test
    void failedEntriesOfAPartialFailureAreResentUntilAccepted() throws Exception {
        // First call: every third entry throttled; second call: one of those fails again.
        client.failure = (call, data) -> {
            int n = Integer.parseInt(data.substring(1));
            if (call == 0 && n % 3 == 0) return "ProvisionedThroughputExceededException";
            if (call == 1 && n == 3) return "InternalFailure";
            return null;
        };
        KinesisLoader loader = loader(5);
        for (int i = 0; i < 30; i++) loader.add(record("r" + i));
        loader.flush();

        assertThat(client.calls).extracting(List::size).containsExactly(30, 10, 1);
        List<String> sorted = new ArrayList<>(client.accepted);
        Collections.sort(sorted);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) expected.add("r" + i);
        Collections.sort(expected);
        assertThat(sorted).as("every record exactly once").isEqualTo(expected);
        assertThat(client.calls.get(2).get(0).data().asUtf8String()).isEqualTo("r3");
        // Backoff grows: attempt 1 waits within [50, 100] ms, attempt 2 within [100, 200] ms.
        assertThat(sleeps).hasSize(2);
        assertThat(sleeps.get(0).toMillis()).isBetween(50L, 100L);
        assertThat(sleeps.get(1).toMillis()).isBetween(100L, 200L);
    }

    @Test
    void summaryCountsRetriesRecordsLinesAndBytes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("waf.log");
        Files.writeString(file, "a\nbb\nccc\n");
        client.failure = (call, data) -> call == 0 && data.equals("bb") ? "ProvisionedThroughputExceededException" : null;

        KinesisLoader.Summary s = loader(3).load(List.of(file), Format.LINES, 1, null);

        assertThat(s.records()).isEqualTo(3);
        assertThat(s.lines()).isEqualTo(3);
        assertThat(s.bytes()).isEqualTo(6);
        assertThat(s.retries()).isEqualTo(1);
        assertThat(s.requests()).isEqualTo(2);
        assertThat(s.render()).contains("3 records", "3 lines", "1 entries retried");
    }

    @Test
    void entriesStillFailingAfterTheLastAttemptFailTheLoadNamingTheError() {
        client.failure = (call, data) -> data.equals("r1") ? "InternalFailure" : null;
        KinesisLoader loader = loader(4);

        assertThatThrownBy(() -> {
            for (int i = 0; i < 3; i++) loader.add(record("r" + i));
            loader.flush();
        }).isInstanceOf(IOException.class).hasMessageContaining("after 4 attempts").hasMessageContaining("InternalFailure");
        assertThat(client.calls).hasSize(4);
        assertThat(sleeps).hasSize(3);
        assertThat(client.accepted).containsExactly("r0", "r2");
    }

    @Test
    void aThrottledCallIsRetriedWhole() throws Exception {
        client.callFailure = call -> {
            if (call == 0) {
                throw ProvisionedThroughputExceededException.builder().statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                                .errorMessage("Rate exceeded").build())
                        .build();
            }
        };
        KinesisLoader loader = loader(3);
        loader.add(record("only"));
        loader.flush();

        assertThat(client.calls).hasSize(2);
        assertThat(client.accepted).containsExactly("only");
    }

    @Test
    void aMissingStreamIsAUserErrorAndNotRetried() {
        client.callFailure = call -> {
            throw ResourceNotFoundException.builder().statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException")
                            .errorMessage("Stream test-stream not found").build())
                    .build();
        };
        KinesisLoader loader = loader(5);

        assertThatThrownBy(() -> {
            loader.add(record("x"));
            loader.flush();
        }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--create-stream");
        assertThat(client.calls).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void filesAreReadInPathOrderPlainOrGzipSkippingHiddenOnes(@TempDir Path dir) throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs/2026/11/02"));
        Files.writeString(logs.resolve("b.log"), "b1\nb2\n");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(logs.resolve("a.log.gz")))) {
            gz.write("a1\na2\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(logs.resolve(".hidden"), "nope\n");
        Path single = dir.resolve("z.log");
        Files.writeString(single, "z1\r\nz2");

        KinesisLoader.Summary s = loader(2).load(List.of(dir.resolve("logs"), single), Format.LINES, 1, null);

        assertThat(client.accepted).containsExactly("a1", "a2", "b1", "b2", "z1", "z2");
        assertThat(s.lines()).isEqualTo(6);
    }

    @Test
    void missingInputIsAnError(@TempDir Path dir) {
        assertThatThrownBy(() -> loader(1).load(List.of(dir.resolve("nope")), Format.LINES, 1, null))
                .isInstanceOf(IOException.class).hasMessageContaining("input not found");
    }

    @Test
    void backoffIsCappedAndJittered() {
        Random r = new Random(9);
        Map<Integer, Long> seen = new HashMap<>();
        for (int attempt = 1; attempt <= 30; attempt++) {
            long ms = KinesisLoader.backoff(attempt, r).toMillis();
            assertThat(ms).isLessThanOrEqualTo(KinesisLoader.MAX_BACKOFF.toMillis());
            seen.put(attempt, ms);
        }
        assertThat(seen.get(30)).isGreaterThanOrEqualTo(KinesisLoader.MAX_BACKOFF.toMillis() / 2);
    }
}
