package io.spikewatch.enrichment;

import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.LogSource;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Enrichment rules, free of Flink: ALB events get their country from the GeoIP database (WAF logs
 * carry the country AWS determined, which is kept); every event gets {@code domestic} from the
 * home-country list and {@code allowlisted} from the CIDR allowlist.
 *
 * <p>An enricher from {@link #open} puts a {@link CachingCountryLookup} in front of the database, so
 * it is not thread-safe: each operator subtask opens its own (as {@code ParseRecordsFunction} does).
 */
public final class EventEnricher implements Closeable {
    private final CountryLookup albCountries;
    private final Set<String> homeCountries;
    private final CidrSet allowlist;
    private final Closeable resource;

    public EventEnricher(CountryLookup albCountries, Set<String> homeCountries, CidrSet allowlist, Closeable resource) {
        this.albCountries = albCountries;
        this.homeCountries = homeCountries;
        this.allowlist = allowlist;
        this.resource = resource;
    }

    /** Opens the database named in the settings; a clear {@link IOException} when it cannot. */
    public static EventEnricher open(SpikewatchConfig.Enrichment settings) throws IOException {
        CidrSet allowlist = CidrSet.of(settings.allowlist());
        // Without a database ALB events have no country (counted as foreign); the jobs that read ALB
        // logs check for one before they start (CountryDatabaseCheck).
        if (!settings.albGeoEnabled() || settings.albGeoDatabase() == null) {
            return new EventEnricher(null, settings.homeCountries(), allowlist, null);
        }
        MmdbCountryLookup lookup = MmdbCountryLookup.open(Path.of(settings.albGeoDatabase()));
        return new EventEnricher(new CachingCountryLookup(lookup), settings.homeCountries(), allowlist, lookup);
    }

    public void enrich(AccessEvent e) {
        if (e.source == LogSource.ALB && e.country == null && albCountries != null) {
            e.country = albCountries.country(e.clientIp);
        }
        e.domestic = e.country != null && homeCountries.contains(e.country);
        e.allowlisted = !allowlist.isEmpty() && allowlist.contains(e.clientIp);
    }

    @Override
    public void close() throws IOException {
        if (resource != null) resource.close();
    }
}
