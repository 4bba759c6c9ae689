package dev.lanewise.kernels.internal.vector;

import dev.lanewise.kernels.internal.BoundEpilogue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM micro-kernel for a tile of 12 rows x 1 vector of C (12 x L floats, L = lanes of
 * {@link FloatSpecies#FLOAT}), held in 12 accumulator registers: the column tail of
 * {@link GemmKernel12x2v}, which takes the last column panel of a block when it holds at most
 * {@code L} columns (a 196-column GEMM, ResNet-50's 3x3 convolutions at 14x14, is 6 panels of 32
 * and one of 4).
 *
 * <p>Per step {@code p}: 1 vector load of B's row, 12 broadcasts of A's column, 12 FMAs into
 * independent accumulators; A by rows ({@link #compute}) or as 12-interleaved panels
 * ({@link #computeInterleaved}), the layout {@link GemmKernel12x2v} packs, and B with any row stride
 * (a 2-vector packed panel is read with {@code ldb = 2L}). The contract, including edge tiles and
 * {@code beta == 0}, is {@link dev.lanewise.kernels.internal.GemmMicroKernel}'s, and every element is
 * the same FMA chain as in {@link GemmKernel12x2v}, so the two kernels' results are bit-identical.
 */
final class GemmKernel12x1v extends VectorGemmKernel {

    private static final VectorSpecies<Float> S = FloatSpecies.FLOAT;
    private static final int L = S.length();
    private static final int MR = 12;
    private static final int NR = L;

    GemmKernel12x1v() {
        super("12x1v", MR, NR);
    }

    @Override
    public void compute(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                        float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                        BoundEpilogue epilogue, int row0, int col0, float[] scratch) {
        assert m >= 1 && m <= MR && n >= 1 && n <= NR && k >= 0;
        // Rows past m re-read row m - 1 (see the contract): A needs only its m real rows.
        final int a0 = aOff;
        final int a1 = aOff + Math.min(1, m - 1) * lda;
        final int a2 = aOff + Math.min(2, m - 1) * lda;
        final int a3 = aOff + Math.min(3, m - 1) * lda;
        final int a4 = aOff + Math.min(4, m - 1) * lda;
        final int a5 = aOff + Math.min(5, m - 1) * lda;
        final int a6 = aOff + Math.min(6, m - 1) * lda;
        final int a7 = aOff + Math.min(7, m - 1) * lda;
        final int a8 = aOff + Math.min(8, m - 1) * lda;
        final int a9 = aOff + Math.min(9, m - 1) * lda;
        final int a10 = aOff + Math.min(10, m - 1) * lda;
        final int a11 = aOff + Math.min(11, m - 1) * lda;
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int p = 0, pb = bOff; p < k; p++, pb += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, pb);
            c0 = FloatVector.broadcast(S, a[a0 + p]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a1 + p]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a2 + p]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a3 + p]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[a4 + p]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, a[a5 + p]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, a[a6 + p]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, a[a7 + p]).fma(b0, c7);
            c8 = FloatVector.broadcast(S, a[a8 + p]).fma(b0, c8);
            c9 = FloatVector.broadcast(S, a[a9 + p]).fma(b0, c9);
            c10 = FloatVector.broadcast(S, a[a10 + p]).fma(b0, c10);
            c11 = FloatVector.broadcast(S, a[a11 + p]).fma(b0, c11);
        }
        if (m == MR && n == NR && (beta == 0f || beta == 1f) && epilogue.isIdentity()) {
            // The hot cases store straight from registers, rounding as TileStore.store does
            // (beta == 0: fma(s, alpha, -0) is exactly alpha * s; see TileStore).
            FloatVector alphaV = FloatVector.broadcast(S, alpha);
            FloatVector negZero = FloatVector.broadcast(S, -0f);
            c0.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff)).intoArray(c, cOff);
            c1.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + ldc)).intoArray(c, cOff + ldc);
            c2.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
            c3.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
            c4.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
            c5.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
            c6.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 6 * ldc)).intoArray(c, cOff + 6 * ldc);
            c7.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 7 * ldc)).intoArray(c, cOff + 7 * ldc);
            c8.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 8 * ldc)).intoArray(c, cOff + 8 * ldc);
            c9.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 9 * ldc)).intoArray(c, cOff + 9 * ldc);
            c10.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 10 * ldc)).intoArray(c, cOff + 10 * ldc);
            c11.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 11 * ldc)).intoArray(c, cOff + 11 * ldc);
        } else {
            c0.intoArray(scratch, 0);
            c1.intoArray(scratch, L);
            c2.intoArray(scratch, 2 * L);
            c3.intoArray(scratch, 3 * L);
            c4.intoArray(scratch, 4 * L);
            c5.intoArray(scratch, 5 * L);
            c6.intoArray(scratch, 6 * L);
            c7.intoArray(scratch, 7 * L);
            c8.intoArray(scratch, 8 * L);
            c9.intoArray(scratch, 9 * L);
            c10.intoArray(scratch, 10 * L);
            c11.intoArray(scratch, 11 * L);
            TileStore.store(scratch, MR, NR, m, n, alpha, beta, c, cOff, ldc, epilogue, row0, col0);
        }
    }

    @Override
    public boolean readsInterleavedA() {
        return true;
    }

    /**
     * The loop of {@link #compute} reading A's column {@code p} as 12 consecutive floats of an
     * interleaved panel; the store is the same code as {@link #compute}'s (vectors cannot be passed
     * to a shared method without boxing).
     */
    @Override
    public void computeInterleaved(int m, int n, int k, float alpha, float[] a, int aOff,
                                   float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                                   BoundEpilogue epilogue, int row0, int col0, float[] scratch) {
        assert m >= 1 && m <= MR && n >= 1 && n <= NR && k >= 0;
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int p = 0, pa = aOff, pb = bOff; p < k; p++, pa += MR, pb += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, pb);
            c0 = FloatVector.broadcast(S, a[pa]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[pa + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[pa + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[pa + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[pa + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, a[pa + 5]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, a[pa + 6]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, a[pa + 7]).fma(b0, c7);
            c8 = FloatVector.broadcast(S, a[pa + 8]).fma(b0, c8);
            c9 = FloatVector.broadcast(S, a[pa + 9]).fma(b0, c9);
            c10 = FloatVector.broadcast(S, a[pa + 10]).fma(b0, c10);
            c11 = FloatVector.broadcast(S, a[pa + 11]).fma(b0, c11);
        }
        if (m == MR && n == NR && (beta == 0f || beta == 1f) && epilogue.isIdentity()) {
            // The hot cases store straight from registers, rounding as TileStore.store does
            // (beta == 0: fma(s, alpha, -0) is exactly alpha * s; see TileStore).
            FloatVector alphaV = FloatVector.broadcast(S, alpha);
            FloatVector negZero = FloatVector.broadcast(S, -0f);
            c0.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff)).intoArray(c, cOff);
            c1.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + ldc)).intoArray(c, cOff + ldc);
            c2.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
            c3.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
            c4.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
            c5.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
            c6.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 6 * ldc)).intoArray(c, cOff + 6 * ldc);
            c7.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 7 * ldc)).intoArray(c, cOff + 7 * ldc);
            c8.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 8 * ldc)).intoArray(c, cOff + 8 * ldc);
            c9.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 9 * ldc)).intoArray(c, cOff + 9 * ldc);
            c10.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 10 * ldc)).intoArray(c, cOff + 10 * ldc);
            c11.fma(alphaV, beta == 0f ? negZero : FloatVector.fromArray(S, c, cOff + 11 * ldc)).intoArray(c, cOff + 11 * ldc);
        } else {
            c0.intoArray(scratch, 0);
            c1.intoArray(scratch, L);
            c2.intoArray(scratch, 2 * L);
            c3.intoArray(scratch, 3 * L);
            c4.intoArray(scratch, 4 * L);
            c5.intoArray(scratch, 5 * L);
            c6.intoArray(scratch, 6 * L);
            c7.intoArray(scratch, 7 * L);
            c8.intoArray(scratch, 8 * L);
            c9.intoArray(scratch, 9 * L);
            c10.intoArray(scratch, 10 * L);
            c11.intoArray(scratch, 11 * L);
            TileStore.store(scratch, MR, NR, m, n, alpha, beta, c, cOff, ldc, epilogue, row0, col0);
        }
    }
}
