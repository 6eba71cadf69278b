package io.spikewatch.config;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Settings from the runtime property groups of an Amazon Managed Service for Apache Flink
 * application, which has no command line: the same keys as a {@code jobs/} profile.
 *
 * <p>Group {@value #GROUP} holds keys as they are ({@code kinesis.waf.stream}, {@code window.size});
 * any other group id is a key prefix ({@code kinesis.waf} with {@code stream}, {@code opensearch} with
 * {@code hosts}). Outside Managed Flink there is no properties file and no group.
 */
public final class RuntimePropertyGroups {
    /** The group whose keys are full setting keys. */
    public static final String GROUP = "spikewatch";
    /** Where Managed Flink puts the application's property groups. */
    public static final Path MANAGED_FLINK_FILE = Path.of("/etc/flink/application_properties.json");

    private RuntimePropertyGroups() {}

    /** The settings of the property groups in {@code file}; empty when the file does not exist. */
    public static Map<String, String> settings(Path file) {
        if (!Files.isRegularFile(file)) return Map.of();
        try {
            return toSettings(KinesisAnalyticsRuntime.getApplicationProperties(file.toString()));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("runtime properties " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Maps groups onto setting keys (see the class comment); a key given twice is an error naming it. */
    public static Map<String, String> toSettings(Map<String, Properties> groups) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Properties> group : new TreeMap<>(groups).entrySet()) {
            String id = group.getKey().trim();
            for (String name : new TreeMap<>(group.getValue()).keySet().stream().map(Object::toString).toList()) {
                String key = id.equals(GROUP) ? name.trim() : id + "." + name.trim();
                String value = group.getValue().getProperty(name);
                String before = out.put(key, value);
                if (before != null && !before.equals(value)) {
                    throw new ConfigException(key + " is set twice in the runtime property groups (group "
                            + id + " and another); set it once");
                }
            }
        }
        return out;
    }
}
