package io.spikewatch.workflows;

import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.detection.Observation;
import io.spikewatch.functions.FanOutObservations;
import io.spikewatch.functions.ObservationSerializer;
import io.spikewatch.functions.ParseRecordsFunction;
import io.spikewatch.functions.QuietSourceWatermarks;
import io.spikewatch.functions.SpikeDetectionOperator;
import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.LogSource;
import io.spikewatch.records.RateDocument;
import io.spikewatch.records.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import java.util.List;

/**
 * The spikewatch job graph, defined once and reused by the live job, {@code replay}, the benchmark
 * and the pipeline tests, which differ only in the sources and sinks they pass in.
 *
 * <pre>
 * raw records ─► decode+parse+enrich ─┬─► WAF: watermarks ─► fan-out ─┬─► keyBy ip ─────────► detect ─┐
 *      └─► dead letters               │                               └─► keyBy country/scope ─► detect ─┤
 *                                     └─► ALB: (the same)                                                 │
 *                                                        rates, alerts, late-event dead letters ◄────────────┘
 * </pre>
 *
 * <p>The fan-out sends one small observation per event to the ip detector, and pre-aggregates the
 * country and scope views (a few dozen events per record) before their shuffle, because those few
 * hundred keys see all the traffic.
 *
 * <p>Each source gets its own detection operator, not just its own keys: a keyed operator has one
 * watermark, the minimum over its inputs, so WAF windows would otherwise wait for ALB logs that
 * arrive minutes late.
 */
public final class SpikewatchWorkflow {
    private static final TypeInformation<RateDocument> RATES = TypeInformation.of(RateDocument.class);

    private SpikewatchWorkflow() {}

    /** The three output streams of the job. */
    public record Outputs(DataStream<RateDocument> rates, DataStream<AlertDocument> alerts,
                          DataStream<DeadLetter> deadLetters) {}

    /** Builds the graph from already-created raw records, without sinks. */
    public static Outputs define(DataStream<RawRecord> records, SpikewatchConfig config) {
        // Every operator of this graph either emits new objects or, like enrichment, changes its input
        // before passing it on and never keeps it: chained operators can share objects instead of
        // copying each event between them, which is measurable per event.
        records.getExecutionEnvironment().getConfig().enableObjectReuse();
        // Parsing, enrichment and the split by source in one operator (see ParseRecordsFunction).
        SingleOutputStreamOperator<AccessEvent> parsed = records
                .process(new ParseRecordsFunction(config.maxRecordBytes(), config.maxLineChars(), config.enrichment(),
                        config.eventTimeLimits()))
                .uid("parse-records").name("Decode, parse and enrich log records");
        DataStream<DeadLetter> deadLetters = parsed.getSideOutput(ParseRecordsFunction.DEAD_LETTERS);

        DataStream<RateDocument> rates = null;
        DataStream<AlertDocument> alerts = null;
        for (LogSource source : LogSource.values()) {
            SpikewatchConfig.Watermarks wm = config.watermarks(source);
            String label = source.label();
            SingleOutputStreamOperator<Observation> ipObservations = parsed
                    .getSideOutput(ParseRecordsFunction.events(source))
                    // Bounded out-of-orderness and idleness, and a watermark that moves on at
                    // wall-clock pace once the source has been quiet (see QuietSourceWatermarks).
                    .assignTimestampsAndWatermarks(QuietSourceWatermarks
                            .<AccessEvent>strategy(wm.outOfOrderness(), wm.idleness(), wm.quietClose())
                            .withTimestampAssigner((e, previous) -> e.timestamp))
                    .uid("watermarks-" + label).name("Watermarks " + label)
                    .transform("Fan out ip, combine country/scope " + label, ObservationSerializer.TypeInfo.INSTANCE,
                            new FanOutObservations(config.detection().windowMillis()))
                    .uid("fan-out-" + label);
            SingleOutputStreamOperator<RateDocument> ipDetected = ipObservations
                    .keyBy(SpikeDetectionOperator::ipKey)
                    .transform("IP rates, baselines, spikes " + label, RATES,
                            SpikeDetectionOperator.forIps(source, config.detection()))
                    .uid("detect-ip-" + label);
            SingleOutputStreamOperator<RateDocument> aggregatesDetected = ipObservations
                    .getSideOutput(FanOutObservations.AGGREGATES)
                    .keyBy(SpikeDetectionOperator::aggregateKey)
                    .transform("Country/scope rates, baselines, spikes " + label, RATES,
                            SpikeDetectionOperator.forAggregates(source, config.detection()))
                    .uid("detect-aggregates-" + label);
            for (SingleOutputStreamOperator<RateDocument> detected : List.of(ipDetected, aggregatesDetected)) {
                DataStream<AlertDocument> sourceAlerts = detected.getSideOutput(SpikeDetectionOperator.ALERTS);
                rates = rates == null ? detected : rates.union(detected);
                alerts = alerts == null ? sourceAlerts : alerts.union(sourceAlerts);
            }
            deadLetters = deadLetters.union(ipDetected.getSideOutput(SpikeDetectionOperator.LATE_EVENTS));
        }
        return new Outputs(rates, alerts, deadLetters);
    }

    /** Builds the graph and attaches the given sinks. */
    public static Outputs define(DataStream<RawRecord> records, SpikewatchConfig config,
                                 Sink<RateDocument> rateSink, Sink<AlertDocument> alertSink,
                                 Sink<DeadLetter> deadLetterSink) {
        Outputs outputs = define(records, config);
        outputs.rates().sinkTo(rateSink).uid("sink-rates").name("Rates sink");
        outputs.alerts().sinkTo(alertSink).uid("sink-alerts").name("Alerts sink");
        outputs.deadLetters().sinkTo(deadLetterSink).uid("sink-dead-letters").name("Dead-letter sink");
        return outputs;
    }
}
