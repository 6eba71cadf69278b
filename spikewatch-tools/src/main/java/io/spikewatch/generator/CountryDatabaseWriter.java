package io.spikewatch.generator;

import io.spikewatch.enrichment.Cidr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a MaxMind DB (MMDB, binary format 2.0) file mapping networks to data records — the
 * synthetic country database the traffic generator ships with its logs, and the fixture databases
 * of enrichment and pipeline tests.
 *
 * <p>Lives in {@code enrichment}, next to {@link MmdbCountryLookup}, because it is the exact inverse
 * of that reader's layout and is used by tests of every layer, not only by the generator.
 *
 * <p>Input: (CIDR, record) entries; {@link #addCountry} adds the DB-IP country layout
 * {@code {country_code: "XX"}}, {@link #add} any record made of maps, strings, integers, booleans,
 * doubles and lists (enough to mimic the GeoIP2 layout in tests). When networks overlap, the more
 * specific one wins (longest-prefix semantics, as in routing and in MaxMind's own databases); for the
 * same network twice, the later entry wins. Output: an IPv6 database ({@code ip_version} 6) with IPv4
 * networks in the {@code ::/96} subtree, where MaxMind readers look IPv4 addresses up.
 *
 * <p>Format, per the MaxMind DB File Format Specification 2.0:
 * <ol>
 *   <li>search tree: {@code node_count} nodes of two records (bit 0 = left, bit 1 = right), each
 *       record either a node number, {@code node_count} (no data) or
 *       {@code node_count + 16 + offset in the data section}; 24-, 28- or 32-bit records, the
 *       smallest that fits unless {@link #recordSize} pins one;
 *   <li>16 zero bytes, then the data section: one encoded record per distinct value (records are
 *       shared by all networks that map to them);
 *   <li>{@code \xAB\xCD\xEFMaxMind.com} and the metadata map.
 * </ol>
 * Subtrees whose two halves map to the same record are merged, as MaxMind's writer does. Output is
 * deterministic: same entries and build epoch give the same bytes (map keys are written sorted).
 */
public final class CountryDatabaseWriter {
    private static final byte[] METADATA_MARKER = {
        (byte) 0xAB, (byte) 0xCD, (byte) 0xEF, 'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'
    };
    private static final int EMPTY = -1;

    private final List<Cidr> networks = new ArrayList<>();
    private final List<Object> records = new ArrayList<>();
    private String databaseType = "spikewatch-synthetic-country";
    private String description = "Synthetic country database written by spikewatch";
    private long buildEpoch = Instant.now().getEpochSecond();
    private int recordSize;

    public CountryDatabaseWriter databaseType(String type) {
        this.databaseType = type;
        return this;
    }

    public CountryDatabaseWriter description(String englishDescription) {
        this.description = englishDescription;
        return this;
    }

    /** Build time in epoch seconds; set it for byte-identical output across runs. */
    public CountryDatabaseWriter buildEpoch(long epochSeconds) {
        this.buildEpoch = epochSeconds;
        return this;
    }

    /** 24, 28 or 32; 0 (default) picks the smallest size that can address the tree and data. */
    public CountryDatabaseWriter recordSize(int bits) {
        if (bits != 0 && bits != 24 && bits != 28 && bits != 32) {
            throw new IllegalArgumentException("record size must be 24, 28 or 32, not " + bits);
        }
        this.recordSize = bits;
        return this;
    }

    /** Maps {@code cidr} to the DB-IP country record {@code {country_code: iso2}}. */
    public CountryDatabaseWriter addCountry(String cidr, String iso2) {
        if (iso2 == null || !iso2.matches("[A-Z]{2}")) {
            throw new IllegalArgumentException("country for " + cidr + " must be an upper-case ISO-2 code, not " + iso2);
        }
        return add(cidr, Map.of("country_code", iso2));
    }

    /** Maps {@code cidr} to an arbitrary record (map/string/number/boolean/list values). */
    public CountryDatabaseWriter add(String cidr, Object record) {
        Cidr c = Cidr.parse(cidr);
        DataEncoder.checkEncodable(record);
        networks.add(c);
        records.add(record);
        return this;
    }

    public int size() {
        return networks.size();
    }

    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(toBytes());
        }
    }

    /** The whole database file. */
    public byte[] toBytes() {
        // Distinct records, in first-appearance order, each encoded once.
        Map<Object, Integer> recordIds = new LinkedHashMap<>();
        int[] entryRecord = new int[networks.size()];
        for (int i = 0; i < networks.size(); i++) {
            entryRecord[i] = recordIds.computeIfAbsent(canonical(records.get(i)), k -> recordIds.size());
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int[] dataOffset = new int[recordIds.size()];
        for (Map.Entry<Object, Integer> e : recordIds.entrySet()) {
            dataOffset[e.getValue()] = data.size();
            DataEncoder.encode(e.getKey(), data);
        }

        Tree tree = new Tree();
        // Shorter prefixes first, so that more specific networks overwrite them; stable sort keeps
        // the given order among equal prefixes, so a later duplicate wins.
        Integer[] order = new Integer[networks.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt(i -> treePrefix(networks.get(i))));
        for (int i : order) tree.insert(networks.get(i), -2 - entryRecord[i]);
        tree.merge();
        int[] number = tree.numberReachable();
        int nodeCount = tree.reachableCount;

        long maxValue = (long) nodeCount + 16 + data.size();
        int bits = recordSize != 0 ? recordSize : maxValue < (1L << 24) ? 24 : maxValue < (1L << 28) ? 28 : 32;
        if (bits < 32 && maxValue >= (1L << bits)) {
            throw new IllegalStateException("record size " + bits + " cannot address " + maxValue);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(nodeCount * bits / 4 + data.size() + 512);
        for (int node : tree.reachableInOrder) {
            long left = recordValue(tree.left.get(node), number, nodeCount, dataOffset);
            long right = recordValue(tree.right.get(node), number, nodeCount, dataOffset);
            writeNode(out, bits, left, right);
        }
        out.write(new byte[16], 0, 16);
        out.write(data.toByteArray(), 0, data.size());
        out.write(METADATA_MARKER, 0, METADATA_MARKER.length);
        DataEncoder.encode(metadata(nodeCount, bits), out);
        return out.toByteArray();
    }

    private Map<String, Object> metadata(int nodeCount, int bits) {
        Map<String, Object> m = new TreeMap<>();
        m.put("binary_format_major_version", new DataEncoder.Uint16(2));
        m.put("binary_format_minor_version", new DataEncoder.Uint16(0));
        m.put("build_epoch", new DataEncoder.Uint64(buildEpoch));
        m.put("database_type", databaseType);
        m.put("description", Map.of("en", description));
        m.put("ip_version", new DataEncoder.Uint16(6));
        m.put("languages", List.of("en"));
        m.put("node_count", new DataEncoder.Uint32(nodeCount));
        m.put("record_size", new DataEncoder.Uint16(bits));
        return m;
    }

    private static long recordValue(int ref, int[] number, int nodeCount, int[] dataOffset) {
        if (ref >= 0) return number[ref];
        if (ref == EMPTY) return nodeCount;
        return (long) nodeCount + 16 + dataOffset[-2 - ref];
    }

    private static void writeNode(ByteArrayOutputStream out, int bits, long left, long right) {
        switch (bits) {
            case 24 -> {
                write(out, left, 3);
                write(out, right, 3);
            }
            case 28 -> {
                // The middle byte holds the top nibble of each record: left high, right low.
                write(out, left & 0xFFFFFF, 3);
                out.write((int) (((left >>> 24) & 0x0F) << 4 | ((right >>> 24) & 0x0F)));
                write(out, right & 0xFFFFFF, 3);
            }
            default -> {
                write(out, left, 4);
                write(out, right, 4);
            }
        }
    }

    private static void write(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) out.write((int) (v >>> (8 * i)));
    }

    private static int treePrefix(Cidr c) {
        return c.isIpv4() ? 96 + c.prefixLength() : c.prefixLength();
    }

    /** Sorted maps so that equal records are shared and the bytes do not depend on map order. */
    private static Object canonical(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, x) -> sorted.put((String) k, canonical(x)));
            return sorted;
        }
        if (v instanceof List<?> l) return l.stream().map(CountryDatabaseWriter::canonical).toList();
        return v;
    }

    /**
     * The binary trie while it is built. Child references: {@code >= 0} a node, {@link #EMPTY} no
     * data, {@code <= -2} data record {@code -2 - ref}.
     */
    private static final class Tree {
        final IntList left = new IntList();
        final IntList right = new IntList();
        int[] reachableInOrder;
        int reachableCount;

        Tree() {
            newNode(EMPTY, EMPTY);
        }

        int newNode(int l, int r) {
            left.add(l);
            right.add(r);
            return left.size() - 1;
        }

        void insert(Cidr c, int leaf) {
            int prefix = treePrefix(c);
            if (prefix == 0) {
                // The root cannot be a leaf: ::/0 is a root whose two halves are the record.
                left.set(0, leaf);
                right.set(0, leaf);
                return;
            }
            int offset = c.isIpv4() ? 96 : 0;
            int node = 0;
            for (int depth = 0; depth < prefix; depth++) {
                int bit = depth < offset ? 0 : c.bit(depth - offset);
                IntList side = bit == 0 ? left : right;
                if (depth == prefix - 1) {
                    side.set(node, leaf);
                    return;
                }
                int child = side.get(node);
                if (child < 0) {
                    // Split a leaf: both halves keep the wider network's record.
                    child = newNode(child, child);
                    side.set(node, child);
                }
                node = child;
            }
        }

        /** Replaces every non-root node whose halves are the same leaf with that leaf. */
        void merge() {
            collapse(0);
        }

        private int collapse(int node) {
            int l = left.get(node);
            int r = right.get(node);
            if (l >= 0) left.set(node, l = collapse(l));
            if (r >= 0) right.set(node, r = collapse(r));
            return node != 0 && l < 0 && l == r ? l : node;
        }

        /** Breadth-first numbering from the root, so the root is node 0 and orphans are dropped. */
        int[] numberReachable() {
            int[] number = new int[left.size()];
            Arrays.fill(number, -1);
            int[] order = new int[left.size()];
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            queue.add(0);
            number[0] = 0;
            int n = 0;
            while (!queue.isEmpty()) {
                int node = queue.poll();
                order[n++] = node;
                for (int child : new int[] {left.get(node), right.get(node)}) {
                    if (child >= 0 && number[child] < 0) {
                        number[child] = n + queue.size();
                        queue.add(child);
                    }
                }
            }
            reachableInOrder = Arrays.copyOf(order, n);
            reachableCount = n;
            return number;
        }
    }

    /** A growable int array: the trie of a large database has millions of nodes. */
    private static final class IntList {
        private int[] values = new int[1024];
        private int size;

        void add(int v) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        int get(int i) {
            return values[i];
        }

        void set(int i, int v) {
            values[i] = v;
        }

        int size() {
            return size;
        }
    }

    /** MMDB data-section encoding of the value types this writer supports. */
    static final class DataEncoder {
        private DataEncoder() {}

        record Uint16(int value) {}

        record Uint32(long value) {}

        record Uint64(long value) {}

        static void checkEncodable(Object v) {
            encode(v, new ByteArrayOutputStream());
        }

        static void encode(Object v, ByteArrayOutputStream out) {
            if (v instanceof String s) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                control(out, 2, b.length);
                out.write(b, 0, b.length);
            } else if (v instanceof Map<?, ?> m) {
                control(out, 7, m.size());
                for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
                    if (!(e.getKey() instanceof String)) {
                        throw new IllegalArgumentException("map keys must be strings: " + e.getKey());
                    }
                    encode(e.getKey(), out);
                    encode(e.getValue(), out);
                }
            } else if (v instanceof List<?> l) {
                control(out, 11, l.size());
                for (Object x : l) encode(x, out);
            } else if (v instanceof Boolean b) {
                control(out, 14, b ? 1 : 0);
            } else if (v instanceof Double d) {
                control(out, 3, 8);
                write(out, Double.doubleToLongBits(d), 8);
            } else if (v instanceof Uint16 u) {
                unsigned(out, 5, u.value());
            } else if (v instanceof Uint32 u) {
                unsigned(out, 6, u.value());
            } else if (v instanceof Uint64 u) {
                unsigned(out, 9, u.value());
            } else if (v instanceof Integer || v instanceof Long) {
                long x = ((Number) v).longValue();
                if (x < 0) {
                    if (x < Integer.MIN_VALUE) throw new IllegalArgumentException("negative value out of int32 range: " + x);
                    control(out, 8, 4);
                    write(out, x, 4);
                } else {
                    unsigned(out, x <= 0xFFFF ? 5 : x <= 0xFFFFFFFFL ? 6 : 9, x);
                }
            } else {
                throw new IllegalArgumentException("cannot encode " + (v == null ? "null" : v.getClass().getName()));
            }
        }

        /** Unsigned integers are written big-endian without leading zero bytes. */
        private static void unsigned(ByteArrayOutputStream out, int type, long value) {
            int bytes = 0;
            for (long x = value; x != 0; x >>>= 8) bytes++;
            control(out, type, bytes);
            write(out, value, bytes);
        }

        /** Control byte(s): type in the top 3 bits (or 0 plus an extended-type byte), then the size. */
        private static void control(ByteArrayOutputStream out, int type, int size) {
            int sizeBits;
            byte[] extra;
            if (size < 29) {
                sizeBits = size;
                extra = new byte[0];
            } else if (size < 285) {
                sizeBits = 29;
                extra = new byte[] {(byte) (size - 29)};
            } else if (size < 65821) {
                sizeBits = 30;
                int s = size - 285;
                extra = new byte[] {(byte) (s >>> 8), (byte) s};
            } else {
                sizeBits = 31;
                int s = size - 65821;
                extra = new byte[] {(byte) (s >>> 16), (byte) (s >>> 8), (byte) s};
            }
            if (type <= 7) {
                out.write((type << 5) | sizeBits);
            } else {
                out.write(sizeBits);
                out.write(type - 7);
            }
            out.write(extra, 0, extra.length);
        }
    }
}
