package io.spikewatch.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spikewatch.evaluation.TruthIncident;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScenarioAndPlanTest {

    @Test
    void scenariosHaveKebabCaseNames() {
        for (Scenario s : Scenario.values()) assertThat(Scenario.fromCliName(s.cliName())).isEqualTo(s);
        assertThat(Scenario.fromCliName(" IP-Flood ")).isEqualTo(Scenario.IP_FLOOD);
        assertThat(Scenario.COUNTRY_SURGE.cliName()).isEqualTo("country-surge");
        assertThatThrownBy(() -> Scenario.fromCliName("ddos"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ddos").hasMessageContaining("ip-flood, country-surge, scanner, flash-crowd, quiet-day, mixed");
    }

    @Test
    void optionsAreValidated() {
        GeneratorOptions d = GeneratorOptions.defaults(Scenario.MIXED, Path.of("out"));
        assertThat(d.start()).isEqualTo(Instant.parse("2026-11-02T00:00:00Z"));
        assertThat(d.duration()).isEqualTo(Duration.ofHours(24));
        assertThat(d.distinctIps()).isEqualTo(10_000);
        assertThat(d.meanRequestsPerSecond()).isEqualTo(20.0);
        assertThat(d.homeCountry()).isEqualTo("US");
        assertThat(d.seed()).isEqualTo(1);
        assertThatThrownBy(() -> d.withStart(Instant.parse("2026-11-02T00:00:30Z"))).hasMessageContaining("whole minute");
        assertThatThrownBy(() -> d.withDuration(Duration.ofMinutes(10))).hasMessageContaining("at least 30");
        assertThatThrownBy(() -> d.withDistinctIps(0)).hasMessageContaining("distinctIps");
        assertThatThrownBy(() -> d.withMeanRequestsPerSecond(0)).hasMessageContaining("meanRequestsPerSecond");
        assertThatThrownBy(() -> d.withHomeCountry("usa")).hasMessageContaining("homeCountry");
    }

    @Test
    void dayLongMixedRunPlacesFourSeparateIncidentsAfterTheWarmUp() {
        for (long seed = 1; seed <= 20; seed++) {
            List<TruthIncident> labels = plan(Scenario.MIXED, 24 * 60, seed);
            assertThat(labels).hasSize(4);
            assertThat(labels).extracting(TruthIncident::kind).doesNotHaveDuplicates();
            Instant start = GeneratorOptions.DEFAULT_START;
            for (int i = 0; i < labels.size(); i++) {
                TruthIncident t = labels.get(i);
                assertThat(t.start()).isAfterOrEqualTo(start.plus(Duration.ofHours(2)));
                assertThat(t.end()).isBeforeOrEqualTo(start.plus(Duration.ofHours(24)).minus(Duration.ofMinutes(5)));
                if (i > 0) assertThat(t.start()).as("seed %d", seed).isAfter(labels.get(i - 1).end());
                long minutes = Duration.between(t.start(), t.end()).toMinutes();
                switch (t.kind()) {
                    case "ip-flood" -> assertThat(minutes).isBetween(5L, 15L);
                    case "country-surge" -> assertThat(minutes).isBetween(10L, 30L);
                    case "scanner" -> assertThat(minutes).isBetween(60L, 180L);
                    case "flash-crowd" -> assertThat(minutes).isBetween(22L, 42L);
                    default -> throw new AssertionError(t.kind());
                }
            }
        }
    }

    @Test
    void quietDayPlansNothingAndSingleScenariosPlanOne() {
        assertThat(plan(Scenario.QUIET_DAY, 24 * 60, 1)).isEmpty();
        assertThat(plan(Scenario.SCANNER, 24 * 60, 1)).singleElement()
                .satisfies(t -> assertThat(t.dimension()).isEqualTo("ip"));
        assertThat(plan(Scenario.COUNTRY_SURGE, 24 * 60, 1)).singleElement()
                .satisfies(t -> {
                    assertThat(t.dimension()).isEqualTo("country");
                    assertThat(t.scope()).isEqualTo("foreign");
                    assertThat(t.key()).isEqualTo(t.country()).isNotEqualTo("US");
                });
        assertThat(IncidentPlanner.warmUpMinutes(180)).isEqualTo(60);
        assertThat(IncidentPlanner.warmUpMinutes(24 * 60)).isEqualTo(120);
    }

    @Test
    void flashCrowdRisesWithinTwoMinutesAndDecaysToNothing() {
        PlantedIncident.Context ctx = context(1);
        FlashCrowdIncident crowd = new FlashCrowdIncident(ctx, new SplittableRandom(1),
                GeneratorOptions.DEFAULT_START.toEpochMilli(), 60);
        assertThat(crowd.shape(0)).isEqualTo(0.5);
        assertThat(crowd.shape(1)).isEqualTo(1.0);
        long minutes = (crowd.endMillis - crowd.startMillis) / 60_000;
        assertThat(crowd.shape((int) minutes - 2)).isLessThan(0.02);
        for (int m = 2; m < minutes; m++) assertThat(crowd.shape(m)).isLessThanOrEqualTo(crowd.shape(m - 1));
    }

    private static List<TruthIncident> plan(Scenario s, int minutes, long seed) {
        return IncidentPlanner.plan(s, GeneratorOptions.DEFAULT_START.toEpochMilli(), minutes, context(seed),
                new SplittableRandom(seed)).stream().map(PlantedIncident::truth).toList();
    }

    private static PlantedIncident.Context context(long seed) {
        CountryCatalog catalog = new CountryCatalog("US");
        AddressPlan addresses = new AddressPlan(catalog.countries());
        ClientPopulation population = new ClientPopulation(2000, 0.02, catalog, addresses, new SplittableRandom(seed));
        TrafficModel model = new TrafficModel(catalog, population.countryShare, 1000);
        return new PlantedIncident.Context(new RequestFactory(), population, model, catalog);
    }
}
