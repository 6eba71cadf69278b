package io.spikewatch.cli;

import io.spikewatch.config.ConfigLoader;
import io.spikewatch.enrichment.CidrSet;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code --allowlist CIDR,...} plus the {@code geo.allowlist} of a job profile ({@code --config}). */
public class AllowlistOptions {
    static final String GEO_ALLOWLIST = "geo.allowlist";

    @Option(names = "--allowlist", split = ",", paramLabel = "CIDR",
            description = "Ranges never to deny (comma-separated IPv4/IPv6 CIDRs or addresses), added to the profile's geo.allowlist.")
    List<String> allowlist = new ArrayList<>();

    @Mixin
    ConfigOptions config;

    public CidrSet load() throws IOException {
        // Only this key of the profile is read: the tools need no ALB database or streams to be valid.
        List<String> all = new ArrayList<>();
        String fromProfile = ConfigLoader.read(config.profile(), config.overrides()).getOrDefault(GEO_ALLOWLIST, "");
        for (String a : fromProfile.split(",")) if (!a.isBlank()) all.add(a.trim());
        for (String a : allowlist) if (!a.isBlank()) all.add(a.trim());
        try {
            return CidrSet.of(all);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--allowlist / geo.allowlist: " + e.getMessage(), e);
        }
    }
}
