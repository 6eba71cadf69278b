package io.spikewatch.records;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic document ids: the same input always gives the same id, so at-least-once replays and
 * restarts overwrite documents instead of duplicating them. Hashing keeps ids short and free of the
 * attacker-controlled characters a raw key could hold.
 */
public final class DocumentIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private DocumentIds() {}

    public static String rateId(String dataset, String dimension, String key, long windowStart) {
        return hash("rate|" + dataset + "|" + dimension + "|" + key + "|" + windowStart);
    }

    public static String alertId(String dataset, String dimension, String key, String signal, long firstWindowStart) {
        return hash("alert|" + dataset + "|" + dimension + "|" + key + "|" + signal + "|" + firstWindowStart);
    }

    /**
     * Dead letters have no natural key, so the id hashes what identifies the bad input: where it
     * came from, its timestamp, the reason and the (capped) excerpt. Re-reading the same input
     * (replay, restart from a checkpoint) overwrites the same document; two byte-identical bad
     * lines with the same timestamp on the same stream collapse into one, which is what an analyst
     * wants to see anyway. Each part is length-prefixed so no choice of separator characters in
     * the attacker-controlled excerpt can make two different inputs hash alike.
     */
    public static String deadLetterId(String stream, long timestamp, String reason, String rawExcerpt) {
        return hash("deadletter|" + part(stream) + "|" + timestamp + "|" + part(reason) + "|" + part(rawExcerpt));
    }

    private static String part(String s) {
        return s == null ? "-1:" : s.length() + ":" + s;
    }

    /** First 128 bits of SHA-256, hex. */
    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            char[] out = new char[32];
            for (int i = 0; i < 16; i++) {
                out[2 * i] = HEX[(d[i] >> 4) & 0xf];
                out[2 * i + 1] = HEX[d[i] & 0xf];
            }
            return new String(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
