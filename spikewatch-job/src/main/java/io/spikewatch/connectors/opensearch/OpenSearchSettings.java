package io.spikewatch.connectors.opensearch;

import io.spikewatch.config.ConfigException;
import io.spikewatch.config.ConfigValues;
import io.spikewatch.config.DurationText;
import io.spikewatch.config.Settings;
import io.spikewatch.connectors.AwsAuth;
import org.apache.flink.connector.opensearch.sink.FlushBackoffType;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where and how the job writes to OpenSearch: cluster URLs, index prefix, authentication (basic
 * auth or AWS SigV4), TLS trust, bulk flushing and retry back-off. Loaded from {@code opensearch.*}
 * keys ({@link #fromMap}; the settings are listed in {@link Settings} with their defaults) with the
 * same rules as the whole job profile: an unknown key is an error that names it. SigV4 signs with
 * the {@code aws.credentials.*} settings shared by every AWS client ({@link AwsAuth}).
 *
 * <p>The password itself is never part of the settings: they hold where to read it (an environment
 * variable or a file), and {@link #resolvePassword()} reads it where the connection is made — on
 * the TaskManagers for the sinks. So it is neither in the job graph, in savepoints, nor in
 * {@link #describe()} / {@link #toString()}, which are safe to log.
 */
public record OpenSearchSettings(
        List<String> hosts,
        String indexPrefix,
        String username,
        String passwordEnv,
        String passwordFile,
        String caCertFile,
        boolean sigV4Enabled,
        String sigV4Region,
        String sigV4Service,
        int bulkMaxActions,
        int bulkMaxSizeMb,
        Duration bulkInterval,
        FlushBackoffType backoffType,
        Duration backoffInitialDelay,
        int backoffMaxRetries,
        AwsAuth awsCredentials) implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String PREFIX = Settings.OPENSEARCH_PREFIX;
    public static final String HOSTS = Settings.OPENSEARCH_HOSTS.key();
    public static final String INDEX_PREFIX = Settings.OPENSEARCH_INDEX_PREFIX.key();
    public static final String USERNAME = Settings.OPENSEARCH_USERNAME.key();
    public static final String PASSWORD_ENV = Settings.OPENSEARCH_PASSWORD_ENV.key();
    public static final String PASSWORD_FILE = Settings.OPENSEARCH_PASSWORD_FILE.key();
    public static final String CA_CERT = Settings.OPENSEARCH_CA_CERT.key();
    public static final String SIGV4_ENABLED = Settings.OPENSEARCH_SIGV4_ENABLED.key();
    public static final String SIGV4_REGION = Settings.OPENSEARCH_SIGV4_REGION.key();
    public static final String SIGV4_SERVICE = Settings.OPENSEARCH_SIGV4_SERVICE.key();
    public static final String BULK_MAX_ACTIONS = Settings.OPENSEARCH_BULK_MAX_ACTIONS.key();
    public static final String BULK_MAX_SIZE_MB = Settings.OPENSEARCH_BULK_MAX_SIZE_MB.key();
    public static final String BULK_INTERVAL = Settings.OPENSEARCH_BULK_INTERVAL.key();
    public static final String BACKOFF_TYPE = Settings.OPENSEARCH_BACKOFF_TYPE.key();
    public static final String BACKOFF_INITIAL_DELAY = Settings.OPENSEARCH_BACKOFF_INITIAL_DELAY.key();
    public static final String BACKOFF_MAX_RETRIES = Settings.OPENSEARCH_BACKOFF_MAX_RETRIES.key();

    /** Services that accept SigV4 here: Amazon OpenSearch Service and OpenSearch Serverless. */
    public static final Set<String> SIGV4_SERVICES = Set.of("es", "aoss");

    public OpenSearchSettings {
        if (hosts == null || hosts.isEmpty()) {
            throw new ConfigException(HOSTS + " is required: the OpenSearch URL(s), e.g. https://search-x.eu-west-1.es.amazonaws.com");
        }
        hosts = List.copyOf(hosts);
        boolean anyHttps = false;
        for (String h : hosts) anyHttps |= "https".equals(validateHost(h).getScheme());
        indexPrefix = indexPrefix == null ? "spikewatch" : indexPrefix;
        if (!indexPrefix.matches("[a-z0-9][a-z0-9._-]{0,99}")) {
            throw new ConfigException(INDEX_PREFIX + ": '" + indexPrefix + "' is not a valid index prefix "
                    + "(lower-case letters, digits, '.', '_', '-'; starting with a letter or digit)");
        }
        username = blankToNull(username);
        passwordEnv = blankToNull(passwordEnv);
        passwordFile = blankToNull(passwordFile);
        caCertFile = blankToNull(caCertFile);
        sigV4Region = blankToNull(sigV4Region);
        sigV4Service = sigV4Service == null ? "es" : sigV4Service.trim().toLowerCase(Locale.ROOT);
        if (passwordEnv != null && passwordFile != null) {
            throw new ConfigException(PASSWORD_ENV + " and " + PASSWORD_FILE + " are mutually exclusive: set one");
        }
        if (username != null && passwordEnv == null && passwordFile == null) {
            throw new ConfigException(USERNAME + " is set but no password source: set " + PASSWORD_ENV + " or " + PASSWORD_FILE);
        }
        if (username == null && (passwordEnv != null || passwordFile != null)) {
            throw new ConfigException((passwordEnv != null ? PASSWORD_ENV : PASSWORD_FILE) + " is set but " + USERNAME + " is not");
        }
        if (passwordEnv != null && !passwordEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ConfigException(PASSWORD_ENV + ": '" + passwordEnv + "' is not an environment variable name "
                    + "(the setting names the variable; the password itself never goes into configuration)");
        }
        if (caCertFile != null && !anyHttps) {
            throw new ConfigException(CA_CERT + " is set but no URL in " + HOSTS + " uses https");
        }
        if (sigV4Enabled) {
            if (sigV4Region == null || !sigV4Region.matches("[a-z]{2}(-[a-z0-9]+)+-\\d+")) {
                throw new ConfigException(SIGV4_REGION + ": " + (sigV4Region == null ? "required when " + SIGV4_ENABLED + "=true"
                        : "'" + sigV4Region + "' is not an AWS region name (e.g. eu-west-1)"));
            }
            if (!SIGV4_SERVICES.contains(sigV4Service)) {
                throw new ConfigException(SIGV4_SERVICE + ": '" + sigV4Service + "' must be es (OpenSearch Service) or aoss (Serverless)");
            }
            if (username != null) {
                throw new ConfigException(USERNAME + " and " + SIGV4_ENABLED + "=true are mutually exclusive: "
                        + "AWS domains take either IAM (SigV4) or internal-user (basic auth) credentials");
            }
            for (String h : hosts) {
                if (!h.startsWith("https://")) {
                    throw new ConfigException(HOSTS + ": '" + h + "' must use https when " + SIGV4_ENABLED + "=true");
                }
            }
        }
        if (bulkMaxActions < 1) throw new ConfigException(BULK_MAX_ACTIONS + " must be >= 1, got " + bulkMaxActions);
        if (bulkMaxSizeMb < 1) throw new ConfigException(BULK_MAX_SIZE_MB + " must be >= 1, got " + bulkMaxSizeMb);
        if (bulkInterval == null || bulkInterval.isNegative() || bulkInterval.isZero()) {
            throw new ConfigException(BULK_INTERVAL + " must be > 0 (otherwise a quiet stream's last alerts wait for the next checkpoint)");
        }
        if (backoffType == null) backoffType = FlushBackoffType.EXPONENTIAL;
        if (backoffType != FlushBackoffType.NONE) {
            if (backoffMaxRetries < 1) {
                throw new ConfigException(BACKOFF_MAX_RETRIES + " must be >= 1 with " + BACKOFF_TYPE + "=" + lower(backoffType)
                        + " (or set " + BACKOFF_TYPE + "=none)");
            }
            if (backoffInitialDelay == null || backoffInitialDelay.isNegative()) {
                throw new ConfigException(BACKOFF_INITIAL_DELAY + " must be >= 0");
            }
        }
        if (backoffInitialDelay == null) backoffInitialDelay = Duration.ZERO;
        if (awsCredentials == null) awsCredentials = AwsAuth.DEFAULT_CHAIN;
    }

    /**
     * Reads the {@code opensearch.*} keys of {@code given} (a whole job profile; every key must be a
     * setting, see {@link ConfigValues}); absent keys take their defaults.
     */
    public static OpenSearchSettings fromMap(Map<String, String> given) {
        return fromValues(new ConfigValues(given));
    }

    /** The {@code opensearch.*} settings (and {@code aws.credentials.*} for SigV4) of {@code v}. */
    public static OpenSearchSettings fromValues(ConfigValues v) {
        return new OpenSearchSettings(v.get(Settings.OPENSEARCH_HOSTS), v.get(Settings.OPENSEARCH_INDEX_PREFIX),
                v.get(Settings.OPENSEARCH_USERNAME), v.get(Settings.OPENSEARCH_PASSWORD_ENV),
                v.get(Settings.OPENSEARCH_PASSWORD_FILE), v.get(Settings.OPENSEARCH_CA_CERT),
                v.get(Settings.OPENSEARCH_SIGV4_ENABLED), v.get(Settings.OPENSEARCH_SIGV4_REGION),
                v.get(Settings.OPENSEARCH_SIGV4_SERVICE), v.get(Settings.OPENSEARCH_BULK_MAX_ACTIONS),
                v.get(Settings.OPENSEARCH_BULK_MAX_SIZE_MB), v.get(Settings.OPENSEARCH_BULK_INTERVAL),
                backoff(v.get(Settings.OPENSEARCH_BACKOFF_TYPE)), v.get(Settings.OPENSEARCH_BACKOFF_INITIAL_DELAY),
                v.get(Settings.OPENSEARCH_BACKOFF_MAX_RETRIES), AwsAuth.fromValues(v));
    }

    /** Same settings writing under another index prefix (tests, side-by-side deployments). */
    public OpenSearchSettings withIndexPrefix(String prefix) {
        return new OpenSearchSettings(hosts, prefix, username, passwordEnv, passwordFile, caCertFile, sigV4Enabled,
                sigV4Region, sigV4Service, bulkMaxActions, bulkMaxSizeMb, bulkInterval, backoffType,
                backoffInitialDelay, backoffMaxRetries, awsCredentials);
    }

    public boolean basicAuth() {
        return username != null;
    }

    /**
     * The basic-auth password, read now from its source. Call it where the connection is made and
     * keep the result out of logs, exceptions and serialized state.
     */
    public String resolvePassword() {
        return resolvePassword(System::getenv);
    }

    String resolvePassword(UnaryOperator<String> environment) {
        if (passwordEnv != null) {
            String p = environment.apply(passwordEnv);
            if (p == null || p.isEmpty()) {
                throw new ConfigException(PASSWORD_ENV + ": environment variable " + passwordEnv
                        + " is not set (it must be set where the job connects: the CLI and every TaskManager)");
            }
            return p;
        }
        if (passwordFile != null) {
            String p;
            try {
                p = Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException(PASSWORD_FILE + ": cannot read " + passwordFile + " (" + e.getClass().getSimpleName() + ")");
            }
            p = p.strip();
            if (p.isEmpty()) throw new ConfigException(PASSWORD_FILE + ": " + passwordFile + " is empty");
            return p;
        }
        throw new ConfigException("no password source configured (" + USERNAME + " is not set)");
    }

    /** Where the password comes from, for messages: never the password. */
    public String passwordSource() {
        if (passwordEnv != null) return "env " + passwordEnv;
        if (passwordFile != null) return "file " + passwordFile;
        return "none";
    }

    /** One line for logs and start-up banners; holds no secret (the password is never in here). */
    public String describe() {
        String auth = sigV4Enabled ? "sigv4(region=" + sigV4Region + ", service=" + sigV4Service + ", credentials from " + (awsCredentials.profile() == null ? "the default AWS chain" : "profile " + awsCredentials.profile()) + ")"
                : basicAuth() ? "basic(user=" + username + ", password from " + passwordSource() + ")" : "none";
        String retry = backoffType == FlushBackoffType.NONE ? "none"
                : lower(backoffType) + " x" + backoffMaxRetries + " from " + DurationText.format(backoffInitialDelay);
        return "opensearch{hosts=" + hosts + ", indexPrefix=" + indexPrefix + ", auth=" + auth
                + ", tls=" + (caCertFile != null ? "CA " + caCertFile : "default trust store")
                + ", bulk=" + bulkMaxActions + " docs/" + bulkMaxSizeMb + " MB/" + DurationText.format(bulkInterval)
                + ", retry=" + retry + "}";
    }

    @Override
    public String toString() {
        return describe();
    }

    static URI validateHost(String host) {
        URI uri;
        try {
            uri = new URI(host);
        } catch (URISyntaxException e) {
            throw new ConfigException(HOSTS + ": '" + host + "' is not a URL");
        }
        if (uri.getRawUserInfo() != null) {
            // Do not echo the URL: its user-info part may hold a password.
            throw new ConfigException(HOSTS + ": a URL holds user credentials; use " + USERNAME + " with "
                    + PASSWORD_ENV + " or " + PASSWORD_FILE + " instead");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new ConfigException(HOSTS + ": '" + host + "' must start with http:// or https://");
        }
        if (uri.getHost() == null) throw new ConfigException(HOSTS + ": '" + host + "' has no host name");
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigException(HOSTS + ": '" + host + "' must be scheme://host[:port] without a path or query");
        }
        return uri;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String lower(FlushBackoffType t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    private static FlushBackoffType backoff(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "exponential" -> FlushBackoffType.EXPONENTIAL;
            case "constant" -> FlushBackoffType.CONSTANT;
            case "none" -> FlushBackoffType.NONE;
            default -> throw new ConfigException(BACKOFF_TYPE + ": '" + s + "' must be exponential, constant or none");
        };
    }
}
