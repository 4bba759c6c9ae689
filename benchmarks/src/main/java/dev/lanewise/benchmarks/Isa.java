package dev.lanewise.benchmarks;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;

/**
 * The instruction set a suite run lets its benchmark JVMs use ({@code --isa}).
 * <ul>
 *   <li>{@link #NATIVE}: what the CPU has. OpenBLAS loads its AVX-512 kernels on a CPU with AVX-512
 *       ({@link OpenBlas}).</li>
 *   <li>{@link #AVX2}: every benchmark JVM gets {@code -XX:UseAVX=2}, so the Vector API code runs with
 *       256-bit vectors and 16 registers exactly as on a CPU with AVX2 alone, and OpenBLAS loads its
 *       Haswell (AVX2) kernels: an AVX2 machine measured on an AVX-512 one. ONNX Runtime cannot be
 *       limited so: its MLAS library picks its kernels by CPUID, out of the JVM's reach, and runs its
 *       AVX-512 code in this configuration too ({@link OnnxRuntime} says so). On a CPU without
 *       AVX-512 it is the native configuration ({@link #forThisCpu}).</li>
 * </ul>
 * A benchmark JVM learns its configuration from the system property {@value #PROPERTY}
 * ({@link #ofThisJvm}), which {@link #jvmArgs} sets.
 */
enum Isa {
    NATIVE,
    AVX2;

    /** The system property naming a benchmark JVM's configuration; absent: native. */
    static final String PROPERTY = "lanewise.bench.isa";

    /** The configuration's name, as {@code --isa} takes it and as a results folder of {@code --isa both} is named. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The JVM arguments that put a benchmark JVM into this configuration (none for the native one). */
    List<String> jvmArgs() {
        return switch (this) {
            case NATIVE -> List.of();
            case AVX2 -> List.of("-XX:UseAVX=2", "-D" + PROPERTY + "=" + label());
        };
    }

    /**
     * The configurations {@code --isa VALUE} asks for: {@code native}, {@code avx2} or {@code both}
     * (native, then AVX2).
     *
     * @throws IllegalArgumentException for another value
     */
    static List<Isa> parse(String value) {
        return switch (value) {
            case "native" -> List.of(NATIVE);
            case "avx2" -> List.of(AVX2);
            case "both" -> List.of(NATIVE, AVX2);
            default -> throw new IllegalArgumentException("--isa takes native, avx2 or both, got " + value);
        };
    }

    /**
     * The configuration that runs on this CPU for this one: AVX2 is the native configuration on a CPU
     * without AVX-512 (there, {@code -XX:UseAVX=2} would change nothing, or on a CPU without AVX2
     * ask for instructions it lacks).
     */
    Isa forThisCpu() {
        return this == AVX2 && !cpuHasAvx512() ? NATIVE : this;
    }

    /** This JVM's configuration, from {@value #PROPERTY}. */
    static Isa ofThisJvm() {
        String value = System.getProperty(PROPERTY, NATIVE.label());
        for (Isa isa : values()) {
            if (isa.label().equals(value)) {
                return isa;
            }
        }
        throw new IllegalArgumentException(PROPERTY + " must be native or avx2, got " + value);
    }

    /** Whether {@code /proc/cpuinfo} lists AVX-512F (false where it cannot be read). */
    static boolean cpuHasAvx512() {
        return cpuinfo().contains(" avx512f");
    }

    /**
     * The widest x86 vector instruction set of the CPU, as native libraries that choose their kernels
     * by CPUID see it: {@code AVX-512}, {@code AVX2} or {@code no AVX2}; {@code unknown} where
     * {@code /proc/cpuinfo} cannot be read.
     */
    static String cpuVectorIsa() {
        String cpuinfo = cpuinfo();
        return cpuinfo.isEmpty() ? "unknown" : cpuinfo.contains(" avx512f") ? "AVX-512"
                : cpuinfo.contains(" avx2") ? "AVX2" : "no AVX2";
    }

    /** The text of {@code /proc/cpuinfo}, empty where it cannot be read. */
    private static String cpuinfo() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The vector instruction set this JVM's compiled code uses, e.g. {@code AVX-512 (512-bit vectors,
     * 32 registers)} or {@code AVX2 (-XX:UseAVX=2: 256-bit vectors, 16 registers)}: HotSpot's
     * {@code UseAVX} level and whether it was set on the command line, and the preferred vector
     * species' width; off x86 (no {@code UseAVX}), the architecture and the width.
     */
    static String describeThisJvm() {
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        VMOption useAvx;
        try {
            useAvx = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("UseAVX");
        } catch (IllegalArgumentException e) {
            return System.getProperty("os.arch") + " (" + bits + "-bit vectors)";
        }
        return describe(Integer.parseInt(useAvx.getValue()), useAvx.getOrigin() == VMOption.Origin.VM_CREATION, bits);
    }

    /**
     * The text of {@link #describeThisJvm}: HotSpot's {@code UseAVX} level ({@code 3}: AVX-512, whose
     * 32 vector registers C2 uses at any vector width; {@code 2}: AVX2, 16 registers), whether the
     * command line set it, and the preferred species' width in bits.
     */
    static String describe(int useAvx, boolean setOnCommandLine, int vectorBits) {
        String name = switch (useAvx) {
            case 0 -> "SSE";
            case 1 -> "AVX";
            case 2 -> "AVX2";
            default -> "AVX-512";
        };
        int registers = useAvx >= 3 ? 32 : 16;
        return String.format(Locale.ROOT, "%s (%s%d-bit vectors, %d registers)", name,
                setOnCommandLine ? "-XX:UseAVX=" + useAvx + ": " : "", vectorBits, registers);
    }
}
