package io.spikewatch.cli;

import io.spikewatch.config.DurationText;
import io.spikewatch.connectors.opensearch.OpenSearchSettings;
import io.spikewatch.connectors.opensearch.OpenSearchSetup;
import io.spikewatch.dashboards.DashboardsImport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
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

    @Mixin
    OpenSearchConnectionOptions connection;

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
        return connection.settingsMap(url);
    }
}
