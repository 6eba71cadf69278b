package io.spikewatch.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spikewatch.evaluation.TruthIncident;
import io.spikewatch.generator.AddressPlan.Stream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Generates realistic AWS WAF and ALB access logs of a synthetic web shop, with labelled incidents,
 * for demos, benchmarks and measuring detection quality.
 *
 * <h2>Output</h2> In {@link GeneratorOptions#outputDir()}:
 * <ul>
 *   <li>{@code waf/waf-yyyyMMddTHH00.log.gz}: one WAF log record (JSON, AWS field names and order) per
 *       request, one gzip file per UTC hour of the request time, lines in time order;
 *   <li>{@code alb/alb-yyyyMMddTHH00.log.gz}: one ALB access-log entry per request — ALB sits behind
 *       WAF, so every request appears in both logs, a WAF block as a 403 with {@code actions_executed}
 *       {@code waf} and no target — one file per UTC hour of the entry's {@code time} (response end),
 *       lines ordered by {@code time}; entries finishing after the end of the run go to the last file;
 *   <li>{@code truth.jsonl}: one {@link TruthIncident} per planted incident (empty for quiet-day);
 *   <li>{@code geoip-country.mmdb}: a MaxMind-format country database (DB-IP layout) of every address
 *       block the run used, so that enriching ALB entries yields the country of the WAF records;
 *   <li>{@code generator.json}: the options, for the evaluator and for reproducing the run.
 * </ul>
 * Stale {@code waf-*.log.gz} / {@code alb-*.log.gz} files of an earlier run in the same directory are
 * deleted first; nothing else is touched.
 *
 * <h2>Traffic model</h2>
 * <ul>
 *   <li><b>Clients</b>: {@code distinctIps} regular clients; 75% in the home country, the rest over 25
 *       foreign countries with a Zipf skew (1/rank); ~10% IPv6; addresses from fixed synthetic blocks
 *       in each country's registry space ({@link AddressPlan}). Each client keeps one browser or app.
 *   <li><b>Volume</b>: each client's share of traffic is Pareto (80/20), capped so that the busiest
 *       legitimate client sends about 35 req/min at the daily peak ({@link ClientPopulation}).
 *   <li><b>Seasonality</b>: per country local time, a trough of 25% of the peak at 04:00 and the peak at
 *       16:00; weekends at 70% ({@link TrafficModel}). Foreign countries peak at other UTC hours.
 *   <li><b>Arrivals</b>: per minute and country a Poisson count at the expected rate, senders drawn by
 *       share, arrival times uniform within the minute.
 *   <li><b>Outcomes</b>: ~1.6% 4xx and ~0.3% 5xx of allowed requests, ~1% WAF blocks; log-normal
 *       latencies per content type ({@link RequestFactory}).
 *   <li><b>Crawlers</b>: Googlebot, bingbot, AhrefsBot, SemrushBot, YandexBot and Applebot, 4–24 req/min
 *       each around the clock (scaled down below 20 req/s).
 *   <li><b>Noise</b>: ~1% of requests from fresh foreign IPs sending 1–5 requests each — tools,
 *       probes, a few without User-Agent (blocked by the core rule set).
 *   <li><b>Incidents</b> per {@link Scenario}, placed by {@link IncidentPlanner} after a warm-up.
 * </ul>
 * The configured mean rate is the total (clients + crawlers + noise) averaged over a weekday.
 *
 * <h2>Streaming and determinism</h2> The run is generated minute by minute: the requests of one
 * minute (normal traffic, crawlers, noise and active incidents) are drawn, sorted by arrival and
 * written, so memory does not grow with the duration. ALB entries wait in a small queue until no
 * earlier {@code time} can come (a request takes at most the 60 s idle timeout). Same options and
 * seed give byte-identical files; the background traffic of a seed is also the same in every
 * scenario, because clients, noise and each incident draw from separate random streams and address
 * blocks. {@code progress} receives a line per simulated hour.
 */
public final class TrafficGenerator {
    static final String WAF_DIR = "waf";
    static final String ALB_DIR = "alb";
    static final String TRUTH_FILE = "truth.jsonl";
    static final String COUNTRY_DB_FILE = "geoip-country.mmdb";
    static final String OPTIONS_FILE = "generator.json";

    /** Expected requests per minute of the busiest legitimate client at the daily peak. */
    static final double BUSIEST_CLIENT_PER_MINUTE = 35;
    static final double NOISE_SHARE = 0.01;
    static final int NOISE_REQUESTS_PER_IP = 3;
    private static final String[] NOISE_USER_AGENTS = {
        "curl/8.5.0", "python-requests/2.32.3", "Go-http-client/1.1", "Wget/1.21.4",
        "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36",
        "Mozilla/5.0 (compatible; InternetMeasurement/1.0; +https://internet-measurement.com/)", null
    };

    private final GeneratorOptions options;

    public TrafficGenerator(GeneratorOptions options) {
        this.options = options;
    }

    /** Generates without progress output. */
    public GenerationSummary run() throws IOException {
        return run(line -> {});
    }

    /**
     * Generates everything into the output directory.
     *
     * @param progress receives one human-readable line per simulated hour and one at the end
     * @throws IllegalArgumentException when the duration is too short for the scenario's incidents
     */
    public GenerationSummary run(Consumer<String> progress) throws IOException {
        long began = System.nanoTime();
        Path dir = Files.createDirectories(options.outputDir());
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path optionsFile = dir.resolve(OPTIONS_FILE);
        Files.writeString(optionsFile, mapper.writeValueAsString(options.toJson(mapper)) + "\n");

        // One random stream per concern, split in a fixed order (see class comment).
        SplittableRandom root = new SplittableRandom(options.seed());
        SplittableRandom populationRnd = root.split();
        SplittableRandom trafficRnd = root.split();
        SplittableRandom noiseRnd = root.split();
        SplittableRandom incidentRnd = root.split();

        double totalPerMinute = options.meanRequestsPerSecond() * 60;
        double botScale = Math.min(1.0, options.meanRequestsPerSecond() / 20.0);
        double botsPerMinute = 0;
        for (CrawlerBot.Kind k : CrawlerBot.Kind.values()) botsPerMinute += k.ratePerMinute * botScale;
        double noisePerMinute = NOISE_SHARE * totalPerMinute;
        double legitPerMinute = Math.max(0.5 * totalPerMinute, totalPerMinute - botsPerMinute - noisePerMinute);

        CountryCatalog catalog = new CountryCatalog(options.homeCountry());
        AddressPlan addresses = new AddressPlan(catalog.countries());
        double maxShare = BUSIEST_CLIENT_PER_MINUTE / (legitPerMinute / TrafficModel.DIURNAL_MEAN);
        ClientPopulation population = new ClientPopulation(options.distinctIps(), maxShare, catalog, addresses,
                populationRnd);
        TrafficModel model = new TrafficModel(catalog, population.countryShare, legitPerMinute);
        RequestFactory factory = new RequestFactory();
        PlantedIncident.Context ctx = new PlantedIncident.Context(factory, population, model, catalog);

        long startMillis = options.start().toEpochMilli();
        int minutes = (int) options.duration().toMinutes();
        long endMillis = startMillis + minutes * 60_000L;
        List<PlantedIncident> incidents = IncidentPlanner.plan(options.scenario(), startMillis, minutes, ctx, incidentRnd);
        List<TruthIncident> labels = incidents.stream().map(PlantedIncident::truth).toList();
        Path truthFile = dir.resolve(TRUTH_FILE);
        try (BufferedWriter w = Files.newBufferedWriter(truthFile, StandardCharsets.UTF_8)) {
            ObjectMapper compact = new ObjectMapper();
            for (TruthIncident t : labels) w.write(compact.writeValueAsString(t.toJson(compact)) + "\n");
        }

        deleteStaleLogs(dir.resolve(WAF_DIR), "waf-");
        deleteStaleLogs(dir.resolve(ALB_DIR), "alb-");
        long requests = 0;
        long blocked = 0;
        List<SyntheticRequest> batch = new ArrayList<>();
        PriorityQueue<SyntheticRequest> albPending = new PriorityQueue<>(
                Comparator.comparingLong((SyntheticRequest r) -> r.completedMicros).thenComparingLong(r -> r.seq));
        StringBuilder line = new StringBuilder(2048);
        AlbLogFormat alb = new AlbLogFormat();
        Comparator<SyntheticRequest> byArrival =
                Comparator.comparingLong((SyntheticRequest r) -> r.createdMillis).thenComparingLong(r -> r.seq);
        try (HourlyGzipWriter wafOut = new HourlyGzipWriter(dir.resolve(WAF_DIR), "waf");
                HourlyGzipWriter albOut = new HourlyGzipWriter(dir.resolve(ALB_DIR), "alb")) {
            for (int m = 0; m < minutes; m++) {
                long minuteStart = startMillis + m * 60_000L;
                if (m > 0 && m % 60 == 0) progress.accept(progressLine(minuteStart, m, minutes, requests, began));
                batch.clear();
                for (int c = 0; c < catalog.size(); c++) {
                    int n = PoissonDraw.sample(trafficRnd, model.legitRate(c, minuteStart));
                    for (int i = 0; i < n; i++) {
                        Client client = population.pick(c, trafficRnd);
                        batch.add(factory.browse(client, minuteStart + trafficRnd.nextInt(60_000), trafficRnd));
                    }
                }
                for (CrawlerBot bot : population.bots) {
                    int n = PoissonDraw.sample(trafficRnd, bot.kind.ratePerMinute * botScale);
                    for (int i = 0; i < n; i++) {
                        batch.add(factory.crawl(bot.client, minuteStart + trafficRnd.nextInt(60_000), trafficRnd));
                    }
                }
                int noiseIps = PoissonDraw.sample(noiseRnd, noisePerMinute / NOISE_REQUESTS_PER_IP);
                for (int k = 0; k < noiseIps; k++) {
                    Client client = population.newAnonymousClient(population.randomForeignCountry(noiseRnd),
                            noiseRnd.nextDouble() < ClientPopulation.IPV6_SHARE, Stream.REGULAR, noiseRnd);
                    String ua = NOISE_USER_AGENTS[noiseRnd.nextInt(NOISE_USER_AGENTS.length)];
                    int n = 1 + noiseRnd.nextInt(2 * NOISE_REQUESTS_PER_IP - 1);
                    for (int i = 0; i < n; i++) {
                        batch.add(factory.noise(client, ua, minuteStart + noiseRnd.nextInt(60_000), noiseRnd));
                    }
                }
                for (PlantedIncident incident : incidents) {
                    if (incident.activeIn(minuteStart)) incident.emit(minuteStart, batch);
                }
                batch.sort(byArrival);

                // Nothing created from now on can finish before this minute starts.
                flushAlb(albPending, minuteStart * 1000, endMillis, albOut, alb, line);
                for (SyntheticRequest r : batch) {
                    line.setLength(0);
                    WafLogFormat.append(line, r);
                    wafOut.write(r.createdMillis, line);
                    albPending.add(r);
                    if (r.blocked()) blocked++;
                }
                requests += batch.size();
            }
            flushAlb(albPending, Long.MAX_VALUE, endMillis, albOut, alb, line);
            addresses.writeCountryDatabase(dir.resolve(COUNTRY_DB_FILE), options.start().getEpochSecond());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - began);
            GenerationSummary summary = new GenerationSummary(requests, blocked, labels, wafOut.files(),
                    albOut.files(), truthFile, dir.resolve(COUNTRY_DB_FILE), optionsFile, elapsed);
            progress.accept(String.format(Locale.ROOT,
                    "done: %,d requests (%,d blocked), %d incidents, %d+%d files, %.1f s, %,.0f lines/s",
                    requests, blocked, labels.size(), summary.wafFiles().size(), summary.albFiles().size(),
                    elapsed.toMillis() / 1000.0, summary.linesPerSecond()));
            return summary;
        }
    }

    private static void flushAlb(PriorityQueue<SyntheticRequest> pending, long beforeMicros, long runEndMillis,
            HourlyGzipWriter out, AlbLogFormat format, StringBuilder line) throws IOException {
        while (!pending.isEmpty() && pending.peek().completedMicros < beforeMicros) {
            SyntheticRequest r = pending.poll();
            line.setLength(0);
            format.append(line, r);
            // Entries finishing after the run's end stay in the last hour's file.
            out.write(Math.min(r.completedMicros / 1000, runEndMillis - 1), line);
        }
    }

    private static String progressLine(long minuteStart, int m, int minutes, long requests, long began) {
        double seconds = (System.nanoTime() - began) / 1e9;
        return String.format(Locale.ROOT, "%s  %d/%d h  %,d requests  %,.0f lines/s",
                Instant.ofEpochMilli(minuteStart), m / 60, (minutes + 59) / 60, requests, 2 * requests / seconds);
    }

    private static void deleteStaleLogs(Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, prefix + "*.log.gz")) {
            for (Path p : s) Files.delete(p);
        }
    }
}
