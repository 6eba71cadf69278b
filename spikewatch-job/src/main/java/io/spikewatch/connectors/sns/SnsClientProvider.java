package io.spikewatch.connectors.sns;

import software.amazon.awssdk.services.sns.SnsAsyncClient;

import java.io.Serializable;

/**
 * Builds the SNS client of one sink writer, on the task manager. Injected into {@link SnsAlertSink}
 * so that writer tests can hand in tracking or failing clients; {@link AwsSnsClientProvider} builds
 * the real one. The writer closes the client it was given.
 */
@FunctionalInterface
public interface SnsClientProvider extends Serializable {
    SnsAsyncClient createClient(SnsSettings settings);
}
