package io.spikewatch.config;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The values of one job configuration (a profile with its {@code --set} overrides), read through
 * the typed {@link Setting}s of {@link Settings}. Creating it rejects every key that is not a
 * setting ({@link Settings#requireKnown}); {@link #get} parses a value or the setting's default and
 * names the key when the text does not parse. Components (detector, Kinesis, OpenSearch, SNS,
 * AWS credentials) read their part from the same instance.
 */
public final class ConfigValues {
    private final Map<String, String> given;

    /** @throws ConfigException naming every unknown key */
    public ConfigValues(Map<String, String> given) {
        Settings.requireKnown(given.keySet());
        this.given = Collections.unmodifiableMap(new TreeMap<>(given));
    }

    /** No values: every setting at its default. */
    public static ConfigValues defaults() {
        return new ConfigValues(Map.of());
    }

    /** The setting's value, parsed; its default when the key is not given. */
    public <T> T get(Setting<T> setting) {
        return setting.parse(given.get(setting.key()));
    }

    /** The setting's text as given (trimmed), or its default text. */
    public String raw(Setting<?> setting) {
        String v = given.get(setting.key());
        return (v != null ? v : setting.defaultText()).trim();
    }

    /** Whether the key was given (even with its default value). */
    public boolean isSet(Setting<?> setting) {
        return given.containsKey(setting.key());
    }

    /** The given keys and values, sorted by key. */
    public Map<String, String> asMap() {
        return given;
    }
}
