package io.spikewatch.config;

/** A configuration problem; the message names the offending setting and says what is expected. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
