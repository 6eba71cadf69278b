package io.spikewatch.loader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class LogLineCursorTest {
    private static final String WAF_1 = "{\"timestamp\":1762041600000,\"httpRequest\":{\"clientIp\":\"198.51.100.7\"}}";
    private static final String WAF_2 = "{\"timestamp\":1762041601500,\"httpRequest\":{\"clientIp\":\"198.51.100.7\"}}";
    private static final String ALB = "https 2025-11-02T00:00:02.000000Z app/shop/abc 198.51.100.7:443 - 0 0 0 200 200 0 0 \"GET / HTTP/1.1\"";

    @Test
    void readsFilesInPathOrderWithEachLinesEventTime(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.log"), WAF_1 + "\n\n   \n" + WAF_2 + "\n", StandardCharsets.UTF_8);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("b.log.gz")))) {
            out.write((ALB + "\nno time here\n").getBytes(StandardCharsets.UTF_8));
        }
        List<String> lines = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        try (LogLineCursor c = LogLineCursor.of(List.of(dir))) {
            while (c.hasNext()) {
                times.add(c.peekTime());
                lines.add(c.next());
            }
        }
        assertThat(lines).containsExactly(WAF_1, WAF_2, ALB, "no time here");
        long alb = java.time.Instant.parse("2025-11-02T00:00:02Z").toEpochMilli();
        // A line without a readable time travels with the line before it.
        assertThat(times).containsExactly(1762041600000L, 1762041601500L, alb, alb);
    }

    @Test
    void emptyCursorHasNoLines() throws Exception {
        assertThat(LogLineCursor.empty().hasNext()).isFalse();
    }
}
