package io.spikewatch.connectors.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spikewatch.config.DurationText;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prepares an OpenSearch cluster for the job and checks it at job start.
 *
 * <p>{@link #install()} puts one composable index template per output kind (rates, alerts, dead
 * letters; mappings in {@code src/main/resources/opensearch/*-template.json}) so every daily or
 * monthly index is created with the right types — {@code ip} for client IPs, {@code keyword} for
 * keys, {@code date} for times — instead of whatever dynamic mapping guesses from the first
 * document. Where the cluster has the Index State Management plugin it also installs one retention
 * policy per kind that deletes indices older than the retention; elsewhere (the plain local node,
 * OpenSearch Serverless) it says so and skips them. Re-running it updates everything in place.
 *
 * <p>{@link #verify()} fails with a message naming each missing or outdated template and the set-up
 * command, so a job never starts writing into indices with guessed mappings.
 */
public final class OpenSearchSetup {
    /** Bumped whenever a template changes; {@link #verify()} asks for at least this version. */
    public static final int TEMPLATE_VERSION = 1;
    /** Above the usual catch-all templates, so spikewatch indices get these mappings. */
    static final int TEMPLATE_PRIORITY = 200;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KINDS = List.of(IndexNames.RATES, IndexNames.ALERTS, IndexNames.DEAD_LETTERS);

    /** How long each kind of index is kept where ISM exists (by index age, i.e. creation time). */
    public record Retention(Duration rates, Duration alerts, Duration deadLetters) {
        public static Retention defaults() {
            return new Retention(Duration.ofDays(30), Duration.ofDays(365), Duration.ofDays(14));
        }

        Duration of(String kind) {
            return switch (kind) {
                case IndexNames.RATES -> rates;
                case IndexNames.ALERTS -> alerts;
                default -> deadLetters;
            };
        }
    }

    private final OpenSearchSettings settings;
    private final OpenSearchHttpClient client;
    private final Retention retention;

    public OpenSearchSetup(OpenSearchSettings settings, Retention retention) {
        this(settings, new OpenSearchHttpClient(settings), retention);
    }

    OpenSearchSetup(OpenSearchSettings settings, OpenSearchHttpClient client, Retention retention) {
        this.settings = settings;
        this.client = client;
        this.retention = retention;
    }

    /** Installs or updates templates and (where ISM exists) retention policies; returns what it did, one line each. */
    public List<String> install() throws IOException {
        List<String> done = new ArrayList<>();
        String prefix = settings.indexPrefix();
        for (String kind : KINDS) {
            String name = IndexNames.templateName(prefix, kind);
            OpenSearchHttpClient.Response r = client.put("/_index_template/" + name, templateJson(prefix, kind));
            if (!r.ok()) {
                throw new OpenSearchAccessException("installing index template '" + name + "' on " + client.host()
                        + " failed: HTTP " + r.status() + " " + abbreviate(r.body()), r.status());
            }
            done.add("index template " + name + " -> " + IndexNames.pattern(prefix, kind) + " (version " + TEMPLATE_VERSION + ")");
        }
        if (!ismAvailable()) {
            done.add("note: no Index State Management plugin on " + client.host()
                    + "; retention policies skipped (delete old indices yourself, or use a data lifecycle policy on OpenSearch Serverless)");
            return done;
        }
        for (String kind : KINDS) {
            String name = IndexNames.templateName(prefix, kind) + "-retention";
            String path = "/_plugins/_ism/policies/" + name;
            OpenSearchHttpClient.Response existing = client.get(path);
            String query = "";
            if (existing.ok()) {
                // ISM refuses a blind overwrite; an update names the version it replaces.
                JsonNode e = JSON.readTree(existing.body());
                query = "?if_seq_no=" + e.path("_seq_no").asLong() + "&if_primary_term=" + e.path("_primary_term").asLong();
            }
            OpenSearchHttpClient.Response r = client.put(path + query, policyJson(prefix, kind, retention.of(kind)));
            if (!r.ok()) {
                throw new OpenSearchAccessException("installing ISM policy '" + name + "' on " + client.host()
                        + " failed: HTTP " + r.status() + " " + abbreviate(r.body()), r.status());
            }
            done.add("ISM policy " + name + ": delete " + IndexNames.pattern(prefix, kind) + " after "
                    + DurationText.format(retention.of(kind)) + " (applies to indices created from now on)");
        }
        return done;
    }

    /**
     * Checks that every template exists in at least {@link #TEMPLATE_VERSION} and matches its index
     * pattern. Used at job start; throws naming each problem and the command that fixes it.
     */
    public void verify() throws IOException {
        List<String> problems = new ArrayList<>();
        String prefix = settings.indexPrefix();
        for (String kind : KINDS) {
            String name = IndexNames.templateName(prefix, kind);
            OpenSearchHttpClient.Response r = client.get("/_index_template/" + name);
            if (r.status() == 404) {
                problems.add("index template '" + name + "' is missing");
                continue;
            }
            if (!r.ok()) {
                throw new OpenSearchAccessException("checking index template '" + name + "' on " + client.host()
                        + " failed: HTTP " + r.status() + " " + abbreviate(r.body()), r.status());
            }
            JsonNode t = JSON.readTree(r.body()).path("index_templates").path(0).path("index_template");
            int version = t.path("version").asInt(0);
            boolean patternOk = false;
            for (JsonNode p : t.path("index_patterns")) patternOk |= p.asText().equals(IndexNames.pattern(prefix, kind));
            if (version < TEMPLATE_VERSION) {
                problems.add("index template '" + name + "' is outdated (version " + version + ", need " + TEMPLATE_VERSION + ")");
            } else if (!patternOk) {
                problems.add("index template '" + name + "' does not match " + IndexNames.pattern(prefix, kind));
            }
        }
        if (!problems.isEmpty()) {
            throw new OpenSearchAccessException("OpenSearch at " + client.host() + " is not set up for spikewatch: "
                    + String.join("; ", problems) + ". Run: " + setupCommand(), 404);
        }
    }

    /** Whether the cluster has the ISM plugin: listed by {@code _cat/plugins}, or its API answers. */
    boolean ismAvailable() throws IOException {
        OpenSearchHttpClient.Response plugins = client.get("/_cat/plugins?format=json&h=component");
        if (plugins.ok()) {
            for (JsonNode p : JSON.readTree(plugins.body())) {
                if (p.path("component").asText().contains("index-management")) return true;
            }
            return false;
        }
        // _cat/plugins is not served everywhere (e.g. Serverless): ask the ISM API itself.
        return client.get("/_plugins/_ism/policies?size=1").ok();
    }

    /** The set-up command for these settings, as a user would type it (never with a password). */
    public String setupCommand() {
        StringBuilder cmd = new StringBuilder("./spikewatch setup --opensearch ").append(settings.hosts().get(0));
        if (!settings.indexPrefix().equals("spikewatch")) cmd.append(" --index-prefix ").append(settings.indexPrefix());
        if (settings.basicAuth()) {
            cmd.append(" --username ").append(settings.username());
            if (settings.passwordEnv() != null) cmd.append(" --password-env ").append(settings.passwordEnv());
            else cmd.append(" --password-file ").append(settings.passwordFile());
        }
        if (settings.caCertFile() != null) cmd.append(" --ca-cert ").append(settings.caCertFile());
        if (settings.sigV4Enabled()) {
            cmd.append(" --sigv4-region ").append(settings.sigV4Region()).append(" --sigv4-service ").append(settings.sigV4Service());
        }
        return cmd.toString();
    }

    /** The index template body for one kind, as sent to {@code PUT _index_template/PREFIX-KIND}. */
    public static String templateJson(String prefix, String kind) {
        ObjectNode t = (ObjectNode) resource(kind + "-template.json");
        ObjectNode out = JSON.createObjectNode();
        out.putArray("index_patterns").add(IndexNames.pattern(prefix, kind));
        out.put("priority", TEMPLATE_PRIORITY);
        out.put("version", TEMPLATE_VERSION);
        out.putObject("_meta").put("managed_by", "spikewatch setup").put("kind", kind);
        out.set("template", t.get("template"));
        return out.toString();
    }

    static String policyJson(String prefix, String kind, Duration keep) {
        String text = resource("retention-policy.json").toString()
                .replace("RETENTION", DurationText.format(keep))
                .replace("PATTERN", IndexNames.pattern(prefix, kind));
        return text;
    }

    /** Index name → template name, for every kind (documentation and tests). */
    public static Map<String, String> templates(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kind : KINDS) out.put(IndexNames.pattern(prefix, kind), IndexNames.templateName(prefix, kind));
        return out;
    }

    private static JsonNode resource(String name) {
        try (InputStream in = OpenSearchSetup.class.getResourceAsStream("/opensearch/" + name)) {
            if (in == null) throw new IllegalStateException("resource /opensearch/" + name + " is missing from the jar");
            return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String abbreviate(String body) {
        if (body == null) return "";
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }
}
