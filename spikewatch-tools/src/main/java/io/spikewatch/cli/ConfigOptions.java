package io.spikewatch.cli;

import io.spikewatch.config.ConfigException;
import io.spikewatch.config.ConfigLoader;
import io.spikewatch.config.LiveJobConfig;
import io.spikewatch.config.SpikewatchConfig;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
        return ConfigLoader.load(config, values(defaults));
    }

    /** The live job's configuration (detector and connectors). */
    public LiveJobConfig loadLive(Map<String, String> defaults) throws IOException {
        return LiveJobConfig.load(config, values(defaults));
    }

    /** The {@code --config} profile, or null for the built-in defaults. */
    public Path profile() {
        return config;
    }

    /** The {@code --set} values, in order (a later value for the same key wins). */
    public Map<String, String> overrides() {
        return values(Map.of());
    }

    private Map<String, String> values(Map<String, String> defaults) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) throw new ConfigException("--set expects KEY=VALUE, got '" + o + "'");
            values.put(o.substring(0, eq).trim(), o.substring(eq + 1).trim());
        }
        return values;
    }
}
