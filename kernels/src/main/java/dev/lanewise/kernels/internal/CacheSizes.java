package dev.lanewise.kernels.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Per-core data cache sizes in bytes, which the GEMM block sizes are derived from.
 *
 * <p>Read once from Linux sysfs ({@code /sys/devices/system/cpu/cpu0/cache/index*}); where that is
 * unavailable (other systems, some virtual machines) the defaults below are used. Each size can be
 * set with a system property: {@code lanewise.cache.l1d}, {@code lanewise.cache.l2} (bytes, or with
 * a {@code K}/{@code M} suffix).
 *
 * @param l1d level-1 data cache per core
 * @param l2  level-2 cache per core
 */
public record CacheSizes(long l1d, long l2) {

    /**
     * Defaults where nothing can be read: 48 KiB L1d and 1 MiB L2 are what current x86 server cores
     * (Intel since Ice Lake, AMD Zen 5) and Apple/Neoverse cores have or exceed.
     */
    static final long DEFAULT_L1D = 48 * 1024;
    static final long DEFAULT_L2 = 1024 * 1024;

    private static final CacheSizes DETECTED = detect();

    /** The sizes of this machine (or the property overrides), read once. */
    public static CacheSizes detected() {
        return DETECTED;
    }

    private static CacheSizes detect() {
        long l1d = DEFAULT_L1D;
        long l2 = DEFAULT_L2;
        Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache");
        for (int index = 0; index < 8; index++) {
            Path entry = dir.resolve("index" + index);
            try {
                int level = Integer.parseInt(Files.readString(entry.resolve("level")).trim());
                String type = Files.readString(entry.resolve("type")).trim();
                long size = parseSize(Files.readString(entry.resolve("size")).trim());
                if (level == 1 && type.equals("Data")) {
                    l1d = size;
                } else if (level == 2 && !type.equals("Instruction")) {
                    l2 = size;
                }
            } catch (IOException | RuntimeException e) {
                break; // no such entry, or no sysfs: keep what was found
            }
        }
        return new CacheSizes(sizeProperty("lanewise.cache.l1d", l1d), sizeProperty("lanewise.cache.l2", l2));
    }

    private static long sizeProperty(String name, long fallback) {
        String value = System.getProperty(name);
        if (value == null) {
            return fallback;
        }
        long size = parseSize(value.trim());
        if (size < 1024) {
            throw new IllegalArgumentException(name + " = " + value + " must be at least 1K");
        }
        return size;
    }

    /** Parses {@code "49152"}, {@code "48K"} or {@code "1M"} (case-insensitive) into bytes. */
    static long parseSize(String text) {
        String t = text.toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K")) {
            unit = 1024;
        } else if (t.endsWith("M")) {
            unit = 1024 * 1024;
        }
        if (unit != 1) {
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * unit;
    }
}
