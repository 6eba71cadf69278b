package io.spikewatch.evaluation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NabSeriesTest {
    @TempDir
    Path dir;

    private static long t(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void readsRowsAsUtcAndMapsTimesToRows() throws Exception {
        Path csv = Files.writeString(dir.resolve("s.csv"),
                "timestamp,value\n2014-04-01 00:00:00,1.5\n2014-04-01 00:05:00,2\n2014-04-01 00:10:00,0\n");
        NabSeries s = NabSeries.read(csv, "x/s.csv");
        assertThat(s.rows()).isEqualTo(3);
        assertThat(s.rowStart()[1]).isEqualTo(t("2014-04-01T00:05:00Z"));
        assertThat(s.rowEnd(2)).isEqualTo(t("2014-04-01T00:15:00Z"));
        assertThat(s.rowAt(t("2014-04-01T00:04:59.999Z"))).isZero();
        assertThat(s.rowAt(t("2014-04-01T00:05:00Z"))).isEqualTo(1);
        assertThat(s.rowAt(t("2014-04-01T00:14:59Z"))).isEqualTo(2);
        assertThat(s.rowAt(t("2014-04-01T00:15:00Z"))).isEqualTo(-1);
        assertThat(s.rowAt(t("2014-03-31T23:59:59Z"))).isEqualTo(-1);
        assertThat(s.requestCounts(1)).containsExactly(2, 2, 0);
        assertThat(s.requestCounts(10)).containsExactly(15, 20, 0);
    }

    @Test
    void autoScaleKeepsCountsAndScalesBytesAndFractions() {
        assertThat(NabSeries.autoScale(new double[] {5, 20, 4000})).isEqualTo(1.0);
        assertThat(NabSeries.autoScale(new double[] {10_000, 20_000, 30_000})).isEqualTo(100.0 / 20_000);
        assertThat(NabSeries.autoScale(new double[] {0.2, 0.5, 0.8})).isEqualTo(200.0);
        // Median 0: the median of the non-zero values becomes 100.
        assertThat(NabSeries.autoScale(new double[] {0, 0, 0, 0.5, 2})).isEqualTo(100.0 / 1.25);
        assertThat(NabSeries.autoScale(new double[] {0, 0, 0})).isEqualTo(1.0);
    }

    @Test
    void labelsBecomeRowWindows() throws Exception {
        Path json = Files.writeString(dir.resolve("combined_windows.json"),
                "{\"x/s.csv\": [[\"2014-04-01 00:05:00.000000\", \"2014-04-01 00:10:00.000000\"]], \"y.csv\": []}");
        Map<String, List<long[]>> labels = NabSeries.readLabels(json);
        assertThat(labels).containsOnlyKeys("x/s.csv", "y.csv");
        long[] rows = {t("2014-04-01T00:00:00Z"), t("2014-04-01T00:05:00Z"), t("2014-04-01T00:10:00Z"), t("2014-04-01T00:15:00Z")};
        NabSeries s = new NabSeries("x/s.csv", rows, new double[4]);
        assertThat(s.windows(labels.get("x/s.csv"))).containsExactly(new NabScorer.Window(1, 2));
    }

    @Test
    void badFilesAreClearErrors() throws Exception {
        Path noHeader = Files.writeString(dir.resolve("a.csv"), "2014-04-01 00:00:00,1\n");
        assertThatThrownBy(() -> NabSeries.read(noHeader, "a.csv")).hasMessageContaining("timestamp,value");
        Path badRow = Files.writeString(dir.resolve("b.csv"), "timestamp,value\n2014-04-01 00:00:00,1\nyesterday,2\n");
        assertThatThrownBy(() -> NabSeries.read(badRow, "b.csv")).hasMessageContaining("line 3");
        Path backwards = Files.writeString(dir.resolve("c.csv"),
                "timestamp,value\n2014-04-01 00:05:00,1\n2014-04-01 00:00:00,2\n");
        assertThatThrownBy(() -> NabSeries.read(backwards, "c.csv")).hasMessageContaining("increase");
        Path badJson = Files.writeString(dir.resolve("w.json"), "{\"a.csv\": [[\"soon\", \"later\"]]}");
        assertThatThrownBy(() -> NabSeries.readLabels(badJson)).hasMessageContaining("bad window time");
    }
}
