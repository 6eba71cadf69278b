package io.spikewatch.config;

/** A configuration problem; the message names the offending setting and says what is expected. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    /** With the failure that revealed the problem (e.g. an AWS call at start-up), for the logs. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
