package dev.lanewise.kernels.internal;

/**
 * One GEMM configuration: the micro-kernel and the cache block sizes of the five loops around it.
 *
 * <p>Block sizes come from the cache sizes, in the spirit of the BLIS analytical model (Low et al.,
 * "Analytical modeling is enough for high-performance BLIS", TOMS 2016), with the shares measured on
 * AMD Zen 5 by GemmBenchmark (whose L2 streams a B panel fast enough that keeping it in L1 matters
 * less than making fewer passes over C):
 * <ul>
 *   <li>{@code kc}: one {@code MR x kc} micro-panel of A takes half of L1d (512 for MR = 12 and
 *       48 KiB). A deeper block means fewer read-modify-write passes over C.</li>
 *   <li>{@code mc}: an {@code mc x kc} block of packed A takes a quarter of L2, at most
 *       {@value #MC_BLOCK_BYTES_MAX} bytes: on a machine reporting 2 MiB of L2, 120 rows (256 KiB)
 *       ran 256-row convolution GEMMs 7 % faster than the 252 a quarter would give.</li>
 *   <li>{@code nc}: {@value #NC_DEFAULT} columns; a {@code kc x nc} block of packed B (2 MiB here)
 *       stays in L3 and bounds the per-thread workspace. Larger blocks measured no faster.</li>
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

    /** Share of L1d for one micro-panel of A. */
    static final double KC_L1_SHARE = 0.5;
    /** Share of L2 for a packed block of A. */
    static final double MC_L2_SHARE = 0.25;
    /** Largest packed block of A, in bytes. */
    static final long MC_BLOCK_BYTES_MAX = 256 * 1024;
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

    /** Block sizes for {@code kernel} derived from {@code caches}, then any property overrides. */
    public static GemmConfig derive(GemmMicroKernel kernel, GemmDotKernel dot, CacheSizes caches) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        int kc = clamp((int) (caches.l1d() * KC_L1_SHARE / (mr * Float.BYTES)) / 16 * 16, 64, 2048);
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
