package io.spikewatch.cli;

import io.spikewatch.config.DurationText;
import io.spikewatch.config.Settings;
import io.spikewatch.connectors.opensearch.OpenSearchSettings;
import io.spikewatch.connectors.opensearch.OpenSearchSetup;
import io.spikewatch.dashboards.DashboardsImport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code setup}: installs the OpenSearch index templates (and ISM retention policies where the
 * cluster has ISM) that the job's indices need, or with {@code --verify} only checks them. Takes
 * the same connection options as the job; the password is read from an environment variable or a
 * file, never from the command line.
 */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = "Install the OpenSearch index templates (and ISM retention policies where the cluster has the "
                + "ISM plugin) for the spikewatch indices; --verify only checks them.")
public class SetupCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--opensearch", required = true, paramLabel = "URL",
            description = "OpenSearch URL, e.g. https://search-x.eu-west-1.es.amazonaws.com or http://127.0.0.1:9200.")
    String url;

    @Option(names = "--username", paramLabel = "U", description = "Basic-auth user (needs --password-env or --password-file).")
    String username;

    @Option(names = "--password-env", paramLabel = "VAR", description = "Environment variable holding the password.")
    String passwordEnv;

    @Option(names = "--password-file", paramLabel = "FILE", description = "File holding the password.")
    Path passwordFile;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "PEM file of the CA that signed the cluster's certificate.")
    Path caCert;

    @Option(names = "--sigv4-region", paramLabel = "R",
            description = "Sign requests with AWS SigV4 for this region (credentials: the AWS default chain, or --profile).")
    String sigV4Region;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "AWS profile whose credentials sign the requests, like aws.credentials.profile (with --sigv4-region).")
    String profile;

    @Option(names = "--sigv4-service", paramLabel = "es|aoss", defaultValue = "es",
            description = "SigV4 service: es (OpenSearch Service) or aoss (Serverless). Default: ${DEFAULT-VALUE}.")
    String sigV4Service;

    @Option(names = "--index-prefix", paramLabel = "P", defaultValue = "spikewatch",
            description = "Index prefix (the job's opensearch.index-prefix). Default: ${DEFAULT-VALUE}.")
    String indexPrefix;

    @Option(names = "--rates-retention", paramLabel = "D", defaultValue = "30d",
            description = "Delete rates indices older than this (ISM only). Default: ${DEFAULT-VALUE}.")
    String ratesRetention;

    @Option(names = "--alerts-retention", paramLabel = "D", defaultValue = "365d",
            description = "Delete alerts indices older than this (ISM only). Default: ${DEFAULT-VALUE}.")
    String alertsRetention;

    @Option(names = "--deadletter-retention", paramLabel = "D", defaultValue = "14d",
            description = "Delete dead-letter indices older than this (ISM only). Default: ${DEFAULT-VALUE}.")
    String deadLetterRetention;

    @Option(names = "--verify", description = "Only check that the templates exist and are current.")
    boolean verifyOnly;

    @Option(names = "--dashboards", paramLabel = "URL",
            description = "Also import the OpenSearch Dashboards saved objects (index patterns, searches, Vega panels, "
                    + "dashboards) into this Dashboards URL, with the same basic auth and CA.")
    String dashboardsUrl;

    @Option(names = "--dashboards-objects", paramLabel = "FILE",
            description = "Saved objects to import. Default: deploy/opensearch-dashboards/spikewatch.ndjson of this checkout.")
    Path dashboardsObjects;

    @Override
    public Integer call() throws Exception {
        OpenSearchSettings settings = OpenSearchSettings.fromMap(settingsMap());
        OpenSearchSetup setup = new OpenSearchSetup(settings, new OpenSearchSetup.Retention(
                DurationText.parse(ratesRetention), DurationText.parse(alertsRetention), DurationText.parse(deadLetterRetention)));
        PrintWriter out = spec.commandLine().getOut();
        String host = settings.hosts().get(0);
        if (verifyOnly) {
            setup.verify();
            out.println("opensearch: " + host + " is set up for spikewatch (prefix " + settings.indexPrefix() + ")");
        } else {
            List<String> done = setup.install();
            for (String line : done) out.println("opensearch: " + line);
            setup.verify();
            out.println("opensearch: " + host + " is set up for spikewatch (prefix " + settings.indexPrefix() + ")");
            if (dashboardsUrl != null) {
                Path objects = dashboardsObjects != null ? dashboardsObjects
                        : Path.of(System.getProperty("spikewatch.home", ".")).resolve("deploy/opensearch-dashboards/spikewatch.ndjson");
                int n = new DashboardsImport(dashboardsUrl, settings).importObjects(objects);
                out.println("dashboards: imported " + n + " saved objects from " + objects + " into " + dashboardsUrl);
            }
        }
        out.flush();
        return 0;
    }

    Map<String, String> settingsMap() {
        Map<String, String> m = new HashMap<>();
        m.put(OpenSearchSettings.HOSTS, url);
        m.put(OpenSearchSettings.INDEX_PREFIX, indexPrefix);
        if (username != null) m.put(OpenSearchSettings.USERNAME, username);
        if (passwordEnv != null) m.put(OpenSearchSettings.PASSWORD_ENV, passwordEnv);
        if (passwordFile != null) m.put(OpenSearchSettings.PASSWORD_FILE, passwordFile.toString());
        if (caCert != null) m.put(OpenSearchSettings.CA_CERT, caCert.toString());
        if (sigV4Region != null) {
            m.put(OpenSearchSettings.SIGV4_ENABLED, "true");
            m.put(OpenSearchSettings.SIGV4_REGION, sigV4Region);
            m.put(OpenSearchSettings.SIGV4_SERVICE, sigV4Service);
        }
        if (profile != null) m.put(Settings.AWS_CREDENTIALS_PROFILE.key(), profile);
        return m;
    }
}
