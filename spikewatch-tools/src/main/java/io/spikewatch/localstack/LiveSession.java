package io.spikewatch.localstack;

import io.spikewatch.config.ConfigLoader;
import io.spikewatch.LiveJobConfig;
import io.spikewatch.loader.KinesisLoader;
import io.spikewatch.loader.LogLineCursor;
import io.spikewatch.loader.LogRecordPacker;
import io.spikewatch.loader.PacedClock;
import io.spikewatch.loader.PacedLogStreamer;
import io.spikewatch.connectors.opensearch.OpenSearchSetup;
import io.spikewatch.connectors.sns.SnsSettings;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One run of the live job against the local stack, set up the way {@code live-demo} and the latency
 * benchmark need it:
 * <ul>
 *   <li>two fresh one-shard streams, {@code spikewatch-waf-RUN} and {@code spikewatch-alb-RUN}, read
 *       from TRIM_HORIZON: nothing put while the job starts is lost, and no earlier run's data is read;
 *   <li>the job profile with the user's overrides, then the run's streams, the local endpoints and
 *       the generated country database on top (the local servers accept any credentials, so the AWS
 *       default chains are used with placeholder keys, see {@link LocalStack#useDummyCredentialsIfNone()});
 *   <li>the index templates for the profile's prefix;
 *   <li>a fresh SQS queue subscribed to the profile's topic (created if missing), subscribed before the
 *       job starts so that no alert is missed;
 *   <li>the job on a local MiniCluster ({@link BackgroundJob}).
 * </ul>
 * {@link #close()} undoes it in reverse order: job, queue, streams. The servers, the topic and the
 * documents written to OpenSearch stay.
 */
public final class LiveSession implements AutoCloseable {
    public static final int WAF_LANE = 0;
    public static final int ALB_LANE = 1;
    /** A gzip of 500 WAF lines is ~40 KB: few records per second, far below the 1 MiB record limit. */
    public static final int MAX_LINES_PER_RECORD = 500;
    static final String DEFAULT_TOPIC = "spikewatch-alerts";

    /**
     * What a run is made of.
     *
     * @param profile         job profile (directory or file), null for the built-in defaults
     * @param overrides       the user's {@code --set} values, applied on top of the profile
     * @param countryDatabase the country database matching the traffic that will be streamed
     * @param homeCountry     the traffic's home country
     * @param runId           short unique id: names the streams, the queue and the job
     */
    public record Setup(Path profile, Map<String, String> overrides, Path countryDatabase, String homeCountry,
                        String runId) {}

    private final LocalStack stack;
    private final String runId;
    private final List<String> streams = new ArrayList<>();
    private AlertSubscription subscription;
    private LiveJobConfig live;
    private BackgroundJob job;

    private LiveSession(LocalStack stack, String runId) {
        this.stack = stack;
        this.runId = runId;
    }

    /**
     * Sets everything up and starts the job.
     *
     * @param listener gets every alert message the queue receives, on the receiver thread
     * @param progress gets a line per step
     */
    public static LiveSession open(LocalStack stack, Setup setup, Consumer<ReceivedAlert> listener,
                                   Consumer<String> progress) throws Exception {
        LocalStack.useDummyCredentialsIfNone();
        LiveSession s = new LiveSession(stack, setup.runId());
        try {
            s.start(setup, listener, progress);
            return s;
        } catch (Exception | Error e) {
            try {
                s.close();
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private void start(Setup setup, Consumer<ReceivedAlert> listener, Consumer<String> progress) throws Exception {
        Map<String, String> values = ConfigLoader.read(setup.profile(), setup.overrides());
        String topic = values.getOrDefault(SnsSettings.TOPIC_ARN, "").trim();
        String topicName = topic.isEmpty() ? DEFAULT_TOPIC : topic.substring(topic.lastIndexOf(':') + 1);
        subscription = AlertSubscription.create(stack, topicName, "spikewatch-" + runId, listener);
        values.put(SnsSettings.TOPIC_ARN, subscription.topicArn());
        values.put(SnsSettings.ENDPOINT, stack.snsEndpoint().toString());
        values.put(SnsSettings.REGION, LocalStack.REGION);
        progress.accept("SQS queue " + queueName() + " subscribed to " + subscription.topicArn());

        for (String source : new String[] {"waf", "alb"}) {
            String name = "spikewatch-" + source + "-" + runId;
            String arn = stack.createStream(name);
            streams.add(name);
            String p = "kinesis." + source + ".";
            values.put(p + "stream", arn);
            values.put(p + "endpoint", stack.kinesisEndpoint());
            values.put(p + "region", LocalStack.REGION);
            values.put(p + "initial-position", "TRIM_HORIZON");
            values.remove(p + "initial-timestamp");
        }
        progress.accept("streams " + String.join(", ", streams) + " created (read from TRIM_HORIZON)");

        values.put("opensearch.hosts", stack.openSearchUrl());
        values.put("geo.alb.enabled", "true");
        values.put("geo.alb.database", setup.countryDatabase().toString());
        values.put("geo.home-countries", setup.homeCountry());
        live = LiveJobConfig.fromMap(values);
        new OpenSearchSetup(live.opensearch(), OpenSearchSetup.Retention.defaults()).install();
        progress.accept("index templates installed for " + live.opensearch().indexPrefix() + "-*");

        long t0 = System.nanoTime();
        job = BackgroundJob.start(live, "spikewatch-" + runId);
        int parallelism = live.detector().parallelism();
        progress.accept(String.format(Locale.ROOT, "live job running on a local MiniCluster (parallelism %s, started in %.1f s)",
                parallelism > 0 ? Integer.toString(parallelism) : "default", (System.nanoTime() - t0) / 1e9));
    }

    /**
     * A streamer for this run's two streams: WAF lines as CloudWatch Logs subscription envelopes (the
     * usual way WAF logs reach Kinesis), ALB lines as gzip batches.
     */
    public PacedLogStreamer streamer(LogLineCursor waf, LogLineCursor alb, PacedClock clock, Duration tick,
                                     Duration progressEvery, Consumer<String> progress) {
        SecureRandom random = new SecureRandom();
        KinesisLoader.Sleeper sleeper = d -> Thread.sleep(d.toMillis());
        LogRecordPacker.CloudWatchMeta meta = new LogRecordPacker.CloudWatchMeta(
                "123456789012", "aws-waf-logs-spikewatch", "live-" + runId, "spikewatch-live");
        List<PacedLogStreamer.Lane> lanes = List.of(
                new PacedLogStreamer.Lane("WAF", waf, new KinesisLoader(stack.kinesis(), streams.get(WAF_LANE), 10,
                        sleeper, random, null), LogRecordPacker.Format.CLOUDWATCH, MAX_LINES_PER_RECORD, meta, random),
                new PacedLogStreamer.Lane("ALB", alb, new KinesisLoader(stack.kinesis(), streams.get(ALB_LANE), 10,
                        sleeper, random, null), LogRecordPacker.Format.GZIP, MAX_LINES_PER_RECORD, meta, random));
        return new PacedLogStreamer(lanes, clock, tick, progressEvery, progress);
    }

    /** The job's configuration as it runs (profile, overrides and this run's values). */
    public LiveJobConfig config() {
        return live;
    }

    public List<String> streamNames() {
        return List.copyOf(streams);
    }

    public String queueName() {
        return "spikewatch-" + runId;
    }

    public AlertSubscription subscription() {
        return subscription;
    }

    /** Throws with the job's failure once it has stopped. */
    public void checkJob() throws Exception {
        job.checkRunning();
    }

    /** Stops the job, deletes the queue and the streams; the first failure is thrown after all were tried. */
    @Override
    public void close() throws Exception {
        Exception first = null;
        if (job != null) {
            try {
                job.close();
            } catch (Exception e) {
                first = e;
            }
            job = null;
        }
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                if (first == null) first = e; else first.addSuppressed(e);
            }
            subscription = null;
        }
        for (String s : streams) {
            try {
                stack.deleteStream(s);
            } catch (RuntimeException e) {
                if (first == null) first = e; else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }
}
