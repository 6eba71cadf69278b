package io.spikewatch.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spikewatch.enrichment.IpLiteral;
import io.spikewatch.enrichment.MmdbCountryLookup;
import io.spikewatch.evaluation.Evaluator;
import io.spikewatch.evaluation.TruthIncident;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generates one 3-hour mixed run with few clients and checks the files the way a consumer would
 * read them: every WAF line with Jackson, every ALB line with a quote-aware split, both logs against
 * each other, the labels against the traffic, and the country database against the WAF countries.
 */
class TrafficGeneratorTest {
    static final Instant START = GeneratorOptions.DEFAULT_START;
    static final Duration RUN = Duration.ofHours(3);
    static final Pattern REQUEST_ID = Pattern.compile("1-[0-9a-f]{8}-[0-9a-f]{24}");
    static final List<String> WAF_FIELDS = List.of("timestamp", "formatVersion", "webaclId", "terminatingRuleId",
            "terminatingRuleType", "action", "terminatingRuleMatchDetails", "httpSourceName", "httpSourceId",
            "ruleGroupList", "rateBasedRuleList", "nonTerminatingMatchingRules", "requestHeadersInserted",
            "responseCodeSent", "httpRequest");
    static final List<String> WAF_FIELDS_WITH_LABELS = Stream.concat(WAF_FIELDS.stream(), Stream.of("labels")).toList();
    static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    static final Pattern TARGET_STATUS = Pattern.compile("-|[1-5][0-9][0-9]");
    static final Pattern REQUEST_LINE = Pattern.compile("(GET|POST) https://shop\\.example\\.com:443/\\S* HTTP/(1\\.1|2\\.0)");
    static final Pattern TRACE_ID = Pattern.compile("Root=1-[0-9a-f]{8}-[0-9a-f]{24}");
    static final Pattern CONN_TRACE_ID = Pattern.compile("TID_[0-9a-f]{32}");
    static final List<String> HTTP_REQUEST_FIELDS = List.of("clientIp", "country", "headers", "uri", "args",
            "httpVersion", "httpMethod", "requestId");

    @TempDir static Path dir;
    static GeneratorOptions options;
    static GenerationSummary summary;
    static List<TruthIncident> truth;
    static final List<Waf> waf = new ArrayList<>();
    static final List<Alb> alb = new ArrayList<>();

    record Waf(long timestamp, String ip, String country, String action, String rule, String uri, String requestId) {}

    record Alb(Instant time, Instant created, String ip, int status, String actions, String target, String traceId,
            String userAgent) {}

    @BeforeAll
    static void generate() throws IOException {
        options = GeneratorOptions.defaults(Scenario.MIXED, dir.resolve("run"))
                .withDuration(RUN).withDistinctIps(400).withMeanRequestsPerSecond(2).withSeed(4);
        List<String> progress = new ArrayList<>();
        summary = new TrafficGenerator(options).run(progress::add);
        assertThat(progress).hasSize(3).last().asString().startsWith("done:");
        truth = Evaluator.readTruth(summary.truthFile());
        ObjectMapper mapper = new ObjectMapper();
        for (Path f : summary.wafFiles()) {
            long previous = 0;
            for (String line : lines(f)) {
                JsonNode n = mapper.readTree(line);
                Waf w = checkWaf(n);
                require(w.timestamp() >= previous, "WAF time order", line);
                require(hourFileName(w.timestamp()).equals(f.getFileName().toString()), "WAF hour file", line);
                previous = w.timestamp();
                waf.add(w);
            }
        }
        for (Path f : summary.albFiles()) {
            Instant previous = Instant.MIN;
            for (String line : lines(f)) {
                Alb a = checkAlb(line);
                require(!a.time().isBefore(previous), "ALB time order", line);
                previous = a.time();
                alb.add(a);
            }
        }
    }

    @Test
    void writesEveryFile() throws IOException {
        Path run = dir.resolve("run");
        assertThat(summary.wafFiles()).extracting(p -> p.getFileName().toString())
                .containsExactly("waf-20261102T0000.log.gz", "waf-20261102T0100.log.gz", "waf-20261102T0200.log.gz");
        assertThat(summary.albFiles()).extracting(p -> p.getFileName().toString())
                .containsExactly("alb-20261102T0000.log.gz", "alb-20261102T0100.log.gz", "alb-20261102T0200.log.gz");
        assertThat(run.resolve("geoip-country.mmdb")).isRegularFile();
        JsonNode written = new ObjectMapper().readTree(run.resolve("generator.json").toFile());
        assertThat(written.get("scenario").asText()).isEqualTo("mixed");
        assertThat(written.get("duration").asText()).isEqualTo("PT3H");
        assertThat(written.get("seed").asLong()).isEqualTo(4);
        assertThat(summary.requests()).isEqualTo(waf.size()).isEqualTo(alb.size());
        assertThat(summary.blocked()).isEqualTo(waf.stream().filter(w -> w.action().equals("BLOCK")).count());
    }

    @Test
    void everyRequestIsInBothLogsWithTheSameMinuteAndOutcome() {
        Map<Long, Integer> wafPerMinute = new TreeMap<>();
        Map<Long, Integer> albPerMinute = new TreeMap<>();
        waf.forEach(w -> wafPerMinute.merge(w.timestamp() / 60_000, 1, Integer::sum));
        alb.forEach(a -> albPerMinute.merge(a.created().toEpochMilli() / 60_000, 1, Integer::sum));
        assertThat(albPerMinute).isEqualTo(wafPerMinute);
        assertThat(wafPerMinute).hasSize((int) RUN.toMinutes());

        Map<String, Waf> byId = new HashMap<>();
        waf.forEach(w -> byId.put(w.requestId(), w));
        assertThat(byId).as("request ids are unique").hasSize(waf.size());
        for (Alb a : alb) {
            Waf w = byId.get(a.traceId().substring("Root=".length()));
            assertThat(w).as(a.traceId()).isNotNull();
            assertThat(a.ip()).isEqualTo(w.ip());
            assertThat(a.created().toEpochMilli()).isEqualTo(w.timestamp());
            if (w.action().equals("BLOCK")) {
                assertThat(a.status()).isEqualTo(403);
                assertThat(a.actions()).isEqualTo("waf");
                assertThat(a.target()).isEqualTo("-");
            } else {
                assertThat(a.actions()).isEqualTo("waf,forward");
                assertThat(a.target()).isNotEqualTo("-");
            }
        }
    }

    @Test
    void incidentsAreLabelledInsideTheRunAndShowInTheTraffic() {
        Instant end = START.plus(RUN);
        assertThat(truth).extracting(TruthIncident::kind)
                .containsExactlyInAnyOrder("ip-flood", "country-surge", "scanner", "flash-crowd");
        assertThat(truth).extracting(TruthIncident::start).isSorted();
        for (TruthIncident t : truth) {
            // 3-hour run: the warm-up is the first hour; 5 minutes of grace stay at the end.
            assertThat(t.start()).isAfterOrEqualTo(START.plus(Duration.ofHours(1))).isBefore(t.end());
            assertThat(t.end()).isBeforeOrEqualTo(end.minus(Duration.ofMinutes(5)));
            assertThat(t.start().toEpochMilli() % 60_000).isZero();
        }
        TruthIncident flood = incident("ip-flood");
        assertThat(flood.dimension()).isEqualTo("ip");
        List<Waf> floodRequests = during(flood).stream().filter(w -> w.ip().equals(flood.key())).toList();
        long minutes = Duration.between(flood.start(), flood.end()).toMinutes();
        assertThat(floodRequests.size() / (double) minutes).isBetween(1400.0, 4200.0);
        assertThat(flood.country()).isEqualTo(floodRequests.get(0).country());
        List<Waf> afterFirstMinute = floodRequests.stream()
                .filter(w -> w.timestamp() >= flood.start().toEpochMilli() + 60_000).toList();
        assertThat(afterFirstMinute.stream().filter(w -> "RateLimitRule".equals(w.rule())).count())
                .isGreaterThan((long) (afterFirstMinute.size() * 0.9));

        TruthIncident scanner = incident("scanner");
        List<Alb> probes = alb.stream().filter(a -> a.ip().equals(scanner.key())).toList();
        long errors = probes.stream().filter(a -> a.status() >= 400 && a.status() < 500).count();
        assertThat(errors / (double) probes.size()).isBetween(0.80, 0.97);
        assertThat(probes.size() / (double) Duration.between(scanner.start(), scanner.end()).toMinutes())
                .isBetween(25.0, 55.0);

        TruthIncident surge = incident("country-surge");
        assertThat(surge.dimension()).isEqualTo("country");
        assertThat(surge.key()).isEqualTo(surge.country()).isNotEqualTo("US");
        Set<String> before = new HashSet<>();
        waf.stream().filter(w -> w.timestamp() < surge.start().toEpochMilli()).forEach(w -> before.add(w.ip()));
        Set<String> newcomers = new HashSet<>();
        during(surge).stream().filter(w -> w.country().equals(surge.key()) && !before.contains(w.ip()))
                .forEach(w -> newcomers.add(w.ip()));
        assertThat(newcomers.size()).isGreaterThanOrEqualTo(300);
        double normal = perMinute(w -> w.country().equals(surge.key()), surge.start().minus(Duration.ofMinutes(30)),
                surge.start());
        double surging = perMinute(w -> w.country().equals(surge.key()), surge.start().plus(Duration.ofMinutes(2)),
                surge.end());
        assertThat(surging).isGreaterThanOrEqualTo(Math.max(400, 5 * normal));

        TruthIncident crowd = incident("flash-crowd");
        assertThat(crowd.key()).isEqualTo("domestic");
        assertThat(crowd.country()).isEqualTo("US"); // a domestic crowd is home-country traffic
        double quiet = perMinute(w -> w.country().equals("US") && !isIncidentIp(w.ip()),
                crowd.start().minus(Duration.ofMinutes(10)), crowd.start());
        double peak = perMinute(w -> w.country().equals("US") && !isIncidentIp(w.ip()),
                crowd.start().plus(Duration.ofMinutes(1)), crowd.start().plus(Duration.ofMinutes(4)));
        assertThat(peak / quiet).isBetween(2.5, 6.0);
        assertThat(during(crowd).stream().filter(w -> w.country().equals("US") && w.action().equals("BLOCK")
                && w.uri().startsWith("/live/"))).isEmpty();
    }

    @Test
    void noLegitimateClientIsBusierThanSixtyRequestsPerMinute() {
        Map<String, Integer> perIpMinute = new HashMap<>();
        for (Waf w : waf) {
            if (!isIncidentIp(w.ip())) perIpMinute.merge(w.ip() + "@" + w.timestamp() / 60_000, 1, Integer::sum);
        }
        // The surge's clients are labelled by country, not by IP; they stay far below too.
        assertThat(perIpMinute.values().stream().mapToInt(Integer::intValue).max().orElseThrow()).isLessThanOrEqualTo(60);
    }

    @Test
    void everyClientResolvesToItsWafCountryInTheWrittenDatabase() throws IOException {
        Map<String, String> countryOf = new HashMap<>();
        for (Waf w : waf) {
            String previous = countryOf.putIfAbsent(w.ip(), w.country());
            assertThat(previous == null || previous.equals(w.country())).as(w.ip()).isTrue();
        }
        assertThat(countryOf.keySet().stream().filter(ip -> ip.contains(":")).count()).isGreaterThan(10);
        int checked = 0;
        try (MmdbCountryLookup lookup = MmdbCountryLookup.open(summary.countryDatabase())) {
            assertThat(lookup.databaseType()).isEqualTo("spikewatch-synthetic-country");
            for (Map.Entry<String, String> e : countryOf.entrySet()) {
                assertThat(lookup.country(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
                checked++;
            }
            assertThat(lookup.country("192.168.1.1")).isNull();
            assertThat(lookup.country("8.8.8.8")).isNull();
        }
        assertThat(checked).isGreaterThan(400);
    }

    @Test
    void sameOptionsGiveIdenticalBytes() throws IOException {
        Path first = dir.resolve("run");
        Path again = dir.resolve("again");
        new TrafficGenerator(options.withOutputDir(again)).run();
        List<Path> files = listFiles(first);
        assertThat(files).hasSize(3 + 3 + 3).isEqualTo(listFiles(again));
        for (Path rel : files) {
            assertThat(Files.mismatch(first.resolve(rel), again.resolve(rel))).as(rel.toString()).isEqualTo(-1L);
        }
    }

    @Test
    void quietDayHasNoIncidentsAndTheSameBackgroundAsOtherScenarios() throws IOException {
        GeneratorOptions quiet = GeneratorOptions.defaults(Scenario.QUIET_DAY, dir.resolve("quiet"))
                .withDuration(Duration.ofMinutes(60)).withDistinctIps(200).withMeanRequestsPerSecond(2);
        new TrafficGenerator(quiet).run();
        assertThat(Files.readString(dir.resolve("quiet/truth.jsonl"))).isEmpty();
        // The flood starts after the warm-up (20 minutes): the first 20 minutes are identical.
        new TrafficGenerator(quiet.withOutputDir(dir.resolve("flood")).withScenario(Scenario.IP_FLOOD)).run();
        List<String> quietLines = lines(dir.resolve("quiet/waf/waf-20261102T0000.log.gz"));
        List<String> floodLines = lines(dir.resolve("flood/waf/waf-20261102T0000.log.gz"));
        long cut = START.plus(Duration.ofMinutes(20)).toEpochMilli();
        assertThat(floodLines.stream().filter(l -> timestamp(l) < cut).toList())
                .isEqualTo(quietLines.stream().filter(l -> timestamp(l) < cut).toList());
        assertThat(floodLines.size()).isGreaterThan(quietLines.size() + 5_000);
        // Another seed is another day.
        new TrafficGenerator(quiet.withOutputDir(dir.resolve("quiet2")).withSeed(2)).run();
        assertThat(lines(dir.resolve("quiet2/waf/waf-20261102T0000.log.gz")).subList(0, 100))
                .doesNotContainAnyElementsOf(quietLines.subList(0, 100));
    }

    @Test
    void tooShortRunsAreRejectedWithAReason() {
        GeneratorOptions options = GeneratorOptions.defaults(Scenario.MIXED, dir.resolve("short"))
                .withDuration(Duration.ofMinutes(40)).withDistinctIps(50);
        assertThatThrownBy(() -> new TrafficGenerator(options).run())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too short");
    }

    // ---- parsing, as a consumer of the logs would ----

    static Waf checkWaf(JsonNode n) {
        // Plain checks rather than AssertJ chains: this runs for every one of ~130,000 lines.
        List<String> fields = new ArrayList<>();
        n.fieldNames().forEachRemaining(fields::add);
        List<String> expected = n.has("labels") ? WAF_FIELDS_WITH_LABELS : WAF_FIELDS;
        require(fields.equals(expected), "field order " + fields, n);
        require(n.get("timestamp").isIntegralNumber(), "timestamp", n);
        require(n.get("formatVersion").asInt() == 1, "formatVersion", n);
        require(n.get("webaclId").asText().startsWith("arn:aws:wafv2:"), "webaclId", n);
        require(n.get("httpSourceName").asText().equals("ALB"), "httpSourceName", n);
        require(n.get("httpSourceId").asText().endsWith("app/spikewatch-alb/50dc6c495c0c9188"), "httpSourceId", n);
        require(n.get("requestHeadersInserted").isNull() && n.get("responseCodeSent").isNull(), "null fields", n);
        for (String array : List.of("terminatingRuleMatchDetails", "ruleGroupList", "rateBasedRuleList",
                "nonTerminatingMatchingRules")) {
            require(n.get(array).isArray(), array, n);
        }
        String action = n.get("action").asText();
        String rule = n.get("terminatingRuleId").asText();
        require(action.equals("ALLOW") || action.equals("BLOCK"), "action", n);
        require(rule.equals("Default_Action") == action.equals("ALLOW"), "rule vs action", n);
        if (rule.equals("RateLimitRule")) {
            require(n.get("terminatingRuleType").asText().equals("RATE_BASED"), "rate rule type", n);
            require(n.get("rateBasedRuleList").get(0).get("rateBasedRuleName").asText().equals("RateLimitRule"),
                    "rateBasedRuleList", n);
        } else if (action.equals("BLOCK")) {
            require(n.get("terminatingRuleType").asText().equals("MANAGED_RULE_GROUP"), "managed rule type", n);
            require(n.get("ruleGroupList").get(0).get("terminatingRule").get("action").asText().equals("BLOCK"),
                    "ruleGroupList", n);
            require(n.get("labels").get(0).get("name").asText().startsWith("awswaf:managed:aws:"), "labels", n);
        } else {
            require(n.get("terminatingRuleType").asText().equals("REGULAR"), "default rule type", n);
        }
        JsonNode r = n.get("httpRequest");
        List<String> requestFields = new ArrayList<>();
        r.fieldNames().forEachRemaining(requestFields::add);
        require(requestFields.equals(HTTP_REQUEST_FIELDS), "httpRequest field order " + requestFields, n);
        String ip = r.get("clientIp").asText();
        require(IpLiteral.isValid(ip), "clientIp", n);
        require(COUNTRY.matcher(r.get("country").asText()).matches(), "country", n);
        require(r.get("headers").isArray(), "headers", n);
        Map<String, String> headers = new HashMap<>();
        for (JsonNode h : r.get("headers")) {
            headers.put(h.get("name").asText().toLowerCase(Locale.ROOT), h.get("value").asText());
        }
        require("shop.example.com".equals(headers.get("host")) && headers.containsKey("accept"), "headers", n);
        require(r.get("uri").asText().startsWith("/"), "uri", n);
        require(r.get("args").isTextual(), "args", n);
        String version = r.get("httpVersion").asText();
        require(version.equals("HTTP/1.1") || version.equals("HTTP/2.0"), "httpVersion", n);
        // HTTP/2 header names are lower case on the wire, and WAF logs them as received.
        require(headers.keySet().stream().allMatch(h -> version.equals("HTTP/1.1")
                || h.equals(h.toLowerCase(Locale.ROOT))), "h2 header case", n);
        String method = r.get("httpMethod").asText();
        require(method.equals("GET") || method.equals("POST"), "httpMethod", n);
        require(REQUEST_ID.matcher(r.get("requestId").asText()).matches(), "requestId", n);
        return new Waf(n.get("timestamp").asLong(), ip, r.get("country").asText(), action, rule, r.get("uri").asText(),
                r.get("requestId").asText());
    }

    static Alb checkAlb(String line) {
        List<String> f = splitAlb(line);
        require(f.size() == 30, "30 fields, not " + f.size(), line);
        require(f.get(0).equals("h2") || f.get(0).equals("https"), "type", line);
        Instant time = Instant.parse(f.get(1));
        require(f.get(2).equals("app/spikewatch-alb/50dc6c495c0c9188"), "elb", line);
        String client = f.get(3);
        String ip = client.substring(0, client.lastIndexOf(':'));
        require(IpLiteral.isValid(ip), "client ip", line);
        int port = Integer.parseInt(client.substring(client.lastIndexOf(':') + 1));
        require(port > 0 && port < 65536, "client port", line);
        for (int i = 5; i <= 7; i++) require(Double.parseDouble(f.get(i)) >= -1, "timing " + i, line);
        int status = Integer.parseInt(f.get(8));
        require(TARGET_STATUS.matcher(f.get(9)).matches(), "target_status_code", line);
        Long.parseLong(f.get(10));
        Long.parseLong(f.get(11));
        require(REQUEST_LINE.matcher(f.get(12)).matches(), "request", line);
        require(f.get(12).endsWith(f.get(0).equals("h2") ? "HTTP/2.0" : "HTTP/1.1"), "type vs protocol", line);
        require(TRACE_ID.matcher(f.get(17)).matches(), "trace_id", line);
        Instant created = Instant.parse(f.get(21));
        require(!created.isAfter(time), "request_creation_time after time", line);
        require(f.get(22).equals("waf") || f.get(22).equals("waf,forward"), "actions_executed", line);
        require(f.get(22).equals("waf") == f.get(4).equals("-"), "target when forwarded", line);
        require(CONN_TRACE_ID.matcher(f.get(29)).matches(), "conn_trace_id", line);
        return new Alb(time, created, ip, status, f.get(22), f.get(4), f.get(17), f.get(13));
    }

    static void require(boolean condition, String what, Object line) {
        if (!condition) throw new AssertionError(what + " wrong in: " + line);
    }

    /** Splits on spaces outside double quotes and drops the quotes, like the documented format. */
    static List<String> splitAlb(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        require(!quoted, "balanced quotes", line);
        return out;
    }

    static List<String> lines(Path gz) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.US_ASCII))) {
            for (String l; (l = r.readLine()) != null; ) out.add(l);
        }
        return out;
    }

    static String hourFileName(long millis) {
        String iso = Instant.ofEpochMilli(millis).toString();
        return "waf-" + iso.substring(0, 4) + iso.substring(5, 7) + iso.substring(8, 10) + "T"
                + iso.substring(11, 13) + "00.log.gz";
    }

    static long timestamp(String wafLine) {
        return Long.parseLong(wafLine.substring("{\"timestamp\":".length(), wafLine.indexOf(',')));
    }

    static TruthIncident incident(String kind) {
        return truth.stream().filter(t -> kind.equals(t.kind())).findFirst().orElseThrow();
    }

    static List<Waf> during(TruthIncident t) {
        return waf.stream().filter(w -> w.timestamp() >= t.start().toEpochMilli() && w.timestamp() < t.end().toEpochMilli())
                .toList();
    }

    static boolean isIncidentIp(String ip) {
        return truth.stream().anyMatch(t -> t.dimension().equals("ip") && t.key().equals(ip));
    }

    static double perMinute(java.util.function.Predicate<Waf> filter, Instant from, Instant to) {
        long n = waf.stream().filter(w -> w.timestamp() >= from.toEpochMilli() && w.timestamp() < to.toEpochMilli())
                .filter(filter).count();
        return n / (double) Duration.between(from, to).toMinutes();
    }

    static List<Path> listFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> out = new ArrayList<>();
            for (Iterator<Path> it = s.filter(Files::isRegularFile).iterator(); it.hasNext(); ) {
                out.add(root.relativize(it.next()));
            }
            out.sort(null);
            return out;
        }
    }
}
