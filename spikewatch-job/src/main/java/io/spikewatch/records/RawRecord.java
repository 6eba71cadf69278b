package io.spikewatch.records;

/**
 * One input record as delivered by the transport (a Kinesis record's data, or one line of a
 * replayed file as UTF-8 bytes), before decoding. It may hold one line, several lines, a gzip of
 * them or a CloudWatch Logs subscription payload.
 */
public class RawRecord {
    /** Stream name or file path the record came from; carried into dead letters. */
    public String stream;
    /** Undecoded bytes (Kinesis); null when {@link #text} is set. */
    public byte[] data;
    /** Already-decoded text, one or more lines (file replay); spares a bytes round trip. */
    public String text;
    /** Arrival time (epoch ms) used for dead letters that have no event time. */
    public long arrivalTime;

    public RawRecord() {}

    public RawRecord(String stream, byte[] data, long arrivalTime) {
        this.stream = stream;
        this.data = data;
        this.arrivalTime = arrivalTime;
    }

    public static RawRecord ofText(String stream, String text, long arrivalTime) {
        RawRecord r = new RawRecord();
        r.stream = stream;
        r.text = text;
        r.arrivalTime = arrivalTime;
        return r;
    }
}
