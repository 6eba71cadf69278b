package io.spikewatch.localstack;

import io.spikewatch.cli.LocalFlink;

import io.spikewatch.StreamingJob;
import io.spikewatch.connectors.StartupChecks;
import io.spikewatch.LiveJobConfig;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The live job ({@link StreamingJob#define}) on a local MiniCluster, running in the background of a
 * command that feeds it and watches its outputs, until {@link #close()} cancels it.
 *
 * <p>Unlike an always-on deployment it gives up after three failed attempts (fixed delay, 2 s): a
 * demo or a benchmark should stop with the cause rather than restart forever against a server that
 * is down.
 */
public final class BackgroundJob implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final JobClient client;

    private BackgroundJob(JobClient client) {
        this.client = client;
    }

    /**
     * Runs the start-up checks (streams, templates, topic), submits the job and waits until it runs. Its Kinesis sources
     * should start from TRIM_HORIZON on fresh streams, so that nothing put before the sources have
     * their shard iterators is lost.
     */
    public static BackgroundJob start(LiveJobConfig live, String name) throws Exception {
        StartupChecks.withProcessEnvironment().run(live);
        Configuration conf = LocalFlink.configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        StreamingJob.define(env, live);
        BackgroundJob job = new BackgroundJob(env.executeAsync(name));
        job.awaitRunning();
        return job;
    }

    private void awaitRunning() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            checkRunning();
            JobStatus status = client.getJobStatus().get(30, TimeUnit.SECONDS);
            if (status == JobStatus.RUNNING) return;
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the live job is still " + status + " after " + START_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    /** Throws, with the job's failure as the cause, once the job has stopped. */
    public void checkRunning() throws Exception {
        CompletableFuture<JobExecutionResult> result = client.getJobExecutionResult();
        if (!result.isDone()) return;
        try {
            result.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the live job stopped: " + rootMessage(e), e.getCause());
        }
        throw new IllegalStateException("the live job finished unexpectedly");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.toString();
    }

    /** Cancels the job and waits until it (and its MiniCluster) has stopped. */
    @Override
    public void close() throws Exception {
        CompletableFuture<JobExecutionResult> result = client.getJobExecutionResult();
        if (result.isDone()) return;
        client.cancel().get(60, TimeUnit.SECONDS);
        try {
            result.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException cancelled) {
            // a cancelled job's result is an exception: the expected end
        }
    }
}
