package io.spikewatch.connectors.sns;

/** Publishing alerts to SNS failed in a way no retry fixes; the message names the topic, never credentials. */
public class SnsPublishException extends RuntimeException {
    public SnsPublishException(String message) {
        super(message);
    }

    public SnsPublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
