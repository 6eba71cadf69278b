package io.spikewatch.functions;

import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.enrichment.EventEnricher;
import io.spikewatch.parsing.LogLineParser;
import io.spikewatch.parsing.ParseOutput;
import io.spikewatch.parsing.RecordDecoder;
import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.LogSource;
import io.spikewatch.records.RawRecord;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes raw records (plain, gzip, CloudWatch Logs envelopes) into lines, parses each line into
 * an {@link AccessEvent}, enriches it ({@link EventEnricher}: ALB country from the GeoIP database,
 * domestic flag, allowlist flag) and sends it to the output of its log source,
 * {@link #events(LogSource)}; anything that fails becomes a {@link DeadLetter} on
 * {@link #DEAD_LETTERS}. Never throws on input: a bad record must not restart the job. The main
 * output is not used.
 *
 * <p>Parsing, enrichment and the split by source are one operator because each chained operator
 * is paid per event: an enrichment map, then a filter per source that every event passes through
 * (one of them to be dropped), would be three more hops through Flink's output collectors, whose calls
 * cannot be inlined across operators. The logic itself stays in {@link LogLineParser} and
 * {@link EventEnricher}. The country database is opened once per subtask in {@link #open}: a
 * missing or unreadable file fails the job at start with a message naming the file, not at the
 * first ALB event.
 */
public class ParseRecordsFunction extends ProcessFunction<RawRecord, AccessEvent> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
    private static final Map<LogSource, OutputTag<AccessEvent>> EVENTS = new EnumMap<>(LogSource.class);

    static {
        for (LogSource source : LogSource.values()) {
            EVENTS.put(source, new OutputTag<>("events-" + source.label(), TypeInformation.of(AccessEvent.class)));
        }
    }
    /** Accumulator names, read by the CLI for progress lines while a replay runs. */
    public static final String ACC_WAF_EVENTS = "events-waf";
    public static final String ACC_ALB_EVENTS = "events-alb";
    public static final String ACC_DEAD_LETTERS = "dead-letters";

    private final int maxRecordBytes;
    private final int maxLineChars;
    private final SpikewatchConfig.Enrichment enrichment;

    private transient RecordDecoder decoder;
    private transient EventEnricher enricher;
    private transient OutputTag<AccessEvent> wafEventsOut;
    private transient OutputTag<AccessEvent> albEventsOut;
    private transient LogLineParser parser;
    private transient Counter eventsParsed;
    private transient LongCounter wafEvents;
    private transient LongCounter albEvents;
    private transient LongCounter deadLetters;
    private transient Map<String, Counter> deadLettersByReason;
    private transient Outputs outputs;

    public ParseRecordsFunction(int maxRecordBytes, int maxLineChars, SpikewatchConfig.Enrichment enrichment) {
        this.maxRecordBytes = maxRecordBytes;
        this.maxLineChars = maxLineChars;
        this.enrichment = enrichment;
    }

    /** The enriched events of one log source. */
    public static OutputTag<AccessEvent> events(LogSource source) {
        return EVENTS.get(source);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        enricher = EventEnricher.open(enrichment);
        wafEventsOut = events(LogSource.WAF);
        albEventsOut = events(LogSource.ALB);
        decoder = new RecordDecoder(maxRecordBytes);
        parser = new LogLineParser(maxLineChars);
        eventsParsed = getRuntimeContext().getMetricGroup().counter("eventsParsed");
        deadLettersByReason = new HashMap<>();
        outputs = new Outputs();
        wafEvents = new LongCounter();
        albEvents = new LongCounter();
        deadLetters = new LongCounter();
        getRuntimeContext().addAccumulator(ACC_WAF_EVENTS, wafEvents);
        getRuntimeContext().addAccumulator(ACC_ALB_EVENTS, albEvents);
        getRuntimeContext().addAccumulator(ACC_DEAD_LETTERS, deadLetters);
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<AccessEvent> out) {
        outputs.bind(record, ctx, out);
        if (record.text != null) {
            parseText(record.text, record, outputs);
            return;
        }
        decoder.decode(record, outputs);
    }

    /**
     * The one callback object for decoder and parser, re-bound per record rather than allocated
     * per record (a replayed file is one record per line).
     */
    private final class Outputs implements ParseOutput, RecordDecoder.LineSink {
        private RawRecord record;
        private Context ctx;
        private Collector<AccessEvent> out;

        void bind(RawRecord record, Context ctx, Collector<AccessEvent> out) {
            this.record = record;
            this.ctx = ctx;
            this.out = out;
        }

        @Override
        public void line(String line) {
            parser.parse(line, record.stream, record.arrivalTime, this);
        }

        /** Plain records: the line goes to the parser as bytes, no String of it is made. */
        @Override
        public void line(byte[] buf, int from, int to) {
            parser.parse(buf, from, to, record.stream, record.arrivalTime, this);
        }

        @Override
        public void event(AccessEvent e) {
            eventsParsed.inc();
            enricher.enrich(e);
            if (e.source == LogSource.WAF) {
                wafEvents.add(1L);
                ctx.output(wafEventsOut, e);
            } else {
                albEvents.add(1L);
                ctx.output(albEventsOut, e);
            }
        }

        @Override
        public void deadLetter(DeadLetter d) {
            deadLetters.add(1L);
            deadLettersByReason.computeIfAbsent(d.reason,
                    r -> getRuntimeContext().getMetricGroup().addGroup("deadLetters").counter(r)).inc();
            ctx.output(DEAD_LETTERS, d);
        }
    }

    @Override
    public void close() throws Exception {
        if (enricher != null) enricher.close();
    }

    private void parseText(String text, RawRecord record, ParseOutput sink) {
        int start = 0;
        int n = text.length();
        while (start <= n) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? n : nl;
            if (end > start) parser.parse(text.substring(start, end), record.stream, record.arrivalTime, sink);
            if (nl < 0) break;
            start = nl + 1;
        }
    }
}
