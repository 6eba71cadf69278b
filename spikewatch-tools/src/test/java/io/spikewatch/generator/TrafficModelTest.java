package io.spikewatch.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class TrafficModelTest {
    static final Instant MONDAY = Instant.parse("2026-11-02T00:00:00Z");

    @Test
    void diurnalCurveHasItsTroughAtFourAndItsPeakAtSixteen() {
        assertThat(TrafficModel.diurnal(4)).isCloseTo(0.25, within(1e-12));
        assertThat(TrafficModel.diurnal(16)).isCloseTo(1.0, within(1e-12));
        double sum = 0;
        for (int m = 0; m < 1440; m++) sum += TrafficModel.diurnal(m / 60.0);
        assertThat(sum / 1440).isCloseTo(TrafficModel.DIURNAL_MEAN, within(1e-9));
    }

    @Test
    void weekendsRunAtSeventyPercent() {
        assertThat(TrafficModel.weekly(LocalDate.of(2026, 11, 2).toEpochDay())).isEqualTo(1.0); // Monday
        assertThat(TrafficModel.weekly(LocalDate.of(2026, 11, 6).toEpochDay())).isEqualTo(1.0); // Friday
        assertThat(TrafficModel.weekly(LocalDate.of(2026, 11, 7).toEpochDay())).isEqualTo(0.7); // Saturday
        assertThat(TrafficModel.weekly(LocalDate.of(2026, 11, 8).toEpochDay())).isEqualTo(0.7); // Sunday
        assertThat(TrafficModel.weekly(LocalDate.of(1969, 12, 28).toEpochDay())).isEqualTo(0.7); // Sunday before epoch
    }

    @Test
    void eachCountryFollowsItsLocalTime() {
        CountryCatalog catalog = new CountryCatalog("US");
        double[] share = new double[catalog.size()];
        share[0] = 0.5;
        int japan = indexOf(catalog, "JP");
        share[japan] = 0.5;
        TrafficModel model = new TrafficModel(catalog, share, 625);
        assertThat(model.peakLegitPerMinute()).isCloseTo(1000, within(1e-9));
        // US at UTC-5: 04:00 local = 09:00 UTC; the rate of the minute is taken at its middle.
        long usTrough = MONDAY.plusSeconds(9 * 3600 - 30).toEpochMilli();
        assertThat(model.legitRate(0, usTrough)).isCloseTo(500 * 0.25, within(1e-6));
        long usPeak = MONDAY.plusSeconds(21 * 3600 - 30).toEpochMilli();
        assertThat(model.legitRate(0, usPeak)).isCloseTo(500, within(1e-6));
        // Japan at UTC+9: 16:00 local = 07:00 UTC, while the US is near its trough.
        long jpPeak = MONDAY.plusSeconds(7 * 3600 - 30).toEpochMilli();
        assertThat(model.legitRate(japan, jpPeak)).isCloseTo(500, within(1e-6));
        // Saturday 16:00 in the US.
        long saturday = Instant.parse("2026-11-07T21:00:00Z").minusSeconds(30).toEpochMilli();
        assertThat(model.legitRate(0, saturday)).isCloseTo(350, within(1e-6));
        assertThat(model.legitRate(indexOf(catalog, "DE"), usPeak)).isZero();
    }

    @Test
    void homeCountryComesFirstAndIsNotForeign() {
        CountryCatalog de = new CountryCatalog("DE");
        assertThat(de.get(0).code()).isEqualTo("DE");
        assertThat(de.size()).isEqualTo(CountryCatalog.FOREIGN_COUNTRIES + 1);
        assertThat(de.countries().stream().filter(c -> c.code().equals("DE")).count()).isEqualTo(1);
        assertThat(de.foreignWeights()[0]).isZero();
        CountryCatalog unknown = new CountryCatalog("LU");
        assertThat(unknown.get(0).code()).isEqualTo("LU");
        assertThat(unknown.get(0).utcOffsetHours()).isZero();
    }

    static int indexOf(CountryCatalog catalog, String code) {
        for (int i = 0; i < catalog.size(); i++) if (catalog.get(i).code().equals(code)) return i;
        throw new AssertionError(code);
    }
}
