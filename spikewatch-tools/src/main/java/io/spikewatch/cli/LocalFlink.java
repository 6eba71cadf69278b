package io.spikewatch.cli;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * The Flink configuration of the local MiniCluster the commands run jobs on: every port (REST, RPC,
 * blob server, data exchange) bound to 127.0.0.1 like the rest of the local stack, and the REST
 * port picked free so that several commands can run at once.
 */
public final class LocalFlink {
    private static final String LOOPBACK = "127.0.0.1";

    private LocalFlink() {}

    public static Configuration configuration() {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(RestOptions.BIND_ADDRESS, LOOPBACK);
        conf.set(RestOptions.ADDRESS, LOOPBACK);
        conf.set(JobManagerOptions.ADDRESS, LOOPBACK);
        conf.set(JobManagerOptions.BIND_HOST, LOOPBACK);
        conf.set(TaskManagerOptions.HOST, LOOPBACK);
        conf.set(TaskManagerOptions.BIND_HOST, LOOPBACK);
        return conf;
    }
}
