package dev.lanewise.kernels.internal;

/**
 * One GEMM configuration: the micro-kernel and the cache block sizes of the five loops around it.
 *
 * <p>Block sizes come from the cache sizes, in the spirit of the BLIS analytical model (Low et al.,
 * "Analytical modeling is enough for high-performance BLIS", TOMS 2016), with the shares measured by
 * GemmBenchmark on the project's benchmark machine (48 KiB L1d, 2 MiB L2), whose L2 streams the
 * micro-panels fast enough that keeping one in L1 matters less than making fewer passes over C:
 * <ul>
 *   <li>{@code kc}: one {@code MR x kc} micro-panel of A takes the share of L1d the provider gives
 *       ({@code aPanelL1Share}), at most {@value #KC_MAX}. A deeper block means fewer
 *       read-modify-write passes over C. For 12x2v at 512 bits the panel fills L1d (1024 for MR = 12
 *       and 48 KiB): against half of it (512), n = 2048 ran 5-7 % faster, n = 1024 1-6 %, the
 *       512 x 49 x 4608 GEMM of ResNet's last 3x3 convolution 4 %; 128 x 784 x 1152 (two k-blocks
 *       of 576 instead of three of 384, with B read in place) ran 4 % slower.</li>
 *   <li>{@code mc}: an {@code mc x kc} block of packed A takes a quarter of L2, at most
 *       {@value #MC_BLOCK_BYTES_MAX} bytes (120 rows here; blocks of a megabyte and more ran
 *       markedly slower).</li>
 *   <li>{@code nc}: {@value #NC_DEFAULT} columns; a {@code kc x nc} block of packed B (4 MiB here)
 *       stays in L3 and bounds the per-thread workspace. Neither 512 nor 2048 measured faster.</li>
 * </ul>
 * Each can be overridden with a system property ({@code lanewise.gemm.mc}, {@code lanewise.gemm.kc},
 * {@code lanewise.gemm.nc}), read once at start-up; they only change speed, and results only by the
 * rounding of a different summation blocking over k.
 *
 * @param kernel  the micro-kernel
 * @param dot     the kernel for few rows and a transposed B ({@link GemmDriver#usesDotKernel})
 * @param mc      rows of A per packed block (3rd loop), a multiple of {@code kernel.mr()}
 * @param kc      depth of a block (4th loop)
 * @param nc      columns of B per packed block (5th loop), a multiple of {@code kernel.nr()}
 * @param packing when operands are packed rather than read in place
 */
public record GemmConfig(GemmMicroKernel kernel, GemmDotKernel dot, int mc, int kc, int nc, Packing packing) {

    /** When the driver copies A and B into packed panels rather than reading them in place. */
    public enum Packing {
        /** When the copies are re-read enough to pay for themselves; see {@link GemmDriver#packs}. */
        AUTO,
        /** Always (tests use it to reach the packed path on small inputs). */
        ALWAYS,
        /** Only a transposed operand (which the kernel cannot read in place). */
        WHEN_TRANSPOSED
    }

    /** Deepest k-block. */
    static final int KC_MAX = 1024;
    /** Share of L2 for a packed block of A. */
    static final double MC_L2_SHARE = 0.25;
    /** Largest packed block of A, in bytes. */
    static final long MC_BLOCK_BYTES_MAX = 512 * 1024;
    /** Columns of B per packed block. */
    static final int NC_DEFAULT = 1024;

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

    /**
     * Block sizes for {@code kernel} derived from {@code caches}, with one {@code MR x kc} micro-panel
     * of A taking {@code aPanelL1Share} of L1d, then any property overrides.
     */
    public static GemmConfig derive(GemmMicroKernel kernel, GemmDotKernel dot, CacheSizes caches, double aPanelL1Share) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        int kc = clamp((int) (caches.l1d() * aPanelL1Share / (mr * Float.BYTES)) / 16 * 16, 64, KC_MAX);
        kc = intProperty("lanewise.gemm.kc", kc);
        long aBlockBytes = Math.min((long) (caches.l2() * MC_L2_SHARE), MC_BLOCK_BYTES_MAX);
        int mc = clamp((int) (aBlockBytes / ((long) kc * Float.BYTES)) / mr * mr, mr, 4096 / mr * mr);
        mc = roundUp(intProperty("lanewise.gemm.mc", mc), mr);
        int nc = roundUp(intProperty("lanewise.gemm.nc", NC_DEFAULT), nr);
        return new GemmConfig(kernel, dot, mc, kc, nc, Packing.AUTO);
    }

    /** The same configuration with other block sizes and packing policy. */
    public GemmConfig with(int mc, int kc, int nc, Packing packing) {
        return new GemmConfig(kernel, dot, mc, kc, nc, packing);
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
        return kernel.name() + " MC=" + mc + " KC=" + kc + " NC=" + nc + (packing == Packing.AUTO ? "" : " packing " + packing);
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
