package io.spikewatch.connectors;

import io.spikewatch.LiveJobConfig;
import io.spikewatch.connectors.kinesis.KinesisSettings;
import io.spikewatch.connectors.kinesis.KinesisStreamCheck;
import io.spikewatch.connectors.opensearch.OpenSearchSetup;
import io.spikewatch.connectors.sns.SnsTopicCheck;
import io.spikewatch.enrichment.CountryDatabaseCheck;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the live job checks before it starts, in the order data flows: the country database when
 * there is ALB input ({@link CountryDatabaseCheck}), every Kinesis input ({@link KinesisStreamCheck}),
 * the OpenSearch index templates ({@link OpenSearchSetup#verify()}), and the SNS topic when one is set ({@link SnsTopicCheck}). The first problem stops the start with
 * a message that names the setting to fix; each check gives up within seconds.
 *
 * <p>{@code job.startup-checks=false} skips them all, for environments where the identity that
 * runs {@code main} may not describe the resources. The checks run where {@code main} runs (the
 * {@code flink run} client, or the JobManager in application mode and on Managed Flink), with that
 * machine's network and credentials.
 */
public final class StartupChecks {
    public StartupChecks() {}

    /** The checks; AWS credentials are resolved by the SDK from this process (environment, profile, role). */
    public static StartupChecks withProcessEnvironment() {
        return new StartupChecks();
    }

    /**
     * Runs every check; returns one line per resource checked (or one saying the checks were skipped).
     *
     * @throws io.spikewatch.config.ConfigException for Kinesis and SNS problems, naming the setting
     * @throws IOException ({@code OpenSearchAccessException}) for OpenSearch problems, naming the host and setting
     */
    public List<String> run(LiveJobConfig live) throws IOException {
        if (!live.detector().startupChecks()) {
            return List.of("start-up checks skipped (" + AwsStartupCheck.SKIP_SETTING + "=false)");
        }
        List<String> done = new ArrayList<>();
        // Files first: a missing country database would fail every task once the job runs.
        done.add(CountryDatabaseCheck.check(live.detector().enrichment(), live.kinesis().alb() != null));
        KinesisStreamCheck kinesis = new KinesisStreamCheck();
        for (KinesisSettings.StreamInput in : live.kinesis().inputs()) done.add(kinesis.check(in));
        new OpenSearchSetup(live.opensearch(), OpenSearchSetup.Retention.defaults()).verify();
        done.add("opensearch.hosts " + live.opensearch().hosts().get(0) + ": index templates present");
        if (live.sns() != null) done.add(new SnsTopicCheck().check(live.sns()));
        return done;
    }
}
