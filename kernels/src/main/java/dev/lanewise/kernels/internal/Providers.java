package dev.lanewise.kernels.internal;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the {@link KernelProvider} once, at class initialisation, and logs one line saying which
 * and why (logger {@code dev.lanewise}).
 *
 * <p>The vector provider is used when all of these hold: the module {@code jdk.incubator.vector} is
 * in the boot layer (the JVM was started with {@code --add-modules jdk.incubator.vector}), the JIT is
 * C2 (not {@code -Xint}, not C1 only via {@code TieredStopAtLevel < 4}, not a JVMCI compiler), and its
 * class loads. Otherwise the scalar provider is used, which is correct but several times slower.
 *
 * <p>The system property {@code lanewise.provider} ({@code auto}, the default, {@code vector} or
 * {@code scalar}) overrides the choice; {@code vector} fails at start-up if the vector provider
 * cannot be used, rather than silently falling back.
 */
public final class Providers {

    private static final System.Logger LOG = System.getLogger("dev.lanewise");
    private static final String VECTOR_PROVIDER = "dev.lanewise.kernels.internal.vector.VectorKernelProvider";

    private static final KernelProvider SCALAR = new ScalarKernelProvider();
    private static String selection;
    private static final KernelProvider CURRENT = select();

    private Providers() {
    }

    /** The provider every facade uses. */
    public static KernelProvider current() {
        return CURRENT;
    }

    /** The line logged when the provider was chosen: which one, and why. */
    public static String selection() {
        return selection;
    }

    /** The plain-Java provider, always available (tests compare it with the current one). */
    public static KernelProvider scalar() {
        return SCALAR;
    }

    /** The current provider and, if it is not the scalar one, the scalar one. */
    public static List<KernelProvider> available() {
        return CURRENT == SCALAR ? List.of(SCALAR) : List.of(CURRENT, SCALAR);
    }

    private static KernelProvider select() {
        String requested = System.getProperty("lanewise.provider", "auto").trim().toLowerCase(Locale.ROOT);
        if (!List.of("auto", "vector", "scalar").contains(requested)) {
            throw new IllegalArgumentException(
                    "lanewise.provider = " + requested + " must be auto, vector or scalar");
        }
        if (requested.equals("scalar")) {
            return chosen(SCALAR, System.Logger.Level.INFO, "lanewise: using the scalar kernels (lanewise.provider=scalar)");
        }
        String unavailable = vectorUnavailableReason();
        KernelProvider vector = null;
        if (unavailable == null) {
            try {
                vector = (KernelProvider) Class.forName(VECTOR_PROVIDER).getConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                unavailable = "the vector kernels failed to load (" + cause + ")";
            }
        }
        if (vector != null) {
            return chosen(vector, System.Logger.Level.INFO, "lanewise: using the " + vector.name() + " kernels, GEMM " + vector.gemm());
        }
        if (requested.equals("vector")) {
            throw new IllegalStateException("lanewise.provider=vector, but " + unavailable);
        }
        return chosen(SCALAR, System.Logger.Level.WARNING, "lanewise: using the slow scalar kernels because " + unavailable
                + ". Start java with --add-modules jdk.incubator.vector (and the C2 JIT) for the fast ones.");
    }

    private static KernelProvider chosen(KernelProvider provider, System.Logger.Level level, String message) {
        selection = message;
        LOG.log(level, message);
        return provider;
    }

    /** Why the vector provider cannot be used here, or {@code null} if it can. */
    private static String vectorUnavailableReason() {
        Optional<Module> vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector");
        if (vectorModule.isEmpty()) {
            return "the module jdk.incubator.vector is not loaded";
        }
        Module self = Providers.class.getModule();
        if (!self.canRead(vectorModule.get())) {
            self.addReads(vectorModule.get());
        }
        return jitUnsuitableReason();
    }

    /** Why the running JIT cannot compile the Vector API to SIMD code, or {@code null} if it can. */
    private static String jitUnsuitableReason() {
        String vmInfo = System.getProperty("java.vm.info", "");
        if (vmInfo.contains("interpreted mode")) {
            return "the JVM runs interpreted (-Xint)";
        }
        try {
            var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (hotspot != null) {
                if (Boolean.parseBoolean(option(hotspot, "UseJVMCICompiler", "false"))) {
                    return "the JIT is a JVMCI compiler, not C2";
                }
                if (Integer.parseInt(option(hotspot, "TieredStopAtLevel", "4")) < 4
                        && Boolean.parseBoolean(option(hotspot, "TieredCompilation", "true"))) {
                    return "C2 is disabled (TieredStopAtLevel < 4)";
                }
                return null;
            }
        } catch (LinkageError | RuntimeException e) {
            // No jdk.management in this runtime image: fall through to the vm.info hint.
        }
        return vmInfo.contains("emulated-client") ? "C2 is disabled (client emulation)" : null;
    }

    private static String option(com.sun.management.HotSpotDiagnosticMXBean hotspot, String name, String fallback) {
        try {
            return hotspot.getVMOption(name).getValue();
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
