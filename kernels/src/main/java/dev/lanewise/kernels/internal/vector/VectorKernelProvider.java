package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.ActivationKernels;
import dev.lanewise.kernels.internal.ArrayKernels;
import dev.lanewise.kernels.internal.CacheSizes;
import dev.lanewise.kernels.internal.DepthwiseKernels;
import dev.lanewise.kernels.internal.DirectConvKernels;
import dev.lanewise.kernels.internal.GemmDotKernel;
import dev.lanewise.kernels.internal.GemmConfig;
import dev.lanewise.kernels.internal.GemmMicroKernel;
import dev.lanewise.kernels.internal.KernelProvider;
import dev.lanewise.kernels.internal.PoolKernels;
import java.util.List;
import java.util.Locale;

/**
 * The Vector API implementation. Loaded reflectively by
 * {@link dev.lanewise.kernels.internal.Providers} only when {@code jdk.incubator.vector} is readable
 * and C2 is running, so the rest of lanewise never links against the incubator module.
 *
 * <h2>Kernel choice</h2>
 * A tile of {@code MR x NV} vectors needs {@code MR * NV} accumulator registers plus {@code NV} for
 * B and one for A's broadcast:
 * <table>
 *   <caption>GEMM micro-kernel per register file</caption>
 *   <tr><th>vector registers</th><th>where</th><th>kernel</th><th>registers used</th></tr>
 *   <tr><td>32</td><td>x86 with AVX-512 (also at 128/256 bits), AArch64</td><td>12x2v</td><td>27</td></tr>
 *   <tr><td>16</td><td>x86 with AVX2 only</td><td>6x2v</td><td>15</td></tr>
 * </table>
 * 12x2v was the fastest inside the full GEMM on AVX-512, ahead of 8x2v and 8x3v; 8x3v (at 12x2v's
 * KC) is the second choice of {@link #gemmFor} for shapes it tiles with less waste, such as the
 * 64-row GEMMs of ResNet's early convolutions (10-15 % faster there); 6x2v is the AVX2 choice: its
 * 12 accumulators, 2 B vectors and a broadcast leave C2 one spare register. With none spare, C2
 * spilled accumulators to the stack inside the loop: 4x3v reading interleaved A did, and so did
 * interleaved 6x2v over a packed B without k-unrolling (it then scheduled three broadcasts at once);
 * a spilled accumulator roughly halved the speed in L1 under {@code -XX:UseAVX=2}. 8x2v and 4x2v also serve as row tails (the last
 * row panel of a block), 12x1v and 6x1v as the column tails of 12x2v and 6x2v (a last column panel
 * of at most one vector), and {@link VectorGemmDotKernel} takes few rows times a transposed B.
 *
 * <h2>Direct convolution</h2>
 * A block of {@code F} filters x {@code R} output rows needs {@code F R} accumulators, {@code R}
 * input vectors and a broadcast ({@link VectorDirectConvKernels}). With 32 registers 8x3 (28
 * registers) is the choice for 8 filters and more and 4x4 (21) for groups of 4 filters. Kernel
 * alone, one thread, 8x3 took 0.74-0.87 of 4x4's time on the first layers of ResNet, AlexNet and
 * EfficientNet (8x2: 0.98-1.17 of 8x3's, 6x3 with its wasted filters 1.7-1.9) and 1.2 times 4x4's
 * on ResNeXt's 4-filter groups (half its filters wasted). With 16, 4x2 (11 registers): 4x3 (16,
 * all of them) spilled and ran 1.7-2.4x slower under {@code -XX:UseAVX=2}, 8x3 and 4x4 more so.
 *
 * <h2>AArch64</h2>
 * NEON has 32 registers of 128 bits, SVE implementations (Graviton 3, Neoverse V1/V2) 32 of 128 or
 * 256: either way 12x2v fits with room to spare (27 registers), the tile is 12 x 8 (NEON) or
 * 12 x 16 floats, and two or four 128-bit FMA pipes with a latency of four cycles need at most 16
 * independent chains, fewer than its 24. The L1d share is the one measured with 32 registers on
 * x86. None of this has been measured on an ARM machine; the property tests cover any vector width.
 *
 * <h2>Block depth</h2>
 * With 32 registers a micro-panel of A fills L1d ({@link #A_PANEL_L1_SHARE_32}: KC 1024 for 12x2v
 * and 48 KiB), with 16 a quarter of it ({@link #A_PANEL_L1_SHARE_16}: KC 512 for 6x2v), each the
 * fastest of 0.25, 0.5 and 1 for n = 1024 (6x2v measured under {@code -XX:UseAVX=2}, 7 % ahead of
 * 0.5); see {@link GemmConfig} for what the depth trades.
 */
public final class VectorKernelProvider extends KernelProvider {

    /** Share of L1d for one micro-panel of A with 32 vector registers. */
    static final double A_PANEL_L1_SHARE_32 = 1.0;
    /** Share of L1d for one micro-panel of A with 16 vector registers. */
    static final double A_PANEL_L1_SHARE_16 = 0.25;

    /** The registry: every micro-kernel of this provider, with its row tails. */
    private static final List<GemmMicroKernel> KERNELS = List.of(
            new GemmKernel12x2v(new GemmKernel8x2v(), new GemmKernel4x2v(), new GemmKernel12x1v()),
            new GemmKernel12x1v(),
            new GemmKernel8x3v(),
            new GemmKernel8x2v(new GemmKernel4x2v()),
            new GemmKernel6x2v(new GemmKernel4x2v(), new GemmKernel6x1v()),
            new GemmKernel6x1v(),
            new GemmKernel4x2v());

    private final GemmConfig gemm;
    private final List<GemmConfig> gemmVariants;
    private final List<GemmConfig> gemmChoices;
    private final ArrayKernels arrays = new VectorArrayKernels();
    private final PoolKernels pooling = new VectorPoolKernels();
    private final ActivationKernels activations = new VectorActivationKernels();
    private final DepthwiseKernels depthwise = new VectorDepthwiseKernels(arrays);
    private final List<DirectConvKernels> directConvVariants = List.of(
            new VectorDirectConvKernels(arrays, VectorDirectConvKernels.Block.F8R3),
            new VectorDirectConvKernels(arrays, VectorDirectConvKernels.Block.F4R4),
            new VectorDirectConvKernels(arrays, VectorDirectConvKernels.Block.F4R2));
    private final List<DirectConvKernels> directConvChoices;

    /** Used reflectively by {@code Providers}. */
    public VectorKernelProvider() {
        if (FloatSpecies.FLOAT.vectorBitSize() < 128) {
            throw new UnsupportedOperationException("the preferred float vector has only "
                    + FloatSpecies.FLOAT.vectorBitSize() + " bits");
        }
        CacheSizes caches = CacheSizes.detected();
        GemmDotKernel dot = new VectorGemmDotKernel();
        boolean registers32 = vectorRegisters() >= 32;
        double aPanelShare = registers32 ? A_PANEL_L1_SHARE_32 : A_PANEL_L1_SHARE_16;
        gemmVariants = KERNELS.stream().map(k -> GemmConfig.derive(k, dot, caches, aPanelShare)).toList();
        String main = registers32 ? "12x2v" : "6x2v";
        gemm = variant(main);
        directConvChoices = (registers32 ? List.of("8x3", "4x4") : List.of("4x2")).stream()
                .map(name -> directConvVariants.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow())
                .toList();
        if (main.equals("12x2v")) {
            GemmConfig wide = variant("8x3v");
            gemmChoices = List.of(gemm, wide.with(wide.mc(), gemm.kc(), wide.nc(), wide.packing()));
        } else {
            gemmChoices = List.of(gemm);
        }
    }

    private GemmConfig variant(String name) {
        return gemmVariants.stream().filter(c -> c.kernel().name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * Architectural vector registers: 32 on AArch64 and on x86 with AVX-512 (whose preferred species
     * is 512 bits, and whose 32 registers remain when a narrower species is forced), else 16.
     */
    private static int vectorRegisters() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            return 32;
        }
        return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? 32 : 16;
    }

    @Override
    public String name() {
        return "vector (" + FloatSpecies.FLOAT.vectorBitSize() + "-bit, " + FloatSpecies.FLOAT.length() + " float lanes)";
    }

    @Override
    public int floatLanes() {
        return FloatSpecies.FLOAT.length();
    }

    @Override
    public GemmConfig gemm() {
        return gemm;
    }

    @Override
    public List<GemmConfig> gemmChoices() {
        return gemmChoices;
    }

    @Override
    public List<GemmConfig> gemmVariants() {
        return gemmVariants;
    }

    @Override
    public ArrayKernels arrays() {
        return arrays;
    }

    @Override
    public PoolKernels pooling() {
        return pooling;
    }

    @Override
    public DepthwiseKernels depthwise() {
        return depthwise;
    }

    @Override
    public List<DirectConvKernels> directConvChoices() {
        return directConvChoices;
    }

    @Override
    public List<DirectConvKernels> directConvVariants() {
        return directConvVariants;
    }

    @Override
    public ActivationKernels activations() {
        return activations;
    }
}
