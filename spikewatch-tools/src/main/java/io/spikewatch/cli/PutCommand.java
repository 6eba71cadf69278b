package io.spikewatch.cli;

import io.spikewatch.loader.KinesisLoader;
import io.spikewatch.connectors.kinesis.KinesisSettings;
import io.spikewatch.loader.LogRecordPacker;
import io.spikewatch.connectors.AwsAuth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code put}: sends WAF/ALB log files to a Kinesis stream as one line per record, gzip batches or
 * CloudWatch Logs subscription envelopes, for local runs and demos against deploy/local/kinesis.sh.
 */
@Command(name = "put", mixinStandardHelpOptions = true,
        description = {"Send log files (plain or .gz, files or directories, path order) to a Kinesis stream with PutRecords.",
                "Credentials: the AWS default chain (or --profile NAME). Against the local server any keys work: "
                        + "AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local."})
public class PutCommand implements Callable<Integer> {
    static final int DEFAULT_BATCH_LINES = 100;

    @Option(names = "--stream", required = true, paramLabel = "NAME", description = "Stream name or ARN.")
    String stream;

    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH",
            description = "Log files or directories (searched recursively; hidden files skipped).")
    List<Path> inputs;

    @Option(names = "--format", defaultValue = "lines", paramLabel = "FORMAT",
            description = "lines (one line per record), gzip (gzip of N lines) or cloudwatch "
                    + "(gzip CloudWatch Logs DATA_MESSAGE with N logEvents). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--batch-lines", paramLabel = "N",
            description = "Lines per record for gzip and cloudwatch (default: " + DEFAULT_BATCH_LINES + ").")
    Integer batchLines;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "Endpoint override, e.g. http://127.0.0.1:4568 (deploy/local/kinesis.sh). Default: AWS.")
    String endpoint;

    @Option(names = "--region", paramLabel = "R",
            description = "AWS region (default: the SDK's region chain; us-east-1 with --endpoint).")
    String region;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "AWS profile for credentials, like aws.credentials.profile. Default: the AWS default chain "
                    + "(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, instance or container role).")
    String profile;

    @Option(names = "--create-stream", description = "Create the stream first (if missing) and wait until it is active.")
    boolean createStream;

    @Option(names = "--shards", paramLabel = "N", description = "Shards of a stream made by --create-stream (default: 1).")
    Integer shards;

    @Option(names = "--log-group", paramLabel = "NAME", defaultValue = "aws-waf-logs-spikewatch",
            description = "logGroup of cloudwatch envelopes (default: ${DEFAULT-VALUE}).")
    String logGroup;

    @Option(names = "--max-attempts", defaultValue = "10", paramLabel = "N",
            description = "Attempts per batch before giving up on failing entries (default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Override
    public Integer call() throws Exception {
        LogRecordPacker.Format fmt = format();
        int lines = batchLines(fmt);
        if (shards != null && !createStream) throw new IllegalArgumentException("--shards needs --create-stream");
        if (maxAttempts < 1) throw new IllegalArgumentException("--max-attempts must be >= 1");
        KinesisLoader.Sleeper sleeper = d -> Thread.sleep(d.toMillis());
        KinesisClient client = KinesisLoader.client(endpoint, region, new AwsAuth(profile));
        try (KinesisLoader loader = new KinesisLoader(client, stream, maxAttempts, sleeper, new SecureRandom(),
                line -> System.err.println("[put] " + line))) {
            if (createStream) {
                String name = stream.startsWith("arn:") ? stream.substring(stream.lastIndexOf('/') + 1) : stream;
                String arn = KinesisLoader.createStream(client, name, shards == null ? 1 : shards, Duration.ofSeconds(60), sleeper);
                System.err.println("[put] stream " + name + " is active: " + arn);
            }
            LogRecordPacker.CloudWatchMeta meta = new LogRecordPacker.CloudWatchMeta(
                    "123456789012", logGroup, "spikewatch-put", "spikewatch-put");
            KinesisLoader.Summary summary = loader.load(inputs, fmt, lines, meta);
            System.out.println(summary.render());
        }
        return 0;
    }

    LogRecordPacker.Format format() {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "lines" -> LogRecordPacker.Format.LINES;
            case "gzip" -> LogRecordPacker.Format.GZIP;
            case "cloudwatch" -> LogRecordPacker.Format.CLOUDWATCH;
            default -> throw new IllegalArgumentException("--format must be lines, gzip or cloudwatch, got '" + format + "'");
        };
    }

    int batchLines(LogRecordPacker.Format fmt) {
        if (batchLines == null) return fmt == LogRecordPacker.Format.LINES ? 1 : DEFAULT_BATCH_LINES;
        if (fmt == LogRecordPacker.Format.LINES && batchLines != 1) {
            throw new IllegalArgumentException("--batch-lines applies to --format gzip or cloudwatch (lines sends one line per record)");
        }
        if (batchLines < 1 || batchLines > 100_000) throw new IllegalArgumentException("--batch-lines must be between 1 and 100000");
        return batchLines;
    }
}
