package io.spikewatch.cli;

import io.spikewatch.StreamingJob;
import io.spikewatch.LiveJobConfig;
import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.localstack.CountryDatabaseInstaller;
import io.spikewatch.localstack.LocalStack;
import io.spikewatch.connectors.StartupChecks;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.accumulators.StringifiedAccumulatorResult;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code run}: the live job (Kinesis → OpenSearch + SNS) on a local MiniCluster, until stopped with
 * Ctrl-C. The same main class runs on a cluster with {@code flink run}.
 *
 * <p>While it runs it prints a status line every minute ({@link LiveStatus}) and the root cause of
 * each task failure, once per distinct cause: Flink restarts a failing job in a loop, and without
 * this a failure shows only in the REST API. The MiniCluster is started here rather than by
 * {@code env.execute()} so that the job's failure info and accumulators can be read from it.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the live job (Kinesis in, OpenSearch and SNS out) locally until Ctrl-C.",
                "Start the local servers first (deploy/local/stack.sh start) for --config jobs/local."})
public class RunCommand implements Callable<Integer> {
    private static final Duration STATUS_EVERY = Duration.ofMinutes(1);
    private static final Duration POLL_EVERY = Duration.ofSeconds(5);

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
        JobGraph job = env.getStreamGraph().getJobGraph();
        int slots = Math.max(1, job.getMaximumParallelism());
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        System.err.println("spikewatch: live job starting; inputs " + live.kinesis().inputs().stream().map(i -> i.source().label() + "=" + i.streamName()).toList()
                + "; OpenSearch " + live.opensearch().describe()
                + (live.sns() == null ? "; no SNS topic" : "; SNS " + live.sns().describe()));
        try (MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(slots).build())) {
            cluster.start();
            JobID id = cluster.submitJob(job).get().getJobID();
            return watch(cluster, id);
        }
    }

    /** Polls the job until it ends: failures as they happen, a status line every minute. */
    private static int watch(MiniCluster cluster, JobID id) throws Exception {
        CompletableFuture<JobResult> result = cluster.requestJobResult(id);
        LiveStatus.Failures failures = new LiveStatus.Failures();
        LiveStatus.Snapshot last = LiveStatus.Snapshot.ZERO;
        long nextStatus = System.currentTimeMillis() + STATUS_EVERY.toMillis();
        while (true) {
            try {
                JobResult r = result.get(POLL_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                if (r.isSuccess()) {
                    System.err.println("spikewatch: live job finished (" + r.getApplicationStatus() + ")");
                    return 0;
                }
                String cause = r.getSerializedThrowable().map(t -> rootCause(t)).orElse("unknown cause");
                System.err.println("spikewatch: live job " + r.getApplicationStatus() + ": " + cause);
                return 1;
            } catch (TimeoutException running) {
                // Still running: report below.
            }
            AccessExecutionGraph graph;
            try {
                graph = cluster.getExecutionGraph(id).get(POLL_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException busy) {
                continue; // The job is between states (e.g. restarting); the next poll reads it.
            }
            ErrorInfo failure = graph.getFailureInfo();
            if (failure != null) {
                String line = failures.report(failure.getTimestamp(), rootCause(failure.getException()),
                        graph.getState().name());
                if (line != null) System.err.println(line);
            }
            long now = System.currentTimeMillis();
            if (now >= nextStatus) {
                Map<String, String> accumulators = new HashMap<>();
                for (StringifiedAccumulatorResult a : graph.getAccumulatorResultsStringified()) {
                    accumulators.put(a.getName(), a.getValue());
                }
                LiveStatus.Snapshot snapshot = LiveStatus.Snapshot.of(accumulators);
                System.err.println(LiveStatus.line(snapshot, last, now));
                last = snapshot;
                nextStatus = now + STATUS_EVERY.toMillis();
            }
        }
    }

    /** The innermost cause, as {@code class: message} (SerializedThrowable keeps the original's). */
    private static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.toString();
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
