package io.spikewatch.loader;

import io.spikewatch.loader.KinesisLoaderTest.TrackingKinesisClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Pacing, ordering and injection of the streamer against the tracking fake of the SDK client. */
class PacedLogStreamerTest {
    private static final Duration TICK = Duration.ofMillis(20);

    private static String waf(long t) {
        return "{\"timestamp\":" + t + ",\"httpRequest\":{\"clientIp\":\"198.51.100.7\"}}";
    }

    private static PacedLogStreamer.Lane lane(String label, Path file, TrackingKinesisClient client) throws Exception {
        KinesisLoader loader = new KinesisLoader(client, label, 3, d -> {}, new Random(1), null);
        return new PacedLogStreamer.Lane(label, file == null ? LogLineCursor.empty() : LogLineCursor.of(List.of(file)),
                loader, LogRecordPacker.Format.LINES, 1, null, new Random(1));
    }

    @Test
    void sendsPastLinesInEventTimeOrderAndFutureLinesNotBeforeTheirTime(@TempDir Path dir) throws Exception {
        long now = System.currentTimeMillis();
        List<String> past = List.of(waf(now - 3_000), waf(now - 2_000), waf(now - 1_000));
        String future = waf(now + 300);
        Path file = dir.resolve("waf.log");
        Files.write(file, concat(past, future), StandardCharsets.UTF_8);
        TrackingKinesisClient client = new TrackingKinesisClient();
        try (PacedLogStreamer s = new PacedLogStreamer(List.of(lane("WAF", file, client)),
                new PacedClock(now - 3_000, now, 1_000), TICK, Duration.ofMinutes(1), null)) {
            PacedLogStreamer.Summary summary = s.streamAll();
            assertThat(summary.lines()).isEqualTo(4);
            assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(now + 300);
        }
        assertThat(client.accepted).containsExactlyElementsOf(concat(past, future));
        // The past caught up in the first round; the future line needed a later one.
        assertThat(client.calls.get(0)).hasSize(3);
        assertThat(client.calls).hasSizeGreaterThan(1);
    }

    @Test
    void injectedLinesAreMergedByEventTimeAndReportWhenAccepted(@TempDir Path dir) throws Exception {
        long now = System.currentTimeMillis();
        Path file = dir.resolve("waf.log");
        Files.write(file, List.of(waf(now - 3_000), waf(now - 1_000)), StandardCharsets.UTF_8);
        TrackingKinesisClient waf = new TrackingKinesisClient();
        TrackingKinesisClient alb = new TrackingKinesisClient();
        AtomicLong acceptedAt = new AtomicLong();
        AtomicInteger rounds = new AtomicInteger();
        try (PacedLogStreamer s = new PacedLogStreamer(List.of(lane("WAF", file, waf), lane("ALB", null, alb)),
                new PacedClock(now - 3_000, now, 1_000_000), TICK, Duration.ofMinutes(1), null)) {
            long before = System.nanoTime();
            s.inject(0, waf(now - 2_000), now - 2_000, acceptedAt::set);
            s.streamUntil(() -> rounds.getAndIncrement() == 1);
            assertThat(acceptedAt.get()).isGreaterThanOrEqualTo(before);
        }
        assertThat(waf.accepted).containsExactly(waf(now - 3_000), waf(now - 2_000), waf(now - 1_000));
        assertThat(alb.calls).isEmpty();
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }
}
