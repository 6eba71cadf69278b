package io.spikewatch.bench;

import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.functions.ParseRecordsFunction;
import io.spikewatch.generator.GeneratorOptions;
import io.spikewatch.generator.Scenario;
import io.spikewatch.records.DocumentJson;
import io.spikewatch.records.RawRecord;
import io.spikewatch.workflows.SpikewatchWorkflow;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole spikewatch pipeline (decode, parse, enrich, window, baseline, detect, render outputs)
 * at parallelism 1 over in-memory lines, with every output rendered to JSON and discarded.
 */
public final class ThroughputBenchmark {
    private ThroughputBenchmark() {}

    /** One measured run. */
    public record Result(String name, long records, long events, long rates, long alerts, long deadLetters,
                         ResourceMeter.Usage usage) {
        public double eventsPerSecond() {
            return events / usage.wallSeconds();
        }

        public double eventsPerCpuSecond() {
            return events / usage.cpuSeconds();
        }

        public double bytesAllocatedPerEvent() {
            return (double) usage.allocatedBytes() / Math.max(1, events);
        }

        public double allocationMbPerSecond() {
            return usage.allocatedBytes() / 1e6 / usage.wallSeconds();
        }

        /**
         * The result as {@code key=value} lines, how a benchmark process hands it to the one that
         * started it ({@link #fromText}); CPU seconds by thread group as {@code cpu.GROUP=seconds}, in
         * their order.
         */
        public String toText() {
            StringBuilder b = new StringBuilder();
            b.append("name=").append(name).append('\n');
            b.append("records=").append(records).append('\n');
            b.append("events=").append(events).append('\n');
            b.append("rates=").append(rates).append('\n');
            b.append("alerts=").append(alerts).append('\n');
            b.append("deadLetters=").append(deadLetters).append('\n');
            b.append("wallSeconds=").append(usage.wallSeconds()).append('\n');
            b.append("cpuSeconds=").append(usage.cpuSeconds()).append('\n');
            b.append("allocatedBytes=").append(usage.allocatedBytes()).append('\n');
            b.append("gcSeconds=").append(usage.gcSeconds()).append('\n');
            for (Map.Entry<String, Double> e : usage.cpuSecondsByGroup().entrySet()) {
                b.append("cpu.").append(e.getKey()).append('=').append(e.getValue()).append('\n');
            }
            return b.toString();
        }

        /** Reads {@link #toText}; a missing or malformed figure is an {@link IllegalArgumentException}. */
        public static Result fromText(String text) {
            Map<String, String> values = new LinkedHashMap<>();
            Map<String, Double> cpu = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                if (line.isBlank()) continue;
                int eq = line.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("not a key=value line: " + line);
                String key = line.substring(0, eq);
                String value = line.substring(eq + 1);
                if (key.startsWith("cpu.")) cpu.put(key.substring(4), Double.parseDouble(value));
                else values.put(key, value);
            }
            try {
                return new Result(required(values, "name"), Long.parseLong(required(values, "records")),
                        Long.parseLong(required(values, "events")), Long.parseLong(required(values, "rates")),
                        Long.parseLong(required(values, "alerts")), Long.parseLong(required(values, "deadLetters")),
                        new ResourceMeter.Usage(Double.parseDouble(required(values, "wallSeconds")),
                                Double.parseDouble(required(values, "cpuSeconds")),
                                Long.parseLong(required(values, "allocatedBytes")),
                                Double.parseDouble(required(values, "gcSeconds")), cpu));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed benchmark result: " + e.getMessage(), e);
            }
        }

        private static String required(Map<String, String> values, String key) {
            String v = values.get(key);
            if (v == null) throw new IllegalArgumentException("benchmark result without " + key);
            return v;
        }
    }

    /** Runs the pipeline over the in-memory lines registered as {@code name}. */
    /**
     * The traffic this benchmark runs on, for {@code ./spikewatch bench} and the JMH benchmarks that
     * share its shape: a quiet day from noon (no planted incident: the per-event work is the same),
     * seed 7, {@code ips} distinct clients, at the rate that yields about {@code eventsPerHour}
     * requests an hour plus 30% to spare (the generator's diurnal curve makes the exact count vary).
     */
    public static GeneratorOptions trafficOptions(Path logs, long eventsPerHour, int ips, Duration duration) {
        return GeneratorOptions.defaults(Scenario.QUIET_DAY, logs).withSeed(7)
                .withStart(GeneratorOptions.DEFAULT_START.plus(Duration.ofHours(12)))
                .withDuration(duration).withDistinctIps(ips)
                .withMeanRequestsPerSecond(eventsPerHour / 3600.0 * 1.3);
    }

    public static Result run(String name, SpikewatchConfig config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(localConfiguration());
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(1);
        DataStream<RawRecord> records = env
                .fromSource(InMemoryRecords.rawRecords(name), WatermarkStrategy.noWatermarks(), "In-memory " + name)
                .uid("source-memory");
        RenderingDiscardSink.reset();
        SpikewatchWorkflow.define(records, config,
                new RenderingDiscardSink<>("rates", DocumentJson::rate),
                new RenderingDiscardSink<>("alerts", DocumentJson::alert),
                new RenderingDiscardSink<>("dead-letters", DocumentJson::deadLetter));
        JobExecutionResult result;
        ResourceMeter.Usage usage;
        try (ResourceMeter meter = ResourceMeter.arm()) {
            result = env.execute("spikewatch bench " + name);
            usage = meter.stop();
        }
        long events = number(result.getAccumulatorResult(ParseRecordsFunction.ACC_WAF_EVENTS))
                + number(result.getAccumulatorResult(ParseRecordsFunction.ACC_ALB_EVENTS));
        return new Result(name, InMemoryRecords.size(name), events, RenderingDiscardSink.documents("rates"),
                RenderingDiscardSink.documents("alerts"), RenderingDiscardSink.documents("dead-letters"), usage);
    }

    static Configuration localConfiguration() {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        // Accumulators reach the client with task heartbeats; the state-cost run polls them.
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, java.time.Duration.ofSeconds(1));
        return conf;
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
