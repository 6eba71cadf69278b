package io.spikewatch.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's configuration arguments, parsed in one place for {@code StreamingJob.main} and the CLI:
 * {@code --config PATH} (a profile directory holding {@code spikewatch.properties}, or a properties
 * file) and any number of {@code --set KEY=VALUE} overrides, a later one winning.
 *
 * @param profile   the {@code --config} path, or null for the built-in defaults
 * @param overrides the {@code --set} values in order
 */
public record ConfigArgs(Path profile, Map<String, String> overrides) {

    public ConfigArgs {
        overrides = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    /**
     * Parses {@code --config PATH} and {@code --set KEY=VALUE} (also {@code --config=PATH} and
     * {@code --set=KEY=VALUE}); anything else is an error naming it.
     */
    public static ConfigArgs parse(String... args) {
        Path profile = null;
        Map<String, String> sets = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--config=")) {
                profile = Path.of(a.substring("--config=".length()));
            } else if (a.equals("--config")) {
                if (i + 1 >= args.length) throw new ConfigException("--config expects a PATH");
                profile = Path.of(args[++i]);
            } else if (a.startsWith("--set=")) {
                putSet(sets, a.substring("--set=".length()));
            } else if (a.equals("--set")) {
                if (i + 1 >= args.length) throw new ConfigException("--set expects KEY=VALUE");
                putSet(sets, args[++i]);
            } else {
                throw new ConfigException("unknown argument '" + a + "' (expected --config PATH and --set KEY=VALUE)");
            }
        }
        return new ConfigArgs(profile, sets);
    }

    /** {@code --set} values (each {@code KEY=VALUE}) as a map in order; a later value for a key wins. */
    public static Map<String, String> parseSets(List<String> sets) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : sets) putSet(out, s);
        return out;
    }

    private static void putSet(Map<String, String> out, String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0 || kv.substring(0, eq).isBlank()) {
            throw new ConfigException("--set expects KEY=VALUE, got '" + kv + "'");
        }
        out.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
    }

    /**
     * The values map: the profile's keys, then {@code defaults} (values a command sets for itself),
     * then the {@code --set} overrides.
     */
    public Map<String, String> values(Map<String, String> defaults) throws IOException {
        Map<String, String> extra = new LinkedHashMap<>(defaults);
        extra.putAll(overrides);
        return ConfigLoader.read(profile, extra);
    }

    /** {@link #values(Map)} without command defaults. */
    public Map<String, String> values() throws IOException {
        return values(Map.of());
    }
}
