package io.spikewatch.cli;

import io.spikewatch.enrichment.CidrSet;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code --allowlist CIDR,...} plus the {@code geo.allowlist} of a job profile ({@code --config}). */
public class AllowlistOptions {
    @Option(names = "--allowlist", split = ",", paramLabel = "CIDR",
            description = "Ranges never to deny (comma-separated IPv4/IPv6 CIDRs or addresses), added to the profile's geo.allowlist.")
    List<String> allowlist = new ArrayList<>();

    @Mixin
    ConfigOptions config;

    public CidrSet load() throws IOException {
        List<String> all = new ArrayList<>(config.load(Map.of()).enrichment().allowlist());
        for (String a : allowlist) if (!a.isBlank()) all.add(a.trim());
        try {
            return CidrSet.of(all);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--allowlist / geo.allowlist: " + e.getMessage(), e);
        }
    }
}
