package dev.lanewise.properties;

import dev.lanewise.kernels.internal.GemmConfig;
import dev.lanewise.kernels.internal.GemmDriver;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The properties every GEMM variant must have, checked against {@link dev.lanewise.kernels.ref.RefGemm}.
 * Implemented once per micro-kernel variant (and once for the public facade): the implementing
 * class names the configuration, this interface holds every check.
 *
 * <p>Each variant is run with its real block sizes and with tiny ones (MC = 2 MR, KC = 5,
 * NC = 2 NR) so that every loop of the driver wraps, packs partial blocks and carries partial sums
 * across k-blocks even on small matrices. Coverage statistics prove that tails and full tiles occur.
 */
interface GemmContract {

    /** The configuration under test: by default the variant the class's {@link GemmVariant} names. */
    default GemmConfig config() {
        return Variants.gemm(getClass().getAnnotation(GemmVariant.class).value());
    }

    /** Lanes of one vector of the running provider (edge sizes are derived from it). */
    default int lanes() {
        return Variants.lanes();
    }

    /** The implementation under test; by default the driver with {@link #config()} on a 2-thread pool. */
    default GemmChecker.Gemm gemm(GemmConfig config) {
        return (transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, epilogue, r, rOff, ldr) ->
                GemmDriver.sgemm(config, Variants.POOL_2, transA, transB, m, n, k, alpha,
                        a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, epilogue, r, rOff, ldr);
    }

    /**
     * The same kernel with block sizes small enough that every loop wraps on small inputs, packing
     * always or only transposed operands (the real sizes never pack matrices this small).
     */
    default GemmConfig tinyBlocks(GemmConfig.Packing packing) {
        GemmConfig real = config();
        return real.with(2 * real.kernel().mr(), 5, 2 * real.kernel().nr(), packing);
    }

    @Provide
    default Arbitrary<GemmCase> cases() {
        return GemmCase.forConfig(config(), lanes(), 200, 200, 420);
    }

    @Provide
    default Arbitrary<GemmCase> smallCases() {
        GemmConfig tiny = tinyBlocks(GemmConfig.Packing.ALWAYS);
        return GemmCase.forConfig(tiny, lanes(), 3 * tiny.mc(), 3 * tiny.nc(), 24);
    }

    @Property(tries = 250)
    default void matchesReference(@ForAll("cases") GemmCase gc) {
        collectCoverage(config(), gc);
        Statistics.label("B").coverage(c -> c.check("packed, rows 4 KiB apart").count(x -> x > 0));
        GemmChecker.check(gc, false, gemm(config()));
    }

    @Property(tries = 250)
    default void matchesReferenceWithTinyBlocks(@ForAll("smallCases") GemmCase gc,
                                                @ForAll GemmConfig.Packing packing) {
        GemmConfig tiny = tinyBlocks(packing);
        collectCoverage(tiny, gc);
        GemmChecker.check(gc, false, gemm(tiny));
    }

    /** BLAS: with beta == 0, C is write-only, so NaN in C must not leak into the result. */
    @Property(tries = 100)
    default void betaZeroNeverReadsC(@ForAll("cases") GemmCase gc) {
        GemmChecker.check(gc.withBeta(0f), true, gemm(config()));
    }

    @Property(tries = 100)
    default void betaZeroNeverReadsCWithTinyBlocks(@ForAll("smallCases") GemmCase gc,
                                                   @ForAll GemmConfig.Packing packing) {
        GemmChecker.check(gc.withBeta(0f), true, gemm(tinyBlocks(packing)));
    }

    private static void collectCoverage(GemmConfig config, GemmCase gc) {
        int mr = config.kernel().mr();
        int nr = config.kernel().nr();
        Statistics.label("row tail").collect(gc.m() % mr == 0 ? "full tiles" : gc.m() < mr ? "only a tail" : "full and tail");
        Statistics.label("column tail").collect(gc.n() % nr == 0 ? "full tiles" : gc.n() < nr ? "only a tail" : "full and tail");
        Statistics.label("k blocks").collect(gc.k() <= config.kc() ? "one" : "several");
        boolean dot = GemmDriver.usesDotKernel(gc.transA(), gc.transB(), gc.m());
        Statistics.label("kernel").collect(dot ? "dot" : "tiled");
        Statistics.label("kernel").coverage(c -> {
            c.check("dot").count(x -> x > 0);
            c.check("tiled").count(x -> x > 0);
        });
        boolean packs = GemmDriver.packs(config, gc.m(), gc.n());
        Statistics.label("A").collect(GemmDriver.packsA(config, gc.transA(), gc.m(), gc.n()) ? "packed" : "in place");
        boolean packsB = GemmDriver.packsB(config, gc.transB(), gc.m(), gc.n(), gc.k(), gc.ldb());
        Statistics.label("B").collect(!packsB ? "in place" : packs || gc.transB() ? "packed" : "packed, rows 4 KiB apart");
        Statistics.label("transposes").collect((gc.transA() ? "A^T" : "A") + (gc.transB() ? " B^T" : " B"));
        Statistics.label("residual").collect(gc.residual() ? "with" : "without");
        Statistics.label("epilogue").collect(gc.epilogue() == GemmCase.EpilogueKind.NONE && !gc.residual()
                ? "identity" : "applied");
        Statistics.label("row tail").coverage(c -> {
            c.check("full tiles").count(x -> x > 0);
            c.check("only a tail").count(x -> x > 0);
            c.check("full and tail").count(x -> x > 0);
        });
        Statistics.label("column tail").coverage(c -> {
            c.check("full tiles").count(x -> x > 0);
            c.check("only a tail").count(x -> x > 0);
            c.check("full and tail").count(x -> x > 0);
        });
        Statistics.label("k blocks").coverage(c -> {
            c.check("one").count(x -> x > 0);
            c.check("several").count(x -> x > 0);
        });
        Statistics.label("transposes").coverage(c -> c.check("A^T B^T").count(x -> x > 0));
        Statistics.label("residual").coverage(c -> {
            c.check("with").count(x -> x > 0);
            c.check("without").count(x -> x > 0);
        });
        Statistics.label("epilogue").coverage(c -> {
            c.check("identity").count(x -> x > 0);
            c.check("applied").count(x -> x > 0);
        });
        Statistics.label("A").coverage(c -> c.check("in place").count(x -> x > 0));
        Statistics.label("B").coverage(c -> c.check("in place").count(x -> x > 0));
    }
}
