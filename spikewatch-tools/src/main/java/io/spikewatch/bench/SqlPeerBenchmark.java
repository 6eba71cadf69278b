package io.spikewatch.bench;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.formats.common.TimestampFormat;
import org.apache.flink.formats.json.JsonParserRowDataDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamStatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;

import java.time.Duration;

/**
 * The peer a user would pick instead of spikewatch: a Flink SQL job computing the same per-IP and
 * per-country one-minute counts (with the blocked / error breakdown) in TUMBLE windows with GROUP BY,
 * over the same in-memory lines, at parallelism 1, into the {@code blackhole} connector.
 *
 * <p>Input is decoded the way the SQL connectors' formats do it, so the peer is not handicapped:
 * WAF lines with the {@code json} format's default streaming deserializer
 * ({@link JsonParserRowDataDeserializationSchema}, {@code decode.json-parser.enabled=true}) over a
 * schema that declares only the fields the queries use, so the rest of each line is skipped; ALB
 * lines with the {@code raw} format (one STRING column) split by {@code SPLIT_INDEX}. ALB logs carry
 * no country and SQL has no GeoIP function, so the ALB peer counts per IP and in total only — it
 * does less work than spikewatch there. Neither peer keeps baselines or detects anything.
 */
public final class SqlPeerBenchmark {
    private SqlPeerBenchmark() {}

    public static final String WAF_IP_QUERY = """
            INSERT INTO ip_counts
            SELECT window_start, httpRequest.clientIp, COUNT(*),
                   SUM(CASE WHEN action = 'BLOCK' THEN 1 ELSE 0 END)
            FROM TABLE(TUMBLE(TABLE waf, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
            GROUP BY window_start, window_end, httpRequest.clientIp""";
    public static final String WAF_COUNTRY_QUERY = """
            INSERT INTO country_counts
            SELECT window_start, httpRequest.country, COUNT(*),
                   SUM(CASE WHEN action = 'BLOCK' THEN 1 ELSE 0 END)
            FROM TABLE(TUMBLE(TABLE waf, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
            GROUP BY window_start, window_end, httpRequest.country""";
    public static final String ALB_IP_QUERY = """
            INSERT INTO ip_counts
            SELECT window_start, ip, COUNT(*), SUM(CASE WHEN status >= '400' AND status < '500' THEN 1 ELSE 0 END)
            FROM TABLE(TUMBLE(TABLE alb_fields, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
            GROUP BY window_start, window_end, ip""";
    public static final String ALB_TOTAL_QUERY = """
            INSERT INTO country_counts
            SELECT window_start, 'all', COUNT(*), SUM(CASE WHEN status >= '500' THEN 1 ELSE 0 END)
            FROM TABLE(TUMBLE(TABLE alb_fields, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
            GROUP BY window_start, window_end""";

    /** Runs the peer over the WAF or ALB lines registered as {@code name}. */
    public static ThroughputBenchmark.Result run(String name, boolean waf, Duration outOfOrderness) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                ThroughputBenchmark.localConfiguration());
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(1);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        DataStream<byte[]> lines = env.fromSource(InMemoryRecords.bytes(name), WatermarkStrategy.noWatermarks(),
                "In-memory " + name);
        long ms = Math.max(0, outOfOrderness.toMillis());
        String watermark = String.format(java.util.Locale.ROOT, "ts - INTERVAL '%d %02d:%02d:%02d.%03d' DAY TO SECOND(3)",
                ms / 86_400_000, ms / 3_600_000 % 24, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        if (waf) {
            RowType type = (RowType) DataTypes.ROW(
                    DataTypes.FIELD("timestamp", DataTypes.BIGINT()),
                    DataTypes.FIELD("action", DataTypes.STRING()),
                    DataTypes.FIELD("httpRequest", DataTypes.ROW(
                            DataTypes.FIELD("clientIp", DataTypes.STRING()),
                            DataTypes.FIELD("country", DataTypes.STRING())))).getLogicalType();
            DataStream<RowData> rows = lines.map(new JsonFormat(type)).returns(InternalTypeInfo.of(type))
                    .name("json format");
            Table t = tables.fromDataStream(rows, Schema.newBuilder()
                    .columnByExpression("ts", "TO_TIMESTAMP_LTZ(`timestamp`, 3)")
                    .watermark("ts", watermark).build());
            tables.createTemporaryView("waf", t);
        } else {
            RowType type = (RowType) DataTypes.ROW(DataTypes.FIELD("line", DataTypes.STRING())).getLogicalType();
            DataStream<RowData> rows = lines.map((MapFunction<byte[], RowData>) b -> GenericRowData.of(StringData.fromBytes(b)))
                    .returns(InternalTypeInfo.of(type)).name("raw format");
            Table t = tables.fromDataStream(rows, Schema.newBuilder()
                    .columnByExpression("ts", "TO_TIMESTAMP(REPLACE(SUBSTRING(SPLIT_INDEX(line, ' ', 1), 1, 23), 'T', ' '))")
                    .watermark("ts", watermark).build());
            tables.createTemporaryView("alb", t);
            tables.createTemporaryView("alb_fields", tables.sqlQuery(
                    "SELECT ts, SPLIT_INDEX(SPLIT_INDEX(line, ' ', 3), ':', 0) AS ip, SPLIT_INDEX(line, ' ', 8) AS status FROM alb"));
        }
        tables.executeSql("CREATE TEMPORARY TABLE ip_counts (window_start TIMESTAMP(3), ip STRING, total BIGINT, "
                + "flagged INT) WITH ('connector' = 'blackhole')");
        tables.executeSql("CREATE TEMPORARY TABLE country_counts (window_start TIMESTAMP(3), k STRING, total BIGINT, "
                + "flagged INT) WITH ('connector' = 'blackhole')");
        StreamStatementSet statements = tables.createStatementSet();
        statements.addInsertSql(waf ? WAF_IP_QUERY : ALB_IP_QUERY);
        statements.addInsertSql(waf ? WAF_COUNTRY_QUERY : ALB_TOTAL_QUERY);
        statements.attachAsDataStream();

        JobExecutionResult result;
        ResourceMeter.Usage usage;
        try (ResourceMeter meter = ResourceMeter.arm()) {
            result = env.execute("flink sql peer " + name);
            usage = meter.stop();
        }
        long n = InMemoryRecords.size(name);
        return new ThroughputBenchmark.Result(name + " (Flink SQL)", n, n, 0, 0, 0, usage);
    }

    /** The {@code json} format's streaming deserializer, as a map over the raw bytes. */
    private static final class JsonFormat extends RichMapFunction<byte[], RowData> {
        private final RowType type;
        private transient JsonParserRowDataDeserializationSchema schema;

        JsonFormat(RowType type) {
            this.type = type;
        }

        @Override
        public void open(OpenContext openContext) throws Exception {
            schema = new JsonParserRowDataDeserializationSchema(type, InternalTypeInfo.of(type), false, true,
                    TimestampFormat.ISO_8601);
            schema.open(null);
        }

        @Override
        public RowData map(byte[] line) throws Exception {
            return schema.deserialize(line);
        }
    }
}
