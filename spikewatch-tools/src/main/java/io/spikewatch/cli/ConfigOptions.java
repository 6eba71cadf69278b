package io.spikewatch.cli;

import io.spikewatch.config.ConfigArgs;
import io.spikewatch.config.ConfigLoader;
import io.spikewatch.LiveJobConfig;
import io.spikewatch.config.SpikewatchConfig;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code --config} and {@code --set}, shared by the commands that run the job. */
public class ConfigOptions {
    @Option(names = "--config", paramLabel = "PATH",
            description = "Job profile: a directory holding spikewatch.properties (e.g. jobs/local) or a properties file. Default: built-in defaults.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one setting (repeatable), e.g. --set geo.home-countries=JP. See './spikewatch config'.")
    List<String> overrides = List.of();

    public SpikewatchConfig load(Map<String, String> defaults) throws IOException {
        return ConfigLoader.fromMap(args().values(defaults));
    }

    /** The live job's configuration (detector and connectors). */
    public LiveJobConfig loadLive(Map<String, String> defaults) throws IOException {
        return LiveJobConfig.fromMap(args().values(defaults));
    }

    /** The {@code --config} profile, or null for the built-in defaults. */
    public Path profile() {
        return config;
    }

    /** The {@code --set} values, in order (a later value for the same key wins). */
    public Map<String, String> overrides() {
        return args().overrides();
    }

    /** {@code --config} and {@code --set}, parsed the way {@code StreamingJob.main} parses them. */
    public ConfigArgs args() {
        return new ConfigArgs(config, ConfigArgs.parseSets(overrides));
    }
}
