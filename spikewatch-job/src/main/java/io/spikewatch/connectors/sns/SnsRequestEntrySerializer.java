package io.spikewatch.connectors.sns;

import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checkpoints the entries a writer still buffers, field by field (not Java serialization, so an SDK
 * upgrade cannot break restoring). Strings are length-prefixed UTF-8: a body can exceed the 64 KiB
 * that {@link DataOutputStream#writeUTF} allows.
 */
final class SnsRequestEntrySerializer extends AsyncSinkWriterStateSerializer<PublishBatchRequestEntry> {
    private static final int MAX_ATTRIBUTES = 10;

    @Override
    protected void serializeRequestToStream(PublishBatchRequestEntry entry, DataOutputStream out) throws IOException {
        writeString(out, entry.id());
        writeString(out, entry.message());
        writeString(out, entry.subject());
        writeString(out, entry.messageGroupId());
        writeString(out, entry.messageDeduplicationId());
        Map<String, MessageAttributeValue> attributes = entry.hasMessageAttributes() ? entry.messageAttributes() : Map.of();
        out.writeInt(attributes.size());
        for (Map.Entry<String, MessageAttributeValue> a : attributes.entrySet()) {
            writeString(out, a.getKey());
            writeString(out, a.getValue().dataType());
            writeString(out, a.getValue().stringValue());
        }
    }

    @Override
    protected PublishBatchRequestEntry deserializeRequestFromStream(long requestSize, DataInputStream in) throws IOException {
        PublishBatchRequestEntry.Builder entry = PublishBatchRequestEntry.builder()
                .id(readString(in))
                .message(readString(in))
                .subject(readString(in))
                .messageGroupId(readString(in))
                .messageDeduplicationId(readString(in));
        int count = in.readInt();
        if (count < 0 || count > MAX_ATTRIBUTES) throw new IOException("corrupt SNS sink state: " + count + " attributes");
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = readString(in);
            attributes.put(name, MessageAttributeValue.builder().dataType(readString(in)).stringValue(readString(in)).build());
        }
        if (!attributes.isEmpty()) entry.messageAttributes(attributes);
        return entry.build();
    }

    @Override
    public int getVersion() {
        return 1;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) return null;
        if (length > SnsSettings.SNS_MAX_PAYLOAD_BYTES * 4) throw new IOException("corrupt SNS sink state: string of " + length + " bytes");
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
