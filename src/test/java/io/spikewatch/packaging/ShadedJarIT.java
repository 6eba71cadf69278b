package io.spikewatch.packaging;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the job jar holds: our code and the libraries we bundle, but not Flink (the cluster provides
 * it), not logging back ends (the cluster configures its own), and Jackson relocated so it cannot
 * clash with a cluster's copy.
 */
class ShadedJarIT {
    @Test
    void jobJarBundlesOnlyWhatTheClusterLacks() throws Exception {
        Path jar = Path.of("target/spikewatch.jar");
        assertThat(jar).exists();
        List<String> entries;
        try (JarFile j = new JarFile(jar.toFile())) {
            entries = j.stream().map(e -> e.getName()).collect(Collectors.toList());
            assertThat(j.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("io.spikewatch.cli.SpikewatchCli");
        }
        assertThat(entries).contains("io/spikewatch/workflows/SpikewatchWorkflow.class",
                "io/spikewatch/parsing/WafLogParser.class", "com/maxmind/db/Reader.class");
        assertThat(entries).anyMatch(e -> e.startsWith("io/spikewatch/shaded/jackson/core/"));
        assertThat(entries).noneMatch(e -> e.startsWith("com/fasterxml/jackson/"));
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/streaming/"));
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/runtime/"));
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/logging/log4j/"));
        assertThat(entries).noneMatch(e -> e.startsWith("org/slf4j/"));
        assertThat(entries).noneMatch(e -> e.equals("log4j2.properties") || e.equals("log4j2-test.properties"));
    }
}
