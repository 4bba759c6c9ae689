package dev.lanewise.kernels.internal;

/**
 * One GEMM configuration: the micro-kernel and the cache block sizes of the five loops around it.
 *
 * <p>Block sizes follow the BLIS analytical model (Low et al., "Analytical modeling is enough for
 * high-performance BLIS", TOMS 2016), applied to this row-major layout, where B's micro-panel is
 * the operand a micro-kernel re-reads from L1 for every A micro-panel:
 * <ul>
 *   <li>{@code kc}: a {@code kc x NR} micro-panel of B takes about half of L1d, leaving the rest for
 *       the streamed A micro-panel and C.</li>
 *   <li>{@code mc}: an {@code mc x kc} block of packed A takes about half of L2.</li>
 *   <li>{@code nc}: a {@code kc x nc} block of packed B stays in the shared L3;
 *       {@value #NC_DEFAULT} columns bound the per-thread workspace.</li>
 * </ul>
 * Each can be overridden with a system property ({@code lanewise.gemm.mc}, {@code lanewise.gemm.kc},
 * {@code lanewise.gemm.nc}), read once at start-up; they only change speed, never results beyond
 * the rounding of a different summation blocking over k.
 *
 * @param kernel the micro-kernel
 * @param mc     rows of A per packed block (3rd loop), a multiple of {@code kernel.mr()}
 * @param kc     depth of a packed block (4th loop)
 * @param nc     columns of B per packed block (5th loop), a multiple of {@code kernel.nr()}
 */
public record GemmConfig(GemmMicroKernel kernel, int mc, int kc, int nc) {

    /** Fraction of L1d for the B micro-panel; half is the model's choice, confirmed by GemmBenchmark. */
    static final double KC_L1_SHARE = 0.5;
    /** Fraction of L2 for the packed A block. */
    static final double MC_L2_SHARE = 0.5;
    /** Columns of B per packed block; 4096 x kc floats is 3 MiB at kc = 192. */
    static final int NC_DEFAULT = 4096;

    public GemmConfig {
        if (mc < kernel.mr() || mc % kernel.mr() != 0) {
            throw new IllegalArgumentException("mc = " + mc + " must be a positive multiple of MR = " + kernel.mr());
        }
        if (nc < kernel.nr() || nc % kernel.nr() != 0) {
            throw new IllegalArgumentException("nc = " + nc + " must be a positive multiple of NR = " + kernel.nr());
        }
        if (kc < 1) {
            throw new IllegalArgumentException("kc = " + kc + " must be >= 1");
        }
    }

    /** Block sizes for {@code kernel} derived from {@code caches}, then any property overrides. */
    public static GemmConfig derive(GemmMicroKernel kernel, CacheSizes caches) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        int kc = clamp((int) (caches.l1d() * KC_L1_SHARE / (nr * Float.BYTES)) / 16 * 16, 32, 1024);
        kc = intProperty("lanewise.gemm.kc", kc);
        int mc = clamp((int) (caches.l2() * MC_L2_SHARE / ((long) kc * Float.BYTES)) / mr * mr, mr, 4096 / mr * mr);
        mc = roundUp(intProperty("lanewise.gemm.mc", mc), mr);
        int nc = roundUp(intProperty("lanewise.gemm.nc", NC_DEFAULT), nr);
        return new GemmConfig(kernel, mc, kc, nc);
    }

    /** Floats of packed A one thread needs at most. */
    public int packedAFloats() {
        return mc * kc;
    }

    /** Floats of packed B one thread needs at most. */
    public int packedBFloats() {
        return kc * nc;
    }

    @Override
    public String toString() {
        return kernel.name() + " MC=" + mc + " KC=" + kc + " NC=" + nc;
    }

    private static int intProperty(String name, int fallback) {
        String value = System.getProperty(name);
        if (value == null) {
            return fallback;
        }
        int v = Integer.parseInt(value.trim());
        if (v < 1) {
            throw new IllegalArgumentException(name + " = " + value + " must be >= 1");
        }
        return v;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static int roundUp(int v, int multiple) {
        return (v + multiple - 1) / multiple * multiple;
    }
}
