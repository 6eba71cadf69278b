package io.spikewatch;

import io.spikewatch.config.ConfigArgs;
import io.spikewatch.config.RuntimePropertyGroups;
import io.spikewatch.connectors.StartupChecks;
import io.spikewatch.connectors.kinesis.KinesisInputs;
import io.spikewatch.connectors.opensearch.OpenSearchSinks;
import io.spikewatch.connectors.sns.SnsAlertSink;
import io.spikewatch.records.RawRecord;
import io.spikewatch.workflows.SpikewatchWorkflow;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The always-on job: Kinesis in, OpenSearch and SNS out. {@code main} only loads configuration and
 * builds connectors; the graph is {@link SpikewatchWorkflow}. The same class runs on a cluster
 * ({@code flink run -c io.spikewatch.StreamingJob spikewatch-job.jar --config /opt/flink/usrlib/jobs/production})
 * and locally on a MiniCluster ({@code ./spikewatch run --config jobs/local}).
 *
 * <p>Arguments: {@code --config PATH} (a profile directory or properties file) and any number of
 * {@code --set key=value} overrides, parsed by {@link ConfigArgs} as in the CLI; on Amazon Managed
 * Service for Apache Flink, the application's runtime property groups ({@link RuntimePropertyGroups})
 * apply on top of the profile and under {@code --set}. Before the graph is
 * built, {@link StartupChecks} checks the streams, templates and topic (unless
 * {@code job.startup-checks=false}), so bad configuration fails at submission with a message naming
 * the setting.
 */
public final class StreamingJob {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingJob.class);

    private StreamingJob() {}

    public static void main(String[] args) throws Exception {
        // On Managed Flink the settings come from the runtime property groups (there is no command
        // line); elsewhere there are none and the profile and --set values apply.
        LiveJobConfig live = LiveJobConfig.fromMap(ConfigArgs.parse(args)
                .values(RuntimePropertyGroups.settings(RuntimePropertyGroups.MANAGED_FLINK_FILE)));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        for (String checked : StartupChecks.withProcessEnvironment().run(live)) LOG.info("start-up check: {}", checked);
        define(env, live);
        env.execute("spikewatch");
    }

    /** Builds the live graph on {@code env}: sources, workflow, sinks. */
    public static SpikewatchWorkflow.Outputs define(StreamExecutionEnvironment env, LiveJobConfig live) {
        if (live.detector().parallelism() > 0) env.setParallelism(live.detector().parallelism());
        // At-least-once is enough: every sink writes deterministic ids (OpenSearch) or deduplicates
        // per alert (SNS FIFO), and it avoids aligned-barrier stalls on the keyed shuffle.
        env.enableCheckpointing(live.detector().checkpointInterval().toMillis(), CheckpointingMode.AT_LEAST_ONCE);
        DataStream<RawRecord> records = KinesisInputs.create(env, live.kinesis());
        SpikewatchWorkflow.Outputs out = SpikewatchWorkflow.define(records, live.detector(),
                OpenSearchSinks.rates(live.opensearch()), OpenSearchSinks.alerts(live.opensearch()),
                OpenSearchSinks.deadLetters(live.opensearch()));
        if (live.sns() != null) {
            // Keyed by alert id so that one incident's opening and escalation reach the same writer in
            // order (FIFO topics rely on it). The writer publishes only openings and escalations.
            out.alerts().keyBy(a -> a.alertId)
                    .sinkTo(new SnsAlertSink(live.sns())).uid("sink-sns").name("SNS alert notifications");
        }
        return out;
    }
}
