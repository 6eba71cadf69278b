package io.spikewatch.enrichment;

import com.maxmind.db.CHMCache;
import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.DeserializationException;
import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import io.spikewatch.records.CountryCodes;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link CountryLookup} over a MaxMind DB (MMDB) file, read with MaxMind's own {@link Reader}.
 *
 * <p>Input: a country database in either of the two layouts found in the wild:
 * <ul>
 *   <li>DB-IP "country" (the free {@code dbip-country} files): data record {@code {country_code: "US"}};
 *   <li>MaxMind GeoLite2/GeoIP2 Country: {@code {country: {iso_code: "US"}, registered_country: {...}}};
 *       {@code country} is preferred, {@code registered_country} is the fallback (MaxMind leaves
 *       {@code country} out for some networks, e.g. anycast or satellite providers).
 * </ul>
 * Output: upper-case ISO-2 codes or {@code null}. IPv4 addresses are found in IPv6 databases (the
 * reader follows the {@code ::/96} subtree), IPv4-mapped IPv6 addresses are looked up as IPv4, and
 * an IPv6 address asked of an IPv4-only database is simply unknown.
 *
 * <p>The file is memory-mapped (no heap copy of a 30-100 MB file; the page cache is shared by all
 * task slots on a TaskManager). A {@link CHMCache} caches decoded data records by offset: a country
 * database has only a few hundred distinct records, so nearly every lookup after warm-up is a tree
 * walk plus a cache hit. Thread-safe, like the underlying reader.
 */
public final class MmdbCountryLookup implements CountryLookup, Closeable {
    private final Reader reader;
    private final Path file;

    private MmdbCountryLookup(Reader reader, Path file) {
        this.reader = reader;
        this.file = file;
    }

    /**
     * Opens {@code file}.
     *
     * @throws IOException naming the file when it is missing, unreadable or not a MaxMind DB
     */
    public static MmdbCountryLookup open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("country database " + file + " does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IOException("country database " + file + " is not a readable file");
        }
        Reader reader;
        try {
            reader = new Reader(file.toFile(), Reader.FileMode.MEMORY_MAPPED, new CHMCache());
        } catch (IOException | RuntimeException e) {
            throw new IOException("country database " + file + " is not a valid MaxMind DB (.mmdb) file: "
                    + e.getMessage(), e);
        }
        try {
            // Decode one record now: a database of another shape (say, an ASN database whose
            // country_code is not a string) should fail here, once, and not on every event.
            Networks<CountryRecord> networks = reader.networks(CountryRecord.class);
            if (networks.hasNext()) networks.next();
        } catch (Exception e) {
            reader.close();
            throw new IOException("country database " + file + " has records this reader cannot decode (expected "
                    + "{country_code} or {country: {iso_code}}): " + e.getMessage(), e);
        }
        return new MmdbCountryLookup(reader, file);
    }

    @Override
    public String country(String ip) {
        byte[] bytes = IpLiteral.toIpv4IfMapped(IpLiteral.parse(ip));
        if (bytes == null) return null;
        try {
            // getByAddress never resolves names; it only wraps the bytes.
            CountryRecord r = reader.get(InetAddress.getByAddress(bytes), CountryRecord.class);
            return r == null ? null : r.isoCode();
        } catch (UnknownHostException e) {
            return null;
        } catch (IllegalArgumentException e) {
            // IPv6 address asked of an IPv4-only database.
            return null;
        } catch (IOException | DeserializationException e) {
            // A corrupt record must not kill the job for one line: the event goes on without country.
            return null;
        }
    }

    /**
     * The database's network holding the address tells how far the answer reaches: its prefix
     * length, counted in IPv4 bits (the reader walks IPv4 addresses from the {@code ::/96} subtree
     * of IPv6 databases). An address in no network gets null with the prefix of the empty branch.
     */
    @Override
    public Ipv4Answer countryOfIpv4(int address, String text) {
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            DatabaseRecord<CountryRecord> r = reader.getRecord(InetAddress.getByAddress(bytes), CountryRecord.class);
            if (r == null) return new Ipv4Answer(null, 32);
            CountryRecord data = r.getData();
            int prefix = r.getNetwork() == null ? 32 : r.getNetwork().getPrefixLength();
            return new Ipv4Answer(data == null ? null : data.isoCode(), Math.min(32, Math.max(0, prefix)));
        } catch (UnknownHostException e) {
            return new Ipv4Answer(null, 32);
        } catch (IllegalArgumentException | IOException | DeserializationException e) {
            // As in country(String): the event goes on without country. Not cached beyond itself.
            return new Ipv4Answer(null, 32);
        }
    }

    /** The database type from the metadata, e.g. {@code GeoLite2-Country} or {@code DBIP-Country-Lite}. */
    public String databaseType() {
        return reader.getMetadata().getDatabaseType();
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /**
     * The fields of both layouts; keys a layout lacks stay null, keys the class does not name
     * (names, geoname_id, continent, ...) are skipped by the decoder.
     */
    public static final class CountryRecord {
        private final String countryCode;
        private final IsoCode country;
        private final IsoCode registeredCountry;

        @MaxMindDbConstructor
        public CountryRecord(
                @MaxMindDbParameter(name = "country_code") String countryCode,
                @MaxMindDbParameter(name = "country") IsoCode country,
                @MaxMindDbParameter(name = "registered_country") IsoCode registeredCountry) {
            this.countryCode = countryCode;
            this.country = country;
            this.registeredCountry = registeredCountry;
        }

        String isoCode() {
            String code = countryCode;
            if (code == null && country != null) code = country.isoCode;
            if (code == null && registeredCountry != null) code = registeredCountry.isoCode;
            return normalize(code);
        }

        private static String normalize(String code) {
            if (code == null || code.length() != 2) return null;
            // Shared strings: thousands of cached /24 blocks then hold ~50 objects, not a copy each.
            return CountryCodes.of(code.charAt(0), code.charAt(1));
        }
    }

    /** {@code {iso_code: "US", ...}} of the GeoIP2 layout. */
    public static final class IsoCode {
        private final String isoCode;

        @MaxMindDbConstructor
        public IsoCode(@MaxMindDbParameter(name = "iso_code") String isoCode) {
            this.isoCode = isoCode;
        }
    }
}
