package dev.lanewise.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * OpenBLAS from Maven Central (bytedeco), loaded with the kernels of the benchmark JVM's {@link Isa}
 * configuration: its AVX-512 kernels wherever the CPU has them, its Haswell (AVX2) ones in the
 * {@link Isa#AVX2} configuration.
 *
 * <p>OpenBLAS picks its kernels once, when the library loads, from the environment variable
 * {@code OPENBLAS_CORETYPE} or its own CPU detection (which falls back to the AVX2 "Haswell" kernels
 * on AMD Zen 5). This class sets {@code OPENBLAS_CORETYPE} in the process environment (libc
 * {@code setenv}, through the FFM API) before loading, overriding any value that names another
 * kernel set, then reads back the kernel set OpenBLAS chose and fails if it is not the one wanted:
 * <ul>
 *   <li>native, on a CPU with AVX-512: {@code SkylakeX} (or another AVX-512 set the environment
 *       names); a comparison against a crippled peer would be worthless. Without AVX-512, OpenBLAS's
 *       own choice (or the environment's) stands;</li>
 *   <li>AVX2: {@code Haswell} (or {@code Zen}, which runs the Haswell kernels), whatever the
 *       environment says, so the peer is limited as lanewise is.</li>
 * </ul>
 * {@link #load()} says what it overrode, and the suite reports it.
 */
final class OpenBlas {

    private static String description;

    private OpenBlas() {
    }

    /**
     * Loads OpenBLAS (once) and describes it: the kernel set it uses, e.g. {@code SkylakeX}, and any
     * environment setting this class overrode to get it.
     *
     * @throws IllegalStateException where OpenBLAS loaded another kernel set than the configuration's
     */
    static synchronized String load() {
        if (description != null) {
            return description;
        }
        Isa isa = Isa.ofThisJvm();
        // The kernel sets accepted, the first one requested; empty: OpenBLAS's own choice.
        List<String> wanted = switch (isa) {
            case NATIVE -> Isa.cpuHasAvx512() ? List.of("SkylakeX", "Cooperlake", "SapphireRapids") : List.of();
            case AVX2 -> List.of("Haswell", "Zen");
        };
        String requested = System.getenv("OPENBLAS_CORETYPE");
        String note = "";
        if (!wanted.isEmpty() && (requested == null || !accepts(wanted, requested))) {
            setenv("OPENBLAS_CORETYPE", wanted.getFirst());
            if (requested != null) {
                note = " (OPENBLAS_CORETYPE=" + requested + " from the environment overridden)";
            }
        }
        Loader.load(openblas.class);
        String core = queryCoreName();
        if (!wanted.isEmpty() && !accepts(wanted, core)) {
            throw new IllegalStateException("OpenBLAS loaded its " + core + " kernels in the " + isa.label()
                    + " configuration, not one of " + wanted + ": the comparison would be against other kernels"
                    + " than the configuration's");
        }
        description = core + note;
        return description;
    }

    /** Whether {@code core} is one of the kernel sets {@code wanted}, ignoring case. */
    private static boolean accepts(List<String> wanted, String core) {
        return wanted.stream().anyMatch(core::equalsIgnoreCase);
    }

    /** Threads OpenBLAS may use from now on. */
    static void setThreads(int threads) {
        load();
        openblas.blas_set_num_threads(threads);
    }

    private static void setenv(String name, String value) {
        Linker linker = Linker.nativeLinker();
        MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) setenv.invokeExact(arena.allocateFrom(name), arena.allocateFrom(value), 1);
            if (rc != 0) {
                throw new IllegalStateException("setenv(" + name + ") failed: " + rc);
            }
        } catch (Throwable t) {
            throw new IllegalStateException("cannot set " + name + " for OpenBLAS", t);
        }
    }

    /** {@code openblas_get_corename()} from the library javacpp loaded (not mapped by the presets). */
    private static String queryCoreName() {
        String path = Loader.getLoadedLibraries().entrySet().stream()
                .filter(e -> e.getKey().startsWith("openblas@"))
                .map(java.util.Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new IllegalStateException("libopenblas was not loaded"));
        SymbolLookup lib = SymbolLookup.libraryLookup(Path.of(path), Arena.global());
        MethodHandle corename = Linker.nativeLinker().downcallHandle(
                lib.find("openblas_get_corename").orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS));
        try {
            MemorySegment name = (MemorySegment) corename.invokeExact();
            return name.reinterpret(64).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_get_corename failed", t);
        }
    }
}
