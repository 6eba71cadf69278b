package io.spikewatch;

import io.spikewatch.config.ConfigException;
import io.spikewatch.config.ConfigLoader;
import io.spikewatch.config.ConfigValues;
import io.spikewatch.config.Settings;
import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.connectors.kinesis.KinesisSettings;
import io.spikewatch.connectors.opensearch.OpenSearchSettings;
import io.spikewatch.connectors.sns.SnsSettings;
import io.spikewatch.enrichment.CountryDatabaseCheck;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything the always-on job needs: the detector configuration plus its connectors. Loaded once in
 * {@code main} from the same profile file as the detector settings, all parts from one
 * {@link ConfigValues} (one unknown-key check for every prefix).
 *
 * @param detector   detector, enrichment, watermarks, parallelism, checkpoints
 * @param kinesis    the WAF and/or ALB input streams (at least one)
 * @param opensearch where rates, alerts and dead letters are indexed
 * @param sns        where alert openings and escalations are published; null when {@code sns.topic-arn} is empty
 */
public record LiveJobConfig(SpikewatchConfig detector, KinesisSettings kinesis, OpenSearchSettings opensearch,
                            SnsSettings sns) {

    public static LiveJobConfig load(Path file, Map<String, String> overrides) throws IOException {
        return fromMap(ConfigLoader.read(file, overrides));
    }

    public static LiveJobConfig fromMap(Map<String, String> map) {
        ConfigValues values = new ConfigValues(map);
        SpikewatchConfig detector = ConfigLoader.fromValues(values);
        KinesisSettings kinesis = KinesisSettings.fromValues(values);
        if (kinesis.waf() == null && kinesis.alb() == null) {
            throw new ConfigException("no input: set kinesis.waf.stream and/or kinesis.alb.stream");
        }
        // Checked here, not only at start-up, so that job.startup-checks=false cannot skip it.
        CountryDatabaseCheck.requireConfigured(detector.enrichment(), kinesis.alb() != null);
        OpenSearchSettings opensearch = OpenSearchSettings.fromValues(values);
        SnsSettings sns = values.get(Settings.SNS_TOPIC_ARN).isEmpty() ? null : SnsSettings.fromValues(values);
        return new LiveJobConfig(detector, kinesis, opensearch, sns);
    }
}
