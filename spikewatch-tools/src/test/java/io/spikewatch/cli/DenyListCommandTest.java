package io.spikewatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spikewatch.analyst.OutputFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code denylist} end to end over a replay folder: the files it writes, the allowlist, the merge and the user errors. */
class DenyListCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NEWEST = Instant.parse("2026-11-02T09:00:00Z");

    private static Path folder(Path dir) throws Exception {
        return new OutputFixture()
                .alert(OutputFixture.alert("a", "ip", "203.0.113.50", "requests", "critical", NEWEST.minusSeconds(600), NEWEST, 900, 880))
                .alert(OutputFixture.alert("b", "ip", "2001:db8::7", "client_errors", "low", NEWEST.minusSeconds(900), NEWEST.minusSeconds(800), 50, 0))
                .alert(OutputFixture.alert("c", "ip", "192.0.2.10", "requests", "critical", NEWEST.minusSeconds(600), NEWEST, 900, 880))
                // Two days before the newest document: outside --since 24h.
                .alert(OutputFixture.alert("d", "ip", "198.51.100.1", "requests", "critical", NEWEST.minusSeconds(172_800),
                        NEWEST.minusSeconds(172_000), 900, 880))
                .writeTo(dir.resolve("replay"));
    }

    private static int run(String... args) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return SpikewatchCli.execute(args);
        } finally {
            System.setOut(out);
        }
    }

    @Test
    void writesBothIpSetsAndTheCandidatesWithoutAllowlistedAddresses(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("deny");
        int exit = run("denylist", "--input", folder(dir).toString(), "--since", "24h", "--out", out.toString(),
                "--allowlist", "192.0.2.0/24", "--name", "edge", "--scope", "CLOUDFRONT", "--id", "v4-id");
        assertThat(exit).isZero();
        JsonNode v4 = JSON.readTree(Files.readString(out.resolve("ipset-ipv4.json")));
        assertThat(v4.get("Name").asText()).isEqualTo("edge-ipv4");
        assertThat(v4.get("Scope").asText()).isEqualTo("CLOUDFRONT");
        assertThat(v4.get("Id").asText()).isEqualTo("v4-id");
        assertThat(v4.get("Addresses")).extracting(JsonNode::asText).containsExactly("203.0.113.50/32");
        JsonNode v6 = JSON.readTree(Files.readString(out.resolve("ipset-ipv6.json")));
        assertThat(v6.get("Name").asText()).isEqualTo("edge-ipv6");
        assertThat(v6.get("Addresses")).extracting(JsonNode::asText).containsExactly("2001:db8::7/128");
        assertThat(Files.readAllLines(out.resolve("candidates.csv"))).hasSize(3)
                .anySatisfy(l -> assertThat(l).startsWith("2001:db8::7,NL,scanner: client-error (4xx) surge,"));
    }

    @Test
    void mergesIntoTheCurrentSet(@TempDir Path dir) throws Exception {
        Path current = dir.resolve("current.json");
        Files.writeString(current, "{\"IPSet\":{\"Name\":\"deny4\",\"Id\":\"id-1\",\"Addresses\":[\"10.0.0.0/8\"]},\"LockToken\":\"tok\"}");
        Path out = dir.resolve("deny");
        assertThat(run("denylist", "--input", folder(dir).toString(), "--out", out.toString(), "--merge-ipv4", current.toString()))
                .isZero();
        JsonNode v4 = JSON.readTree(Files.readString(out.resolve("ipset-ipv4.json")));
        assertThat(v4.get("Name").asText()).isEqualTo("deny4");
        assertThat(v4.get("Id").asText()).isEqualTo("id-1");
        assertThat(v4.get("LockToken").asText()).isEqualTo("tok");
        assertThat(v4.get("Addresses")).extracting(JsonNode::asText).containsExactly("10.0.0.0/8", "192.0.2.10/32", "203.0.113.50/32");
    }

    @Test
    void badArgumentsAreUserErrors(@TempDir Path dir) throws Exception {
        assertThat(run("denylist", "--input", folder(dir).toString(), "--out", dir.toString(), "--scope", "GLOBAL"))
                .isEqualTo(SpikewatchCli.USER_ERROR);
        assertThat(run("denylist", "--input", dir.resolve("nowhere").toString(), "--out", dir.toString()))
                .isEqualTo(SpikewatchCli.USER_ERROR);
        assertThat(run("denylist", "--input", folder(dir).toString(), "--out", dir.toString(), "--allowlist", "not-a-cidr"))
                .isEqualTo(SpikewatchCli.USER_ERROR);
    }
}
