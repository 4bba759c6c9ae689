package dev.lanewise.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanewise.kernels.Epilogue;
import dev.lanewise.kernels.Lanewise;
import dev.lanewise.kernels.Sgemm;
import dev.lanewise.kernels.internal.GemmConfig;
import dev.lanewise.kernels.internal.GemmDriver;
import dev.lanewise.kernels.internal.Providers;
import dev.lanewise.kernels.internal.WorkerPool;
import net.jqwik.api.Example;

/**
 * The public {@link Sgemm} facade: the whole {@link GemmContract} through it, and the promises that
 * concern threads and memory: bit-identical results for any thread count, concurrent callers,
 * no allocation in steady state, and agreement of interpreted, C1- and C2-compiled code.
 */
class SgemmTest implements GemmContract {

    @Override
    public GemmConfig config() {
        return Providers.current().gemm();
    }

    @Override
    public GemmChecker.Gemm gemm(GemmConfig config) {
        if (config != config()) {
            return GemmContract.super.gemm(config);
        }
        return SgemmTest::facade;
    }

    /** The public overloads: with the residual when there is one. */
    private static void facade(boolean transA, boolean transB, int m, int n, int k, float alpha,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float beta, float[] c, int cOff, int ldc, Epilogue epilogue, float[] r, int rOff, int ldr) {
        if (r == null) {
            Sgemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, epilogue);
        } else {
            Sgemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, epilogue,
                    r, rOff, ldr);
        }
    }

    /**
     * Shapes large enough to be split across threads, in both directions, with tails; the first
     * has enough rows (four A blocks of the configuration's MC, which follows the L2 size) for the
     * real configuration to pack both operands.
     */
    private int[][] parallelShapes() {
        return new int[][] {{4 * config().mc() - 5, 600, 130}, {301, 257, 130}, {64, 1000, 100}, {700, 40, 90}, {97, 611, 77}};
    }

    /** Also with a residual (every other case) and LeakyReLU. */
    @Example
    void resultsAreBitIdenticalForAnyThreadCount() {
        int[][] shapes = parallelShapes();
        assertTrue(GemmDriver.packs(config(), shapes[0][0], shapes[0][1]), "the first shape packs");
        for (int[] s : shapes) {
            for (boolean transA : new boolean[] {false, true}) {
                GemmCase gc = new GemmCase(s[0], s[1], s[2], transA, !transA, 1.5f, 0.5f, 3, 0, 1, 2, 0, 5,
                        transA ? GemmCase.EpilogueKind.ROW_BIAS_LEAKY_RELU : GemmCase.EpilogueKind.ROW_BIAS_RELU,
                        transA, 7, 3, 42);
                float[] single = GemmChecker.check(gc, false, onPool(Variants.POOL_1));
                Variants.pools().forEach(pool ->
                        assertArrayEquals(single, GemmChecker.check(gc, false, onPool(pool)),
                                pool.threads() + " threads differ from 1 for " + gc));
            }
        }
    }

    @Example
    void concurrentCallersAllGetCorrectResults() throws Exception {
        TestArrays.onConcurrentCallers(8, random -> {
            for (int call = 0; call < 40; call++) {
                GemmCase gc = new GemmCase(1 + random.nextInt(150), 1 + random.nextInt(150), 1 + random.nextInt(300),
                        random.nextBoolean(), random.nextBoolean(), 1f, random.nextBoolean() ? 0f : 1f,
                        random.nextInt(3), random.nextInt(3), random.nextInt(3), 0, 0, 0,
                        GemmCase.EpilogueKind.values()[random.nextInt(GemmCase.EpilogueKind.values().length)],
                        random.nextBoolean(), random.nextInt(3), random.nextInt(3), random.nextLong());
                GemmChecker.check(gc, false, SgemmTest::facade);
            }
        });
    }

    /**
     * After warm-up, calls allocate nothing ({@link TestArrays#assertSteadyStateAllocatesNothing}):
     * the tiled kernels with and without an epilogue, transposed and k-blocked; then, as a second
     * set, the same with a residual and LeakyReLU, and the {@code k == 0} scaling path (in one set,
     * the extra calls delayed the C2 compilation of a column-tail kernel that only one call uses past
     * the rounds). Not the dot-product kernel: C1 cannot compile it ("out of virtual registers"), so
     * after a deoptimization it runs interpreted, boxing every vector, until C2 compiles it again,
     * which after the properties above took longer than the rounds in some runs.
     */
    @Example
    void steadyStateCallsAllocateNothing() {
        int m = 150;
        int n = 140;
        int k = 300;
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        float[] c = new float[m * n];
        float[] bias = new float[m];
        float[] r = new float[m * n];
        Epilogue relu = Epilogue.rowBias(bias, 0).withRelu();
        Epilogue leaky = Epilogue.columnBias(bias, 0).withLeakyRelu(0.01f);
        Runnable[] calls = {
            () -> Sgemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n, relu),
            () -> Sgemm.sgemm(false, false, 64, 64, 64, 1f, a, 0, 64, b, 0, 64, 0f, c, 0, 64),
            () -> Sgemm.sgemm(true, true, 10, 9, 8, 1f, a, 0, 10, b, 0, 8, 1f, c, 0, 9),
            () -> Sgemm.sgemm(false, false, 13, 37, 700, 0.5f, a, 0, 700, b, 0, 37, -1f, c, 0, 37)};
        Runnable[] withResidual = {
            () -> Sgemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n, relu, r, 0, n),
            () -> Sgemm.sgemm(true, false, 37, 29, 40, 1f, a, 0, 37, b, 0, 29, 1f, c, 0, 29, leaky, r, 3, 29),
            () -> Sgemm.sgemm(false, false, 9, 9, 0, 1f, a, 0, 1, b, 0, 9, 0.5f, c, 0, 9, leaky, r, 1, 9)};
        int before = Lanewise.threads();
        Lanewise.setThreads(1);
        try {
            TestArrays.assertSteadyStateAllocatesNothing(calls, 5_000, 500);
            TestArrays.assertSteadyStateAllocatesNothing(withResidual, 5_000, 500);
        } finally {
            Lanewise.setThreads(before);
        }
    }

    @Example
    void workspaceIsBoundedWhateverTheSize() {
        GemmConfig config = config();
        long bound = Sgemm.workspaceBytesPerThread();
        long packed = (long) Float.BYTES * (config.packedAFloats() + config.packedBFloats());
        assertTrue(bound >= packed && bound < 64L << 20, "workspace bound " + bound + " bytes");
    }

    /**
     * The same small GEMM, called until C2 has compiled every kernel path, must give the same bits
     * every time: the interpreter, C1 and C2 agree.
     */
    @Example
    void compiledCodeAgreesWithFirstCall() {
        GemmCase[] cases = {
            new GemmCase(13, 37, 29, false, false, 1f, 0f, 0, 0, 0, 0, 0, 0, GemmCase.EpilogueKind.NONE, false, 0, 0, 1),
            new GemmCase(25, 33, 70, true, false, 0.5f, 1f, 1, 2, 3, 1, 2, 3, GemmCase.EpilogueKind.COLUMN_BIAS_CLAMP,
                    true, 2, 5, 2),
            new GemmCase(40, 64, 300, false, true, 1f, -0.5f, 0, 0, 0, 0, 0, 0, GemmCase.EpilogueKind.ROW_BIAS_RELU,
                    false, 0, 0, 3),
            new GemmCase(21, 50, 90, false, false, 1f, 0f, 0, 0, 0, 0, 0, 0, GemmCase.EpilogueKind.ROW_BIAS_LEAKY_RELU,
                    true, 0, 1, 4)};
        for (GemmCase gc : cases) {
            float[] first = GemmChecker.check(gc, false, SgemmTest::facade);
            GemmChecker.Problem pr = GemmChecker.Problem.of(gc, false);
            for (int i = 0; i < 20_000; i++) {
                float[] c = pr.c().clone();
                pr.run(SgemmTest::facade, c);
                if (i % 1000 == 999) {
                    assertArrayEquals(first, c, "call " + i + " of " + gc);
                }
            }
        }
    }

    private GemmChecker.Gemm onPool(WorkerPool pool) {
        GemmConfig config = config();
        return (transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, epilogue, r, rOff, ldr) ->
                GemmDriver.sgemm(config, pool, transA, transB, m, n, k, alpha,
                        a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, epilogue, r, rOff, ldr);
    }
}
