package io.spikewatch.cli;

import io.spikewatch.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code config}: lists every setting with its default and meaning (the README table comes from it). */
@Command(name = "config", mixinStandardHelpOptions = true, description = "List every configuration key with its default.")
public class ConfigCommand implements Callable<Integer> {
    @Option(names = "--markdown", description = "Print as a Markdown table.")
    boolean markdown;

    @Option(names = "--properties", description = "Print as a commented properties file (every key at its default).")
    boolean properties;

    @Override
    public Integer call() {
        Map<String, String[]> all = ConfigLoader.describe();
        if (properties) {
            all.forEach((k, v) -> System.out.printf("# %s%n%s=%s%n%n", v[1], k, v[0]));
        } else if (markdown) {
            System.out.println("| key | default | meaning |");
            System.out.println("|---|---|---|");
            all.forEach((k, v) -> System.out.printf("| `%s` | `%s` | %s |%n", k, v[0], v[1]));
        } else {
            all.forEach((k, v) -> System.out.printf("%-45s %-10s %s%n", k, v[0].isEmpty() ? "(empty)" : v[0], v[1]));
        }
        return 0;
    }
}
