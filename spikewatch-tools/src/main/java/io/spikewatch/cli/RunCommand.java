package io.spikewatch.cli;

import io.spikewatch.StreamingJob;
import io.spikewatch.LiveJobConfig;
import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.localstack.CountryDatabaseInstaller;
import io.spikewatch.localstack.LocalStack;
import io.spikewatch.connectors.StartupChecks;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code run}: the live job (Kinesis → OpenSearch + SNS) on a local MiniCluster, until stopped with
 * Ctrl-C. The same main class runs on a cluster with {@code flink run}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the live job (Kinesis in, OpenSearch and SNS out) locally until Ctrl-C.",
                "Start the local servers first (deploy/local/stack.sh start) for --config jobs/local."})
public class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        LiveJobConfig live = withInstalledCountryDatabase(config.loadLive(Map.of()));
        for (String checked : StartupChecks.withProcessEnvironment().run(live)) {
            System.err.println("spikewatch: start-up check: " + checked);
        }
        Configuration conf = LocalFlink.configuration();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        StreamingJob.define(env, live);
        System.err.println("spikewatch: live job starting; inputs " + live.kinesis().inputs().stream().map(i -> i.source().label() + "=" + i.streamName()).toList()
                + "; OpenSearch " + live.opensearch().describe()
                + (live.sns() == null ? "; no SNS topic" : "; SNS " + live.sns().describe()));
        env.execute("spikewatch");
        return 0;
    }

    /**
     * Installs the DB-IP country database on first use when the job reads ALB logs and the profile
     * points at its default location ({@code jobs/local} does); any other missing database is the
     * start-up check's to report.
     */
    static LiveJobConfig withInstalledCountryDatabase(LiveJobConfig live) throws Exception {
        SpikewatchConfig.Enrichment geo = live.detector().enrichment();
        Path home = LocalStack.projectDirectory();
        if (live.kinesis().alb() == null || !geo.albGeoEnabled()
                || !CountryDatabaseInstaller.isDefaultLocation(geo.albGeoDatabase(), home)
                || Files.isRegularFile(Path.of(geo.albGeoDatabase()))) {
            return live;
        }
        Path db = CountryDatabaseInstaller.ensureInstalled(home, System.err);
        return new LiveJobConfig(live.detector().withEnrichment(geo.withAlbGeoDatabase(db.toString())),
                live.kinesis(), live.opensearch(), live.sns());
    }
}
