package io.spikewatch.functions;

import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.enrichment.EventEnricher;
import io.spikewatch.parsing.EventTimeCheck;
import io.spikewatch.parsing.LogLineParser;
import io.spikewatch.parsing.ParseOutput;
import io.spikewatch.parsing.RecordDecoder;
import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.DeadLetterReason;
import io.spikewatch.records.LogSource;
import io.spikewatch.records.RawRecord;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.nio.charset.StandardCharsets;
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
 *
 * <p>An event whose time is implausible ({@link EventTimeCheck}: far after its record's arrival, or
 * far from the recent event time of its source) becomes an {@code implausible_timestamp} dead letter
 * here, before the watermark generator of its source, which follows right after this operator on
 * the same subtask: one wrong clock must not move the watermark. The check is per subtask and
 * source, the scope of that generator.
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
    private final SpikewatchConfig.EventTimeLimits eventTimeLimits;

    private transient RecordDecoder decoder;
    private transient EventEnricher enricher;
    private transient OutputTag<AccessEvent> wafEventsOut;
    private transient OutputTag<AccessEvent> albEventsOut;
    private transient LogLineParser parser;
    private transient Counter eventsParsed;
    private transient Counter wafEventsIn;
    private transient Counter albEventsIn;
    private transient Counter implausibleTimestamps;
    private transient LongCounter wafEvents;
    private transient LongCounter albEvents;
    private transient LongCounter deadLetters;
    private transient Map<String, Counter> deadLettersByReason;
    private transient Outputs outputs;
    private transient EventTimeCheck wafTime;
    private transient EventTimeCheck albTime;

    public ParseRecordsFunction(int maxRecordBytes, int maxLineChars, SpikewatchConfig.Enrichment enrichment,
                                SpikewatchConfig.EventTimeLimits eventTimeLimits) {
        this.maxRecordBytes = maxRecordBytes;
        this.maxLineChars = maxLineChars;
        this.enrichment = enrichment;
        this.eventTimeLimits = eventTimeLimits;
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
        wafEventsIn = getRuntimeContext().getMetricGroup().addGroup("eventsIn").counter(LogSource.WAF.label());
        albEventsIn = getRuntimeContext().getMetricGroup().addGroup("eventsIn").counter(LogSource.ALB.label());
        implausibleTimestamps = getRuntimeContext().getMetricGroup().counter("implausibleTimestamps");
        deadLettersByReason = new HashMap<>();
        outputs = new Outputs();
        wafTime = new EventTimeCheck(eventTimeLimits.maxFutureSkew(), eventTimeLimits.maxJump());
        albTime = new EventTimeCheck(eventTimeLimits.maxFutureSkew(), eventTimeLimits.maxJump());
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
            parseText(record.text);
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
        /** The line being parsed, for the excerpt of an implausible event: a String or bytes. */
        private String lineText;
        private byte[] lineBytes;
        private int lineFrom;
        private int lineTo;

        void bind(RawRecord record, Context ctx, Collector<AccessEvent> out) {
            this.record = record;
            this.ctx = ctx;
            this.out = out;
        }

        @Override
        public void line(String line) {
            lineText = line;
            parser.parse(line, record.stream, record.arrivalTime, this);
        }

        /** Plain records: the line goes to the parser as bytes, no String of it is made. */
        @Override
        public void line(byte[] buf, int from, int to) {
            lineText = null;
            lineBytes = buf;
            lineFrom = from;
            lineTo = to;
            parser.parse(buf, from, to, record.stream, record.arrivalTime, this);
        }

        @Override
        public void event(AccessEvent e) {
            String implausible = (e.source == LogSource.WAF ? wafTime : albTime).check(e.timestamp, record.arrivalTime);
            if (implausible != null) {
                implausibleTimestamps.inc();
                deadLetter(DeadLetter.of(DeadLetterReason.IMPLAUSIBLE_TIMESTAMP, implausible, e.source.label(),
                        record.stream, lineExcerpt(), record.arrivalTime));
                return;
            }
            eventsParsed.inc();
            enricher.enrich(e);
            if (e.source == LogSource.WAF) {
                wafEventsIn.inc();
                wafEvents.add(1L);
                ctx.output(wafEventsOut, e);
            } else {
                albEventsIn.inc();
                albEvents.add(1L);
                ctx.output(albEventsOut, e);
            }
        }

        private String lineExcerpt() {
            if (lineText != null) return lineText;
            if (lineBytes == null) return null;
            // Decodes no more than the excerpt can hold (at most 3 bytes a char, 4 per surrogate pair).
            int n = Math.min(lineTo - lineFrom, DeadLetter.MAX_EXCERPT_CHARS * 3);
            return new String(lineBytes, lineFrom, n, StandardCharsets.UTF_8);
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

    private void parseText(String text) {
        int start = 0;
        int n = text.length();
        while (start <= n) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? n : nl;
            if (end > start) outputs.line(text.substring(start, end));
            if (nl < 0) break;
            start = nl + 1;
        }
    }
}
