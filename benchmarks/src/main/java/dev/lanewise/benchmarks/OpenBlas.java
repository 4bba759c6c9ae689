package dev.lanewise.benchmarks;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * OpenBLAS from Maven Central (bytedeco), loaded with its AVX-512 kernels wherever the CPU has them.
 *
 * <p>OpenBLAS picks its kernels once, when the library loads, from the environment variable
 * {@code OPENBLAS_CORETYPE} or its own CPU detection (which falls back to the AVX2 "Haswell" kernels
 * on AMD Zen 5). On a CPU with AVX-512 this class sets {@code OPENBLAS_CORETYPE=SkylakeX} in the
 * process environment (libc {@code setenv}, through the FFM API) before loading, overriding any
 * value that names a kernel set without AVX-512, then reads back the kernel set OpenBLAS chose and
 * fails if it is not an AVX-512 one: a comparison against a crippled peer would be worthless.
 * {@link #load()} says what it overrode, and the suite prints it.
 */
final class OpenBlas {

    private static final Set<String> AVX512_CORES = Set.of("skylakex", "cooperlake", "sapphirerapids");
    private static String description;

    private OpenBlas() {
    }

    /**
     * Loads OpenBLAS (once) and describes it: the kernel set it uses, e.g. {@code SkylakeX}, and any
     * environment setting this class overrode to get it.
     */
    static synchronized String load() {
        if (description != null) {
            return description;
        }
        boolean avx512 = cpuHasAvx512();
        String requested = System.getenv("OPENBLAS_CORETYPE");
        String note = "";
        if (avx512 && (requested == null || !AVX512_CORES.contains(requested.toLowerCase(Locale.ROOT)))) {
            setenv("OPENBLAS_CORETYPE", "SkylakeX");
            if (requested != null) {
                note = " (OPENBLAS_CORETYPE=" + requested + " from the environment overridden)";
            }
        }
        Loader.load(openblas.class);
        String core = queryCoreName();
        if (avx512 && !AVX512_CORES.contains(core.toLowerCase(Locale.ROOT))) {
            throw new IllegalStateException("OpenBLAS loaded its " + core + " kernels on a CPU with AVX-512;"
                    + " unset OPENBLAS_CORETYPE or set it to SkylakeX so the comparison is against its best kernels");
        }
        description = core + note;
        return description;
    }

    /** Threads OpenBLAS may use from now on. */
    static void setThreads(int threads) {
        load();
        openblas.blas_set_num_threads(threads);
    }

    /** Whether {@code /proc/cpuinfo} lists AVX-512F (false where it cannot be read). */
    static boolean cpuHasAvx512() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo")).contains(" avx512f");
        } catch (IOException e) {
            return false;
        }
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
