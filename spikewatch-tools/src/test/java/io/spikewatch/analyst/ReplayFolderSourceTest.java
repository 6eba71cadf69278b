package io.spikewatch.analyst;

import io.spikewatch.records.AlertDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayFolderSourceTest {
    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    @Test
    void keepsTheLastLineOfEachIncidentAndSelectsByOverlap(@TempDir Path dir) throws Exception {
        AlertDocument open = OutputFixture.alert("a1", "ip", "192.0.2.1", "requests", "low", T0, T0, 10, 0);
        AlertDocument resolved = OutputFixture.alert("a1", "ip", "192.0.2.1", "requests", "high", T0, T0.plusSeconds(600), 900, 0);
        AlertDocument later = OutputFixture.alert("a2", "country", "CN", "requests", "low", T0.plusSeconds(7200),
                T0.plusSeconds(7260), 10, 0);
        new OutputFixture().alert(open).alert(resolved).alert(later).writeTo(dir);
        Files.writeString(dir.resolve("alerts.jsonl"), Files.readString(dir.resolve("alerts.jsonl")) + "not json\n[1]\n");
        ReplayFolderSource source = new ReplayFolderSource(dir);

        List<AlertRow> rows = new ArrayList<>();
        // Starts after a1 opened but before it resolved: a1 overlaps, a2 starts later.
        source.scan(DocumentFilter.of(OutputKind.ALERTS, T0.plusSeconds(300), T0.plusSeconds(3600)), r -> rows.add((AlertRow) r));
        assertThat(rows).extracting(AlertRow::id).containsExactly("a1");
        assertThat(rows.get(0).severity()).isEqualTo("high");
        assertThat(rows.get(0).evidence().requests()).isEqualTo(900);
        assertThat(source.skippedLines()).isEqualTo(2);
        assertThat(source.referenceTime()).isEqualTo(T0.plusSeconds(7260));
    }

    @Test
    void ratesAreSelectedByWindowStartAndDimension(@TempDir Path dir) throws Exception {
        new OutputFixture()
                .rate("aws.waf", "scope", "all", T0.minusSeconds(60), 1, 0, 0, 0)
                .rate("aws.waf", "scope", "all", T0, 2, 0, 0, 0)
                .rate("aws.waf", "ip", "192.0.2.1", T0, 4, 0, 0, 0)
                .rate("aws.waf", "scope", "all", T0.plusSeconds(3600), 8, 0, 0, 0)
                .writeTo(dir);
        long[] sum = {0};
        new ReplayFolderSource(dir).scan(DocumentFilter.of(OutputKind.RATES, T0, T0.plusSeconds(3600), "scope"),
                r -> sum[0] += ((RateRow) r).total());
        assertThat(sum[0]).isEqualTo(2);
    }

    @Test
    void aFolderWithoutOutputsIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> new ReplayFolderSource(dir)).hasMessageContaining("holds none of rates.jsonl");
        assertThatThrownBy(() -> new ReplayFolderSource(dir.resolve("missing"))).hasMessageContaining("is not a folder");
    }

    @Test
    void theOpenSearchQuerySaysWhatMatchesDoes() {
        DocumentFilter alerts = DocumentFilter.of(OutputKind.ALERTS, T0, T0.plusSeconds(60), "ip");
        assertThat(alerts.query().toString()).isEqualTo("{\"bool\":{\"filter\":["
                + "{\"range\":{\"first_seen\":{\"lt\":" + T0.plusSeconds(60).toEpochMilli() + ",\"format\":\"epoch_millis\"}}},"
                + "{\"range\":{\"last_seen\":{\"gte\":" + T0.toEpochMilli() + ",\"format\":\"epoch_millis\"}}},"
                + "{\"terms\":{\"dimension\":[\"ip\"]}}]}}");
        assertThat(DocumentFilter.of(OutputKind.RATES, T0, T0.plusSeconds(60)).query().toString()).isEqualTo(
                "{\"bool\":{\"filter\":[{\"range\":{\"@timestamp\":{\"gte\":" + T0.toEpochMilli()
                        + ",\"format\":\"epoch_millis\",\"lt\":" + T0.plusSeconds(60).toEpochMilli() + "}}}]}}");
    }
}
