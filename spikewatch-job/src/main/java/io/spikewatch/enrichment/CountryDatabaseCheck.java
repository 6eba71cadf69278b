package io.spikewatch.enrichment;

import io.spikewatch.config.ConfigException;
import io.spikewatch.config.SpikewatchConfig;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Checks, before a job starts, that the country database ALB events need is there and readable, so
 * a missing or damaged file stops the start with one line naming {@code geo.alb.database} instead of
 * failing every task (and restarting) once the job runs. WAF records carry their own country, so
 * only a job with ALB input needs the database.
 */
public final class CountryDatabaseCheck {
    public static final String SETTING = "geo.alb.database";
    /** Where {@code deploy/geoip/install-dbip-country.sh} installs the DB-IP database (relative to the project). */
    public static final String DEFAULT_LOCATION = "data/geoip/dbip-country.mmdb";
    static final String INSTALL_HINT = "install the free DB-IP country database with deploy/geoip/install-dbip-country.sh "
            + "(it writes " + DEFAULT_LOCATION + "), point " + SETTING + " at a MaxMind-format country file "
            + "(GeoLite2-Country works), or set geo.alb.enabled=false";

    private CountryDatabaseCheck() {}

    /**
     * Without opening anything: a job that reads ALB logs with geolocation on has a database set.
     *
     * @throws ConfigException naming {@code geo.alb.database} when it is not set
     */
    public static void requireConfigured(SpikewatchConfig.Enrichment enrichment, boolean albInput) {
        String db = enrichment.albGeoDatabase();
        if (albInput && enrichment.albGeoEnabled() && (db == null || db.isBlank())) {
            throw new ConfigException(SETTING + " is not set and the job reads ALB logs: " + INSTALL_HINT);
        }
    }

    /**
     * @param albInput whether the job reads ALB logs
     * @return one line saying what was checked
     * @throws ConfigException naming {@code geo.alb.database} when ALB input needs a database that is
     *                         not set, missing, unreadable or not a country database
     */
    public static String check(SpikewatchConfig.Enrichment enrichment, boolean albInput) {
        if (!albInput) return SETTING + ": not needed (no ALB input)";
        if (!enrichment.albGeoEnabled()) return "geo.alb.enabled=false: ALB events have no country";
        requireConfigured(enrichment, true);
        String db = enrichment.albGeoDatabase();
        try (MmdbCountryLookup lookup = MmdbCountryLookup.open(Path.of(db))) {
            return SETTING + " " + db + ": readable country database";
        } catch (IOException e) {
            throw new ConfigException(SETTING + ": " + e.getMessage() + "; " + INSTALL_HINT, e);
        }
    }
}
